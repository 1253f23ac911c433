/*===-- trop-c/Runner.h - JIT-compile and run trop from C ---------*- C -*-===*\
|*                                                                            *|
|* Part of the trop project.                                                  *|
|*                                                                            *|
|*===----------------------------------------------------------------------===*|
|*                                                                            *|
|* A C interface to trop's JIT runner (trop/ExecutionEngine/JitRunner.h, the  *|
|* engine of trop-run), for embedders and for the ctypes-based Python         *|
|* package. It deliberately uses no MLIR C API type: a caller hands over MLIR *|
|* source text and plain row-major buffers and gets results back, so that it  *|
|* needs nothing but this header and libTropCAPI.so.                          *|
|*                                                                            *|
|* Conventions:                                                               *|
|*  - Every function that can fail takes a `char **error`. On failure it      *|
|*    stores a malloc'ed, NUL-terminated message there (release it with       *|
|*    tropFreeString), which contains every MLIR diagnostic the failure       *|
|*    produced; on success it stores NULL. `error` itself may be NULL when    *|
|*    the caller does not want the message. Nothing is ever printed to        *|
|*    stdout or stderr and no failure aborts the process.                     *|
|*  - Arrays are dense, contiguous and row-major (C order), with the element  *|
|*    storage documented on TropElementType; no alignment is required.       *|
|*  - Indices are 0-based; out-of-range indices give -1 / NULL.               *|
|*  - A TropJitFunction may be invoked from several threads at once (each     *|
|*    call uses its own copies of the buffers); destroying it while a call is *|
|*    running is undefined.                                                   *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef TROP_C_RUNNER_H
#define TROP_C_RUNNER_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#define TROP_CAPI_EXPORTED __declspec(dllexport)
#else
#define TROP_CAPI_EXPORTED __attribute__((visibility("default")))
#endif

/// Element types of the arrays a compiled function takes and returns, with
/// the numpy dtype (tropJitGetInputDtype) and storage of each. The values
/// are stable: bindings may hard-code them.
typedef enum TropElementType {
  TROP_ELEMENT_F16 = 0,  /**< "<f2": IEEE binary16. */
  TROP_ELEMENT_BF16 = 1, /**< "<u2": bfloat16 bit patterns (numpy has no
                              bfloat16; view as uint16). */
  TROP_ELEMENT_F32 = 2,  /**< "<f4": IEEE binary32. */
  TROP_ELEMENT_F64 = 3,  /**< "<f8": IEEE binary64. */
  TROP_ELEMENT_I8 = 4,   /**< "|i1": two's complement. */
  TROP_ELEMENT_I16 = 5,  /**< "<i2". */
  TROP_ELEMENT_I32 = 6,  /**< "<i4". */
  TROP_ELEMENT_I64 = 7,  /**< "<i8". */
  TROP_ELEMENT_I1 = 8    /**< "|b1": one byte holding 0 or 1. */
} TropElementType;

/// NaN handling of float max/min, the `nanMode` argument of tropJitCompile.
enum {
  TROP_NAN_MODE_DEFAULT = -1,   /**< The pipeline's own default: reference
                                     propagates, cpu assumes none. */
  TROP_NAN_MODE_PROPAGATE = 0,  /**< A NaN operand gives NaN. */
  TROP_NAN_MODE_ASSUME_NONE = 1 /**< Inputs are NaN-free. */
};

/// Limits that keep a mistyped count an error rather than an abort: the
/// most `threads` of tropJitCompile (OpenMP aborts the process when it cannot
/// start the threads asked for) and the most `runs` of tropJitBenchmark.
enum { TROP_MAX_THREADS = 1024, TROP_MAX_BENCHMARK_RUNS = 1000000 };

/// A function of an MLIR module, lowered, JIT-compiled and ready to call.
/// Opaque; create with tropJitCompile, release with tropJitDestroy.
typedef struct TropJitFunction TropJitFunction;

//===----------------------------------------------------------------------===//
// Compilation
//===----------------------------------------------------------------------===//

