// The one kernel-instance scheme of every ISA folder: the registry line is the kernel's
// definition. A level's file (kernels/scalar/scalar.cc, kernels/x86/<level>.cc,
// kernels/arm/neon.cc, kernels/wasm/wasmsimd.cc) says which level it is and which wrapper it
// uses, then includes this header, which defines one `extern "C"` kernel per registry line of that
// level (kernels/registry-select.h shows a level file its own lines only), from the family's
// template in kernels/simd/ and the line's own parameters:
//
//   family       template (kernels/simd/)               from the registry line
//   GEMM/IGEMM   gemm_rows / gemm_1row, igemm_rows      MR, NR; _loadsplat / _splat and _x<N>
//                                                       (blocks of a one-row kernel) from the name
//   Winograd     winograd_input/output_2x2_3x3          —
//   dwconv       dwconv, or dwconv_tile_major where     taps (0: any), channel tile
//                the level file names a pixel count
//   max/avg/gavg pooling-template.h                     channel tile
//   vunary       vunary                                 op slot, elements per iteration
//   vbinary      vbinary                                op, form, elements per iteration
//   softmax      rmax, raddstoreexpminusmax, vscale     elements per iteration
//   x32          transpose, copy, fill, pad             elements per iteration (tile)
//
// So a template parameter is written once: on the registry line (tiles, ops, forms), or, for
// what the registry cannot say, on one line of the level file:
//   PNN_WRAPPER(arch)        the vector wrapper of a line of this level (required);
//   PNN_MATH_WRAPPER(arch)   the wrapper the transcendental unary ops use (default PNN_WRAPPER);
//   PNN_EXP_WRAPPER(arch)    the wrapper of raddstoreexpminusmax (default PNN_MATH_WRAPPER);
//   PNN_AVGPOOL_TEMPLATE     avgpool or avgpool_unrolled (default avgpool);
//   PNN_GEMM_TEMPLATE, PNN_IGEMM_TEMPLATE  gemm_rows / igemm_rows (default) or gemm / igemm;
//   PNN_DWCONV_DEFAULT_PIXELS  0: fixed-tap depthwise kernels are pixel-major (default); P > 0:
//                            tile-major, P pixels sharing their row loads;
//   PNN_LEVEL_OPTIONS        a list of per-kernel lines:
//     PNN_DWCONV_PIXELS(fn, p)  fn is tile-major with p pixels (0: pixel-major);
//     PNN_VUNARY_OP(fn, Op)     fn evaluates Op<W> instead of the op of its registry slot.
// Adding a kernel to a family is its registry line, plus one of these lines where it needs one;
// a new level is its wrapper, its file, its flags (CMakeLists.txt) and its bit
// (src/hardware-config.*).
//
// GEMM row tail: a level runs the last rows of an M that is not a multiple of MR on a tile of
// their own height (gemm_rows / igemm_rows, the same bits as the full tile), unless its file says
// why not (kernels/scalar/scalar.cc, kernels/wasm/wasmsimd.cc: the size of the .wasm files).
#pragma once

#include <cstddef>
#include <cstdint>

#include "configs/configs.h"  // the unary slots (kUnaryGeluTanh)
#include "hardware-config.h"
#include "simd/dwconv-template.h"
#include "simd/gemm-template.h"
#include "simd/pooling-template.h"
#include "simd/softmax-template.h"
#include "simd/vbinary-template.h"
#include "simd/vunary-template.h"
#include "simd/winograd-template.h"
#include "simd/x32-template.h"
#include "ukernels-x32.h"
#include "ukernels.h"

#if !defined(PNN_REGISTRY_INSTANTIATE) || !defined(PNN_WRAPPER)
#error "a level file defines PNN_REGISTRY_INSTANTIATE and PNN_WRAPPER before including instances.h"
#endif
#if !defined(PNN_MATH_WRAPPER)
#define PNN_MATH_WRAPPER(arch) PNN_WRAPPER(arch)
#endif
#if !defined(PNN_EXP_WRAPPER)
#define PNN_EXP_WRAPPER(arch) PNN_MATH_WRAPPER(arch)
#endif
#if !defined(PNN_GEMM_TEMPLATE)
#define PNN_GEMM_TEMPLATE gemm_rows
#define PNN_IGEMM_TEMPLATE igemm_rows
#endif
#if !defined(PNN_DWCONV_DEFAULT_PIXELS)
#define PNN_DWCONV_DEFAULT_PIXELS 0
#endif
#if !defined(PNN_LEVEL_OPTIONS)
#define PNN_LEVEL_OPTIONS
#endif
#if !defined(PNN_AVGPOOL_TEMPLATE)
#define PNN_AVGPOOL_TEMPLATE avgpool
#endif

