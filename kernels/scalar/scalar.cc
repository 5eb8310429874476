// The scalar level, the reference every other level is tested against: every scalar registry
// line, defined by kernels/instances.h over the one-lane wrapper kernels/simd/vec-scalar.h.
// Multiply-add rounds twice and min / max are std::min / std::max, so the SIMD levels without
// FMA give these bits exactly. Channel tiles c4 and c1 reduce in the same order (same bits).
#define PNN_REGISTRY_INSTANTIATE PNN_LEVEL_SCALAR
#include "simd/vec-scalar.h"

#define PNN_WRAPPER(arch) pnn::simd::Scalar1
// GEMM: the plain 4-row tile also for the last rows of M (rows past m alias row m - 1): one lane
// makes the extra rows cheap, while the tail tiles of gemm_rows would cost the scalar .wasm (the
// library for engines without SIMD) 1.5 KB gzipped.
#define PNN_GEMM_TEMPLATE gemm
#define PNN_IGEMM_TEMPLATE igemm
#include "instances.h"
#include "ibilinear-instances.h"

// Reductions and normalizations (kernels/instances-norm.h).
#include "instances-norm.h"
