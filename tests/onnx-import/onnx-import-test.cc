// The ONNX importer on small models written by the tests (model-builder.h): results against naive
// double-precision NCHW references (so every layout decision of the importer is checked through
// the values), load-time folding of shape chains, input shapes, and hostile models (each a clear
// reason, nothing written to model_out; leaks are caught by the sanitizer suite's run of this
// binary). The six torchvision models are checked against ONNX Runtime by tests/models/run.sh.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "model-builder.h"
#include "portnn-onnx.h"

namespace {

using pnn_test::ModelBuilder;

std::vector<float> random_vector(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> d(-1.0f, 1.0f);
  std::vector<float> v(n);
  for (float& x : v) x = d(rng);
  return v;
}

struct Io {
  std::string name;
  std::vector<size_t> dims;
  std::vector<float> data;
};

class Import : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(pnn_initialize(), pnn_status_success); }

  // Loads `bytes`, runs once with `inputs` (by name), returns the outputs in model order.
  std::vector<Io> run(const std::string& bytes, const std::vector<Io>& inputs,
                      std::vector<pnn_onnx_input_shape> shapes = {}) {
    pnn_onnx_model_t model = nullptr;
    const pnn_status status =
        pnn_load_onnx(bytes.data(), bytes.size(), shapes.size(), shapes.data(), 0, &model);
    EXPECT_EQ(status, pnn_status_success) << pnn_last_error_message();
    if (status != pnn_status_success) return {};
    pnn_graph_t graph = nullptr;
    EXPECT_EQ(pnn_onnx_model_graph(model, &graph), pnn_status_success);
    pnn_runtime_t runtime = nullptr;
    EXPECT_EQ(pnn_create_runtime(graph, 0, &runtime), pnn_status_success)
        << pnn_last_error_message();
    std::vector<Io> outputs;
    std::vector<pnn_external_value> bindings;
    size_t ni = 0, no = 0;
    pnn_onnx_model_input_count(model, &ni);
    pnn_onnx_model_output_count(model, &no);
    for (size_t i = 0; i < ni; i++) {
      pnn_onnx_tensor_info info;
      pnn_onnx_model_input_info(model, i, &info);
      for (const Io& in : inputs) {
        if (in.name == info.name) bindings.push_back({info.value_id, const_cast<float*>(in.data.data())});
      }
    }
    outputs.resize(no);
    for (size_t i = 0; i < no; i++) {
      pnn_onnx_tensor_info info;
      pnn_onnx_model_output_info(model, i, &info);
      outputs[i].name = info.name;
      outputs[i].dims.assign(info.dims, info.dims + info.num_dims);
      size_t count = 1;
      for (size_t d : outputs[i].dims) count *= d;
      outputs[i].data.assign(count, NAN);
    }
    for (size_t i = 0; i < no; i++) {
      pnn_onnx_tensor_info info;
      pnn_onnx_model_output_info(model, i, &info);
      bindings.push_back({info.value_id, outputs[i].data.data()});
    }
    EXPECT_EQ(pnn_setup_runtime(runtime, bindings.size(), bindings.data()), pnn_status_success)
        << pnn_last_error_message();
    EXPECT_EQ(pnn_invoke_runtime(runtime, nullptr), pnn_status_success) << pnn_last_error_message();
    pnn_delete_runtime(runtime);
    pnn_delete_onnx_model(model);
    return outputs;
  }

  // Expects the load to fail with invalid_parameter, a reason containing `reason`, and nothing
  // written to model_out.
  void expect_rejected(const std::string& bytes, const char* reason,
                       std::vector<pnn_onnx_input_shape> shapes = {}) {
    pnn_onnx_model_t model = reinterpret_cast<pnn_onnx_model_t>(&sentinel_);
    EXPECT_EQ(pnn_load_onnx(bytes.data(), bytes.size(), shapes.size(), shapes.data(), 0, &model),
              pnn_status_invalid_parameter);
    EXPECT_EQ(model, reinterpret_cast<pnn_onnx_model_t>(&sentinel_));
    const std::string message = pnn_last_error_message();
    EXPECT_NE(message.find("pnn_load_onnx: "), std::string::npos) << message;
    EXPECT_NE(message.find(reason), std::string::npos) << "reason: " << message;
  }

  int sentinel_ = 0;
};

