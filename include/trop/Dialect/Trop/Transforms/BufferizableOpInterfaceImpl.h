//===- BufferizableOpInterfaceImpl.h - Bufferization of trop ops -*- C++
//-*-===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//

#ifndef TROP_DIALECT_TROP_TRANSFORMS_BUFFERIZABLEOPINTERFACEIMPL_H
#define TROP_DIALECT_TROP_TRANSFORMS_BUFFERIZABLEOPINTERFACEIMPL_H

namespace mlir {
class DialectRegistry;

namespace trop {

/// Attaches BufferizableOpInterface to every trop op, so that one-shot
/// bufferization turns the tensor form into the memref form in place of the
/// destination (like linalg's destination-style ops).
void registerBufferizableOpInterfaceExternalModels(DialectRegistry &registry);

} // namespace trop
} // namespace mlir

#endif // TROP_DIALECT_TROP_TRANSFORMS_BUFFERIZABLEOPINTERFACEIMPL_H
