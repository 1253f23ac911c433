/*===- aot_gpu_main.c - A C program calling a GPU-compiled trop model ----===*
 *
 * Part of the trop project.
 *
 *===----------------------------------------------------------------------===*
 *
 * Calls @mm of matmul.mlir, compiled by `trop-compile --pipeline gpu` and
 * linked with libTropCudaRuntime only, and prints whether the GPU ran it
 * (or why not) and whether the result still holds C, which is what a
 * driver whose kernels do nothing (host_libcuda.c) leaves there.
 *
 *===----------------------------------------------------------------------===*/

#include "mm.h"

#include <stdio.h>

int main(void) {
  static float a[33 * 7], b[7 * 5], c[33 * 5], result[33 * 5];
  for (int i = 0; i < 33 * 7; ++i)
    a[i] = (float)(i % 13) - 6.0f;
  for (int i = 0; i < 7 * 5; ++i)
    b[i] = (float)(i % 7) - 3.0f;
  for (int i = 0; i < 33 * 5; ++i)
    c[i] = (float)(i % 5) - 100.0f;
  printf("available: %s\n", tropCudaAvailable() ? "yes" : "no");
  if (mm(a, b, c, result) != 0) {
    printf("mm failed: %s\n", tropCudaLastError());
    return 1;
  }
  int unchanged = 0;
  for (int i = 0; i < 33 * 5; ++i)
    unchanged += result[i] == c[i];
  printf("mm ran: %d of %d elements hold C\n", unchanged, 33 * 5);
  return 0;
}
