// Softmax microkernels (row maximum, exp-and-sum, scale) as templates over a vector wrapper W
// (kernels/simd/vec-*.h) and the number U of vectors per main-loop iteration. Contracts:
// kernels/ukernels-softmax.h.
//
// exp is kernels/simd/math-template.h's exp in its nonpositive form (x - max <= 0), which gives
// approx::exp's bits, so the stored exponentials equal the scalar kernel's bit for bit with a
// mul-add wrapper. The sum is taken in a fixed order (U vector accumulators, added pairwise, then
// lane by lane, then the tail), so it depends on n and the vector width only: reproducible, and
// for the scalar kernel (U = 4 one-lane accumulators, the tail into the first) the order
// (s0 + s1) + (s2 + s3); wider levels round the sum differently.
#pragma once

#include <cstddef>

#include "simd/common-template.h"
#include "simd/math-template.h"

namespace pnn {
namespace simd {

// Sums acc[0, COUNT) pairwise: (a0 + a1) + (a2 + a3) ... in a fixed tree.
template <class W, size_t COUNT>
PNN_SIMD_INLINE typename W::V tree_sum(const typename W::V* acc) {
  if constexpr (COUNT == 1) {
    return acc[0];
  } else {
    constexpr size_t H = COUNT / 2;
    return W::add(tree_sum<W, H>(acc), tree_sum<W, COUNT - H>(acc + H));
  }
}

template <class W, size_t U>
void rmax(size_t n, const float* x, float* max) {
  using V = typename W::V;
  constexpr size_t N = W::N;
  if (n < N) {
    float m = x[0];
    for (size_t i = 1; i < n; i++) m = x[i] > m ? x[i] : m;
    *max = m;
    return;
  }
  V acc[U];
  static_for<U>([&](auto u) PNN_SIMD_LAMBDA_INLINE { acc[u] = W::loadu(x); });
  const float* p = x;
  size_t left = n;
  for (; left >= U * N; left -= U * N, p += U * N) {
    static_for<U>([&](auto u)
                      PNN_SIMD_LAMBDA_INLINE { acc[u] = W::pmax(acc[u], W::loadu(p + u * N)); });
  }
  for (; left >= N; left -= N, p += N) acc[0] = W::pmax(acc[0], W::loadu(p));
  // The last partial vector: re-read the row's last N elements (a maximum does not mind
  // duplicates), so no lane needs a neutral value.
  if (left != 0) acc[0] = W::pmax(acc[0], W::loadu(x + n - N));
  static_for<U - 1>([&](auto u) PNN_SIMD_LAMBDA_INLINE { acc[0] = W::pmax(acc[0], acc[u + 1]); });
  *max = W::reduce_max(acc[0]);
}

template <class W, size_t U>
void raddstoreexpminusmax(size_t n, const float* x, float max, float* y, float* sum) {
  using V = typename W::V;
  constexpr size_t N = W::N;
  const V vmax = W::splat(max);
  V acc[U];
  static_for<U>([&](auto u) PNN_SIMD_LAMBDA_INLINE { acc[u] = W::zero(); });
  for (; n >= U * N; n -= U * N, x += U * N, y += U * N) {
    V e[U];
    static_for<U>([&](auto u) PNN_SIMD_LAMBDA_INLINE { e[u] = W::loadu(x + u * N); });
    static_for<U>([&](auto u) PNN_SIMD_LAMBDA_INLINE {
      e[u] = VMath<W>::exp_nonpositive(W::sub(e[u], vmax));
      acc[u] = W::add(acc[u], e[u]);
    });
    static_for<U>([&](auto u) PNN_SIMD_LAMBDA_INLINE { W::storeu(y + u * N, e[u]); });
  }
  for (; n >= N; n -= N, x += N, y += N) {
    const V e = VMath<W>::exp_nonpositive(W::sub(W::loadu(x), vmax));
    W::storeu(y, e);
    acc[0] = W::add(acc[0], e);
  }
  float s = W::reduce_add(tree_sum<W, U>(acc));
  if (n != 0) {
    // The padding lanes of a partial load would add exp(-max): sum what was stored instead.
    const V e = VMath<W>::exp_nonpositive(W::sub(W::load_partial(x, n), vmax));
    W::store_partial(y, e, n);
    for (size_t i = 0; i < n; i++) s += y[i];
  }
  *sum = s;
}

template <class W, size_t U>
void vscale(size_t n, const float* x, float scale, float* y) {
  using V = typename W::V;
  constexpr size_t N = W::N;
  const V vs = W::splat(scale);
  for (; n >= U * N; n -= U * N, x += U * N, y += U * N) {
    V v[U];
    static_for<U>([&](auto u) PNN_SIMD_LAMBDA_INLINE { v[u] = W::loadu(x + u * N); });
    static_for<U>([&](auto u) PNN_SIMD_LAMBDA_INLINE { W::storeu(y + u * N, W::mul(v[u], vs)); });
  }
  for (; n >= N; n -= N, x += N, y += N) W::storeu(y, W::mul(W::loadu(x), vs));
  if constexpr (N > 1) {
    if (n != 0) W::store_partial(y, W::mul(W::load_partial(x, n), vs), n);
  }
}

}  // namespace simd
}  // namespace pnn
