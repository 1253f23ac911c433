// Baseline: the naive i-k-j max-plus loop, C[i][j] = max(C[i][j], A[i][k] +
// B[k][j]), f32. Built by bench/bench.py with `clang-22 -O3 -march=native`;
// times `reps` calls with clock_gettime after one warm-up call and prints the
// median. Usage: naive_maxplus M N K REPS Prints: naive M=.. N=.. K=.. reps=..
// median_ms=.. min_ms=.. gups=.. checksum=..
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

static uint64_t state = 0x9E3779B97F4A7C15ull;
static float uniform(void) { // splitmix64 -> [-10, 10)
  uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  z ^= z >> 31;
  return (float)((z >> 11) * 0x1.0p-53 * 20.0 - 10.0);
}

__attribute__((noinline)) static void maxplus(long M, long N, long K,
                                              const float *restrict A,
                                              const float *restrict B,
                                              float *restrict C) {
  for (long i = 0; i < M; i++)
    for (long k = 0; k < K; k++) {
      float a = A[i * K + k];
      for (long j = 0; j < N; j++)
        C[i * N + j] = fmaxf(C[i * N + j], a + B[k * N + j]);
    }
}

static int cmp(const void *x, const void *y) {
  double a = *(const double *)x, b = *(const double *)y;
  return (a > b) - (a < b);
}

int main(int argc, char **argv) {
  if (argc != 5) {
    fprintf(stderr, "usage: %s M N K REPS\n", argv[0]);
    return 2;
  }
  long M = atol(argv[1]), N = atol(argv[2]), K = atol(argv[3]);
  int reps = atoi(argv[4]);
  if (M <= 0 || N <= 0 || K <= 0 || reps <= 0 || reps > 1000)
    return 2;
  float *A = malloc(sizeof(float) * M * K), *B = malloc(sizeof(float) * K * N),
        *C = malloc(sizeof(float) * M * N);
  if (!A || !B || !C)
    return 3;
  for (long i = 0; i < M * K; i++)
    A[i] = uniform();
  for (long i = 0; i < K * N; i++)
    B[i] = uniform();
  for (long i = 0; i < M * N; i++)
    C[i] = uniform();
  double *t = malloc(sizeof(double) * reps);
  maxplus(M, N, K, A, B, C); // warm-up
  for (int r = 0; r < reps; r++) {
    double t0 = now();
    maxplus(M, N, K, A, B, C);
    t[r] = now() - t0;
  }
  qsort(t, reps, sizeof(double), cmp);
  double median =
      reps % 2 ? t[reps / 2] : 0.5 * (t[reps / 2 - 1] + t[reps / 2]);
  double sum = 0;
  for (long i = 0; i < M * N; i++)
    sum += C[i];
  printf("naive M=%ld N=%ld K=%ld reps=%d median_ms=%.4f min_ms=%.4f gups=%.4f "
         "checksum=%.6g\n",
         M, N, K, reps, median * 1e3, t[0] * 1e3,
         (double)M * N * K / median / 1e9, sum);
  return 0;
}
