// Scalar binary elementwise microkernels: instantiations of kernels/simd/vbinary-template.h over
// the one-lane wrapper kernels/simd/vec-scalar.h, four elements per main-loop iteration (all
// loaded before any is stored). Its min / max are std::min / std::max.
#include "simd/vbinary-template.h"
#include "simd/vec-scalar.h"
#include "ukernels-vbinary.h"

using pnn::simd::Scalar1;

#define PNN_SCALAR_VBINARY(fn, Op, form)                                     \
  extern "C" void fn(size_t n, const float* a, const float* b, float* y,     \
                     const pnn_f32_minmax_params* params) {                  \
    pnn::simd::vbinary<Scalar1, pnn::simd::Op, form, 4>(n, a, b, y, params); \
  }

PNN_SCALAR_VBINARY(pnn_f32_vadd_minmax_ukernel__scalar_u4, VAddOp, pnn_vbinary_vop)
PNN_SCALAR_VBINARY(pnn_f32_vaddc_minmax_ukernel__scalar_u4, VAddOp, pnn_vbinary_vopc)
PNN_SCALAR_VBINARY(pnn_f32_vsub_minmax_ukernel__scalar_u4, VSubOp, pnn_vbinary_vop)
PNN_SCALAR_VBINARY(pnn_f32_vsubc_minmax_ukernel__scalar_u4, VSubOp, pnn_vbinary_vopc)
PNN_SCALAR_VBINARY(pnn_f32_vrsubc_minmax_ukernel__scalar_u4, VSubOp, pnn_vbinary_vropc)
PNN_SCALAR_VBINARY(pnn_f32_vmul_minmax_ukernel__scalar_u4, VMulOp, pnn_vbinary_vop)
PNN_SCALAR_VBINARY(pnn_f32_vmulc_minmax_ukernel__scalar_u4, VMulOp, pnn_vbinary_vopc)
PNN_SCALAR_VBINARY(pnn_f32_vdiv_minmax_ukernel__scalar_u4, VDivOp, pnn_vbinary_vop)
PNN_SCALAR_VBINARY(pnn_f32_vdivc_minmax_ukernel__scalar_u4, VDivOp, pnn_vbinary_vopc)
PNN_SCALAR_VBINARY(pnn_f32_vrdivc_minmax_ukernel__scalar_u4, VDivOp, pnn_vbinary_vropc)
PNN_SCALAR_VBINARY(pnn_f32_vmin_minmax_ukernel__scalar_u4, VMinOp, pnn_vbinary_vop)
PNN_SCALAR_VBINARY(pnn_f32_vminc_minmax_ukernel__scalar_u4, VMinOp, pnn_vbinary_vopc)
PNN_SCALAR_VBINARY(pnn_f32_vmax_minmax_ukernel__scalar_u4, VMaxOp, pnn_vbinary_vop)
PNN_SCALAR_VBINARY(pnn_f32_vmaxc_minmax_ukernel__scalar_u4, VMaxOp, pnn_vbinary_vopc)
PNN_SCALAR_VBINARY(pnn_f32_vsqrdiff_minmax_ukernel__scalar_u4, VSqrDiffOp, pnn_vbinary_vop)
PNN_SCALAR_VBINARY(pnn_f32_vsqrdiffc_minmax_ukernel__scalar_u4, VSqrDiffOp, pnn_vbinary_vopc)
#undef PNN_SCALAR_VBINARY
