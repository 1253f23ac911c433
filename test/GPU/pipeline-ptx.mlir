// The GPU pipeline emits PTX by itself (trop-opt registers the NVVM
// translation): the tiled kernel's inner loop is one add.rn.f32 and one
// max.f32 (assume-none) or min.NaN.f32 (propagate) per update (f16: one
// add.rn.f16x2 and one max.f16x2 per two updates), fed by 16-byte shared
// loads, with the accumulators in registers (no local memory). From sm_80 on,
// f32 slices go from global to shared memory by cp.async (one 4-byte copy per
// element, committed as a group, waited for before the barrier); before
// sm_80 (sm_75 here) through registers.

// RUN: trop-opt %s --trop-gpu-pipeline > %t.max
// RUN: %python %S/extract_ptx.py %t.max | FileCheck %s --check-prefix=MAX
// RUN: trop-opt %s --trop-gpu-pipeline="chip=sm_80 nan-mode=propagate" -o %t.min
// RUN: %python %S/extract_ptx.py %t.min | FileCheck %s --check-prefix=MIN
// RUN: trop-opt %s --trop-gpu-pipeline="chip=sm_75 features=+ptx70" -o %t.old
// RUN: %python %S/extract_ptx.py %t.old | FileCheck %s --check-prefix=OLD

// MAX: .target sm_90
// MAX-NOT: .local
// MAX: .visible .entry max_kernel(
// MAX: add.rn.f32
// MAX-NEXT: max.f32
// MAX-DAG: cp.async.ca.shared.global [{{.*}}], [{{.*}}], 4;
// MAX-DAG: cp.async.commit_group
// MAX-DAG: cp.async.wait_group 0;
// MAX-DAG: ld.shared.v4.b32
// MAX-DAG: bar.sync
// MAX: .visible .entry

// MIN: .target sm_80
// MIN: .visible .entry min_kernel(
// MIN: cp.async.ca.shared.global
// MIN: min.NaN.f32

// OLD: .target sm_75
// OLD-NOT: cp.async
// OLD: ld.shared.v4.b32
// OLD-NOT: cp.async

// f16 on packed half2 instructions.
// MAX: .visible .entry half_kernel(
// MAX: add.rn.f16x2
// MAX-NEXT: max.f16x2
func.func @max(%a: memref<?x?xf32>, %b: memref<?x?xf32>, %c: memref<?x?xf32>) {
  trop.matmul <max_plus> ins(%a, %b : memref<?x?xf32>, memref<?x?xf32>) outs(%c : memref<?x?xf32>)
  return
}
func.func @min(%a: memref<?x?xf32>, %b: memref<?x?xf32>, %c: memref<?x?xf32>) {
  trop.matmul <min_plus> ins(%a, %b : memref<?x?xf32>, memref<?x?xf32>) outs(%c : memref<?x?xf32>)
  return
}
func.func @half(%a: memref<?x?xf16>, %b: memref<?x?xf16>, %c: memref<?x?xf16>) {
  trop.matmul <max_plus> ins(%a, %b : memref<?x?xf16>, memref<?x?xf16>) outs(%c : memref<?x?xf16>)
  return
}
