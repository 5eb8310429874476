// Row-wise normalizations and per-channel affine ops, one operator template for four public
// operators, since each is "one kernel pass (or three) per row of contiguous floats":
//  - layer norm and RMS norm over the trailing axes (reshape takes an N-D shape and an axis and
//    sees it as [rows][norm_size]): per row, the mean (rreduce sum; RMS norm: 0), the sum of
//    squared deviations from it (rsumsqdev), then vnorm with scale = 1 / sqrt(var + epsilon) and
//    the packed gamma / beta (RMS norm: beta is zeros);
//  - batch norm (inference) over the channels of [batch][channels]: folded at create into
//    per-channel scale / shift (in double, rounded once), then vnorm with mean 0 and scale 1,
//    which are exact, so one kernel serves the affine map too;
//  - prelu over the channels of [batch][channels]: vprelu with the packed slope.
// Kernels: kernels/ukernels-norm.h. Rows are independent and each is computed whole by one
// thread, so results do not depend on the number of threads. The statistics are float sums in
// the kernel's fixed order; mean = sum / n and var = sumsq / n are rounded once each.
#include <cmath>
#include <cstdint>
#include <cstring>

#include "allocator.h"
#include "checks.h"
#include "configs/norm-config.h"
#include "nc-operator.h"
#include "parallel.h"
#include "shape.h"

namespace {

using namespace pnn;

// Elements per parallel task: rows are grouped until a task has about this many.
constexpr size_t kNormTaskElements = 8192;

template <OpType Type>
struct NormOperator final : NcOperator<Type, /*in_place=*/true> {
  const NormConfig* config = nullptr;
  size_t length = 0;             // floats per row: norm_size or channels
  AlignedBuffer<float> p, q;     // gamma / beta, scale / shift, or slope (q unused)
  float epsilon = 0.0f;
  size_t batch = 0, rows_per_task = 1;

  void row(const float* x, float* y) const {
    const size_t n = length;
    if constexpr (Type == OpType::kPRelu) {
      config->vprelu.fn(n, x, p.data(), y);
    } else if constexpr (Type == OpType::kBatchNorm) {
      config->vnorm.fn(n, x, 0.0f, 1.0f, p.data(), q.data(), y);
    } else {
      float mean = 0.0f;
      if constexpr (Type == OpType::kLayerNorm) {
        config->rreduce[pnn_rreduce_sum].fn(n, x, &mean);
        mean /= static_cast<float>(n);
      }
      float sumsq;
      config->rsumsqdev.fn(n, x, mean, &sumsq);
      const float scale = 1.0f / std::sqrt(sumsq / static_cast<float>(n) + epsilon);
      config->vnorm.fn(n, x, mean, scale, p.data(), q.data(), y);
    }
  }

  static void task(void* ctx, size_t start, size_t count) {
    const auto* t = static_cast<const NormOperator*>(ctx);
    for (size_t r = start; r < start + count; r++) {
      t->row(t->input + r * t->rows.input_stride, t->output + r * t->rows.output_stride);
    }
  }

  void run(pnn_threadpool_t pool) override {
    parallelize_1d_tile(pool, task, this, batch, rows_per_task);
  }

  // `rows` rows of `length` floats; *this untouched on failure.
  pnn_status reshape(const NcStrides& strides, const char* rows_name, size_t rows_count) {
    const NcRows r = {rows_name, rows_count, Type == OpType::kLayerNorm || Type == OpType::kRmsNorm
                                                 ? "norm_size"
                                                 : "channels",
                      length};
    const pnn_status s = plan_nc_rows(r, r, strides, &this->rows);
    if (s != pnn_status_success) return s;
    batch = rows_count;
    rows_per_task = max_size(1, kNormTaskElements / length);
    return pnn_status_success;
  }

