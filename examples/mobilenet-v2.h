// MobileNet v2 (width 1.0; Sandler et al., 2018) as data: one description of its layers with
// weights drawn from a fixed seed, read by every program that runs the model — the graph
// example (examples/mobilenet_v2.cc), the test against a double-precision reference
// (tests/mobilenet-v2-test.cc) and the benchmark against XNNPACK's runtime (bench/model.cc) — so
// all of them run the same network with the same numbers.
//
// Layers are NHWC; each produces one tensor, numbered like the layer; kModelInput is the image.
// Weights are uniform in +-sqrt(6 / fan_in) (+-sqrt(3 / fan_in) before a linear output), biases
// in +-0.05, from a xorshift32 stream a JS port can reproduce exactly (ModelRandom).
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "portnn-graph.h"

namespace mobilenet_v2 {

constexpr int kModelInput = -1;

enum class Kind { kConv, kAdd, kGlobalAveragePool, kFullyConnected };

struct Layer {
  Kind kind;
  int input, input2;  // tensor indices (kModelInput for the image); input2 for kAdd
  uint32_t kernel = 1, stride = 1, groups = 1;
  size_t cin = 0, cout = 0;  // channels in and out (for a depthwise layer both are the groups)
  bool relu6 = false;        // clamp [0, 6] after the layer
  size_t weights = 0, bias = 0;  // offsets into Model::params
  uint32_t padding() const { return kernel / 2; }
  // A kConv layer's parameters (no fused clamp: the graph gives relu6 its own node).
  pnn_convolution2d_params conv_params() const {
    pnn_convolution2d_params p = {};
    p.padding_top = p.padding_right = p.padding_bottom = p.padding_left = padding();
    p.kernel_height = p.kernel_width = kernel;
    p.stride_height = p.stride_width = stride;
    p.dilation_height = p.dilation_width = 1;
    p.groups = groups;
    p.group_input_channels = cin / groups;
    p.group_output_channels = cout / groups;
    p.output_min = -INFINITY;
    p.output_max = INFINITY;
    return p;
  }
};

struct Model {
  std::vector<Layer> layers;
  std::vector<float> params;
  size_t classes = 1000;
  size_t output() const { return layers.size() - 1; }
};

// xorshift32 floats in [-1, 1): 24 random bits each.
class ModelRandom {
 public:
  explicit ModelRandom(uint32_t seed) : state_(seed != 0 ? seed : 1) {}
  float next() {
    state_ ^= state_ << 13;
    state_ ^= state_ >> 17;
    state_ ^= state_ << 5;
    return static_cast<float>(state_ >> 8) * (2.0f / 16777216.0f) - 1.0f;
  }

