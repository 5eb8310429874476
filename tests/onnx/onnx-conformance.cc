// ONNX operator conformance through the C API: runs the cases tests/onnx/convert.py made from
// the ONNX backend node tests (cases.json + cases.bin in the directory given) and prints, per
// ONNX operator, how many passed, failed and were unsupported, the reason for each unsupported
// and each failed case, and the tolerances applied. Exit status 1 on any failure, 2 when the
// cases cannot be read.
//
// The runner knows portnn operators, not ONNX: convert.py resolved every attribute into portnn
// parameters and did every layout conversion, so each step here is one portnn operator's
// create -> reshape -> setup -> run on the given tensors, with the output shape portnn reports
// checked against the one ONNX implies. kSteps below is the dispatch by portnn operator; the JS
// runner (tests/onnx/conformance.mjs) has the same table over the JS API. A new portnn operator
// is one entry in each. Run with PORTNN_ISA=<level> to test a forced level (tests/CMakeLists.txt
// adds one ctest entry per compiled level).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "portnn.h"
#include "shape-utils.h"

namespace {

using json = nlohmann::json;
using pnn_test::Count;
using pnn_test::Shape;
using pnn_test::ShapeString;

struct Tensor {
  Shape shape;
  std::vector<float> data;
};
using Tensors = std::map<std::string, Tensor>;

// A failed step or comparison: what went wrong, for the report.
struct Failure {
  std::string what;
};

// Throws a Failure naming the call and the library's reason unless it succeeded.
void Check(pnn_status status, const char* call) {
  if (status != pnn_status_success) {
    throw Failure{std::string(call) + ": " + pnn_status_string(status) + " (" +
                  pnn_last_error_message() + ")"};
  }
}

// The inputs of one step and its output buffers, shaped as convert.py said.
struct Step {
  const json& params;
  std::vector<const Tensor*> in;  // nullptr for an absent optional input (a bias)
  std::vector<Tensor*> outs;      // one per output (a split has several)
  pnn_operator_t op = nullptr;    // created by the dispatch entry, deleted with the step
  std::function<void()> finish;   // after the run, if set (argmax pooling's indices to floats)

