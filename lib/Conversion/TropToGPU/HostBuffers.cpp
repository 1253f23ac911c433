//===- HostBuffers.cpp - Stage host buffers in device memory --------------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// The GPU pipeline's kernels read and write the memrefs they are given, so
// those must be device memory. Callers that hold host memory (trop-run, the
// C API, Python, a C program linking an ahead-of-time compiled model) get
// functions that stage it: every memref argument of a public function is
// copied into a device buffer on entry and back on return, temporaries are
// device buffers, and host-side copies become device copies (or a copy
// kernel between strided views). Host code that
// would read or write device memory itself is refused, so that the pass
// either produces a program whose every memory access is on the right side
// or fails with a diagnostic.
//
//===----------------------------------------------------------------------===//

#include "trop/Conversion/TropToGPU/TropToGPU.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

namespace mlir {
namespace trop {
#define GEN_PASS_DEF_GPUHOSTBUFFERS
#include "trop/Conversion/Passes.h.inc"
} // namespace trop
} // namespace mlir

using namespace mlir;
using namespace mlir::trop;

/// The dynamic sizes of `value` (a memref), as index values.
static SmallVector<Value> getDynamicSizes(OpBuilder &b, Location loc,
                                          Value value) {
  auto type = cast<MemRefType>(value.getType());
  SmallVector<Value> sizes;
  for (int64_t dim = 0; dim < type.getRank(); ++dim)
    if (type.isDynamicDim(dim))
      sizes.push_back(memref::DimOp::create(b, loc, value, dim));
  return sizes;
}

/// A device buffer of `type`, sized like `like`.
static Value createDeviceBuffer(OpBuilder &b, Location loc, MemRefType type,
                                ValueRange dynamicSizes) {
  return gpu::AllocOp::create(b, loc, type, Type(), ValueRange(), dynamicSizes,
                              ValueRange(), /*hostShared=*/false)
      .getMemref();
}

/// Whether host code may copy between `type`'s buffers with one memcpy.
static bool isContiguous(MemRefType type) {
  return type.getLayout().isIdentity() && type.getMemorySpace() == nullptr;
}

/// Whether `memref` (or a view of it) may be written: every use that is not
/// known to only read it (a load, a dim, the source of a copy or of a view
/// whose uses only read) counts as a write.
static bool mayBeWritten(Value memref, Operation *ignored = nullptr) {
  for (OpOperand &use : memref.getUses()) {
    Operation *user = use.getOwner();
    if (user == ignored ||
        isa<memref::DimOp, memref::LoadOp, vector::LoadOp,
            vector::TransferReadOp, memref::ExtractStridedMetadataOp>(user))
      continue;
    if (auto copy = dyn_cast<gpu::MemcpyOp>(user);
        copy && use.get() == copy.getSrc() && use.get() != copy.getDst())
      continue;
    if (auto copy = dyn_cast<memref::CopyOp>(user);
        copy && use.get() == copy.getSource() && use.get() != copy.getTarget())
      continue;
    if (auto copy = dyn_cast<nvgpu::DeviceAsyncCopyOp>(user);
        copy && use.get() == copy.getSrc() && use.get() != copy.getDst())
      continue;
    if (auto view = dyn_cast<ViewLikeOpInterface>(user);
        view && use.get() == view.getViewSource() &&
        llvm::none_of(user->getResults(),
                      [](Value view) { return mayBeWritten(view); }))
      continue;
    return true;
  }
  return false;
}

/// Copies each memref argument of `func` into a device buffer on entry and
/// back before each return, if the function may write it (read-only inputs
/// are not copied back).
static LogicalResult stageArguments(func::FuncOp func) {
  Block &entry = func.getBody().front();
  OpBuilder b = OpBuilder::atBlockBegin(&entry);
  // (host argument, device buffer) of the arguments to copy back.
  SmallVector<std::pair<Value, Value>> staged;
  SmallVector<Value> readOnly;
  for (BlockArgument argument : entry.getArguments()) {
    auto type = dyn_cast<MemRefType>(argument.getType());
    if (!type)
      continue;
    if (!isContiguous(type))
      return func.emitError("argument ")
             << argument.getArgNumber() << " of type " << type
             << " cannot be staged in device memory: only identity-layout "
                "memrefs in the default memory space can";
    Location loc = argument.getLoc();
    SmallVector<Value> sizes = getDynamicSizes(b, loc, argument);
    Value device = createDeviceBuffer(b, loc, type, sizes);
    auto copyIn =
        gpu::MemcpyOp::create(b, loc, Type(), ValueRange(), device, argument);
    // The sizes and the copy read the host memref; all else the device's.
    SmallPtrSet<Operation *, 4> hostUsers = {copyIn};
    for (Value size : sizes)
      hostUsers.insert(size.getDefiningOp());
    argument.replaceUsesWithIf(device, [&](OpOperand &use) {
      return !hostUsers.contains(use.getOwner());
    });
    // The copy in writes the buffer; whether anything else does decides
    // the copy back.
    if (mayBeWritten(device, copyIn))
      staged.emplace_back(argument, device);
    else
      readOnly.push_back(device);
  }
  func.walk([&](func::ReturnOp ret) {
    OpBuilder rb(ret);
    for (Value device : readOnly)
      gpu::DeallocOp::create(rb, ret.getLoc(), Type(), ValueRange(), device);
    for (auto [host, device] : staged) {
      gpu::MemcpyOp::create(rb, ret.getLoc(), Type(), ValueRange(), host,
                            device);
      gpu::DeallocOp::create(rb, ret.getLoc(), Type(), ValueRange(), device);
    }
  });
  return success();
}

