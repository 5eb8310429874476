// The import core's entry point, shared by the native decoder (src/onnx/decode.cc, behind
// pnn_load_onnx) and the WebAssembly glue (wasm/onnx-glue.cc, fed by protobufjs): everything a
// model means is decided here, once.
#pragma once

#include <cstddef>

#include "onnx/model.h"
#include "portnn-onnx.h"

namespace pnn {
namespace onnx {

// Turns a decoded model into a loaded one (graph defined, inputs / outputs described). On failure
// returns the status with the reason recorded (src/error.h) and writes nothing to `model_out`.
// `who` names the public call for the reason ("pnn_load_onnx").
pnn_status import_model(const char* who, const Model& model, size_t num_input_shapes,
                        const pnn_onnx_input_shape* input_shapes, pnn_onnx_model_t* model_out);

}  // namespace onnx
}  // namespace pnn