  ~Step() { pnn_delete_operator(op); }
  float param(const char* key, float fallback) const {
    return params.contains(key) ? params[key].get<float>() : fallback;
  }
  uint32_t u32(const char* key, size_t i) const { return params[key][i].get<uint32_t>(); }
  bool flag(const char* key) const { return params.value(key, false); }
  template <typename T>
  std::vector<T> list(const char* key) const {
    return params[key].get<std::vector<T>>();
  }
  const float* data(size_t i) const { return in[i] ? in[i]->data.data() : nullptr; }
  Tensor& out(size_t k = 0) const { return *outs.at(k); }
  float* y(size_t k = 0) const { return out(k).data.data(); }
  // The output shape portnn reports must be the one ONNX implies.
  void expect_shape(const Shape& got, size_t k = 0) const {
    if (got != out(k).shape) {
      throw Failure{"portnn output shape " + ShapeString(got) + ", ONNX expects " +
                    ShapeString(out(k).shape)};
    }
  }
};

// Paddings, strides, dilations, no clamp and the SAME flag: fields convolution and pooling
// parameters share (their window size fields differ in name).
template <typename Params>
void SetWindow(const Step& s, Params& c) {
  c.padding_top = s.u32("padding", 0), c.padding_right = s.u32("padding", 1);
  c.padding_bottom = s.u32("padding", 2), c.padding_left = s.u32("padding", 3);
  c.stride_height = s.u32("stride", 0), c.stride_width = s.u32("stride", 1);
  c.dilation_height = s.u32("dilation", 0), c.dilation_width = s.u32("dilation", 1);
  c.output_min = -INFINITY, c.output_max = INFINITY;
  const json& same = s.params["same"];
  c.flags = same.is_null()    ? 0
            : same == "upper" ? PNN_FLAG_TENSORFLOW_SAME_PADDING
                              : PNN_FLAG_SAME_LOWER_PADDING;
}

// One 2-D window operator on an NHWC input: the reshape and the shape check they share.
template <typename Reshape>
void RunWindow(Step& s, Reshape reshape, const char* name) {
  const Shape& x = s.in[0]->shape;
  size_t oh = 0, ow = 0;
  Check(reshape(s.op, x[0], x[1], x[2], &oh, &ow, nullptr), name);
  s.expect_shape({x[0], oh, ow, s.out().shape.at(3)});
}

// The window, kernel size and groups of a convolution or deconvolution step.
template <typename Params>
Params ConvolutionParams(const Step& s) {
  const json& p = s.params;
  Params c{};
  SetWindow(s, c);
  c.kernel_height = s.u32("kernel", 0), c.kernel_width = s.u32("kernel", 1);
  c.groups = p["groups"].get<uint32_t>();
  c.group_input_channels = p["group_input_channels"].get<size_t>();
  c.group_output_channels = p["group_output_channels"].get<size_t>();
  return c;
}

void Convolution(Step& s) {
  const auto c = ConvolutionParams<pnn_convolution2d_params>(s);
  Check(pnn_create_convolution2d_nhwc_f32(&c, s.data(1), s.data(2), &s.op),
        "pnn_create_convolution2d_nhwc_f32");
  RunWindow(s, pnn_reshape_convolution2d_nhwc_f32, "pnn_reshape_convolution2d_nhwc_f32");
  Check(pnn_setup_convolution2d_nhwc_f32(s.op, s.data(0), s.y()),
        "pnn_setup_convolution2d_nhwc_f32");
}

// The pooling parameters of a step (max, argmax, average).
pnn_pooling2d_params PoolingParams(const Step& s) {
  pnn_pooling2d_params c{};
  SetWindow(s, c);
  c.pooling_height = s.u32("kernel", 0), c.pooling_width = s.u32("kernel", 1);
  c.channels = s.in[0]->shape.at(3);
  c.flags |= (s.flag("ceil_mode") ? PNN_FLAG_CEIL_MODE : 0) |
             (s.flag("count_include_pad") ? PNN_FLAG_COUNT_INCLUDE_PAD : 0);
  return c;
}

template <bool kMax>
void Pooling(Step& s) {
  const pnn_pooling2d_params c = PoolingParams(s);
  if (kMax) {
    Check(pnn_create_max_pooling2d_nhwc_f32(&c, &s.op), "pnn_create_max_pooling2d_nhwc_f32");
    RunWindow(s, pnn_reshape_max_pooling2d_nhwc_f32, "pnn_reshape_max_pooling2d_nhwc_f32");
    Check(pnn_setup_max_pooling2d_nhwc_f32(s.op, s.data(0), s.y()),
          "pnn_setup_max_pooling2d_nhwc_f32");
  } else {
    Check(pnn_create_average_pooling2d_nhwc_f32(&c, &s.op),
          "pnn_create_average_pooling2d_nhwc_f32");
    RunWindow(s, pnn_reshape_average_pooling2d_nhwc_f32, "pnn_reshape_average_pooling2d_nhwc_f32");
    Check(pnn_setup_average_pooling2d_nhwc_f32(s.op, s.data(0), s.y()),
          "pnn_setup_average_pooling2d_nhwc_f32");
  }
}

// Max pooling with indices: outputs the values and the indices (uint32, written over the second
// output's floats, then converted to float values in place: exact below 2^24, as convert.py
// requires).
void ArgmaxPooling(Step& s) {
  const pnn_pooling2d_params c = PoolingParams(s);
  Check(pnn_create_argmax_pooling2d_nhwc_f32(&c, &s.op), "pnn_create_argmax_pooling2d_nhwc_f32");
  RunWindow(s, pnn_reshape_argmax_pooling2d_nhwc_f32, "pnn_reshape_argmax_pooling2d_nhwc_f32");
  s.expect_shape(s.out(0).shape, 1);
  static_assert(sizeof(uint32_t) == sizeof(float), "indices are written over the floats");
  std::vector<float>& indices = s.out(1).data;
  Check(pnn_setup_argmax_pooling2d_nhwc_f32(s.op, s.data(0), s.y(0),
                                            reinterpret_cast<uint32_t*>(indices.data())),
        "pnn_setup_argmax_pooling2d_nhwc_f32");
  s.finish = [&indices] {
    for (float& f : indices) {
      uint32_t k;
      std::memcpy(&k, &f, sizeof k);
      f = static_cast<float>(k);
    }
  };
}

void GlobalAveragePooling(Step& s) {
  const Shape& x = s.in[0]->shape;  // [N][W][C]
  Check(pnn_create_global_average_pooling_nwc_f32(x.at(2), -INFINITY, INFINITY, 0, &s.op),
        "pnn_create_global_average_pooling_nwc_f32");
  Check(pnn_reshape_global_average_pooling_nwc_f32(s.op, x[0], x[1], nullptr),
        "pnn_reshape_global_average_pooling_nwc_f32");
  s.expect_shape({x[0], x[2]});
  Check(pnn_setup_global_average_pooling_nwc_f32(s.op, s.data(0), s.y()),
        "pnn_setup_global_average_pooling_nwc_f32");
}

void FullyConnected(Step& s) {
  const bool transposed = s.flag("transpose_weights");
  const Shape& x = s.in[0]->shape;  // [B][IC]
  const Shape& w = s.in[1]->shape;  // [OC][IC], or [IC][OC] transposed
  const size_t ic = x.at(1), oc = transposed ? w.at(1) : w.at(0);
  Check(pnn_create_fully_connected_nc_f32(ic, oc, s.data(1), s.data(2), -INFINITY, INFINITY,
                                          transposed ? PNN_FLAG_TRANSPOSE_WEIGHTS : 0, &s.op),
        "pnn_create_fully_connected_nc_f32");
  Check(pnn_reshape_fully_connected_nc_f32(s.op, x[0], nullptr),
        "pnn_reshape_fully_connected_nc_f32");
  s.expect_shape({x[0], oc});
  Check(pnn_setup_fully_connected_nc_f32(s.op, s.data(0), s.y()),
        "pnn_setup_fully_connected_nc_f32");
}

void BatchMatMul(Step& s) {
  const bool ta = s.flag("transpose_a"), tb = s.flag("transpose_b");
  const Shape& a = s.in[0]->shape;  // [..., M, K] ([..., K, M] transposed)
  const Shape& b = s.in[1]->shape;  // [..., K, N] ([..., N, K] transposed)
  const size_t dims = a.size() - 2, r = a.size() - 1;
  const size_t m = ta ? a[r] : a[r - 1], k = ta ? a[r - 1] : a[r], n = tb ? b[r - 1] : b[r];
  Check(pnn_create_batch_matmul_f32(
            (ta ? PNN_FLAG_TRANSPOSE_A : 0) | (tb ? PNN_FLAG_TRANSPOSE_B : 0), &s.op),
        "pnn_create_batch_matmul_f32");
  Shape batch(dims + 2);
  Check(
      pnn_reshape_batch_matmul_f32(s.op, dims, a.data(), b.data(), m, k, n, batch.data(), nullptr),
      "pnn_reshape_batch_matmul_f32");
  batch[dims] = m, batch[dims + 1] = n;
  s.expect_shape(batch);
  Check(pnn_setup_batch_matmul_f32(s.op, s.data(0), s.data(1), s.y()),
        "pnn_setup_batch_matmul_f32");
}

void Unary(Step& s) {
  static const std::map<std::string, pnn_unary_op> kOps = {{"clamp", pnn_unary_clamp},
                                                           {"leaky_relu", pnn_unary_leaky_relu},
                                                           {"elu", pnn_unary_elu},
                                                           {"sigmoid", pnn_unary_sigmoid},
                                                           {"tanh", pnn_unary_tanh},
                                                           {"hardswish", pnn_unary_hardswish},
                                                           {"gelu", pnn_unary_gelu},
                                                           {"silu", pnn_unary_silu},
                                                           {"abs", pnn_unary_abs},
                                                           {"negate", pnn_unary_negate},
                                                           {"square", pnn_unary_square},
                                                           {"sqrt", pnn_unary_sqrt},
                                                           {"exp", pnn_unary_exp},
                                                           {"hard_sigmoid", pnn_unary_hard_sigmoid},
                                                           {"erf", pnn_unary_erf},
                                                           {"log", pnn_unary_log},
                                                           {"floor", pnn_unary_floor},
                                                           {"ceil", pnn_unary_ceil},
                                                           {"round", pnn_unary_round},
                                                           {"sin", pnn_unary_sin},
                                                           {"cos", pnn_unary_cos},
                                                           {"softplus", pnn_unary_softplus},
                                                           {"reciprocal", pnn_unary_reciprocal},
                                                           {"rsqrt", pnn_unary_rsqrt}};
  pnn_unary_params p{s.param("min", -INFINITY), s.param("max", INFINITY),
                     s.param("negative_slope", 0.01f), s.param("alpha", 1.0f),
                     s.param("beta", 0.5f)};
  Check(pnn_create_unary_elementwise_nc_f32(
            kOps.at(s.params["unary"]), &p,
            s.flag("gelu_tanh") ? PNN_FLAG_GELU_TANH_APPROXIMATION : 0, &s.op),
        "pnn_create_unary_elementwise_nc_f32");
  Check(pnn_reshape_unary_elementwise_nc_f32(s.op, 1, Count(s.in[0]->shape), nullptr),
        "pnn_reshape_unary_elementwise_nc_f32");
  s.expect_shape(s.in[0]->shape);
  Check(pnn_setup_unary_elementwise_nc_f32(s.op, s.data(0), s.y()),
        "pnn_setup_unary_elementwise_nc_f32");
}

void Binary(Step& s) {
  static const std::map<std::string, pnn_binary_op> kOps = {
      {"add", pnn_binary_add},
      {"subtract", pnn_binary_subtract},
      {"multiply", pnn_binary_multiply},
      {"divide", pnn_binary_divide},
      {"minimum", pnn_binary_minimum},
      {"maximum", pnn_binary_maximum},
      {"squared_difference", pnn_binary_squared_difference},
      {"pow", pnn_binary_pow}};
  Check(pnn_create_binary_elementwise_nd_f32(kOps.at(s.params["binary"]), -INFINITY, INFINITY, 0,
                                             &s.op),
        "pnn_create_binary_elementwise_nd_f32");
  const Shape& a = s.in[0]->shape;
  const Shape& b = s.in[1]->shape;
  size_t dims = 0;
  Shape shape(PNN_MAX_DIMS);
  Check(pnn_reshape_binary_elementwise_nd_f32(s.op, a.size(), a.data(), b.size(), b.data(), &dims,
                                              shape.data(), nullptr),
        "pnn_reshape_binary_elementwise_nd_f32");
  shape.resize(dims);
  s.expect_shape(shape);
  Check(pnn_setup_binary_elementwise_nd_f32(s.op, s.data(0), s.data(1), s.y()),
        "pnn_setup_binary_elementwise_nd_f32");
}

void Softmax(Step& s) {
  const Shape& x = s.in[0]->shape;  // any rank; the softmax runs along `axis`
  const size_t axis = s.params["axis"].get<size_t>();
  Check(pnn_create_softmax_nc_f32(x.at(axis), s.flag("log") ? PNN_FLAG_LOG_SOFTMAX : 0, &s.op),
        "pnn_create_softmax_nc_f32");
  Check(pnn_reshape_softmax_nd_f32(s.op, x.size(), x.data(), static_cast<int32_t>(axis), nullptr),
        "pnn_reshape_softmax_nd_f32");
  s.expect_shape(x);
  Check(pnn_setup_softmax_nc_f32(s.op, s.data(0), s.y()), "pnn_setup_softmax_nc_f32");
}

void Deconvolution(Step& s) {
  auto c = ConvolutionParams<pnn_deconvolution2d_params>(s);
  c.adjustment_height = s.u32("adjustment", 0), c.adjustment_width = s.u32("adjustment", 1);
  Check(pnn_create_deconvolution2d_nhwc_f32(&c, s.data(1), s.data(2), &s.op),
        "pnn_create_deconvolution2d_nhwc_f32");
  RunWindow(s, pnn_reshape_deconvolution2d_nhwc_f32, "pnn_reshape_deconvolution2d_nhwc_f32");
  Check(pnn_setup_deconvolution2d_nhwc_f32(s.op, s.data(0), s.y()),
        "pnn_setup_deconvolution2d_nhwc_f32");
}

// Resize's modes, coordinate modes and nearest modes by their ONNX names.
const std::map<std::string, int> kResizeModes = {
    {"nearest", pnn_resize_nearest},
    {"bilinear", pnn_resize_bilinear},
    {"half_pixel", pnn_resize_half_pixel},
    {"pytorch_half_pixel", pnn_resize_pytorch_half_pixel},
    {"align_corners", pnn_resize_align_corners},
    {"asymmetric", pnn_resize_asymmetric},
    {"round_prefer_floor", pnn_resize_round_prefer_floor},
    {"round_prefer_ceil", pnn_resize_round_prefer_ceil},
    {"floor", pnn_resize_floor},
    {"ceil", pnn_resize_ceil}};

void Resize(Step& s) {
  const Shape& x = s.in[0]->shape;  // [N][H][W][C]
  pnn_resize2d_params c{};
  c.channels = x.at(3);
  const auto mode = [&](const char* key) { return kResizeModes.at(s.params[key]); };
  c.mode = static_cast<pnn_resize_mode>(mode("mode"));
  c.coordinate_mode = static_cast<pnn_resize_coordinate_mode>(mode("coordinate_mode"));
  c.nearest_mode = static_cast<pnn_resize_nearest_mode>(mode("nearest_mode"));
  Check(pnn_create_resize2d_nhwc_f32(&c, &s.op), "pnn_create_resize2d_nhwc_f32");
  const size_t oh = s.u32("size", 0), ow = s.u32("size", 1);
  Check(pnn_reshape_resize2d_nhwc_f32(s.op, x[0], x[1], x[2], oh, ow, nullptr),
        "pnn_reshape_resize2d_nhwc_f32");
  s.expect_shape({x[0], oh, ow, x[3]});
  Check(pnn_setup_resize2d_nhwc_f32(s.op, s.data(0), s.y()), "pnn_setup_resize2d_nhwc_f32");
}

void Transpose(Step& s) {
  const Shape& x = s.in[0]->shape;
  const Shape perm = s.list<size_t>("perm");
  Shape y(x.size());
  Check(pnn_create_transpose_nd_x32(0, &s.op), "pnn_create_transpose_nd_x32");
  Check(pnn_reshape_transpose_nd_x32(s.op, x.size(), x.data(), perm.data(), y.data(), nullptr),
        "pnn_reshape_transpose_nd_x32");
  s.expect_shape(y);
  Check(pnn_setup_transpose_nd_x32(s.op, s.data(0), s.y()), "pnn_setup_transpose_nd_x32");
}

void Pad(Step& s) {
  static const std::map<std::string, pnn_pad_mode> kModes = {
      {"constant", pnn_pad_constant}, {"reflect", pnn_pad_reflect}, {"edge", pnn_pad_edge}};
  const Shape& x = s.in[0]->shape;
  const Shape pre = s.list<size_t>("pre"), post = s.list<size_t>("post");
  Shape y(x.size());
  Check(pnn_create_pad_nd_x32(kModes.at(s.params["mode"]), s.param("value", 0.0f), 0, &s.op),
        "pnn_create_pad_nd_x32");
  Check(
      pnn_reshape_pad_nd_x32(s.op, x.size(), x.data(), pre.data(), post.data(), y.data(), nullptr),
      "pnn_reshape_pad_nd_x32");
  s.expect_shape(y);
  Check(pnn_setup_pad_nd_x32(s.op, s.data(0), s.y()), "pnn_setup_pad_nd_x32");
}

void Slice(Step& s) {
  const Shape& x = s.in[0]->shape;
  const std::vector<int64_t> begins = s.list<int64_t>("begins"), ends = s.list<int64_t>("ends"),
                             steps = s.list<int64_t>("steps");
  Shape y(x.size());
  Check(pnn_create_slice_nd_x32(0, &s.op), "pnn_create_slice_nd_x32");
  Check(pnn_reshape_slice_nd_x32(s.op, x.size(), x.data(), begins.data(), ends.data(), steps.data(),
                                 y.data(), nullptr),
        "pnn_reshape_slice_nd_x32");
  s.expect_shape(y);
  Check(pnn_setup_slice_nd_x32(s.op, s.data(0), s.y()), "pnn_setup_slice_nd_x32");
}

void Concatenate(Step& s) {
  const size_t rank = s.in[0]->shape.size();
  Shape shapes, y(rank);
  std::vector<const void*> inputs;
  for (size_t k = 0; k < s.in.size(); k++) {
    shapes.insert(shapes.end(), s.in[k]->shape.begin(), s.in[k]->shape.end());
    inputs.push_back(s.data(k));
  }
  Check(pnn_create_concatenate_nd_x32(s.in.size(), s.params["axis"].get<size_t>(), 0, &s.op),
        "pnn_create_concatenate_nd_x32");
  Check(pnn_reshape_concatenate_nd_x32(s.op, rank, shapes.data(), y.data(), nullptr),
        "pnn_reshape_concatenate_nd_x32");
  s.expect_shape(y);
  Check(pnn_setup_concatenate_nd_x32(s.op, inputs.data(), s.y()), "pnn_setup_concatenate_nd_x32");
}

void Split(Step& s) {
  const Shape& x = s.in[0]->shape;
  const Shape sizes = s.list<size_t>("sizes");
  const size_t axis = s.params["axis"].get<size_t>();
  Check(pnn_create_split_nd_x32(sizes.size(), axis, 0, &s.op), "pnn_create_split_nd_x32");
  Check(pnn_reshape_split_nd_x32(s.op, x.size(), x.data(), sizes.data(), nullptr),
        "pnn_reshape_split_nd_x32");
  std::vector<void*> outputs;
  for (size_t k = 0; k < sizes.size(); k++) {
    Shape part = x;
    part.at(axis) = sizes[k];
    s.expect_shape(part, k);
    outputs.push_back(s.y(k));
  }
  Check(pnn_setup_split_nd_x32(s.op, s.data(0), outputs.data()), "pnn_setup_split_nd_x32");
}

// Depth-to-space and space-to-depth: [N][H][W][C] in, the output dims reported.
template <typename Reshape>
void RunBlock(Step& s, Reshape reshape, const char* name) {
  const Shape& x = s.in[0]->shape;
  size_t oh = 0, ow = 0, oc = 0;
  Check(reshape(s.op, x.at(0), x.at(1), x.at(2), x.at(3), &oh, &ow, &oc, nullptr), name);
  s.expect_shape({x[0], oh, ow, oc});
}

void DepthToSpace(Step& s) {
  const auto mode = s.params["mode"] == "crd" ? pnn_depth_to_space_crd : pnn_depth_to_space_dcr;
  Check(pnn_create_depth_to_space_nhwc_x32(s.params["block"].get<uint32_t>(), mode, 0, &s.op),
        "pnn_create_depth_to_space_nhwc_x32");
  RunBlock(s, pnn_reshape_depth_to_space_nhwc_x32, "pnn_reshape_depth_to_space_nhwc_x32");
  Check(pnn_setup_depth_to_space_nhwc_x32(s.op, s.data(0), s.y()),
        "pnn_setup_depth_to_space_nhwc_x32");
}

void SpaceToDepth(Step& s) {
  Check(pnn_create_space_to_depth_nhwc_x32(s.params["block"].get<uint32_t>(), 0, &s.op),
        "pnn_create_space_to_depth_nhwc_x32");
  RunBlock(s, pnn_reshape_space_to_depth_nhwc_x32, "pnn_reshape_space_to_depth_nhwc_x32");
  Check(pnn_setup_space_to_depth_nhwc_x32(s.op, s.data(0), s.y()),
        "pnn_setup_space_to_depth_nhwc_x32");
}

void Reduce(Step& s) {
  static const std::map<std::string, pnn_reduce_op> kOps = {{"sum", pnn_reduce_sum},
                                                            {"mean", pnn_reduce_mean},
                                                            {"max", pnn_reduce_max},
                                                            {"min", pnn_reduce_min}};
  const Shape& x = s.in[0]->shape;
  const std::vector<int32_t> axes = s.list<int32_t>("axes");
  Check(pnn_create_reduce_nd_f32(kOps.at(s.params["reduce"]), axes.size(), axes.data(),
                                 s.flag("keep_dims") ? PNN_FLAG_KEEP_DIMS : 0, &s.op),
        "pnn_create_reduce_nd_f32");
  size_t rank = 0;
  Shape y(PNN_MAX_DIMS);
  const size_t scalar = 1;  // a rank-0 input's (unread) shape pointer
  Check(pnn_reshape_reduce_nd_f32(s.op, x.size(), x.empty() ? &scalar : x.data(), &rank, y.data(),
                                  nullptr),
        "pnn_reshape_reduce_nd_f32");
  y.resize(rank);
  s.expect_shape(y);
  Check(pnn_setup_reduce_nd_f32(s.op, s.data(0), s.y()), "pnn_setup_reduce_nd_f32");
}

void LayerNorm(Step& s) {
  const Shape& x = s.in[0]->shape;
  Check(pnn_create_layer_norm_nd_f32(Count(s.in[1]->shape), s.data(1), s.data(2),
                                     s.param("epsilon", 0.0f), 0, &s.op),
        "pnn_create_layer_norm_nd_f32");
  Check(pnn_reshape_layer_norm_nd_f32(s.op, x.size(), x.data(), s.params["axis"].get<int32_t>(),
                                      nullptr),
        "pnn_reshape_layer_norm_nd_f32");
  s.expect_shape(x);
  Check(pnn_setup_layer_norm_nd_f32(s.op, s.data(0), s.y()), "pnn_setup_layer_norm_nd_f32");
}

// Batch norm and prelu: rows of the last dim's channels.
void BatchNorm(Step& s) {
  const Shape& x = s.in[0]->shape;  // [..., C]: inputs x, mean, var, gamma, beta
  Check(pnn_create_batch_norm_nc_f32(x.back(), s.data(1), s.data(2), s.data(3), s.data(4),
                                     s.param("epsilon", 0.0f), 0, &s.op),
        "pnn_create_batch_norm_nc_f32");
  Check(pnn_reshape_batch_norm_nc_f32(s.op, Count(x) / x.back(), nullptr),
        "pnn_reshape_batch_norm_nc_f32");
  s.expect_shape(x);
  Check(pnn_setup_batch_norm_nc_f32(s.op, s.data(0), s.y()), "pnn_setup_batch_norm_nc_f32");
}

void PRelu(Step& s) {
  const Shape& x = s.in[0]->shape;  // [batch][channels], the slope expanded to the channels
  const size_t channels = x.at(1);
  Check(pnn_create_prelu_nc_f32(channels, s.data(1), 0, &s.op), "pnn_create_prelu_nc_f32");
  Check(pnn_reshape_prelu_nc_f32(s.op, Count(x) / channels, nullptr), "pnn_reshape_prelu_nc_f32");
  s.expect_shape(x);
  Check(pnn_setup_prelu_nc_f32(s.op, s.data(0), s.y()), "pnn_setup_prelu_nc_f32");
}

// The dispatch by portnn operator: each creates, reshapes (checking the shape) and sets up.
const std::map<std::string, std::function<void(Step&)>> kSteps = {
    {"convolution2d", Convolution},
    {"max_pooling2d", Pooling<true>},
    {"argmax_pooling2d", ArgmaxPooling},
    {"average_pooling2d", Pooling<false>},
    {"global_average_pooling", GlobalAveragePooling},
    {"fully_connected", FullyConnected},
    {"batch_matmul", BatchMatMul},
    {"unary", Unary},
    {"binary", Binary},
    {"softmax", Softmax},
    {"deconvolution2d", Deconvolution},
    {"resize2d", Resize},
    {"transpose", Transpose},
    {"pad", Pad},
    {"slice", Slice},
    {"concatenate", Concatenate},
    {"split", Split},
    {"depth_to_space", DepthToSpace},
    {"space_to_depth", SpaceToDepth},
    {"reduce", Reduce},
    {"layer_norm", LayerNorm},
    {"batch_norm", BatchNorm},
    {"prelu", PRelu},
};

Shape ShapeOf(const json& j) { return j.get<Shape>(); }

std::vector<float> Floats(const std::string& blob, size_t offset, size_t count) {
  if (offset + count * sizeof(float) > blob.size()) throw Failure{"cases.bin is too short"};
  std::vector<float> v(count);
  std::memcpy(v.data(), blob.data() + offset, count * sizeof(float));  // little-endian hosts
  return v;
}

// |y - e| <= atol + rtol |e|; NaN for NaN, the same infinity for an infinity.
bool Within(float y, float e, double rtol, double atol) {
  if (std::isnan(e)) return std::isnan(y);
  if (std::isinf(e)) return y == e;
  if (!std::isfinite(y)) return false;
  return std::fabs(double(y) - double(e)) <= atol + rtol * std::fabs(double(e));
}

// Per ONNX operator: the counts, the largest error seen and the tolerances applied.
struct OpReport {
  int passed = 0, failed = 0, unsupported = 0;
  double max_error = 0;
  double rtol_hi = 0, atol_hi = 0;  // the largest tolerances applied
  std::string why;                  // the reason of the largest tolerance
};

// Runs one case; returns the largest |y - e| over its outputs, throws a Failure otherwise.
double RunCase(const json& c, const std::string& blob, OpReport& report) {
  Tensors tensors;
  for (const auto& [name, t] : c["tensors"].items()) {
    const Shape shape = ShapeOf(t["shape"]);
    tensors[name] = {shape, Floats(blob, t["offset"].get<size_t>(), Count(shape))};
  }
  for (const json& st : c["steps"]) {
    Step step{st["params"], {}, {}};
    for (size_t k = 0; k < st["outputs"].size(); k++) {
      Tensor& out = tensors[st["outputs"][k].get<std::string>()];
      out.shape = ShapeOf(st["shapes"][k]);
      out.data.assign(Count(out.shape), NAN);
      step.outs.push_back(&out);
    }
    for (const json& name : st["inputs"]) {
      step.in.push_back(name.is_null() ? nullptr : &tensors.at(name.get<std::string>()));
    }
    const auto dispatch = kSteps.find(st["op"].get<std::string>());
    if (dispatch == kSteps.end()) {
      throw Failure{"no dispatch entry for portnn operator " + st["op"].dump()};
    }
    dispatch->second(step);
    Check(pnn_run_operator(step.op, nullptr), "pnn_run_operator");
    if (step.finish) step.finish();
  }
  double max_error = 0;
  for (const json& o : c["outputs"]) {
    const Tensor& y = tensors.at(o["name"].get<std::string>());
    const double rtol = o["rtol"], atol_max = o["atol"];
    const std::vector<float> e = Floats(blob, o["expected"], y.data.size());
    // atol per element where the bound depends on the element (the dot products), else one.
    const std::vector<float> atols = o.contains("atol_elements")
                                         ? Floats(blob, o["atol_elements"], e.size())
                                         : std::vector<float>(e.size(), float(atol_max));
    report.rtol_hi = std::max(report.rtol_hi, rtol);
    if (atol_max >= report.atol_hi) report.atol_hi = atol_max, report.why = o["why"];
    for (size_t i = 0; i < e.size(); i++) {
      const double atol = o.contains("atol_elements") ? double(atols[i]) : atol_max;
      if (!Within(y.data[i], e[i], rtol, atol)) {
        std::ostringstream m;
        m.precision(9);
        m << "element " << i << ": portnn " << y.data[i] << ", expected " << e[i] << ", |diff| "
          << std::fabs(double(y.data[i]) - e[i]) << " > " << atol + rtol * std::fabs(double(e[i]));
        throw Failure{m.str()};
      }
      if (std::isfinite(e[i])) max_error = std::max(max_error, std::fabs(double(y.data[i]) - e[i]));
    }
  }
  return max_error;
}

std::string ReadFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return {};
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr,
                 "usage: %s CASES_DIR (cases.json and cases.bin of tests/onnx/convert.py)\n",
                 argv[0]);
    return 2;
  }
  const std::string dir = argv[1];
  const std::string text = ReadFile(dir + "/cases.json"), blob = ReadFile(dir + "/cases.bin");
  if (text.empty()) {
    std::fprintf(stderr, "onnx-conformance: cannot read %s/cases.json\n", dir.c_str());
    return 2;
  }
  const json manifest = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (manifest.is_discarded()) {
    std::fprintf(stderr, "onnx-conformance: %s/cases.json is not JSON\n", dir.c_str());
    return 2;
  }

  const pnn_status init = pnn_initialize();
  const char* forced = std::getenv("PORTNN_ISA");
  if (init == pnn_status_unsupported_hardware && forced && std::getenv("PORTNN_TEST_LEVEL_RUN")) {
    std::printf("portnn: level %s is not available on this CPU; skipping this run\n", forced);
    return 0;
  }
  if (init != pnn_status_success) {
    std::printf("pnn_initialize: %s (%s)\n", pnn_status_string(init), pnn_last_error_message());
    return 1;
  }

  // The line the other test binaries print, which scripts/test-arm.sh checks the level by.
  std::printf("portnn %s, pnn_isa_name() = %s\n", pnn_version_string(), pnn_isa_name());

  std::map<std::string, OpReport> reports;
  std::vector<std::string> unsupported, failed;
  for (const json& c : manifest["cases"]) {
    const std::string name = c["name"], op = c["op"];
    OpReport& r = reports[op];
    if (c["status"] != "run") {
      r.unsupported++;
      unsupported.push_back(name + " (" + op + "): " + c["reason"].get<std::string>());
      continue;
    }
    try {
      r.max_error = std::max(r.max_error, RunCase(c, blob, r));
      r.passed++;
    } catch (const Failure& f) {
      r.failed++;
      failed.push_back(name + " (" + op + "): " + f.what);
    } catch (const json::exception& e) {  // a case convert.py wrote in a form read differently
      r.failed++;
      failed.push_back(name + " (" + op + "): malformed case: " + e.what());
    }
  }

  std::printf(
      "ONNX conformance through the C API at level %s: %zu cases (ONNX %s node tests, %s)\n",
      pnn_isa_name(), manifest["cases"].size(), manifest["onnx"].get<std::string>().c_str(),
      manifest["source"].get<std::string>().c_str());
  std::printf("%-18s %6s %6s %11s  %-10s  %s\n", "operator", "passed", "failed", "unsupported",
              "max|y-e|", "tolerance |y-e| <= atol + rtol|e| (largest)");
  int passed = 0, failures = 0, skipped = 0;
  for (const auto& [op, r] : reports) {
    char tol[64] = "-";
    if (r.passed + r.failed > 0) {
      std::snprintf(tol, sizeof tol, "atol %.2g rtol %.2g", r.atol_hi, r.rtol_hi);
    }
    std::printf("%-18s %6d %6d %11d  %-10.3g  %s: %s\n", op.c_str(), r.passed, r.failed,
                r.unsupported, r.max_error, tol, r.why.empty() ? "-" : r.why.c_str());
    passed += r.passed, failures += r.failed, skipped += r.unsupported;
  }
  std::printf("unsupported cases:\n");
  for (const std::string& u : unsupported) std::printf("  %s\n", u.c_str());
  int unmapped = 0;
  for (const auto& [op, n] : manifest["unmapped"].items()) unmapped += n.get<int>();
  std::printf("not mapped (not counted above): %d tests of %zu other ONNX operators\n", unmapped,
              manifest["unmapped"].size());
  for (const std::string& f : failed) std::printf("FAILED %s\n", f.c_str());
  std::printf("onnx-conformance (%s): %d passed, %d failed, %d unsupported\n", pnn_isa_name(),
              passed, failures, skipped);
  return failures ? 1 : 0;
}
