// Differential libFuzzer target of the two C++ decoders of ONNX model bytes (src/onnx/decode.h):
// decode_protobuf (Debian's protobuf lite runtime, what native builds use) and decode_wire (the
// hand-written wire decoder of the WASI programs, src/onnx/wire-decode.cc). On every input both
// must accept or both reject, and when they accept, the decoded models (src/onnx/model.h) must
// be equal field by field; floats and doubles are compared by their bits. ASan + UBSan (as every
// target of tests/fuzz) catch what the wire decoder's bounds would miss.
// Seeds: the importer target's models (onnx-seeds.cc) plus hand-made inputs for the wire rules a
// model writer never produces (unknown fields of every wire type, groups, packed and unpacked
// repeated numbers, merged messages; make-decoder-seeds in onnx-seeds.cc).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <vector>

#include "onnx/decode.h"

namespace {

using namespace pnn::onnx;

[[noreturn]] void differ(const std::string& where) {
  std::fprintf(stderr, "fuzz-onnx-decoders: the decoders disagree at %s\n", where.c_str());
  std::abort();
}

template <typename T>
bool same_bits(const std::vector<T>& a, const std::vector<T>& b) {
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0);
}

void compare(const Tensor& a, const Tensor& b, const std::string& at) {
  if (a.name != b.name) differ(at + ".name");
  if (a.data_type != b.data_type) differ(at + ".data_type");
  if (a.dims != b.dims) differ(at + ".dims");
  if (a.raw_data != b.raw_data) differ(at + ".raw_data");
  if (!same_bits(a.float_data, b.float_data)) differ(at + ".float_data");
  if (a.int32_data != b.int32_data) differ(at + ".int32_data");
  if (a.int64_data != b.int64_data) differ(at + ".int64_data");
  if (!same_bits(a.double_data, b.double_data)) differ(at + ".double_data");
  if (a.external_data != b.external_data) differ(at + ".external_data");
  if (a.has_segment != b.has_segment) differ(at + ".has_segment");
}

void compare(const Attribute& a, const Attribute& b, const std::string& at) {
  if (a.name != b.name) differ(at + ".name");
  if (a.type != b.type) differ(at + ".type");
  if (std::memcmp(&a.f, &b.f, sizeof a.f) != 0) differ(at + ".f");
  if (a.i != b.i) differ(at + ".i");
  if (a.s != b.s) differ(at + ".s");
  if (a.has_t != b.has_t) differ(at + ".has_t");
  compare(a.t, b.t, at + ".t");
  if (!same_bits(a.floats, b.floats)) differ(at + ".floats");
  if (a.ints != b.ints) differ(at + ".ints");
  if (a.strings != b.strings) differ(at + ".strings");
  if (a.num_tensors != b.num_tensors) differ(at + ".num_tensors");
  if (a.num_graphs != b.num_graphs) differ(at + ".num_graphs");
  if (a.ref_attr_name != b.ref_attr_name) differ(at + ".ref_attr_name");
}

void compare(const ValueInfo& a, const ValueInfo& b, const std::string& at) {
  if (a.name != b.name) differ(at + ".name");
  if (a.has_tensor_type != b.has_tensor_type) differ(at + ".has_tensor_type");
  if (a.elem_type != b.elem_type) differ(at + ".elem_type");
  if (a.has_shape != b.has_shape) differ(at + ".has_shape");
  if (a.dims.size() != b.dims.size()) differ(at + ".dims (count)");
  for (size_t i = 0; i < a.dims.size(); i++) {
    const std::string d = at + ".dims[" + std::to_string(i) + "]";
    if (a.dims[i].has_value != b.dims[i].has_value) differ(d + ".has_value");
    if (a.dims[i].value != b.dims[i].value) differ(d + ".value");
    if (a.dims[i].param != b.dims[i].param) differ(d + ".param");
  }
}

void compare(const Model& a, const Model& b) {
  if (a.ir_version != b.ir_version) differ("ir_version");
  if (a.opset_imports.size() != b.opset_imports.size()) differ("opset_imports (count)");
  for (size_t i = 0; i < a.opset_imports.size(); i++) {
    if (a.opset_imports[i].domain != b.opset_imports[i].domain ||
        a.opset_imports[i].version != b.opset_imports[i].version) {
      differ("opset_imports[" + std::to_string(i) + "]");
    }
  }
  if (a.num_functions != b.num_functions) differ("num_functions");
  if (a.has_graph != b.has_graph) differ("has_graph");
  if (a.graph_name != b.graph_name) differ("graph_name");
  if (a.nodes.size() != b.nodes.size()) differ("nodes (count)");
  for (size_t i = 0; i < a.nodes.size(); i++) {
    const Node& x = a.nodes[i];
    const Node& y = b.nodes[i];
    const std::string at = "nodes[" + std::to_string(i) + "]";
    if (x.name != y.name) differ(at + ".name");
    if (x.op_type != y.op_type) differ(at + ".op_type");
    if (x.domain != y.domain) differ(at + ".domain");
    if (x.inputs != y.inputs) differ(at + ".inputs");
    if (x.outputs != y.outputs) differ(at + ".outputs");
    if (x.attributes.size() != y.attributes.size()) differ(at + ".attributes (count)");
    for (size_t k = 0; k < x.attributes.size(); k++) {
      compare(x.attributes[k], y.attributes[k], at + ".attributes[" + std::to_string(k) + "]");
    }
  }
  if (a.initializers.size() != b.initializers.size()) differ("initializers (count)");
  for (size_t i = 0; i < a.initializers.size(); i++) {
    compare(a.initializers[i], b.initializers[i], "initializers[" + std::to_string(i) + "]");
  }
  if (a.num_sparse_initializers != b.num_sparse_initializers) differ("num_sparse_initializers");
  if (a.inputs.size() != b.inputs.size()) differ("inputs (count)");
  for (size_t i = 0; i < a.inputs.size(); i++) {
    compare(a.inputs[i], b.inputs[i], "inputs[" + std::to_string(i) + "]");
  }
  if (a.outputs.size() != b.outputs.size()) differ("outputs (count)");
  for (size_t i = 0; i < a.outputs.size(); i++) {
    compare(a.outputs[i], b.outputs[i], "outputs[" + std::to_string(i) + "]");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Model by_protobuf, by_wire;
  const bool protobuf_ok = decode_protobuf(data, size, &by_protobuf);
  const WireResult wire = decode_wire(data, size, &by_wire);
  // Built with exceptions, decode_wire never reports kOutOfMemory (allocation failure throws).
  if (wire == WireResult::kOutOfMemory) differ("the result (wire: out of memory)");
  const bool wire_ok = wire == WireResult::kOk;
  if (protobuf_ok != wire_ok) {
    differ(std::string("the result (protobuf ") + (protobuf_ok ? "accepts" : "rejects") +
           ", wire " + (wire_ok ? "accepts" : "rejects") + ")");
  }
  if (protobuf_ok) compare(by_protobuf, by_wire);
  return 0;
}
