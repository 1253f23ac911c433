//===- TropDialect.cpp - The trop dialect ---------------------------------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//

#include "trop/Dialect/Trop/IR/TropDialect.h"
#include "trop/Dialect/Trop/IR/TropAttrs.h"
#include "trop/Dialect/Trop/IR/TropOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::trop;

#include "trop/Dialect/Trop/IR/TropOpsDialect.cpp.inc"

#include "trop/Dialect/Trop/IR/TropEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "trop/Dialect/Trop/IR/TropAttrs.cpp.inc"

void TropDialect::initialize() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "trop/Dialect/Trop/IR/TropAttrs.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "trop/Dialect/Trop/IR/TropOps.cpp.inc"
      >();
}
