//===- NpyIO.h - Reading and writing numpy .npy files -----------*- C++ -*-===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// HostArrays to and from numpy's .npy format (numpy.lib.format), so that
// trop-run's inputs and outputs can be produced and checked with numpy.
//
// Element types map to numpy dtypes as follows:
//
//   f16 '<f2'   f32 '<f4'   f64 '<f8'
//   i8  '|i1'   i16 '<i2'   i32 '<i4'   i64 '<i8'
//   i1  '|b1'
//   bf16 '<u2'  numpy has no bfloat16: the raw bit patterns are stored as
//               uint16 (view them with e.g. ml_dtypes.bfloat16, or widen
//               with `(a.astype(np.uint32) << 16).view(np.float32)`), and a
//               '<u2' file is read as bf16.
//
// Reading accepts format versions 1.0, 2.0 and 3.0, little-endian ('<'),
// native ('=', on little-endian hosts) and byte ('|') dtypes, and C order
// only (a file marked Fortran order is accepted when at most one dimension
// exceeds 1, where both orders coincide). Writing produces version 1.0 (2.0
// when the header would not fit), with the header padded to a multiple of 64
// bytes as numpy does.
//
//===----------------------------------------------------------------------===//

#ifndef TROP_EXECUTIONENGINE_NPYIO_H
#define TROP_EXECUTIONENGINE_NPYIO_H

#include "trop/ExecutionEngine/HostArray.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

namespace mlir {
namespace trop {

/// The dtype descriptor trop writes for `kind`, e.g. "<f4". It refers to a
/// static, NUL-terminated string (the C API hands out its data()).
llvm::StringRef getNpyDescr(ElementKind kind);

/// numpy's name for the dtype an array of `kind` is stored as, for messages:
/// "float32", "int8", "bool", and "uint16" for bf16.
llvm::StringRef getNumpyTypeName(ElementKind kind);

/// Parses the contents of an .npy file. `name` (usually the file name) is
/// only used in error messages.
llvm::Expected<HostArray> parseNpy(llvm::StringRef contents,
                                   llvm::StringRef name);

/// Reads the .npy file at `path`.
llvm::Expected<HostArray> readNpyFile(llvm::StringRef path);

/// Writes `array` in .npy format to `os`.
void writeNpy(llvm::raw_ostream &os, const HostArray &array);

/// Writes `array` to a new .npy file at `path` (replacing any existing file).
llvm::Error writeNpyFile(llvm::StringRef path, const HostArray &array);

} // namespace trop
} // namespace mlir

#endif // TROP_EXECUTIONENGINE_NPYIO_H
