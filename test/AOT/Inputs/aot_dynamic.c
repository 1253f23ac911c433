/* Calls a function with a dynamic batch that trop-compile wrote to an
 * object file, with several batch sizes, and compares its results with a
 * reference computed here (docs/semantics.md), bit for bit; then the
 * wrapper's refusals: a result buffer too small, sizes the ops need equal. */

#include "dynamic_batch.h"
#include "dynamic_group.h"

#include <math.h>
#include <stdio.h>

static uint32_t state = 777;

static float nextFloat(void) {
  state = state * 1664525u + 1013904223u;
  return (float)((int32_t)(state >> 8) % 4096) / 256.0f;
}

static int checkBatch(int64_t batch) {
  float a[9 * 4], w[4 * 3], r0[9 * 3], r1[9 * 4];
  int64_t sizes0[2] = {-1, -1}, sizes1[2] = {-1, -1};
  for (int i = 0; i < batch * 4; ++i)
    a[i] = nextFloat();
  for (int i = 0; i < 4 * 3; ++i)
    w[i] = nextFloat();
  if (f(a, batch, w, r0, batch * 3, sizes0, r1, batch * 4, sizes1) != 0)
    return 1000;
  int mismatches = sizes0[0] != batch || sizes0[1] != 3 || sizes1[0] != batch ||
                   sizes1[1] != 4;
  for (int64_t i = 0; i < batch; ++i)
    for (int j = 0; j < 3; ++j) {
      float best = -INFINITY;
      for (int k = 0; k < 4; ++k)
        best = fmaxf(best, a[i * 4 + k] + w[k * 3 + j]);
      mismatches += r0[i * 3 + j] != best;
    }
  for (int64_t i = 0; i < batch * 4; ++i)
    mismatches += r1[i] != a[i];
  return mismatches;
}

int main(void) {
  for (int64_t batch = 1; batch <= 9; batch += 4)
    printf("batch %d: %d mismatches\n", (int)batch, checkBatch(batch));
  float a[2 * 4] = {0}, w[4 * 3] = {0}, r0[2 * 3], r1[2 * 4];
  int64_t sizes0[2] = {0, 0};
  /* A buffer too small for result 0: -1, its sizes still reported. */
  printf("small buffer: %d, sizes %d x %d\n",
         f(a, 2, w, r0, 5, sizes0, r1, 8, NULL), (int)sizes0[0],
         (int)sizes0[1]);
  /* Two dynamic sizes that the function's matmul needs equal. */
  float x[3 * 4] = {0}, y[3 * 2] = {0}, out[3 * 2];
  printf("group ok: %d\n", dynamic_group(x, 3, y, 3, out, 6, NULL));
  printf("group mismatch: %d\n", dynamic_group(x, 3, y, 2, out, 6, NULL));
  return 0;
}
