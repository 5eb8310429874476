// The decoded ONNX model: what the import core (src/onnx/import.cc) reads, independent of the
// protobuf library that decoded it.
//
// Two decoders fill this structure, one per platform, and nothing else differs between them:
//   - natively, src/onnx/decode.cc parses the bytes with Debian's protobuf C++ lite runtime
//     (classes generated at build time from src/onnx/onnx.proto);
//   - in WebAssembly, wasm/src/onnx.js decodes the bytes with protobufjs (npm) from the same
//     src/onnx/onnx.proto and hands each record to the module through the onnx glue calls
//     (wasm/onnx-glue.cc), which append to a Model.
// The decoders transcribe fields and do nothing else: no defaults interpreted, no data converted
// (a tensor keeps whichever of raw_data / float_data / int32_data / int64_data / double_data the
// file used), so every rule about what a model means lives once, in the import core.
//
// Sizes: a decoder stores only what the bytes contain, so the structure is at most a small
// multiple of the file's size; the import core bounds every dimension and element count before
// it allocates anything derived from them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace pnn {
namespace onnx {

// TensorProto.DataType values that the importer names in its errors or converts.
enum DataType : int32_t {
  kUndefined = 0,
  kFloat = 1,
  kUint8 = 2,
  kInt8 = 3,
  kUint16 = 4,
  kInt16 = 5,
  kInt32 = 6,
  kInt64 = 7,
  kString = 8,
  kBool = 9,
  kFloat16 = 10,
  kDouble = 11,
  kUint32 = 12,
  kUint64 = 13,
};

// AttributeProto.AttributeType values.
enum AttributeType : int32_t {
  kAttrUndefined = 0,
  kAttrFloat = 1,
  kAttrInt = 2,
  kAttrString = 3,
  kAttrTensor = 4,
  kAttrGraph = 5,
  kAttrFloats = 6,
  kAttrInts = 7,
  kAttrStrings = 8,
  kAttrTensors = 9,
  kAttrGraphs = 10,
};

struct Tensor {
  std::string name;
  int32_t data_type = kUndefined;
  std::vector<int64_t> dims;
  // Exactly what the file held; the import core picks the field data_type calls for.
  std::string raw_data;
  std::vector<float> float_data;
  std::vector<int32_t> int32_data;  // also int8/uint8/int16/uint16/bool/float16 per ONNX
  std::vector<int64_t> int64_data;
  std::vector<double> double_data;
  bool external_data = false;  // data_location == EXTERNAL (or external_data entries present)
  bool has_segment = false;    // a segmented tensor (not supported)
};

struct Attribute {
  std::string name;
  int32_t type = kAttrUndefined;
  float f = 0.0f;
  int64_t i = 0;
  std::string s;
  Tensor t;
  bool has_t = false;
  std::vector<float> floats;
  std::vector<int64_t> ints;
  std::vector<std::string> strings;
  size_t num_tensors = 0;     // TENSORS entries (not supported by any mapped operator)
  size_t num_graphs = 0;      // GRAPH / GRAPHS entries (subgraphs are not supported)
  std::string ref_attr_name;  // set inside functions only; rejected
};

struct Node {
  std::string name;
  std::string op_type;
  std::string domain;
  std::vector<std::string> inputs;  // "" marks an omitted optional input
  std::vector<std::string> outputs;
  std::vector<Attribute> attributes;
};

// One dimension of a declared shape: a value (dim_value), a symbol (dim_param) or neither.
struct Dimension {
  bool has_value = false;
  int64_t value = 0;
  std::string param;
};

struct ValueInfo {
  std::string name;
  bool has_tensor_type = false;  // false for sequence / map / optional types
  int32_t elem_type = kUndefined;
  bool has_shape = false;
  std::vector<Dimension> dims;
};

struct OpsetImport {
  std::string domain;  // "" or "ai.onnx" is the default domain
  int64_t version = 0;
};

struct Model {
  int64_t ir_version = 0;
  std::vector<OpsetImport> opset_imports;
  size_t num_functions = 0;  // model-local functions (not supported when a node calls one)
  bool has_graph = false;
  std::string graph_name;
  std::vector<Node> nodes;
  std::vector<Tensor> initializers;
  size_t num_sparse_initializers = 0;  // not supported
  std::vector<ValueInfo> inputs;
  std::vector<ValueInfo> outputs;
};

}  // namespace onnx
}  // namespace pnn
