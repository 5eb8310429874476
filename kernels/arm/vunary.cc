// AArch64 NEON unary elementwise microkernels: instantiations of kernels/simd/vunary-template.h
// over kernels/simd/vec-neon.h. The transcendental ops (kernels/simd/math-template.h) use fused
// multiply-add and are named __neonfma; tests/unary-test.cc holds them to the documented bounds
// of kernels/scalar/math-approx.h. Clamp is FMIN / FMAX (NaN behavior unspecified by the API).
#include "simd/vec-neon.h"
#include "simd/vunary-template.h"
#include "ukernels.h"

using pnn::simd::Neon;

#define PNN_NEON_VUNARY(fn, Op, unroll)                                                        \
  extern "C" void fn(size_t n, const float* x, float* y, const pnn_f32_unary_params* params) { \
    pnn::simd::vunary<Neon, pnn::simd::Op, unroll>(n, x, y, params);                           \
  }

PNN_NEON_VUNARY(pnn_f32_vclamp_ukernel__neon_u16, VClampOp, 4)
PNN_NEON_VUNARY(pnn_f32_vlrelu_ukernel__neon_u16, VLeakyReluOp, 4)
PNN_NEON_VUNARY(pnn_f32_vabs_ukernel__neon_u16, VAbsOp, 4)
PNN_NEON_VUNARY(pnn_f32_vneg_ukernel__neon_u16, VNegOp, 4)
PNN_NEON_VUNARY(pnn_f32_vsqr_ukernel__neon_u16, VSquareOp, 4)
PNN_NEON_VUNARY(pnn_f32_vsqrt_ukernel__neon_u8, VSqrtOp, 2)
PNN_NEON_VUNARY(pnn_f32_vhswish_ukernel__neon_u16, VHardSwishOp, 4)
PNN_NEON_VUNARY(pnn_f32_velu_ukernel__neonfma_u16, VEluOp, 4)
PNN_NEON_VUNARY(pnn_f32_vexp_ukernel__neonfma_u16, VExpOp, 4)
PNN_NEON_VUNARY(pnn_f32_vsigmoid_ukernel__neonfma_u16, VSigmoidOp, 4)
PNN_NEON_VUNARY(pnn_f32_vtanh_ukernel__neonfma_u16, VTanhOp, 4)
PNN_NEON_VUNARY(pnn_f32_vgelu_ukernel__neonfma_u16, VGeluOp, 4)
PNN_NEON_VUNARY(pnn_f32_vgelutanh_ukernel__neonfma_u16, VGeluTanhOp, 4)
PNN_NEON_VUNARY(pnn_f32_vsilu_ukernel__neonfma_u16, VSiluOp, 4)
#undef PNN_NEON_VUNARY