void expect_near_all(const std::vector<float>& got, const std::vector<double>& want, double tol) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); i++) {
    ASSERT_NEAR(got[i], want[i], tol * (1.0 + std::fabs(want[i]))) << "element " << i;
  }
}

// Naive NCHW convolution (one image), double precision.
std::vector<double> conv_nchw(const std::vector<float>& x, int c, int h, int w,
                              const std::vector<float>& k, const std::vector<float>& b, int m,
                              int kh, int kw, int stride, int pad, int* oh, int* ow) {
  *oh = (h + 2 * pad - kh) / stride + 1;
  *ow = (w + 2 * pad - kw) / stride + 1;
  std::vector<double> y(static_cast<size_t>(m) * *oh * *ow);
  for (int o = 0; o < m; o++) {
    for (int yy = 0; yy < *oh; yy++) {
      for (int xx = 0; xx < *ow; xx++) {
        double s = b.empty() ? 0.0 : b[o];
        for (int ic = 0; ic < c; ic++) {
          for (int ky = 0; ky < kh; ky++) {
            for (int kx = 0; kx < kw; kx++) {
              const int iy = yy * stride + ky - pad, ix = xx * stride + kx - pad;
              if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
              s += double{x[(ic * h + iy) * w + ix]} * k[((o * c + ic) * kh + ky) * kw + kx];
            }
          }
        }
        y[(o * *oh + yy) * *ow + xx] = s;
      }
    }
  }
  return y;
}

TEST_F(Import, ConvReluGlobalPoolGemmMatchesReference) {
  const auto x = random_vector(3 * 7 * 6, 1), k = random_vector(4 * 3 * 3 * 3, 2),
             b = random_vector(4, 3), w2 = random_vector(5 * 4, 4), b2 = random_vector(5, 5);
  ModelBuilder mb;
  mb.input("x", {1, 3, 7, 6}).output("y");
  mb.initializer("k", {4, 3, 3, 3}, k).initializer("b", {4}, b);
  mb.initializer("w2", {5, 4}, w2).initializer("b2", {5}, b2);
  auto& conv = mb.node("Conv", {"x", "k", "b"}, {"c"});
  ModelBuilder::attr(conv, "pads", {1, 1, 1, 1});
  ModelBuilder::attr(conv, "strides", {2, 2});
  mb.node("Relu", {"c"}, {"r"});
  mb.node("GlobalAveragePool", {"r"}, {"g"});
  mb.node("Flatten", {"g"}, {"f"});
  auto& gemm = mb.node("Gemm", {"f", "w2", "b2"}, {"y"});
  ModelBuilder::attr(gemm, "transB", int64_t{1});
  const auto out = run(mb.bytes(), {{"x", {}, x}});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].dims, (std::vector<size_t>{1, 5}));
  int oh = 0, ow = 0;
  auto c = conv_nchw(x, 3, 7, 6, k, b, 4, 3, 3, 2, 1, &oh, &ow);
  std::vector<double> pooled(4, 0.0);
  for (int o = 0; o < 4; o++) {
    for (int p = 0; p < oh * ow; p++) pooled[o] += std::max(0.0, c[o * oh * ow + p]);
    pooled[o] /= oh * ow;
  }
  std::vector<double> want(5);
  for (int j = 0; j < 5; j++) {
    want[j] = b2[j];
    for (int i = 0; i < 4; i++) want[j] += pooled[i] * w2[j * 4 + i];
  }
  expect_near_all(out[0].data, want, 1e-5);
}

