#include "pooling-config.h"

#include "hardware-config.h"

namespace pnn {

const MaxPoolConfig* get_maxpool_config() {
  static const MaxPoolConfig config = [] {
    MaxPoolConfig c{nullptr, 0, "none"};
#define PNN_MAXPOOL(arch, fn_, channel_tile_)    \
  if (c.fn == nullptr && arch_usable(arch)) {    \
    c = MaxPoolConfig{fn_, channel_tile_, #fn_}; \
  }
#include "f32-maxpool.inc"
#undef PNN_MAXPOOL
    return c;
  }();
  return &config;
}

const AvgPoolConfig* get_avgpool_config() {
  static const AvgPoolConfig config = [] {
    AvgPoolConfig c{nullptr, 0, "none"};
#define PNN_AVGPOOL(arch, fn_, channel_tile_)    \
  if (c.fn == nullptr && arch_usable(arch)) {    \
    c = AvgPoolConfig{fn_, channel_tile_, #fn_}; \
  }
#include "f32-avgpool.inc"
#undef PNN_AVGPOOL
    return c;
  }();
  return &config;
}

const GAvgPoolConfig* get_gavgpool_config() {
  static const GAvgPoolConfig config = [] {
    GAvgPoolConfig c{nullptr, 0, "none"};
#define PNN_GAVGPOOL(arch, fn_, channel_tile_)    \
  if (c.fn == nullptr && arch_usable(arch)) {     \
    c = GAvgPoolConfig{fn_, channel_tile_, #fn_}; \
  }
#include "f32-gavgpool.inc"
#undef PNN_GAVGPOOL
    return c;
  }();
  return &config;
}

void init_pooling_configs() {
  get_maxpool_config();
  get_avgpool_config();
  get_gavgpool_config();
}

}  // namespace pnn
