#include "configs.h"
#include "dwconv-config.h"
#include "norm-config.h"
#include "pooling-config.h"
#include "softmax-config.h"
#include "vbinary-config.h"
#include "x32-config.h"
#include "hardware-config.h"

namespace pnn {

const UnaryConfig* get_unary_config(int slot) {
  static const struct Table {
    UnaryConfig ops[kUnarySlots];
  } table = [] {
    Table t{};
#define PNN_VUNARY(arch, op_, fn_, tile_)                        \
  if (t.ops[op_].fn == nullptr && arch_usable(arch)) {            \
    t.ops[op_] = UnaryConfig{fn_, tile_, #fn_};                   \
  }
#include "f32-vunary.inc"
#undef PNN_VUNARY
    return t;
  }();
  if (slot < 0 || slot >= kUnarySlots) return nullptr;
  return &table.ops[slot];
}

void init_configs() {
  get_gemm_config();
  get_unary_config(0);
  get_dwconv_config(9);
  init_pooling_configs();
  init_softmax_config();
  get_vbinary_config(0);
  get_x32_config();
  get_norm_config();
}

}  // namespace pnn