// A 1x1 convolution makes the activations NHWC inside portnn; every later operator addresses
// NCHW axes, and the outputs come back NCHW.
TEST_F(Import, LayoutsFollowTheOnnxAxes) {
  const int c = 2, h = 4, w = 5, m = 3;
  const auto x = random_vector(c * h * w, 7), k = random_vector(m * c, 8);
  ModelBuilder mb;
  mb.input("x", {1, c, h, w}).output("soft").output("mean").output("padded");
  mb.initializer("k", {m, c, 1, 1}, k);
  mb.int64_initializer("shape", {3}, {1, h * w, m});
  mb.int64_initializer("starts", {1}, {1}).int64_initializer("ends", {1}, {3});
  mb.int64_initializer("axes", {1}, {1});
  mb.int64_initializer("pads", {8}, {0, 0, 1, 0, 0, 0, 0, 2});
  mb.node("Conv", {"x", "k"}, {"y"});
  auto& t = mb.node("Transpose", {"y"}, {"t"});
  ModelBuilder::attr(t, "perm", {0, 2, 3, 1});
  mb.node("Reshape", {"t", "shape"}, {"r"});
  auto& sm = mb.node("Softmax", {"r"}, {"soft"});
  ModelBuilder::attr(sm, "axis", int64_t{-1});
  mb.node("Slice", {"y", "starts", "ends", "axes"}, {"s"});
  auto& cat = mb.node("Concat", {"s", "y"}, {"cat"});
  ModelBuilder::attr(cat, "axis", int64_t{1});
  auto& rm = mb.node("ReduceMean", {"cat"}, {"mean"});
  ModelBuilder::attr(rm, "axes", {2, 3});
  ModelBuilder::attr(rm, "keepdims", int64_t{0});
  mb.node("Pad", {"y", "pads"}, {"padded"});
  const auto out = run(mb.bytes(), {{"x", {}, x}});
  ASSERT_EQ(out.size(), 3u);
  int oh = 0, ow = 0;
  const auto y = conv_nchw(x, c, h, w, k, {}, m, 1, 1, 1, 0, &oh, &ow);
  // soft: softmax over channels at each pixel, [1][h*w][m].
  std::vector<double> soft(h * w * m);
  for (int p = 0; p < h * w; p++) {
    double mx = -1e300, sum = 0;
    for (int o = 0; o < m; o++) mx = std::max(mx, y[o * h * w + p]);
    for (int o = 0; o < m; o++) sum += std::exp(y[o * h * w + p] - mx);
    for (int o = 0; o < m; o++) soft[p * m + o] = std::exp(y[o * h * w + p] - mx) / sum;
  }
  EXPECT_EQ(out[0].dims, (std::vector<size_t>{1, static_cast<size_t>(h * w), static_cast<size_t>(m)}));
  expect_near_all(out[0].data, soft, 1e-5);
  // mean: channels 1..2 then 0..2, each averaged over H and W.
  const int order[5] = {1, 2, 0, 1, 2};
  std::vector<double> mean(5, 0.0);
  for (int i = 0; i < 5; i++) {
    for (int p = 0; p < h * w; p++) mean[i] += y[order[i] * h * w + p];
    mean[i] /= h * w;
  }
  EXPECT_EQ(out[1].dims, (std::vector<size_t>{1, 5}));
  expect_near_all(out[1].data, mean, 1e-5);
  // padded: H gains 1 row on top, W 2 columns on the right, zeros.
  const int ph = h + 1, pw = w + 2;
  std::vector<double> padded(m * ph * pw, 0.0);
  for (int o = 0; o < m; o++) {
    for (int yy = 0; yy < h; yy++) {
      for (int xx = 0; xx < w; xx++) padded[(o * ph + yy + 1) * pw + xx] = y[(o * h + yy) * w + xx];
    }
  }
  EXPECT_EQ(out[2].dims, (std::vector<size_t>{1, static_cast<size_t>(m), static_cast<size_t>(ph),
                                              static_cast<size_t>(pw)}));
  expect_near_all(out[2].data, padded, 1e-5);
}

// The chain exporters write for x.view(x.size(0), -1) is evaluated at load.
TEST_F(Import, ShapeChainsFoldAtLoad) {
  const auto x = random_vector(2 * 3 * 4, 9);
  ModelBuilder mb;
  mb.input("x", {-1, 3, 4}).output("y");
  mb.int64_initializer("zero", {}, {0}).int64_initializer("minus1", {1}, {-1});
  mb.int64_initializer("axes0", {1}, {0});
  mb.node("Shape", {"x"}, {"shape"});
  auto& g = mb.node("Gather", {"shape", "zero"}, {"batch"});
  ModelBuilder::attr(g, "axis", int64_t{0});
  mb.node("Unsqueeze", {"batch", "axes0"}, {"batch1"});
  auto& cat = mb.node("Concat", {"batch1", "minus1"}, {"target"});
  ModelBuilder::attr(cat, "axis", int64_t{0});
  mb.node("Reshape", {"x", "target"}, {"y"});
  const size_t dims[3] = {2, 3, 4};
  const auto out = run(mb.bytes(), {{"x", {}, x}}, {{"x", 3, dims}});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].dims, (std::vector<size_t>{2, 12}));
  EXPECT_EQ(out[0].data, x);  // a view: bit-identical
}

