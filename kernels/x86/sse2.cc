// The x86-64 SSE2 level (the x86-64 baseline: no ISA flag): every SSE2 registry line, defined by
// kernels/instances.h over kernels/simd/vec-sse2.h. No FMA: multiply then add, as the scalar
// kernels, so the results are the scalar ones bit for bit.
#define PNN_REGISTRY_INSTANTIATE PNN_LEVEL_SSE2
#include "simd/vec-sse2.h"

#define PNN_WRAPPER(arch) pnn::simd::Sse2
// Average pooling unrolls the 2x2 and 3x3 windows (same adds, same order) on every x86 level.
#define PNN_AVGPOOL_TEMPLATE avgpool_unrolled
// Depthwise kernels with a fixed tap count are tile-major, 2 pixels sharing their row loads: the
// 16 xmm registers do not hold 9p8c's 20 weight vectors, yet two vectors per tap beat one.
#define PNN_DWCONV_DEFAULT_PIXELS 2
#include "instances.h"
#include "ibilinear-instances.h"

// Reductions and normalizations (kernels/instances-norm.h).
#include "instances-norm.h"
