//===- NpyIO.cpp - Reading and writing numpy .npy files -------------------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// The format (numpy.lib.format): the magic string "\x93NUMPY", a major and a
// minor version byte, the header length (uint16 in 1.0, uint32 in 2.0 and
// 3.0, little-endian), the header (a Python dict literal with the keys
// 'descr', 'fortran_order' and 'shape'), then the raw data.
//
//===----------------------------------------------------------------------===//

#include "trop/ExecutionEngine/NpyIO.h"
#include "trop/ExecutionEngine/ArrayFormat.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SwapByteOrder.h"

#include <cstring>
#include <optional>

using namespace mlir;
using namespace mlir::trop;

static constexpr llvm::StringLiteral kMagic("\x93NUMPY");

llvm::StringRef trop::getNpyDescr(ElementKind kind) {
  switch (kind) {
#define TROP_ELEMENT_KIND(Kind, Name, Bytes, IsFloat, NpyDescr, ...)           \
  case ElementKind::Kind:                                                      \
    return NpyDescr;
#include "trop/ExecutionEngine/ElementKinds.def"
  }
  llvm_unreachable("unknown element kind");
}

llvm::StringRef trop::getNumpyTypeName(ElementKind kind) {
  switch (kind) {
#define TROP_ELEMENT_KIND(Kind, Name, Bytes, IsFloat, NpyDescr, NumpyName,     \
                          ...)                                                 \
  case ElementKind::Kind:                                                      \
    return NumpyName;
#include "trop/ExecutionEngine/ElementKinds.def"
  }
  llvm_unreachable("unknown element kind");
}

//===----------------------------------------------------------------------===//
// Header parsing
//===----------------------------------------------------------------------===//

namespace {
/// The fields of an .npy header.
struct NpyHeader {
  std::string descr;
  bool fortranOrder = false;
  llvm::SmallVector<int64_t> shape;
};

/// A recursive-descent parser for the subset of Python literals that .npy
/// headers use: a dict with string keys whose values are strings, booleans
/// and tuples of integers.
class HeaderParser {
public:
  HeaderParser(llvm::StringRef text, llvm::StringRef name)
      : text(text), name(name) {}

  llvm::Expected<NpyHeader> parse() {
    NpyHeader header;
    bool hasDescr = false, hasOrder = false, hasShape = false;
    skipSpace();
    if (!consume('{'))
      return error("expected '{'");
    while (true) {
      skipSpace();
      if (consume('}'))
        break;
      std::optional<std::string> key = parseString();
      if (!key)
        return error("expected a string key");
      skipSpace();
      if (!consume(':'))
        return error("expected ':' after '" + *key + "'");
      skipSpace();
      if (*key == "descr") {
        std::optional<std::string> descr = parseString();
        if (!descr)
          return error("structured dtypes are not supported ('descr' is not "
                       "a string)");
        header.descr = *descr;
        hasDescr = true;
      } else if (*key == "fortran_order") {
        if (text.consume_front("True"))
          header.fortranOrder = true;
        else if (text.consume_front("False"))
          header.fortranOrder = false;
        else
          return error("expected True or False for 'fortran_order'");
        hasOrder = true;
      } else if (*key == "shape") {
        if (llvm::Error err = parseShape(header.shape))
          return std::move(err);
        hasShape = true;
      } else {
        return error("unexpected key '" + *key + "'");
      }
      skipSpace();
      if (!consume(',')) {
        skipSpace();
        if (!consume('}'))
          return error("expected ',' or '}'");
        break;
      }
    }
    if (!hasDescr || !hasOrder || !hasShape)
      return error("the header lacks one of 'descr', 'fortran_order' and "
                   "'shape'");
    return header;
  }

private:
  llvm::Error error(const llvm::Twine &message) {
    return llvm::createStringError("'" + name +
                                   "' has an invalid .npy header: " + message);
  }

  void skipSpace() { text = text.ltrim(" \t\r\n"); }

  bool consume(char c) { return text.consume_front(llvm::StringRef(&c, 1)); }

  std::optional<std::string> parseString() {
    if (text.empty() || (text.front() != '\'' && text.front() != '"'))
      return std::nullopt;
    char quote = text.front();
    size_t end = text.find(quote, 1);
    if (end == llvm::StringRef::npos)
      return std::nullopt;
    std::string result = text.slice(1, end).str();
    text = text.drop_front(end + 1);
    return result;
  }