TEST_F(Import, SymbolicInputNeedsAShape) {
  ModelBuilder mb;
  mb.input("x", {-1, 3}).output("y");
  mb.node("Relu", {"x"}, {"y"});
  expect_rejected(mb.bytes(), "symbolic");
  const size_t dims[2] = {2, 3};
  expect_rejected(mb.bytes(), "not an input of the graph", {{"z", 2, dims}});
  const size_t wrong[2] = {2, 4};
  expect_rejected(mb.bytes(), "fixes it to 3", {{"x", 2, wrong}});
  const auto out = run(mb.bytes(), {{"x", {}, {-1, 2, -3, 4, -5, 6}}}, {{"x", 2, dims}});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].data, (std::vector<float>{0, 2, 0, 4, 0, 6}));
}

// Dilated taps that read only padding at this size are dropped at load (ops-compute.cc); the
// results must still be the convolution's, for symmetric and one-sided cases.
TEST_F(Import, DilatedConvolutionOnSmallMapsKeepsItsResults) {
  struct Case {
    int dilation, pad_top, pad_left, pad_bottom, pad_right;
  };
  const Case cases[] = {{6, 6, 6, 6, 6}, {4, 4, 4, 4, 4}, {3, 6, 0, 0, 3}, {5, 5, 3, 1, 3}};
  const int c = 2, h = 5, w = 5, m = 3;
  for (const Case& cs : cases) {
    const auto x = random_vector(c * h * w, 21), k = random_vector(m * c * 9, 22);
    ModelBuilder mb;
    mb.input("x", {1, c, h, w}).output("y");
    mb.initializer("k", {m, c, 3, 3}, k);
    auto& conv = mb.node("Conv", {"x", "k"}, {"y"});
    ModelBuilder::attr(conv, "dilations", {cs.dilation, cs.dilation});
    ModelBuilder::attr(conv, "pads", {cs.pad_top, cs.pad_left, cs.pad_bottom, cs.pad_right});
    const auto out = run(mb.bytes(), {{"x", {}, x}});
    ASSERT_EQ(out.size(), 1u);
    const int ext = 2 * cs.dilation + 1;
    const int oh = h + cs.pad_top + cs.pad_bottom - ext + 1, ow = w + cs.pad_left + cs.pad_right - ext + 1;
    ASSERT_EQ(out[0].dims, (std::vector<size_t>{1, size_t(m), size_t(oh), size_t(ow)}));
    std::vector<double> want(m * oh * ow, 0.0);
    for (int o = 0; o < m; o++) {
      for (int yy = 0; yy < oh; yy++) {
        for (int xx = 0; xx < ow; xx++) {
          double acc = 0;
          for (int ic = 0; ic < c; ic++) {
            for (int ky = 0; ky < 3; ky++) {
              for (int kx = 0; kx < 3; kx++) {
                const int iy = yy + ky * cs.dilation - cs.pad_top;
                const int ix = xx + kx * cs.dilation - cs.pad_left;
                if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                acc += double{x[(ic * h + iy) * w + ix]} * k[((o * c + ic) * 3 + ky) * 3 + kx];
              }
            }
          }
          want[(o * oh + yy) * ow + xx] = acc;
        }
      }
    }
    expect_near_all(out[0].data, want, 1e-5);
  }
}

