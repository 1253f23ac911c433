/*===- runtime_client.c - Calls every entry point of the GPU runtime -----===*
 *
 * Part of the trop project.
 *
 *===----------------------------------------------------------------------===*
 *
 * Calls each mgpu* function of libTropCudaRuntime as MLIR's host code would
 * and requires that each one without a usable driver returns a null handle
 * (and does not crash); prints tropCudaLastError after each call.
 *
 *===----------------------------------------------------------------------===*/

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

bool tropCudaAvailable(void);
const char *tropCudaLastError(void);
void *mgpuModuleLoad(void *data, size_t size);
void *mgpuModuleLoadJIT(void *data, int optLevel);
void mgpuModuleUnload(void *module);
void *mgpuModuleGetFunction(void *module, const char *name);
void mgpuLaunchKernel(void *function, intptr_t gx, intptr_t gy, intptr_t gz,
                      intptr_t bx, intptr_t by, intptr_t bz, int32_t smem,
                      void *stream, void **params, void **extra, size_t n);
void *mgpuStreamCreate(void);
void mgpuStreamSynchronize(void *stream);
void mgpuStreamDestroy(void *stream);
void *mgpuEventCreate(void);
void mgpuEventRecord(void *event, void *stream);
void mgpuEventSynchronize(void *event);
void mgpuEventDestroy(void *event);
void *mgpuMemAlloc(uint64_t bytes, void *stream, bool hostShared);
void mgpuMemcpy(void *dst, void *src, size_t bytes, void *stream);
void mgpuMemset32(void *dst, unsigned value, size_t count, void *stream);
void mgpuMemFree(void *pointer, void *stream);
void mgpuMemHostRegister(void *pointer, uint64_t bytes);

static int nonNull = 0;

static void check(const char *entry, const void *result) {
  if (result)
    ++nonNull;
  printf("%s -> %s | %s\n", entry, result ? "handle" : "null",
         tropCudaLastError());
}

int main(void) {
  static const char ptx[] = ".version 8.0\n.target sm_90\n";
  int data[4] = {0};
  /* The error string lives until the next call: ask for it afterwards. */
  bool available = tropCudaAvailable();
  printf("available: %s | %s\n", available ? "yes" : "no", tropCudaLastError());
  void *module = mgpuModuleLoadJIT((void *)ptx, 2);
  check("mgpuModuleLoadJIT", module);
  check("mgpuModuleLoad", mgpuModuleLoad((void *)ptx, sizeof(ptx)));
  void *function = mgpuModuleGetFunction(module, "f_kernel");
  check("mgpuModuleGetFunction", function);
  void *stream = mgpuStreamCreate();
  check("mgpuStreamCreate", stream);
  void *params[] = {data};
  mgpuLaunchKernel(function, 1, 1, 1, 256, 1, 1, 0, stream, params, NULL, 1);
  check("mgpuLaunchKernel", NULL);
  mgpuStreamSynchronize(stream);
  check("mgpuStreamSynchronize", NULL);
  void *event = mgpuEventCreate();
  check("mgpuEventCreate", event);
  mgpuEventRecord(event, stream);
  check("mgpuEventRecord", NULL);
  void *device = mgpuMemAlloc(sizeof(data), stream, false);
  check("mgpuMemAlloc", device);
  check("mgpuMemAlloc(host-shared)", mgpuMemAlloc(sizeof(data), stream, true));
  mgpuMemcpy(device, data, sizeof(data), stream);
  check("mgpuMemcpy", NULL);
  mgpuMemset32(device, 0, 4, stream);
  check("mgpuMemset32", NULL);
  mgpuMemHostRegister(data, sizeof(data));
  check("mgpuMemHostRegister", NULL);
  mgpuMemFree(device, stream);
  mgpuEventDestroy(event);
  mgpuStreamDestroy(stream);
  mgpuModuleUnload(module);
  printf("entry points returned %d handles\n", nonNull);
  return 0;
}