  llvm::Error parseShape(llvm::SmallVectorImpl<int64_t> &shape) {
    if (!consume('('))
      return error("expected a tuple for 'shape'");
    while (true) {
      skipSpace();
      if (consume(')'))
        return llvm::Error::success();
      size_t digits = text.find_if_not(llvm::isDigit);
      if (digits == 0)
        return error("expected a non-negative integer in 'shape'");
      int64_t size;
      if (text.take_front(digits).getAsInteger(10, size))
        return error("size too large in 'shape'");
      text = text.drop_front(digits);
      // Python 2 wrote longs as `3L`.
      consume('L');
      shape.push_back(size);
      skipSpace();
      if (!consume(',')) {
        skipSpace();
        if (!consume(')'))
          return error("expected ',' or ')' in 'shape'");
        return llvm::Error::success();
      }
    }
  }

  llvm::StringRef text;
  llvm::StringRef name;
};
} // namespace

/// The element kind stored under dtype descriptor `descr`.
static llvm::Expected<ElementKind> getKindForDescr(llvm::StringRef descr,
                                                   llvm::StringRef name) {
  auto unsupported = [&](llvm::StringRef why) {
    return llvm::createStringError(
        "'" + name + "' holds dtype '" + descr + "', " + why +
        " (trop-run reads float16, float32, float64, int8, int16, int32, "
        "int64, bool, and uint16 as bf16 bits)");
  };
  if (descr.size() < 3)
    return unsupported("which is not supported");
  char order = descr.front();
  llvm::StringRef type = descr.drop_front();
  // Any byte order of a type code trop writes reads as that kind.
  std::optional<ElementKind> kind;
#define TROP_ELEMENT_KIND(Kind, Name, Bytes, IsFloat, NpyDescr, ...)           \
  if (!kind && type == llvm::StringRef(NpyDescr).drop_front())                 \
    kind = ElementKind::Kind;
#include "trop/ExecutionEngine/ElementKinds.def"
  // Byte order is moot for single bytes ("i1", "b1").
  bool singleByte = kind && getElementByteWidth(*kind) == 1;
  if (order == '>' && !singleByte)
    return unsupported("which is big-endian");
  if (order == '=' && !llvm::sys::IsLittleEndianHost && !singleByte)
    return unsupported("which is big-endian on this host");
  if (order != '<' && order != '>' && order != '=' && order != '|')
    return unsupported("which is not supported");
  if (!kind)
    return unsupported("which is not supported");
  return *kind;
}

/// The bytes of data a C-order array of `shape` and `elementBytes` per
/// element takes, or std::nullopt when that overflows int64_t (a dimension of
/// size 0 makes the array empty, whatever the others are).
static std::optional<uint64_t> getDataBytes(llvm::ArrayRef<int64_t> shape,
                                            int64_t elementBytes) {
  if (llvm::is_contained(shape, 0))
    return 0;
  int64_t bytes = elementBytes;
  for (int64_t size : shape)
    if (size < 0 || llvm::MulOverflow(bytes, size, bytes))
      return std::nullopt;
  return static_cast<uint64_t>(bytes);
}

