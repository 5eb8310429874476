// The import core's state, shared by its files: import.cc (values, constants, layouts, inputs and
// outputs, the node loop), ops-compute.cc (operators that become graph nodes) and ops-fold.cc
// (operators evaluated at load: shapes and constants).
//
// Values. Every ONNX value the loop has seen is either
//   - a Constant: its elements are known at load (initializers, Constant nodes, and the result of
//     any node whose inputs are all constants — Shape of a value with a known shape is one), kept
//     as float32 or int64 (every integer and bool type widens to int64). Constants become graph
//     static values only where a graph node consumes them, in the layout that node needs;
//   - Computed: a graph value (id) with its ONNX dims and a storage order.
//
// Layout. ONNX models are NCHW; portnn's convolution, pooling, resize and batch norm run NHWC. A
// Computed's `perm` says how its stored axes relate to its ONNX axes: stored axis j holds ONNX axis
// perm[j] (NHWC storage of an NCHW tensor is perm {0, 2, 3, 1}). Operators that care about layout
// ask for the order they need (to_layout(), which adds a transpose node only when the order
// differs, once per value and order); elementwise operators keep whatever order their inputs
// share; axis arguments (concat, softmax, reduce, slice, split, pad) are mapped through perm;
// an ONNX Transpose only relabels (a new perm over the same graph value, no node). So a CNN runs
// NHWC from its first convolution to its flatten and pays one transpose at the input.
//
// Bounds. The decoded model is untrusted: every dim read from it is checked (0..kMaxDim) and every
// element count (<= kMaxElements, and for folded constants <= kMaxFoldElements) before anything is
// allocated from it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "error.h"
#include "onnx/model.h"
#include "portnn-graph.h"
#include "portnn-onnx.h"

struct pnn_onnx_model {
  pnn_graph_t graph = nullptr;
  struct Io {
    std::string name;
    uint32_t value_id = 0;
    std::vector<size_t> dims;
  };
  std::vector<Io> inputs, outputs;
  ~pnn_onnx_model() { pnn_delete_graph(graph); }
};

namespace pnn {
namespace onnx {

constexpr int64_t kMaxDim = int64_t{1} << 31;            // one dim of any tensor
constexpr int64_t kMaxElements = int64_t{1} << 31;       // elements of one tensor
constexpr int64_t kMaxFoldElements = int64_t{1} << 24;   // elements a load-time evaluation makes

using Dims = std::vector<int64_t>;
using Perm = std::vector<size_t>;

struct Constant {
  bool is_float = true;
  Dims dims;
  std::vector<float> f;    // when is_float (and not a view)
  std::vector<int64_t> i;  // otherwise
  // A float initializer's elements are read in place from the decoded model's raw bytes (which
  // outlive the import) instead of being copied: a copy of a large model into fresh memory costs
  // page faults. f is then empty.
  const float* view = nullptr;
  size_t view_count = 0;

  size_t count() const { return is_float ? (view != nullptr ? view_count : f.size()) : i.size(); }
  const float* fdata() const { return view != nullptr ? view : f.data(); }
  double at(size_t k) const { return is_float ? double{fdata()[k]} : static_cast<double>(i[k]); }
  int64_t int_at(size_t k) const { return is_float ? static_cast<int64_t>(fdata()[k]) : i[k]; }
  // Copies a view's elements into f (before changing them).
  void own() {
    if (view == nullptr) return;
    f.assign(view, view + view_count);
    view = nullptr;
    view_count = 0;
  }
};

struct Computed {
  uint32_t id = 0;
  Dims dims;  // ONNX order
  Perm perm;  // stored axis j holds ONNX axis perm[j]
};

struct Value {
  bool is_constant = false;
  Constant c;
  Computed t;
};

Perm identity_perm(size_t rank);
bool is_identity(const Perm& perm);
Perm nhwc_perm();  // {0, 2, 3, 1}
Dims permute_dims(const Dims& dims, const Perm& perm);  // result[j] = dims[perm[j]]
Perm inverse_perm(const Perm& perm);
// Elements of dims (callers have bounded each dim; the product is checked against kMaxElements).
bool element_count(const Dims& dims, int64_t* count);

class Importer;
using Handler = pnn_status (Importer::*)(const Node& node);

class Importer {
 public:
  Importer(const char* who, const Model& model);
  ~Importer();
  pnn_status run(size_t num_input_shapes, const pnn_onnx_input_shape* input_shapes,
                 pnn_onnx_model_t* model_out);

  // --- ops-compute.cc ---
  pnn_status conv(const Node& n);
  pnn_status lift_1d(const Node& n, Handler handler);
  pnn_status conv_transpose(const Node& n);
  pnn_status pool(const Node& n);
  pnn_status global_pool(const Node& n);
  pnn_status gemm(const Node& n);
  pnn_status matmul(const Node& n);
  pnn_status unary(const Node& n);
  pnn_status binary(const Node& n);
  pnn_status softmax(const Node& n);
  pnn_status batch_norm(const Node& n);
  pnn_status layer_norm(const Node& n);
  pnn_status prelu(const Node& n);
  pnn_status resize(const Node& n);
  pnn_status reduce(const Node& n);
  pnn_status concat(const Node& n);
  pnn_status split(const Node& n);
  pnn_status slice(const Node& n);
  pnn_status pad(const Node& n);
  pnn_status depth_space(const Node& n);
  // --- ops-fold.cc (and views) ---
  pnn_status identity(const Node& n);
  pnn_status transpose(const Node& n);
  pnn_status reshape(const Node& n);
  pnn_status flatten(const Node& n);
  pnn_status squeeze(const Node& n);
  pnn_status constant(const Node& n);
  pnn_status shape(const Node& n);
  pnn_status gather(const Node& n);
  pnn_status cast(const Node& n);
  pnn_status constant_of_shape(const Node& n);
  pnn_status range(const Node& n);
  pnn_status expand(const Node& n);
  pnn_status where(const Node& n);
  pnn_status compare(const Node& n);
  pnn_status scatter_nd(const Node& n);

