"""Writes one of paper A's classification heads as MLIR with random constant
weights (seeded), for the --trop-prune preset=paper-a tests.

usage: paper_a_head.py HEAD N_IN [N_HID [N_CLASS]]
HEAD: relu, relu-fused (bias + ReLU in one generic), maxout (k = 2), dense-morph or sparse-morph (max-plus weights
finite with probability 2/N_HID, as paper A's init=2*n_hid; the rest -inf).
"""

import sys

import numpy as np


def dense(a):
    """An f32 dense attribute in MLIR's hex form (compact for big tensors)."""
    shape = "x".join(str(d) for d in a.shape)
    data = np.ascontiguousarray(a, dtype="<f4").tobytes().hex().upper()
    return f'dense<"0x{data}"> : tensor<{shape}xf32>'


def main():
    head = sys.argv[1]
    n_in = int(sys.argv[2])
    n_hid = int(sys.argv[3]) if len(sys.argv) > 3 else 512
    n_class = int(sys.argv[4]) if len(sys.argv) > 4 else 10
    rng = np.random.default_rng(0)
    width = 2 * n_hid if head == "maxout" else n_hid
    w1 = rng.standard_normal((n_in, width)).astype(np.float32)
    w2 = rng.standard_normal((n_hid, n_class)).astype(np.float32)
    print(f"func.func @head(%x: tensor<1x{n_in}xf32>) -> tensor<1x{n_class}xf32> {{")
    print("  %zero = arith.constant 0.0 : f32")
    print("  %ninf = arith.constant 0xFF800000 : f32")
    print(f"  %w1 = arith.constant {dense(w1)}")
    print(f"  %e1 = tensor.empty() : tensor<1x{width}xf32>")
    print(f"  %c1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<1x{width}xf32>) -> tensor<1x{width}xf32>")
    print(f"  %h = linalg.matmul ins(%x, %w1 : tensor<1x{n_in}xf32>, tensor<{n_in}x{width}xf32>) "
          f"outs(%c1 : tensor<1x{width}xf32>) -> tensor<1x{width}xf32>")
    print(f"  %e2 = tensor.empty() : tensor<1x{n_hid}xf32>")
    print(f"  %c2 = linalg.fill ins(%ninf : f32) outs(%e2 : tensor<1x{n_hid}xf32>) -> tensor<1x{n_hid}xf32>")
    if head == "maxout":
        print(f"  %y = trop.maxout group_size = 2 ins(%h : tensor<1x{width}xf32>) "
              f"outs(%c2 : tensor<1x{n_hid}xf32>) -> tensor<1x{n_hid}xf32>")
    elif head in ("dense-morph", "sparse-morph"):
        wm = rng.standard_normal((n_hid, n_hid)).astype(np.float32)
        if head == "sparse-morph":
            keep = rng.random((n_hid, n_hid)) < 2.0 / n_hid
            wm = np.where(keep, wm, np.float32(-np.inf)).astype(np.float32)
        print(f"  %wm = arith.constant {dense(wm)}")
        print(f"  %y = trop.matmul <max_plus> ins(%h, %wm : tensor<1x{n_hid}xf32>, tensor<{n_hid}x{n_hid}xf32>) "
              f"outs(%c2 : tensor<1x{n_hid}xf32>) -> tensor<1x{n_hid}xf32>")
    elif head == "relu-fused":
        # Bias add and ReLU in one generic, the ReLU as cmpf + select, as
        # linalg-fuse-elementwise-ops leaves torch-mlir's ops.
        b1 = rng.standard_normal((n_hid,)).astype(np.float32)
        print(f"  %b1 = arith.constant {dense(b1)}")
        print(f"  %y = linalg.generic {{indexing_maps = [affine_map<(i, j) -> (i, j)>, "
              f"affine_map<(i, j) -> (j)>, affine_map<(i, j) -> (i, j)>], "
              f"iterator_types = [\"parallel\", \"parallel\"]}} "
              f"ins(%h, %b1 : tensor<1x{n_hid}xf32>, tensor<{n_hid}xf32>) outs(%e2 : tensor<1x{n_hid}xf32>) {{")
        print("  ^bb0(%a: f32, %b: f32, %o: f32):")
        print("    %s = arith.addf %a, %b : f32")
        print("    %c = arith.cmpf ugt, %s, %zero : f32")
        print("    %r = arith.select %c, %s, %zero : f32")
        print("    linalg.yield %r : f32")
        print(f"  }} -> tensor<1x{n_hid}xf32>")
    else:
        print(f"  %y = arith.maximumf %h, %c1 : tensor<1x{n_hid}xf32>")
    print(f"  %w2 = arith.constant {dense(w2)}")
    print(f"  %e3 = tensor.empty() : tensor<1x{n_class}xf32>")
    print(f"  %c3 = linalg.fill ins(%zero : f32) outs(%e3 : tensor<1x{n_class}xf32>) -> tensor<1x{n_class}xf32>")
    print(f"  %z = linalg.matmul ins(%y, %w2 : tensor<1x{n_hid}xf32>, tensor<{n_hid}x{n_class}xf32>) "
          f"outs(%c3 : tensor<1x{n_class}xf32>) -> tensor<1x{n_class}xf32>")
    print(f"  return %z : tensor<1x{n_class}xf32>")
    print("}")


if __name__ == "__main__":
    main()
