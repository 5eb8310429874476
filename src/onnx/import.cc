// The import core (see src/onnx/importer.h for values, layouts and bounds): opsets, initializers,
// graph inputs and outputs, the node loop and the helpers every operator handler uses.
#include "onnx/import.h"

#include <cmath>
#include <cstring>
#include <memory>
#include <new>

#include "onnx/importer.h"

namespace pnn {
namespace onnx {

Perm identity_perm(size_t rank) {
  Perm p(rank);
  for (size_t i = 0; i < rank; i++) p[i] = i;
  return p;
}

bool is_identity(const Perm& perm) {
  for (size_t i = 0; i < perm.size(); i++) {
    if (perm[i] != i) return false;
  }
  return true;
}

Perm nhwc_perm() { return Perm{0, 2, 3, 1}; }

Dims permute_dims(const Dims& dims, const Perm& perm) {
  Dims out(perm.size());
  for (size_t j = 0; j < perm.size(); j++) out[j] = dims[perm[j]];
  return out;
}

Perm inverse_perm(const Perm& perm) {
  Perm inv(perm.size());
  for (size_t j = 0; j < perm.size(); j++) inv[perm[j]] = j;
  return inv;
}

bool element_count(const Dims& dims, int64_t* count) {
  int64_t n = 1;
  for (int64_t d : dims) {
    if (d < 0 || d > kMaxDim) return false;
    if (d != 0 && n > kMaxElements / d) return false;
    n *= d;
  }
  *count = n;
  return true;
}

namespace {

// One operator type: the handler, and the opset range the handler implements.
struct OpEntry {
  const char* op_type;
  Handler handler;
};

// Every ONNX operator (default domain) the importer knows. Handlers read the opset themselves
// where an operator's inputs or attributes changed between opsets.
const OpEntry kOps[] = {
    {"Conv", &Importer::conv},
    {"ConvTranspose", &Importer::conv_transpose},
    {"MaxPool", &Importer::pool},
    {"AveragePool", &Importer::pool},
    {"GlobalAveragePool", &Importer::global_pool},
    {"GlobalMaxPool", &Importer::global_pool},
    {"Gemm", &Importer::gemm},
    {"MatMul", &Importer::matmul},
    {"Relu", &Importer::unary},
    {"Clip", &Importer::unary},
    {"LeakyRelu", &Importer::unary},
    {"Elu", &Importer::unary},
    {"Sigmoid", &Importer::unary},
    {"Tanh", &Importer::unary},
    {"HardSwish", &Importer::unary},
    {"HardSigmoid", &Importer::unary},
    {"Gelu", &Importer::unary},
    {"Silu", &Importer::unary},  // not an ONNX operator: what fusion.cc makes of x * Sigmoid(x)
    {"Abs", &Importer::unary},
    {"Neg", &Importer::unary},
    {"Sqrt", &Importer::unary},
    {"Exp", &Importer::unary},
    {"Erf", &Importer::unary},
    {"Log", &Importer::unary},
    {"Reciprocal", &Importer::unary},
    {"Floor", &Importer::unary},
    {"Ceil", &Importer::unary},
    {"Round", &Importer::unary},
    {"Sin", &Importer::unary},
    {"Cos", &Importer::unary},
    {"Softplus", &Importer::unary},
    {"Add", &Importer::binary},
    {"Sub", &Importer::binary},
    {"Mul", &Importer::binary},
    {"Div", &Importer::binary},
    {"Pow", &Importer::binary},
    {"Max", &Importer::binary},
    {"Min", &Importer::binary},
    {"Mod", &Importer::binary},
    {"Softmax", &Importer::softmax},
    {"LogSoftmax", &Importer::softmax},
    {"BatchNormalization", &Importer::batch_norm},
    {"LayerNormalization", &Importer::layer_norm},
    {"PRelu", &Importer::prelu},
    {"Resize", &Importer::resize},
    {"Upsample", &Importer::resize},
    {"ReduceMean", &Importer::reduce},
    {"ReduceSum", &Importer::reduce},
    {"ReduceMax", &Importer::reduce},
    {"ReduceMin", &Importer::reduce},
    {"Concat", &Importer::concat},
    {"Split", &Importer::split},
    {"Slice", &Importer::slice},
    {"Pad", &Importer::pad},
    {"DepthToSpace", &Importer::depth_space},
    {"SpaceToDepth", &Importer::depth_space},
    {"Identity", &Importer::identity},
    {"Dropout", &Importer::identity},
    {"Transpose", &Importer::transpose},
    {"Reshape", &Importer::reshape},
    {"Flatten", &Importer::flatten},
    {"Squeeze", &Importer::squeeze},
    {"Unsqueeze", &Importer::squeeze},
    {"Constant", &Importer::constant},
    {"Shape", &Importer::shape},
    {"Gather", &Importer::gather},
    {"Cast", &Importer::cast},
    {"ConstantOfShape", &Importer::constant_of_shape},
    {"Range", &Importer::range},
    {"Expand", &Importer::expand},
    {"Where", &Importer::where},
    {"Equal", &Importer::compare},
    {"Less", &Importer::compare},
    {"Greater", &Importer::compare},
    {"Not", &Importer::compare},
    {"ScatterND", &Importer::scatter_nd},
};

// The opsets of the default domain the importer implements.
constexpr int64_t kMinOpset = 7;
constexpr int64_t kMaxOpset = 21;

size_t element_size(int32_t type) {
  switch (type) {
    case kFloat: case kInt32: case kUint32: return 4;
    case kInt64: case kUint64: case kDouble: return 8;
    case kUint8: case kInt8: case kBool: return 1;
    case kInt16: case kUint16: case kFloat16: return 2;
    default: return 0;
  }
}

const char* type_name(int32_t type) {
  switch (type) {
    case kFloat: return "float";
    case kUint8: return "uint8";
    case kInt8: return "int8";
    case kUint16: return "uint16";
    case kInt16: return "int16";
    case kInt32: return "int32";
    case kInt64: return "int64";
    case kString: return "string";
    case kBool: return "bool";
    case kFloat16: return "float16";
    case kDouble: return "double";
    case kUint32: return "uint32";
    case kUint64: return "uint64";
    default: return "an unsupported type";
  }
}

// Little-endian element k of raw bytes of `type` widened to int64.
int64_t raw_int(const std::string& raw, int32_t type, size_t k) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(raw.data()) + k * element_size(type);
  uint64_t u = 0;
  for (size_t b = 0; b < element_size(type); b++) u |= uint64_t{p[b]} << (8 * b);
  switch (type) {
    case kInt8: return static_cast<int8_t>(u);
    case kInt16: return static_cast<int16_t>(u);
    case kInt32: return static_cast<int32_t>(u);
    case kBool: return u != 0 ? 1 : 0;
    default: return static_cast<int64_t>(u);
  }
}

float half_to_float(uint16_t h) {
  const uint32_t sign = (h >> 15) & 1, exp = (h >> 10) & 31, mant = h & 1023;
  float v;
  if (exp == 0) {
    v = std::ldexp(static_cast<float>(mant), -24);
  } else if (exp == 31) {
    v = mant == 0 ? INFINITY : NAN;
  } else {
    v = std::ldexp(static_cast<float>(mant + 1024), static_cast<int>(exp) - 25);
  }
  return sign != 0 ? -v : v;
}

}  // namespace

Importer::Importer(const char* who, const Model& model) : who_(who), model_(model) {}

Importer::~Importer() { delete result_; }

std::string Importer::display_name(const Node& n) const {
  if (!n.name.empty()) return n.name;
  return "#" + std::to_string(node_index_);  // the node being imported (names are optional)
}

pnn_status Importer::unsupported(const Node& n, const char* what) {
  return node_fail(n, "%s is not supported", what);
}

pnn_status Importer::check_opsets() {
  bool found = false;
  for (const OpsetImport& o : model_.opset_imports) {
    if (o.domain.empty() || o.domain == "ai.onnx") {
      if (found) return fail(pnn_status_invalid_parameter, "the model imports the ONNX opset twice");
      found = true;
      opset_ = o.version;
    }
  }
  if (!found) {
    return fail(pnn_status_invalid_parameter,
                "the model imports no ONNX opset (opset_import has no default-domain entry)");
  }
  if (opset_ < kMinOpset || opset_ > kMaxOpset) {
    return fail(pnn_status_invalid_parameter,
                "the model uses ONNX opset %lld; portnn imports opsets %lld to %lld",
                static_cast<long long>(opset_), static_cast<long long>(kMinOpset),
                static_cast<long long>(kMaxOpset));
  }
  return pnn_status_success;
}

pnn_status Importer::convert_tensor(const onnx::Tensor& t, const char* what, Constant* out) {
  const char* name = t.name.c_str();
  if (t.external_data) {
    return fail(pnn_status_invalid_parameter,
                "%s '%s' keeps its data in an external file; portnn loads single-file models "
                "(save the model with its tensors inside)",
                what, name);
  }
  if (t.has_segment) {
    return fail(pnn_status_invalid_parameter, "%s '%s' is segmented; not supported", what, name);
  }
  if (t.dims.size() > PNN_MAX_DIMS) {
    return fail(pnn_status_invalid_parameter, "%s '%s' has %zu dims; at most %d are supported",
                what, name, t.dims.size(), PNN_MAX_DIMS);
  }
  int64_t count = 0;
  if (!element_count(t.dims, &count)) {
    return fail(pnn_status_invalid_parameter,
                "%s '%s' has a dim below 0 or above 2^31, or more than 2^31 elements", what, name);
  }
  const size_t n = static_cast<size_t>(count);
  const int32_t type = t.data_type;
  const size_t esize = element_size(type);
  if (esize == 0) {
    return fail(pnn_status_invalid_parameter, "%s '%s' has data type %s (%d); not supported", what,
                name, type_name(type), type);
  }
  const bool raw = !t.raw_data.empty();
  if (raw && t.raw_data.size() != n * esize) {
    return fail(pnn_status_invalid_parameter,
                "%s '%s' holds %zu raw bytes; its %zu %s elements need %zu", what, name,
                t.raw_data.size(), n, type_name(type), n * esize);
  }
  // The typed field ONNX stores each type in when raw_data is not used.
  size_t typed = 0;
  switch (type) {
    case kFloat: typed = t.float_data.size(); break;
    case kDouble: typed = t.double_data.size(); break;
    case kInt64: typed = t.int64_data.size(); break;
    case kUint32: case kUint64: typed = t.int64_data.size(); break;  // uint64_data not decoded
    default: typed = t.int32_data.size(); break;
  }
  if (!raw && typed != n) {
    return fail(pnn_status_invalid_parameter, "%s '%s' holds %zu values; its dims need %zu", what,
                name, typed, n);
  }
  out->dims = t.dims;
  out->f.clear();
  out->i.clear();
  out->view = nullptr;
  out->view_count = 0;
  if (type == kFloat && raw &&
      reinterpret_cast<uintptr_t>(t.raw_data.data()) % alignof(float) == 0) {
    out->is_float = true;  // read in place (little-endian hosts: x86-64, AArch64, WebAssembly)
    out->view = reinterpret_cast<const float*>(t.raw_data.data());
    out->view_count = n;
  } else if (type == kFloat || type == kDouble || type == kFloat16) {
    out->is_float = true;
    out->f.resize(n);
    for (size_t k = 0; k < n; k++) {
      if (type == kFloat) {
        if (raw) {
          std::memcpy(&out->f[k], t.raw_data.data() + 4 * k, 4);
        } else {
          out->f[k] = t.float_data[k];
        }
      } else if (type == kDouble) {
        double d;
        if (raw) {
          std::memcpy(&d, t.raw_data.data() + 8 * k, 8);
        } else {
          d = t.double_data[k];
        }
        out->f[k] = static_cast<float>(d);
      } else {
        const uint16_t h = raw ? static_cast<uint16_t>(raw_int(t.raw_data, kUint16, k))
                               : static_cast<uint16_t>(t.int32_data[k]);
        out->f[k] = half_to_float(h);
      }
    }
  } else {
    out->is_float = false;
    out->i.resize(n);
    for (size_t k = 0; k < n; k++) {
      if (raw) {
        out->i[k] = raw_int(t.raw_data, type, k);
      } else if (type == kInt64 || type == kUint32 || type == kUint64) {
        out->i[k] = t.int64_data[k];
      } else if (type == kBool) {
        out->i[k] = t.int32_data[k] != 0 ? 1 : 0;
      } else {
        out->i[k] = t.int32_data[k];
      }
    }
  }
  return pnn_status_success;
}

pnn_status Importer::read_initializers() {
  if (model_.num_sparse_initializers != 0) {
    return fail(pnn_status_invalid_parameter, "the graph has %zu sparse initializers; not supported",
                model_.num_sparse_initializers);
  }
  for (const onnx::Tensor& t : model_.initializers) {
    if (t.name.empty()) return fail(pnn_status_invalid_parameter, "an initializer has no name");
    Value v;
    v.is_constant = true;
    PNN_TRY(convert_tensor(t, "initializer", &v.c));
    if (!values_.emplace(t.name, std::move(v)).second) {
      return fail(pnn_status_invalid_parameter, "initializer '%s' is defined twice", t.name.c_str());
    }
  }
  return pnn_status_success;
}

pnn_status Importer::define_inputs(size_t num_input_shapes,
                                   const pnn_onnx_input_shape* input_shapes) {
  // Every caller-given shape must name a graph input, once.
  for (size_t s = 0; s < num_input_shapes; s++) {
    const pnn_onnx_input_shape& given = input_shapes[s];
    if (given.name == nullptr) {
      return fail(pnn_status_invalid_parameter, "input_shapes[%zu].name is NULL", s);
    }
    bool known = false;
    for (const ValueInfo& in : model_.inputs) known = known || in.name == given.name;
    if (!known) {
      return fail(pnn_status_invalid_parameter,
                  "input_shapes[%zu] names '%s', which is not an input of the graph", s,
                  given.name);
    }
    for (size_t r = 0; r < s; r++) {
      if (std::strcmp(input_shapes[r].name, given.name) == 0) {
        return fail(pnn_status_invalid_parameter, "input_shapes gives the shape of '%s' twice",
                    given.name);
      }
    }
  }
  for (const ValueInfo& in : model_.inputs) {
    if (values_.count(in.name) != 0) continue;  // an initializer with a default (ONNX IR < 4)
    const char* name = in.name.c_str();
    if (!in.has_tensor_type) {
      return fail(pnn_status_invalid_parameter, "graph input '%s' is not a tensor; not supported",
                  name);
    }
    if (in.elem_type != kFloat) {
      return fail(pnn_status_invalid_parameter,
                  "graph input '%s' has data type %s; portnn runs float inputs", name,
                  type_name(in.elem_type));
    }
    const pnn_onnx_input_shape* given = nullptr;
    for (size_t s = 0; s < num_input_shapes; s++) {
      if (in.name == input_shapes[s].name) given = &input_shapes[s];
    }
    Dims dims;
    if (given != nullptr) {
      if (given->num_dims < 1 || given->num_dims > PNN_MAX_DIMS) {
        return fail(pnn_status_invalid_parameter,
                    "the shape given for input '%s' has %zu dims; 1 to %d are supported", name,
                    given->num_dims, PNN_MAX_DIMS);
      }
      if (given->dims == nullptr) {
        return fail(pnn_status_invalid_parameter, "the shape given for input '%s' has NULL dims",
                    name);
      }
      if (in.has_shape && in.dims.size() != given->num_dims) {
        return fail(pnn_status_invalid_parameter,
                    "the shape given for input '%s' has %zu dims; the model declares %zu", name,
                    given->num_dims, in.dims.size());
      }
      for (size_t d = 0; d < given->num_dims; d++) {
        const size_t v = given->dims[d];
        if (v < 1 || v > static_cast<size_t>(kMaxDim)) {
          return fail(pnn_status_invalid_parameter,
                      "the shape given for input '%s' has dim %zu = %zu; dims are 1 to 2^31", name,
                      d, v);
        }
        if (in.has_shape && in.dims[d].has_value && in.dims[d].value != static_cast<int64_t>(v)) {
          return fail(pnn_status_invalid_parameter,
                      "the shape given for input '%s' has dim %zu = %zu; the model fixes it to %lld",
                      name, d, v, static_cast<long long>(in.dims[d].value));
        }
        dims.push_back(static_cast<int64_t>(v));
      }
    } else {
      if (!in.has_shape) {
        return fail(pnn_status_invalid_parameter,
                    "graph input '%s' declares no shape: give it in input_shapes", name);
      }
      if (in.dims.empty() || in.dims.size() > PNN_MAX_DIMS) {
        return fail(pnn_status_invalid_parameter,
                    "graph input '%s' has %zu dims; 1 to %d are supported", name, in.dims.size(),
                    PNN_MAX_DIMS);
      }
      for (size_t d = 0; d < in.dims.size(); d++) {
        const Dimension& dim = in.dims[d];
        if (!dim.has_value) {
          return fail(pnn_status_invalid_parameter,
                      "graph input '%s' dim %zu is symbolic ('%s'): give the shape in input_shapes",
                      name, d, dim.param.c_str());
        }
        if (dim.value < 1 || dim.value > kMaxDim) {
          return fail(pnn_status_invalid_parameter,
                      "graph input '%s' dim %zu is %lld; dims are 1 to 2^31", name, d,
                      static_cast<long long>(dim.value));
        }
        dims.push_back(dim.value);
      }
    }
    int64_t count = 0;
    if (!element_count(dims, &count)) {
      return fail(pnn_status_invalid_parameter, "graph input '%s' has more than 2^31 elements",
                  name);
    }
    std::vector<size_t> sdims(dims.begin(), dims.end());
    uint32_t id = 0;
    const pnn_status status = pnn_define_tensor_value(graph_, sdims.size(), sdims.data(), nullptr,
                                                      PNN_VALUE_FLAG_EXTERNAL_INPUT, &id);
    if (status != pnn_status_success) {
      const std::string reason = pnn_last_error_message();
      return fail(status, "graph input '%s': %s", name, reason.c_str());
    }
    Value v;
    v.t.id = id;
    v.t.dims = dims;
    v.t.perm = identity_perm(dims.size());
    values_[in.name] = v;
    result_->inputs.push_back({in.name, id, sdims});
  }
  return pnn_status_success;
}

pnn_status Importer::define_outputs() {
  for (const ValueInfo& out : model_.outputs) {
    const char* name = out.name.c_str();
    auto it = values_.find(out.name);
    if (it == values_.end()) {
      return fail(pnn_status_invalid_parameter, "graph output '%s' is produced by no node", name);
    }
    if (it->second.is_constant) {
      return fail(pnn_status_invalid_parameter,
                  "graph output '%s' is a constant (it depends on no input); not supported", name);
    }
    if (out.has_tensor_type && out.elem_type != kFloat && out.elem_type != kUndefined) {
      return fail(pnn_status_invalid_parameter,
                  "graph output '%s' has data type %s; portnn produces float outputs", name,
                  type_name(out.elem_type));
    }
    const Computed v = it->second.t;
    std::vector<size_t> sdims(v.dims.begin(), v.dims.end());
    uint32_t id = 0;
    pnn_status status = pnn_define_tensor_value(graph_, sdims.size(), sdims.data(), nullptr,
                                                PNN_VALUE_FLAG_EXTERNAL_OUTPUT, &id);
    if (status == pnn_status_success) {
      if (is_identity(v.perm)) {
        status = pnn_define_copy(graph_, v.id, id);
      } else {
        // The stored order back to ONNX order: output axis j reads stored axis inv[j].
        const Perm inv = inverse_perm(v.perm);
        std::vector<size_t> q(inv.begin(), inv.end());
        status = pnn_define_transpose(graph_, q.size(), q.data(), v.id, id);
      }
    }
    if (status != pnn_status_success) {
      const std::string reason = pnn_last_error_message();
      return fail(status, "graph output '%s': %s", name, reason.c_str());
    }
    uint32_t count = 0;
    pnn_graph_node_count(graph_, &count);
    pnn_set_node_name(graph_, count - 1, ("output " + out.name).substr(0, 63).c_str());
    result_->outputs.push_back({out.name, id, sdims});
  }
  if (result_->outputs.empty()) {
    return fail(pnn_status_invalid_parameter, "the graph has no outputs");
  }
  return pnn_status_success;
}

Handler Importer::find_handler(const Node& n) const {
  for (const OpEntry& e : kOps) {
    if (n.op_type == e.op_type) return e.handler;
  }
  return nullptr;
}

pnn_status Importer::run(size_t num_input_shapes, const pnn_onnx_input_shape* input_shapes,
                         pnn_onnx_model_t* model_out) {
  if (!model_.has_graph) return fail(pnn_status_invalid_parameter, "the model has no graph");
  PNN_TRY(check_opsets());
  result_ = new (std::nothrow) pnn_onnx_model();
  if (result_ == nullptr) return fail(pnn_status_out_of_memory, "out of memory");
  if (pnn_create_graph(0, &result_->graph) != pnn_status_success) {
    const std::string reason = pnn_last_error_message();
    return fail(pnn_status_out_of_memory, "%s", reason.c_str());
  }
  graph_ = result_->graph;
  PNN_TRY(read_initializers());
  PNN_TRY(define_inputs(num_input_shapes, input_shapes));
  skip_.assign(model_.nodes.size(), false);
  find_fusions();
  for (node_index_ = 0; node_index_ < model_.nodes.size(); node_index_++) {
    if (skip_[node_index_]) continue;
    auto fused = fused_.find(node_index_);
    if (fused != fused_.end()) {
      // The pattern's last node becomes the fused operator (same name, same output).
      Node f = model_.nodes[node_index_];
      f.op_type = fused->second.op_type;
      f.inputs = {fused->second.input};
      f.attributes.clear();
      PNN_TRY(unary(f));
      continue;
    }
    const Node& n = model_.nodes[node_index_];
    if (!n.domain.empty() && n.domain != "ai.onnx") {
      return node_fail(n, "operator domain '%s' is not supported (portnn imports the default ONNX "
                       "domain only)", n.domain.c_str());
    }
    const Handler handler = find_handler(n);
    if (handler == nullptr) {
      return node_fail(n, "operator %s is not supported", n.op_type.c_str());
    }
    for (const Attribute& a : n.attributes) {
      if (a.num_graphs != 0) return node_fail(n, "attribute '%s' holds a subgraph; not supported",
                                              a.name.c_str());
      if (!a.ref_attr_name.empty()) {
        return node_fail(n, "attribute '%s' refers to a function attribute; not supported",
                         a.name.c_str());
      }
    }
    if (n.outputs.empty()) return node_fail(n, "the node has no outputs");
    PNN_TRY((this->*handler)(n));
  }
  PNN_TRY(define_outputs());
  *model_out = result_;
  result_ = nullptr;
  return pnn_status_success;
}

// --- helpers ---------------------------------------------------------------------------------

bool Importer::has_input(const Node& n, size_t i) const {
  return i < n.inputs.size() && !n.inputs[i].empty();
}

pnn_status Importer::input(const Node& n, size_t i, const Value** out, bool optional) {
  if (!has_input(n, i)) {
    if (optional) {
      *out = nullptr;
      return pnn_status_success;
    }
    return node_fail(n, "input %zu is missing", i);
  }
  auto it = values_.find(n.inputs[i]);
  if (it == values_.end()) {
    auto why = not_produced_.find(n.inputs[i]);
    if (why != not_produced_.end()) {
      return node_fail(n, "input %zu '%s' %s", i, n.inputs[i].c_str(), why->second.c_str());
    }
    return node_fail(n,
                     "input %zu '%s' is produced by no earlier node and is no initializer or graph "
                     "input (nodes out of order, a cycle, or a missing initializer)",
                     i, n.inputs[i].c_str());
  }
  if (!it->second.is_constant && it->second.t.id == PNN_INVALID_VALUE_ID && !allow_empty_) {
    return node_fail(n, "input %zu '%s' is an empty tensor; portnn has none (only Concat skips them)",
                     i, n.inputs[i].c_str());
  }
  *out = &it->second;
  return pnn_status_success;
}

pnn_status Importer::constant_input(const Node& n, size_t i, const Constant** out,
                                    const char* what) {
  const Value* v = nullptr;
  PNN_TRY(input(n, i, &v));
  if (!v->is_constant) {
    return node_fail(n, "input %zu '%s' (%s) is computed at run time; portnn needs it constant",
                     i, n.inputs[i].c_str(), what);
  }
  *out = &v->c;
  return pnn_status_success;
}

const Attribute* Importer::attr(const Node& n, const char* name) const {
  for (const Attribute& a : n.attributes) {
    if (a.name == name) return &a;
  }
  return nullptr;
}

pnn_status Importer::attr_int(const Node& n, const char* name, int64_t def, int64_t* out) {
  const Attribute* a = attr(n, name);
  if (a == nullptr) {
    *out = def;
    return pnn_status_success;
  }
  if (a->type != kAttrInt) return node_fail(n, "attribute '%s' is not an int", name);
  *out = a->i;
  return pnn_status_success;
}

pnn_status Importer::attr_float(const Node& n, const char* name, float def, float* out) {
  const Attribute* a = attr(n, name);
  if (a == nullptr) {
    *out = def;
    return pnn_status_success;
  }
  if (a->type != kAttrFloat) return node_fail(n, "attribute '%s' is not a float", name);
  *out = a->f;
  return pnn_status_success;
}

pnn_status Importer::attr_string(const Node& n, const char* name, const char* def,
                                 std::string* out) {
  const Attribute* a = attr(n, name);
  if (a == nullptr) {
    *out = def;
    return pnn_status_success;
  }
  if (a->type != kAttrString) return node_fail(n, "attribute '%s' is not a string", name);
  *out = a->s;
  return pnn_status_success;
}

pnn_status Importer::attr_ints(const Node& n, const char* name, std::vector<int64_t>* out,
                               bool* present) {
  const Attribute* a = attr(n, name);
  *present = a != nullptr;
  out->clear();
  if (a == nullptr) return pnn_status_success;
  if (a->type != kAttrInts) return node_fail(n, "attribute '%s' is not a list of ints", name);
  *out = a->ints;
  return pnn_status_success;
}

pnn_status Importer::set_constant(const Node& n, size_t i, Constant c) {
  if (i >= n.outputs.size() || n.outputs[i].empty()) return pnn_status_success;
  Value v;
  v.is_constant = true;
  v.c = std::move(c);
  if (values_.count(n.outputs[i]) != 0) {
    return node_fail(n, "output '%s' is produced twice", n.outputs[i].c_str());
  }
  values_[n.outputs[i]] = std::move(v);
  return pnn_status_success;
}

void Importer::set_tensor(const Node& n, size_t i, const Computed& t) {
  if (i >= n.outputs.size() || n.outputs[i].empty()) return;
  Value v;
  v.t = t;
  values_[n.outputs[i]] = std::move(v);
}

pnn_status Importer::tensor_input(const Node& n, size_t i, const Value** out) {
  PNN_TRY(input(n, i, out));
  return pnn_status_success;
}

pnn_status Importer::defined(const Node& n, pnn_status status, const char* suffix) {
  if (status != pnn_status_success) {
    // A reason recorded under this call's own name (a shared module's check) loses that prefix;
    // a define call's keeps its name.
    std::string reason = pnn_last_error_message();
    const std::string own = std::string(current_api_function()) + ": ";
    if (reason.compare(0, own.size(), own) == 0) reason.erase(0, own.size());
    return fail(status, "node '%s' (%s): %s", display_name(n).c_str(), n.op_type.c_str(),
                reason.c_str());
  }
  uint32_t count = 0;
  pnn_graph_node_count(graph_, &count);
  std::string name = display_name(n);
  if (suffix != nullptr) name += suffix;
  pnn_set_node_name(graph_, count - 1, name.substr(0, 63).c_str());
  return pnn_status_success;
}

pnn_status Importer::new_value(const Node& n, const Dims& stored, uint32_t* id) {
  std::vector<size_t> dims(stored.begin(), stored.end());
  const pnn_status status =
      pnn_define_tensor_value(graph_, dims.size(), dims.data(), nullptr, 0, id);
  if (status != pnn_status_success) {
    const std::string reason = pnn_last_error_message();
    return fail(status, "node '%s' (%s): %s", display_name(n).c_str(), n.op_type.c_str(),
                reason.c_str());
  }
  return pnn_status_success;
}

pnn_status Importer::static_value(const Node& n, const Constant& c, size_t rank, const Perm& perm,
                                  uint32_t* id) {
  if (c.dims.size() > rank) {
    return node_fail(n, "a constant of %zu dims is used where %zu dims are expected",
                     c.dims.size(), rank);
  }
  Dims full(rank - c.dims.size(), 1);
  full.insert(full.end(), c.dims.begin(), c.dims.end());
  const Dims stored = permute_dims(full, perm);
  const size_t count = c.count();
  // Identity order (leading ones do not move elements) and float: the graph copies from the
  // constant itself.
  const bool in_order = is_identity(perm) && c.is_float;
  std::unique_ptr<float[]> permuted;
  if (!in_order && count != 0) {
    permuted.reset(new float[count]);
    float* data = permuted.get();
    // Stored element index -> ONNX element index, axis by axis.
    std::vector<int64_t> strides(rank, 1);  // ONNX strides
    for (size_t a = rank; a-- > 1;) strides[a - 1] = strides[a] * full[a];
    std::vector<int64_t> pos(rank, 0);  // stored position
    for (size_t k = 0; k < count; k++) {
      int64_t src = 0;
      for (size_t j = 0; j < rank; j++) src += pos[j] * strides[perm[j]];
      data[k] = static_cast<float>(c.at(static_cast<size_t>(src)));
      for (size_t j = rank; j-- > 0;) {
        if (++pos[j] < stored[j]) break;
        pos[j] = 0;
      }
    }
  }
  std::vector<size_t> dims(stored.begin(), stored.end());
  const float* data = in_order ? c.fdata() : permuted.get();
  static const float kNone = 0.0f;  // an empty constant never reaches here (dims are >= 1)
  const pnn_status status =
      pnn_define_tensor_value(graph_, dims.size(), dims.data(), data ? data : &kNone, 0, id);
  if (status != pnn_status_success) {
    const std::string reason = pnn_last_error_message();
    return fail(status, "node '%s' (%s): a constant: %s", display_name(n).c_str(),
                n.op_type.c_str(), reason.c_str());
  }
  return pnn_status_success;
}

pnn_status Importer::to_layout(const Node& n, Computed v, const Perm& perm, Computed* out) {
  if (v.perm == perm) {
    *out = v;
    return pnn_status_success;
  }
  if (perm.size() != v.dims.size()) {
    return node_fail(n, "an input has %zu dims; the operator needs %zu", v.dims.size(),
                     perm.size());
  }
  out->dims = v.dims;
  out->perm = perm;
  auto it = layouts_.find({v.id, {v.perm, perm}});
  if (it != layouts_.end()) {
    out->id = it->second;
    return pnn_status_success;
  }
  // Output stored axis j holds ONNX axis perm[j], which the input stores at inv[perm[j]].
  const Perm inv = inverse_perm(v.perm);
  std::vector<size_t> q(perm.size());
  for (size_t j = 0; j < perm.size(); j++) q[j] = inv[perm[j]];
  PNN_TRY(new_value(n, permute_dims(v.dims, perm), &out->id));
  PNN_TRY(defined(n, pnn_define_transpose(graph_, q.size(), q.data(), v.id, out->id),
                  " (layout)"));
  layouts_[{v.id, {v.perm, perm}}] = out->id;
  return pnn_status_success;
}

pnn_status Importer::reshaped(const Node& n, Computed v, const Dims& dims, Computed* out) {
  // The stored elements are in ONNX order when the non-unit axes appear in ONNX order.
  bool in_order = true;
  size_t last = 0;
  bool seen = false;
  for (size_t j = 0; j < v.perm.size(); j++) {
    if (v.dims[v.perm[j]] == 1) continue;
    if (seen && v.perm[j] < last) in_order = false;
    last = v.perm[j];
    seen = true;
  }
  Computed src = v;
  if (!in_order) PNN_TRY(to_layout(n, v, identity_perm(v.dims.size()), &src));
  if (dims == src.dims && is_identity(src.perm)) {
    *out = src;
    return pnn_status_success;
  }
  out->dims = dims;
  out->perm = identity_perm(dims.size());
  if (dims.empty()) return node_fail(n, "a reshape to a scalar is not supported");
  if (dims.size() > PNN_MAX_DIMS) {
    return node_fail(n, "the result has %zu dims; at most %d are supported", dims.size(),
                     PNN_MAX_DIMS);
  }
  PNN_TRY(new_value(n, dims, &out->id));
  std::vector<size_t> sdims(dims.begin(), dims.end());
  return defined(n, pnn_define_reshape(graph_, sdims.size(), sdims.data(), src.id, out->id));
}

size_t Importer::stored_axis(const Computed& v, size_t axis) {
  for (size_t j = 0; j < v.perm.size(); j++) {
    if (v.perm[j] == axis) return j;
  }
  return axis;
}

pnn_status Importer::normalize_axis(const Node& n, int64_t axis, size_t rank, size_t* out) {
  const int64_t r = static_cast<int64_t>(rank);
  if (axis < -r || axis >= r) {
    return node_fail(n, "axis %lld is outside [-%zu, %zu)", static_cast<long long>(axis), rank,
                     rank);
  }
  *out = static_cast<size_t>(axis < 0 ? axis + r : axis);
  return pnn_status_success;
}

pnn_status Importer::check_fold_size(const Node& n, int64_t count) {
  if (count > kMaxFoldElements) {
    return node_fail(n, "evaluating it at load would make %lld elements; at most 2^24 are allowed",
                     static_cast<long long>(count));
  }
  return pnn_status_success;
}

pnn_status Importer::read_dims_constant(const Node& n, const Constant& c, const char* what,
                                        Dims* out) {
  if (c.is_float || c.dims.size() > 1) {
    return node_fail(n, "%s must be a 1-D int64 tensor", what);
  }
  if (c.count() > PNN_MAX_DIMS) {
    return node_fail(n, "%s has %zu entries; at most %d dims are supported", what, c.count(),
                     PNN_MAX_DIMS);
  }
  out->assign(c.i.begin(), c.i.end());
  return pnn_status_success;
}

pnn_status import_model(const char* who, const Model& model, size_t num_input_shapes,
                        const pnn_onnx_input_shape* input_shapes, pnn_onnx_model_t* model_out) {
  Importer importer(who, model);
  return importer.run(num_input_shapes, input_shapes, model_out);
}

}  // namespace onnx
}  // namespace pnn

