// fma_ceiling: the per-core ceiling of a linear GEMM update (c += a * b) on
// this CPU.
//
// The counterpart of ../shared/tools/maxplus_ceiling.c for the linear kernels:
// a register-tiled micro-kernel on packed panels that stay in L1 runs the
// instruction mix any FMA GEMM (or implicit-im2col convolution) must run: per
// reduction step, one broadcast per row and one fused multiply-add per
// accumulator vector. Its rate is what trop's linear conv rows are divided by
// (bench/linear.py).
//
// The tile follows the vector ISA the probe is compiled for (-march=native
// picks it), the same shapes as trop's GEMM (docs/cpu-pipeline.md):
//   AVX-512: 12 rows x 2 zmm vectors (24 accumulators of 32 registers)
//   AVX2   :  6 rows x 2 ymm vectors (12 accumulators of 16 registers)
//
// Build: cc -O2 -march=native -pthread fma_ceiling.c -o fma_ceiling
// Run:   ./fma_ceiling [threads]  -> a header line, then one line per element
// type:
//        isa=avx512 mr=12 nr_vectors=2 vector_bytes=64
//        ceiling type=f32 threads=1 gups=60.1   (giga multiply-adds per second,
//        all threads)
//        ... then the same as `ceiling-cpu` lines, by the threads' CPU time
#include <immintrin.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { KC = 256, REPS = 40000 };

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

/// CPU time of the calling thread: on a shared machine, the time the probe
/// actually ran, not the time it waited for a core.
static double threadCpuNow(void) {
  struct timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

typedef struct {
  double seconds;
  double cpuSeconds;
  double sink;
} Job;

// MR rows x 2 vectors of accumulators, KC steps over packed panels, repeated
// REPS times. The values stay small (a in {0, 1e-6}) so that no accumulator
// overflows or goes subnormal.
#define KERNEL(NAME, T, V, LANES, BCAST, LOAD, FMA)                            \
  static void *NAME(void *arg) {                                               \
    Job *job = arg;                                                            \
    T *a = aligned_alloc(64, sizeof(T) * MR * KC);                             \
    T *b = aligned_alloc(64, sizeof(T) * 2 * LANES * KC);                      \
    for (int i = 0; i < MR * KC; i++)                                          \
      a[i] = (T)((i % 7) * 1e-6);                                              \
    for (int i = 0; i < 2 * LANES * KC; i++)                                   \
      b[i] = (T)(i % 5);                                                       \
    V c0[MR], c1[MR];                                                          \
    for (int i = 0; i < MR; i++)                                               \
      c0[i] = c1[i] = BCAST((T)1);                                             \
    double t0 = now(), c0t = threadCpuNow();                                   \
    for (int r = 0; r < REPS; r++) {                                           \
      const T *ap = a;                                                         \
      const T *bp = b;                                                         \
      for (int k = 0; k < KC; k++, ap += MR, bp += 2 * LANES) {                \
        V b0 = LOAD(bp), b1 = LOAD(bp + LANES);                                \
        _Pragma("GCC unroll 12") for (int i = 0; i < MR; i++) {                \
          V ai = BCAST(ap[i]);                                                 \
          c0[i] = FMA(ai, b0, c0[i]);                                          \
          c1[i] = FMA(ai, b1, c1[i]);                                          \
        }                                                                      \
      }                                                                        \
      __asm__ volatile("" ::: "memory");                                       \
    }                                                                          \
    job->seconds = now() - t0;                                                 \
    job->cpuSeconds = threadCpuNow() - c0t;                                    \
    double s = 0;                                                              \
    for (int i = 0; i < MR; i++) {                                             \
      T l0[LANES] __attribute__((aligned(64))),                                \
          l1[LANES] __attribute__((aligned(64)));                              \
      memcpy(l0, &c0[i], sizeof(V));                                           \
      memcpy(l1, &c1[i], sizeof(V));                                           \
      for (int l = 0; l < LANES; l++)                                          \
        s += (double)l0[l] + (double)l1[l];                                    \
    }                                                                          \
    job->sink = s;                                                             \
    free(a);                                                                   \
    free(b);                                                                   \
    return NULL;                                                               \
  }

// The ISA picks the register width and the intrinsics' prefix.
#if defined(__AVX512F__)
#define ISA "avx512"
#define VBYTES 64
#define MM(op) _mm512_##op
typedef __m512 VF;
typedef __m512d VD;
enum { MR = 12 };
#elif defined(__AVX2__) && defined(__FMA__)
#define ISA "avx2"
#define VBYTES 32
#define MM(op) _mm256_##op
typedef __m256 VF;
typedef __m256d VD;
enum { MR = 6 };
#else
#error "fma_ceiling needs AVX2 with FMA or AVX-512 (build with -march=native)"
#endif

KERNEL(run_f32, float, VF, VBYTES / 4, MM(set1_ps), MM(load_ps), MM(fmadd_ps))
KERNEL(run_f64, double, VD, VBYTES / 8, MM(set1_pd), MM(load_pd), MM(fmadd_pd))

// Runs `fn` on `threads` threads at once; returns G multiply-adds per second,
// all together, by wall time, and in `perCpu` by the slowest thread's CPU
// time.
static double measure(void *(*fn)(void *), int threads, int lanes,
                      double *perCpu) {
  pthread_t tid[256];
  Job jobs[256];
  for (int t = 0; t < threads; t++)
    pthread_create(&tid[t], NULL, fn, &jobs[t]);
  double worst = 0, worstCpu = 0, sink = 0;
  for (int t = 0; t < threads; t++) {
    pthread_join(tid[t], NULL);
    if (jobs[t].seconds > worst)
      worst = jobs[t].seconds;
    if (jobs[t].cpuSeconds > worstCpu)
      worstCpu = jobs[t].cpuSeconds;
    sink += jobs[t].sink;
  }
  if (sink == 12345.678)
    printf("#"); // keep the result alive
  double updates = (double)threads * REPS * KC * MR * 2 * lanes;
  *perCpu = updates / worstCpu / 1e9;
  return updates / worst / 1e9;
}

int main(int argc, char **argv) {
  int threads = argc > 1 ? atoi(argv[1]) : 1;
  if (threads < 1 || threads > 256)
    threads = 1;
  printf("isa=%s mr=%d nr_vectors=2 vector_bytes=%d\n", ISA, MR, VBYTES);
  double cpu32, cpu64;
  double wall32 = measure(run_f32, threads, VBYTES / 4, &cpu32);
  double wall64 = measure(run_f64, threads, VBYTES / 8, &cpu64);
  printf("ceiling type=f32 threads=%d gups=%.2f\n", threads, wall32);
  printf("ceiling type=f64 threads=%d gups=%.2f\n", threads, wall64);
  // The same runs by thread CPU time (after the wall-time lines, which the
  // benchmarks' parsers read first).
  printf("ceiling-cpu type=f32 threads=%d gups=%.2f\n", threads, cpu32);
  printf("ceiling-cpu type=f64 threads=%d gups=%.2f\n", threads, cpu64);
  return 0;
}
