// trop-to-cpu on memref trop.matmul: packed panels, a register tile of
// accumulators carried through the reduction loop, one ⊗/⊕ pair per
// accumulator per step, and an scf.parallel split when asked.
// RUN: trop-opt %s --trop-to-cpu="vector-bits=512 vector-registers=32" --split-input-file | FileCheck %s --check-prefix=AVX512
// RUN: trop-opt %s --trop-to-cpu="vector-bits=256 vector-registers=16 num-tasks=2" --split-input-file | FileCheck %s --check-prefix=AVX2
// RUN: trop-opt %s --trop-to-cpu="vector-bits=512 vector-registers=32 nan-mode=propagate" --split-input-file | FileCheck %s --check-prefix=STRICT

// 32 registers: a 12 x (2 x 16) tile, B panels of 32 columns, A panels of 12 rows;
// KC = 256 keeps a 12 x 256 A panel and a 256 x 32 B panel in the L1 together,
// and NC = 32 panels keeps the KC x NC block of B at 1 MiB.
// AVX512-LABEL: func.func @max_plus_f32
// AVX512-NOT: scf.parallel
// AVX512-DAG: memref.alloc() {alignment = 64 : i64} : memref<32x256x32xf32>
// AVX512-DAG: memref.alloc() {alignment = 64 : i64} : memref<12x12x256xf32>
// AVX512-DAG: memref.alloca() {alignment = 64 : i64} : memref<12x32xf32>
// AVX512: %{{.*}}:24 = scf.for {{.*}} -> (vector<16xf32>, vector<16xf32>,
// AVX512-COUNT-2: vector.load %{{.*}} : memref<32x256x32xf32>, vector<16xf32>
// AVX512: memref.load %{{.*}} : memref<12x12x256xf32>
// AVX512-NEXT: vector.broadcast %{{.*}} : f32 to vector<16xf32>
// AVX512-NEXT: %[[P:.*]] = arith.addf %{{.*}}, %{{.*}} : vector<16xf32>
// AVX512-NEXT: %[[GT:.*]] = arith.cmpf ogt, %[[P]], %[[ACC:.*]] : vector<16xf32>
// AVX512-NEXT: arith.select %[[GT]], %[[P]], %[[ACC]] : vector<16xi1>, vector<16xf32>
// AVX512: memref.dealloc
// AVX512-NOT: trop.matmul

// 16 registers: a 6 x (2 x 8) tile; two parallel tasks, each with its own panels.
// AVX2-LABEL: func.func @max_plus_f32
// AVX2: scf.parallel
// AVX2-DAG: memref.alloc() {alignment = 64 : i64} : memref<16x512x16xf32>
// AVX2-DAG: memref.alloc() {alignment = 64 : i64} : memref<12x6x512xf32>
// AVX2: %{{.*}}:12 = scf.for {{.*}} -> (vector<8xf32>, vector<8xf32>,

// STRICT-LABEL: func.func @max_plus_f32
// STRICT: %[[S:.*]] = arith.addf %{{.*}}, %{{.*}} : vector<16xf32>
// STRICT: %[[NAN:.*]] = arith.cmpf uno, %[[S]], %[[S]] : vector<16xf32>
// STRICT: %[[ORD:.*]] = arith.cmpf ord, %{{.*}}, %{{.*}} : vector<16xf32>
// STRICT: %[[MET:.*]] = arith.andi %[[NAN]], %[[ORD]] : vector<16xi1>
// STRICT: %[[P:.*]] = arith.select %[[MET]], %{{.*}}, %[[S]] : vector<16xi1>, vector<16xf32>
// STRICT: arith.maximumf %{{.*}}, %[[P]] : vector<16xf32>
// STRICT-NOT: arith.maxnumf
func.func @max_plus_f32(%a: memref<64x128xf32>, %b: memref<128x96xf32>, %c: memref<64x96xf32>) {
  trop.matmul <max_plus> ins(%a, %b : memref<64x128xf32>, memref<128x96xf32>) outs(%c : memref<64x96xf32>)
  return
}

// -----

// bf16 is computed in f32: packing widens, the tile is rounded once on store.
// AVX512-LABEL: func.func @min_plus_bf16
// AVX512: arith.extf %{{.*}} : vector<16xbf16> to vector<16xf32>
// AVX512: arith.cmpf olt, %{{.*}}, %{{.*}} : vector<16xf32>
// AVX512-NEXT: arith.select %{{.*}}, %{{.*}}, %{{.*}} : vector<16xi1>, vector<16xf32>
// AVX512: arith.truncf %{{.*}} : vector<16xf32> to vector<16xbf16>
func.func @min_plus_bf16(%a: memref<8x8xbf16>, %b: memref<8x8xbf16>, %c: memref<8x8xbf16>) {
  trop.matmul <min_plus> ins(%a, %b : memref<8x8xbf16>, memref<8x8xbf16>) outs(%c : memref<8x8xbf16>)
  return
}

