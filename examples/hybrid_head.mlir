// Paper A's hybrid linear-morphological classification head, batch 256:
//
//   h = x W1 + b1                       linear 512 -> 512
//   y_i = max(bm_i, max_j (h_j + Wm_ji))  dense max-plus 512 -> 512 (bias as init)
//   z = y W2 + b2                       linear 512 -> 10
//
// The max-plus layer is a trop.matmul whose destination is the bias broadcast
// over the batch (PRODUCT.md §2). Weights are function arguments, so
// `trop-run --random-inputs` can run it without a trained model.
//
// Run it (README, first command):
//   trop-run examples/hybrid_head.mlir --entry forward --random-inputs --seed 0 --check --bench 5

#row = affine_map<(b, i) -> (i)>
#id = affine_map<(b, i) -> (b, i)>

func.func @forward(%x: tensor<256x512xf32>,
                   %w1: tensor<512x512xf32>, %b1: tensor<512xf32>,
                   %wm: tensor<512x512xf32>, %bm: tensor<512xf32>,
                   %w2: tensor<512x10xf32>, %b2: tensor<10xf32>) -> tensor<256x10xf32> {
  // Linear 512 -> 512: the bias broadcast is the matmul's accumulator.
  %e1 = tensor.empty() : tensor<256x512xf32>
  %bias1 = linalg.generic {indexing_maps = [#row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%b1 : tensor<512xf32>) outs(%e1 : tensor<256x512xf32>) {
  ^bb0(%b: f32, %unused: f32):
    linalg.yield %b : f32
  } -> tensor<256x512xf32>
  %h = linalg.matmul ins(%x, %w1 : tensor<256x512xf32>, tensor<512x512xf32>)
                     outs(%bias1 : tensor<256x512xf32>) -> tensor<256x512xf32>

  // Dense max-plus 512 -> 512 with the tropical bias as its init.
  %e2 = tensor.empty() : tensor<256x512xf32>
  %biasm = linalg.generic {indexing_maps = [#row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%bm : tensor<512xf32>) outs(%e2 : tensor<256x512xf32>) {
  ^bb0(%b: f32, %unused: f32):
    linalg.yield %b : f32
  } -> tensor<256x512xf32>
  %y = trop.matmul <max_plus> ins(%h, %wm : tensor<256x512xf32>, tensor<512x512xf32>)
                              outs(%biasm : tensor<256x512xf32>) -> tensor<256x512xf32>

  // Linear 512 -> 10.
  %e3 = tensor.empty() : tensor<256x10xf32>
  %bias2 = linalg.generic {indexing_maps = [#row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%b2 : tensor<10xf32>) outs(%e3 : tensor<256x10xf32>) {
  ^bb0(%b: f32, %unused: f32):
    linalg.yield %b : f32
  } -> tensor<256x10xf32>
  %z = linalg.matmul ins(%y, %w2 : tensor<256x512xf32>, tensor<512x10xf32>)
                     outs(%bias2 : tensor<256x10xf32>) -> tensor<256x10xf32>
  return %z : tensor<256x10xf32>
}
