// The graph's records: values and nodes as the define calls store them (src/graph/graph.cc),
// read by the runtime (src/graph/runtime.cc), which copies what it needs so that the graph can
// be deleted first. Every record is trivially copyable (src/graph/array.h); a static value's data
// is either borrowed or owned by the graph through `owned`, freed with the graph.
#pragma once

#include <cstddef>
#include <cstdint>

#include "error.h"
#include "graph/array.h"
#include "portnn-graph.h"

namespace pnn {
namespace graph {

enum class ValueKind { kInternal, kStatic, kExternalInput, kExternalOutput };

struct Shape {
  size_t rank = 0;
  size_t dims[PNN_MAX_DIMS] = {};
  size_t elements() const {  // callers have checked that the product fits
    size_t n = 1;
    for (size_t i = 0; i < rank; i++) n *= dims[i];
    return n;
  }
  bool operator==(const Shape& o) const {
    if (rank != o.rank) return false;
    for (size_t i = 0; i < rank; i++) {
      if (dims[i] != o.dims[i]) return false;
    }
    return true;
  }
};

struct Value {
  ValueKind kind = ValueKind::kInternal;
  bool declared = false;  // shape given at definition (always for static and external inputs)
  Shape shape;
  const float* data = nullptr;  // static values
  float* owned = nullptr;       // the graph's copy (data == owned), or NULL when borrowed
};

// Node kinds with the operator names profiles and error reasons show, in one list.
#define PNN_GRAPH_NODE_KINDS(X)                                              \
  X(kConvolution2d, "convolution2d")                                         \
  X(kFullyConnected, "fully_connected")                                      \
  X(kBatchMatmul, "batch_matmul")                                            \
  X(kMaxPooling2d, "max_pooling2d")                                          \
  X(kAveragePooling2d, "average_pooling2d")                                  \
  X(kGlobalAveragePooling2d, "global_average_pooling2d")                     \
  X(kUnary, "unary")                                                         \
  X(kBinary, "binary")                                                       \
  X(kSoftmax, "softmax")                                                     \
  X(kReshape, "reshape")                                                     \
  X(kDeconvolution2d, "deconvolution2d")                                     \
  X(kResize2d, "resize2d")                                                   \
  X(kTranspose, "transpose")                                                 \
  X(kDepthToSpace, "depth_to_space")                                         \
  X(kSpaceToDepth, "space_to_depth")                                         \
  X(kPad, "pad")                                                             \
  X(kConcatenate, "concatenate")                                             \
  X(kSplit, "split")                                                         \
  X(kSlice, "slice")                                                         \
  X(kReduce, "reduce")                                                       \
  X(kLayerNorm, "layer_norm")                                                \
  X(kRmsNorm, "rms_norm")                                                    \
  X(kBatchNorm, "batch_norm")                                                \
  X(kPrelu, "prelu")                                                         \
  X(kCopy, "copy")

enum class NodeKind {
#define PNN_GRAPH_NODE_KIND(kind, name) kind,
  PNN_GRAPH_NODE_KINDS(PNN_GRAPH_NODE_KIND)
#undef PNN_GRAPH_NODE_KIND
};

const char* node_kind_name(NodeKind kind);

// A concatenate reads up to PNN_MAX_CONCAT_PARTS values, a split writes as many; every other
// node writes one value (outputs[0]). Activation inputs come first, weights after them.
static_assert(sizeof(pnn_reduce_op) == sizeof(int32_t) && sizeof(pnn_pad_mode) == sizeof(int32_t) &&
                  sizeof(pnn_depth_to_space_mode) == sizeof(int32_t),
              "define calls copy enum arguments into int32_t fields");
constexpr size_t kMaxNodeInputs = PNN_MAX_CONCAT_PARTS;
constexpr size_t kMaxNodeOutputs = PNN_MAX_CONCAT_PARTS;
constexpr size_t kMaxNodeName = 64;

struct Node {
  NodeKind kind = NodeKind::kUnary;
  char name[kMaxNodeName] = {0};  // empty: the default "node <i> (<kind>)"
  uint32_t inputs[kMaxNodeInputs];  // PNN_INVALID_VALUE_ID for an absent optional one
  uint32_t num_inputs = 0;
  uint32_t outputs[kMaxNodeOutputs];
  uint32_t num_outputs = 0;
  uint32_t flags = 0;
  float output_min = 0.0f, output_max = 0.0f;  // fused clamp, where the operator has one
  union {
    pnn_convolution2d_params conv;
    pnn_pooling2d_params pool;
    struct {
      pnn_unary_op op;
      pnn_unary_params params;
      bool has_params;  // params was not NULL
    } unary;
    pnn_binary_op binary;
    Shape reshape;
    pnn_deconvolution2d_params deconv;
    struct {
      pnn_resize2d_params params;
      size_t height, width;  // fixed output size, or 0 and the scales
      float height_scale, width_scale;
    } resize;
    struct {
      size_t num_dims;
      size_t perm[PNN_MAX_DIMS];
    } transpose;
    // Enums of the define calls are kept as the caller's raw int (a C caller may pass any int;
    // the operator's create judges it), never loaded as the enum type.
    struct {
      uint32_t block_size;
      int32_t mode;  // depth-to-space only: pnn_depth_to_space_mode
    } space;
    struct {
      int32_t mode;  // pnn_pad_mode
      float value;
      size_t num_dims;
      size_t pre[PNN_MAX_DIMS], post[PNN_MAX_DIMS];
    } pad;
    struct {
      int32_t axis;
      bool even;  // split: sizes NULL at definition
      size_t sizes[kMaxNodeOutputs];
    } parts;  // concatenate (axis only) and split
    struct {
      size_t num_dims;
      int64_t begins[PNN_MAX_DIMS], ends[PNN_MAX_DIMS], steps[PNN_MAX_DIMS];
    } slice;
    struct {
      int32_t op;  // pnn_reduce_op
      size_t num_axes;
      int32_t axes[PNN_MAX_DIMS];
    } reduce;
    struct {
      int32_t axis;  // layer / RMS norm: first normalized dim; softmax: its axis
      float epsilon;
    } norm;  // layer, RMS and batch norm, softmax
  } p;
  Node() : p{} {
    for (uint32_t& id : inputs) id = PNN_INVALID_VALUE_ID;
    for (uint32_t& id : outputs) id = PNN_INVALID_VALUE_ID;
  }
};

}  // namespace graph
}  // namespace pnn

struct pnn_graph {
  pnn::Array<pnn::graph::Value> values;
  pnn::Array<pnn::graph::Node> nodes;
  ~pnn_graph() {
    for (auto& v : values) std::free(v.owned);
  }
};
