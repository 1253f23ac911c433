//===- InitAll.h - Register everything trop provides ------------*- C++ -*-===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// Explicit registration entry points (no static registration), so that host
// compilers decide what they pull in.
//
//===----------------------------------------------------------------------===//

#ifndef TROP_INITALL_H
#define TROP_INITALL_H

namespace mlir {
class DialectRegistry;

namespace trop {

/// Inserts the trop dialect into `registry`, with the external interface
/// models of its ops (bufferization).
void registerTropDialect(DialectRegistry &registry);

/// Registers trop's passes and pipelines with the global pass registry.
void registerAllTropPasses();

} // namespace trop
} // namespace mlir

#endif // TROP_INITALL_H
