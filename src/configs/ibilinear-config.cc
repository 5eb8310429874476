#include "ibilinear-config.h"

namespace pnn {

const IbilinearConfig* get_ibilinear_config() {
  static const IbilinearConfig config = [] {
    IbilinearConfig c{nullptr, 0, "none"};
#define PNN_IBILINEAR(arch, fn, tile) select_first(&c, arch, fn, tile, #fn);
#include "f32-ibilinear.inc"
#undef PNN_IBILINEAR
    return c;
  }();
  return &config;
}

}  // namespace pnn