// --- the model object's calls ------------------------------------------------------------------

namespace {

pnn_status io_info(const char* what, const std::vector<pnn_onnx_model::Io>& list, size_t index,
                   pnn_onnx_tensor_info* info_out) {
  if (info_out == nullptr) return pnn::fail(pnn_status_invalid_parameter, "info_out is NULL");
  if (index >= list.size()) {
    return pnn::fail(pnn_status_invalid_parameter, "index %zu is past the model's %zu %s", index,
                     list.size(), what);
  }
  const pnn_onnx_model::Io& io = list[index];
  info_out->name = io.name.c_str();
  info_out->value_id = io.value_id;
  info_out->num_dims = io.dims.size();
  for (size_t d = 0; d < PNN_MAX_DIMS; d++) info_out->dims[d] = d < io.dims.size() ? io.dims[d] : 0;
  return pnn_status_success;
}

pnn_status io_count(pnn_onnx_model_t model, std::vector<pnn_onnx_model::Io> pnn_onnx_model::*list,
                    size_t* count_out) {
  if (model == nullptr || count_out == nullptr) {
    return pnn::fail(pnn_status_invalid_parameter, "%s is NULL",
                     model == nullptr ? "model" : "count_out");
  }
  *count_out = (model->*list).size();
  return pnn_status_success;
}

}  // namespace

