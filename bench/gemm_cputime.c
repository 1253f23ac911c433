// gemm_cputime: a trop GEMM compiled by trop-compile against the ceiling
// probe, in CPU time, in one process (bench/gemm_cputime.py builds it).
//
// On a machine shared with other work, wall time measures the load as much
// as the kernel. This driver times both sides with the CPU-time clocks (the
// calling thread's with 1 thread; the whole process's with more, which then
// counts OpenMP's waiting too) and alternates them: each round runs the
// kernel for about 0.15 G updates, then the probe's kernel of the same
// element type (maxplus_ceiling.c, included with its clock switched to CPU
// time by the script), and the best round of each is printed.
//
// Built with -DKERNEL_HEADER="kern.h" -DT=float|double -DPROBE=run_f32|run_f64
// -DMM=.. -DNN=.. -DKK=..; run: ./gemm_cputime ROUNDS THREADS.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include KERNEL_HEADER
#define main probe_main
#include "probe_cputime.c"
#undef main

static double cpuSeconds(int process) {
  struct timespec t;
  clock_gettime(process ? CLOCK_PROCESS_CPUTIME_ID : CLOCK_THREAD_CPUTIME_ID,
                &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
  int rounds = argc > 1 ? atoi(argv[1]) : 8;
  int threads = argc > 2 ? atoi(argv[2]) : 1;
  T *a = aligned_alloc(64, sizeof(T) * (size_t)MM * KK + 64);
  T *b = aligned_alloc(64, sizeof(T) * (size_t)KK * NN + 64);
  T *c = aligned_alloc(64, sizeof(T) * (size_t)MM * NN + 64);
  for (size_t i = 0; i < (size_t)MM * KK; i++)
    a[i] = (T)((i * 7919) % 1000) / 100;
  for (size_t i = 0; i < (size_t)KK * NN; i++)
    b[i] = (T)((i * 104729) % 1000) / 100;
  for (size_t i = 0; i < (size_t)MM * NN; i++)
    c[i] = -1000;
  double updates = (double)MM * NN * KK;
  int calls = (int)(1.5e8 / (updates + 1)) + 1;
  bench(a, b, c); // warm-up: page faults, OpenMP's threads
  double best = 0, bestProbe = 0;
  for (int r = 0; r < rounds; r++) {
    double t0 = cpuSeconds(threads > 1);
    for (int i = 0; i < calls; i++)
      bench(a, b, c);
    double seconds = cpuSeconds(threads > 1) - t0;
    // All threads together: updates per CPU second times the threads.
    double rate = updates * calls / seconds / 1e9 * threads;
    if (rate > best)
      best = rate;
    Job job;
    memset(&job, 0, sizeof job);
    PROBE(&job);
    double probe = (double)REPS * KC * MR * 2.0 * (VBYTES / sizeof(T)) /
                   job.seconds / 1e9 * threads;
    if (probe > bestProbe)
      bestProbe = probe;
  }
  printf("cputime %dx%dx%d threads=%d trop=%.2f probe=%.2f ratio=%.1f%%\n", MM,
         NN, KK, threads, best, bestProbe, 100 * best / bestProbe);
  free(a);
  free(b);
  free(c);
  return 0;
}
