// The native decoder and pnn_load_onnx: Debian's protobuf lite runtime parses the bytes with the
// classes protoc generates at build time from src/onnx/onnx.proto, and this file copies each field
// into the decoded-model structure (src/onnx/model.h) without interpreting it. Everything else is
// the import core's (src/onnx/import.cc), shared with the WebAssembly build.
//
// Exceptions: this library is built with them (unlike portnn itself) because protobuf and the
// standard containers report allocation failure by throwing; pnn_load_onnx catches everything at
// its boundary and returns out_of_memory, so nothing escapes into C callers.
#include <cstring>
#include <new>

#include "error.h"
#include "onnx.pb.h"
#include "onnx/decode.h"
#include "onnx/import.h"
#include "portnn-onnx.h"

namespace pnn {
namespace onnx {
namespace {

// Moves what is large (raw_data: the weights) and copies the rest: the proto is dropped right
// after decoding, and each copy of a large model into fresh memory costs page faults.
void copy_tensor(portnn::onnx::TensorProto& from, Tensor* to) {
  to->name = from.name();
  to->data_type = from.data_type();
  to->dims.assign(from.dims().begin(), from.dims().end());
  to->raw_data = std::move(*from.mutable_raw_data());
  to->float_data.assign(from.float_data().begin(), from.float_data().end());
  to->int32_data.assign(from.int32_data().begin(), from.int32_data().end());
  to->int64_data.assign(from.int64_data().begin(), from.int64_data().end());
  to->double_data.assign(from.double_data().begin(), from.double_data().end());
  to->external_data = from.data_location() == 1 || from.external_data_size() != 0;
  to->has_segment = from.has_segment();
}

void copy_value_info(const portnn::onnx::ValueInfoProto& from, ValueInfo* to) {
  to->name = from.name();
  if (!from.has_type() || !from.type().has_tensor_type()) return;
  const auto& tensor = from.type().tensor_type();
  to->has_tensor_type = true;
  to->elem_type = tensor.elem_type();
  to->has_shape = tensor.has_shape();
  for (const auto& d : tensor.shape().dim()) {
    Dimension dim;
    dim.has_value = d.has_dim_value();
    dim.value = d.dim_value();
    dim.param = d.dim_param();
    to->dims.push_back(std::move(dim));
  }
}

void copy_node(portnn::onnx::NodeProto& from, Node* to) {
  to->name = from.name();
  to->op_type = from.op_type();
  to->domain = from.domain();
  to->inputs.assign(from.input().begin(), from.input().end());
  to->outputs.assign(from.output().begin(), from.output().end());
  for (auto& a : *from.mutable_attribute()) {
    Attribute attr;
    attr.name = a.name();
    attr.ref_attr_name = a.ref_attr_name();
    attr.type = a.type();
    attr.f = a.f();
    attr.i = a.i();
    attr.s = a.s();
    attr.has_t = a.has_t();
    if (attr.has_t) copy_tensor(*a.mutable_t(), &attr.t);
    attr.floats.assign(a.floats().begin(), a.floats().end());
    attr.ints.assign(a.ints().begin(), a.ints().end());
    attr.strings.assign(a.strings().begin(), a.strings().end());
    attr.num_tensors = static_cast<size_t>(a.tensors_size());
    attr.num_graphs = static_cast<size_t>(a.graphs_size()) + (a.has_g() ? 1 : 0);
    to->attributes.push_back(std::move(attr));
  }
}

}  // namespace

// Declared in onnx/decode.h (the differential fuzz target compares it with decode_wire).
bool decode_protobuf(const void* data, size_t size, Model* model) {
  portnn::onnx::ModelProto proto;
  if (!proto.ParseFromArray(data, static_cast<int>(size))) return false;
  model->ir_version = proto.ir_version();
  for (const auto& o : proto.opset_import()) {
    model->opset_imports.push_back(OpsetImport{o.domain(), o.version()});
  }
  model->num_functions = static_cast<size_t>(proto.functions_size());
  model->has_graph = proto.has_graph();
  auto& graph = *proto.mutable_graph();
  model->graph_name = graph.name();
  model->nodes.resize(static_cast<size_t>(graph.node_size()));
  for (int i = 0; i < graph.node_size(); i++) copy_node(*graph.mutable_node(i), &model->nodes[i]);
  model->initializers.resize(static_cast<size_t>(graph.initializer_size()));
  for (int i = 0; i < graph.initializer_size(); i++) {
    copy_tensor(*graph.mutable_initializer(i), &model->initializers[i]);
  }
  model->num_sparse_initializers = static_cast<size_t>(graph.sparse_initializer_size());
  model->inputs.resize(static_cast<size_t>(graph.input_size()));
  for (int i = 0; i < graph.input_size(); i++) copy_value_info(graph.input(i), &model->inputs[i]);
  model->outputs.resize(static_cast<size_t>(graph.output_size()));
  for (int i = 0; i < graph.output_size(); i++) {
    copy_value_info(graph.output(i), &model->outputs[i]);
  }
  return true;
}

}  // namespace onnx
}  // namespace pnn

extern "C" pnn_status pnn_load_onnx(const void* data, size_t size, size_t num_input_shapes,
                                    const pnn_onnx_input_shape* input_shapes, uint32_t flags,
                                    pnn_onnx_model_t* model_out) {
  PNN_API_SCOPE();
  using pnn::fail;
  if (data == nullptr || model_out == nullptr) {
    return fail(pnn_status_invalid_parameter, "%s is NULL", data == nullptr ? "data" : "model_out");
  }
  if (size == 0 || size > PNN_ONNX_MAX_MODEL_BYTES) {
    return fail(pnn_status_invalid_parameter,
                "size is %zu bytes; a model has 1 to %zu (PNN_ONNX_MAX_MODEL_BYTES)", size,
                static_cast<size_t>(PNN_ONNX_MAX_MODEL_BYTES));
  }
  if (flags != 0) return fail(pnn_status_invalid_parameter, "flags is %u; must be 0", flags);
  if (num_input_shapes != 0 && input_shapes == nullptr) {
    return fail(pnn_status_invalid_parameter, "input_shapes is NULL with num_input_shapes %zu",
                num_input_shapes);
  }
  try {
    pnn::onnx::Model model;
    if (!pnn::onnx::decode_protobuf(data, size, &model)) {
      return fail(pnn_status_invalid_parameter,
                  "the %zu bytes are not an ONNX ModelProto (protobuf decoding failed: truncated, "
                  "a length that lies, or not a model file)",
                  size);
    }
    return pnn::onnx::import_model("pnn_load_onnx", model, num_input_shapes, input_shapes,
                                   model_out);
  } catch (const std::bad_alloc&) {
    return fail(pnn_status_out_of_memory, "out of memory while loading the model");
  } catch (...) {
    return fail(pnn_status_out_of_memory, "the protobuf runtime failed while decoding the model");
  }
}
