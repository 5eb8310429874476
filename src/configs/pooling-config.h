// Kernel selection for the pooling families (max, argmax, average, global average). Each getter
// builds its choice once (thread-safe function-local static) from the family's registry: the first
// usable entry wins, so the registries list the best kernels first.
#pragma once

#include <cstddef>

#include "ukernels.h"

namespace pnn {

struct MaxPoolConfig {
  pnn_f32_maxpool_ukernel_fn fn;  // NULL when no registered kernel is usable
  size_t channel_tile;
  const char* name;
};

struct ArgmaxPoolConfig {
  pnn_f32_argmaxpool_ukernel_fn fn;  // NULL when no registered kernel is usable
  size_t channel_tile;
  const char* name;
};

struct AvgPoolConfig {
  pnn_f32_avgpool_ukernel_fn fn;  // NULL when no registered kernel is usable
  size_t channel_tile;
  const char* name;
};

struct GAvgPoolConfig {
  pnn_f32_gavgpool_ukernel_fn fn;  // NULL when no registered kernel is usable
  size_t channel_tile;
  const char* name;
};

// Never NULL.
const MaxPoolConfig* get_maxpool_config();
const ArgmaxPoolConfig* get_argmaxpool_config();
const AvgPoolConfig* get_avgpool_config();
const GAvgPoolConfig* get_gavgpool_config();

// Selects all four now, so that the first create does not pay for it. Meant to be called from
// init_configs(); the getters are correct (if slower the first time) without it.
void init_pooling_configs();

}  // namespace pnn
