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

// Depth-to-space and space-to-depth: the block size and mode from create.
template <OpType Type>
struct BlockOperator final : MoveOperator<Type> {
  size_t block = 0;
  bool crd = false;
};
using DepthToSpaceOperator = BlockOperator<OpType::kDepthToSpace>;
using SpaceToDepthOperator = BlockOperator<OpType::kSpaceToDepth>;

// Plans the transpose of `shape` by `perm` (valid by construction) into op.
template <typename T>
void commit_transpose(T* op, size_t num_dims, const size_t* shape, const size_t* perm) {
  Permutation p;
  normalize_permutation(num_dims, shape, perm, &p);
  op->commit(plan_transpose(p), p.count, p.count);
}

pnn_status create_block(uint32_t block_size, uint32_t flags, pnn_operator_t* op_out) {
  pnn_status s = begin_create(op_out);
  if (s == pnn_status_success && block_size == 0) {
    s = fail(pnn_status_invalid_parameter, "block_size is 0; it must be >= 1");
  }
  if (s == pnn_status_success) s = check_flags(flags, 0, "none");
  return s;
}

template <typename T>
pnn_status new_block_operator(uint32_t block_size, bool crd, pnn_operator_t* op_out) {
  auto* op = new_operator<T>();
  if (op == nullptr) return fail(pnn_status_out_of_memory, "no memory for the operator");
  op->block = block_size;
  op->crd = crd;
  *op_out = op;
  return pnn_status_success;
}

// The NHWC arguments of a block reshape: each >= 1, the element count within bound.
pnn_status check_nhwc(size_t batch, size_t height, size_t width, size_t channels) {
  const size_t dims[4] = {batch, height, width, channels};
  const char* names[4] = {"batch", "height", "width", "channels"};
  for (size_t i = 0; i < 4; i++) {
    if (dims[i] == 0) return fail(pnn_status_invalid_parameter, "%s is 0; it must be >= 1", names[i]);
  }
  size_t count;
  if (!element_count(dims, 4, &count)) {
    return fail(pnn_status_invalid_parameter,
                "batch * height * width * channels elements overflow size_t bytes");
  }
  return pnn_status_success;
}

pnn_status check_multiple(const char* name, size_t value, const char* of_name, size_t of) {
  if (value % of == 0) return pnn_status_success;
  return fail(pnn_status_invalid_parameter, "%s is %zu; it must be a multiple of %s (%zu)", name,
              value, of_name, of);
}

void report_nhwc(size_t* oh, size_t* ow, size_t* oc, size_t h, size_t w, size_t c) {
  set_if(oh, h);
  set_if(ow, w);
  set_if(oc, c);
}

}  // namespace

extern "C" {

pnn_status pnn_create_transpose_nd_x32(uint32_t flags, pnn_operator_t* op_out) {
  PNN_API_SCOPE();
  pnn_status s = begin_create(op_out);
  if (s == pnn_status_success) s = check_flags(flags, 0, "none");
  if (s != pnn_status_success) return s;
  auto* op = new_operator<TransposeOperator>();
  if (op == nullptr) return fail(pnn_status_out_of_memory, "no memory for the operator");
  *op_out = op;
  return pnn_status_success;
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
  pnn_status s = create_block(block_size, flags, op_out);
  if (s != pnn_status_success) return s;
  const int m = enum_value(mode);
  if (m != pnn_depth_to_space_dcr && m != pnn_depth_to_space_crd) {
    return fail(pnn_status_invalid_parameter,
                "mode is %d; it must be pnn_depth_to_space_dcr (0) or pnn_depth_to_space_crd (1)",
                m);
  }
  return new_block_operator<DepthToSpaceOperator>(block_size, m == pnn_depth_to_space_crd,
                                                  op_out);
}

pnn_status pnn_reshape_depth_to_space_nhwc_x32(pnn_operator_t op, size_t batch, size_t height,
                                               size_t width, size_t channels,
                                               size_t* output_height, size_t* output_width,
                                               size_t* output_channels, pnn_threadpool_t) {
  PNN_API_SCOPE();
  auto* t = operator_cast<DepthToSpaceOperator>(op);
  if (t == nullptr) return pnn_status_invalid_parameter;
  const size_t b = t->block;
  pnn_status s = check_nhwc(batch, height, width, channels);
  if (s == pnn_status_success) s = check_multiple("channels", channels, "block_size^2", b * b);
  if (s != pnn_status_success) return s;
  const size_t c = channels / (b * b);
  // Input [N][H][W][b][b][C'] (DCR) or [N][H][W][C'][b][b] (CRD) -> [N][H][b][W][b][C'].
  const size_t dcr_shape[6] = {batch, height, width, b, b, c};
  const size_t dcr_perm[6] = {0, 1, 3, 2, 4, 5};
  const size_t crd_shape[6] = {batch, height, width, c, b, b};
  const size_t crd_perm[6] = {0, 1, 4, 2, 5, 3};
  commit_transpose(t, 6, t->crd ? crd_shape : dcr_shape, t->crd ? crd_perm : dcr_perm);
  t->state = OpState::kNeedsSetup;
  report_nhwc(output_height, output_width, output_channels, height * b, width * b, c);
  return pnn_status_success;
}

pnn_status pnn_setup_depth_to_space_nhwc_x32(pnn_operator_t op, const void* input, void* output) {
  PNN_API_SCOPE();
  return setup_move<DepthToSpaceOperator>(op, input, output);
}

pnn_status pnn_create_space_to_depth_nhwc_x32(uint32_t block_size, uint32_t flags,
                                              pnn_operator_t* op_out) {
  PNN_API_SCOPE();
  const pnn_status s = create_block(block_size, flags, op_out);
  if (s != pnn_status_success) return s;
  return new_block_operator<SpaceToDepthOperator>(block_size, false, op_out);
}

pnn_status pnn_reshape_space_to_depth_nhwc_x32(pnn_operator_t op, size_t batch, size_t height,
                                               size_t width, size_t channels,
                                               size_t* output_height, size_t* output_width,
                                               size_t* output_channels, pnn_threadpool_t) {
  PNN_API_SCOPE();
  auto* t = operator_cast<SpaceToDepthOperator>(op);
  if (t == nullptr) return pnn_status_invalid_parameter;
  const size_t b = t->block;
  pnn_status s = check_nhwc(batch, height, width, channels);
  if (s == pnn_status_success) s = check_multiple("height", height, "block_size", b);
  if (s == pnn_status_success) s = check_multiple("width", width, "block_size", b);
  if (s != pnn_status_success) return s;
  // Input [N][H'][b][W'][b][C] -> [N][H'][W'][b][b][C]; C * b * b <= H * W * C fits.
  const size_t shape[6] = {batch, height / b, b, width / b, b, channels};
  const size_t perm[6] = {0, 1, 3, 2, 4, 5};
  commit_transpose(t, 6, shape, perm);
  t->state = OpState::kNeedsSetup;
  report_nhwc(output_height, output_width, output_channels, height / b, width / b,
              channels * b * b);
  return pnn_status_success;
}

pnn_status pnn_setup_space_to_depth_nhwc_x32(pnn_operator_t op, const void* input, void* output) {
  PNN_API_SCOPE();
  return setup_move<SpaceToDepthOperator>(op, input, output);
}

}  // extern "C"
