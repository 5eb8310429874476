// Scalar unary elementwise microkernels: instantiations of kernels/simd/vunary-template.h over
// the one-lane wrapper kernels/simd/vec-scalar.h, four elements per main-loop iteration (all
// loaded before any is stored, so y == x is safe). The transcendental ops evaluate
// kernels/simd/math-template.h, whose error bounds kernels/scalar/math-approx.h documents.
#include "simd/vec-scalar.h"
#include "simd/vunary-template.h"
#include "ukernels.h"

using pnn::simd::Scalar1;

#define PNN_SCALAR_VUNARY(fn, Op)                                                              \
  extern "C" void fn(size_t n, const float* x, float* y, const pnn_f32_unary_params* params) { \
    pnn::simd::vunary<Scalar1, pnn::simd::Op, 4>(n, x, y, params);                             \
  }

PNN_SCALAR_VUNARY(pnn_f32_vclamp_ukernel__scalar_u4, VClampOp)
PNN_SCALAR_VUNARY(pnn_f32_vlrelu_ukernel__scalar_u4, VLeakyReluOp)
PNN_SCALAR_VUNARY(pnn_f32_velu_ukernel__scalar_u4, VEluOp)
PNN_SCALAR_VUNARY(pnn_f32_vsigmoid_ukernel__scalar_u4, VSigmoidOp)
PNN_SCALAR_VUNARY(pnn_f32_vtanh_ukernel__scalar_u4, VTanhOp)
PNN_SCALAR_VUNARY(pnn_f32_vhswish_ukernel__scalar_u4, VHardSwishOp)
PNN_SCALAR_VUNARY(pnn_f32_vgelu_ukernel__scalar_u4, VGeluOp)
PNN_SCALAR_VUNARY(pnn_f32_vgelutanh_ukernel__scalar_u4, VGeluTanhOp)
PNN_SCALAR_VUNARY(pnn_f32_vsilu_ukernel__scalar_u4, VSiluOp)
PNN_SCALAR_VUNARY(pnn_f32_vabs_ukernel__scalar_u4, VAbsOp)
PNN_SCALAR_VUNARY(pnn_f32_vneg_ukernel__scalar_u4, VNegOp)
PNN_SCALAR_VUNARY(pnn_f32_vsqr_ukernel__scalar_u4, VSquareOp)
PNN_SCALAR_VUNARY(pnn_f32_vsqrt_ukernel__scalar_u4, VSqrtOp)
PNN_SCALAR_VUNARY(pnn_f32_vexp_ukernel__scalar_u4, VExpOp)
#undef PNN_SCALAR_VUNARY
