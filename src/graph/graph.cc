// The graph's define calls (include/portnn-graph.h): they only record values and nodes, after
// checking ids and value kinds; operator parameters and shapes are checked by the runtime.
#include <cstring>
#include <initializer_list>
#include <new>

#include "common.h"
#include "error.h"
#include "graph/graph.h"

namespace pnn {
namespace graph {

const char* node_kind_name(NodeKind kind) {
  switch (kind) {
#define PNN_GRAPH_NODE_KIND(k, name) \
  case NodeKind::k:                  \
    return name;
    PNN_GRAPH_NODE_KINDS(PNN_GRAPH_NODE_KIND)
#undef PNN_GRAPH_NODE_KIND
  }
  return "unknown";
}

namespace {

// Reads `num_dims` dims into `shape`: each >= 1, and the element count and its bytes fit size_t.
pnn_status read_dims(size_t num_dims, const size_t* dims, Shape* shape) {
  if (num_dims > PNN_MAX_DIMS) {
    return fail(pnn_status_invalid_parameter, "num_dims is %zu; at most %d dims (PNN_MAX_DIMS)",
                num_dims, PNN_MAX_DIMS);
  }
  if (num_dims != 0 && dims == nullptr) {
    return fail(pnn_status_invalid_parameter, "dims is NULL with num_dims %zu", num_dims);
  }
  size_t count = 1;
  for (size_t i = 0; i < num_dims; i++) {
    if (dims[i] == 0) return fail(pnn_status_invalid_parameter, "dims[%zu] is 0; it must be >= 1", i);
    if (!checked_mul(count, dims[i], &count) || count > SIZE_MAX / sizeof(float)) {
      return fail(pnn_status_invalid_parameter,
                  "the element count of the dims overflows size_t bytes (at dims[%zu] = %zu)", i,
                  dims[i]);
    }
  }
  shape->rank = num_dims;
  for (size_t i = 0; i < num_dims; i++) shape->dims[i] = dims[i];
  return pnn_status_success;
}

// The checks every define call makes on its graph and value ids.
class NodeBuilder {
 public:
  NodeBuilder(pnn_graph_t graph, NodeKind kind) : graph_(graph) { node_.kind = kind; }

  // The graph exists and has room for one more node.
  pnn_status begin() {
    if (graph_ == nullptr) return fail(pnn_status_invalid_parameter, "graph is NULL");
    if (graph_->nodes.size() >= PNN_MAX_GRAPH_VALUES) {
      return fail(pnn_status_invalid_parameter, "the graph has %u nodes, the most it can hold",
                  PNN_MAX_GRAPH_VALUES);
    }
    return pnn_status_success;
  }
  // An activation input: any defined value.
  pnn_status input(const char* what, uint32_t id) { return add(what, id, false, false); }
  // A weight or bias: a static value; PNN_INVALID_VALUE_ID when `optional`.
  pnn_status weights(const char* what, uint32_t id, bool optional) {
    return add(what, id, true, optional);
  }
  pnn_status output(uint32_t id, const char* what = "output_id") {
    pnn_status s = known(what, id);
    if (s != pnn_status_success) return s;
    const ValueKind kind = graph_->values[id].kind;
    if (kind == ValueKind::kStatic || kind == ValueKind::kExternalInput) {
      return fail(pnn_status_invalid_parameter,
                  "%s %u is %s value; a node's output must be internal or an external output",
                  what, id, kind == ValueKind::kStatic ? "a static" : "an external input");
    }
    for (uint32_t k = 0; k < node_.num_outputs; k++) {
      if (node_.outputs[k] == id) {
        return fail(pnn_status_invalid_parameter,
                    "%s %u is also output %u of the node; each value is produced once", what, id,
                    k);
      }
    }
    node_.outputs[node_.num_outputs++] = id;
    return pnn_status_success;
  }
  Node& node() { return node_; }
  pnn_status commit() {
    if (!graph_->nodes.push(node_)) {
      return fail(pnn_status_out_of_memory, "no memory for one more node");
    }
    return pnn_status_success;
  }

