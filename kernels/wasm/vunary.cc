// WebAssembly SIMD128 unary elementwise microkernels: instantiations of
// kernels/simd/vunary-template.h. Clamp comes in both min/max flavors (see
// kernels/simd/vec-wasm128.h); the other ops do not depend on the flavor.
#include "simd/vec-wasm128.h"
#include "simd/vunary-template.h"
#include "ukernels.h"

using pnn::simd::Wasm128;
using pnn::simd::Wasm128Arm;

#define PNN_WASM_VUNARY(fn, W, Op, unroll)                                                     \
  extern "C" void fn(size_t n, const float* x, float* y, const pnn_f32_unary_params* params) { \
    pnn::simd::vunary<W, pnn::simd::Op, unroll>(n, x, y, params);                              \
  }

PNN_WASM_VUNARY(pnn_f32_vclamp_ukernel__wasmsimd_x86_u16, Wasm128, VClampOp, 4)
PNN_WASM_VUNARY(pnn_f32_vclamp_ukernel__wasmsimd_arm_u16, Wasm128Arm, VClampOp, 4)
PNN_WASM_VUNARY(pnn_f32_vlrelu_ukernel__wasmsimd_u16, Wasm128, VLeakyReluOp, 4)
PNN_WASM_VUNARY(pnn_f32_vabs_ukernel__wasmsimd_u16, Wasm128, VAbsOp, 4)
PNN_WASM_VUNARY(pnn_f32_vneg_ukernel__wasmsimd_u16, Wasm128, VNegOp, 4)
PNN_WASM_VUNARY(pnn_f32_vsqr_ukernel__wasmsimd_u16, Wasm128, VSquareOp, 4)
PNN_WASM_VUNARY(pnn_f32_vsqrt_ukernel__wasmsimd_u8, Wasm128, VSqrtOp, 2)
PNN_WASM_VUNARY(pnn_f32_vhswish_ukernel__wasmsimd_u16, Wasm128, VHardSwishOp, 4)
PNN_WASM_VUNARY(pnn_f32_velu_ukernel__wasmsimd_u16, Wasm128, VEluOp, 4)
PNN_WASM_VUNARY(pnn_f32_vexp_ukernel__wasmsimd_u16, Wasm128, VExpOp, 4)
PNN_WASM_VUNARY(pnn_f32_vsigmoid_ukernel__wasmsimd_u16, Wasm128, VSigmoidOp, 4)
PNN_WASM_VUNARY(pnn_f32_vtanh_ukernel__wasmsimd_u16, Wasm128, VTanhOp, 4)
PNN_WASM_VUNARY(pnn_f32_vgelu_ukernel__wasmsimd_u16, Wasm128, VGeluOp, 4)
PNN_WASM_VUNARY(pnn_f32_vgelutanh_ukernel__wasmsimd_u16, Wasm128, VGeluTanhOp, 4)
PNN_WASM_VUNARY(pnn_f32_vsilu_ukernel__wasmsimd_u16, Wasm128, VSiluOp, 4)
#undef PNN_WASM_VUNARY
