// Library-wide entry points: initialization, names, and the common operator calls.
#include "common.h"
#include "configs/configs.h"
#include "hardware-config.h"
#include "operator.h"
#include "portnn.h"

namespace pnn {
void set_initialized(bool v);  // hardware-config.cc

const char* op_type_name(OpType type) {
  // Indexed by OpType, in its declaration order (src/operator.h).
  static const char* const kNames[] = {
      "convolution",       "fully connected",    "batch matmul",
      "max pooling",       "average pooling",    "global average pooling",
      "unary elementwise", "binary elementwise", "softmax",
      "deconvolution",     "resize",
      "transpose",         "depth-to-space",     "space-to-depth",
      "pad",               "concatenate",        "split",
      "slice",
      "reduce",            "layer norm",         "RMS norm",
      "batch norm",        "prelu",              "argmax pooling",
  };
  const size_t i = static_cast<size_t>(type);
  return i < sizeof kNames / sizeof kNames[0] ? kNames[i] : "unknown";
}
}  // namespace pnn

extern "C" {

const char* pnn_status_string(pnn_status status_arg) {
  const int status = pnn::enum_value(status_arg);
  switch (status) {
    case pnn_status_success:
      return "success";
    case pnn_status_invalid_parameter:
      return "invalid parameter";
    case pnn_status_unsupported_parameter:
      return "unsupported parameter";
    case pnn_status_invalid_state:
      return "invalid state";
    case pnn_status_out_of_memory:
      return "out of memory";
    case pnn_status_uninitialized:
      return "uninitialized";
    case pnn_status_unsupported_hardware:
      return "unsupported hardware";
  }
  return "unknown status";
}

pnn_status pnn_initialize(void) {
  PNN_API_SCOPE();
  const pnn::HardwareConfig* hw = pnn::get_hardware_config();
  if (hw->override_error != pnn_status_success) {
    return pnn::fail(hw->override_error, "%s", hw->override_reason);
  }
  if (hw->usable == 0) {
    return pnn::fail(pnn_status_unsupported_hardware,
                     "this CPU cannot run any kernel level compiled into this build");
  }
  pnn::init_configs();
  pnn::set_initialized(true);
  return pnn_status_success;
}

pnn_status pnn_deinitialize(void) {
  PNN_API_SCOPE();
  pnn::set_initialized(false);
  return pnn_status_success;
}

const char* pnn_isa_name(void) {
  return pnn::is_initialized() ? pnn::get_hardware_config()->isa_name : "uninitialized";
}

const char* pnn_version_string(void) {
#define PNN_STR2(x) #x
#define PNN_STR(x) PNN_STR2(x)
  return PNN_STR(PNN_VERSION_MAJOR) "." PNN_STR(PNN_VERSION_MINOR) "." PNN_STR(PNN_VERSION_PATCH);
}

pnn_status pnn_run_operator(pnn_operator_t op, pnn_threadpool_t threadpool) {
  PNN_API_SCOPE();
  if (op == nullptr) return pnn::fail(pnn_status_invalid_parameter, "op is NULL");
  if (op->state != pnn::OpState::kReady) {
    return pnn::fail(pnn_status_invalid_state,
                     op->state == pnn::OpState::kNeedsReshape
                         ? "the %s operator has no shape: call its reshape and setup first"
                         : "the %s operator was reshaped but not set up: call its setup first",
                     pnn::op_type_name(op->type));
  }
  op->run(threadpool);
  return pnn_status_success;
}

pnn_status pnn_delete_operator(pnn_operator_t op) {
  PNN_API_SCOPE();
  delete op;
  return pnn_status_success;
}

const char* pnn_operator_kernel_name(pnn_operator_t op) {
  return op != nullptr ? op->kernel_name : "none";
}

}  // extern "C"
