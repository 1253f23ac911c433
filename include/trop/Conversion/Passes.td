//===- Passes.td - trop conversion passes ------------------*- tablegen -*-===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//

#ifndef TROP_CONVERSION_PASSES_TD
#define TROP_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

// The values of the nan-mode options, spelled once for the passes, the
// pipelines and trop-run: the included file is the `::llvm::cl::values(...)`
// expression.
def NaNModeOptionValues {
  string values = [{
#include "trop/Conversion/NaNModeValues.def"
}];
}

def ConvertTropToLinalg : Pass<"trop-to-linalg"> {
  let summary = "Lower trop ops to linalg.generic: the reference lowering";
  let description = [{
    Rewrites every trop op, on tensors or on memrefs, into a single
    `linalg.generic` whose body computes `c ⊕ (a ⊗ b)` with the arith ops the
    semiring helper (`trop/Dialect/Trop/IR/Semiring.h`) builds. This is the
    correctness oracle that every faster lowering is compared with, so it
    favours obviousness over speed: integer `_plus` products are computed in
    twice the width, clamped and made 𝟘-absorbing with a select.

    Convolution padding is materialised: on tensors with `tensor.pad` (the
    padding value is the semiring's 𝟘), on memrefs with a temporary buffer
    filled with 𝟘. Like the allocations of one-shot bufferization, that
    buffer is freed by the buffer deallocation pipeline that follows
    (`--trop-reference-pipeline` runs it). An op whose iteration space is
    statically empty becomes its destination.

    Example:

    ```mlir
    %r = trop.matmul <max_plus> ins(%a, %b : tensor<4x8xf32>, tensor<8x2xf32>)
                                outs(%c : tensor<4x2xf32>) -> tensor<4x2xf32>
    ```

    becomes

    ```mlir
    %r = linalg.generic {indexing_maps = [(i, j, k) -> (i, k), (i, j, k) -> (k, j), (i, j, k) -> (i, j)],
                         iterator_types = ["parallel", "parallel", "reduction"]}
        ins(%a, %b : tensor<4x8xf32>, tensor<8x2xf32>) outs(%c : tensor<4x2xf32>) {
    ^bb0(%x: f32, %y: f32, %acc: f32):
      %s = arith.addf %x, %y : f32
      %m = arith.maximumf %acc, %s : f32
      linalg.yield %m : f32
    } -> tensor<4x2xf32>
    ```
  }];
  let options = [
    Option<"nanMode", "nan-mode", "::mlir::trop::NaNMode",
           "::mlir::trop::NaNMode::Propagate",
           "How float max/min treat NaN", NaNModeOptionValues.values>,
    Option<"deallocTemporaries", "dealloc-temporaries", "bool", "false",
           "Free the padded copies of memref convolution inputs right after "
           "use (for pipelines that run after buffer deallocation)">,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::tensor::TensorDialect",
    "::mlir::scf::SCFDialect",
  ];
}

def ConvertTropToCPU : Pass<"trop-to-cpu"> {
  let summary = "Lower trop ops on memrefs to packed, register-tiled vector kernels";
  let description = [{
    Rewrites `trop.matmul`, `trop.batch_matmul` and `trop.conv_2d` on
    memrefs into a BLIS-style semiring GEMM: operand panels are packed into
    contiguous, 𝟘-padded buffers and a micro-kernel keeps an `MR × NR` tile
    of accumulators in vector registers (12 × 2 vectors with 32 registers,
    6 × 2 with 16), one broadcast, `NR / VL` loads and `MR · NR / VL` ⊗/⊕
    pairs per reduction step. `trop.conv_2d` is the same GEMM over output
    pixels with an implicit im2col in the packing of the left operand (one
    GEMM over window positions and channels when the channels fill whole
    vectors). i8 and i16 `_plus` semirings run in their own width: packing
    records which panels hold a 𝟘 and which a value beyond the half range;
    tiles on half-range panels use a plain add (no sum can overflow), the
    others a saturating add, masking 𝟘 out of the ⊕ where a panel holds one
    (docs/cpu-pipeline.md says why this is exact).
    `trop.depthwise_conv_2d` becomes a loop nest vectorized over channels.
    `trop.maxout` (leading dimensions collapsed into rows) reduces its
    contiguous groups in vector registers: groups of at most 8 channels give
    a register of outputs per step (a tree of even/odd shuffles and max for
    powers of two, a deinterleaving shuffle otherwise), larger groups are
    reduced one at a time from whole vectors, a masked last load and a
    horizontal max. Max never rounds, so any order is exact.
    Work is split into `num-tasks` tasks of an `scf.parallel` loop (lowered
    to OpenMP by the CPU pipeline).

    With `nan-mode=assume-none`, ⊕ is `arith.maxnumf`/`minnumf` with
    `fastmath<nnan>`, one `vmaxps`/`vminps` per update on x86. `f16` uses
    native vector arithmetic where the target has it (AVX512-FP16); `f16`
    without it and `bf16` are computed in `f32` and rounded once per result,
    which is exact (see `docs/semantics.md`).

    Sparse constant weights: when the right operand of a `trop.matmul` or
    `linalg.matmul` (f32/f64) is a constant global whose density of entries
    other than 𝟘 (0 for `linalg.matmul`) is at most `sparse-max-density`,
    the op instead becomes a gather kernel over those entries: the weight is
    stored by column (CSC arrays as private constant globals) and each
    output column is ⊕ over its entries, vectorized over rows of the left
    operand (packed transposed). Skipping 𝟘 is exact for inputs in the
    semiring's carrier, so for the semirings this is done only with
    `nan-mode=assume-none` (with `propagate`, a NaN met by a skipped 𝟘 must
    reach the output); for `linalg.matmul` the sum still runs in increasing
    k order, so results agree up to the sign of a zero (and except where an
    input is ±∞ or NaN, which the skipped zero would have turned into NaN).
    The default switch point is measured (`docs/cpu-pipeline.md`). This
    needs the pass to run on a `builtin.module`, where the globals go.

    Linear layers: `linalg.conv_2d_nhwc_hwcf`, `linalg.depthwise_conv_2d_nhwc_hwc`
    and `linalg.batch_matmul` on f32/f64 memrefs with the default
    multiply-add body run on the kernels of `trop.conv_2d`,
    `trop.depthwise_conv_2d` and `trop.batch_matmul` with one fused
    multiply-add (`vector.fma`) per update: within the rounding bound of
    docs/cpu-pipeline.md ("Linear layers") of linalg's loops, not
    bit-identical to them (`linalg.matmul` stays bit-identical).

    Elementwise linalg ops on memrefs (all-parallel generics and named ops
    whose bodies are arith/math ops: bias, BatchNorm, ReLU, scales, residual
    adds) become vector loops over their innermost dimension, bit-identical
    to linalg's loops. One that directly follows a GEMM-shaped op (matmul,
    conv_2d, linalg.matmul, linalg.conv_2d_nhwc_hwcf) on f32/f64 and reads
    its fresh output is fused into that GEMM's epilogue: the last reduction
    block's register tiles go through its body before they are stored
    (exact: the same ops in the same order).

    `i1` contractions (`max_min`/`min_max`, binary morphology) run on `i8`
    copies of their operands, since memrefs of `i1` hold a byte per element
    while vectors of `i1` are bit-packed: signed max/min of 0 and 1 are
    exactly OR and AND, and the destination is copied back.

    Ops without a fast kernel here (operands whose innermost dimension is not
    contiguous, maxout operands whose leading dimensions do not collapse,
    maxout on `i1`, whose copies would cost more than the op, tensors) are
    left for `--trop-to-linalg`.

    Example (the CPU pipeline runs it after bufferization):

    ```mlir
    trop.matmul <max_plus> ins(%x, %w : memref<256x512xf32>, memref<512x512xf32>)
                           outs(%y : memref<256x512xf32>)
    ```

    becomes a packed GEMM (`scf.for` nests of `vector.load`,
    `vector.broadcast`, `arith.addf` and `arith.maxnumf`), or, if `%w` is a
    `memref.get_global` of a constant with at most 25 % finite entries, the
    gather kernel.
  }];
  let options = [
    Option<"nanMode", "nan-mode", "::mlir::trop::NaNMode",
           "::mlir::trop::NaNMode::AssumeNone",
           "How float max/min treat NaN", NaNModeOptionValues.values>,
    Option<"numTasks", "num-tasks", "int64_t", "1",
           "Parallel tasks per op (1: sequential code, no scf.parallel)">,
    Option<"vectorBits", "vector-bits", "int64_t", "0",
           "Vector register width in bits (0: the host's)">,
    Option<"vectorRegisters", "vector-registers", "int64_t", "0",
           "Number of vector registers (0: the host's)">,
    Option<"nativeF16", "native-f16", "::mlir::trop::NativeF16",
           "::mlir::trop::NativeF16::Auto",
           "f16 arithmetic in f16 registers: auto (if the host has it), on, off",
           "::mlir::trop::nativeF16OptionValues()">,
    Option<"sparseMaxDensity", "sparse-max-density", "double",
           "::mlir::trop::kDefaultSparseMaxDensity",
           "Constant weights with at most this density of entries other than "
           "𝟘 (0 for linalg.matmul) take the sparse gather kernel (0: never)">,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::LLVM::LLVMDialect",
    "::mlir::math::MathDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::vector::VectorDialect",
  ];
}