/// Parses `length` bytes of MLIR source text at `source` (it need not be
/// NUL-terminated), lowers function `entry` (a func.func name without the
/// `@`) and what it references with `pipeline`, and JIT-compiles it for the
/// host.
///
/// `pipeline` is "reference" (trop -> linalg -> loops; also when NULL or
/// empty), "cpu" (packed vector kernels on OpenMP threads), or a textual
/// pass pipeline anchored on the module, e.g.
/// "builtin.module(trop-reference-pipeline{results-to-out-params=1})", which
/// must turn results into out-parameters itself and ignores `nanMode` and
/// `threads`. `nanMode` is one of TROP_NAN_MODE_*; `threads` is the number
/// of threads of the cpu pipeline (0: one per hardware thread), at most
/// TROP_MAX_THREADS.
///
/// The entry's arguments and results must be ranked tensors or
/// identity-layout memrefs of the TropElementType types. Their sizes may be
/// dynamic (`?`): those are bound at each call (tropJitInvokeShaped), with
/// no recompilation. Returns NULL on
/// failure (unparsable or invalid IR, unknown entry or pipeline, a pass or
/// JIT failure) with the message, including all MLIR diagnostics, in
/// `*error`.
TROP_CAPI_EXPORTED TropJitFunction *
tropJitCompile(const char *source, size_t length, const char *entry,
               const char *pipeline, int nanMode, int64_t threads,
               char **error);

/// Releases `function` and its JIT-compiled code. NULL is ignored.
TROP_CAPI_EXPORTED void tropJitDestroy(TropJitFunction *function);

/// Releases a string returned by this API (an error message). NULL is
/// ignored.
TROP_CAPI_EXPORTED void tropFreeString(char *string);

//===----------------------------------------------------------------------===//
// Signature
//===----------------------------------------------------------------------===//

/// The entry's name, as given to tropJitCompile. Owned by `function`.
TROP_CAPI_EXPORTED const char *tropJitGetName(const TropJitFunction *function);

/// Number of inputs: the entry's arguments, in order. -1 for a NULL
/// `function` (so for the other queries below).
TROP_CAPI_EXPORTED intptr_t
tropJitGetNumInputs(const TropJitFunction *function);

/// Number of outputs: the entry's results if it has any; otherwise the memref
/// arguments it may write, in argument order (see
/// tropJitGetOutputArgumentIndex).
TROP_CAPI_EXPORTED intptr_t
tropJitGetNumOutputs(const TropJitFunction *function);

/// Element type of input `index` (a TropElementType), or -1.
TROP_CAPI_EXPORTED int
tropJitGetInputElementType(const TropJitFunction *function, intptr_t index);
/// Element type of output `index` (a TropElementType), or -1.
TROP_CAPI_EXPORTED int
tropJitGetOutputElementType(const TropJitFunction *function, intptr_t index);

/// numpy dtype string of input `index` ("<f4", "|b1", ...; see
/// TropElementType), or NULL. A static string: never free it.
TROP_CAPI_EXPORTED const char *
tropJitGetInputDtype(const TropJitFunction *function, intptr_t index);
/// numpy dtype string of output `index`, or NULL. A static string.
TROP_CAPI_EXPORTED const char *
tropJitGetOutputDtype(const TropJitFunction *function, intptr_t index);

/// Rank of input `index` (0 for a rank-0 tensor), or -1.
TROP_CAPI_EXPORTED intptr_t tropJitGetInputRank(const TropJitFunction *function,
                                                intptr_t index);
/// Rank of output `index`, or -1.
TROP_CAPI_EXPORTED intptr_t
tropJitGetOutputRank(const TropJitFunction *function, intptr_t index);

/// Shape of input `index`: an array of tropJitGetInputRank() sizes, owned by
/// `function` and valid until it is destroyed; NULL when `index` is out of
/// range (and possibly for rank 0, which has no sizes to read). A dynamic
/// size (`?`) reads -1.
TROP_CAPI_EXPORTED const int64_t *
tropJitGetInputShape(const TropJitFunction *function, intptr_t index);
/// Shape of output `index`; see tropJitGetInputShape.
TROP_CAPI_EXPORTED const int64_t *
tropJitGetOutputShape(const TropJitFunction *function, intptr_t index);

/// Size in bytes of the buffer input `index` takes (elements times element
/// size), or -1 (also when a size is dynamic).
TROP_CAPI_EXPORTED int64_t
tropJitGetInputSizeInBytes(const TropJitFunction *function, intptr_t index);
/// Size in bytes of the buffer output `index` fills, or -1.
TROP_CAPI_EXPORTED int64_t
tropJitGetOutputSizeInBytes(const TropJitFunction *function, intptr_t index);

/// The MLIR type of input `index` as printed ("tensor<2x3xf32>"), or NULL.
/// Owned by `function`.
TROP_CAPI_EXPORTED const char *
tropJitGetInputTypeString(const TropJitFunction *function, intptr_t index);
/// The MLIR type of output `index` as printed, or NULL. Owned by `function`.
TROP_CAPI_EXPORTED const char *
tropJitGetOutputTypeString(const TropJitFunction *function, intptr_t index);

