//===- BinaryLowering.h - Reference lowering of the binary ops --*- C++ -*-===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//

#ifndef TROP_LIB_CONVERSION_TROPTOLINALG_BINARYLOWERING_H
#define TROP_LIB_CONVERSION_TROPTOLINALG_BINARYLOWERING_H

namespace mlir {
class RewritePatternSet;

namespace trop {

/// Adds the reference lowerings of trop.pack_bits, trop.unpack_bits,
/// trop.binary_morphology and trop.level_sets to linalg. With
/// `deallocTemporaries`, the memref temporaries they allocate are freed.
void populateBinaryToLinalgPatterns(RewritePatternSet &patterns,
                                    bool deallocTemporaries);

} // namespace trop
} // namespace mlir

#endif // TROP_LIB_CONVERSION_TROPTOLINALG_BINARYLOWERING_H
