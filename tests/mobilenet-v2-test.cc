// MobileNet v2 (examples/mobilenet-v2.h) through the graph runtime against a naive reference
// built from the operators' reference code (tests/reference/: double sums, float tensors between
// layers), at a small resolution and after a reshape to another batch and resolution.
// Agreement is measured as the cross-check states it: max |difference| over max |logit|.
#include <algorithm>
#include <cmath>
#include <vector>

#include "../examples/mobilenet-v2.h"
#include "portnn-graph.h"
#include "reference/conv-reference.h"
#include "reference/gemm-reference.h"
#include "reference/pooling-reference.h"
#include "test-utils.h"

PNN_TEST_INIT_LIBRARY();

namespace {

using mobilenet_v2::Kind;
using mobilenet_v2::Layer;
using mobilenet_v2::Model;

struct Tensor {
  size_t h = 0, w = 0, c = 0;
  std::vector<float> data;
};

// One image through the model, layer by layer.
std::vector<float> Reference(const Model& m, const float* image, size_t h, size_t w) {
  std::vector<Tensor> t(m.layers.size());
  Tensor input{h, w, 3, std::vector<float>(image, image + h * w * 3)};
  for (size_t i = 0; i < m.layers.size(); i++) {
    const Layer& l = m.layers[i];
    const Tensor& x = l.input == mobilenet_v2::kModelInput ? input : t[l.input];
    Tensor& y = t[i];
    switch (l.kind) {
      case Kind::kConv: {
        const pnn_convolution2d_params p = l.conv_params();
        const pnn_ref::ConvOutput r = pnn_ref::conv2d_nhwc(
            p, 1, x.h, x.w, x.data.data(), m.params.data() + l.weights, m.params.data() + l.bias);
        y = Tensor{r.oh, r.ow, l.cout, std::vector<float>(r.value.size())};
        for (size_t k = 0; k < r.value.size(); k++) {
          const double v = l.relu6 ? pnn_ref::clamp(r.value[k], 0.0f, 6.0f) : r.value[k];
          y.data[k] = static_cast<float>(v);
        }
        break;
      }
      case Kind::kAdd: {
        const Tensor& b = t[l.input2];
        y = Tensor{x.h, x.w, x.c, std::vector<float>(x.data.size())};
        for (size_t k = 0; k < y.data.size(); k++) {
          y.data[k] = static_cast<float>(double(x.data[k]) + double(b.data[k]));
        }
        break;
      }
      case Kind::kGlobalAveragePool: {
        const pnn_ref::PoolResult r = pnn_ref::global_average_pooling(
            x.data.data(), 1, x.h * x.w, x.c, -INFINITY, INFINITY);
        y = Tensor{1, 1, x.c, std::vector<float>(r.y.begin(), r.y.end())};
        break;
      }
      case Kind::kFullyConnected: {
        const pnn_ref::GemmReference r = pnn_ref::fully_connected(
            1, l.cin, l.cout, x.data.data(), m.params.data() + l.weights,
            m.params.data() + l.bias, false, -INFINITY, INFINITY);
        y = Tensor{1, 1, l.cout, std::vector<float>(r.value.begin(), r.value.end())};
        break;
      }
    }
  }
  return t.back().data;
}

double Disagreement(const std::vector<float>& got, const std::vector<float>& want) {
  double diff = 0.0, scale = 0.0;
  for (size_t i = 0; i < want.size(); i++) {
    diff = std::max(diff, std::fabs(double(got[i]) - want[i]));
    scale = std::max(scale, std::fabs(double(want[i])));
  }
  return diff / scale;
}

TEST(MobileNetV2, GraphRuntimeMatchesReference) {
  const Model m = mobilenet_v2::build(42, 100);
  pnn_graph_t g = nullptr;
  ASSERT_EQ(pnn_create_graph(0, &g), pnn_status_success);
  uint32_t in = 0, out = 0;
  ASSERT_EQ(mobilenet_v2::define_graph(m, g, 64, 64, &in, &out), pnn_status_success)
      << pnn_last_error_message();
  pnn_runtime_t rt = nullptr;
  ASSERT_EQ(pnn_create_runtime(g, 0, &rt), pnn_status_success) << pnn_last_error_message();
  pnn_delete_graph(g);

  // Every relu6 folded into its convolution: of the nodes, 35 clamps are fused.
  uint32_t count = 0, fused = 0;
  ASSERT_EQ(pnn_get_runtime_node_count(rt, &count), pnn_status_success);
  for (uint32_t i = 0; i < count; i++) {
    pnn_node_info info{};
    ASSERT_EQ(pnn_get_runtime_node_info(rt, i, &info), pnn_status_success);
    fused += info.fused_into >= 0;
  }
  size_t relu6 = 0;
  for (const Layer& l : m.layers) relu6 += l.relu6;
  EXPECT_EQ(fused, relu6);

  const std::vector<float> image = mobilenet_v2::image(64, 64, 7);
  std::vector<float> logits(m.classes);
  pnn_external_value ext[2] = {{in, const_cast<float*>(image.data())}, {out, logits.data()}};
  ASSERT_EQ(pnn_setup_runtime(rt, 2, ext), pnn_status_success) << pnn_last_error_message();
  ASSERT_EQ(pnn_invoke_runtime(rt, nullptr), pnn_status_success);
  const double d = Disagreement(logits, Reference(m, image.data(), 64, 64));
  std::printf("MobileNet v2 64x64: max |portnn - reference| / max |reference| = %.3g\n", d);
  EXPECT_LE(d, 1e-4);

  // Two other images at 96x80 in one batch, after a reshape of the same runtime.
  const size_t dims[4] = {2, 96, 80, 3};
  ASSERT_EQ(pnn_reshape_external_value(rt, in, 4, dims), pnn_status_success);
  ASSERT_EQ(pnn_reshape_runtime(rt, nullptr), pnn_status_success) << pnn_last_error_message();
  std::vector<float> two = mobilenet_v2::image(96, 80, 8), second = mobilenet_v2::image(96, 80, 9);
  two.insert(two.end(), second.begin(), second.end());
  std::vector<float> logits2(2 * m.classes);
  ext[0].data = two.data();
  ext[1].data = logits2.data();
  ASSERT_EQ(pnn_setup_runtime(rt, 2, ext), pnn_status_success) << pnn_last_error_message();
  ASSERT_EQ(pnn_invoke_runtime(rt, nullptr), pnn_status_success);
  for (size_t b = 0; b < 2; b++) {
    const std::vector<float> got(logits2.begin() + b * m.classes,
                                 logits2.begin() + (b + 1) * m.classes);
    const double db = Disagreement(got, Reference(m, two.data() + b * 96 * 80 * 3, 96, 80));
    std::printf("MobileNet v2 96x80, image %zu of 2: disagreement %.3g\n", b, db);
    EXPECT_LE(db, 1e-4);
  }
  pnn_delete_runtime(rt);
}

}  // namespace
