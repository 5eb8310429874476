#include "configs/dwconv-config.h"

#include "hardware-config.h"

namespace pnn {

namespace {

// Every registry line fits; the table keeps the usable ones in registry (best-first) order.
constexpr size_t kMaxDwconvKernels = 32;

struct DwconvTable {
  DwconvConfig entries[kMaxDwconvKernels];
  size_t count;
};

}  // namespace

const DwconvConfig* get_dwconv_config(size_t taps) {
  static const DwconvTable table = [] {
    DwconvTable t{};
#define PNN_DWCONV(arch, fn_, taps_, channel_tile_)                       \
  if (arch_usable(arch) && t.count < kMaxDwconvKernels) {                 \
    t.entries[t.count++] = DwconvConfig{fn_, taps_, channel_tile_, #fn_}; \
  }
#include "f32-dwconv.inc"
#undef PNN_DWCONV
    return t;
  }();
  for (size_t i = 0; i < table.count; i++) {
    if (table.entries[i].taps == taps) return &table.entries[i];
  }
  for (size_t i = 0; i < table.count; i++) {
    if (table.entries[i].taps == 0) return &table.entries[i];
  }
  return nullptr;
}

}  // namespace pnn
