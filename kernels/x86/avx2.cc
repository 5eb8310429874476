// The x86 AVX2 + FMA3 level (this file alone gets -mavx2 -mfma): every AVX2 registry line,
// defined by kernels/instances.h over kernels/simd/vec-avx2.h, the table-driven sigmoid gates and
// softmax exp of kernels/x86/avx2-math.h where their lines say _lut8.
#define PNN_REGISTRY_INSTANTIATE PNN_LEVEL_AVX2
#include "x86/avx2-math.h"

#define PNN_WRAPPER(arch) pnn::simd::Avx2
#define PNN_EXP_WRAPPER(arch) pnn::avx2_level::Avx2ExpMath
#define PNN_AVGPOOL_TEMPLATE avgpool_unrolled
// Tile-major depthwise kernels, 2 pixels per row load, 4 where one vector per tap leaves room.
#define PNN_DWCONV_DEFAULT_PIXELS 2
#define PNN_LEVEL_OPTIONS                                                            \
  PNN_DWCONV_PIXELS(pnn_f32_dwconv_minmax_ukernel_9p8c__avx2, 4)                     \
  PNN_VUNARY_OP(pnn_f32_vsigmoid_ukernel__avx2_lut8_u32, avx2_level::VSigmoidLut8Op) \
  PNN_VUNARY_OP(pnn_f32_vsilu_ukernel__avx2_lut8_u32, avx2_level::VSiluLut8Op)       \
  PNN_VUNARY_OP(pnn_f32_vgelutanh_ukernel__avx2_lut8_u32, avx2_level::VGeluTanhLut8Op)
#include "instances.h"
#include "ibilinear-instances.h"

// Reductions and normalizations (kernels/instances-norm.h).
#include "instances-norm.h"
