//===- PassReport.h - Report files of the trop passes -----------*- C++ -*-===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//

#ifndef TROP_DIALECT_TROP_UTILS_PASSREPORT_H
#define TROP_DIALECT_TROP_UTILS_PASSREPORT_H

#include "mlir/IR/Location.h"
#include "mlir/Support/LLVM.h"

namespace mlir {
namespace trop {

/// Writes a pass's `report=` text: nowhere for an empty `path`, to standard
/// error for "-", else to the file `path` (replacing it). A file that cannot
/// be written is an error at `loc` naming `passName`; returns failure then.
LogicalResult writeReport(StringRef path, StringRef text, Location loc,
                          StringRef passName);

/// Writes the `text` of the report an entry point returned (Transforms.h);
/// failure when the entry point failed (it has said why) or when the report
/// cannot be written. What a pass that is a thin shell does last.
template <typename Report>
LogicalResult writeReport(const FailureOr<Report> &result, StringRef path,
                          Location loc, StringRef passName) {
  return failure(failed(result) ||
                 failed(writeReport(path, result->text, loc, passName)));
}

} // namespace trop
} // namespace mlir

#endif // TROP_DIALECT_TROP_UTILS_PASSREPORT_H
