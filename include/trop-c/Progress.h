/*===-- trop-c/Progress.h - Progress of long compilations ----------*- C
-*-===*\
|*                                                                            *|
|* Part of the trop project.                                                  *|
|*                                                                            *|
|*===----------------------------------------------------------------------===*|
|*                                                                            *|
|* A callback that tropJitCompile (trop-c/Runner.h) calls as it lowers a      *|
|* function, after each stage of its pipeline, so that a long compilation     *|
|* can show where it is (Python: trop.compile(..., progress=True)).           *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef TROP_C_PROGRESS_H
#define TROP_C_PROGRESS_H

#include "trop-c/Runner.h"

#ifdef __cplusplus
extern "C" {
#endif

/// Called after each stage of lowering: a pass anchored on the module (a
/// nested pipeline, e.g. the passes run on each function, counts as one
/// stage), named by its pipeline argument (e.g. "trop-raise",
/// "one-shot-bufferize"), with its wall time in seconds and the `userData`
/// given to tropSetProgressCallback. The translation to LLVM IR and the
/// machine-code generation that follow are not stages of it.
typedef void (*TropProgressCallback)(const char *stage, double seconds,
                                     void *userData);

/// Sets the callback of the tropJitCompile calls made on the calling thread
/// from now on (each thread has its own; none at first); NULL removes it.
TROP_CAPI_EXPORTED void tropSetProgressCallback(TropProgressCallback callback,
                                                void *userData);

#ifdef __cplusplus
}
#endif

#endif /* TROP_C_PROGRESS_H */