def SoftBF16 : Pass<"trop-soft-bf16"> {
  let summary = "Compute bf16 arithmetic in f32 and round to bf16 in software";
  let description = [{
    Rewrites every arith op on `bf16` (scalars and vectors) into the same op
    on `f32` between `arith.extf` and `arith.truncf`, then expands those
    conversions into integer arithmetic (round to nearest even, NaN kept
    quiet). Results are the correctly rounded bf16 results: f32 has more
    than 2·8 + 2 significand bits, so rounding the f32 result again to bf16
    is innocuous, and max/min of values already in bf16 are exact.

    Without it, LLVM uses the host's bf16 conversion instruction where it
    has one (`vcvtneps2bf16` on AVX512-BF16), which flushes subnormals to
    zero, so results would depend on the machine. Both trop pipelines run it
    before lowering to LLVM.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

def ConvertTropToGPU : Pass<"trop-to-gpu"> {
  let summary = "Lower trop contractions on memrefs to tiled GPU kernels";
  let description = [{
    Rewrites `trop.matmul`, `trop.batch_matmul` and `trop.dual_matmul` on
    memrefs (run it after bufferization) into a `gpu.launch` of a tiled
    kernel: thread blocks of 256 threads each own a 128 × 128 tile of C,
    stage 8-deep slices of A (transposed, rows padded against bank
    conflicts) and B in two shared-memory buffers (the next slice is loaded
    into registers while the current one is used, one barrier per slice),
    and each thread accumulates an 8 × 8 register tile from 16-byte shared
    loads. Every shape is handled: indices are clamped and the reduction is
    padded with 𝟘, and elements outside C are not stored. ⊕ and ⊗ are those
    of the CPU kernels (`Semiring.h`), so results equal the reference's
    exactly, for every semiring and element type; f16 updates two columns
    per `vector<2xf16>` operation (half2 instructions), and in assume-none
    mode float ⊕ is `arith.maxnumf`/`arith.minnumf` (one PTX `max`/`min`).

    With `emulate`, the same decomposition is emitted as host loops over
    blocks and threads instead of a `gpu.launch` (each phase between two
    barriers a loop over the block's threads, the per-thread accumulators
    in memory): the CPU check of the kernel, runnable by the CPU JIT.

    Other ops are left alone.

    Example:

    ```mlir
    trop.matmul <max_plus> ins(%a, %b : memref<?x?xf32>, memref<?x?xf32>)
                           outs(%c : memref<?x?xf32>)
    ```

    becomes an `scf.if` (nothing to do when a dimension is empty) around a
    `gpu.launch` with `workgroup` buffers `memref<2x8x132xf32, 3>` and
    `memref<2x8x128xf32, 3>`, `gpu.barrier`s, `vector.load`s of
    `vector<4xf32>` and `arith.addf`/`arith.maxnumf` updates.
  }];
  let options = [
    Option<"nanMode", "nan-mode", "::mlir::trop::NaNMode",
           "::mlir::trop::NaNMode::AssumeNone",
           "How float max/min treat NaN", NaNModeOptionValues.values>,
    Option<"emulate", "emulate", "bool", "false",
           "Emit the kernel's blocks and threads as host loops (the CPU "
           "check of the GPU kernel) instead of a gpu.launch">,
    Option<"asyncCopy", "async-copy", "bool", "false",
           "Copy the slices of 32-bit element types from global to "
           "shared memory with cp.async (nvgpu.device_async_copy, sm_80+; "
           "the GPU pipeline sets it for chips from sm_80) instead of "
           "through registers">,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::gpu::GPUDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::nvgpu::NVGPUDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::vector::VectorDialect",
  ];
}

def GPUHostBuffers : Pass<"trop-gpu-host-buffers", "::mlir::func::FuncOp"> {
  let summary = "Stage the host memory of GPU functions in device memory";
  let description = [{
    Run after `--trop-to-gpu` and the mapping of the other ops' loops to
    `gpu.launch`, on functions whose callers pass host memory (the GPU
    pipeline's `host-buffers` option, used by `trop-run --pipeline gpu`,
    Python's `pipeline="gpu"` and `trop-compile --pipeline gpu`). Every
    identity-layout memref argument of a public function is copied into a
    `gpu.alloc`ed device buffer on entry (`gpu.memcpy`) and, if the
    function may write it, back before each return (an argument whose every
    use only reads it, such as a matmul's A and B, is not copied back), and
    the function then works on the device buffer; host-side
    `memref.alloc`/`memref.dealloc`/`memref.copy` become `gpu.alloc`,
    `gpu.dealloc` and `gpu.memcpy`. Any other host op that reads or writes a
    memref (and `memref.alloca`) is an error: after the pass every memory
    access of host code is a driver call. Follow it with
    `--gpu-async-region` so that the copies and launches are ordered on one
    stream and the host waits for them before returning.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::gpu::GPUDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect",
  ];
}

def GPUParallelLoops : Pass<"trop-gpu-parallel-loops"> {
  let summary = "Shape the remaining parallel loops as blocks of threads";
  let description = [{
    The GPU pipeline's step between `--convert-linalg-to-parallel-loops`
    and upstream's `--gpu-map-parallel-loops`, for the ops without a tiled
    kernel (maxout, depthwise_conv_2d, the fills and copies of the
    reference lowering): each outermost `scf.parallel` (not inside a
    `gpu.launch`) is collapsed into one dimension, its last dimension the
    fastest, and tiled by `block-size` with full tiles whose tail is
    guarded by an `scf.if`. The mapping then gives a grid of blocks of
    `block-size` threads, one element each, consecutive threads on
    consecutive elements of the innermost dimension (coalesced), instead of
    one thread per block. The loop bodies are unchanged, so results are
    those of the reference lowering; the emulated pipeline runs the same
    loops on the CPU.
  }];
  let options = [
    Option<"blockSize", "block-size", "int64_t", "256",
           "Threads per block (iterations per tile)">,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::scf::SCFDialect",
  ];
}

#endif // TROP_CONVERSION_PASSES_TD
