//===- HostArray.cpp - Dense arrays in host memory ------------------------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//

#include "trop/ExecutionEngine/HostArray.h"

#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/APInt.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/MathExtras.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>

using namespace mlir;
using namespace mlir::trop;

//===----------------------------------------------------------------------===//
// Element kinds
//===----------------------------------------------------------------------===//

size_t trop::getElementByteWidth(ElementKind kind) {
  switch (kind) {
  case ElementKind::I1:
  case ElementKind::I8:
    return 1;
  case ElementKind::F16:
  case ElementKind::BF16:
  case ElementKind::I16:
    return 2;
  case ElementKind::F32:
  case ElementKind::I32:
    return 4;
  case ElementKind::F64:
  case ElementKind::I64:
    return 8;
  }
  llvm_unreachable("unknown element kind");
}

llvm::StringRef trop::getElementKindName(ElementKind kind) {
  switch (kind) {
  case ElementKind::F16:
    return "f16";
  case ElementKind::BF16:
    return "bf16";
  case ElementKind::F32:
    return "f32";
  case ElementKind::F64:
    return "f64";
  case ElementKind::I8:
    return "i8";
  case ElementKind::I16:
    return "i16";
  case ElementKind::I32:
    return "i32";
  case ElementKind::I64:
    return "i64";
  case ElementKind::I1:
    return "i1";
  }
  llvm_unreachable("unknown element kind");
}

bool trop::isFloatKind(ElementKind kind) {
  return kind == ElementKind::F16 || kind == ElementKind::BF16 ||
         kind == ElementKind::F32 || kind == ElementKind::F64;
}

/// The APFloat semantics of a 16-bit float kind.
static const llvm::fltSemantics &getHalfSemantics(ElementKind kind) {
  return kind == ElementKind::F16 ? llvm::APFloat::IEEEhalf()
                                  : llvm::APFloat::BFloat();
}

static double halfBitsToDouble(ElementKind kind, uint16_t bits) {
  return llvm::APFloat(getHalfSemantics(kind), llvm::APInt(16, bits))
      .convertToDouble();
}

/// Rounds `value` to nearest-even in a 16-bit float kind.
static llvm::APFloat roundToHalf(ElementKind kind, double value) {
  llvm::APFloat result(value);
  bool losesInfo;
  result.convert(getHalfSemantics(kind), llvm::APFloat::rmNearestTiesToEven,
                 &losesInfo);
  return result;
}

