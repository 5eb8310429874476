// x86 AVX2 + FMA3 unary elementwise microkernels: instantiations of kernels/simd/vunary-template.h
// over kernels/simd/vec-avx2.h. The transcendental ops use fused multiply-add; tests/unary-test.cc
// holds them to the bounds of kernels/scalar/math-approx.h.
#include "simd/vec-avx2.h"
#include "simd/vunary-template.h"
#include "ukernels.h"

using pnn::simd::Avx2;

#define PNN_X86_VUNARY(fn, Op, unroll)                                                         \
  extern "C" void fn(size_t n, const float* x, float* y, const pnn_f32_unary_params* params) { \
    pnn::simd::vunary<Avx2, pnn::simd::Op, unroll>(n, x, y, params);                           \
  }

PNN_X86_VUNARY(pnn_f32_vclamp_ukernel__avx2_u32, VClampOp, 4)
PNN_X86_VUNARY(pnn_f32_vlrelu_ukernel__avx2_u32, VLeakyReluOp, 4)
PNN_X86_VUNARY(pnn_f32_vabs_ukernel__avx2_u32, VAbsOp, 4)
PNN_X86_VUNARY(pnn_f32_vneg_ukernel__avx2_u32, VNegOp, 4)
PNN_X86_VUNARY(pnn_f32_vsqr_ukernel__avx2_u32, VSquareOp, 4)
PNN_X86_VUNARY(pnn_f32_vsqrt_ukernel__avx2_u16, VSqrtOp, 2)
PNN_X86_VUNARY(pnn_f32_vhswish_ukernel__avx2_u32, VHardSwishOp, 4)
PNN_X86_VUNARY(pnn_f32_velu_ukernel__avx2_u32, VEluOp, 4)
PNN_X86_VUNARY(pnn_f32_vexp_ukernel__avx2_u32, VExpOp, 4)
PNN_X86_VUNARY(pnn_f32_vsigmoid_ukernel__avx2_u32, VSigmoidOp, 4)
PNN_X86_VUNARY(pnn_f32_vtanh_ukernel__avx2_u32, VTanhOp, 4)
PNN_X86_VUNARY(pnn_f32_vgelu_ukernel__avx2_u32, VGeluOp, 4)
PNN_X86_VUNARY(pnn_f32_vgelutanh_ukernel__avx2_u32, VGeluTanhOp, 4)
PNN_X86_VUNARY(pnn_f32_vsilu_ukernel__avx2_u32, VSiluOp, 4)
#undef PNN_X86_VUNARY
