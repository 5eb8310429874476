// Kernel selection for softmax: one kernel from each of the three lists of
// kernels/f32-softmax.inc, the first usable entry of each (the lists are best first).
#pragma once

#include <cstddef>

#include "ukernels.h"

namespace pnn {

struct SoftmaxConfig {
  // Each NULL when no registered kernel of its list is usable.
  pnn_f32_rmax_ukernel_fn rmax;
  pnn_f32_raddstoreexpminusmax_ukernel_fn raddstoreexpminusmax;
  pnn_f32_vscale_ukernel_fn vscale;
  const char* rmax_name;
  const char* raddstoreexpminusmax_name;  // the main kernel, reported by the operator
  const char* vscale_name;
};

// Built once (thread-safe function-local static); never NULL.
const SoftmaxConfig* get_softmax_config();

// Selects the kernels now, so that the first create does not pay for it. Meant to be called
// from init_configs(); the getter is correct (if slower the first time) without it.
void init_softmax_config();

}  // namespace pnn