llvm::Expected<HostArray> trop::parseNpy(llvm::StringRef contents,
                                         llvm::StringRef name) {
  auto invalid = [&](const llvm::Twine &message) {
    return llvm::createStringError("'" + name +
                                   "' is not a valid .npy file: " + message);
  };
  if (!contents.starts_with(kMagic)) {
    if (kMagic.starts_with(contents))
      return invalid("it is truncated in its preamble");
    return invalid("it does not start with the .npy magic string");
  }
  if (contents.size() < kMagic.size() + 2)
    return invalid("it is truncated in its preamble");
  uint8_t major = contents[kMagic.size()];
  uint8_t minor = contents[kMagic.size() + 1];
  size_t offset = kMagic.size() + 2;
  size_t lengthBytes;
  if (major == 1)
    lengthBytes = 2;
  else if (major == 2 || major == 3)
    lengthBytes = 4;
  else
    return invalid("format version " + llvm::Twine(unsigned(major)) + "." +
                   llvm::Twine(unsigned(minor)) +
                   " is not supported (only 1.0, 2.0 "
                   "and 3.0 are)");
  if (contents.size() < offset + lengthBytes)
    return invalid("it is truncated in its preamble");
  uint64_t headerLength =
      lengthBytes == 2
          ? llvm::support::endian::read16le(contents.data() + offset)
          : llvm::support::endian::read32le(contents.data() + offset);
  offset += lengthBytes;
  if (contents.size() - offset < headerLength)
    return invalid("it is truncated in its header");
  llvm::StringRef headerText = contents.substr(offset, headerLength);
  offset += headerLength;

  llvm::Expected<NpyHeader> header = HeaderParser(headerText, name).parse();
  if (!header)
    return header.takeError();
  // Fortran and C order only differ when two dimensions exceed 1.
  if (header->fortranOrder &&
      llvm::count_if(header->shape, [](int64_t size) { return size > 1; }) > 1)
    return llvm::createStringError(
        "'" + name +
        "' holds an array in Fortran order, which is not supported; save it "
        "in C order (e.g. np.save(path, np.ascontiguousarray(a)))");
  llvm::Expected<ElementKind> kind = getKindForDescr(header->descr, name);
  if (!kind)
    return kind.takeError();

  // The data must be in the file before anything is allocated: a few bytes
  // declaring a huge shape must not cost gigabytes of zeroed memory.
  std::optional<uint64_t> dataBytes =
      getDataBytes(header->shape, getElementByteWidth(*kind));
  if (!dataBytes)
    return invalid("an array of shape " + formatNumpyShape(header->shape) +
                   " and dtype '" + header->descr + "' is too large");
  uint64_t expected = *dataBytes;
  uint64_t available = contents.size() - offset;
  if (available < expected)
    return invalid("it is truncated: an array of shape " +
                   formatNumpyShape(header->shape) + " and dtype '" +
                   header->descr + "' needs " + llvm::Twine(expected) +
                   " bytes of data, but only " + llvm::Twine(available) +
                   " follow the header");
  if (available > expected)
    return invalid(llvm::Twine(available - expected) +
                   " unexpected bytes follow the data");
  llvm::Expected<HostArray> array = HostArray::create(*kind, header->shape);
  if (!array)
    return invalid(llvm::toString(array.takeError()));
  std::memcpy(array->getData(), contents.data() + offset, expected);
  if (*kind == ElementKind::I1) {
    // numpy bools are 0 or 1; make sure nothing else reaches compiled code.
    auto *bytes = static_cast<uint8_t *>(array->getData());
    for (int64_t i = 0, e = array->getNumElements(); i < e; ++i)
      bytes[i] = bytes[i] != 0;
  }
  if (!llvm::sys::IsLittleEndianHost && array->getElementByteWidth() > 1)
    return invalid("reading .npy files is only supported on little-endian "
                   "hosts");
  return array;
}

llvm::Expected<HostArray> trop::readNpyFile(llvm::StringRef path) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                  /*RequiresNullTerminator=*/false);
  if (!buffer)
    return llvm::createStringError(buffer.getError(),
                                   "cannot open '" + path +
                                       "': " + buffer.getError().message());
  return parseNpy((*buffer)->getBuffer(), path);
}

//===----------------------------------------------------------------------===//
// Writing
//===----------------------------------------------------------------------===//

void trop::writeNpy(llvm::raw_ostream &os, const HostArray &array) {
  std::string dict = "{'descr': '" + getNpyDescr(array.getElementKind()).str() +
                     "', 'fortran_order': False, 'shape': " +
                     formatNumpyShape(array.getShape()) + ", }";
  // Pad with spaces and end with '\n' so that the data starts at a multiple
  // of 64 bytes, as numpy writes it.
  auto paddedLength = [&](size_t preamble) {
    size_t unpadded = preamble + dict.size() + 1;
    return dict.size() + 1 + (64 - unpadded % 64) % 64;
  };
  size_t preamble = kMagic.size() + 2 + 2;
  uint8_t major = 1;
  size_t headerLength = paddedLength(preamble);
  if (headerLength > 0xffff) {
    major = 2;
    preamble = kMagic.size() + 2 + 4;
    headerLength = paddedLength(preamble);
  }
  dict.append(headerLength - dict.size() - 1, ' ');
  dict.push_back('\n');

  os << kMagic;
  os << static_cast<char>(major) << static_cast<char>(0);
  char lengthBytes[4];
  if (major == 1) {
    llvm::support::endian::write16le(lengthBytes,
                                     static_cast<uint16_t>(headerLength));
    os.write(lengthBytes, 2);
  } else {
    llvm::support::endian::write32le(lengthBytes,
                                     static_cast<uint32_t>(headerLength));
    os.write(lengthBytes, 4);
  }
  os << dict;
  os.write(static_cast<const char *>(array.getData()), array.getSizeInBytes());
}

llvm::Error trop::writeNpyFile(llvm::StringRef path, const HostArray &array) {
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec, llvm::sys::fs::OF_None);
  if (ec)
    return llvm::createStringError(ec, "cannot open '" + path +
                                           "' for writing: " + ec.message());
  writeNpy(os, array);
  os.close();
  if (os.has_error()) {
    std::error_code writeError = os.error();
    os.clear_error();
    return llvm::createStringError(
        writeError, "cannot write '" + path + "': " + writeError.message());
  }
  return llvm::Error::success();
}
