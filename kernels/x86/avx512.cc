// The x86 AVX-512F level (this file alone gets -mavx512f -mavx2 -mfma): every AVX-512 registry
// line, defined by kernels/instances.h over kernels/simd/vec-avx512.h, with vscalefps in the
// transcendental ops, the 16-entry table sigmoid and the table-driven softmax exp of
// kernels/x86/avx512-math.h.
#define PNN_REGISTRY_INSTANTIATE PNN_LEVEL_AVX512
#include "x86/avx512-math.h"

#define PNN_WRAPPER(arch) pnn::simd::Avx512
#define PNN_MATH_WRAPPER(arch) pnn::avx512_level::Avx512Math
#define PNN_EXP_WRAPPER(arch) pnn::avx512_level::Avx512ExpMath
#define PNN_AVGPOOL_TEMPLATE avgpool_unrolled
// Tile-major depthwise kernels, 4 pixels per row load; 2 for 25 taps (the weights take the room).
#define PNN_DWCONV_DEFAULT_PIXELS 4
#define PNN_LEVEL_OPTIONS                                             \
  PNN_DWCONV_PIXELS(pnn_f32_dwconv_minmax_ukernel_25p16c__avx512f, 2) \
  PNN_VUNARY_OP(pnn_f32_vsigmoid_ukernel__avx512f_u128, avx512_level::VSigmoidLut16Op)
#include "instances.h"
#include "ibilinear-instances.h"

// Reductions and normalizations (kernels/instances-norm.h).
#include "instances-norm.h"
