#include "norm-config.h"

#include "select.h"

namespace pnn {

const NormConfig* get_norm_config() {
  static const NormConfig config = [] {
    NormConfig c{};
#define PNN_RREDUCE(arch, op, fn, tile) select_first(&c.rreduce[op], arch, fn, tile, #fn);
#define PNN_RSUMSQDEV(arch, fn, tile) select_first(&c.rsumsqdev, arch, fn, tile, #fn);
#define PNN_VNORM(arch, fn, tile) select_first(&c.vnorm, arch, fn, tile, #fn);
#define PNN_VPRELU(arch, fn, tile) select_first(&c.vprelu, arch, fn, tile, #fn);
#include "f32-norm.inc"
#undef PNN_RREDUCE
#undef PNN_RSUMSQDEV
#undef PNN_VNORM
#undef PNN_VPRELU
    return c;
  }();
  return &config;
}

}  // namespace pnn