 private:
  uint32_t state_;
};

inline Model build(uint32_t seed, size_t classes = 1000) {
  Model m;
  m.classes = classes;
  ModelRandom rng(seed);
  auto add_params = [&](size_t count, float scale) {
    const size_t at = m.params.size();
    for (size_t i = 0; i < count; i++) m.params.push_back(scale * rng.next());
    return at;
  };
  auto conv = [&](int input, uint32_t k, uint32_t s, uint32_t groups, size_t cin, size_t cout,
                  bool relu6) {
    Layer l{Kind::kConv, input, 0};
    l.kernel = k;
    l.stride = s;
    l.groups = groups;
    l.cin = cin;
    l.cout = cout;
    l.relu6 = relu6;
    const size_t fan_in = k * k * (cin / groups);
    l.weights = add_params(cout * k * k * (cin / groups),
                           std::sqrt((relu6 ? 6.0f : 3.0f) / static_cast<float>(fan_in)));
    l.bias = add_params(cout, 0.05f);
    m.layers.push_back(l);
    return static_cast<int>(m.layers.size() - 1);
  };
  int x = conv(kModelInput, 3, 2, 1, 3, 32, true);
  size_t c = 32;
  // (expansion t, output channels, repeats n, first stride s)
  const struct { size_t t, c, n; uint32_t s; } blocks[] = {
      {1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2},
      {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1}};
  for (const auto& b : blocks) {
    for (size_t i = 0; i < b.n; i++) {
      const uint32_t stride = i == 0 ? b.s : 1;
      const size_t hidden = c * b.t;
      int y = x;
      if (b.t != 1) y = conv(y, 1, 1, 1, c, hidden, true);
      y = conv(y, 3, stride, static_cast<uint32_t>(hidden), hidden, hidden, true);
      y = conv(y, 1, 1, 1, hidden, b.c, false);
      if (stride == 1 && c == b.c) {
        Layer add{Kind::kAdd, x, y};
        add.cin = add.cout = b.c;
        m.layers.push_back(add);
        y = static_cast<int>(m.layers.size() - 1);
      }
      x = y;
      c = b.c;
    }
  }
  x = conv(x, 1, 1, 1, c, 1280, true);
  Layer gap{Kind::kGlobalAveragePool, x, 0};
  gap.cin = gap.cout = 1280;
  m.layers.push_back(gap);
  Layer fc{Kind::kFullyConnected, static_cast<int>(m.layers.size() - 1), 0};
  fc.cin = 1280;
  fc.cout = classes;
  fc.weights = add_params(classes * 1280, std::sqrt(3.0f / 1280.0f));
  fc.bias = add_params(classes, 0.05f);
  m.layers.push_back(fc);
  return m;
}

// Defines the model in a portnn graph: the image [1][height][width][3] as external input
// `*input_id`, the logits [1][classes] as external output `*output_id`. Weights are borrowed
// from `m` (PNN_VALUE_FLAG_BORROW_DATA): keep `m` alive until the runtimes are created. Each
// relu6 is its own clamp node, as an exported model has it; the runtime fuses it.
inline pnn_status define_graph(const Model& m, pnn_graph_t g, size_t height, size_t width,
                               uint32_t* input_id, uint32_t* output_id) {
  pnn_status s = pnn_status_success;
  const size_t image[4] = {1, height, width, 3};
  s = pnn_define_tensor_value(g, 4, image, nullptr, PNN_VALUE_FLAG_EXTERNAL_INPUT, input_id);
  std::vector<uint32_t> tensor(m.layers.size());
  for (size_t i = 0; i < m.layers.size() && s == pnn_status_success; i++) {
    const Layer& l = m.layers[i];
    const uint32_t in = l.input == kModelInput ? *input_id : tensor[l.input];
    const uint32_t flags = i == m.output() ? PNN_VALUE_FLAG_EXTERNAL_OUTPUT : 0;
    s = pnn_define_tensor_value(g, 0, nullptr, nullptr, flags, &tensor[i]);
    if (s != pnn_status_success) break;
    const float* params = m.params.data();
    switch (l.kind) {
      case Kind::kConv: {
        const size_t gic = l.cin / l.groups;
        const size_t wdims[4] = {l.cout, l.kernel, l.kernel, gic}, bdims[1] = {l.cout};
        uint32_t w = 0, b = 0, raw = tensor[i];
        s = pnn_define_tensor_value(g, 4, wdims, params + l.weights, PNN_VALUE_FLAG_BORROW_DATA, &w);
        if (s == pnn_status_success) {
          s = pnn_define_tensor_value(g, 1, bdims, params + l.bias, PNN_VALUE_FLAG_BORROW_DATA, &b);
        }
        if (s == pnn_status_success && l.relu6) {
          s = pnn_define_tensor_value(g, 0, nullptr, nullptr, 0, &raw);
        }
        const pnn_convolution2d_params p = l.conv_params();
        if (s == pnn_status_success) s = pnn_define_convolution2d(g, &p, in, w, b, raw);
        if (s == pnn_status_success && l.relu6) {
          pnn_unary_params relu6 = {};
          relu6.min = 0.0f;
          relu6.max = 6.0f;
          s = pnn_define_unary(g, pnn_unary_clamp, &relu6, raw, tensor[i], 0);
        }
        break;
      }
      case Kind::kAdd:
        s = pnn_define_binary(g, pnn_binary_add, -INFINITY, INFINITY, in, tensor[l.input2],
                              tensor[i], 0);
        break;
      case Kind::kGlobalAveragePool:
        s = pnn_define_global_average_pooling2d(g, -INFINITY, INFINITY, in, tensor[i], 0);
        break;
      case Kind::kFullyConnected: {
        const size_t wdims[2] = {l.cout, l.cin}, bdims[1] = {l.cout};
        uint32_t w = 0, b = 0;
        s = pnn_define_tensor_value(g, 2, wdims, params + l.weights, PNN_VALUE_FLAG_BORROW_DATA, &w);
        if (s == pnn_status_success) {
          s = pnn_define_tensor_value(g, 1, bdims, params + l.bias, PNN_VALUE_FLAG_BORROW_DATA, &b);
        }
        if (s == pnn_status_success) {
          s = pnn_define_fully_connected(g, -INFINITY, INFINITY, in, w, b, tensor[i], 0);
        }
        break;
      }
    }
  }
  if (s == pnn_status_success) *output_id = tensor[m.output()];
  return s;
}

// A test image: xorshift floats in [-1, 1) from `seed`, NHWC.
inline std::vector<float> image(size_t height, size_t width, uint32_t seed) {
  ModelRandom rng(seed);
  std::vector<float> x(height * width * 3);
  for (float& v : x) v = rng.next();
  return x;
}

}  // namespace mobilenet_v2
