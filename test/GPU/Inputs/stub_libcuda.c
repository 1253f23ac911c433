/*===- stub_libcuda.c - A CUDA driver stand-in for runtime tests ---------===*
 *
 * Part of the trop project.
 *
 *===----------------------------------------------------------------------===*
 *
 * Exports the driver functions libTropCudaRuntime loads. cuInit returns
 * $STUB_INIT_RESULT (default 100, CUDA_ERROR_NO_DEVICE); the context calls
 * succeed; every other call returns $STUB_CALL_RESULT (default 218,
 * CUDA_ERROR_INVALID_PTX), so that each entry point's error path runs.
 * Built with -DSTUB_MISSING_JIT it lacks cuModuleLoadDataEx.
 *
 *===----------------------------------------------------------------------===*/

#include <stdlib.h>

static int envResult(const char *name, int fallback) {
  const char *value = getenv(name);
  return value ? atoi(value) : fallback;
}

int cuInit(unsigned flags) {
  (void)flags;
  return envResult("STUB_INIT_RESULT", 100);
}

int cuGetErrorName(int result, const char **name) {
  *name = result == 100   ? "CUDA_ERROR_NO_DEVICE"
          : result == 218 ? "CUDA_ERROR_INVALID_PTX"
                          : "CUDA_ERROR_STUB";
  return 0;
}

int cuDeviceGet(int *device, int ordinal) {
  *device = ordinal;
  return 0;
}
int cuDevicePrimaryCtxRetain(void **context, int device) {
  (void)device;
  *context = (void *)context;
  return 0;
}
int cuCtxPushCurrent_v2(void *context) {
  (void)context;
  return 0;
}
int cuCtxPopCurrent_v2(void **context) {
  (void)context;
  return 0;
}

/* Every other function: the configured failure. */
#define STUB(name)                                                             \
  int name(void) { return envResult("STUB_CALL_RESULT", 218); }
STUB(cuModuleLoadData)
#ifndef STUB_MISSING_JIT
STUB(cuModuleLoadDataEx)
#endif
STUB(cuModuleUnload)
STUB(cuModuleGetFunction)
STUB(cuLaunchKernel)
STUB(cuStreamCreate)
STUB(cuStreamDestroy_v2)
STUB(cuStreamSynchronize)
STUB(cuStreamWaitEvent)
STUB(cuEventCreate)
STUB(cuEventDestroy_v2)
STUB(cuEventSynchronize)
STUB(cuEventRecord)
STUB(cuEventElapsedTime)
STUB(cuMemAlloc_v2)
STUB(cuMemAllocManaged)
STUB(cuMemFree_v2)
STUB(cuMemcpyAsync)
STUB(cuMemsetD32Async)
STUB(cuMemsetD16Async)
STUB(cuMemHostRegister_v2)
STUB(cuMemHostUnregister)
