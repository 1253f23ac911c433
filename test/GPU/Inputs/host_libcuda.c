/*===- host_libcuda.c - A CUDA driver whose "device" is host memory -------===*
 *
 * Part of the trop project.
 *
 *===----------------------------------------------------------------------===*
 *
 * A stand-in for libcuda.so.1 that lets the host side of the GPU pipeline
 * run to the end on a machine without a GPU: there is one device, memory
 * is host memory (cuMemAlloc is malloc, cuMemcpyAsync is memcpy), modules,
 * functions, streams and events are dummy handles, and elapsed times are 0.
 * Kernels do not run: cuLaunchKernel returns $STUB_LAUNCH_RESULT (default
 * 0, success without doing anything; 719 is CUDA_ERROR_LAUNCH_FAILED).
 * What it tests is everything around the kernels: that trop-run, Python and
 * AOT programs stage their buffers, launch, copy back, time and report the
 * driver's errors.
 *
 *===----------------------------------------------------------------------===*/

#include <stdlib.h>
#include <string.h>

static char handle;

static int ok(void **out) {
  if (out)
    *out = &handle;
  return 0;
}

int cuInit(unsigned flags) {
  (void)flags;
  return 0;
}
int cuGetErrorName(int result, const char **name) {
  *name = result == 719 ? "CUDA_ERROR_LAUNCH_FAILED" : "CUDA_ERROR_STUB";
  return 0;
}
int cuDeviceGet(int *device, int ordinal) {
  *device = ordinal;
  return 0;
}
int cuDevicePrimaryCtxRetain(void **context, int device) {
  (void)device;
  return ok(context);
}
int cuModuleLoadData(void **module, const void *image) {
  (void)image;
  return ok(module);
}
int cuModuleLoadDataEx(void **module, const void *image, unsigned n,
                       int *options, void **values) {
  (void)image, (void)n, (void)options, (void)values;
  return ok(module);
}
int cuModuleUnload(void *module) {
  (void)module;
  return 0;
}
int cuModuleGetFunction(void **function, void *module, const char *name) {
  (void)module, (void)name;
  return ok(function);
}
int cuLaunchKernel(void *f, unsigned gx, unsigned gy, unsigned gz, unsigned bx,
                   unsigned by, unsigned bz, unsigned smem, void *stream,
                   void **params, void **extra) {
  (void)f, (void)gx, (void)gy, (void)gz, (void)bx, (void)by, (void)bz;
  (void)smem, (void)stream, (void)params, (void)extra;
  const char *value = getenv("STUB_LAUNCH_RESULT");
  return value ? atoi(value) : 0;
}
int cuStreamCreate(void **stream, unsigned flags) {
  (void)flags;
  return ok(stream);
}
int cuEventCreate(void **event, unsigned flags) {
  (void)flags;
  return ok(event);
}
int cuEventElapsedTime(float *ms, void *start, void *end) {
  (void)start, (void)end;
  *ms = 0;
  return 0;
}
/* Handles in, nothing to do (the runtime passes at most these three
 * arguments; the ones it does not pass are never read). */
#define NOOP(name)                                                             \
  int name(void *a, void *b, unsigned c) {                                     \
    (void)a, (void)b, (void)c;                                                 \
    return 0;                                                                  \
  }
NOOP(cuCtxPushCurrent_v2)
NOOP(cuCtxPopCurrent_v2)
NOOP(cuStreamDestroy_v2)
NOOP(cuStreamSynchronize)
NOOP(cuStreamWaitEvent)
NOOP(cuEventDestroy_v2)
NOOP(cuEventSynchronize)
NOOP(cuEventRecord)
NOOP(cuMemHostRegister_v2)
NOOP(cuMemHostUnregister)

int cuMemAlloc_v2(unsigned long long *pointer, size_t bytes) {
  *pointer = (unsigned long long)malloc(bytes);
  return *pointer ? 0 : 2; /* CUDA_ERROR_OUT_OF_MEMORY */
}
int cuMemAllocManaged(unsigned long long *pointer, size_t bytes,
                      unsigned flags) {
  (void)flags;
  return cuMemAlloc_v2(pointer, bytes);
}
int cuMemFree_v2(unsigned long long pointer) {
  free((void *)pointer);
  return 0;
}
int cuMemcpyAsync(unsigned long long dst, unsigned long long src, size_t bytes,
                  void *stream) {
  (void)stream;
  memcpy((void *)dst, (const void *)src, bytes);
  return 0;
}
int cuMemsetD32Async(unsigned long long dst, unsigned value, size_t count,
                     void *stream) {
  (void)stream;
  for (size_t i = 0; i < count; ++i)
    ((unsigned *)dst)[i] = value;
  return 0;
}
int cuMemsetD16Async(unsigned long long dst, unsigned short value, size_t count,
                     void *stream) {
  (void)stream;
  for (size_t i = 0; i < count; ++i)
    ((unsigned short *)dst)[i] = value;
  return 0;
}

/* The device's compute capability: $STUB_COMPUTE_CAPABILITY as 10·major +
 * minor (80 for sm_80); unset, the attribute query fails and the runtime
 * skips its check of the PTX's target. */
int cuDeviceGetAttribute(int *value, int attribute, int device) {
  (void)device;
  const char *cc = getenv("STUB_COMPUTE_CAPABILITY");
  if (!cc || (attribute != 75 && attribute != 76))
    return 1;
  *value = attribute == 75 ? atoi(cc) / 10 : atoi(cc) % 10;
  return 0;
}
