#include "configs.h"
#include "hardware-config.h"

namespace pnn {

const GemmConfig* get_gemm_config() {
  static const GemmConfig config = [] {
    GemmConfig c{};
    // The main tile: the first usable line with more than one row (one-row lines serve gemm1).
#define PNN_GEMM(arch, gemm_fn, igemm_fn, mr_, nr_)                          \
  if (c.gemm == nullptr && (mr_) > 1 && arch_usable(arch)) {                 \
    c = GemmConfig{gemm_fn, igemm_fn, mr_,     nr_,     #gemm_fn, #igemm_fn, \
                   nullptr, nullptr,  nullptr, nullptr, nullptr};            \
  }
#include "f32-gemm.inc"
#undef PNN_GEMM
    // A registry of one-row lines only still gets a main tile.
#define PNN_GEMM(arch, gemm_fn, igemm_fn, mr_, nr_)                          \
  if (c.gemm == nullptr && arch_usable(arch)) {                              \
    c = GemmConfig{gemm_fn, igemm_fn, mr_,     nr_,     #gemm_fn, #igemm_fn, \
                   nullptr, nullptr,  nullptr, nullptr, nullptr};            \
  }
#include "f32-gemm.inc"
#undef PNN_GEMM
#define PNN_GEMM(arch, gemm_fn, igemm_fn, mr_, nr_)                                          \
  if (c.gemm1 == nullptr && c.gemm != nullptr && (mr_) == 1 && (nr_) == c.nr &&             \
      arch_usable(arch)) {                                                                   \
    c.gemm1 = gemm_fn;                                                                       \
    c.gemm1_name = #gemm_fn;                                                                 \
  }
#include "f32-gemm.inc"
#undef PNN_GEMM
#define PNN_WINOGRAD(arch, input_fn, output_fn)           \
  if (c.winograd_input == nullptr && arch_usable(arch)) { \
    c.winograd_input = input_fn;                          \
    c.winograd_output = output_fn;                        \
    c.winograd_input_name = #input_fn;                    \
  }
#include "f32-winograd.inc"
#undef PNN_WINOGRAD
    if (c.gemm1 == nullptr) {
      c.gemm1 = c.gemm;
      c.gemm1_name = c.gemm_name;
    }
    return c;
  }();
  return &config;
}

}  // namespace pnn
