// Scalar unary elementwise microkernels, one per pnn_unary_op (plus GELU's tanh form).
//
// Every kernel walks four elements per main-loop iteration, loading all four before storing
// any so that y == x (in place) is safe, then finishes the remainder one at a time. The
// transcendental ones evaluate the approximations of math-approx.h, which the SIMD levels
// mirror lane for lane; their error bounds are documented there.
#include <cmath>

#include "math-approx.h"
#include "ukernels.h"

namespace {

namespace ax = pnn::approx;

// y[i] = f(x[i]) for i < n, four at a time.
template <typename F>
inline void map_u4(size_t n, const float* x, float* y, F f) {
  for (; n >= 4; n -= 4, x += 4, y += 4) {
    const float v0 = x[0], v1 = x[1], v2 = x[2], v3 = x[3];
    y[0] = f(v0);
    y[1] = f(v1);
    y[2] = f(v2);
    y[3] = f(v3);
  }
  for (; n != 0; n--) *y++ = f(*x++);
}

constexpr float kOneSixth = 0x1.555556p-3f;

}  // namespace

extern "C" void pnn_f32_vclamp_ukernel__scalar_u4(size_t n, const float* x, float* y,
                                                  const pnn_f32_unary_params* params) {
  const float vmin = params->min, vmax = params->max;
  // max then min, as std::max/std::min would: NaN behaviour of clamp is unspecified.
  map_u4(n, x, y, [=](float v) {
    v = v < vmin ? vmin : v;
    return vmax < v ? vmax : v;
  });
}

extern "C" void pnn_f32_vlrelu_ukernel__scalar_u4(size_t n, const float* x, float* y,
                                                  const pnn_f32_unary_params* params) {
  const float slope = params->slope;
  // NaN fails the comparison and takes the scaled branch, which keeps it NaN.
  map_u4(n, x, y, [=](float v) { return v >= 0.0f ? v : v * slope; });
}

extern "C" void pnn_f32_velu_ukernel__scalar_u4(size_t n, const float* x, float* y,
                                                const pnn_f32_unary_params* params) {
  const float alpha = params->alpha;
  // expm1 sees min(x, 0) so that its domain holds for every lane of a SIMD mirror; NaN passes.
  map_u4(n, x, y, [=](float v) {
    const float m = alpha * ax::expm1_nonpositive(ax::min_keep_nan(v, 0.0f));
    return v >= 0.0f ? v : m;
  });
}

extern "C" void pnn_f32_vsigmoid_ukernel__scalar_u4(size_t n, const float* x, float* y,
                                                    const pnn_f32_unary_params*) {
  map_u4(n, x, y, [](float v) { return ax::sigmoid(v); });
}

extern "C" void pnn_f32_vtanh_ukernel__scalar_u4(size_t n, const float* x, float* y,
                                                 const pnn_f32_unary_params*) {
  map_u4(n, x, y, [](float v) { return ax::tanh(v); });
}

extern "C" void pnn_f32_vhswish_ukernel__scalar_u4(size_t n, const float* x, float* y,
                                                   const pnn_f32_unary_params*) {
  // x * (relu6(x + 3) / 6): the gate is at most 1 (6 * kOneSixth rounds to exactly 1), so large
  // x never overflow and x >= 3 come out exactly; -inf meets a zero gate through -FLT_MAX.
  map_u4(n, x, y, [](float v) {
    const float gate = ax::min_keep_nan(ax::max_keep_nan(v + 3.0f, 0.0f), 6.0f) * kOneSixth;
    return ax::max_keep_nan(v, -ax::kFloatMax) * gate;
  });
}

extern "C" void pnn_f32_vgelu_ukernel__scalar_u4(size_t n, const float* x, float* y,
                                                 const pnn_f32_unary_params*) {
  map_u4(n, x, y, [](float v) { return ax::gelu(v); });
}

extern "C" void pnn_f32_vgelutanh_ukernel__scalar_u4(size_t n, const float* x, float* y,
                                                     const pnn_f32_unary_params*) {
  map_u4(n, x, y, [](float v) { return ax::gelu_tanh(v); });
}

extern "C" void pnn_f32_vsilu_ukernel__scalar_u4(size_t n, const float* x, float* y,
                                                 const pnn_f32_unary_params*) {
  map_u4(n, x, y, [](float v) { return ax::silu(v); });
}

extern "C" void pnn_f32_vabs_ukernel__scalar_u4(size_t n, const float* x, float* y,
                                                const pnn_f32_unary_params*) {
  map_u4(n, x, y, [](float v) { return ax::abs_bits(v); });
}

extern "C" void pnn_f32_vneg_ukernel__scalar_u4(size_t n, const float* x, float* y,
                                                const pnn_f32_unary_params*) {
  map_u4(n, x, y, [](float v) { return -v; });
}

extern "C" void pnn_f32_vsqr_ukernel__scalar_u4(size_t n, const float* x, float* y,
                                                const pnn_f32_unary_params*) {
  map_u4(n, x, y, [](float v) { return v * v; });
}

extern "C" void pnn_f32_vsqrt_ukernel__scalar_u4(size_t n, const float* x, float* y,
                                                 const pnn_f32_unary_params*) {
  // Correctly rounded by IEEE 754 (one instruction on every target); NaN for x < 0.
  map_u4(n, x, y, [](float v) { return std::sqrt(v); });
}

extern "C" void pnn_f32_vexp_ukernel__scalar_u4(size_t n, const float* x, float* y,
                                                const pnn_f32_unary_params*) {
  map_u4(n, x, y, [](float v) { return ax::exp(v); });
}
