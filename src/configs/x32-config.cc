#include "x32-config.h"

#include "select.h"

namespace pnn {

const X32Config* get_x32_config() {
  static const X32Config config = [] {
    X32Config c{};
#define PNN_X32_TRANSPOSE(arch, fn, tile) select_first(&c.transpose, arch, fn, tile, #fn);
#include "x32-transpose.inc"
#undef PNN_X32_TRANSPOSE
#define PNN_X32_COPY(arch, fn, tile) select_first(&c.copy, arch, fn, tile, #fn);
#include "x32-copy.inc"
#undef PNN_X32_COPY
#define PNN_X32_FILL(arch, fn, tile) select_first(&c.fill, arch, fn, tile, #fn);
#include "x32-fill.inc"
#undef PNN_X32_FILL
#define PNN_X32_PAD(arch, fn, tile) select_first(&c.pad, arch, fn, tile, #fn);
#include "x32-pad.inc"
#undef PNN_X32_PAD
    return c;
  }();
  return &config;
}

}  // namespace pnn