/// For a function without results: the argument that output `index` is the
/// final value of (a memref the function writes). -1 when the output is a
/// result of the function, or `index` is out of range.
TROP_CAPI_EXPORTED intptr_t
tropJitGetOutputArgumentIndex(const TropJitFunction *function, intptr_t index);

/// 1 when some input or output has a dynamic size (call it with
/// tropJitInvokeShaped), else 0.
TROP_CAPI_EXPORTED int tropJitHasDynamicShapes(const TropJitFunction *function);

/// Tropical updates (one semiring multiply-accumulate each) that one call
/// performs: the sum over the trop ops in the entry's own body, for
/// giga-updates-per-second figures. -1 when unknown (no trop op, or a count
/// that is not static).
TROP_CAPI_EXPORTED int64_t
tropJitGetNumUpdates(const TropJitFunction *function);

//===----------------------------------------------------------------------===//
// Calls
//===----------------------------------------------------------------------===//

/// Calls the function. `inputs` holds tropJitGetNumInputs() pointers, each
/// to a contiguous row-major buffer of that input's shape and element type
/// (tropJitGetInputSizeInBytes() bytes); they are only read (the function
/// runs on copies). `outputs` holds tropJitGetNumOutputs() pointers to
/// caller-allocated buffers of each output's shape and type, which the call
/// overwrites. Only for static shapes: a function with a dynamic size is
/// called with tropJitInvokeShaped. Pointers to buffers of zero bytes may be
/// NULL. Returns 0 on success, nonzero on failure (with `*error` set).
TROP_CAPI_EXPORTED int tropJitInvoke(const TropJitFunction *function,
                                     const void *const *inputs,
                                     void *const *outputs, char **error);

/// Calls the function on inputs of any shape its signature admits (a
/// dynamic size is bound from the input; sizes the function's ops need equal
/// must be equal) and returns outputs of the sizes it computed.
/// `inputShapes` holds a pointer per input to its tropJitGetInputRank()
/// sizes; a NULL entry (or a NULL `inputShapes`) means the declared shape,
/// which must then be static. On success, `outputs[i]` receives a buffer
/// allocated by this API holding output `i` (contiguous, row-major; release
/// it with tropFreeBuffer; never NULL), and `outputShapes[i]`, a
/// caller-owned array of tropJitGetOutputRank() sizes (may be NULL for rank
/// 0), its shape. On failure nothing is allocated. Returns 0 on success,
/// nonzero on failure (with `*error` set).
TROP_CAPI_EXPORTED int
tropJitInvokeShaped(const TropJitFunction *function, const void *const *inputs,
                    const int64_t *const *inputShapes, void **outputs,
                    int64_t *const *outputShapes, char **error);

/// Releases an output buffer of tropJitInvokeShaped. NULL is ignored.
TROP_CAPI_EXPORTED void tropFreeBuffer(void *buffer);

/// Benchmarks the function: copies `inputs` once, calls it once to warm up,
/// then `runs` times on the same copies (functions that update their
/// arguments then see their previous outputs) and stores the wall-clock time
/// of each call, in seconds, in `seconds[0..runs)`; `runs` is at most
/// TROP_MAX_BENCHMARK_RUNS. Returns 0 on success, nonzero on failure (with
/// `*error` set).
TROP_CAPI_EXPORTED int tropJitBenchmark(const TropJitFunction *function,
                                        const void *const *inputs, int64_t runs,
                                        double *seconds, char **error);

/// tropJitBenchmark with inputs of the shapes `inputShapes` (see
/// tropJitInvokeShaped); outputs of dynamic size are freed after each call,
/// outside the timing.
TROP_CAPI_EXPORTED int tropJitBenchmarkShaped(const TropJitFunction *function,
                                              const void *const *inputs,
                                              const int64_t *const *inputShapes,
                                              int64_t runs, double *seconds,
                                              char **error);

//===----------------------------------------------------------------------===//
// Element types
//===----------------------------------------------------------------------===//

/// numpy dtype string of a TropElementType ("<f4"), or NULL. Static.
TROP_CAPI_EXPORTED const char *tropElementTypeGetDtype(int elementType);

/// MLIR spelling of a TropElementType ("f32", "bf16", "i1"), or NULL. Static.
TROP_CAPI_EXPORTED const char *tropElementTypeGetName(int elementType);

/// Bytes per element of a TropElementType (1 for i1), or -1.
TROP_CAPI_EXPORTED int tropElementTypeGetByteWidth(int elementType);

#ifdef __cplusplus
}
#endif

#endif /* TROP_C_RUNNER_H */
