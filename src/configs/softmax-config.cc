#include "softmax-config.h"

#include "hardware-config.h"

namespace pnn {

const SoftmaxConfig* get_softmax_config() {
  static const SoftmaxConfig config = [] {
    SoftmaxConfig c{};
#define PNN_RMAX(arch, fn_, tile_)              \
  if (c.rmax == nullptr && arch_usable(arch)) { \
    c.rmax = fn_;                               \
    c.rmax_name = #fn_;                         \
  }
#define PNN_RADDSTOREEXPMINUSMAX(arch, fn_, tile_)              \
  if (c.raddstoreexpminusmax == nullptr && arch_usable(arch)) { \
    c.raddstoreexpminusmax = fn_;                               \
    c.raddstoreexpminusmax_name = #fn_;                         \
  }
#define PNN_VSCALE(arch, fn_, tile_)              \
  if (c.vscale == nullptr && arch_usable(arch)) { \
    c.vscale = fn_;                               \
    c.vscale_name = #fn_;                         \
  }
#include "f32-softmax.inc"
#undef PNN_RMAX
#undef PNN_RADDSTOREEXPMINUSMAX
#undef PNN_VSCALE
    return c;
  }();
  return &config;
}

void init_softmax_config() { get_softmax_config(); }

}  // namespace pnn