// -----

// i16 max-plus stays in i16. Packing flags, per micro-panel, [p, 1] a value
// outside the half range [-16384, 16383] (𝟘 = -32768 included) and [p, 0] a
// 𝟘. A full tile whose panels are both in the half range runs a plain add
// (no sum can overflow); otherwise ⊗ is a saturating add, and the variant
// masks only the operands whose panels hold a 𝟘: A and B (a broadcast
// compare and a select per product), B only (a compare per B vector), none.
// AVX512-LABEL: func.func @max_plus_i16
// AVX512: %[[FA:.*]] = memref.alloca() : memref<12x2xi1>
// AVX512: %[[FB:.*]] = memref.alloca() : memref<16x2xi1>
// AVX512: %[[X:.*]] = vector.transfer_read {{.*}} : memref<40x64xi16>, vector<32xi16>
// AVX512: %[[LO:.*]] = arith.cmpi slt, %[[X]], %{{.*}} : vector<32xi16>
// AVX512: %[[HI:.*]] = arith.cmpi sgt, %[[X]], %{{.*}} : vector<32xi16>
// AVX512: arith.ori %[[LO]], %[[HI]] : vector<32xi1>
// AVX512: arith.cmpi eq, %[[X]], %{{.*}} : vector<32xi16>
// AVX512: vector.reduction <or>
// AVX512: memref.store %true, %[[FB]][%{{.*}}, %c1{{.*}}]
// AVX512: vector.reduction <or>
// AVX512: memref.store %{{.*}}, %[[FB]][%{{.*}}, %c0{{.*}}]
// Packed A holds each i16 replicated into an i32, for a 32-bit broadcast.
// AVX512: %[[AW:.*]] = arith.extui %{{.*}} : vector<32xi16> to vector<32xi32>
// AVX512: arith.muli %[[AW]], %{{.*}} : vector<32xi32>
// AVX512: %[[WA:.*]] = memref.load %[[FA]][%{{.*}}, %c1{{.*}}]
// AVX512: %[[WB:.*]] = memref.load %[[FB]][%{{.*}}, %c1{{.*}}]
// AVX512: %[[W:.*]] = arith.ori %[[WA]], %[[WB]] : i1
// AVX512: scf.if %[[W]] {
// AVX512: %[[ZA:.*]] = memref.load %[[FA]][%{{.*}}, %c0{{.*}}]
// AVX512: %[[ZB:.*]] = memref.load %[[FB]][%{{.*}}, %c0{{.*}}]
// AVX512: scf.if %[[ZA]] {
// AVX512: %{{.*}}:24 = scf.for
// AVX512: %[[B0:.*]] = arith.cmpi ne, %{{.*}}, %{{.*}} : vector<32xi16>
// AVX512: arith.cmpi ne, %{{.*}}, %{{.*}} : vector<32xi16>
// AVX512: vector.broadcast
// AVX512: %[[A0:.*]] = arith.cmpi ne, %{{.*}}, %{{.*}} : vector<32xi16>
// AVX512: %[[S:.*]] = llvm.intr.sadd.sat
// AVX512: %[[M:.*]] = arith.andi %[[A0]], %[[B0]] : vector<32xi1>
// AVX512: %[[MAX:.*]] = arith.maxsi %{{.*}}, %[[S]] : vector<32xi16>
// AVX512: arith.select %[[M]], %[[MAX]], %{{.*}} : vector<32xi1>, vector<32xi16>
// AVX512: } else {
// AVX512: scf.if %[[ZB]] {
// AVX512: %{{.*}}:24 = scf.for
// AVX512: %[[B1:.*]] = arith.cmpi ne, %{{.*}}, %{{.*}} : vector<32xi16>
// AVX512: %[[S1:.*]] = llvm.intr.sadd.sat
// AVX512-NEXT: %[[MAX1:.*]] = arith.maxsi %{{.*}}, %[[S1]] : vector<32xi16>
// AVX512-NEXT: arith.select %[[B1]], %[[MAX1]], %{{.*}} : vector<32xi1>, vector<32xi16>
// AVX512: } else {
// AVX512: %{{.*}}:24 = scf.for
// AVX512: %[[S2:.*]] = llvm.intr.sadd.sat
// AVX512-NEXT: arith.maxsi %{{.*}}, %[[S2]] : vector<32xi16>
// AVX512-NEXT: llvm.intr.sadd.sat
// AVX512: } else {
// AVX512: %{{.*}}:24 = scf.for
// AVX512: %[[AB:.*]] = vector.broadcast %{{.*}} : i32 to vector<16xi32>
// AVX512-NEXT: %[[AV:.*]] = vector.bitcast %[[AB]] : vector<16xi32> to vector<32xi16>
// AVX512-NEXT: %[[P:.*]] = arith.addi %[[AV]], %{{.*}} : vector<32xi16>
// AVX512-NEXT: arith.maxsi %{{.*}}, %[[P]] : vector<32xi16>
// AVX512-NOT: trop.matmul
func.func @max_plus_i16(%a: memref<24x40xi16>, %b: memref<40x64xi16>, %c: memref<24x64xi16>) {
  trop.matmul <max_plus> ins(%a, %b : memref<24x40xi16>, memref<40x64xi16>) outs(%c : memref<24x64xi16>)
  return
}

