//===- HostArray.cpp - Dense arrays in host memory ------------------------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//

#include "trop/ExecutionEngine/HostArray.h"
#include "ElementAccess.h"
#include "trop/ExecutionEngine/ArrayFormat.h"

#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/MathExtras.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>

using namespace mlir;
using namespace mlir::trop;

//===----------------------------------------------------------------------===//
// Element kinds
//===----------------------------------------------------------------------===//

size_t trop::getElementByteWidth(ElementKind kind) {
  switch (kind) {
#define TROP_ELEMENT_KIND(Kind, Name, Bytes, ...)                              \
  case ElementKind::Kind:                                                      \
    return Bytes;
#include "trop/ExecutionEngine/ElementKinds.def"
  }
  llvm_unreachable("unknown element kind");
}

llvm::StringRef trop::getElementKindName(ElementKind kind) {
  switch (kind) {
#define TROP_ELEMENT_KIND(Kind, Name, ...)                                     \
  case ElementKind::Kind:                                                      \
    return Name;
#include "trop/ExecutionEngine/ElementKinds.def"
  }
  llvm_unreachable("unknown element kind");
}

bool trop::isFloatKind(ElementKind kind) {
  switch (kind) {
#define TROP_ELEMENT_KIND(Kind, Name, Bytes, IsFloat, ...)                     \
  case ElementKind::Kind:                                                      \
    return IsFloat;
#include "trop/ExecutionEngine/ElementKinds.def"
  }
  llvm_unreachable("unknown element kind");
}

//===----------------------------------------------------------------------===//
// HostArray
//===----------------------------------------------------------------------===//

/// Zero-filled, aligned storage for `bytes` bytes, or null when the memory
/// cannot be had. Never allocates zero bytes: descriptors of empty arrays
/// still need a valid, aligned pointer. `allocated` receives the size.
static uint8_t *allocateStorage(size_t bytes, size_t &allocated) {
  allocated = llvm::alignTo(std::max<size_t>(bytes, 1), kHostArrayAlignment);
  void *storage = std::aligned_alloc(kHostArrayAlignment, allocated);
  if (storage)
    std::memset(storage, 0, allocated);
  return static_cast<uint8_t *>(storage);
}

HostArray::HostArray(ElementKind kind, llvm::ArrayRef<int64_t> shape)
    : kind(kind), shape(shape.begin(), shape.end()) {
  numElements = 1;
  for (int64_t size : shape) {
    assert(size >= 0 && "negative size");
    numElements *= size;
  }
  data = allocateStorage(getSizeInBytes(), allocatedBytes);
  if (!data)
    llvm::report_bad_alloc_error("cannot allocate a HostArray");
}

HostArray::~HostArray() { std::free(data); }

HostArray::HostArray(HostArray &&other) noexcept
    : kind(other.kind), shape(std::move(other.shape)),
      numElements(other.numElements), allocatedBytes(other.allocatedBytes),
      data(other.data) {
  other.data = nullptr;
  other.allocatedBytes = 0;
  other.numElements = 0;
}

HostArray &HostArray::operator=(HostArray &&other) noexcept {
  if (this == &other)
    return *this;
  std::free(data);
  kind = other.kind;
  shape = std::move(other.shape);
  numElements = other.numElements;
  allocatedBytes = other.allocatedBytes;
  data = other.data;
  other.data = nullptr;
  other.allocatedBytes = 0;
  other.numElements = 0;
  return *this;
}

llvm::Expected<HostArray> HostArray::create(ElementKind kind,
                                            llvm::ArrayRef<int64_t> shape) {
  int64_t elements = 1;
  int64_t bytes = static_cast<int64_t>(trop::getElementByteWidth(kind));
  for (int64_t size : shape) {
    if (size < 0)
      return llvm::createStringError("negative array size %lld in shape %s",
                                     static_cast<long long>(size),
                                     formatNumpyShape(shape).c_str());
    if (llvm::MulOverflow(bytes, size, bytes))
      return llvm::createStringError("an array of shape %s is too large",
                                     formatNumpyShape(shape).c_str());
    elements *= size;
  }
  HostArray array;
  array.kind = kind;
  array.shape.assign(shape.begin(), shape.end());
  array.numElements = elements;
  array.data = allocateStorage(bytes, array.allocatedBytes);
  if (!array.data)
    return llvm::createStringError(
        "cannot allocate %lld bytes for an array of shape %s",
        static_cast<long long>(bytes), formatNumpyShape(shape).c_str());
  return array;
}

HostArray HostArray::clone() const {
  HostArray copy(kind, shape);
  if (data)
    std::memcpy(copy.data, data, getSizeInBytes());
  return copy;
}

llvm::SmallVector<int64_t> HostArray::getStrides() const {
  llvm::SmallVector<int64_t> strides(shape.size(), 1);
  for (int64_t i = getRank() - 2; i >= 0; --i)
    strides[i] = strides[i + 1] * shape[i + 1];
  return strides;
}

double HostArray::getAsDouble(int64_t linearIndex) const {
  const void *ptr = getElementPointer(linearIndex);
  switch (kind) {
  case ElementKind::F16:
  case ElementKind::BF16:
    return halfBitsToDouble(kind, loadUnaligned<uint16_t>(ptr));
  case ElementKind::F32:
    return loadUnaligned<float>(ptr);
  case ElementKind::F64:
    return loadUnaligned<double>(ptr);
  case ElementKind::I8:
    return loadUnaligned<int8_t>(ptr);
  case ElementKind::I16:
    return loadUnaligned<int16_t>(ptr);
  case ElementKind::I32:
    return loadUnaligned<int32_t>(ptr);
  case ElementKind::I64:
    return static_cast<double>(loadUnaligned<int64_t>(ptr));
  case ElementKind::I1:
    return loadUnaligned<uint8_t>(ptr) != 0;
  }
  llvm_unreachable("unknown element kind");
}

bool HostArray::isNaN(int64_t linearIndex) const {
  const void *ptr = getElementPointer(linearIndex);
  switch (kind) {
  case ElementKind::F16: {
    uint16_t bits = loadUnaligned<uint16_t>(ptr);
    return (bits & 0x7c00) == 0x7c00 && (bits & 0x03ff) != 0;
  }
  case ElementKind::BF16: {
    uint16_t bits = loadUnaligned<uint16_t>(ptr);
    return (bits & 0x7f80) == 0x7f80 && (bits & 0x007f) != 0;
  }
  case ElementKind::F32:
    return std::isnan(loadUnaligned<float>(ptr));
  case ElementKind::F64:
    return std::isnan(loadUnaligned<double>(ptr));
  default:
    return false;
  }
}
