// Transpose N-D, depth-to-space and space-to-depth. All three are one transpose: reshape
// validates the caller's arguments (with the caller's names), describes the movement as a
// shape and a permutation, folds it with src/shape.h normalize_permutation (dims of size 1
// dropped, dims that stay adjacent merged) and plans it with src/data-movement.h: a copy when
// the folded permutation keeps the innermost dim, the x32 transpose kernel otherwise.
//
// NHWC depth-to-space with block b is the 6-D transpose of the input seen as
// [N][H][W][b][b][C'] (DCR) or [N][H][W][C'][b][b] (CRD) into [N][H][b][W][b][C'];
// space-to-depth reads the input as [N][H'][b][W'][b][C] and writes [N][H'][W'][b][b][C].
#include <cstdint>

#include "checks.h"
#include "data-movement.h"
#include "shape.h"

namespace {

using namespace pnn;

using TransposeOperator = MoveOperator<OpType::kTranspose>;

// Depth-to-space and space-to-depth: the block size and mode from create; plan() checks an
// NHWC input against the block and gives the 6-D transpose and the output's H, W, C.
template <OpType Type>
struct BlockOperator final : MoveOperator<Type> {
  size_t block = 0;
  bool crd = false;
  pnn_status plan(const size_t nhwc[4], size_t shape[6], size_t perm[6], size_t out[3]) const;
};
using DepthToSpaceOperator = BlockOperator<OpType::kDepthToSpace>;
using SpaceToDepthOperator = BlockOperator<OpType::kSpaceToDepth>;

pnn_status check_multiple(const char* name, size_t value, const char* of_name, size_t of) {
  if (value % of == 0) return pnn_status_success;
  return fail(pnn_status_invalid_parameter, "%s is %zu; it must be a multiple of %s (%zu)", name,
              value, of_name, of);
}

void set6(size_t* to, size_t a, size_t b, size_t c, size_t d, size_t e, size_t f) {
  const size_t v[6] = {a, b, c, d, e, f};
  for (size_t i = 0; i < 6; i++) to[i] = v[i];
}

template <>
pnn_status DepthToSpaceOperator::plan(const size_t nhwc[4], size_t shape[6], size_t perm[6],
                                      size_t out[3]) const {
  const size_t b = block;
  const pnn_status s = check_multiple("channels", nhwc[3], "block_size^2", b * b);
  if (s != pnn_status_success) return s;
  const size_t c = nhwc[3] / (b * b);
  // Input [N][H][W][b][b][C'] (DCR) or [N][H][W][C'][b][b] (CRD) -> [N][H][b][W][b][C'].
  if (crd) {
    set6(shape, nhwc[0], nhwc[1], nhwc[2], c, b, b);
    set6(perm, 0, 1, 4, 2, 5, 3);
  } else {
    set6(shape, nhwc[0], nhwc[1], nhwc[2], b, b, c);
    set6(perm, 0, 1, 3, 2, 4, 5);
  }
  out[0] = nhwc[1] * b;
  out[1] = nhwc[2] * b;
  out[2] = c;
  return pnn_status_success;
}

template <>
pnn_status SpaceToDepthOperator::plan(const size_t nhwc[4], size_t shape[6], size_t perm[6],
                                      size_t out[3]) const {
  const size_t b = block;
  pnn_status s = check_multiple("height", nhwc[1], "block_size", b);
  if (s == pnn_status_success) s = check_multiple("width", nhwc[2], "block_size", b);
  if (s != pnn_status_success) return s;
  // Input [N][H'][b][W'][b][C] -> [N][H'][W'][b][b][C]; C * b * b <= H * W * C fits.
  set6(shape, nhwc[0], nhwc[1] / b, b, nhwc[2] / b, b, nhwc[3]);
  set6(perm, 0, 1, 3, 2, 4, 5);
  out[0] = nhwc[1] / b;
  out[1] = nhwc[2] / b;
  out[2] = nhwc[3] * b * b;
  return pnn_status_success;
}

template <typename T>
pnn_status create_block(uint32_t block_size, bool crd, uint32_t flags, pnn_operator_t* op_out) {
  return create_move<T>(
      flags, op_out,
      [&] {
        return block_size != 0
                   ? pnn_status_success
                   : fail(pnn_status_invalid_parameter, "block_size is 0; it must be >= 1");
      },
      [&](T* op) {
        op->block = block_size;
        op->crd = crd;
      });
}

// The body of both block reshapes: the NHWC arguments (each >= 1, the element count within
// bound), the operator's plan, the transpose committed, the output dims reported.
template <typename T>
pnn_status reshape_block(pnn_operator_t op, size_t batch, size_t height, size_t width,
                         size_t channels, size_t* output_height, size_t* output_width,
                         size_t* output_channels) {
  auto* t = operator_cast<T>(op);
  if (t == nullptr) return pnn_status_invalid_parameter;
  const size_t nhwc[4] = {batch, height, width, channels};
  const char* names[4] = {"batch", "height", "width", "channels"};
  for (size_t i = 0; i < 4; i++) {
    if (nhwc[i] == 0) return fail(pnn_status_invalid_parameter, "%s is 0; it must be >= 1", names[i]);
  }
  size_t count;
  if (!element_count(nhwc, 4, &count)) {
    return fail(pnn_status_invalid_parameter,
                "batch * height * width * channels elements overflow size_t bytes");
  }
  size_t shape[6], perm[6], out[3];
  const pnn_status s = t->plan(nhwc, shape, perm, out);
  if (s != pnn_status_success) return s;
  Permutation p;
  normalize_permutation(6, shape, perm, &p);  // valid by construction
  t->commit(plan_transpose(p), p.count, p.count);
  t->state = OpState::kNeedsSetup;
  set_if(output_height, out[0]);
  set_if(output_width, out[1]);
  set_if(output_channels, out[2]);
  return pnn_status_success;
}

}  // namespace

