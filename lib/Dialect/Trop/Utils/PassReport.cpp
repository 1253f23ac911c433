//===- PassReport.cpp - Report files of the trop passes -------------------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//

#include "trop/Dialect/Trop/Utils/PassReport.h"

#include "mlir/IR/Diagnostics.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

LogicalResult trop::writeReport(StringRef path, StringRef text, Location loc,
                                StringRef passName) {
  if (path.empty())
    return success();
  if (path == "-") {
    llvm::errs() << text;
    return success();
  }
  std::error_code ec;
  llvm::raw_fd_ostream file(path, ec, llvm::sys::fs::OF_Text);
  if (ec)
    return emitError(loc) << passName << ": cannot write report '" << path
                          << "': " << ec.message();
  file << text;
  return success();
}