  // The N-D reshape of layer / RMS norm: [shape[0..axis)] rows of shape[axis..] = norm_size.
  pnn_status reshape_nd(size_t num_dims, const size_t* shape, int32_t axis) {
    AxisSplit split;
    const pnn_status s = split_at_axis({"num_dims", "shape", num_dims, shape}, axis, &split);
    if (s != pnn_status_success) return s;
    const size_t norm = split.dim * split.inner;  // bounded by the element count
    if (norm != length) {
      return fail(pnn_status_invalid_parameter,
                  "shape[%zu..%zu] (from axis %d) holds %zu elements; it must equal norm_size "
                  "(%zu)",
                  split.axis, num_dims - 1, static_cast<int>(axis), norm, length);
    }
    return reshape(NcStrides::dense(), "rows", split.outer);
  }
};

using LayerNormOperator = NormOperator<OpType::kLayerNorm>;
using RmsNormOperator = NormOperator<OpType::kRmsNorm>;
using BatchNormOperator = NormOperator<OpType::kBatchNorm>;
using PReluOperator = NormOperator<OpType::kPRelu>;

pnn_status check_array(const char* name, const float* values) {
  if (values != nullptr) return pnn_status_success;
  return fail(pnn_status_invalid_parameter, "%s is NULL", name);
}

pnn_status check_epsilon(float epsilon) {
  if (std::isfinite(epsilon) && epsilon >= 0.0f) return pnn_status_success;
  return fail(pnn_status_invalid_parameter, "epsilon is %g; it must be finite and >= 0", epsilon);
}

// The create steps the four share after begin_create and their own arrays' checks: the length,
// the flags, the kernels, and the operator with its two parameter arrays allocated (zeros).
template <class T>
pnn_status begin_norm(const char* length_name, size_t length, uint32_t flags, T** out) {
  if (length == 0 || length > SIZE_MAX / sizeof(float)) {
    return fail(pnn_status_invalid_parameter, "%s is %zu; it must be >= 1 and its floats' bytes "
                "must fit size_t", length_name, length);
  }
  pnn_status s = check_flags(flags, 0, "none");
  if (s != pnn_status_success) return s;
  const NormConfig* config = get_norm_config();
  if (config->rreduce[pnn_rreduce_sum].fn == nullptr || config->rsumsqdev.fn == nullptr ||
      config->vnorm.fn == nullptr || config->vprelu.fn == nullptr) {
    return fail(pnn_status_unsupported_hardware,
                "no normalization kernel runs on this CPU in this build");
  }
  T* t = new_operator<T>();
  if (t == nullptr || !t->p.allocate(length) || !t->q.allocate(length)) {
    delete t;
    return fail(pnn_status_out_of_memory, "no memory for the operator and its %zu-float %s",
                length, length_name);
  }
  t->config = config;
  t->length = length;
  *out = t;
  return pnn_status_success;
}

void copy_floats(float* to, const float* from, size_t n) {
  if (from != nullptr) std::memcpy(to, from, n * sizeof(float));
}

// Layer norm and RMS norm: gamma required, beta optional (RMS: none).
template <class T>
pnn_status create_row_norm(size_t norm_size, const float* gamma, const float* beta,
                           float epsilon, uint32_t flags, pnn_operator_t* op_out) {
  pnn_status s = begin_create(op_out);
  if (s == pnn_status_success) s = check_array("gamma", gamma);
  if (s == pnn_status_success) s = check_epsilon(epsilon);
  T* t = nullptr;
  if (s == pnn_status_success) s = begin_norm("norm_size", norm_size, flags, &t);
  if (s != pnn_status_success) return s;
  copy_floats(t->p.data(), gamma, norm_size);
  copy_floats(t->q.data(), beta, norm_size);
  t->epsilon = epsilon;
  t->kernel_name = t->config->vnorm.name;
  *op_out = t;
  return pnn_status_success;
}

}  // namespace

// The reshape and setup entry points, the same for the operators of each group but for the
// operator type, defined once here (the function names are spelled out at each use).
// Batch norm and prelu: `[batch_size][channels]` rows, plain or strided.
#define PNN_NC_ROW_ENTRY_POINTS(T, reshape_fn, reshape_strided_fn, setup_fn)                 \
  pnn_status reshape_fn(pnn_operator_t op, size_t batch_size, pnn_threadpool_t) {            \
    PNN_API_SCOPE();                                                                         \
    return reshape_operator<T>(op, NcStrides::dense(), "batch_size", batch_size);            \
  }                                                                                          \
  pnn_status reshape_strided_fn(pnn_operator_t op, size_t batch_size, size_t input_stride,   \
                                size_t output_stride, pnn_threadpool_t) {                    \
    PNN_API_SCOPE();                                                                         \
    return reshape_operator<T>(op, NcStrides::of(input_stride, output_stride), "batch_size", \
                               batch_size);                                                  \
  }                                                                                          \
  pnn_status setup_fn(pnn_operator_t op, const float* input, float* output) {                \
    PNN_API_SCOPE();                                                                         \
    return setup_nc<T>(op, input, output);                                                   \
  }
