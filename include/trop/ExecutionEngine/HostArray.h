//===- HostArray.h - Dense arrays in host memory ----------------*- C++ -*-===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// The array type that trop's JIT runner (and through it the C API and the
// Python package) passes to and from compiled functions: an element type
// tag, a static shape and row-major, 64-byte aligned storage. It depends on
// LLVM's support library only (no MLIR), so that it can cross a C or Python
// boundary. Printing (ArrayFormat.h), exact comparison (ArrayCompare.h) and
// random contents (RandomFill.h) have headers of their own; the facts of
// each element kind are rows of ElementKinds.def.
//
// Storage of each element type:
//   f16, bf16       2 bytes, IEEE binary16 / bfloat16 bit pattern
//   f32, f64        IEEE binary32 / binary64
//   i8 ... i64      two's complement
//   i1              one byte holding 0 or 1 (what the LLVM lowering of
//                   memref<...xi1> loads and stores)
//
//===----------------------------------------------------------------------===//

#ifndef TROP_EXECUTIONENGINE_HOSTARRAY_H
#define TROP_EXECUTIONENGINE_HOSTARRAY_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace mlir {
namespace trop {

/// Element types a HostArray can hold.
enum class ElementKind {
#define TROP_ELEMENT_KIND(Kind, ...) Kind,
#include "trop/ExecutionEngine/ElementKinds.def"
};

/// Bytes per element in memory (1 for i1).
size_t getElementByteWidth(ElementKind kind);

/// The MLIR spelling of `kind`: "f16", "bf16", ..., "i1".
llvm::StringRef getElementKindName(ElementKind kind);

/// Whether `kind` is one of the floating-point kinds.
bool isFloatKind(ElementKind kind);

/// Alignment of every HostArray's storage: a cache line, and enough for any
/// vector load the JIT-compiled code may use.
inline constexpr size_t kHostArrayAlignment = 64;

/// A dense row-major array of `ElementKind` elements with a static shape.
/// Move-only: copies are explicit (`clone`), because compiled functions may
/// write their arguments and callers must decide when to pass a copy.
class HostArray {
public:
  /// An empty rank-0 f32 array with no storage; only useful as a placeholder
  /// to be assigned to.
  HostArray() = default;
  /// A zero-filled array of the given kind and shape. All sizes must be
  /// non-negative and the array must fit in memory (the process aborts when
  /// it does not); see `create` for a checked version.
  HostArray(ElementKind kind, llvm::ArrayRef<int64_t> shape);
  ~HostArray();

  HostArray(HostArray &&other) noexcept;
  HostArray &operator=(HostArray &&other) noexcept;
  HostArray(const HostArray &) = delete;
  HostArray &operator=(const HostArray &) = delete;

  /// Like the constructor, but fails with a message (rather than asserting
  /// or aborting) when a size is negative, the byte size overflows, or the
  /// memory cannot be allocated.
  static llvm::Expected<HostArray> create(ElementKind kind,
                                          llvm::ArrayRef<int64_t> shape);

  /// A deep copy.
  HostArray clone() const;

  ElementKind getElementKind() const { return kind; }
  llvm::ArrayRef<int64_t> getShape() const { return shape; }
  int64_t getRank() const { return static_cast<int64_t>(shape.size()); }
  int64_t getNumElements() const { return numElements; }
  size_t getElementByteWidth() const {
    return ::mlir::trop::getElementByteWidth(kind);
  }
  size_t getSizeInBytes() const {
    return static_cast<size_t>(numElements) * getElementByteWidth();
  }
  /// Row-major strides in elements.
  llvm::SmallVector<int64_t> getStrides() const;

  /// The storage: never null, even for arrays with no elements, so that it
  /// can always be put in a memref descriptor.
  void *getData() { return data; }
  const void *getData() const { return data; }
  /// The address of element `linearIndex` (row-major).
  void *getElementPointer(int64_t linearIndex) {
    return data + linearIndex * getElementByteWidth();
  }
  const void *getElementPointer(int64_t linearIndex) const {
    return data + linearIndex * getElementByteWidth();
  }

  /// The element at `linearIndex` converted to double (floats and integers;
  /// i1 gives 0 or 1).
  double getAsDouble(int64_t linearIndex) const;
  /// Whether the element at `linearIndex` is a floating-point NaN.
  bool isNaN(int64_t linearIndex) const;

private:
  ElementKind kind = ElementKind::F32;
  llvm::SmallVector<int64_t, 4> shape;
  int64_t numElements = 0;
  size_t allocatedBytes = 0;
  uint8_t *data = nullptr;
};

} // namespace trop
} // namespace mlir

#endif // TROP_EXECUTIONENGINE_HOSTARRAY_H
