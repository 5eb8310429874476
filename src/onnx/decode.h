// The two byte decoders of ONNX model files that run in C++, each filling the decoded-model
// structure (src/onnx/model.h) the same way, field by field:
//   - decode_protobuf (src/onnx/decode.cc): Debian's protobuf lite runtime. Every native build
//     uses it (pnn_load_onnx in libportnn_onnx).
//   - decode_wire (src/onnx/wire-decode.cc): a hand-written reader of exactly the wire format of
//     src/onnx/onnx.proto, for the WASI programs, which have no protobuf (why: that file's header).
//     Natively it is only compiled for the differential fuzz target (tests/fuzz/
//     fuzz-onnx-decoders.cc), which asserts that both decoders agree on every input.
// The browser decodes with protobufjs instead (wasm/src/onnx.js -> wasm/onnx-glue.cc).
#pragma once

#include <cstddef>

#include "onnx/model.h"

namespace pnn {
namespace onnx {

// Fills `model` (which must be empty) from `size` bytes; false when protobuf rejects them.
// Allocation failure throws std::bad_alloc (the native importer is built with exceptions).
bool decode_protobuf(const void* data, size_t size, Model* model);

enum class WireResult {
  kOk,
  kMalformed,    // the bytes are not a ModelProto: exactly the inputs protobuf rejects
  kOutOfMemory,  // only without exceptions: a copy of the file's bytes did not fit the heap
};

// Fills `model` (which must be empty) from `size` bytes (at most PNN_ONNX_MAX_MODEL_BYTES):
// the same result as decode_protobuf for every input. Built with exceptions, allocation failure
// throws std::bad_alloc; built without, each copy of file bytes is first probed with malloc and
// kOutOfMemory returned when it does not fit. On failure `model` holds a partial decode.
WireResult decode_wire(const void* data, size_t size, Model* model);

}  // namespace onnx
}  // namespace pnn
