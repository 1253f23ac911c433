//===- Passes.h - trop conversion passes ------------------------*- C++ -*-===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//

#ifndef TROP_CONVERSION_PASSES_H
#define TROP_CONVERSION_PASSES_H

#include "trop/Conversion/SoftBF16/SoftBF16.h"
#include "trop/Conversion/TropToCPU/TropToCPU.h"
#include "trop/Conversion/TropToGPU/TropToGPU.h"
#include "trop/Conversion/TropToLinalg/TropToLinalg.h"

namespace mlir {
namespace trop {

#define GEN_PASS_REGISTRATION
#include "trop/Conversion/Passes.h.inc"

} // namespace trop
} // namespace mlir

#endif // TROP_CONVERSION_PASSES_H
