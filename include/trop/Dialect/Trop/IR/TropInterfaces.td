//===- TropInterfaces.td - trop op interfaces --------------*- tablegen -*-===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//

#ifndef TROP_DIALECT_TROP_IR_TROPINTERFACES_TD
#define TROP_DIALECT_TROP_IR_TROPINTERFACES_TD

include "mlir/IR/OpBase.td"

def Trop_TropOpInterface : OpInterface<"TropOpInterface"> {
  let cppNamespace = "::mlir::trop";
  let description = [{
    Implemented by every trop op. Exposes what tools and passes need to know
    about a tropical contraction without switching on its concrete class.
  }];
  let methods = [
    InterfaceMethod<
      /*desc=*/[{
        Static sizes of the loops of the op's iteration space (parallel
        loops first, then reduction loops), `ShapedType::kDynamic` where a
        size is only known at run time.
      }],
      /*retTy=*/"::llvm::SmallVector<int64_t>",
      /*methodName=*/"getStaticLoopRanges">,
    InterfaceMethod<
      /*desc=*/[{
        Number of tropical updates `c = c ⊕ (a ⊗ b)` the op performs (one
        per point of its iteration space), or std::nullopt when a loop size
        is dynamic. Benchmarks divide this by time to get updates/second.
      }],
      /*retTy=*/"std::optional<int64_t>",
      /*methodName=*/"getNumUpdates",
      /*args=*/(ins),
      /*methodBody=*/"",
      /*defaultImplementation=*/[{
        int64_t product = 1;
        for (int64_t size : $_op.getStaticLoopRanges()) {
          if (::mlir::ShapedType::isDynamic(size) ||
              ::llvm::MulOverflow(product, size, product))
            return std::nullopt;
        }
        return product;
      }]>,
    InterfaceMethod<
      /*desc=*/"Whether the op works on tensors (else on memrefs).",
      /*retTy=*/"bool",
      /*methodName=*/"hasTensorSemantics",
      /*args=*/(ins),
      /*methodBody=*/"",
      /*defaultImplementation=*/[{
        return ::llvm::isa<::mlir::RankedTensorType>(
            $_op.getInit().getType());
      }]>,
  ];
}

#endif // TROP_DIALECT_TROP_IR_TROPINTERFACES_TD
