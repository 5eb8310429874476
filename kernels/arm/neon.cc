// The AArch64 NEON level (Advanced SIMD with FMA is ARMv8-A's baseline: no ISA flag): every NEON
// registry line, defined by kernels/instances.h over kernels/simd/vec-neon.h. Lines named
// __neonfma use fused multiply-add; min / max are FMIN / FMAX.
#define PNN_REGISTRY_INSTANTIATE PNN_LEVEL_NEON
#include "simd/vec-neon.h"

#define PNN_WRAPPER(arch) pnn::simd::Neon
#include "instances.h"
#include "ibilinear-instances.h"

// Reductions and normalizations (kernels/instances-norm.h).
#include "instances-norm.h"
