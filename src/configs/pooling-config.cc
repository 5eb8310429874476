#include "pooling-config.h"

#include "select.h"

namespace pnn {
namespace {

struct PoolingConfigs {
  MaxPoolConfig max{nullptr, 0, "none"};
  ArgmaxPoolConfig argmax{nullptr, 0, "none"};
  AvgPoolConfig avg{nullptr, 0, "none"};
  GAvgPoolConfig gavg{nullptr, 0, "none"};
};

const PoolingConfigs& pooling_configs() {
  static const PoolingConfigs configs = [] {
    PoolingConfigs p;
#define PNN_MAXPOOL(arch, fn, channel_tile) select_first(&p.max, arch, fn, channel_tile, #fn);
#include "f32-maxpool.inc"
#undef PNN_MAXPOOL
#define PNN_ARGMAXPOOL(arch, fn, channel_tile) select_first(&p.argmax, arch, fn, channel_tile, #fn);
#include "f32-argmaxpool.inc"
#undef PNN_ARGMAXPOOL
#define PNN_AVGPOOL(arch, fn, channel_tile) select_first(&p.avg, arch, fn, channel_tile, #fn);
#include "f32-avgpool.inc"
#undef PNN_AVGPOOL
#define PNN_GAVGPOOL(arch, fn, channel_tile) select_first(&p.gavg, arch, fn, channel_tile, #fn);
#include "f32-gavgpool.inc"
#undef PNN_GAVGPOOL
    return p;
  }();
  return configs;
}

}  // namespace

const MaxPoolConfig* get_maxpool_config() { return &pooling_configs().max; }
const ArgmaxPoolConfig* get_argmaxpool_config() { return &pooling_configs().argmax; }
const AvgPoolConfig* get_avgpool_config() { return &pooling_configs().avg; }
const GAvgPoolConfig* get_gavgpool_config() { return &pooling_configs().gavg; }

void init_pooling_configs() { pooling_configs(); }

}  // namespace pnn
