#include "configs.h"
#include "hardware-config.h"

namespace pnn {

const GemmConfig* get_gemm_config() {
  static const GemmConfig config = [] {
    GemmConfig c{};
#define PNN_GEMM(arch, gemm_fn, igemm_fn, mr_, nr_)                            \
  if (c.gemm == nullptr && arch_usable(arch)) {                                 \
    c = GemmConfig{gemm_fn, igemm_fn, mr_, nr_, #gemm_fn, #igemm_fn};           \
  }
#include "f32-gemm.inc"
#undef PNN_GEMM
    return c;
  }();
  return &config;
}

}  // namespace pnn
