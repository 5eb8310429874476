// portnn back end of portnn-bench: create -> reshape -> setup once, then pnn_run_operator.
#include <cmath>
#include <string>

#include "bench.h"
#include "portnn.h"

namespace pnnbench {
namespace {

pnn_threadpool_t g_pool = nullptr;

class PortnnInstance final : public Instance {
 public:
  ~PortnnInstance() override { pnn_delete_operator(op_); }

  bool Run() override {
    const pnn_status status = pnn_run_operator(op_, g_pool);
    if (status != pnn_status_success) {
      error_ = std::string("pnn_run_operator: ") + pnn_status_string(status);
      return false;
    }
    return true;
  }

  // Builds the operator for `shape`; false with *error on failure.
  bool Init(const Shape& shape, std::string* error);

 private:
  bool Check(const char* what, pnn_status status, std::string* error) {
    if (status == pnn_status_success) return true;
    *error = std::string(what) + ": " + pnn_status_string(status);
    return false;
  }

  ShapeData data_;
  pnn_operator_t op_ = nullptr;
};

bool PortnnInstance::Init(const Shape& s, std::string* error) {
  MakeShapeData(s, &data_);
  float* out = data_.output.data();
  const float* in = data_.input_a.data();
  switch (s.section) {
    case Section::kGemm:
      if (!Check("pnn_create_fully_connected_nc_f32",
                 pnn_create_fully_connected_nc_f32(s.k, s.n, data_.weights.data(),
                                                   data_.bias.data(), -INFINITY, INFINITY, 0,
                                                   &op_),
                 error) ||
          !Check("pnn_reshape_fully_connected_nc_f32",
                 pnn_reshape_fully_connected_nc_f32(op_, s.m, g_pool), error) ||
          !Check("pnn_setup_fully_connected_nc_f32",
                 pnn_setup_fully_connected_nc_f32(op_, in, out), error)) {
        return false;
      }
      break;
    case Section::kConv: {
      pnn_convolution2d_params p = {};
      p.padding_top = p.padding_right = p.padding_bottom = p.padding_left =
          static_cast<uint32_t>(s.pad);
      p.kernel_height = p.kernel_width = static_cast<uint32_t>(s.kernel);
      p.stride_height = p.stride_width = static_cast<uint32_t>(s.stride);
      p.dilation_height = p.dilation_width = 1;
      p.groups = static_cast<uint32_t>(s.groups);
      p.group_input_channels = s.cin / s.groups;
      p.group_output_channels = s.cout / s.groups;
      p.output_min = -INFINITY;
      p.output_max = INFINITY;
      p.flags = 0;
      size_t oh = 0, ow = 0;
      if (!Check("pnn_create_convolution2d_nhwc_f32",
                 pnn_create_convolution2d_nhwc_f32(&p, data_.weights.data(), data_.bias.data(),
                                                   &op_),
                 error) ||
          !Check("pnn_reshape_convolution2d_nhwc_f32",
                 pnn_reshape_convolution2d_nhwc_f32(op_, 1, s.h, s.w, &oh, &ow, g_pool), error) ||
          !Check("pnn_setup_convolution2d_nhwc_f32",
                 pnn_setup_convolution2d_nhwc_f32(op_, in, out), error)) {
        return false;
      }
      if (oh != s.OutputHeight() || ow != s.OutputWidth()) {
        *error = "pnn_reshape_convolution2d_nhwc_f32 reported an unexpected output size";
        return false;
      }
      break;
    }
    case Section::kPool: {
      if (s.op == "global_avg") {
        if (!Check("pnn_create_global_average_pooling_nwc_f32",
                   pnn_create_global_average_pooling_nwc_f32(s.cin, -INFINITY, INFINITY, 0, &op_),
                   error) ||
            !Check("pnn_reshape_global_average_pooling_nwc_f32",
                   pnn_reshape_global_average_pooling_nwc_f32(op_, 1, s.h * s.w, g_pool),
                   error) ||
            !Check("pnn_setup_global_average_pooling_nwc_f32",
                   pnn_setup_global_average_pooling_nwc_f32(op_, in, out), error)) {
          return false;
        }
        break;
      }
      pnn_pooling2d_params p = {};
      p.padding_top = p.padding_right = p.padding_bottom = p.padding_left =
          static_cast<uint32_t>(s.pad);
      p.pooling_height = p.pooling_width = static_cast<uint32_t>(s.kernel);
      p.stride_height = p.stride_width = static_cast<uint32_t>(s.stride);
      p.dilation_height = p.dilation_width = 1;
      p.channels = s.cin;
      p.output_min = -INFINITY;
      p.output_max = INFINITY;
      p.flags = 0;
      size_t oh = 0, ow = 0;
      if (s.op == "max") {
        if (!Check("pnn_create_max_pooling2d_nhwc_f32",
                   pnn_create_max_pooling2d_nhwc_f32(&p, &op_), error) ||
            !Check("pnn_reshape_max_pooling2d_nhwc_f32",
                   pnn_reshape_max_pooling2d_nhwc_f32(op_, 1, s.h, s.w, &oh, &ow, g_pool),
                   error) ||
            !Check("pnn_setup_max_pooling2d_nhwc_f32",
                   pnn_setup_max_pooling2d_nhwc_f32(op_, in, out), error)) {
          return false;
        }
      } else {
        if (!Check("pnn_create_average_pooling2d_nhwc_f32",
                   pnn_create_average_pooling2d_nhwc_f32(&p, &op_), error) ||
            !Check("pnn_reshape_average_pooling2d_nhwc_f32",
                   pnn_reshape_average_pooling2d_nhwc_f32(op_, 1, s.h, s.w, &oh, &ow, g_pool),
                   error) ||
            !Check("pnn_setup_average_pooling2d_nhwc_f32",
                   pnn_setup_average_pooling2d_nhwc_f32(op_, in, out), error)) {
          return false;
        }
      }
      if (oh != s.OutputHeight() || ow != s.OutputWidth()) {
        *error = "pooling reshape reported an unexpected output size";
        return false;
      }
      break;
    }
    case Section::kElementwise:
      if (s.op == "add") {
        const size_t dims[1] = {s.count};
        if (!Check("pnn_create_binary_elementwise_nd_f32",
                   pnn_create_binary_elementwise_nd_f32(pnn_binary_add, -INFINITY, INFINITY, 0,
                                                        &op_),
                   error) ||
            !Check("pnn_reshape_binary_elementwise_nd_f32",
                   pnn_reshape_binary_elementwise_nd_f32(op_, 1, dims, 1, dims, nullptr, nullptr,
                                                         g_pool),
                   error) ||
            !Check("pnn_setup_binary_elementwise_nd_f32",
                   pnn_setup_binary_elementwise_nd_f32(op_, in, data_.input_b.data(), out),
                   error)) {
          return false;
        }
      } else if (s.op == "softmax") {
        if (!Check("pnn_create_softmax_nc_f32", pnn_create_softmax_nc_f32(s.cols, 0, &op_),
                   error) ||
            !Check("pnn_reshape_softmax_nc_f32", pnn_reshape_softmax_nc_f32(op_, s.rows, g_pool),
                   error) ||
            !Check("pnn_setup_softmax_nc_f32", pnn_setup_softmax_nc_f32(op_, in, out), error)) {
          return false;
        }
      } else {
        pnn_unary_op type = pnn_unary_clamp;
        pnn_unary_params params = {};
        params.min = 0.0f;  // relu = clamp to [0, +inf)
        params.max = INFINITY;
        if (s.op == "sigmoid") type = pnn_unary_sigmoid;
        if (s.op == "tanh") type = pnn_unary_tanh;
        if (s.op == "hardswish") type = pnn_unary_hardswish;
        if (s.op == "gelu") type = pnn_unary_gelu;  // exact erf form
        // One row of `count` channels: the whole vector is one contiguous stretch, as for XNNPACK.
        if (!Check("pnn_create_unary_elementwise_nc_f32",
                   pnn_create_unary_elementwise_nc_f32(type, &params, 0, &op_), error) ||
            !Check("pnn_reshape_unary_elementwise_nc_f32",
                   pnn_reshape_unary_elementwise_nc_f32(op_, 1, s.count, g_pool), error) ||
            !Check("pnn_setup_unary_elementwise_nc_f32",
                   pnn_setup_unary_elementwise_nc_f32(op_, in, out), error)) {
          return false;
        }
      }
      break;
  }
  variant_ = std::string(pnn_isa_name()) + " " + pnn_operator_kernel_name(op_);
  return true;
}

}  // namespace

bool InitializePortnn(size_t threads, std::string* error) {
  pnn_status status = pnn_initialize();
  if (status != pnn_status_success) {
    *error = std::string("pnn_initialize: ") + pnn_status_string(status);
    return false;
  }
  // A NULL pool runs on the caller's thread: the honest single-thread configuration.
  if (threads > 1) {
    status = pnn_threadpool_create(threads, &g_pool);
    if (status != pnn_status_success) {
      *error = std::string("pnn_threadpool_create: ") + pnn_status_string(status);
      return false;
    }
  }
  return true;
}

std::unique_ptr<Instance> CreatePortnnInstance(const Shape& shape, std::string* error) {
  std::unique_ptr<PortnnInstance> instance(new PortnnInstance());
  if (!instance->Init(shape, error)) return nullptr;
  return instance;
}

}  // namespace pnnbench