// -----

// i32 max-plus (no saturating add instruction) is computed in i64 with 𝟘
// mapped to the sentinel -2^62: one plain add and one max per update, then a
// clamp back to i32 when the tile is stored.
// AVX512-LABEL: func.func @max_plus_i32
// AVX512: %[[X:.*]] = vector.transfer_read {{.*}} : memref<8x8xi32>, vector<8xi32>
// AVX512: %[[W:.*]] = arith.extsi %[[X]] : vector<8xi32> to vector<8xi64>
// AVX512: %[[Z:.*]] = arith.cmpi eq, %[[X]], %{{.*}} : vector<8xi32>
// AVX512: arith.select %[[Z]], %{{.*}}, %[[W]] : vector<8xi1>, vector<8xi64>
// AVX512: arith.constant dense<-4611686018427387904> : vector<8xi64>
// AVX512: %{{.*}}:24 = scf.for
// AVX512: arith.addi %{{.*}}, %{{.*}} : vector<8xi64>
// AVX512-NEXT: arith.maxsi %{{.*}}, %{{.*}} : vector<8xi64>
// AVX512: scf.yield
// AVX512: arith.constant dense<-2147483648> : vector<8xi64>
// AVX512: arith.constant dense<2147483647> : vector<8xi64>
// AVX512: arith.maxsi %{{.*}}#0, %{{.*}} : vector<8xi64>
// AVX512-NEXT: arith.minsi %{{.*}}, %{{.*}} : vector<8xi64>
// AVX512-NEXT: arith.trunci %{{.*}} : vector<8xi64> to vector<8xi32>
// AVX512-NOT: trop.matmul
func.func @max_plus_i32(%a: memref<8x8xi32>, %b: memref<8x8xi32>, %c: memref<8x8xi32>) {
  trop.matmul <max_plus> ins(%a, %b : memref<8x8xi32>, memref<8x8xi32>) outs(%c : memref<8x8xi32>)
  return
}

// -----

// linalg.matmul (the linear layers around tropical ones) uses the same
// kernel with (+, ×): same summation order as linalg's loops.
// AVX512-LABEL: func.func @linear
// AVX512: %{{.*}}:24 = scf.for
// AVX512: arith.mulf %{{.*}}, %{{.*}} : vector<16xf32>
// AVX512-NEXT: arith.addf %{{.*}}, %{{.*}} : vector<16xf32>
// AVX512-NOT: linalg.matmul
func.func @linear(%a: memref<64x128xf32>, %b: memref<128x96xf32>, %c: memref<64x96xf32>) {
  linalg.matmul ins(%a, %b : memref<64x128xf32>, memref<128x96xf32>) outs(%c : memref<64x96xf32>)
  return
}

// -----

// Tensors must be bufferized first.
// AVX512-LABEL: func.func @tensors_left_alone
// AVX512: trop.matmul <max_plus> {{.*}} -> tensor<8x8xf32>
func.func @tensors_left_alone(%a: tensor<8x8xf32>, %b: tensor<8x8xf32>, %c: tensor<8x8xf32>) -> tensor<8x8xf32> {
  %r = trop.matmul <max_plus> ins(%a, %b : tensor<8x8xf32>, tensor<8x8xf32>) outs(%c : tensor<8x8xf32>) -> tensor<8x8xf32>
  return %r : tensor<8x8xf32>
}
