// x86 AVX-512F binary elementwise microkernels: instantiations of kernels/simd/vbinary-template.h
// over kernels/simd/vec-avx512.h. Every op is exactly the scalar one (no multiply-add is involved),
// and minimum / maximum are minps / maxps with swapped operands, i.e. exactly std::min / std::max.
#include "simd/vbinary-template.h"
// GCC 12 reports its own _mm512_undefined_ps() (inside _mm512_min_ps / _mm512_max_ps) as "may be
// used uninitialized" once inlined here: a false positive (GCC bug 105593), silenced for this file.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include "simd/vec-avx512.h"
#include "ukernels-vbinary.h"

using pnn::simd::Avx512;

#define PNN_X86_VBINARY(fn, Op, form)                                       \
  extern "C" void fn(size_t n, const float* a, const float* b, float* y,    \
                     const pnn_f32_minmax_params* params) {                 \
    pnn::simd::vbinary<Avx512, pnn::simd::Op, form, 2>(n, a, b, y, params); \
  }

PNN_X86_VBINARY(pnn_f32_vadd_minmax_ukernel__avx512f_u32, VAddOp, pnn_vbinary_vop)
PNN_X86_VBINARY(pnn_f32_vaddc_minmax_ukernel__avx512f_u32, VAddOp, pnn_vbinary_vopc)
PNN_X86_VBINARY(pnn_f32_vsub_minmax_ukernel__avx512f_u32, VSubOp, pnn_vbinary_vop)
PNN_X86_VBINARY(pnn_f32_vsubc_minmax_ukernel__avx512f_u32, VSubOp, pnn_vbinary_vopc)
PNN_X86_VBINARY(pnn_f32_vrsubc_minmax_ukernel__avx512f_u32, VSubOp, pnn_vbinary_vropc)
PNN_X86_VBINARY(pnn_f32_vmul_minmax_ukernel__avx512f_u32, VMulOp, pnn_vbinary_vop)
PNN_X86_VBINARY(pnn_f32_vmulc_minmax_ukernel__avx512f_u32, VMulOp, pnn_vbinary_vopc)
PNN_X86_VBINARY(pnn_f32_vdiv_minmax_ukernel__avx512f_u32, VDivOp, pnn_vbinary_vop)
PNN_X86_VBINARY(pnn_f32_vdivc_minmax_ukernel__avx512f_u32, VDivOp, pnn_vbinary_vopc)
PNN_X86_VBINARY(pnn_f32_vrdivc_minmax_ukernel__avx512f_u32, VDivOp, pnn_vbinary_vropc)
PNN_X86_VBINARY(pnn_f32_vmin_minmax_ukernel__avx512f_u32, VMinOp, pnn_vbinary_vop)
PNN_X86_VBINARY(pnn_f32_vminc_minmax_ukernel__avx512f_u32, VMinOp, pnn_vbinary_vopc)
PNN_X86_VBINARY(pnn_f32_vmax_minmax_ukernel__avx512f_u32, VMaxOp, pnn_vbinary_vop)
PNN_X86_VBINARY(pnn_f32_vmaxc_minmax_ukernel__avx512f_u32, VMaxOp, pnn_vbinary_vopc)
PNN_X86_VBINARY(pnn_f32_vsqrdiff_minmax_ukernel__avx512f_u32, VSqrDiffOp, pnn_vbinary_vop)
PNN_X86_VBINARY(pnn_f32_vsqrdiffc_minmax_ukernel__avx512f_u32, VSqrDiffOp, pnn_vbinary_vopc)
#undef PNN_X86_VBINARY