  // --- shared helpers (import.cc) ---
  // "node 'name' (Op): <reason>" with invalid_parameter.
  template <typename... Args>
  pnn_status node_fail(const Node& n, const char* format, Args... args);
  pnn_status unsupported(const Node& n, const char* what);
  int64_t opset() const { return opset_; }

  bool has_input(const Node& n, size_t i) const;
  // Input i (must exist unless optional and absent: then *out = nullptr when `optional`).
  pnn_status input(const Node& n, size_t i, const Value** out, bool optional = false);
  pnn_status constant_input(const Node& n, size_t i, const Constant** out, const char* what);
  pnn_status tensor_input(const Node& n, size_t i, const Value** out);

  const Attribute* attr(const Node& n, const char* name) const;
  pnn_status attr_int(const Node& n, const char* name, int64_t def, int64_t* out);
  pnn_status attr_float(const Node& n, const char* name, float def, float* out);
  pnn_status attr_string(const Node& n, const char* name, const char* def, std::string* out);
  pnn_status attr_ints(const Node& n, const char* name, std::vector<int64_t>* out, bool* present);

  // Records output i of n.
  pnn_status set_constant(const Node& n, size_t i, Constant c);
  void set_tensor(const Node& n, size_t i, const Computed& t);

  // A new internal graph value with the given stored dims.
  pnn_status new_value(const Node& n, const Dims& stored, uint32_t* id);
  // A graph static value holding `c` (float) laid out in `perm` order, expanded to `rank` dims
  // by leading ones first.
  pnn_status static_value(const Node& n, const Constant& c, size_t rank, const Perm& perm,
                          uint32_t* id);
  // `v` stored in `perm` order (v is a copy: `out` may alias the caller's `v`) (a transpose node when its order differs; cached).
  pnn_status to_layout(const Node& n, Computed v, const Perm& perm, Computed* out);
  // `v` reshaped to `dims` (ONNX order, same element count) as a view when its stored order
  // already lists the elements in ONNX order, else after a transpose to ONNX order.
  pnn_status reshaped(const Node& n, Computed v, const Dims& dims, Computed* out);
  // Checks the status of a define call: names the graph node after `n`, or wraps the reason.
  pnn_status defined(const Node& n, pnn_status status, const char* suffix = nullptr);
  // ONNX axis -> stored axis of v.
  static size_t stored_axis(const Computed& v, size_t axis);
  pnn_status normalize_axis(const Node& n, int64_t axis, size_t rank, size_t* out);

  pnn_graph_t graph() const { return graph_; }

 private:
  pnn_status check_opsets();
  pnn_status read_initializers();
  pnn_status define_inputs(size_t num_input_shapes, const pnn_onnx_input_shape* input_shapes);
  pnn_status define_outputs();
  pnn_status convert_tensor(const onnx::Tensor& t, const char* what, Constant* out);
  Handler find_handler(const Node& n) const;
  // fusion.cc: marks the nodes of fused patterns (skip_) and what replaces their last node.
  void find_fusions();
  bool scalar_constant(const std::string& name, double* value);
  struct Fused {
    std::string op_type;  // a unary operator of the handler table
    std::string input;
  };
  std::vector<bool> skip_;
  bool allow_empty_ = false;  // set by Concat, the one reader of empty tensors
  // Outputs the importer leaves unproduced on purpose (and why), for a reader's reason.
  std::unordered_map<std::string, std::string> not_produced_;
  std::unordered_map<size_t, Fused> fused_;

  const char* who_;
  const Model& model_;
  pnn_onnx_model* result_ = nullptr;
  pnn_graph_t graph_ = nullptr;
  int64_t opset_ = 0;
  std::unordered_map<std::string, Value> values_;
  // (value, its order, wanted order) -> the transposed value
  std::map<std::pair<uint32_t, std::pair<Perm, Perm>>, uint32_t> layouts_;
  size_t node_index_ = 0;
  friend pnn_status import_model(const char*, const Model&, size_t, const pnn_onnx_input_shape*,
                                 pnn_onnx_model_t*);

 public:
  // Display name of a node for reasons: its name, or "#<index>" when it has none.
  std::string display_name(const Node& n) const;
  // Constant helpers shared by the fold handlers.
  pnn_status check_fold_size(const Node& n, int64_t count);
  pnn_status read_dims_constant(const Node& n, const Constant& c, const char* what, Dims* out);
};

template <typename... Args>
pnn_status Importer::node_fail(const Node& n, const char* format, Args... args) {
  // The reason is composed in two steps so that `format` stays a plain literal for callers.
  char reason[256];
  format_reason(reason, sizeof(reason), format, args...);
  return fail(pnn_status_invalid_parameter, "node '%s' (%s): %s", display_name(n).c_str(),
              n.op_type.c_str(), reason);
}

}  // namespace onnx
}  // namespace pnn
