// x86-64 SSE2 (no FMA: multiply then add, as the scalar kernels) depthwise-convolution
// microkernels: instantiations of kernels/simd/dwconv-template.h over kernels/simd/vec-sse2.h. The
// unrolled ones (4, 9, 25 taps) are tile-major (dwconv_tile_major: a channel tile's weights held in
// registers across a block of 16 pixels, P pixels at a time sharing their row loads at stride
// 1); the generic one is the shared pixel-major template. Measurements: kernels/f32-dwconv.inc.
#include "simd/dwconv-template.h"
#include "simd/vec-sse2.h"
#include "ukernels-dwconv.h"
#include "x86/instances.h"

using pnn::simd::Sse2;

// 16 registers: 9p8c's 20 weight vectors do not all fit (some are reloaded from the stack), yet
// two vectors per tap beat one (9p4c, 4 pixels at a time) on 3 of the 4 suite shapes.
PNN_X86_DWCONV(Sse2, pnn_f32_dwconv_minmax_ukernel_4p8c__sse2, 4, 8, 2)
PNN_X86_DWCONV(Sse2, pnn_f32_dwconv_minmax_ukernel_9p8c__sse2, 9, 8, 2)
PNN_X86_DWCONV(Sse2, pnn_f32_dwconv_minmax_ukernel_25p4c__sse2, 25, 4, 2)
PNN_X86_DWCONV_ANY(Sse2, pnn_f32_dwconv_minmax_ukernel_anyp8c__sse2, 8)
