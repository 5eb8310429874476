// XNNPACK back end of portnn-bench, for Debian's 2022-02 snapshot: create -> setup once (setup
// takes the shape; there is no reshape step), then xnn_run_operator.
#include <cmath>
#include <string>

#include <pthreadpool.h>
#include <xnnpack.h>

#include "bench.h"

namespace pnnbench {
namespace {

pthreadpool_t g_pool = nullptr;

const char* XnnStatusString(xnn_status status) {
  switch (status) {
    case xnn_status_success: return "success";
    case xnn_status_uninitialized: return "uninitialized";
    case xnn_status_invalid_parameter: return "invalid parameter";
    case xnn_status_invalid_state: return "invalid state";
    case xnn_status_unsupported_parameter: return "unsupported parameter";
    case xnn_status_unsupported_hardware: return "unsupported hardware";
    case xnn_status_out_of_memory: return "out of memory";
  }
  return "unknown status";
}

class XnnpackInstance final : public Instance {
 public:
  XnnpackInstance() { variant_ = "xnnpack"; }
  ~XnnpackInstance() override {
    if (op_ != nullptr) xnn_delete_operator(op_);
  }

  bool Run() override {
    const xnn_status status = xnn_run_operator(op_, g_pool);
    if (status != xnn_status_success) {
      error_ = std::string("xnn_run_operator: ") + XnnStatusString(status);
      return false;
    }
    return true;
  }

  bool Init(const Shape& shape, std::string* error);

 private:
  bool Check(const char* what, xnn_status status, std::string* error) {
    if (status == xnn_status_success) return true;
    *error = std::string(what) + ": " + XnnStatusString(status);
    return false;
  }