/// A kernel copying `source` to `target` (same shape, any strides), one
/// element per thread: a copy into a subview (a padded convolution input)
/// is no single memcpy.
static void emitCopyKernel(OpBuilder &b, Location loc, Value source,
                           Value target) {
  auto type = cast<MemRefType>(source.getType());
  auto idx = [&](int64_t value) {
    return arith::ConstantIndexOp::create(b, loc, value).getResult();
  };
  SmallVector<Value> sizes;
  Value total = idx(1);
  for (int64_t dim = 0; dim < type.getRank(); ++dim) {
    sizes.push_back(memref::DimOp::create(b, loc, source, dim));
    total = arith::MulIOp::create(b, loc, total, sizes.back());
  }
  constexpr int64_t kThreads = 256;
  Value threads = idx(kThreads), one = idx(1);
  Value blocks = arith::CeilDivUIOp::create(b, loc, total, threads);
  auto launch =
      gpu::LaunchOp::create(b, loc, blocks, one, one, threads, one, one);
  OpBuilder kb = OpBuilder::atBlockBegin(&launch.getBody().front());
  Value linear = arith::AddIOp::create(
      kb, loc, arith::MulIOp::create(kb, loc, launch.getBlockIds().x, threads),
      launch.getThreadIds().x);
  Value inside =
      arith::CmpIOp::create(kb, loc, arith::CmpIPredicate::ult, linear, total);
  auto guard = scf::IfOp::create(kb, loc, inside, /*withElseRegion=*/false);
  OpBuilder gb = guard.getThenBodyBuilder();
  SmallVector<Value> indices(type.getRank());
  Value rest = linear;
  for (int64_t dim = type.getRank() - 1; dim >= 0; --dim) {
    indices[dim] = arith::RemUIOp::create(gb, loc, rest, sizes[dim]);
    rest = arith::DivUIOp::create(gb, loc, rest, sizes[dim]);
  }
  Value value = memref::LoadOp::create(gb, loc, source, indices);
  memref::StoreOp::create(gb, loc, value, target, indices);
  gpu::TerminatorOp::create(kb, loc);
}

/// Whether host op `op` may read or write memory through a memref operand.
static bool accessesMemRefs(Operation *op) {
  if (isa<gpu::GPUDialect>(op->getDialect()) ||
      isa<ViewLikeOpInterface, memref::DimOp, memref::ExtractStridedMetadataOp,
          memref::ExtractAlignedPointerAsIndexOp, func::CallOp>(op))
    return false;
  if (llvm::none_of(op->getOperands(),
                    [](Value v) { return isa<MemRefType>(v.getType()); }))
    return false;
  auto effects = dyn_cast<MemoryEffectOpInterface>(op);
  if (!effects)
    return !op->hasTrait<OpTrait::HasRecursiveMemoryEffects>();
  return effects.hasEffect<MemoryEffects::Read>() ||
         effects.hasEffect<MemoryEffects::Write>();
}

/// Moves the host-side allocations, deallocations and copies of `func` to
/// the device, and refuses other host accesses to memrefs.
static LogicalResult moveHostMemoryToDevice(func::FuncOp func) {
  SmallVector<Operation *> hostOps;
  func.walk<WalkOrder::PreOrder>([&](Operation *op) {
    if (isa<gpu::LaunchOp>(op))
      return WalkResult::skip();
    hostOps.push_back(op);
    return WalkResult::advance();
  });
  for (Operation *op : hostOps) {
    OpBuilder b(op);
    Location loc = op->getLoc();
    if (auto alloc = dyn_cast<memref::AllocOp>(op)) {
      if (!isContiguous(alloc.getType()))
        return alloc.emitError("cannot allocate a ")
               << alloc.getType() << " in device memory";
      alloc.replaceAllUsesWith(
          createDeviceBuffer(b, loc, alloc.getType(), alloc.getDynamicSizes()));
      alloc.erase();
    } else if (auto dealloc = dyn_cast<memref::DeallocOp>(op)) {
      gpu::DeallocOp::create(b, loc, Type(), ValueRange(), dealloc.getMemref());
      dealloc.erase();
    } else if (auto copy = dyn_cast<memref::CopyOp>(op)) {
      if (isContiguous(cast<MemRefType>(copy.getSource().getType())) &&
          isContiguous(cast<MemRefType>(copy.getTarget().getType())))
        gpu::MemcpyOp::create(b, loc, Type(), ValueRange(), copy.getTarget(),
                              copy.getSource());
      else
        emitCopyKernel(b, loc, copy.getSource(), copy.getTarget());
      copy.erase();
    } else if (isa<memref::AllocaOp>(op) || accessesMemRefs(op)) {
      return op->emitError("host code accesses a memref that the GPU "
                           "pipeline keeps in device memory");
    }
  }
  return success();
}

namespace {

struct GPUHostBuffersPass
    : public trop::impl::GPUHostBuffersBase<GPUHostBuffersPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal())
      return;
    if (failed(moveHostMemoryToDevice(func)) ||
        (func.isPublic() && failed(stageArguments(func))))
      signalPassFailure();
  }
};

} // namespace