 private:
  pnn_status known(const char* what, uint32_t id) {
    if (id >= graph_->values.size()) {
      return fail(pnn_status_invalid_parameter, "%s %u is not a value of the graph (it has %zu)",
                  what, id, graph_->values.size());
    }
    return pnn_status_success;
  }
  pnn_status add(const char* what, uint32_t id, bool must_be_static, bool optional) {
    if (!(optional && id == PNN_INVALID_VALUE_ID)) {
      pnn_status s = known(what, id);
      if (s != pnn_status_success) return s;
      if (must_be_static && graph_->values[id].kind != ValueKind::kStatic) {
        return fail(pnn_status_invalid_parameter,
                    "%s %u is not a static value; weights and biases must have data at definition",
                    what, id);
      }
    }
    node_.inputs[node_.num_inputs++] = id;
    return pnn_status_success;
  }

  pnn_graph_t graph_;
  Node node_;
};

}  // namespace
}  // namespace graph
}  // namespace pnn

using pnn::graph::NodeBuilder;
using pnn::graph::NodeKind;
using pnn::graph::ValueKind;

// A convolution-like node: its params struct (stored where `member` points in the node), a
// static filter and an optional static bias.
template <typename Params>
static pnn_status define_filtered(pnn_graph_t graph, NodeKind kind, const Params* params,
                                  uint32_t input_id, uint32_t filter_id, uint32_t bias_id,
                                  uint32_t output_id, Params* (*member)(pnn::graph::Node&)) {
  NodeBuilder b(graph, kind);
  PNN_TRY(b.begin());
  if (params == nullptr) return pnn::fail(pnn_status_invalid_parameter, "params is NULL");
  PNN_TRY(b.input("input_id", input_id));
  PNN_TRY(b.weights("filter_id", filter_id, false));
  PNN_TRY(b.weights("bias_id", bias_id, true));
  PNN_TRY(b.output(output_id));
  *member(b.node()) = *params;
  b.node().output_min = params->output_min;
  b.node().output_max = params->output_max;
  return b.commit();
}

// A static input of a node: its argument name, id, and whether PNN_INVALID_VALUE_ID is allowed.
struct WeightId {
  const char* name;
  uint32_t id;
  bool optional;
};

// A node of one activation input, static `weights` after it and one output, whose parameters
// `store` checks and records (before the ids are checked, so a bad parameter is reported first).
template <typename Store>
static pnn_status define_node(pnn_graph_t graph, NodeKind kind, uint32_t input_id,
                              std::initializer_list<WeightId> weights, uint32_t output_id,
                              Store store) {
  NodeBuilder b(graph, kind);
  PNN_TRY(b.begin());
  PNN_TRY(store(b.node()));
  PNN_TRY(b.input("input_id", input_id));
  for (const WeightId& w : weights) PNN_TRY(b.weights(w.name, w.id, w.optional));
  PNN_TRY(b.output(output_id));
  return b.commit();
}

template <typename Store>
static pnn_status define_simple(pnn_graph_t graph, NodeKind kind, uint32_t input_id,
                                uint32_t output_id, Store store) {
  return define_node(graph, kind, input_id, {}, output_id, store);
}

// `num_dims` per-dim parameters at `ptr`, 1 to PNN_MAX_DIMS of them (`ptr` may be NULL only when
// `optional`).
static pnn_status check_per_dim(size_t num_dims, const void* ptr, const char* what,
                                bool optional = false) {
  if (num_dims == 0 || num_dims > PNN_MAX_DIMS) {
    return pnn::fail(pnn_status_invalid_parameter, "num_dims is %zu; it must be 1 to %d", num_dims,
                     PNN_MAX_DIMS);
  }
  if (ptr == nullptr && !optional) {
    return pnn::fail(pnn_status_invalid_parameter, "%s is NULL", what);
  }
  return pnn_status_success;
}