extern "C" {

pnn_status pnn_create_transpose_nd_x32(uint32_t flags, pnn_operator_t* op_out) {
  PNN_API_SCOPE();
  return create_move<TransposeOperator>(flags, op_out, no_check, no_init<TransposeOperator>);
}

pnn_status pnn_reshape_transpose_nd_x32(pnn_operator_t op, size_t num_dims, const size_t* shape,
                                        const size_t* perm, size_t* output_shape,
                                        pnn_threadpool_t) {
  PNN_API_SCOPE();
  auto* t = operator_cast<TransposeOperator>(op);
  if (t == nullptr) return pnn_status_invalid_parameter;
  Permutation p;
  const pnn_status s = normalize_permutation(num_dims, shape, perm, &p);
  if (s != pnn_status_success) return s;
  t->commit(plan_transpose(p), p.count, p.count);
  t->state = OpState::kNeedsSetup;
  if (output_shape != nullptr) {
    for (size_t j = 0; j < num_dims; j++) output_shape[j] = shape[perm[j]];
  }
  return pnn_status_success;
}

pnn_status pnn_setup_transpose_nd_x32(pnn_operator_t op, const void* input, void* output) {
  PNN_API_SCOPE();
  return setup_move<TransposeOperator>(op, input, output);
}

pnn_status pnn_create_depth_to_space_nhwc_x32(uint32_t block_size, pnn_depth_to_space_mode mode,
                                              uint32_t flags, pnn_operator_t* op_out) {
  PNN_API_SCOPE();
  const int m = enum_value(mode);
  if (m != pnn_depth_to_space_dcr && m != pnn_depth_to_space_crd) {
    const pnn_status s = begin_create(op_out);
    if (s != pnn_status_success) return s;
    return fail(pnn_status_invalid_parameter,
                "mode is %d; it must be pnn_depth_to_space_dcr (0) or pnn_depth_to_space_crd (1)",
                m);
  }
  return create_block<DepthToSpaceOperator>(block_size, m == pnn_depth_to_space_crd, flags,
                                            op_out);
}

pnn_status pnn_reshape_depth_to_space_nhwc_x32(pnn_operator_t op, size_t batch, size_t height,
                                               size_t width, size_t channels,
                                               size_t* output_height, size_t* output_width,
                                               size_t* output_channels, pnn_threadpool_t) {
  PNN_API_SCOPE();
  return reshape_block<DepthToSpaceOperator>(op, batch, height, width, channels, output_height,
                                             output_width, output_channels);
}

pnn_status pnn_setup_depth_to_space_nhwc_x32(pnn_operator_t op, const void* input, void* output) {
  PNN_API_SCOPE();
  return setup_move<DepthToSpaceOperator>(op, input, output);
}

pnn_status pnn_create_space_to_depth_nhwc_x32(uint32_t block_size, uint32_t flags,
                                              pnn_operator_t* op_out) {
  PNN_API_SCOPE();
  return create_block<SpaceToDepthOperator>(block_size, false, flags, op_out);
}

pnn_status pnn_reshape_space_to_depth_nhwc_x32(pnn_operator_t op, size_t batch,
                                               size_t input_height, size_t input_width,
                                               size_t input_channels, size_t* output_height,
                                               size_t* output_width, size_t* output_channels,
                                               pnn_threadpool_t) {
  PNN_API_SCOPE();
  return reshape_block<SpaceToDepthOperator>(op, batch, input_height, input_width,
                                             input_channels, output_height, output_width,
                                             output_channels);
}

pnn_status pnn_setup_space_to_depth_nhwc_x32(pnn_operator_t op, const void* input, void* output) {
  PNN_API_SCOPE();
  return setup_move<SpaceToDepthOperator>(op, input, output);
}

}  // extern "C"