// Decomposed activations become one portnn unary node (fusion.cc): the graph holds the unary
// node and the output copy only, and the results are the activation's.
TEST_F(Import, DecomposedActivationsAreFused) {
  const auto x = random_vector(64, 31);
  const auto graph_nodes = [](const std::string& bytes) {
    pnn_onnx_model_t model = nullptr;
    EXPECT_EQ(pnn_load_onnx(bytes.data(), bytes.size(), 0, nullptr, 0, &model), pnn_status_success);
    pnn_graph_t graph = nullptr;
    pnn_onnx_model_graph(model, &graph);
    uint32_t count = 0;
    pnn_graph_node_count(graph, &count);
    pnn_delete_onnx_model(model);
    return count;
  };
  {
    ModelBuilder mb;
    mb.input("x", {1, 64}).output("y");
    mb.node("Sigmoid", {"x"}, {"s"});
    mb.node("Mul", {"s", "x"}, {"y"});
    EXPECT_EQ(graph_nodes(mb.bytes()), 2u);
    const auto out = run(mb.bytes(), {{"x", {}, x}});
    std::vector<double> want(64);
    for (size_t i = 0; i < 64; i++) want[i] = x[i] / (1.0 + std::exp(-double{x[i]}));
    expect_near_all(out[0].data, want, 1e-5);
  }
  for (int form = 0; form < 2; form++) {
    ModelBuilder mb;
    mb.input("x", {1, 64}).output("y");
    mb.initializer("sqrt2", {}, {1.4142135f}).initializer("one", {}, {1.0f});
    mb.initializer("half", {}, {0.5f});
    mb.node("Div", {"x", "sqrt2"}, {"d"});
    mb.node("Erf", {"d"}, {"e"});
    mb.node("Add", {"e", "one"}, {"a"});
    if (form == 0) {  // torch: (x * (1 + erf)) * 0.5
      mb.node("Mul", {"x", "a"}, {"m"});
      mb.node("Mul", {"m", "half"}, {"y"});
    } else {  // (x * 0.5) * (1 + erf)
      mb.node("Mul", {"x", "half"}, {"h"});
      mb.node("Mul", {"h", "a"}, {"y"});
    }
    EXPECT_EQ(graph_nodes(mb.bytes()), 2u) << "form " << form;
    const auto out = run(mb.bytes(), {{"x", {}, x}});
    std::vector<double> want(64);
    for (size_t i = 0; i < 64; i++) want[i] = 0.5 * x[i] * (1.0 + std::erf(x[i] / std::sqrt(2.0)));
    expect_near_all(out[0].data, want, 1e-5);
  }
  {
    // The Sigmoid's output is also a graph output: not fused, both still right.
    ModelBuilder mb;
    mb.input("x", {1, 64}).output("y").output("s");
    mb.node("Sigmoid", {"x"}, {"s"});
    mb.node("Mul", {"s", "x"}, {"y"});
    EXPECT_EQ(graph_nodes(mb.bytes()), 4u);
  }
}

// Load-time evaluation of what swin_t's export computes its attention mask with (ScatterND, Mod
// in both sign conventions), an empty slice that only Concat reads (torch.roll by 0), and a
// Dropout whose mask output nobody reads.
TEST_F(Import, MaskArithmeticEmptySlicesAndUnreadOutputs) {
  const std::vector<float> x = {1, 2, 3, 4};
  ModelBuilder mb;
  mb.input("x", {1, 4}).output("y");
  mb.initializer("data", {2, 3}, std::vector<float>(6, 0.0f));
  mb.int64_initializer("indices", {2, 2}, {0, 1, 1, 2});
  mb.initializer("updates", {2}, {5.0f, 7.0f});
  mb.int64_initializer("shape", {2}, {1, 6});
  mb.int64_initializer("s0", {1}, {0}).int64_initializer("s4", {1}, {4});
  mb.int64_initializer("axis1", {1}, {1});
  mb.initializer("minus7", {}, {-7.0f}).initializer("four", {}, {4.0f});
  mb.node("ScatterND", {"data", "indices", "updates"}, {"mask"});  // [[0,5,0],[0,0,7]]
  mb.node("Reshape", {"mask", "shape"}, {"flat"});
  mb.node("Slice", {"flat", "s0", "s4", "axis1"}, {"first4"});     // [0,5,0,0]
  auto& py = mb.node("Mod", {"minus7", "four"}, {"pymod"});       // 1
  ModelBuilder::attr(py, "fmod", int64_t{0});
  auto& c = mb.node("Mod", {"minus7", "four"}, {"cmod"});         // -3
  ModelBuilder::attr(c, "fmod", int64_t{1});
  mb.node("Add", {"first4", "pymod"}, {"a"});
  mb.node("Add", {"a", "cmod"}, {"b"});                           // [-2,3,-2,-2]
  mb.node("Slice", {"x", "s4", "s4", "axis1"}, {"empty"});
  auto& cat = mb.node("Concat", {"empty", "x"}, {"xx"});
  ModelBuilder::attr(cat, "axis", int64_t{1});
  mb.node("Dropout", {"xx"}, {"d", "unused_mask"});
  mb.node("Add", {"d", "b"}, {"y"});
  const auto out = run(mb.bytes(), {{"x", {}, x}});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].data, (std::vector<float>{-1, 5, 1, 2}));
  // A node that reads the mask is refused with the reason.
  mb.node("Relu", {"unused_mask"}, {"z"}, "reader");
  mb.output("z");
  expect_rejected(mb.bytes(), "node 'reader' (Relu): input 0 'unused_mask' is Dropout's mask output");
}

