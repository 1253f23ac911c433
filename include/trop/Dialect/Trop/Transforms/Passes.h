//===- Passes.h - trop dialect transforms -----------------------*- C++ -*-===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//

#ifndef TROP_DIALECT_TROP_TRANSFORMS_PASSES_H
#define TROP_DIALECT_TROP_TRANSFORMS_PASSES_H

#include "trop/Dialect/Trop/IR/TropDialect.h"
#include "trop/Dialect/Trop/Transforms/Transforms.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Pass/Pass.h"

namespace mlir {
namespace trop {

#define GEN_PASS_DECL
#include "trop/Dialect/Trop/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "trop/Dialect/Trop/Transforms/Passes.h.inc"

} // namespace trop
} // namespace mlir

#endif // TROP_DIALECT_TROP_TRANSFORMS_PASSES_H
