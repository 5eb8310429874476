#include "x32-config.h"

#include "hardware-config.h"

namespace pnn {
namespace {

template <class Fn>
void select_first(X32Kernel<Fn>* choice, uint32_t arch, Fn fn, const char* name) {
  if (choice->fn == nullptr && arch_usable(arch)) *choice = X32Kernel<Fn>{fn, name};
}

}  // namespace

const X32Config* get_x32_config() {
  static const X32Config config = [] {
    X32Config c{};
#define PNN_X32_TRANSPOSE(arch, fn, tile) select_first(&c.transpose, arch, fn, #fn);
#include "x32-transpose.inc"
#undef PNN_X32_TRANSPOSE
#define PNN_X32_COPY(arch, fn, tile) select_first(&c.copy, arch, fn, #fn);
#include "x32-copy.inc"
#undef PNN_X32_COPY
#define PNN_X32_FILL(arch, fn, tile) select_first(&c.fill, arch, fn, #fn);
#include "x32-fill.inc"
#undef PNN_X32_FILL
#define PNN_X32_PAD(arch, fn, tile) select_first(&c.pad, arch, fn, #fn);
#include "x32-pad.inc"
#undef PNN_X32_PAD
    return c;
  }();
  return &config;
}

}  // namespace pnn