// "<name>[<k>]" in buf (room for 32 bytes; k < 100), for a reason naming one id of an array.
static const char* indexed(const char* name, size_t k, char* buf) {
  size_t n = 0;
  for (; name[n] != '\0' && n < 24; n++) buf[n] = name[n];
  buf[n++] = '[';
  if (k >= 10) buf[n++] = static_cast<char>('0' + k / 10 % 10);
  buf[n++] = static_cast<char>('0' + k % 10);
  buf[n++] = ']';
  buf[n] = '\0';
  return buf;
}

// The number of parts of a concatenate or split: 2 to PNN_MAX_CONCAT_PARTS, ids not NULL.
static pnn_status check_parts(size_t count, const uint32_t* ids, const char* what,
                              const char* ids_name) {
  if (count < 2 || count > PNN_MAX_CONCAT_PARTS) {
    return pnn::fail(pnn_status_invalid_parameter, "%s is %zu; it must be 2 to %d", what, count,
                     PNN_MAX_CONCAT_PARTS);
  }
  if (ids == nullptr) return pnn::fail(pnn_status_invalid_parameter, "%s is NULL", ids_name);
  return pnn_status_success;
}

extern "C" {

pnn_status pnn_create_graph(uint32_t flags, pnn_graph_t* graph_out) {
  PNN_API_SCOPE();
  if (graph_out == nullptr) return pnn::fail(pnn_status_invalid_parameter, "graph_out is NULL");
  *graph_out = nullptr;
  if (flags != 0) return pnn::fail(pnn_status_invalid_parameter, "flags is %u; it must be 0", flags);
  pnn_graph* g = new (std::nothrow) pnn_graph;
  if (g == nullptr) return pnn::fail(pnn_status_out_of_memory, "no memory for the graph");
  *graph_out = g;
  return pnn_status_success;
}

pnn_status pnn_delete_graph(pnn_graph_t graph) {
  PNN_API_SCOPE();
  delete graph;
  return pnn_status_success;
}

pnn_status pnn_define_tensor_value(pnn_graph_t graph, size_t num_dims, const size_t* dims,
                                   const float* data, uint32_t flags, uint32_t* id_out) {
  PNN_API_SCOPE();
  using pnn::fail;
  if (graph == nullptr) return fail(pnn_status_invalid_parameter, "graph is NULL");
  if (id_out == nullptr) return fail(pnn_status_invalid_parameter, "id_out is NULL");
  const uint32_t known = PNN_VALUE_FLAG_EXTERNAL_INPUT | PNN_VALUE_FLAG_EXTERNAL_OUTPUT |
                         PNN_VALUE_FLAG_BORROW_DATA;
  if ((flags & ~known) != 0) {
    return fail(pnn_status_invalid_parameter, "flags 0x%u has unknown bits", flags);
  }
  const bool in = (flags & PNN_VALUE_FLAG_EXTERNAL_INPUT) != 0;
  const bool out = (flags & PNN_VALUE_FLAG_EXTERNAL_OUTPUT) != 0;
  const bool borrow = (flags & PNN_VALUE_FLAG_BORROW_DATA) != 0;
  if (in && out) {
    return fail(pnn_status_invalid_parameter,
                "a value is an external input or an external output, not both");
  }
  if (data != nullptr && (in || out)) {
    return fail(pnn_status_invalid_parameter,
                "an external value has no data at definition (the buffer is bound at setup)");
  }
  if (borrow && data == nullptr) {
    return fail(pnn_status_invalid_parameter, "PNN_VALUE_FLAG_BORROW_DATA needs data");
  }
  if (in && num_dims == 0) {
    return fail(pnn_status_invalid_parameter, "an external input needs its dims (num_dims >= 1)");
  }
  if (graph->values.size() >= PNN_MAX_GRAPH_VALUES) {
    return fail(pnn_status_invalid_parameter, "the graph has %u values, the most it can hold",
                PNN_MAX_GRAPH_VALUES);
  }
  pnn::graph::Value v;
  PNN_TRY(pnn::graph::read_dims(num_dims, dims, &v.shape));
  v.kind = data != nullptr ? ValueKind::kStatic
           : in            ? ValueKind::kExternalInput
           : out           ? ValueKind::kExternalOutput
                           : ValueKind::kInternal;
  v.declared = num_dims != 0 || data != nullptr;
  if (data != nullptr && !borrow) {
    const size_t bytes = v.shape.elements() * sizeof(float);
    v.owned = static_cast<float*>(std::malloc(bytes));
    if (v.owned == nullptr) {
      return fail(pnn_status_out_of_memory, "no memory for a copy of %zu bytes of data", bytes);
    }
    std::memcpy(v.owned, data, bytes);
    data = v.owned;
  }
  v.data = data;
  if (!graph->values.push(v)) {
    std::free(v.owned);
    return fail(pnn_status_out_of_memory, "no memory for one more value");
  }
  *id_out = static_cast<uint32_t>(graph->values.size() - 1);
  return pnn_status_success;
}

pnn_status pnn_set_node_name(pnn_graph_t graph, uint32_t node_index, const char* name) {
  PNN_API_SCOPE();
  using pnn::fail;
  if (graph == nullptr) return fail(pnn_status_invalid_parameter, "graph is NULL");
  if (name == nullptr) return fail(pnn_status_invalid_parameter, "name is NULL");
  if (node_index >= graph->nodes.size()) {
    return fail(pnn_status_invalid_parameter, "node_index %u: the graph has %zu nodes",
                node_index, graph->nodes.size());
  }
  char* dst = graph->nodes[node_index].name;
  size_t i = 0;
  for (; i + 1 < pnn::graph::kMaxNodeName && name[i] != '\0'; i++) dst[i] = name[i];
  dst[i] = '\0';
  return pnn_status_success;
}

pnn_status pnn_graph_node_count(pnn_graph_t graph, uint32_t* count_out) {
  PNN_API_SCOPE();
  if (graph == nullptr) return pnn::fail(pnn_status_invalid_parameter, "graph is NULL");
  if (count_out == nullptr) return pnn::fail(pnn_status_invalid_parameter, "count_out is NULL");
  *count_out = static_cast<uint32_t>(graph->nodes.size());
  return pnn_status_success;
}

pnn_status pnn_define_convolution2d(pnn_graph_t graph, const pnn_convolution2d_params* params,
                                    uint32_t input_id, uint32_t filter_id, uint32_t bias_id,
                                    uint32_t output_id) {
  PNN_API_SCOPE();
  return define_filtered<pnn_convolution2d_params>(
      graph, NodeKind::kConvolution2d, params, input_id, filter_id, bias_id, output_id,
      [](pnn::graph::Node& n) { return &n.p.conv; });
}

pnn_status pnn_define_deconvolution2d(pnn_graph_t graph, const pnn_deconvolution2d_params* params,
                                      uint32_t input_id, uint32_t filter_id, uint32_t bias_id,
                                      uint32_t output_id) {
  PNN_API_SCOPE();
  return define_filtered<pnn_deconvolution2d_params>(
      graph, NodeKind::kDeconvolution2d, params, input_id, filter_id, bias_id, output_id,
      [](pnn::graph::Node& n) { return &n.p.deconv; });
}

pnn_status pnn_define_resize2d(pnn_graph_t graph, const pnn_resize2d_params* params,
                               size_t output_height, size_t output_width, float height_scale,
                               float width_scale, uint32_t input_id, uint32_t output_id) {
  PNN_API_SCOPE();
  using pnn::fail;
  NodeBuilder b(graph, NodeKind::kResize2d);
  PNN_TRY(b.begin());
  if (params == nullptr) return fail(pnn_status_invalid_parameter, "params is NULL");
  if ((output_height == 0) != (output_width == 0)) {
    return fail(pnn_status_invalid_parameter,
                "output_height %zu and output_width %zu: give both sizes, or both 0 for scales",
                output_height, output_width);
  }
  if (output_height == 0 && !(height_scale > 0.0f && width_scale > 0.0f &&
                              height_scale < 1e30f && width_scale < 1e30f)) {
    return fail(pnn_status_invalid_parameter,
                "height_scale %g and width_scale %g: scales must be finite and > 0",
                static_cast<double>(height_scale), static_cast<double>(width_scale));
  }
  PNN_TRY(b.input("input_id", input_id));
  PNN_TRY(b.output(output_id));
  auto& r = b.node().p.resize;
  r.params = *params;
  r.height = output_height;
  r.width = output_width;
  r.height_scale = height_scale;
  r.width_scale = width_scale;
  return b.commit();
}

pnn_status pnn_define_fully_connected(pnn_graph_t graph, float output_min, float output_max,
                                      uint32_t input_id, uint32_t weights_id, uint32_t bias_id,
                                      uint32_t output_id, uint32_t flags) {
  PNN_API_SCOPE();
  return define_node(graph, NodeKind::kFullyConnected, input_id,
                     {{"weights_id", weights_id, false}, {"bias_id", bias_id, true}}, output_id,
                     [&](pnn::graph::Node& n) {
    n.output_min = output_min;
    n.output_max = output_max;
    n.flags = flags;
    return pnn_status_success;
  });
}

pnn_status pnn_define_batch_matmul(pnn_graph_t graph, uint32_t a_id, uint32_t b_id,
                                   uint32_t output_id, uint32_t flags) {
  PNN_API_SCOPE();
  NodeBuilder b(graph, NodeKind::kBatchMatmul);
  PNN_TRY(b.begin());
  PNN_TRY(b.input("a_id", a_id));
  PNN_TRY(b.input("b_id", b_id));
  PNN_TRY(b.output(output_id));
  b.node().flags = flags;
  return b.commit();
}

static pnn_status define_pooling(pnn_graph_t graph, NodeKind kind,
                                 const pnn_pooling2d_params* params, uint32_t input_id,
                                 uint32_t output_id) {
  NodeBuilder b(graph, kind);
  PNN_TRY(b.begin());
  if (params == nullptr) return pnn::fail(pnn_status_invalid_parameter, "params is NULL");
  PNN_TRY(b.input("input_id", input_id));
  PNN_TRY(b.output(output_id));
  b.node().p.pool = *params;
  b.node().output_min = params->output_min;
  b.node().output_max = params->output_max;
  return b.commit();
}

pnn_status pnn_define_max_pooling2d(pnn_graph_t graph, const pnn_pooling2d_params* params,
                                    uint32_t input_id, uint32_t output_id) {
  PNN_API_SCOPE();
  return define_pooling(graph, NodeKind::kMaxPooling2d, params, input_id, output_id);
}

pnn_status pnn_define_average_pooling2d(pnn_graph_t graph, const pnn_pooling2d_params* params,
                                        uint32_t input_id, uint32_t output_id) {
  PNN_API_SCOPE();
  return define_pooling(graph, NodeKind::kAveragePooling2d, params, input_id, output_id);
}

pnn_status pnn_define_global_average_pooling2d(pnn_graph_t graph, float output_min,
                                               float output_max, uint32_t input_id,
                                               uint32_t output_id, uint32_t flags) {
  PNN_API_SCOPE();
  NodeBuilder b(graph, NodeKind::kGlobalAveragePooling2d);
  PNN_TRY(b.begin());
  PNN_TRY(b.input("input_id", input_id));
  PNN_TRY(b.output(output_id));
  b.node().output_min = output_min;
  b.node().output_max = output_max;
  b.node().flags = flags;
  return b.commit();
}

pnn_status pnn_define_unary(pnn_graph_t graph, pnn_unary_op op_type,
                            const pnn_unary_params* params, uint32_t input_id, uint32_t output_id,
                            uint32_t flags) {
  PNN_API_SCOPE();
  NodeBuilder b(graph, NodeKind::kUnary);
  PNN_TRY(b.begin());
  PNN_TRY(b.input("input_id", input_id));
  PNN_TRY(b.output(output_id));
  std::memcpy(&b.node().p.unary.op, &op_type, sizeof op_type);  // any int a C caller passed
  if (params != nullptr) b.node().p.unary.params = *params;
  b.node().p.unary.has_params = params != nullptr;
  b.node().flags = flags;
  return b.commit();
}

pnn_status pnn_define_binary(pnn_graph_t graph, pnn_binary_op op_type, float output_min,
                             float output_max, uint32_t a_id, uint32_t b_id, uint32_t output_id,
                             uint32_t flags) {
  PNN_API_SCOPE();
  NodeBuilder b(graph, NodeKind::kBinary);
  PNN_TRY(b.begin());
  PNN_TRY(b.input("a_id", a_id));
  PNN_TRY(b.input("b_id", b_id));
  PNN_TRY(b.output(output_id));
  std::memcpy(&b.node().p.binary, &op_type, sizeof op_type);
  b.node().output_min = output_min;
  b.node().output_max = output_max;
  b.node().flags = flags;
  return b.commit();
}

static pnn_status define_softmax(pnn_graph_t graph, int32_t axis, uint32_t input_id,
                                 uint32_t output_id, uint32_t flags) {
  NodeBuilder b(graph, NodeKind::kSoftmax);
  PNN_TRY(b.begin());
  PNN_TRY(b.input("input_id", input_id));
  PNN_TRY(b.output(output_id));
  b.node().p.norm.axis = axis;
  b.node().flags = flags;
  return b.commit();
}

pnn_status pnn_define_softmax(pnn_graph_t graph, uint32_t input_id, uint32_t output_id,
                              uint32_t flags) {
  PNN_API_SCOPE();
  return define_softmax(graph, -1, input_id, output_id, flags);
}

pnn_status pnn_define_softmax_axis(pnn_graph_t graph, int32_t axis, uint32_t input_id,
                                   uint32_t output_id, uint32_t flags) {
  PNN_API_SCOPE();
  return define_softmax(graph, axis, input_id, output_id, flags);
}

pnn_status pnn_define_reshape(pnn_graph_t graph, size_t num_dims, const size_t* new_dims,
                              uint32_t input_id, uint32_t output_id) {
  PNN_API_SCOPE();
  using pnn::fail;
  NodeBuilder b(graph, NodeKind::kReshape);
  PNN_TRY(b.begin());
  if (num_dims > PNN_MAX_DIMS) {
    return fail(pnn_status_invalid_parameter, "num_dims is %zu; at most %d dims (PNN_MAX_DIMS)",
                num_dims, PNN_MAX_DIMS);
  }
  if (num_dims != 0 && new_dims == nullptr) {
    return fail(pnn_status_invalid_parameter, "new_dims is NULL with num_dims %zu", num_dims);
  }
  size_t inferred = 0;
  for (size_t i = 0; i < num_dims; i++) inferred += new_dims[i] == 0 ? 1 : 0;
  if (inferred > 1) {
    return fail(pnn_status_invalid_parameter,
                "%zu of new_dims are 0; at most one dim may be inferred", inferred);
  }
  PNN_TRY(b.input("input_id", input_id));
  PNN_TRY(b.output(output_id));
  b.node().p.reshape.rank = num_dims;
  for (size_t i = 0; i < num_dims; i++) b.node().p.reshape.dims[i] = new_dims[i];
  return b.commit();
}


pnn_status pnn_define_copy(pnn_graph_t graph, uint32_t input_id, uint32_t output_id) {
  PNN_API_SCOPE();
  return define_simple(graph, NodeKind::kCopy, input_id, output_id,
                       [](pnn::graph::Node&) { return pnn_status_success; });
}

pnn_status pnn_define_transpose(pnn_graph_t graph, size_t num_dims, const size_t* perm,
                                uint32_t input_id, uint32_t output_id) {
  PNN_API_SCOPE();
  return define_simple(graph, NodeKind::kTranspose, input_id, output_id,
                       [&](pnn::graph::Node& n) {
    PNN_TRY(check_per_dim(num_dims, perm, "perm"));
    bool seen[PNN_MAX_DIMS] = {};
    for (size_t i = 0; i < num_dims; i++) {
      if (perm[i] >= num_dims || seen[perm[i]]) {
        return pnn::fail(pnn_status_invalid_parameter,
                         "perm[%zu] is %zu; perm must be a permutation of 0..%zu", i, perm[i],
                         num_dims - 1);
      }
      seen[perm[i]] = true;
      n.p.transpose.perm[i] = perm[i];
    }
    n.p.transpose.num_dims = num_dims;
    return pnn_status_success;
  });
}

pnn_status pnn_define_depth_to_space(pnn_graph_t graph, uint32_t block_size,
                                     pnn_depth_to_space_mode mode, uint32_t input_id,
                                     uint32_t output_id) {
  PNN_API_SCOPE();
  return define_simple(graph, NodeKind::kDepthToSpace, input_id, output_id,
                       [&](pnn::graph::Node& n) {
    n.p.space.block_size = block_size;
    std::memcpy(&n.p.space.mode, &mode, sizeof mode);  // any int; the operator checks it
    return pnn_status_success;
  });
}

pnn_status pnn_define_space_to_depth(pnn_graph_t graph, uint32_t block_size, uint32_t input_id,
                                     uint32_t output_id) {
  PNN_API_SCOPE();
  return define_simple(graph, NodeKind::kSpaceToDepth, input_id, output_id,
                       [&](pnn::graph::Node& n) {
    n.p.space.block_size = block_size;
    return pnn_status_success;
  });
}

pnn_status pnn_define_pad(pnn_graph_t graph, pnn_pad_mode mode, size_t num_dims,
                          const size_t* pre_paddings, const size_t* post_paddings,
                          float padding_value, uint32_t input_id, uint32_t output_id) {
  PNN_API_SCOPE();
  return define_simple(graph, NodeKind::kPad, input_id, output_id, [&](pnn::graph::Node& n) {
    PNN_TRY(check_per_dim(num_dims, pre_paddings, "pre_paddings"));
    PNN_TRY(check_per_dim(num_dims, post_paddings, "post_paddings"));
    auto& p = n.p.pad;
    std::memcpy(&p.mode, &mode, sizeof mode);
    p.value = padding_value;
    p.num_dims = num_dims;
    std::memcpy(p.pre, pre_paddings, num_dims * sizeof(size_t));
    std::memcpy(p.post, post_paddings, num_dims * sizeof(size_t));
    return pnn_status_success;
  });
}

pnn_status pnn_define_concatenate(pnn_graph_t graph, int32_t axis, size_t num_inputs,
                                  const uint32_t* input_ids, uint32_t output_id) {
  PNN_API_SCOPE();
  NodeBuilder b(graph, NodeKind::kConcatenate);
  PNN_TRY(b.begin());
  PNN_TRY(check_parts(num_inputs, input_ids, "num_inputs", "input_ids"));
  for (size_t k = 0; k < num_inputs; k++) {
    char what[32];
    PNN_TRY(b.input(indexed("input_ids", k, what), input_ids[k]));
  }
  PNN_TRY(b.output(output_id));
  b.node().p.parts.axis = axis;
  return b.commit();
}

pnn_status pnn_define_split(pnn_graph_t graph, int32_t axis, size_t num_outputs,
                            const size_t* split_sizes, uint32_t input_id,
                            const uint32_t* output_ids) {
  PNN_API_SCOPE();
  NodeBuilder b(graph, NodeKind::kSplit);
  PNN_TRY(b.begin());
  PNN_TRY(check_parts(num_outputs, output_ids, "num_outputs", "output_ids"));
  auto& p = b.node().p.parts;
  p.axis = axis;
  p.even = split_sizes == nullptr;
  for (size_t k = 0; k < num_outputs && split_sizes != nullptr; k++) {
    if (split_sizes[k] == 0) {
      return pnn::fail(pnn_status_invalid_parameter, "split_sizes[%zu] is 0; parts have >= 1", k);
    }
    p.sizes[k] = split_sizes[k];
  }
  PNN_TRY(b.input("input_id", input_id));
  for (size_t k = 0; k < num_outputs; k++) {
    char what[32];
    PNN_TRY(b.output(output_ids[k], indexed("output_ids", k, what)));
  }
  return b.commit();
}

pnn_status pnn_define_slice(pnn_graph_t graph, size_t num_dims, const int64_t* begins,
                            const int64_t* ends, const int64_t* steps, uint32_t input_id,
                            uint32_t output_id) {
  PNN_API_SCOPE();
  return define_simple(graph, NodeKind::kSlice, input_id, output_id, [&](pnn::graph::Node& n) {
    PNN_TRY(check_per_dim(num_dims, begins, "begins"));
    PNN_TRY(check_per_dim(num_dims, ends, "ends"));
    auto& p = n.p.slice;
    p.num_dims = num_dims;
    for (size_t i = 0; i < num_dims; i++) {
      p.begins[i] = begins[i];
      p.ends[i] = ends[i];
      p.steps[i] = steps != nullptr ? steps[i] : 1;
      if (p.steps[i] < 1) {
        return pnn::fail(pnn_status_invalid_parameter, "steps[%zu] is %g; steps are >= 1", i,
                         static_cast<double>(p.steps[i]));
      }
    }
    return pnn_status_success;
  });
}

pnn_status pnn_define_reduce(pnn_graph_t graph, pnn_reduce_op op_type, size_t num_axes,
                             const int32_t* axes, uint32_t input_id, uint32_t output_id,
                             uint32_t flags) {
  PNN_API_SCOPE();
  return define_simple(graph, NodeKind::kReduce, input_id, output_id, [&](pnn::graph::Node& n) {
    if (num_axes > PNN_MAX_DIMS) {
      return pnn::fail(pnn_status_invalid_parameter, "num_axes is %zu; at most %d", num_axes,
                       PNN_MAX_DIMS);
    }
    if (num_axes != 0 && axes == nullptr) {
      return pnn::fail(pnn_status_invalid_parameter, "axes is NULL with num_axes %zu", num_axes);
    }
    auto& p = n.p.reduce;
    std::memcpy(&p.op, &op_type, sizeof op_type);
    p.num_axes = num_axes;
    for (size_t i = 0; i < num_axes; i++) p.axes[i] = axes[i];
    n.flags = flags;
    return pnn_status_success;
  });
}

// Records a normalization's axis and epsilon.
static auto norm_params(int32_t axis, float epsilon) {
  return [=](pnn::graph::Node& n) {
    n.p.norm.axis = axis;
    n.p.norm.epsilon = epsilon;
    return pnn_status_success;
  };
}

pnn_status pnn_define_layer_norm(pnn_graph_t graph, int32_t axis, float epsilon,
                                 uint32_t gamma_id, uint32_t beta_id, uint32_t input_id,
                                 uint32_t output_id) {
  PNN_API_SCOPE();
  return define_node(graph, NodeKind::kLayerNorm, input_id,
                     {{"gamma_id", gamma_id, false}, {"beta_id", beta_id, true}}, output_id,
                     norm_params(axis, epsilon));
}

pnn_status pnn_define_rms_norm(pnn_graph_t graph, int32_t axis, float epsilon, uint32_t gamma_id,
                               uint32_t input_id, uint32_t output_id) {
  PNN_API_SCOPE();
  return define_node(graph, NodeKind::kRmsNorm, input_id, {{"gamma_id", gamma_id, false}},
                     output_id, norm_params(axis, epsilon));
}

pnn_status pnn_define_batch_norm(pnn_graph_t graph, float epsilon, uint32_t mean_id,
                                 uint32_t var_id, uint32_t gamma_id, uint32_t beta_id,
                                 uint32_t input_id, uint32_t output_id) {
  PNN_API_SCOPE();
  return define_node(graph, NodeKind::kBatchNorm, input_id,
                     {{"mean_id", mean_id, false},
                      {"var_id", var_id, false},
                      {"gamma_id", gamma_id, false},
                      {"beta_id", beta_id, false}},
                     output_id, norm_params(-1, epsilon));
}

pnn_status pnn_define_prelu(pnn_graph_t graph, uint32_t slope_id, uint32_t input_id,
                            uint32_t output_id) {
  PNN_API_SCOPE();
  return define_node(graph, NodeKind::kPrelu, input_id, {{"slope_id", slope_id, false}},
                     output_id, [](pnn::graph::Node&) { return pnn_status_success; });
}

}  // extern "C"
