// C glue of the WebAssembly importer modules (portnn-onnx*.wasm): the entry points through which
// wasm/src/onnx.js hands a model, decoded by protobufjs, to the one import core
// (src/onnx/import.h), which is what pnn_load_onnx calls natively after its own decoder.
//
// The JS side builds a pnn::onnx::Model record by record (a builder handle, then one call per
// opset import, node, attribute, tensor and value info, each appended to the last record of its
// parent), then pnnw_onnx_import() runs the import core on it and frees it. The calls transcribe
// and do nothing else: every rule about what a field means is the import core's.
//
// Arguments are flat and struct-free, as in wasm/glue.c: a string is (pointer, byte length) of
// UTF-8; a list of strings is one buffer of their bytes back to back plus a uint32 array of their
// lengths; int64 scalars come as two uint32 halves (low, high); int64 arrays as little-endian
// int64 in module memory. Every buffer is the caller's (copied here, never retained).
//
// Allocation: the library is built without exceptions, so a failing operator new would abort the
// module. Each call therefore first asks malloc for the bytes it is about to copy (released at
// once) and fails with out_of_memory when they are not there: the module stays usable.
#include <emscripten.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <vector>

#include "error.h"
#include "onnx/import.h"
#include "onnx/model.h"
#include "portnn-onnx.h"

namespace {

using pnn::onnx::Attribute;
using pnn::onnx::Model;
using pnn::onnx::Node;
using pnn::onnx::Tensor;
using pnn::onnx::ValueInfo;

int64_t join(uint32_t low, uint32_t high) {
  return static_cast<int64_t>((static_cast<uint64_t>(high) << 32) | low);
}

// Whether `bytes` more can be allocated now (see the header comment); records the reason if not.
bool room_for(size_t bytes) {
  if (bytes == 0) return true;
  void* probe = std::malloc(bytes);
  if (probe == nullptr) {
    pnn::fail(pnn_status_out_of_memory, "%zu bytes of the decoded model do not fit the module heap",
              bytes);
    return false;
  }
  std::free(probe);
  return true;
}

std::string text(const char* data, size_t length) {
  return length == 0 ? std::string() : std::string(data, length);
}

template <typename T>
std::vector<T> array(const T* data, size_t count) {
  return count == 0 ? std::vector<T>() : std::vector<T>(data, data + count);
}

// A list of `count` strings: their bytes back to back in `data`, their lengths in `lengths`.
std::vector<std::string> texts(const char* data, const uint32_t* lengths, size_t count) {
  std::vector<std::string> list;
  list.reserve(count);
  size_t offset = 0;
  for (size_t i = 0; i < count; i++) {
    list.push_back(text(data + offset, lengths[i]));
    offset += lengths[i];
  }
  return list;
}

size_t texts_bytes(const uint32_t* lengths, size_t count) {
  size_t bytes = count * sizeof(std::string);
  for (size_t i = 0; i < count; i++) bytes += lengths[i];
  return bytes;
}

pnn_status no_parent(const char* what) {
  return pnn::fail(pnn_status_invalid_parameter, "no %s to append to", what);
}

}  // namespace

