//===- BF16MemoryAsI16.cpp - Keep bf16 values out of the LLVM IR ----------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// Why: --trop-soft-bf16 computes bf16 in integer arithmetic, so bf16 values
// only pass between memory and i16 through bitcasts. LLVM 22 still sees
// `bfloat` values: InstCombine turns bitcast(select i16) into a select of
// bfloat, and once loop unrolling leaves such a value live across basic
// blocks, the x86 back end carries it promoted to f32 and rounds it back with
// vcvtneps2bf16 on AVX512-BF16 hosts, which treats subnormal inputs as zero:
// a bf16 subnormal result became 0 at JIT opt-level >= 2
// (test/trop-run/bf16-subnormal-opt-level.test). Moving bf16 through memory
// as i16 leaves LLVM no bfloat value to promote.
//
//===----------------------------------------------------------------------===//

#include "BF16MemoryAsI16.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/TypeUtilities.h"

using namespace mlir;

namespace {

/// `type` (bf16 or a vector of it) with i16 elements, or null.
static Type asI16(Type type) {
  if (!isa<BFloat16Type>(getElementTypeOrSelf(type)))
    return {};
  Type i16 = IntegerType::get(type.getContext(), 16);
  if (auto vectorType = dyn_cast<VectorType>(type))
    return vectorType.clone(i16);
  return i16;
}

struct BF16MemoryAsI16Pass
    : public PassWrapper<BF16MemoryAsI16Pass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(BF16MemoryAsI16Pass)

  StringRef getArgument() const final { return "trop-bf16-memory-as-i16"; }
  StringRef getDescription() const final {
    return "Load and store bf16 memory as i16 where only bitcasts use it";
  }

  void runOnOperation() override {
    SmallVector<LLVM::StoreOp> stores;
    SmallVector<LLVM::LoadOp> loads;
    getOperation().walk([&](Operation *op) {
      if (auto store = dyn_cast<LLVM::StoreOp>(op))
        stores.push_back(store);
      else if (auto load = dyn_cast<LLVM::LoadOp>(op))
        loads.push_back(load);
    });
    for (LLVM::StoreOp store : stores) {
      auto cast = store.getValue().getDefiningOp<LLVM::BitcastOp>();
      if (!cast || asI16(cast.getType()) != cast.getArg().getType())
        continue;
      store.getValueMutable().assign(cast.getArg());
      if (cast.use_empty())
        cast.erase();
    }
    for (LLVM::LoadOp load : loads) {
      Type i16 = asI16(load.getType());
      if (!i16 || !llvm::all_of(load->getUsers(), [&](Operation *user) {
            auto cast = dyn_cast<LLVM::BitcastOp>(user);
            return cast && cast.getType() == i16;
          }))
        continue;
      load.getResult().setType(i16);
      for (Operation *user : llvm::make_early_inc_range(load->getUsers())) {
        user->getResult(0).replaceAllUsesWith(load.getResult());
        user->erase();
      }
    }
  }
};

} // namespace

std::unique_ptr<Pass> mlir::trop::createBF16MemoryAsI16Pass() {
  return std::make_unique<BF16MemoryAsI16Pass>();
}

void mlir::trop::registerBF16MemoryAsI16Pass() {
  PassRegistration<BF16MemoryAsI16Pass>();
}