namespace pnn {
namespace instances {

// Compile-time reading of a kernel name: does it contain `part`, and the N of a trailing _x<N>.
constexpr bool name_has(const char* name, const char* part) {
  for (; *name != '\0'; name++) {
    size_t i = 0;
    while (part[i] != '\0' && name[i] == part[i]) i++;
    if (part[i] == '\0') return true;
  }
  return false;
}
constexpr size_t name_blocks(const char* name) {
  size_t blocks = 0;
  for (; *name != '\0'; name++) {
    if (name[0] == '_' && name[1] == 'x' && name[2] >= '0' && name[2] <= '9') {
      blocks = 0;
      for (const char* d = name + 2; *d >= '0' && *d <= '9'; d++) blocks = blocks * 10 + (*d - '0');
    }
  }
  return blocks;
}
constexpr simd::GemmLoad gemm_load(const char* name) {
  return name_has(name, "_splat") ? simd::GemmLoad::kSplat : simd::GemmLoad::kLoadSplat;
}

// Per-kernel options of the level file, looked up by a tag type named after the kernel.
template <class Tag>
constexpr size_t dwconv_pixels(Tag*) {
  return PNN_DWCONV_DEFAULT_PIXELS;
}

// The op of a unary slot, unless the level file names another for one kernel.
template <int SLOT>
struct UnaryOp;
#define PNN_UNARY_SLOT_OP(slot, Op) \
  template <>                       \
  struct UnaryOp<slot> {            \
    template <class W>              \
    using type = simd::Op<W>;       \
  };
PNN_UNARY_SLOT_OP(pnn_unary_clamp, VClampOp)
PNN_UNARY_SLOT_OP(pnn_unary_leaky_relu, VLeakyReluOp)
PNN_UNARY_SLOT_OP(pnn_unary_elu, VEluOp)
PNN_UNARY_SLOT_OP(pnn_unary_sigmoid, VSigmoidOp)
PNN_UNARY_SLOT_OP(pnn_unary_tanh, VTanhOp)
PNN_UNARY_SLOT_OP(pnn_unary_hardswish, VHardSwishOp)
PNN_UNARY_SLOT_OP(pnn_unary_gelu, VGeluOp)
PNN_UNARY_SLOT_OP(kUnaryGeluTanh, VGeluTanhOp)
PNN_UNARY_SLOT_OP(pnn_unary_silu, VSiluOp)
PNN_UNARY_SLOT_OP(pnn_unary_abs, VAbsOp)
PNN_UNARY_SLOT_OP(pnn_unary_negate, VNegOp)
PNN_UNARY_SLOT_OP(pnn_unary_square, VSquareOp)
PNN_UNARY_SLOT_OP(pnn_unary_sqrt, VSqrtOp)
PNN_UNARY_SLOT_OP(pnn_unary_exp, VExpOp)
PNN_UNARY_SLOT_OP(pnn_unary_hard_sigmoid, VHardSigmoidOp)
#undef PNN_UNARY_SLOT_OP
#define PNN_UNARY_SLOT_FN(slot, fn)                                        \
  template <>                                                              \
  struct UnaryOp<slot> {                                                   \
    struct Fn {                                                            \
      template <class W>                                                   \
      static PNN_SIMD_INLINE typename W::V apply(typename W::V x) {        \
        return simd::VMath<W>::fn(x);                                      \
      }                                                                    \
    };                                                                     \
    template <class W>                                                     \
    using type = simd::VMathFnOp<W, Fn>;                                   \
  };
PNN_UNARY_SLOT_FN(pnn_unary_erf, erf)
PNN_UNARY_SLOT_FN(pnn_unary_log, log)
PNN_UNARY_SLOT_FN(pnn_unary_reciprocal, reciprocal)
PNN_UNARY_SLOT_FN(pnn_unary_rsqrt, rsqrt)
PNN_UNARY_SLOT_FN(pnn_unary_floor, floor)
PNN_UNARY_SLOT_FN(pnn_unary_ceil, ceil)
PNN_UNARY_SLOT_FN(pnn_unary_round, round_even)
PNN_UNARY_SLOT_FN(pnn_unary_sin, sin)
PNN_UNARY_SLOT_FN(pnn_unary_cos, cos)
PNN_UNARY_SLOT_FN(pnn_unary_softplus, softplus)
#undef PNN_UNARY_SLOT_FN
template <int SLOT, class Tag>
UnaryOp<SLOT> unary_op(Tag*);  // declared only: decltype picks the holder of the op

template <pnn_binary_op OP>
struct BinaryOp;
#define PNN_BINARY_OP(op, Op) \
  template <>                 \
  struct BinaryOp<op> {       \
    template <class W>        \
    using type = simd::Op<W>; \
  };
PNN_BINARY_OP(pnn_binary_add, VAddOp)
PNN_BINARY_OP(pnn_binary_subtract, VSubOp)
PNN_BINARY_OP(pnn_binary_multiply, VMulOp)
PNN_BINARY_OP(pnn_binary_divide, VDivOp)
PNN_BINARY_OP(pnn_binary_minimum, VMinOp)
PNN_BINARY_OP(pnn_binary_maximum, VMaxOp)
PNN_BINARY_OP(pnn_binary_squared_difference, VSqrDiffOp)
PNN_BINARY_OP(pnn_binary_pow, VPowOp)
#undef PNN_BINARY_OP

// Main-loop vectors of a line whose registry tile counts elements.
template <class W, size_t TILE>
constexpr size_t unroll() {
  static_assert(TILE % W::N == 0 && TILE >= W::N, "registry tile is not a multiple of the lanes");
  return TILE / W::N;
}

}  // namespace instances
}  // namespace pnn

