// libFuzzer target over model bytes: pnn_load_onnx on any input must return a status (with a
// reason when it fails) and leak nothing, and a loaded model must describe its inputs and outputs
// consistently. The decode and import surface is what an untrusted file reaches; running loaded
// graphs is the graph target's job (fuzz-graph.cc), whose shapes are bounded for the fuzzer.
// Seeds: small models written by onnx-seeds.cc with the tests' model builder.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "portnn-onnx.h"

namespace {

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "fuzz-onnx: %s\n", what);
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  check(pnn_initialize() == pnn_status_success, "pnn_initialize failed");
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  pnn_onnx_model_t model = nullptr;
  const pnn_status status = pnn_load_onnx(data, size, 0, nullptr, 0, &model);
  const char* reason = pnn_last_error_message();
  if (status != pnn_status_success) {
    check(model == nullptr, "a failed load wrote model_out");
    check(std::strncmp(reason, "pnn_load_onnx: ", 15) == 0 && std::strlen(reason) > 15,
          "a failed load gave no reason naming pnn_load_onnx");
    check(status == pnn_status_invalid_parameter || status == pnn_status_out_of_memory,
          "a failed load returned a status other than invalid_parameter / out_of_memory");
    return 0;
  }
  check(model != nullptr, "a successful load returned no model");
  pnn_graph_t graph = nullptr;
  check(pnn_onnx_model_graph(model, &graph) == pnn_status_success && graph != nullptr, "no graph");
  size_t inputs = 0, outputs = 0;
  check(pnn_onnx_model_input_count(model, &inputs) == pnn_status_success, "input count");
  check(pnn_onnx_model_output_count(model, &outputs) == pnn_status_success && outputs >= 1,
        "a loaded model has no output");
  for (size_t i = 0; i < inputs + outputs; i++) {
    pnn_onnx_tensor_info info;
    const pnn_status s = i < inputs ? pnn_onnx_model_input_info(model, i, &info)
                                    : pnn_onnx_model_output_info(model, i - inputs, &info);
    check(s == pnn_status_success && info.name != nullptr, "io info");
    check(info.num_dims <= PNN_MAX_DIMS, "io rank above PNN_MAX_DIMS");
    for (size_t d = 0; d < info.num_dims; d++) check(info.dims[d] >= 1, "an io dim is 0");
  }
  pnn_onnx_tensor_info past;
  check(pnn_onnx_model_input_info(model, inputs, &past) == pnn_status_invalid_parameter,
        "an input index past the end was accepted");
  pnn_delete_onnx_model(model);
  return 0;
}
