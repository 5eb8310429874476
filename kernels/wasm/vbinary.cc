// WebAssembly SIMD128 binary elementwise microkernels: instantiations of
// kernels/simd/vbinary-template.h. Minimum and maximum come in both min/max flavors (see
// kernels/simd/vec-wasm128.h); the other ops do not depend on the flavor.
#include "simd/vbinary-template.h"
#include "simd/vec-wasm128.h"

using pnn::simd::Wasm128;
using pnn::simd::Wasm128Arm;

#define PNN_WASM_VBINARY(fn, W, Op, form)                                \
  extern "C" void fn(size_t n, const float* a, const float* b, float* y, \
                     const pnn_f32_minmax_params* params) {              \
    pnn::simd::vbinary<W, pnn::simd::Op, form, 4>(n, a, b, y, params);   \
  }

PNN_WASM_VBINARY(pnn_f32_vadd_minmax_ukernel__wasmsimd_u16, Wasm128, VAddOp, pnn_vbinary_vop)
PNN_WASM_VBINARY(pnn_f32_vaddc_minmax_ukernel__wasmsimd_u16, Wasm128, VAddOp, pnn_vbinary_vopc)
PNN_WASM_VBINARY(pnn_f32_vsub_minmax_ukernel__wasmsimd_u16, Wasm128, VSubOp, pnn_vbinary_vop)
PNN_WASM_VBINARY(pnn_f32_vsubc_minmax_ukernel__wasmsimd_u16, Wasm128, VSubOp, pnn_vbinary_vopc)
PNN_WASM_VBINARY(pnn_f32_vrsubc_minmax_ukernel__wasmsimd_u16, Wasm128, VSubOp, pnn_vbinary_vropc)
PNN_WASM_VBINARY(pnn_f32_vmul_minmax_ukernel__wasmsimd_u16, Wasm128, VMulOp, pnn_vbinary_vop)
PNN_WASM_VBINARY(pnn_f32_vmulc_minmax_ukernel__wasmsimd_u16, Wasm128, VMulOp, pnn_vbinary_vopc)
PNN_WASM_VBINARY(pnn_f32_vdiv_minmax_ukernel__wasmsimd_u16, Wasm128, VDivOp, pnn_vbinary_vop)
PNN_WASM_VBINARY(pnn_f32_vdivc_minmax_ukernel__wasmsimd_u16, Wasm128, VDivOp, pnn_vbinary_vopc)
PNN_WASM_VBINARY(pnn_f32_vrdivc_minmax_ukernel__wasmsimd_u16, Wasm128, VDivOp, pnn_vbinary_vropc)
PNN_WASM_VBINARY(pnn_f32_vmin_minmax_ukernel__wasmsimd_x86_u16, Wasm128, VMinOp, pnn_vbinary_vop)
PNN_WASM_VBINARY(pnn_f32_vminc_minmax_ukernel__wasmsimd_x86_u16, Wasm128, VMinOp, pnn_vbinary_vopc)
PNN_WASM_VBINARY(pnn_f32_vmax_minmax_ukernel__wasmsimd_x86_u16, Wasm128, VMaxOp, pnn_vbinary_vop)
PNN_WASM_VBINARY(pnn_f32_vmaxc_minmax_ukernel__wasmsimd_x86_u16, Wasm128, VMaxOp, pnn_vbinary_vopc)
PNN_WASM_VBINARY(pnn_f32_vmin_minmax_ukernel__wasmsimd_arm_u16, Wasm128Arm, VMinOp, pnn_vbinary_vop)
PNN_WASM_VBINARY(pnn_f32_vminc_minmax_ukernel__wasmsimd_arm_u16, Wasm128Arm, VMinOp,
                 pnn_vbinary_vopc)
PNN_WASM_VBINARY(pnn_f32_vmax_minmax_ukernel__wasmsimd_arm_u16, Wasm128Arm, VMaxOp, pnn_vbinary_vop)
PNN_WASM_VBINARY(pnn_f32_vmaxc_minmax_ukernel__wasmsimd_arm_u16, Wasm128Arm, VMaxOp,
                 pnn_vbinary_vopc)
PNN_WASM_VBINARY(pnn_f32_vsqrdiff_minmax_ukernel__wasmsimd_u16, Wasm128, VSqrDiffOp,
                 pnn_vbinary_vop)
PNN_WASM_VBINARY(pnn_f32_vsqrdiffc_minmax_ukernel__wasmsimd_u16, Wasm128, VSqrDiffOp,
                 pnn_vbinary_vopc)
#undef PNN_WASM_VBINARY