  ShapeData data_;
  xnn_operator_t op_ = nullptr;
};

bool XnnpackInstance::Init(const Shape& s, std::string* error) {
  MakeShapeData(s, &data_);
  float* out = data_.output.data();
  const float* in = data_.input_a.data();
  const float lo = -INFINITY, hi = INFINITY;
  switch (s.section) {
    case Section::kGemm:
      return Check("xnn_create_fully_connected_nc_f32",
                   xnn_create_fully_connected_nc_f32(s.k, s.n, s.k, s.n, data_.weights.data(),
                                                     data_.bias.data(), lo, hi, 0, &op_),
                   error) &&
             Check("xnn_setup_fully_connected_nc_f32",
                   xnn_setup_fully_connected_nc_f32(op_, s.m, in, out, g_pool), error);
    case Section::kConv: {
      const uint32_t pad = static_cast<uint32_t>(s.pad);
      const uint32_t kernel = static_cast<uint32_t>(s.kernel);
      const uint32_t stride = static_cast<uint32_t>(s.stride);
      // Without XNN_FLAG_DEPTHWISE_CONVOLUTION the weights are [cout][kh][kw][cin/groups], the
      // same layout as portnn's; XNNPACK still picks its depthwise path when cin/groups == 1.
      return Check("xnn_create_convolution2d_nhwc_f32",
                   xnn_create_convolution2d_nhwc_f32(
                       pad, pad, pad, pad, kernel, kernel, stride, stride, 1, 1,
                       static_cast<uint32_t>(s.groups), s.cin / s.groups, s.cout / s.groups,
                       s.cin, s.cout, data_.weights.data(), data_.bias.data(), lo, hi, 0, &op_),
                   error) &&
             Check("xnn_setup_convolution2d_nhwc_f32",
                   xnn_setup_convolution2d_nhwc_f32(op_, 1, s.h, s.w, in, out, g_pool), error);
    }
    case Section::kPool: {
      const uint32_t pad = static_cast<uint32_t>(s.pad);
      const uint32_t kernel = static_cast<uint32_t>(s.kernel);
      const uint32_t stride = static_cast<uint32_t>(s.stride);
      if (s.op == "global_avg") {
        return Check("xnn_create_global_average_pooling_nwc_f32",
                     xnn_create_global_average_pooling_nwc_f32(s.cin, s.cin, s.cin, lo, hi, 0,
                                                               &op_),
                     error) &&
               Check("xnn_setup_global_average_pooling_nwc_f32",
                     xnn_setup_global_average_pooling_nwc_f32(op_, 1, s.h * s.w, in, out, g_pool),
                     error);
      }
      if (s.op == "max") {
        return Check("xnn_create_max_pooling2d_nhwc_f32",
                     xnn_create_max_pooling2d_nhwc_f32(pad, pad, pad, pad, kernel, kernel, stride,
                                                       stride, 1, 1, s.cin, s.cin, s.cin, lo, hi,
                                                       0, &op_),
                     error) &&
               Check("xnn_setup_max_pooling2d_nhwc_f32",
                     xnn_setup_max_pooling2d_nhwc_f32(op_, 1, s.h, s.w, in, out, g_pool), error);
      }
      return Check("xnn_create_average_pooling2d_nhwc_f32",
                   xnn_create_average_pooling2d_nhwc_f32(pad, pad, pad, pad, kernel, kernel,
                                                         stride, stride, s.cin, s.cin, s.cin, lo,
                                                         hi, 0, &op_),
                   error) &&
             Check("xnn_setup_average_pooling2d_nhwc_f32",
                   xnn_setup_average_pooling2d_nhwc_f32(op_, 1, s.h, s.w, in, out, g_pool),
                   error);
    }
    case Section::kElementwise:
      // Unary ops as one row of `count` channels, like the portnn side.
      if (s.op == "relu") {
        return Check("xnn_create_clamp_nc_f32",
                     xnn_create_clamp_nc_f32(s.count, s.count, s.count, 0.0f, hi, 0, &op_),
                     error) &&
               Check("xnn_setup_clamp_nc_f32", xnn_setup_clamp_nc_f32(op_, 1, in, out, g_pool),
                     error);
      }
      if (s.op == "sigmoid") {
        return Check("xnn_create_sigmoid_nc_f32",
                     xnn_create_sigmoid_nc_f32(s.count, s.count, s.count, 0, &op_), error) &&
               Check("xnn_setup_sigmoid_nc_f32",
                     xnn_setup_sigmoid_nc_f32(op_, 1, in, out, g_pool), error);
      }
      if (s.op == "hardswish") {
        return Check("xnn_create_hardswish_nc_f32",
                     xnn_create_hardswish_nc_f32(s.count, s.count, s.count, 0, &op_), error) &&
               Check("xnn_setup_hardswish_nc_f32",
                     xnn_setup_hardswish_nc_f32(op_, 1, in, out, g_pool), error);
      }
      if (s.op == "add") {
        const size_t dims[1] = {s.count};
        return Check("xnn_create_add_nd_f32", xnn_create_add_nd_f32(lo, hi, 0, &op_), error) &&
               Check("xnn_setup_add_nd_f32",
                     xnn_setup_add_nd_f32(op_, 1, dims, 1, dims, in, data_.input_b.data(), out,
                                          g_pool),
                     error);
      }
      if (s.op == "softmax") {
        return Check("xnn_create_softmax_nc_f32",
                     xnn_create_softmax_nc_f32(s.cols, s.cols, s.cols, 0, &op_), error) &&
               Check("xnn_setup_softmax_nc_f32",
                     xnn_setup_softmax_nc_f32(op_, s.rows, in, out, g_pool), error);
      }
      break;
  }
  *error = "XNNPACK back end cannot run " + s.name;
  return false;
}

}  // namespace

bool InitializeXnnpack(size_t threads, std::string* error) {
  const xnn_status status = xnn_initialize(nullptr);
  if (status != xnn_status_success) {
    *error = std::string("xnn_initialize: ") + XnnStatusString(status);
    return false;
  }
  if (threads > 1) {
    g_pool = pthreadpool_create(threads);
    if (g_pool == nullptr) {
      *error = "pthreadpool_create failed";
      return false;
    }
  }
  return true;
}

const char* XnnpackUnsupportedReason(const Shape& s) {
  if (s.section != Section::kElementwise) return nullptr;
  if (s.op == "tanh") return "this XNNPACK (2022-02) has no f32 tanh operator";
  if (s.op == "gelu") return "this XNNPACK (2022-02) has no f32 gelu operator";
  return nullptr;
}

std::unique_ptr<Instance> CreateXnnpackInstance(const Shape& shape, std::string* error) {
  std::unique_ptr<XnnpackInstance> instance(new XnnpackInstance());
  if (!instance->Init(shape, error)) return nullptr;
  return instance;
}

}  // namespace pnnbench
