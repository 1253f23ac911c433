//===- TropDialect.h - The trop dialect -------------------------*- C++ -*-===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//

#ifndef TROP_DIALECT_TROP_IR_TROPDIALECT_H
#define TROP_DIALECT_TROP_IR_TROPDIALECT_H

#include "mlir/IR/Dialect.h"

#include "trop/Dialect/Trop/IR/TropOpsDialect.h.inc"

#endif // TROP_DIALECT_TROP_IR_TROPDIALECT_H
