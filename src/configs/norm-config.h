// Kernel selection for the reduction and normalization family (kernels/f32-norm.inc): the first
// usable line of each list (of each op for rreduce), best first.
#pragma once

#include <cstddef>

#include "ukernels-norm.h"

namespace pnn {

template <class Fn>
struct NormKernel {
  Fn fn;  // NULL when no registered line is usable
  size_t tile;
  const char* name;
};

struct NormConfig {
  NormKernel<pnn_f32_rreduce_ukernel_fn> rreduce[3];  // indexed by pnn_rreduce_op
  NormKernel<pnn_f32_rsumsqdev_ukernel_fn> rsumsqdev;
  NormKernel<pnn_f32_vnorm_ukernel_fn> vnorm;
  NormKernel<pnn_f32_vprelu_ukernel_fn> vprelu;
};

// Built once (thread-safe function-local static); never NULL.
const NormConfig* get_norm_config();

}  // namespace pnn
