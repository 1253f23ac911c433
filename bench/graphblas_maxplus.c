// Baseline: SuiteSparse:GraphBLAS GrB_mxm with GrB_MAX_PLUS_SEMIRING_FP32 on
// full (dense) matrices, accumulating into C with GrB_MAX_FP32 (C = max(C, A
// max.+ B), the trop.matmul semantics). Built by bench/bench.py with `cc -O2
// ... -lgraphblas`; times only the mxm (plus the GrB_wait that finishes it)
// over `reps` calls after one warm-up call, prints the median, and checks a few
// entries of the warm-up result against a plain loop. Usage: graphblas_maxplus
// M N K REPS THREADS Prints: graphblas M=.. N=.. K=.. threads=.. reps=..
// median_ms=.. min_ms=.. gups=.. sparsity=..
#include <GraphBLAS.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define OK(call)                                                               \
  do {                                                                         \
    GrB_Info info_ = (call);                                                   \
    if (info_ != GrB_SUCCESS) {                                                \
      fprintf(stderr, "graphblas_maxplus: %s failed: %d\n", #call,             \
              (int)info_);                                                     \
      return 1;                                                                \
    }                                                                          \
  } while (0)

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

static int cmp(const void *x, const void *y) {
  double a = *(const double *)x, b = *(const double *)y;
  return (a > b) - (a < b);
}

static int full_matrix(GrB_Matrix *A, GrB_Index rows, GrB_Index cols,
                       float *copy) {
  float *x = malloc(sizeof(float) * rows * cols);
  if (!x)
    return 1;
  for (GrB_Index i = 0; i < rows * cols; i++)
    copy[i] = x[i] = uniform();
  OK(GrB_Matrix_new(A, GrB_FP32, rows, cols));
  void *p = x;
  OK(GxB_Matrix_pack_FullR(*A, &p, sizeof(float) * rows * cols, false, NULL));
  return 0;
}

int main(int argc, char **argv) {
  if (argc != 6) {
    fprintf(stderr, "usage: %s M N K REPS THREADS\n", argv[0]);
    return 2;
  }
  GrB_Index M = atol(argv[1]), N = atol(argv[2]), K = atol(argv[3]);
  int reps = atoi(argv[4]), threads = atoi(argv[5]);
  if (M == 0 || N == 0 || K == 0 || reps <= 0 || reps > 1000 || threads <= 0)
    return 2;
  OK(GrB_init(GrB_NONBLOCKING));
  OK(GxB_set(GxB_NTHREADS, threads));
  float *a = malloc(sizeof(float) * M * K), *b = malloc(sizeof(float) * K * N),
        *c = malloc(sizeof(float) * M * N);
  if (!a || !b || !c)
    return 3;
  GrB_Matrix A, B, C;
  if (full_matrix(&A, M, K, a) || full_matrix(&B, K, N, b) ||
      full_matrix(&C, M, N, c))
    return 1;

  double *t = malloc(sizeof(double) * (reps + 1));
  for (int r = 0; r <= reps; r++) { // r == 0 is the warm-up
    double t0 = now();
    OK(GrB_mxm(C, NULL, GrB_MAX_FP32, GrB_MAX_PLUS_SEMIRING_FP32, A, B, NULL));
    OK(GrB_Matrix_wait(C, GrB_MATERIALIZE));
    t[r] = now() - t0;
  }
  // Spot-check rows 0 and M-1 against a plain loop (all reps give the same C).
  GrB_Index rows[2] = {0, M - 1};
  for (int ri = 0; ri < 2; ri++)
    for (GrB_Index j = 0; j < N; j += (N > 64 ? N / 64 : 1)) {
      GrB_Index i = rows[ri];
      float want = c[i * N + j];
      for (GrB_Index k = 0; k < K; k++)
        want = fmaxf(want, a[i * K + k] + b[k * N + j]);
      float got;
      OK(GrB_Matrix_extractElement_FP32(&got, C, i, j));
      if (got != want) {
        fprintf(stderr, "graphblas_maxplus: C(%lu,%lu) = %g, expected %g\n",
                (unsigned long)i, (unsigned long)j, got, want);
        return 4;
      }
    }
  int sparsity = 0;
  OK(GxB_Matrix_Option_get(C, GxB_SPARSITY_STATUS, &sparsity));
  qsort(t + 1, reps, sizeof(double), cmp);
  double median =
      reps % 2 ? t[1 + reps / 2] : 0.5 * (t[reps / 2] + t[1 + reps / 2]);
  printf("graphblas M=%lu N=%lu K=%lu threads=%d reps=%d median_ms=%.4f "
         "min_ms=%.4f gups=%.4f "
         "sparsity=%d\n",
         (unsigned long)M, (unsigned long)N, (unsigned long)K, threads, reps,
         median * 1e3, t[1] * 1e3, (double)M * N * K / median / 1e9, sparsity);
  GrB_free(&A);
  GrB_free(&B);
  GrB_free(&C);
  GrB_finalize();
  return 0;
}