#define PNN_INSTANCE_TAG(fn) \
  namespace pnn {            \
  namespace instances {      \
  struct fn;                 \
  }                          \
  }
#define PNN_DWCONV_PIXELS(fn, pixels)                    \
  PNN_INSTANCE_TAG(fn)                                   \
  namespace pnn {                                        \
  namespace instances {                                  \
  constexpr size_t dwconv_pixels(fn*) { return pixels; } \
  }                                                      \
  }
#define PNN_VUNARY_OP(fn, Op) \
  PNN_INSTANCE_TAG(fn)        \
  namespace pnn {             \
  namespace instances {       \
  struct fn##_op {            \
    template <class W>        \
    using type = Op<W>;       \
  };                          \
  template <int SLOT>         \
  fn##_op unary_op(fn*);      \
  }                           \
  }

PNN_LEVEL_OPTIONS

#define PNN_GEMM(arch, gemm_fn, igemm_fn, mr, nr)                                            \
  extern "C" void gemm_fn(size_t m, size_t nc, size_t kc, const float* a, size_t a_stride,   \
                          const float* w, float* c, size_t cm_stride, size_t cn_stride,      \
                          const pnn_f32_minmax_params* params) {                             \
    using W = PNN_WRAPPER(arch);                                                             \
    constexpr auto load = pnn::instances::gemm_load(#gemm_fn);                               \
    constexpr size_t blocks = pnn::instances::name_blocks(#gemm_fn);                         \
    if constexpr ((mr) == 1 && blocks > 1) {                                                 \
      pnn::simd::gemm_1row<W, nr, blocks, load>(m, nc, kc, a, a_stride, w, c, cm_stride,     \
                                                cn_stride, params);                          \
    } else {                                                                                 \
      pnn::simd::PNN_GEMM_TEMPLATE<W, mr, nr, load>(m, nc, kc, a, a_stride, w, c, cm_stride, \
                                                    cn_stride, params);                      \
    }                                                                                        \
  }                                                                                          \
  extern "C" void igemm_fn(size_t m, size_t nc, size_t kc, size_t ks, const float** a,       \
                           const float* w, float* c, size_t cm_stride, size_t cn_stride,     \
                           size_t a_offset, const float* zero,                               \
                           const pnn_f32_minmax_params* params) {                            \
    pnn::simd::PNN_IGEMM_TEMPLATE<PNN_WRAPPER(arch), mr, nr,                                 \
                                  pnn::instances::gemm_load(#igemm_fn)>(                     \
        m, nc, kc, ks, a, w, c, cm_stride, cn_stride, a_offset, zero, params);               \
  }
#include "f32-gemm.inc"
#undef PNN_GEMM

#define PNN_DWCONV(arch, fn, taps, channel_tile)                                                   \
  PNN_INSTANCE_TAG(fn)                                                                             \
  extern "C" void fn(size_t channels, size_t output_width, size_t ks, const float** input,         \
                     const float* weights, float* output, size_t input_increment,                  \
                     size_t output_stride, size_t input_offset, const float* zero,                 \
                     const pnn_f32_minmax_params* params) {                                        \
    using W = PNN_WRAPPER(arch);                                                                   \
    constexpr size_t pixels = pnn::instances::dwconv_pixels(static_cast<pnn::instances::fn*>(0));  \
    if constexpr (pixels != 0 && (taps) != 0) {                                                    \
      pnn::simd::dwconv_tile_major<W, taps, channel_tile, 16, pixels>(                             \
          channels, output_width, ks, input, weights, output, input_increment, output_stride,      \
          input_offset, zero, params);                                                             \
    } else {                                                                                       \
      pnn::simd::dwconv<W, taps, channel_tile>(channels, output_width, ks, input, weights, output, \
                                               input_increment, output_stride, input_offset, zero, \
                                               params);                                            \
    }                                                                                              \
  }
#include "f32-dwconv.inc"
#undef PNN_DWCONV

#define PNN_MAXPOOL(arch, fn, channel_tile)                                                      \
  extern "C" void fn(size_t output_pixels, size_t kernel_size, size_t channels,                  \
                     const float** input, size_t input_offset, size_t input_increment,           \
                     float* output, size_t output_stride, const pnn_f32_minmax_params* params) { \
    pnn::simd::maxpool<PNN_WRAPPER(arch), channel_tile>(output_pixels, kernel_size, channels,    \
                                                        input, input_offset, input_increment,    \
                                                        output, output_stride, params);          \
  }
#include "f32-maxpool.inc"
#undef PNN_MAXPOOL
#define PNN_ARGMAXPOOL(arch, fn, channel_tile)                                                 \
  extern "C" void fn(size_t output_pixels, size_t kernel_size, size_t channels,                \
                     const float** input, size_t input_offset, size_t input_increment,         \
                     const uint32_t* tap_index, float* output, uint32_t* index,                \
                     size_t output_stride, const pnn_f32_minmax_params* params) {              \
    pnn::simd::argmaxpool<PNN_WRAPPER(arch), channel_tile>(                                    \
        output_pixels, kernel_size, channels, input, input_offset, input_increment, tap_index, \
        output, index, output_stride, params);                                                 \
  }
#include "f32-argmaxpool.inc"
#undef PNN_ARGMAXPOOL
#define PNN_AVGPOOL(arch, fn, channel_tile)                                               \
  extern "C" void fn(size_t output_pixels, size_t kernel_size, size_t channels,           \
                     const float** input, size_t input_offset, size_t input_increment,    \
                     const float* zero, const float* multiplier, float* output,           \
                     size_t output_stride, const pnn_f32_minmax_params* params) {         \
    pnn::simd::PNN_AVGPOOL_TEMPLATE<PNN_WRAPPER(arch), channel_tile>(                     \
        output_pixels, kernel_size, channels, input, input_offset, input_increment, zero, \
        multiplier, output, output_stride, params);                                       \
  }
#include "f32-avgpool.inc"
#undef PNN_AVGPOOL
#define PNN_GAVGPOOL(arch, fn, channel_tile)                                                      \
  extern "C" void fn(size_t rows, size_t channels, const float* x, size_t x_stride, float* y,     \
                     const pnn_f32_gavgpool_params* params) {                                     \
    pnn::simd::gavgpool<PNN_WRAPPER(arch), channel_tile>(rows, channels, x, x_stride, y, params); \
  }
#include "f32-gavgpool.inc"
#undef PNN_GAVGPOOL

#define PNN_VUNARY(arch, op, fn, tile)                                                          \
  PNN_INSTANCE_TAG(fn)                                                                          \
  extern "C" void fn(size_t n, const float* x, float* y, const pnn_f32_unary_params* params) {  \
    using W = PNN_MATH_WRAPPER(arch);                                                           \
    using Holder = decltype(pnn::instances::unary_op<op>(static_cast<pnn::instances::fn*>(0))); \
    pnn::simd::vunary<W, Holder::template type, pnn::instances::unroll<W, tile>()>(n, x, y,     \
                                                                                   params);     \
  }
#include "f32-vunary.inc"
#undef PNN_VUNARY

#define PNN_VBINARY(arch, op, form, fn, tile)                                  \
  extern "C" void fn(size_t n, const float* a, const float* b, float* y,       \
                     const pnn_f32_minmax_params* params) {                    \
    using W = PNN_WRAPPER(arch);                                               \
    pnn::simd::vbinary<W, pnn::instances::BinaryOp<op>::template type, form,   \
                       pnn::instances::unroll<W, tile>()>(n, a, b, y, params); \
  }
#include "f32-vbinary.inc"
#undef PNN_VBINARY

#define PNN_RMAX(arch, fn, tile)                                      \
  extern "C" void fn(size_t n, const float* x, float* max) {          \
    using W = PNN_EXP_WRAPPER(arch);                                  \
    pnn::simd::rmax<W, pnn::instances::unroll<W, tile>()>(n, x, max); \
  }
#define PNN_RADDSTOREEXPMINUSMAX(arch, fn, tile)                                              \
  extern "C" void fn(size_t n, const float* x, float max, float* y, float* sum) {             \
    using W = PNN_EXP_WRAPPER(arch);                                                          \
    pnn::simd::raddstoreexpminusmax<W, pnn::instances::unroll<W, tile>()>(n, x, max, y, sum); \
  }
#define PNN_VSCALE(arch, fn, tile)                                           \
  extern "C" void fn(size_t n, const float* x, float scale, float* y) {      \
    using W = PNN_EXP_WRAPPER(arch);                                         \
    pnn::simd::vscale<W, pnn::instances::unroll<W, tile>()>(n, x, scale, y); \
  }
#include "f32-softmax.inc"
#undef PNN_RMAX
#undef PNN_RADDSTOREEXPMINUSMAX
#undef PNN_VSCALE

#define PNN_WINOGRAD(arch, input, output)                                                         \
  extern "C" void input(size_t channels, const float* const* rows, float* v,                      \
                        size_t point_stride) {                                                    \
    pnn::simd::winograd_input_2x2_3x3<PNN_WRAPPER(arch)>(channels, rows, v, point_stride);        \
  }                                                                                               \
  extern "C" void output(size_t channels, const float* m, size_t point_stride, const float* bias, \
                         float* const* out, const pnn_f32_minmax_params* params) {                \
    pnn::simd::winograd_output_2x2_3x3<PNN_WRAPPER(arch)>(channels, m, point_stride, bias, out,   \
                                                          params);                                \
  }
#include "f32-winograd.inc"
#undef PNN_WINOGRAD

#define PNN_X32_TRANSPOSE(arch, fn, tile)                                                    \
  extern "C" void fn(size_t rows, size_t cols, const void* x, size_t x_stride, void* y,      \
                     size_t y_stride) {                                                      \
    pnn::simd::x32_transpose<PNN_WRAPPER(arch), tile>(rows, cols, x, x_stride, y, y_stride); \
  }
#include "x32-transpose.inc"
#undef PNN_X32_TRANSPOSE
#define PNN_X32_COPY(arch, fn, tile)                                                              \
  extern "C" void fn(size_t rows, size_t cols, const void* x, size_t x_stride, void* y,           \
                     size_t y_stride) {                                                           \
    using W = PNN_WRAPPER(arch);                                                                  \
    pnn::simd::x32_pad<W, pnn::instances::unroll<W, tile>()>(rows, 0, cols, 0, x, x_stride, 0, y, \
                                                             y_stride);                           \
  }
#include "x32-copy.inc"
#undef PNN_X32_COPY
#define PNN_X32_FILL(arch, fn, tile)                                                              \
  extern "C" void fn(size_t rows, size_t cols, uint32_t value, void* y, size_t y_stride) {        \
    using W = PNN_WRAPPER(arch);                                                                  \
    pnn::simd::x32_pad<W, pnn::instances::unroll<W, tile>()>(rows, cols, 0, 0, nullptr, 0, value, \
                                                             y, y_stride);                        \
  }
#include "x32-fill.inc"
#undef PNN_X32_FILL
#define PNN_X32_PAD(arch, fn, tile)                                                                \
  extern "C" void fn(size_t rows, size_t left, size_t cols, size_t right, const void* x,           \
                     size_t x_stride, uint32_t value, void* y, size_t y_stride) {                  \
    using W = PNN_WRAPPER(arch);                                                                   \
    pnn::simd::x32_pad<W, pnn::instances::unroll<W, tile>()>(rows, left, cols, right, x, x_stride, \
                                                             value, y, y_stride);                  \
  }
#include "x32-pad.inc"
#undef PNN_X32_PAD