// Layer norm and RMS norm: an N-D shape normalized from `axis` on.
#define PNN_ND_ROW_ENTRY_POINTS(T, reshape_fn, setup_fn)                                   \
  pnn_status reshape_fn(pnn_operator_t op, size_t num_dims, const size_t* shape, int32_t axis, \
                        pnn_threadpool_t) {                                                  \
    PNN_API_SCOPE();                                                                         \
    auto* t = operator_cast<T>(op);                                                          \
    if (t == nullptr) return pnn_status_invalid_parameter;                                   \
    const pnn_status s = t->reshape_nd(num_dims, shape, axis);                               \
    if (s == pnn_status_success) t->state = OpState::kNeedsSetup;                            \
    return s;                                                                                \
  }                                                                                          \
  pnn_status setup_fn(pnn_operator_t op, const float* input, float* output) {                \
    PNN_API_SCOPE();                                                                         \
    return setup_nc<T>(op, input, output);                                                   \
  }

extern "C" {

pnn_status pnn_create_layer_norm_nd_f32(size_t norm_size, const float* gamma, const float* beta,
                                        float epsilon, uint32_t flags, pnn_operator_t* op_out) {
  PNN_API_SCOPE();
  return create_row_norm<LayerNormOperator>(norm_size, gamma, beta, epsilon, flags, op_out);
}
PNN_ND_ROW_ENTRY_POINTS(LayerNormOperator, pnn_reshape_layer_norm_nd_f32,
                        pnn_setup_layer_norm_nd_f32)

pnn_status pnn_create_rms_norm_nd_f32(size_t norm_size, const float* gamma, float epsilon,
                                      uint32_t flags, pnn_operator_t* op_out) {
  PNN_API_SCOPE();
  return create_row_norm<RmsNormOperator>(norm_size, gamma, nullptr, epsilon, flags, op_out);
}
PNN_ND_ROW_ENTRY_POINTS(RmsNormOperator, pnn_reshape_rms_norm_nd_f32, pnn_setup_rms_norm_nd_f32)

pnn_status pnn_create_batch_norm_nc_f32(size_t channels, const float* mean, const float* var,
                                        const float* gamma, const float* beta, float epsilon,
                                        uint32_t flags, pnn_operator_t* op_out) {
  PNN_API_SCOPE();
  pnn_status s = begin_create(op_out);
  if (s == pnn_status_success) s = check_array("mean", mean);
  if (s == pnn_status_success) s = check_array("var", var);
  if (s == pnn_status_success) s = check_array("gamma", gamma);
  if (s == pnn_status_success) s = check_array("beta", beta);
  if (s == pnn_status_success) s = check_epsilon(epsilon);
  BatchNormOperator* t = nullptr;
  if (s == pnn_status_success) s = begin_norm("channels", channels, flags, &t);
  if (s != pnn_status_success) return s;
  for (size_t c = 0; c < channels; c++) {
    const double scale = static_cast<double>(gamma[c]) /
                         std::sqrt(static_cast<double>(var[c]) + static_cast<double>(epsilon));
    t->p.data()[c] = static_cast<float>(scale);
    t->q.data()[c] = static_cast<float>(static_cast<double>(beta[c]) - mean[c] * scale);
  }
  t->kernel_name = t->config->vnorm.name;
  *op_out = t;
  return pnn_status_success;
}
PNN_NC_ROW_ENTRY_POINTS(BatchNormOperator, pnn_reshape_batch_norm_nc_f32,
                        pnn_reshape_batch_norm_nc_f32_strided, pnn_setup_batch_norm_nc_f32)

pnn_status pnn_create_prelu_nc_f32(size_t channels, const float* slope, uint32_t flags,
                                   pnn_operator_t* op_out) {
  PNN_API_SCOPE();
  pnn_status s = begin_create(op_out);
  if (s == pnn_status_success) s = check_array("slope", slope);
  PReluOperator* t = nullptr;
  if (s == pnn_status_success) s = begin_norm("channels", channels, flags, &t);
  if (s != pnn_status_success) return s;
  copy_floats(t->p.data(), slope, channels);
  t->kernel_name = t->config->vprelu.name;
  *op_out = t;
  return pnn_status_success;
}
PNN_NC_ROW_ENTRY_POINTS(PReluOperator, pnn_reshape_prelu_nc_f32, pnn_reshape_prelu_nc_f32_strided,
                        pnn_setup_prelu_nc_f32)

}  // extern "C"
