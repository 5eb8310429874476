// Helpers of the graph runtime tests (graph-test.cc, graph-ops-test.cc): owning pointers for
// graphs, runtimes and operators, and one-line value definitions, runtime creation and shape
// queries that report failures through gtest.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <memory>
#include <vector>

#include "portnn-graph.h"

namespace pnn_test {

struct GraphDeleter {
  void operator()(pnn_graph* g) const { pnn_delete_graph(g); }
};
struct RuntimeDeleter {
  void operator()(pnn_runtime* r) const { pnn_delete_runtime(r); }
};
struct OpDeleter {
  void operator()(pnn_operator* o) const { pnn_delete_operator(o); }
};
using GraphPtr = std::unique_ptr<pnn_graph, GraphDeleter>;
using RuntimePtr = std::unique_ptr<pnn_runtime, RuntimeDeleter>;
using OpPtr = std::unique_ptr<pnn_operator, OpDeleter>;

inline GraphPtr NewGraph() {
  pnn_graph_t g = nullptr;
  EXPECT_EQ(pnn_create_graph(0, &g), pnn_status_success);
  return GraphPtr(g);
}

inline uint32_t Value(pnn_graph_t g, std::vector<size_t> dims, const float* data = nullptr,
                      uint32_t flags = 0) {
  uint32_t id = PNN_INVALID_VALUE_ID;
  EXPECT_EQ(pnn_define_tensor_value(g, dims.size(), dims.data(), data, flags, &id),
            pnn_status_success)
      << pnn_last_error_message();
  return id;
}
inline uint32_t Internal(pnn_graph_t g) { return Value(g, {}); }
inline uint32_t Input(pnn_graph_t g, std::vector<size_t> dims) {
  return Value(g, dims, nullptr, PNN_VALUE_FLAG_EXTERNAL_INPUT);
}
inline uint32_t Output(pnn_graph_t g) {
  return Value(g, {}, nullptr, PNN_VALUE_FLAG_EXTERNAL_OUTPUT);
}

inline RuntimePtr Create(pnn_graph_t g, uint32_t flags = 0) {
  pnn_runtime_t rt = nullptr;
  EXPECT_EQ(pnn_create_runtime(g, flags, &rt), pnn_status_success) << pnn_last_error_message();
  return RuntimePtr(rt);
}

// The current shape of value `id`.
inline std::vector<size_t> Shape(pnn_runtime_t rt, uint32_t id) {
  size_t n = 0, dims[PNN_MAX_DIMS];
  EXPECT_EQ(pnn_get_value_shape(rt, id, &n, dims), pnn_status_success);
  return std::vector<size_t>(dims, dims + n);
}

// A deconvolution of kernel 2x2, stride 2 (the upsampling path), gic -> goc channels, no clamp.
inline pnn_deconvolution2d_params UpsamplingDeconvParams(size_t gic, size_t goc) {
  pnn_deconvolution2d_params dp{};
  dp.kernel_height = dp.kernel_width = dp.stride_height = dp.stride_width = 2;
  dp.dilation_height = dp.dilation_width = dp.groups = 1;
  dp.group_input_channels = gic;
  dp.group_output_channels = goc;
  dp.output_min = -INFINITY;
  dp.output_max = INFINITY;
  return dp;
}

}  // namespace pnn_test
