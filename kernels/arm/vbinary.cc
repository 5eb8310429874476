// AArch64 NEON binary elementwise microkernels: instantiations of
// kernels/simd/vbinary-template.h over kernels/simd/vec-neon.h. Minimum and maximum are FMIN /
// FMAX (NaN-propagating, -0 < +0: the API leaves both cases unspecified); the fused clamp keeps
// the exact std::min / std::max semantics, as the contract asks.
#include "simd/vbinary-template.h"
#include "simd/vec-neon.h"
#include "ukernels-vbinary.h"

using pnn::simd::Neon;

#define PNN_NEON_VBINARY(fn, Op, form)                                    \
  extern "C" void fn(size_t n, const float* a, const float* b, float* y,  \
                     const pnn_f32_minmax_params* params) {               \
    pnn::simd::vbinary<Neon, pnn::simd::Op, form, 4>(n, a, b, y, params); \
  }

PNN_NEON_VBINARY(pnn_f32_vadd_minmax_ukernel__neon_u16, VAddOp, pnn_vbinary_vop)
PNN_NEON_VBINARY(pnn_f32_vaddc_minmax_ukernel__neon_u16, VAddOp, pnn_vbinary_vopc)
PNN_NEON_VBINARY(pnn_f32_vsub_minmax_ukernel__neon_u16, VSubOp, pnn_vbinary_vop)
PNN_NEON_VBINARY(pnn_f32_vsubc_minmax_ukernel__neon_u16, VSubOp, pnn_vbinary_vopc)
PNN_NEON_VBINARY(pnn_f32_vrsubc_minmax_ukernel__neon_u16, VSubOp, pnn_vbinary_vropc)
PNN_NEON_VBINARY(pnn_f32_vmul_minmax_ukernel__neon_u16, VMulOp, pnn_vbinary_vop)
PNN_NEON_VBINARY(pnn_f32_vmulc_minmax_ukernel__neon_u16, VMulOp, pnn_vbinary_vopc)
PNN_NEON_VBINARY(pnn_f32_vdiv_minmax_ukernel__neon_u16, VDivOp, pnn_vbinary_vop)
PNN_NEON_VBINARY(pnn_f32_vdivc_minmax_ukernel__neon_u16, VDivOp, pnn_vbinary_vopc)
PNN_NEON_VBINARY(pnn_f32_vrdivc_minmax_ukernel__neon_u16, VDivOp, pnn_vbinary_vropc)
PNN_NEON_VBINARY(pnn_f32_vmin_minmax_ukernel__neon_u16, VMinOp, pnn_vbinary_vop)
PNN_NEON_VBINARY(pnn_f32_vminc_minmax_ukernel__neon_u16, VMinOp, pnn_vbinary_vopc)
PNN_NEON_VBINARY(pnn_f32_vmax_minmax_ukernel__neon_u16, VMaxOp, pnn_vbinary_vop)
PNN_NEON_VBINARY(pnn_f32_vmaxc_minmax_ukernel__neon_u16, VMaxOp, pnn_vbinary_vopc)
PNN_NEON_VBINARY(pnn_f32_vsqrdiff_minmax_ukernel__neon_u16, VSqrDiffOp, pnn_vbinary_vop)
PNN_NEON_VBINARY(pnn_f32_vsqrdiffc_minmax_ukernel__neon_u16, VSqrDiffOp, pnn_vbinary_vopc)
#undef PNN_NEON_VBINARY