// 1-D convolution and pooling on [N][C][L] (audio and sequence models) run as 2-D ones of height
// 1 (ops-compute.cc, lift_1d); checked against a naive 1-D reference, twice in a row so that the
// second convolution reads the first one's stored order.
TEST_F(Import, OneDimensionalWindowsMatchTheReference) {
  const int c = 3, l = 11, m = 4;
  const auto x = random_vector(c * l, 41), k = random_vector(m * c * 3, 42),
             b = random_vector(m, 43), k2 = random_vector(m * m * 1, 44);
  ModelBuilder mb;
  mb.input("x", {1, c, l}).output("y");
  mb.initializer("k", {m, c, 3}, k).initializer("b", {m}, b).initializer("k2", {m, m, 1}, k2);
  auto& conv = mb.node("Conv", {"x", "k", "b"}, {"c1"});
  ModelBuilder::attr(conv, "pads", {1, 1});
  ModelBuilder::attr(conv, "strides", {2});
  mb.node("Conv", {"c1", "k2"}, {"c2"});
  auto& pool = mb.node("MaxPool", {"c2"}, {"y"});
  ModelBuilder::attr(pool, "kernel_shape", {2});
  ModelBuilder::attr(pool, "strides", {2});
  const auto out = run(mb.bytes(), {{"x", {}, x}});
  ASSERT_EQ(out.size(), 1u);
  const int l1 = (l + 2 - 3) / 2 + 1, l2 = l1 / 2;
  ASSERT_EQ(out[0].dims, (std::vector<size_t>{1, size_t(m), size_t(l2)}));
  std::vector<double> c1(m * l1), c2(m * l1), want(m * l2);
  for (int o = 0; o < m; o++) {
    for (int t = 0; t < l1; t++) {
      double acc = b[o];
      for (int i = 0; i < c; i++) {
        for (int j = 0; j < 3; j++) {
          const int p = t * 2 + j - 1;
          if (p >= 0 && p < l) acc += double{x[i * l + p]} * k[(o * c + i) * 3 + j];
        }
      }
      c1[o * l1 + t] = acc;
    }
  }
  for (int o = 0; o < m; o++) {
    for (int t = 0; t < l1; t++) {
      double acc = 0;
      for (int i = 0; i < m; i++) acc += c1[i * l1 + t] * k2[o * m + i];
      c2[o * l1 + t] = acc;
    }
    for (int t = 0; t < l2; t++) want[o * l2 + t] = std::max(c2[o * l1 + 2 * t], c2[o * l1 + 2 * t + 1]);
  }
  expect_near_all(out[0].data, want, 1e-5);
}

// --- hostile models --------------------------------------------------------------------------

ModelBuilder relu_model() {
  ModelBuilder mb;
  mb.input("x", {1, 4}).output("y");
  mb.node("Relu", {"x"}, {"y"});
  return mb;
}

TEST_F(Import, RejectsMalformedBytes) {
  const std::string good = relu_model().bytes();
  expect_rejected(good.substr(0, good.size() / 2), "protobuf decoding failed");
  // Field 7 (graph), length-delimited, with a length far past the end.
  const std::string lying("\x3a\xff\xff\xff\xff\x07\x0a\x00", 8);
  expect_rejected(lying, "protobuf decoding failed");
  std::string noise(4096, '\0');
  std::mt19937 rng(11);
  for (char& ch : noise) ch = static_cast<char>(rng());
  pnn_onnx_model_t model = nullptr;
  EXPECT_NE(pnn_load_onnx(noise.data(), noise.size(), 0, nullptr, 0, &model), pnn_status_success);
  EXPECT_EQ(model, nullptr);
  EXPECT_EQ(pnn_load_onnx(nullptr, 4, 0, nullptr, 0, &model), pnn_status_invalid_parameter);
  EXPECT_EQ(pnn_load_onnx(good.data(), 0, 0, nullptr, 0, &model), pnn_status_invalid_parameter);
  EXPECT_EQ(pnn_load_onnx(good.data(), good.size(), 0, nullptr, 1, &model),
            pnn_status_invalid_parameter);
}

