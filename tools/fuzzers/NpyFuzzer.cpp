//===- NpyFuzzer.cpp - libFuzzer harness: the .npy reader -----------------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// Feeds the bytes to the .npy reader that `trop-run --input`, the C API and
// Python's file arguments share. Bad files must end in an error, found before
// anything the header declares is allocated (a 200-byte file once asked for
// 7.9 GB). A file the reader accepts must survive a round trip: what trop
// writes for the array reads back as the same kind, shape and bytes;
// anything else is a finding, turned into a crash so that libFuzzer keeps it.
//
//===----------------------------------------------------------------------===//

#include "trop/ExecutionEngine/HostArray.h"
#include "trop/ExecutionEngine/NpyIO.h"

#include "llvm/Support/Error.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/raw_ostream.h"

#include <cstring>
#include <string>

using namespace mlir::trop;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::StringRef bytes(reinterpret_cast<const char *>(data), size);
  llvm::Expected<HostArray> array = parseNpy(bytes, "fuzz.npy");
  if (!array) {
    llvm::consumeError(array.takeError());
    return 0;
  }
  std::string written;
  llvm::raw_string_ostream os(written);
  writeNpy(os, *array);
  llvm::Expected<HostArray> again = parseNpy(written, "round-trip.npy");
  if (!again)
    llvm::report_fatal_error(
        llvm::Twine("trop cannot read back its own .npy: ") +
        llvm::toString(again.takeError()));
  if (again->getElementKind() != array->getElementKind() ||
      again->getShape() != array->getShape() ||
      std::memcmp(again->getData(), array->getData(),
                  array->getSizeInBytes()) != 0)
    llvm::report_fatal_error("an .npy round trip changed the array");
  return 0;
}