static uint16_t getHalfBits(const llvm::APFloat &value) {
  return static_cast<uint16_t>(value.bitcastToAPInt().getZExtValue());
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

/// Reads a `T` from possibly unaligned memory.
template <typename T>
static T load(const void *ptr) {
  T value;
  std::memcpy(&value, ptr, sizeof(T));
  return value;
}

double HostArray::getAsDouble(int64_t linearIndex) const {
  const void *ptr = getElementPointer(linearIndex);
  switch (kind) {
  case ElementKind::F16:
  case ElementKind::BF16:
    return halfBitsToDouble(kind, load<uint16_t>(ptr));
  case ElementKind::F32:
    return load<float>(ptr);
  case ElementKind::F64:
    return load<double>(ptr);
  case ElementKind::I8:
    return load<int8_t>(ptr);
  case ElementKind::I16:
    return load<int16_t>(ptr);
  case ElementKind::I32:
    return load<int32_t>(ptr);
  case ElementKind::I64:
    return static_cast<double>(load<int64_t>(ptr));
  case ElementKind::I1:
    return load<uint8_t>(ptr) != 0;
  }
  llvm_unreachable("unknown element kind");
}

bool HostArray::isNaN(int64_t linearIndex) const {
  const void *ptr = getElementPointer(linearIndex);
  switch (kind) {
  case ElementKind::F16: {
    uint16_t bits = load<uint16_t>(ptr);
    return (bits & 0x7c00) == 0x7c00 && (bits & 0x03ff) != 0;
  }
  case ElementKind::BF16: {
    uint16_t bits = load<uint16_t>(ptr);
    return (bits & 0x7f80) == 0x7f80 && (bits & 0x007f) != 0;
  }
  case ElementKind::F32:
    return std::isnan(load<float>(ptr));
  case ElementKind::F64:
    return std::isnan(load<double>(ptr));
  default:
    return false;
  }
}

//===----------------------------------------------------------------------===//
// Formatting
//===----------------------------------------------------------------------===//

std::string trop::formatNumpyShape(llvm::ArrayRef<int64_t> shape) {
  std::string result = "(";
  llvm::raw_string_ostream os(result);
  llvm::interleaveComma(shape, os);
  if (shape.size() == 1)
    os << ',';
  os << ')';
  return result;
}

std::string trop::formatIndex(llvm::ArrayRef<int64_t> index) {
  std::string result = "[";
  llvm::raw_string_ostream os(result);
  llvm::interleaveComma(index, os);
  os << ']';
  return result;
}

llvm::SmallVector<int64_t> trop::delinearize(int64_t linearIndex,
                                             llvm::ArrayRef<int64_t> shape) {
  llvm::SmallVector<int64_t> index(shape.size(), 0);
  for (int64_t i = static_cast<int64_t>(shape.size()) - 1; i >= 0; --i) {
    if (shape[i] == 0)
      continue;
    index[i] = linearIndex % shape[i];
    linearIndex /= shape[i];
  }
  return index;
}

/// Rewrites the scientific notation `sci` of a finite number (as printed by
/// printf's %e or std::to_chars' scientific format: `-d.ddde±XX`) the way
/// Python's repr would, minus the trailing `.0` of integral values.
static std::string formatLikePythonRepr(llvm::StringRef sci) {
  std::string sign;
  if (sci.consume_front("-"))
    sign = "-";
  size_t ePos = sci.find_insensitive('e');
  llvm::StringRef mantissa = sci.take_front(ePos);
  int exponent = 0;
  if (ePos != llvm::StringRef::npos) {
    llvm::StringRef expText = sci.drop_front(ePos + 1);
    expText.consume_front("+");
    expText.getAsInteger(10, exponent);
  }
  std::string digits;
  for (char c : mantissa)
    if (c != '.')
      digits.push_back(c);
  // %e pads with zeros up to its precision; those are not significant.
  while (digits.size() > 1 && digits.back() == '0')
    digits.pop_back();
  if (digits == "0")
    return sign + "0";

  std::string result = sign;
  if (exponent >= -4 && exponent < 16) {
    if (exponent < 0) {
      result += "0.";
      result.append(-exponent - 1, '0');
      result += digits;
      return result;
    }
    size_t intDigits = exponent + 1;
    if (digits.size() <= intDigits) {
      result += digits;
      result.append(intDigits - digits.size(), '0');
      return result;
    }
    result += digits.substr(0, intDigits);
    result += '.';
    result += digits.substr(intDigits);
    return result;
  }
  result += digits[0];
  if (digits.size() > 1) {
    result += '.';
    result += digits.substr(1);
  }
  char expBuf[16];
  std::snprintf(expBuf, sizeof(expBuf), "e%c%02d", exponent < 0 ? '-' : '+',
                std::abs(exponent));
  result += expBuf;
  return result;
}

/// Shortest round-trip text of an f32 or f64 value.
template <typename T>
static std::string formatShortest(T value) {
  if (std::isnan(value))
    return "nan";
  if (std::isinf(value))
    return value < 0 ? "-inf" : "inf";
  char buf[64];
  auto result = std::to_chars(buf, buf + sizeof(buf), value,
                              std::chars_format::scientific);
  return formatLikePythonRepr(llvm::StringRef(buf, result.ptr - buf));
}

/// Shortest round-trip text of an f16 or bf16 value: the fewest significant
/// digits whose decimal value rounds back to the same 16-bit pattern.
static std::string formatShortestHalf(ElementKind kind, uint16_t bits) {
  double value = halfBitsToDouble(kind, bits);
  if (std::isnan(value))
    return "nan";
  if (std::isinf(value))
    return value < 0 ? "-inf" : "inf";
  char buf[64];
  for (int digits = 1; digits <= 17; ++digits) {
    std::snprintf(buf, sizeof(buf), "%.*e", digits - 1, value);
    if (getHalfBits(roundToHalf(kind, std::strtod(buf, nullptr))) == bits)
      break;
  }
  return formatLikePythonRepr(buf);
}

std::string trop::formatElement(const HostArray &array, int64_t linearIndex) {
  const void *ptr = array.getElementPointer(linearIndex);
  switch (array.getElementKind()) {
  case ElementKind::F16:
  case ElementKind::BF16:
    return formatShortestHalf(array.getElementKind(), load<uint16_t>(ptr));
  case ElementKind::F32:
    return formatShortest(load<float>(ptr));
  case ElementKind::F64:
    return formatShortest(load<double>(ptr));
  case ElementKind::I8:
    return std::to_string(load<int8_t>(ptr));
  case ElementKind::I16:
    return std::to_string(load<int16_t>(ptr));
  case ElementKind::I32:
    return std::to_string(load<int32_t>(ptr));
  case ElementKind::I64:
    return std::to_string(load<int64_t>(ptr));
  case ElementKind::I1:
    return load<uint8_t>(ptr) ? "true" : "false";
  }
  llvm_unreachable("unknown element kind");
}

static void printDimension(llvm::raw_ostream &os, const HostArray &array,
                           llvm::ArrayRef<int64_t> strides, int64_t dim,
                           int64_t offset) {
  int64_t rank = array.getRank();
  int64_t size = array.getShape()[dim];
  os << '[';
  for (int64_t i = 0; i < size; ++i) {
    if (i > 0) {
      os << ',';
      if (dim == rank - 1) {
        os << ' ';
      } else {
        // numpy: one newline between rows, one more per enclosing dimension.
        for (int64_t n = 0; n < rank - dim - 1; ++n)
          os << '\n';
        os.indent(dim + 1);
      }
    }
    if (dim == rank - 1)
      os << formatElement(array, offset + i);
    else
      printDimension(os, array, strides, dim + 1, offset + i * strides[dim]);
  }
  os << ']';
}

void trop::printHostArray(llvm::raw_ostream &os, const HostArray &array) {
  if (array.getRank() == 0) {
    os << formatElement(array, 0);
    return;
  }
  llvm::SmallVector<int64_t> strides = array.getStrides();
  printDimension(os, array, strides, /*dim=*/0, /*offset=*/0);
}

//===----------------------------------------------------------------------===//
// Random values
//===----------------------------------------------------------------------===//

/// Stores the integer `value` (in range for the kind) at `ptr`.
static void storeInteger(ElementKind kind, void *ptr, int64_t value) {
  switch (kind) {
  case ElementKind::I8: {
    int8_t v = static_cast<int8_t>(value);
    std::memcpy(ptr, &v, 1);
    return;
  }
  case ElementKind::I16: {
    int16_t v = static_cast<int16_t>(value);
    std::memcpy(ptr, &v, 2);
    return;
  }
  case ElementKind::I32: {
    int32_t v = static_cast<int32_t>(value);
    std::memcpy(ptr, &v, 4);
    return;
  }
  case ElementKind::I64:
    std::memcpy(ptr, &value, 8);
    return;
  default:
    llvm_unreachable("not an integer kind");
  }
}

static llvm::Error fillRandomFloats(HostArray &array, SplitMix64 &rng,
                                    double min, double max) {
  ElementKind kind = array.getElementKind();
  if (!std::isfinite(min) || !std::isfinite(max) || !(min < max))
    return llvm::createStringError(
        "random range [%g, %g) of a %s array is empty or not finite", min, max,
        getElementKindName(kind).str().c_str());
  for (int64_t i = 0, e = array.getNumElements(); i < e; ++i) {
    double u = rng.nextUnitDouble();
    // Interpolating this way cannot overflow for any finite bounds.
    double value = min * (1.0 - u) + max * u;
    void *ptr = array.getElementPointer(i);
    switch (kind) {
    case ElementKind::F64: {
      value = std::clamp(value, min, std::nextafter(max, min));
      std::memcpy(ptr, &value, 8);
      break;
    }
    case ElementKind::F32: {
      float rounded = static_cast<float>(value);
      if (rounded >= max)
        rounded = std::nextafter(rounded, -std::numeric_limits<float>::max());
      if (rounded < min)
        rounded = std::nextafter(rounded, std::numeric_limits<float>::max());
      if (!(rounded >= min && rounded < max))
        return llvm::createStringError(
            "random range [%g, %g) contains no f32 value", min, max);
      std::memcpy(ptr, &rounded, 4);
      break;
    }
    case ElementKind::F16:
    case ElementKind::BF16: {
      llvm::APFloat rounded = roundToHalf(kind, value);
      if (rounded.convertToDouble() >= max)
        rounded.next(/*nextDown=*/true);
      if (rounded.convertToDouble() < min)
        rounded.next(/*nextDown=*/false);
      double check = rounded.convertToDouble();
      if (!(check >= min && check < max))
        return llvm::createStringError(
            "random range [%g, %g) contains no %s value", min, max,
            getElementKindName(kind).str().c_str());
      uint16_t bits = getHalfBits(rounded);
      std::memcpy(ptr, &bits, 2);
      break;
    }
    default:
      llvm_unreachable("not a float kind");
    }
  }
  return llvm::Error::success();
}

static llvm::Error fillRandomIntegers(HostArray &array, SplitMix64 &rng,
                                      double min, double max) {
  ElementKind kind = array.getElementKind();
  unsigned bits = 8 * array.getElementByteWidth();
  int64_t typeMin = llvm::minIntN(bits), typeMax = llvm::maxIntN(bits);
  if (std::isnan(min) || std::isnan(max))
    return llvm::createStringError("random range bounds must not be NaN");
  double lowBound = std::ceil(min), highBound = std::floor(max);
  // Compare in double before converting: out-of-range conversions are UB.
  int64_t low = lowBound <= static_cast<double>(typeMin)
                    ? typeMin
                    : static_cast<int64_t>(
                          std::min(lowBound, static_cast<double>(typeMax)));
  int64_t high = highBound >= static_cast<double>(typeMax)
                     ? typeMax
                     : static_cast<int64_t>(
                           std::max(highBound, static_cast<double>(typeMin)));
  if (lowBound > highBound || low > high ||
      lowBound > static_cast<double>(typeMax) ||
      highBound < static_cast<double>(typeMin))
    return llvm::createStringError("random range [%g, %g] contains no %s value",
                                   min, max,
                                   getElementKindName(kind).str().c_str());
  // Width of the range, which wraps to 0 for the full i64 range.
  uint64_t width = static_cast<uint64_t>(high) - static_cast<uint64_t>(low) + 1;
  for (int64_t i = 0, e = array.getNumElements(); i < e; ++i) {
    uint64_t offset = width == 0 ? rng.next() : rng.nextBelow(width);
    int64_t value = static_cast<int64_t>(static_cast<uint64_t>(low) + offset);
    storeInteger(kind, array.getElementPointer(i), value);
  }
  return llvm::Error::success();
}

llvm::Error trop::fillRandom(HostArray &array, SplitMix64 &rng,
                             const RandomRange &range) {
  ElementKind kind = array.getElementKind();
  if (kind == ElementKind::I1) {
    auto *bytes = static_cast<uint8_t *>(array.getData());
    for (int64_t i = 0, e = array.getNumElements(); i < e; ++i)
      bytes[i] = static_cast<uint8_t>(rng.nextBelow(2));
    return llvm::Error::success();
  }
  if (isFloatKind(kind))
    return fillRandomFloats(array, rng, range.min.value_or(-10.0),
                            range.max.value_or(10.0));
  return fillRandomIntegers(array, rng, range.min.value_or(-100.0),
                            range.max.value_or(100.0));
}