TEST_F(Import, RejectsHugeAndLyingTensors) {
  {
    ModelBuilder mb = relu_model();
    auto* t = mb.proto().mutable_graph()->add_initializer();
    t->set_name("huge");
    t->set_data_type(1);
    t->add_dims(int64_t{1} << 40);
    expect_rejected(mb.bytes(), "above 2^31");
  }
  {
    ModelBuilder mb = relu_model();
    auto* t = mb.proto().mutable_graph()->add_initializer();
    t->set_name("short");
    t->set_data_type(1);
    t->add_dims(1000);
    t->set_raw_data(std::string(16, '\0'));
    expect_rejected(mb.bytes(), "raw bytes");
  }
  {
    ModelBuilder mb = relu_model();
    auto* t = mb.proto().mutable_graph()->add_initializer();
    t->set_name("elsewhere");
    t->set_data_type(1);
    t->add_dims(4);
    t->set_data_location(1);
    expect_rejected(mb.bytes(), "external file");
  }
  {
    ModelBuilder mb;
    mb.input("x", {1, 4}).output("y");
    mb.int64_initializer("shape", {2}, {int64_t{1} << 12, int64_t{1} << 13});
    mb.node("ConstantOfShape", {"shape"}, {"big"});
    mb.node("Add", {"x", "big"}, {"y"});
    expect_rejected(mb.bytes(), "at most 2^24");
  }
  {
    ModelBuilder mb;
    mb.input("x", {int64_t{1} << 40, 4}).output("y");
    mb.node("Relu", {"x"}, {"y"});
    expect_rejected(mb.bytes(), "dims are 1 to 2^31");
  }
}

TEST_F(Import, RejectsBrokenGraphs) {
  {
    ModelBuilder mb;  // b is used before the node that makes it: a cycle or a misordered graph
    mb.input("x", {1, 4}).output("y");
    mb.node("Add", {"x", "b"}, {"a"}, "first");
    mb.node("Relu", {"a"}, {"b"}, "second");
    mb.node("Relu", {"b"}, {"y"});
    expect_rejected(mb.bytes(), "node 'first' (Add): input 1 'b' is produced by no earlier node");
  }
  {
    ModelBuilder mb;
    mb.input("x", {1, 2, 3, 3}).output("y");
    mb.node("Conv", {"x", "missing_weights"}, {"y"}, "conv");
    expect_rejected(mb.bytes(), "'missing_weights' is produced by no earlier node");
  }
  {
    ModelBuilder mb = relu_model();
    mb.proto().mutable_graph()->mutable_node(0)->set_domain("com.example");
    expect_rejected(mb.bytes(), "domain 'com.example'");
  }
  {
    ModelBuilder mb;
    mb.input("x", {1, 4}).output("y");
    mb.node("NonMaxSuppression", {"x"}, {"y"}, "nms");
    expect_rejected(mb.bytes(), "node 'nms' (NonMaxSuppression): operator NonMaxSuppression is not supported");
  }
  {
    ModelBuilder mb(3);
    mb.input("x", {1, 4}).output("y");
    mb.node("Relu", {"x"}, {"y"});
    expect_rejected(mb.bytes(), "opset 3");
  }
  {
    ModelBuilder mb = relu_model();
    mb.proto().clear_opset_import();
    expect_rejected(mb.bytes(), "imports no ONNX opset");
  }
  {
    ModelBuilder mb = relu_model();
    auto* a = mb.proto().mutable_graph()->mutable_node(0)->add_attribute();
    a->set_name("then_branch");
    a->set_type(5);
    a->set_g(std::string("\x12\x01g", 3));
    expect_rejected(mb.bytes(), "subgraph");
  }
  {
    ModelBuilder mb = relu_model();
    mb.output("never");
    expect_rejected(mb.bytes(), "graph output 'never' is produced by no node");
  }
  {
    ModelBuilder mb;
    mb.input("x", {1, 4}).output("y");
    mb.initializer("w", {3, 5}, random_vector(15, 1));
    auto& g = mb.node("Gemm", {"x", "w"}, {"y"}, "gemm");
    ModelBuilder::attr(g, "transB", int64_t{1});
    expect_rejected(mb.bytes(), "node 'gemm' (Gemm): the input's last dim is 4; the weights expect 5");
  }
  {
    ModelBuilder mb;
    mb.input("x", {1, 4}, /*type=*/7).output("y");
    mb.node("Relu", {"x"}, {"y"});
    expect_rejected(mb.bytes(), "data type int64");
  }
}

}  // namespace
