// The transcendental approximations of kernels/math-constants.h (documented there: what each
// computes, its constants, its error bound), one float at a time, for the tests and any scalar
// caller: VMath (kernels/simd/math-template.h) over the one-lane wrapper, exactly as the scalar
// kernels compute them. Includes the template, which includes only the constants (no cycle).
#pragma once

#include "math-constants.h"
#include "simd/math-template.h"
#include "simd/vec-scalar.h"

namespace pnn {
namespace approx {

inline float exp(float x) { return simd::VMath<simd::Scalar1>::exp(x); }
inline float expm1_nonpositive(float x) {  // x <= 0
  return simd::VMath<simd::Scalar1>::expm1_nonpositive(x);
}
inline float sigmoid(float x) { return simd::VMath<simd::Scalar1>::sigmoid(x); }
inline float tanh(float x) { return simd::VMath<simd::Scalar1>::tanh(x); }
inline float gelu(float x) { return simd::VMath<simd::Scalar1>::gelu(x); }
inline float gelu_tanh(float x) { return simd::VMath<simd::Scalar1>::gelu_tanh(x); }
inline float silu(float x) { return simd::VMath<simd::Scalar1>::silu(x); }
inline float erf(float x) { return simd::VMath<simd::Scalar1>::erf(x); }
inline float log(float x) { return simd::VMath<simd::Scalar1>::log(x); }
inline float sin(float x) { return simd::VMath<simd::Scalar1>::sin(x); }
inline float cos(float x) { return simd::VMath<simd::Scalar1>::cos(x); }
inline float softplus(float x) { return simd::VMath<simd::Scalar1>::softplus(x); }
inline float pow(float a, float b) { return simd::VMath<simd::Scalar1>::pow(a, b); }

}  // namespace approx
}  // namespace pnn