extern "C" {

pnn_status pnn_delete_onnx_model(pnn_onnx_model_t model) {
  PNN_API_SCOPE();
  delete model;
  return pnn_status_success;
}

pnn_status pnn_onnx_model_graph(pnn_onnx_model_t model, pnn_graph_t* graph_out) {
  PNN_API_SCOPE();
  if (model == nullptr || graph_out == nullptr) {
    return pnn::fail(pnn_status_invalid_parameter, "%s is NULL",
                     model == nullptr ? "model" : "graph_out");
  }
  *graph_out = model->graph;
  return pnn_status_success;
}

pnn_status pnn_onnx_model_input_count(pnn_onnx_model_t model, size_t* count_out) {
  PNN_API_SCOPE();
  return io_count(model, &pnn_onnx_model::inputs, count_out);
}

pnn_status pnn_onnx_model_output_count(pnn_onnx_model_t model, size_t* count_out) {
  PNN_API_SCOPE();
  return io_count(model, &pnn_onnx_model::outputs, count_out);
}

pnn_status pnn_onnx_model_input_info(pnn_onnx_model_t model, size_t index,
                                     pnn_onnx_tensor_info* info_out) {
  PNN_API_SCOPE();
  if (model == nullptr) return pnn::fail(pnn_status_invalid_parameter, "model is NULL");
  return io_info("inputs", model->inputs, index, info_out);
}

pnn_status pnn_onnx_model_output_info(pnn_onnx_model_t model, size_t index,
                                      pnn_onnx_tensor_info* info_out) {
  PNN_API_SCOPE();
  if (model == nullptr) return pnn::fail(pnn_status_invalid_parameter, "model is NULL");
  return io_info("outputs", model->outputs, index, info_out);
}

}  // extern "C"
