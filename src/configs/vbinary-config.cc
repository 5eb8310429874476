#include "configs/vbinary-config.h"

#include "hardware-config.h"

namespace pnn {

namespace {
constexpr int kBinaryOps = pnn_binary_pow + 1;
}  // namespace

bool binary_op_commutative(pnn_binary_op op) {
  switch (op) {
    case pnn_binary_add:
    case pnn_binary_multiply:
    case pnn_binary_minimum:
    case pnn_binary_maximum:
    case pnn_binary_squared_difference:
      return true;
    case pnn_binary_subtract:
    case pnn_binary_divide:
    case pnn_binary_pow:
      return false;
  }
  return false;
}

const VBinaryConfig* get_vbinary_config(int op) {
  static const struct Table {
    VBinaryConfig ops[kBinaryOps];
  } table = [] {
    Table t{};
    // The first usable line of each (op, form) wins: the registry lists the best first.
#define PNN_VBINARY(arch, op_, form_, fn_, tile_)                                  \
  {                                                                                \
    VBinaryConfig& c = t.ops[op_];                                                 \
    VBinaryKernel& k = form_ == pnn_vbinary_vop    ? c.op                          \
                       : form_ == pnn_vbinary_vopc ? c.opc                         \
                                                   : c.ropc;                       \
    if (k.fn == nullptr && arch_usable(arch)) k = VBinaryKernel{fn_, tile_, #fn_}; \
  }
#include "f32-vbinary.inc"
#undef PNN_VBINARY
    // f(b, a) == f(a, b) for these, so a registered reversed kernel would only duplicate opc.
    for (int i = 0; i < kBinaryOps; i++) {
      VBinaryConfig& c = t.ops[i];
      if (c.ropc.fn == nullptr && binary_op_commutative(static_cast<pnn_binary_op>(i)))
        c.ropc = c.opc;
    }
    return t;
  }();
  if (op < 0 || op >= kBinaryOps) return nullptr;
  return &table.ops[op];
}

}  // namespace pnn
