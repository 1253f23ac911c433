//===- TropAttrs.h - trop attributes and enums ------------------*- C++ -*-===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//

#ifndef TROP_DIALECT_TROP_IR_TROPATTRS_H
#define TROP_DIALECT_TROP_IR_TROPATTRS_H

#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"

#include "trop/Dialect/Trop/IR/TropEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "trop/Dialect/Trop/IR/TropAttrs.h.inc"

#endif // TROP_DIALECT_TROP_IR_TROPATTRS_H