extern "C" {

// A new, empty model; freed by pnnw_onnx_import or pnnw_onnx_free.
EMSCRIPTEN_KEEPALIVE pnn_status pnnw_onnx_begin(Model** model_out) {
  PNN_API_SCOPE();
  if (!room_for(sizeof(Model))) return pnn_status_out_of_memory;
  Model* model = new (std::nothrow) Model();
  if (model == nullptr) return pnn::fail(pnn_status_out_of_memory, "no memory for the model");
  *model_out = model;
  return pnn_status_success;
}

EMSCRIPTEN_KEEPALIVE void pnnw_onnx_free(Model* model) { delete model; }

// ModelProto's own fields, whether it has a graph, and the graph's name and counted-only fields.
EMSCRIPTEN_KEEPALIVE pnn_status pnnw_onnx_set_model(Model* model, uint32_t ir_low, uint32_t ir_high,
                                                    size_t num_functions, int has_graph,
                                                    size_t num_sparse_initializers,
                                                    const char* graph_name, size_t graph_name_length) {
  PNN_API_SCOPE();
  if (!room_for(graph_name_length)) return pnn_status_out_of_memory;
  model->ir_version = join(ir_low, ir_high);
  model->num_functions = num_functions;
  model->has_graph = has_graph != 0;
  model->num_sparse_initializers = num_sparse_initializers;
  model->graph_name = text(graph_name, graph_name_length);
  return pnn_status_success;
}

EMSCRIPTEN_KEEPALIVE pnn_status pnnw_onnx_add_opset(Model* model, const char* domain,
                                                    size_t domain_length, uint32_t version_low,
                                                    uint32_t version_high) {
  PNN_API_SCOPE();
  if (!room_for(2 * sizeof(pnn::onnx::OpsetImport) + domain_length)) return pnn_status_out_of_memory;
  model->opset_imports.push_back({text(domain, domain_length), join(version_low, version_high)});
  return pnn_status_success;
}

EMSCRIPTEN_KEEPALIVE pnn_status pnnw_onnx_add_node(Model* model, const char* name,
                                                   size_t name_length, const char* op_type,
                                                   size_t op_type_length, const char* domain,
                                                   size_t domain_length) {
  PNN_API_SCOPE();
  // Growth may copy the whole vector's element headers once more.
  if (!room_for((model->nodes.size() + 1) * 2 * sizeof(Node) + name_length + op_type_length +
                domain_length)) {
    return pnn_status_out_of_memory;
  }
  Node node;
  node.name = text(name, name_length);
  node.op_type = text(op_type, op_type_length);
  node.domain = text(domain, domain_length);
  model->nodes.push_back(std::move(node));
  return pnn_status_success;
}

// The last node's inputs (is_output 0) or outputs (1).
EMSCRIPTEN_KEEPALIVE pnn_status pnnw_onnx_set_node_io(Model* model, int is_output,
                                                      const char* names, const uint32_t* lengths,
                                                      size_t count) {
  PNN_API_SCOPE();
  if (model->nodes.empty()) return no_parent("node");
  if (!room_for(texts_bytes(lengths, count))) return pnn_status_out_of_memory;
  Node& node = model->nodes.back();
  (is_output ? node.outputs : node.inputs) = texts(names, lengths, count);
  return pnn_status_success;
}

// An attribute of the last node. `ints` holds num_ints little-endian int64.
EMSCRIPTEN_KEEPALIVE pnn_status pnnw_onnx_add_attribute(
    Model* model, const char* name, size_t name_length, const char* ref_attr_name,
    size_t ref_attr_name_length, int32_t type, float f, uint32_t i_low, uint32_t i_high,
    const char* s, size_t s_length, const float* floats, size_t num_floats, const int64_t* ints,
    size_t num_ints, const char* strings, const uint32_t* string_lengths, size_t num_strings,
    size_t num_tensors, size_t num_graphs) {
  PNN_API_SCOPE();
  if (model->nodes.empty()) return no_parent("node");
  Node& node = model->nodes.back();
  if (!room_for((node.attributes.size() + 1) * 2 * sizeof(Attribute) + name_length +
                ref_attr_name_length + s_length + num_floats * sizeof(float) +
                num_ints * sizeof(int64_t) + texts_bytes(string_lengths, num_strings))) {
    return pnn_status_out_of_memory;
  }
  Attribute attribute;
  attribute.name = text(name, name_length);
  attribute.ref_attr_name = text(ref_attr_name, ref_attr_name_length);
  attribute.type = type;
  attribute.f = f;
  attribute.i = join(i_low, i_high);
  attribute.s = text(s, s_length);
  attribute.floats = array(floats, num_floats);
  attribute.ints = array(ints, num_ints);
  attribute.strings = texts(strings, string_lengths, num_strings);
  attribute.num_tensors = num_tensors;
  attribute.num_graphs = num_graphs;
  node.attributes.push_back(std::move(attribute));
  return pnn_status_success;
}

// A tensor: an initializer of the graph (of_attribute 0) or the `t` of the last node's last
// attribute (1). Arrays: dims and int64_data as little-endian int64. raw_data, most often the
// bulk of a model, is not passed in: it is sized here (raw_data_length bytes) and the caller
// writes it at *raw_data_out, so that it crosses into the module once and is not staged (the
// import core reads float initializers in place from it).
EMSCRIPTEN_KEEPALIVE pnn_status pnnw_onnx_add_tensor(
    Model* model, int of_attribute, const char* name, size_t name_length, int32_t data_type,
    const int64_t* dims, size_t num_dims, const float* float_data, size_t num_floats,
    const int32_t* int32_data, size_t num_int32, const int64_t* int64_data, size_t num_int64,
    const double* double_data, size_t num_doubles, int external_data, int has_segment,
    size_t raw_data_length, char** raw_data_out) {
  PNN_API_SCOPE();
  Tensor* tensor = nullptr;
  size_t headers = sizeof(Tensor);
  if (of_attribute) {
    if (model->nodes.empty() || model->nodes.back().attributes.empty()) {
      return no_parent("attribute");
    }
    Attribute& attribute = model->nodes.back().attributes.back();
    tensor = &attribute.t;
    attribute.has_t = true;
  } else {
    headers = (model->initializers.size() + 1) * 2 * sizeof(Tensor);
  }
  if (!room_for(headers + name_length + num_dims * 8 + raw_data_length + num_floats * 4 +
                num_int32 * 4 + num_int64 * 8 + num_doubles * 8)) {
    return pnn_status_out_of_memory;
  }
  Tensor t;
  t.name = text(name, name_length);
  t.data_type = data_type;
  t.dims = array(dims, num_dims);
  t.raw_data.resize(raw_data_length);
  t.float_data = array(float_data, num_floats);
  t.int32_data = array(int32_data, num_int32);
  t.int64_data = array(int64_data, num_int64);
  t.double_data = array(double_data, num_doubles);
  t.external_data = external_data != 0;
  t.has_segment = has_segment != 0;
  if (tensor != nullptr) {
    *tensor = std::move(t);
  } else {
    model->initializers.push_back(std::move(t));
    tensor = &model->initializers.back();
  }
  *raw_data_out = raw_data_length == 0 ? nullptr : &tensor->raw_data[0];
  return pnn_status_success;
}

// A graph input (is_output 0) or output (1). Per dim: has_values[d] (0 or 1), values[d] (int64),
// and its dim_param, the d-th string of `params`.
EMSCRIPTEN_KEEPALIVE pnn_status pnnw_onnx_add_value_info(
    Model* model, int is_output, const char* name, size_t name_length, int has_tensor_type,
    int32_t elem_type, int has_shape, size_t num_dims, const uint8_t* has_values,
    const int64_t* values, const char* params, const uint32_t* param_lengths) {
  PNN_API_SCOPE();
  std::vector<ValueInfo>& list = is_output ? model->outputs : model->inputs;
  if (!room_for((list.size() + 1) * 2 * sizeof(ValueInfo) + name_length +
                num_dims * sizeof(pnn::onnx::Dimension) + texts_bytes(param_lengths, num_dims))) {
    return pnn_status_out_of_memory;
  }
  ValueInfo info;
  info.name = text(name, name_length);
  info.has_tensor_type = has_tensor_type != 0;
  info.elem_type = elem_type;
  info.has_shape = has_shape != 0;
  std::vector<std::string> dim_params = texts(params, param_lengths, num_dims);
  info.dims.resize(num_dims);
  for (size_t d = 0; d < num_dims; d++) {
    info.dims[d].has_value = has_values[d] != 0;
    info.dims[d].value = values[d];
    info.dims[d].param = std::move(dim_params[d]);
  }
  list.push_back(std::move(info));
  return pnn_status_success;
}

// Runs the import core on the model (then frees it, whatever the outcome). The caller's input
// shapes: num_shapes names (a list of strings as above), their dim counts, and their dims back
// to back.
EMSCRIPTEN_KEEPALIVE pnn_status pnnw_onnx_import(Model* model, size_t num_shapes,
                                                 const char* names, const uint32_t* name_lengths,
                                                 const size_t* num_dims, const size_t* dims,
                                                 pnn_onnx_model_t* model_out) {
  PNN_API_SCOPE();
  pnn_status status = pnn_status_success;
  if (!room_for(texts_bytes(name_lengths, num_shapes) + num_shapes * (sizeof(pnn_onnx_input_shape) + 1))) {
    status = pnn_status_out_of_memory;
  } else {
    // NUL-terminated names for the C struct.
    std::vector<std::string> copies = texts(names, name_lengths, num_shapes);
    std::vector<pnn_onnx_input_shape> shapes(num_shapes);
    size_t offset = 0;
    for (size_t i = 0; i < num_shapes; i++) {
      shapes[i] = {copies[i].c_str(), num_dims[i], dims + offset};
      offset += num_dims[i];
    }
    status = pnn::onnx::import_model("loadOnnx", *model, num_shapes, shapes.data(), model_out);
  }
  delete model;
  return status;
}

// Graph input (is_output 0) or output (1) `index` of a loaded model, flattened into out[]:
// name pointer, value id, dim count, then PNN_MAX_DIMS dims.
EMSCRIPTEN_KEEPALIVE pnn_status pnnw_onnx_tensor_info(pnn_onnx_model_t model, int is_output,
                                                      size_t index, uint32_t* out) {
  pnn_onnx_tensor_info info;
  const pnn_status status = is_output ? pnn_onnx_model_output_info(model, index, &info)
                                      : pnn_onnx_model_input_info(model, index, &info);
  if (status != pnn_status_success) return status;
  out[0] = static_cast<uint32_t>(reinterpret_cast<uintptr_t>(info.name));
  out[1] = info.value_id;
  out[2] = static_cast<uint32_t>(info.num_dims);
  for (size_t d = 0; d < PNN_MAX_DIMS; d++) {
    out[3 + d] = d < info.num_dims ? static_cast<uint32_t>(info.dims[d]) : 0;
  }
  return pnn_status_success;
}

}  // extern "C"
