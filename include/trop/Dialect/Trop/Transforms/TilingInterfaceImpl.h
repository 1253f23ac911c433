//===- TilingInterfaceImpl.h - Tiling of trop ops ---------------*- C++ -*-===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//

#ifndef TROP_DIALECT_TROP_TRANSFORMS_TILINGINTERFACEIMPL_H
#define TROP_DIALECT_TROP_TRANSFORMS_TILINGINTERFACEIMPL_H

namespace mlir {
class DialectRegistry;

namespace trop {

/// Attaches TilingInterface to trop.matmul and trop.dual_matmul, so that the
/// upstream SCF tiling and tile-and-fuse drivers handle them like
/// linalg.matmul: loops (i, j, k) over (M, N, K), parallel, parallel,
/// reduction.
void registerTilingInterfaceExternalModels(DialectRegistry &registry);

} // namespace trop
} // namespace mlir

#endif // TROP_DIALECT_TROP_TRANSFORMS_TILINGINTERFACEIMPL_H
