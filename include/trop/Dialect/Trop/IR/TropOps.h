//===- TropOps.h - trop operations ------------------------------*- C++ -*-===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//

#ifndef TROP_DIALECT_TROP_IR_TROPOPS_H
#define TROP_DIALECT_TROP_IR_TROPOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/DestinationStyleOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "trop/Dialect/Trop/IR/TropAttrs.h"
#include "trop/Dialect/Trop/IR/TropDialect.h"

#include "trop/Dialect/Trop/IR/TropInterfaces.h.inc"

#define GET_OP_CLASSES
#include "trop/Dialect/Trop/IR/TropOps.h.inc"

#endif // TROP_DIALECT_TROP_IR_TROPOPS_H
