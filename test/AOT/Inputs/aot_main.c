/* Calls functions that trop-compile wrote to object files, through the
 * headers it wrote, and compares each result with a reference computed here
 * from the definitions in docs/semantics.md, bit for bit. */

#include "every_other_column.h"
#include "inplace_i8.h"
#include "maxplus.h"
#include "maxplus_2t.h"
#include "maxplus_ref.h"

#include <stdio.h>
#include <string.h>

static uint32_t state = 12345;

/* A value in [-8, 8) with a fractional part, from a fixed sequence. */
static float nextFloat(void) {
  state = state * 1664525u + 1013904223u;
  return (float)((int32_t)(state >> 8) % 4096) / 256.0f;
}

static int8_t nextInt8(void) {
  state = state * 1664525u + 1013904223u;
  return (int8_t)(state >> 24);
}

typedef void (*MaxPlusFn)(const float *, const float *, const float *, float *);

static int checkMaxPlus(const char *name, MaxPlusFn fn) {
  float a[16 * 33], b[33 * 20], c[16 * 20], c0[16 * 20], out[16 * 20];
  for (int i = 0; i < 16 * 33; ++i)
    a[i] = nextFloat();
  for (int i = 0; i < 33 * 20; ++i)
    b[i] = nextFloat();
  for (int i = 0; i < 16 * 20; ++i)
    c[i] = c0[i] = nextFloat() - 12.0f;
  fn(a, b, c, out);
  int mismatches = memcmp(c, c0, sizeof c) != 0; /* inputs stay intact */
  for (int i = 0; i < 16; ++i)
    for (int j = 0; j < 20; ++j) {
      float acc = c[i * 20 + j];
      for (int k = 0; k < 33; ++k) {
        float p = a[i * 33 + k] + b[k * 20 + j];
        acc = p > acc ? p : acc;
      }
      mismatches += memcmp(&acc, &out[i * 20 + j], sizeof acc) != 0;
    }
  printf("%s: %d mismatches\n", name, mismatches);
  return mismatches;
}

/* i8 min_plus: 𝟘 is 127; the sum clamped to [-128, 127], 𝟘 absorbing. */
static int checkInplaceI8(void) {
  int8_t a[7 * 40], b[40 * 9], c[7 * 9], expected[7 * 9];
  for (int i = 0; i < 7 * 40; ++i)
    a[i] = i % 11 == 0 ? 127 : nextInt8();
  for (int i = 0; i < 40 * 9; ++i)
    b[i] = nextInt8();
  for (int i = 0; i < 7 * 9; ++i)
    c[i] = expected[i] = i % 3 == 0 ? 127 : nextInt8();
  for (int i = 0; i < 7; ++i)
    for (int j = 0; j < 9; ++j) {
      int acc = expected[i * 9 + j];
      for (int k = 0; k < 40; ++k) {
        int x = a[i * 40 + k], y = b[k * 9 + j];
        int p = x + y;
        p = p < -128 ? -128 : p > 127 ? 127 : p;
        if (x == 127 || y == 127)
          p = 127;
        acc = p < acc ? p : acc;
      }
      expected[i * 9 + j] = (int8_t)acc;
    }
  inplace_i8(a, b, c);
  int mismatches = memcmp(c, expected, sizeof c) != 0;
  printf("inplace_i8: %d mismatches\n", mismatches);
  return mismatches;
}

static int checkStridedCopy(void) {
  float a[4 * 6], b[4 * 3];
  for (int i = 0; i < 4 * 6; ++i)
    a[i] = (float)i;
  every_other_column(a, b);
  int mismatches = 0;
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 3; ++j)
      mismatches += b[i * 3 + j] != a[i * 6 + 2 * j];
  printf("every_other_column: %d mismatches\n", mismatches);
  return mismatches;
}

int main(void) {
  int failures = checkMaxPlus("maxplus", maxplus) +
                 checkMaxPlus("maxplus_2t", maxplus_2t) +
                 checkMaxPlus("maxplus_ref", maxplus_ref) + checkInplaceI8() +
                 checkStridedCopy();
  return failures != 0;
}
