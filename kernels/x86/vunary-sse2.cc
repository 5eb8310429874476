// x86 SSE2 unary elementwise microkernels: instantiations of kernels/simd/vunary-template.h over
// kernels/simd/vec-sse2.h. Without FMA every op rounds as the scalar kernels do, so
// these give the scalar (reference) results bit for bit.
#include "simd/vec-sse2.h"
#include "simd/vunary-template.h"
#include "ukernels.h"

using pnn::simd::Sse2;

#define PNN_X86_VUNARY(fn, Op, unroll)                                                         \
  extern "C" void fn(size_t n, const float* x, float* y, const pnn_f32_unary_params* params) { \
    pnn::simd::vunary<Sse2, pnn::simd::Op, unroll>(n, x, y, params);                           \
  }

PNN_X86_VUNARY(pnn_f32_vclamp_ukernel__sse2_u16, VClampOp, 4)
PNN_X86_VUNARY(pnn_f32_vlrelu_ukernel__sse2_u16, VLeakyReluOp, 4)
PNN_X86_VUNARY(pnn_f32_vabs_ukernel__sse2_u16, VAbsOp, 4)
PNN_X86_VUNARY(pnn_f32_vneg_ukernel__sse2_u16, VNegOp, 4)
PNN_X86_VUNARY(pnn_f32_vsqr_ukernel__sse2_u16, VSquareOp, 4)
PNN_X86_VUNARY(pnn_f32_vsqrt_ukernel__sse2_u8, VSqrtOp, 2)
PNN_X86_VUNARY(pnn_f32_vhswish_ukernel__sse2_u16, VHardSwishOp, 4)
PNN_X86_VUNARY(pnn_f32_velu_ukernel__sse2_u16, VEluOp, 4)
PNN_X86_VUNARY(pnn_f32_vexp_ukernel__sse2_u16, VExpOp, 4)
PNN_X86_VUNARY(pnn_f32_vsigmoid_ukernel__sse2_u16, VSigmoidOp, 4)
PNN_X86_VUNARY(pnn_f32_vtanh_ukernel__sse2_u16, VTanhOp, 4)
PNN_X86_VUNARY(pnn_f32_vgelu_ukernel__sse2_u16, VGeluOp, 4)
PNN_X86_VUNARY(pnn_f32_vgelutanh_ukernel__sse2_u16, VGeluTanhOp, 4)
PNN_X86_VUNARY(pnn_f32_vsilu_ukernel__sse2_u16, VSiluOp, 4)
#undef PNN_X86_VUNARY
