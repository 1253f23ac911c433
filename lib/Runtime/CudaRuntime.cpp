//===- CudaRuntime.cpp - mgpu* functions over a dlopen'd CUDA driver ------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// The functions that MLIR's host-side GPU lowering (gpu-to-llvm) calls, over
// the CUDA driver API loaded at run time with dlopen("libcuda.so.1") (or the
// file named by TROP_CUDA_DRIVER), so that trop builds and its tests run on
// machines with no CUDA toolkit and no GPU. PTX modules are loaded with the
// driver's JIT.
//
// Failure policy: no entry point ever crashes or aborts. When the driver is
// missing, lacks a function, has no device, or a call fails, the entry point
// prints one line `trop-cuda-runtime: error: ...` to standard error, records
// it (tropCudaLastError), and returns a null handle (or does nothing). The
// first failure to load the driver is remembered: later calls report it
// again without retrying.
//
// Only C types are used: the driver's handles are opaque pointers and its
// status codes ints, so no CUDA header is needed.
//
//===----------------------------------------------------------------------===//

#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#define TROP_RUNTIME_EXPORT extern "C" __attribute__((visibility("default")))

namespace {

using CUresult = int;
using CUdevice = int;
using CUcontext = void *;
using CUmodule = void *;
using CUfunction = void *;
using CUstream = void *;
using CUevent = void *;
using CUdeviceptr = unsigned long long;

constexpr CUresult kSuccess = 0;
/// CU_JIT_* option numbers of cuModuleLoadDataEx (cuda.h's CUjit_option).
constexpr int kJitErrorLogBuffer = 5, kJitErrorLogBufferSize = 6,
              kJitOptimizationLevel = 7;
/// CU_MEM_ATTACH_GLOBAL, for managed (host-shared) allocations.
constexpr unsigned kMemAttachGlobal = 1;

/// The driver functions trop uses, by the names the driver exports.
#define TROP_CUDA_FUNCTIONS(X)                                                 \
  X(cuInit, CUresult, unsigned)                                                \
  X(cuGetErrorName, CUresult, CUresult, const char **)                         \
  X(cuDeviceGet, CUresult, CUdevice *, int)                                    \
  X(cuDevicePrimaryCtxRetain, CUresult, CUcontext *, CUdevice)                 \
  X(cuCtxPushCurrent_v2, CUresult, CUcontext)                                  \
  X(cuCtxPopCurrent_v2, CUresult, CUcontext *)                                 \
  X(cuModuleLoadData, CUresult, CUmodule *, const void *)                      \
  X(cuModuleLoadDataEx, CUresult, CUmodule *, const void *, unsigned, int *,   \
    void **)                                                                   \
  X(cuModuleUnload, CUresult, CUmodule)                                        \
  X(cuModuleGetFunction, CUresult, CUfunction *, CUmodule, const char *)       \
  X(cuLaunchKernel, CUresult, CUfunction, unsigned, unsigned, unsigned,        \
    unsigned, unsigned, unsigned, unsigned, CUstream, void **, void **)        \
  X(cuStreamCreate, CUresult, CUstream *, unsigned)                            \
  X(cuStreamDestroy_v2, CUresult, CUstream)                                    \
  X(cuStreamSynchronize, CUresult, CUstream)                                   \
  X(cuStreamWaitEvent, CUresult, CUstream, CUevent, unsigned)                  \
  X(cuEventCreate, CUresult, CUevent *, unsigned)                              \
  X(cuEventDestroy_v2, CUresult, CUevent)                                      \
  X(cuEventSynchronize, CUresult, CUevent)                                     \
  X(cuEventRecord, CUresult, CUevent, CUstream)                                \
  X(cuEventElapsedTime, CUresult, float *, CUevent, CUevent)                   \
  X(cuMemAlloc_v2, CUresult, CUdeviceptr *, size_t)                            \
  X(cuMemAllocManaged, CUresult, CUdeviceptr *, size_t, unsigned)              \
  X(cuMemFree_v2, CUresult, CUdeviceptr)                                       \
  X(cuMemcpyAsync, CUresult, CUdeviceptr, CUdeviceptr, size_t, CUstream)       \
  X(cuMemsetD32Async, CUresult, CUdeviceptr, unsigned, size_t, CUstream)       \
  X(cuMemsetD16Async, CUresult, CUdeviceptr, unsigned short, size_t, CUstream) \
  X(cuMemHostRegister_v2, CUresult, void *, size_t, unsigned)                  \
  X(cuMemHostUnregister, CUresult, void *)

/// The loaded driver: a function pointer per driver function, and the
/// primary context of device 0 (or the one mgpuSetDefaultDevice chose).
struct Driver {
#define TROP_DECLARE(name, ret, ...) ret (*name)(__VA_ARGS__) = nullptr;
  TROP_CUDA_FUNCTIONS(TROP_DECLARE)
#undef TROP_DECLARE
  /// Optional (drivers without it, such as the test stubs, skip the check
  /// of the PTX's target against the device).
  CUresult (*cuDeviceGetAttribute)(int *, int, CUdevice) = nullptr;
  CUcontext context = nullptr;
  /// The device's compute capability as 10·major + minor (90 for sm_90),
  /// 0 where the driver cannot say.
  int computeCapability = 0;
  bool ready = false;
};

std::mutex mutex;
Driver driver;
/// Why the driver could not be loaded (empty: not tried or loaded).
std::string loadError;
std::string lastError;
int defaultDevice = 0;
/// Kernel timing (tropCudaTimeKernels): the start and end events recorded
/// around each launch since the last tropCudaTakeKernelMs.
bool timeKernels = false;
std::vector<std::pair<CUevent, CUevent>> kernelEvents;

/// Records and prints one error line.
void report(const char *format, ...) {
  char buffer[1024];
  va_list args;
  va_start(args, format);
  vsnprintf(buffer, sizeof(buffer), format, args);
  va_end(args);
  lastError = buffer;
  fprintf(stderr, "trop-cuda-runtime: error: %s\n", buffer);
}

/// Loads the driver and initialises device `defaultDevice` once; false (with
/// the reason reported) if that is impossible. Call with `mutex` held.
bool loadDriverLocked() {
  if (driver.ready)
    return true;
  if (!loadError.empty())
    return false;
  const char *path = getenv("TROP_CUDA_DRIVER");
  if (!path || !*path)
    path = "libcuda.so.1";
  void *handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char *why = dlerror();
    loadError = std::string("no CUDA driver (libcuda.so.1) found: cannot "
                            "load ") +
                path + " (" + (why ? why : "unknown reason") + ")";
    return false;
  }
  Driver loaded;
#define TROP_LOAD(name, ret, ...)                                              \
  loaded.name = reinterpret_cast<ret (*)(__VA_ARGS__)>(dlsym(handle, #name));  \
  if (!loaded.name) {                                                          \
    loadError = std::string("the CUDA driver ") + path + " has no " #name;     \
    return false;                                                              \
  }
  TROP_CUDA_FUNCTIONS(TROP_LOAD)
#undef TROP_LOAD
  auto fail = [&](const char *what, CUresult result) {
    const char *name = nullptr;
    if (loaded.cuGetErrorName(result, &name) != kSuccess || !name)
      name = "unknown error";
    // CUDA_ERROR_NO_DEVICE (100): the driver is there, the GPU is not.
    loadError = std::string(result == 100 ? "no CUDA device: " : "") +
                "CUDA driver: " + what + " failed: " + name + " (" +
                std::to_string(result) + ")";
    return false;
  };
  if (CUresult r = loaded.cuInit(0))
    return fail("cuInit", r);
  CUdevice device = 0;
  if (CUresult r = loaded.cuDeviceGet(&device, defaultDevice))
    return fail("cuDeviceGet", r);
  if (CUresult r = loaded.cuDevicePrimaryCtxRetain(&loaded.context, device))
    return fail("cuDevicePrimaryCtxRetain", r);
  loaded.cuDeviceGetAttribute =
      reinterpret_cast<CUresult (*)(int *, int, CUdevice)>(
          dlsym(handle, "cuDeviceGetAttribute"));
  // CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR (75) and _MINOR (76).
  int major = 0, minor = 0;
  if (loaded.cuDeviceGetAttribute &&
      loaded.cuDeviceGetAttribute(&major, 75, device) == kSuccess &&
      loaded.cuDeviceGetAttribute(&minor, 76, device) == kSuccess)
    loaded.computeCapability = 10 * major + minor;
  loaded.ready = true;
  driver = loaded;
  return true;
}

/// Runs `body` with the driver's context current, or reports why it cannot
/// and returns `onError`.
template <typename Result, typename Body>
Result withDriver(const char *entry, Result onError, Body body) {
  std::lock_guard<std::mutex> lock(mutex);
  if (!loadDriverLocked()) {
    report("%s: %s", entry, loadError.c_str());
    return onError;
  }
  if (CUresult r = driver.cuCtxPushCurrent_v2(driver.context)) {
    report("%s: cuCtxPushCurrent failed (%d)", entry, r);
    return onError;
  }
  Result result = body();
  driver.cuCtxPopCurrent_v2(nullptr);
  return result;
}

/// Reports a failed driver call of entry point `entry`; true if it failed.
bool failed(const char *entry, const char *call, CUresult result) {
  if (result == kSuccess)
    return false;
  const char *name = nullptr;
  if (driver.cuGetErrorName(result, &name) != kSuccess || !name)
    name = "unknown error";
  report("%s: %s failed: %s (%d)", entry, call, name, result);
  return true;
}

/// For the entry points that return nothing.
template <typename Body>
void withDriverVoid(const char *entry, Body body) {
  withDriver(entry, 0, [&] {
    body();
    return 0;
  });
}

} // namespace

/// Whether a CUDA driver and a device can be used; if not, the reason is in
/// tropCudaLastError. Prints nothing: for callers that check first.
TROP_RUNTIME_EXPORT bool tropCudaAvailable() {
  std::lock_guard<std::mutex> lock(mutex);
  if (loadDriverLocked())
    return true;
  lastError = loadError;
  return false;
}

/// The last error any entry point reported ("" if none), valid until the
/// next call of an entry point.
TROP_RUNTIME_EXPORT const char *tropCudaLastError() {
  return lastError.c_str();
}

/// Forgets the last error, so that a caller can tell whether the calls it
/// makes next fail.
TROP_RUNTIME_EXPORT void tropCudaClearError() {
  std::lock_guard<std::mutex> lock(mutex);
  lastError.clear();
}

/// Starts (true) or stops recording events around every kernel launch, for
/// tropCudaTakeKernelMs: benchmarks measure the kernels' device time, not
/// the copies the host code makes around them.
TROP_RUNTIME_EXPORT void tropCudaTimeKernels(bool on) {
  std::lock_guard<std::mutex> lock(mutex);
  timeKernels = on;
}

/// The device time in milliseconds of the kernels launched since the last
/// call while timing was on (each one's start to end event, summed; the
/// events are waited for and destroyed), or -1 if an event failed.
TROP_RUNTIME_EXPORT double tropCudaTakeKernelMs() {
  std::vector<std::pair<CUevent, CUevent>> events;
  {
    std::lock_guard<std::mutex> lock(mutex);
    events.swap(kernelEvents);
  }
  return withDriver("tropCudaTakeKernelMs", -1.0, [&] {
    double total = 0;
    for (auto [start, end] : events) {
      float ms = 0;
      if (failed("tropCudaTakeKernelMs", "cuEventSynchronize",
                 driver.cuEventSynchronize(end)) ||
          failed("tropCudaTakeKernelMs", "cuEventElapsedTime",
                 driver.cuEventElapsedTime(&ms, start, end)))
        total = -1;
      else if (total >= 0)
        total += ms;
      driver.cuEventDestroy_v2(start);
      driver.cuEventDestroy_v2(end);
    }
    return total;
  });
}

TROP_RUNTIME_EXPORT void mgpuSetDefaultDevice(int32_t device) {
  std::lock_guard<std::mutex> lock(mutex);
  defaultDevice = device;
}

TROP_RUNTIME_EXPORT CUmodule mgpuModuleLoad(void *data, size_t) {
  return withDriver("mgpuModuleLoad", CUmodule(), [&] {
    CUmodule module = nullptr;
    failed("mgpuModuleLoad", "cuModuleLoadData",
           driver.cuModuleLoadData(&module, data));
    return module;
  });
}

/// The `sm_NN` of PTX text's `.target` line as NN (90 for sm_90, 0 if
/// there is none). The suffixes of sm_90a and sm_100f do not matter here.
static int ptxTarget(const char *ptx) {
  const char *target = strstr(ptx, ".target sm_");
  if (!target)
    return 0;
  return atoi(target + strlen(".target sm_"));
}

/// Loads PTX text (null-terminated), which the driver compiles; its log is
/// printed on failure. MLIR 22's host code passes these two arguments. PTX
/// for a newer chip than the device is refused with a message naming both
/// (the driver would only say CUDA_ERROR_UNSUPPORTED_PTX_VERSION or
/// CUDA_ERROR_NO_BINARY_FOR_GPU).
TROP_RUNTIME_EXPORT CUmodule mgpuModuleLoadJIT(void *data, int optLevel) {
  return withDriver("mgpuModuleLoadJIT", CUmodule(), [&] {
    int target = ptxTarget(static_cast<const char *>(data));
    int device = driver.computeCapability;
    if (device && target > device) {
      report("mgpuModuleLoadJIT: the kernels were compiled for sm_%d, but "
             "device %d has compute capability %d.%d (sm_%d): compile them "
             "for it (trop-run/trop-compile --gpu-chip sm_%d, or the GPU "
             "pipeline's chip=sm_%d)",
             target, defaultDevice, device / 10, device % 10, device, device,
             device);
      return CUmodule();
    }
    char log[4096] = {0};
    int options[] = {kJitErrorLogBuffer, kJitErrorLogBufferSize,
                     kJitOptimizationLevel};
    void *values[] = {log, reinterpret_cast<void *>(sizeof(log)),
                      reinterpret_cast<void *>(intptr_t(optLevel))};
    CUmodule module = nullptr;
    if (failed("mgpuModuleLoadJIT", "cuModuleLoadDataEx",
               driver.cuModuleLoadDataEx(&module, data, 3, options, values)))
      fprintf(stderr, "trop-cuda-runtime: JIT log: %s\n", log);
    return module;
  });
}

TROP_RUNTIME_EXPORT void mgpuModuleUnload(CUmodule module) {
  withDriverVoid("mgpuModuleUnload", [&] {
    if (module)
      failed("mgpuModuleUnload", "cuModuleUnload",
             driver.cuModuleUnload(module));
  });
}

TROP_RUNTIME_EXPORT CUfunction mgpuModuleGetFunction(CUmodule module,
                                                     const char *name) {
  return withDriver("mgpuModuleGetFunction", CUfunction(), [&] {
    CUfunction function = nullptr;
    if (!module)
      report("mgpuModuleGetFunction: no module (loading it failed)");
    else
      failed("mgpuModuleGetFunction", "cuModuleGetFunction",
             driver.cuModuleGetFunction(&function, module, name));
    return function;
  });
}

TROP_RUNTIME_EXPORT void mgpuLaunchKernel(CUfunction function, intptr_t gridX,
                                          intptr_t gridY, intptr_t gridZ,
                                          intptr_t blockX, intptr_t blockY,
                                          intptr_t blockZ, int32_t smem,
                                          CUstream stream, void **params,
                                          void **extra, size_t) {
  withDriverVoid("mgpuLaunchKernel", [&] {
    if (!function)
      return report("mgpuLaunchKernel: no kernel (loading it failed)");
    CUevent start = nullptr, end = nullptr;
    if (timeKernels && (failed("mgpuLaunchKernel", "cuEventCreate",
                               driver.cuEventCreate(&start, 0)) ||
                        failed("mgpuLaunchKernel", "cuEventCreate",
                               driver.cuEventCreate(&end, 0)) ||
                        failed("mgpuLaunchKernel", "cuEventRecord",
                               driver.cuEventRecord(start, stream))))
      return;
    if (failed("mgpuLaunchKernel", "cuLaunchKernel",
               driver.cuLaunchKernel(function, gridX, gridY, gridZ, blockX,
                                     blockY, blockZ, smem, stream, params,
                                     extra)) ||
        !timeKernels)
      return;
    if (!failed("mgpuLaunchKernel", "cuEventRecord",
                driver.cuEventRecord(end, stream)))
      kernelEvents.emplace_back(start, end);
  });
}

TROP_RUNTIME_EXPORT CUstream mgpuStreamCreate() {
  return withDriver("mgpuStreamCreate", CUstream(), [&] {
    CUstream stream = nullptr;
    failed("mgpuStreamCreate", "cuStreamCreate",
           driver.cuStreamCreate(&stream, /*CU_STREAM_NON_BLOCKING=*/1));
    return stream;
  });
}

TROP_RUNTIME_EXPORT void mgpuStreamDestroy(CUstream stream) {
  withDriverVoid("mgpuStreamDestroy", [&] {
    if (stream)
      failed("mgpuStreamDestroy", "cuStreamDestroy",
             driver.cuStreamDestroy_v2(stream));
  });
}

TROP_RUNTIME_EXPORT void mgpuStreamSynchronize(CUstream stream) {
  withDriverVoid("mgpuStreamSynchronize", [&] {
    failed("mgpuStreamSynchronize", "cuStreamSynchronize",
           driver.cuStreamSynchronize(stream));
  });
}

TROP_RUNTIME_EXPORT void mgpuStreamWaitEvent(CUstream stream, CUevent event) {
  withDriverVoid("mgpuStreamWaitEvent", [&] {
    failed("mgpuStreamWaitEvent", "cuStreamWaitEvent",
           driver.cuStreamWaitEvent(stream, event, 0));
  });
}

TROP_RUNTIME_EXPORT CUevent mgpuEventCreate() {
  return withDriver("mgpuEventCreate", CUevent(), [&] {
    CUevent event = nullptr;
    failed("mgpuEventCreate", "cuEventCreate",
           driver.cuEventCreate(&event, /*CU_EVENT_DEFAULT=*/0));
    return event;
  });
}

TROP_RUNTIME_EXPORT void mgpuEventDestroy(CUevent event) {
  withDriverVoid("mgpuEventDestroy", [&] {
    if (event)
      failed("mgpuEventDestroy", "cuEventDestroy",
             driver.cuEventDestroy_v2(event));
  });
}

TROP_RUNTIME_EXPORT void mgpuEventSynchronize(CUevent event) {
  withDriverVoid("mgpuEventSynchronize", [&] {
    failed("mgpuEventSynchronize", "cuEventSynchronize",
           driver.cuEventSynchronize(event));
  });
}

TROP_RUNTIME_EXPORT void mgpuEventRecord(CUevent event, CUstream stream) {
  withDriverVoid("mgpuEventRecord", [&] {
    failed("mgpuEventRecord", "cuEventRecord",
           driver.cuEventRecord(event, stream));
  });
}

/// Milliseconds between two recorded events (for benchmarks), or -1.
TROP_RUNTIME_EXPORT float tropCudaEventElapsedMs(CUevent start, CUevent end) {
  return withDriver("tropCudaEventElapsedMs", -1.0f, [&] {
    float ms = -1.0f;
    if (failed("tropCudaEventElapsedMs", "cuEventElapsedTime",
               driver.cuEventElapsedTime(&ms, start, end)))
      return -1.0f;
    return ms;
  });
}

/// Device memory, or managed memory (reachable from the host too) when
/// `isHostShared`; null on failure.
TROP_RUNTIME_EXPORT void *mgpuMemAlloc(uint64_t sizeBytes, CUstream,
                                       bool isHostShared) {
  return withDriver("mgpuMemAlloc", static_cast<void *>(nullptr), [&] {
    CUdeviceptr pointer = 0;
    if (sizeBytes == 0)
      return static_cast<void *>(nullptr);
    CUresult result =
        isHostShared
            ? driver.cuMemAllocManaged(&pointer, sizeBytes, kMemAttachGlobal)
            : driver.cuMemAlloc_v2(&pointer, sizeBytes);
    if (failed("mgpuMemAlloc",
               isHostShared ? "cuMemAllocManaged" : "cuMemAlloc", result))
      return static_cast<void *>(nullptr);
    return reinterpret_cast<void *>(pointer);
  });
}

TROP_RUNTIME_EXPORT void mgpuMemFree(void *pointer, CUstream) {
  withDriverVoid("mgpuMemFree", [&] {
    if (pointer)
      failed("mgpuMemFree", "cuMemFree",
             driver.cuMemFree_v2(reinterpret_cast<CUdeviceptr>(pointer)));
  });
}

TROP_RUNTIME_EXPORT void mgpuMemcpy(void *dst, void *src, size_t sizeBytes,
                                    CUstream stream) {
  withDriverVoid("mgpuMemcpy", [&] {
    if (sizeBytes == 0) // Empty arrays: nothing was allocated.
      return;
    failed("mgpuMemcpy", "cuMemcpyAsync",
           driver.cuMemcpyAsync(reinterpret_cast<CUdeviceptr>(dst),
                                reinterpret_cast<CUdeviceptr>(src), sizeBytes,
                                stream));
  });
}

TROP_RUNTIME_EXPORT void mgpuMemset32(void *dst, unsigned value, size_t count,
                                      CUstream stream) {
  withDriverVoid("mgpuMemset32", [&] {
    failed("mgpuMemset32", "cuMemsetD32Async",
           driver.cuMemsetD32Async(reinterpret_cast<CUdeviceptr>(dst), value,
                                   count, stream));
  });
}

TROP_RUNTIME_EXPORT void mgpuMemset16(void *dst, unsigned short value,
                                      size_t count, CUstream stream) {
  withDriverVoid("mgpuMemset16", [&] {
    failed("mgpuMemset16", "cuMemsetD16Async",
           driver.cuMemsetD16Async(reinterpret_cast<CUdeviceptr>(dst), value,
                                   count, stream));
  });
}

/// Makes host memory accessible to the device (page-locked, mapped).
TROP_RUNTIME_EXPORT void mgpuMemHostRegister(void *pointer, uint64_t bytes) {
  withDriverVoid("mgpuMemHostRegister", [&] {
    failed("mgpuMemHostRegister", "cuMemHostRegister",
           driver.cuMemHostRegister_v2(pointer, bytes, /*PORTABLE=*/1));
  });
}

TROP_RUNTIME_EXPORT void mgpuMemHostUnregister(void *pointer) {
  withDriverVoid("mgpuMemHostUnregister", [&] {
    failed("mgpuMemHostUnregister", "cuMemHostUnregister",
           driver.cuMemHostUnregister(pointer));
  });
}
