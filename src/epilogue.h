// Epilogues: an elementwise unary function an operator applies in place to each block of its
// output right after its kernel wrote the block, while the block is still in L1. The graph runtime
// fuses a unary node (SiLU, hardswish, GELU, sigmoid, ...) into the convolution that produces its
// only input this way (src/graph/runtime.cc, pass 4): one pass over the output instead of two,
// and one parallel loop per node pair instead of two. The function is the unary operator's own
// kernel with its own parameters, applied to the same values, so the result is bit-identical to
// running the two nodes one after the other, at any thread count.
//
// The unary operator is created through the public call (which validates its parameters and
// picks its kernel); unary_epilogue() then reads its kernel and parameters out, and the operator
// may be deleted: an epilogue holds no pointer into it.
#pragma once

#include <cstddef>

#include "params.h"
#include "portnn.h"
#include "ukernels.h"

namespace pnn {

struct Epilogue {
  pnn_f32_vunary_ukernel_fn fn = nullptr;  // none when NULL
  pnn_f32_unary_params params{};

  explicit operator bool() const { return fn != nullptr; }
  // y[0..n) = f(y[0..n)) (the unary kernels allow x == y).
  void apply(float* y, size_t n) const { fn(n, y, y, &params); }
  // `rows` runs of `n` elements, `stride` elements apart.
  void apply_rows(float* y, size_t rows, size_t n, size_t stride) const {
    if (stride == n) {
      fn(rows * n, y, y, &params);
      return;
    }
    for (size_t r = 0; r < rows; r++, y += stride) fn(n, y, y, &params);
  }
};

// The kernel and parameters of a unary elementwise operator (src/operators/unary.cc); false,
// with *out untouched, when `unary` is not one.
bool unary_epilogue(pnn_operator_t unary, Epilogue* out);

// Makes convolution `conv` apply `e` to its output (src/operators/convolution.cc): false when
// `conv` is not a convolution operator. The next reshape need not be repeated; the next run
// applies it.
bool set_convolution_epilogue(pnn_operator_t conv, const Epilogue& e);

}  // namespace pnn
