//===- ArrayFormat.cpp - HostArrays as numpy prints them ------------------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//

#include "trop/ExecutionEngine/ArrayFormat.h"
#include "ElementAccess.h"

#include "llvm/ADT/STLExtras.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

using namespace mlir;
using namespace mlir::trop;

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
    return formatShortestHalf(array.getElementKind(),
                              loadUnaligned<uint16_t>(ptr));
  case ElementKind::F32:
    return formatShortest(loadUnaligned<float>(ptr));
  case ElementKind::F64:
    return formatShortest(loadUnaligned<double>(ptr));
  case ElementKind::I8:
    return std::to_string(loadUnaligned<int8_t>(ptr));
  case ElementKind::I16:
    return std::to_string(loadUnaligned<int16_t>(ptr));
  case ElementKind::I32:
    return std::to_string(loadUnaligned<int32_t>(ptr));
  case ElementKind::I64:
    return std::to_string(loadUnaligned<int64_t>(ptr));
  case ElementKind::I1:
    return loadUnaligned<uint8_t>(ptr) ? "true" : "false";
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
