// Reduction and normalization microkernels (kernels/ukernels-norm.h) as templates over a vector
// wrapper W (kernels/simd/vec-*.h) and the number U of vectors per main-loop iteration.
//
// Two shapes of loop serve the four lists, each written once:
//  - rfold: folds map(x[i]) over a row with a combining op (sum, max, min). U accumulators over
//    whole vectors, combined pairwise (tree_sum's order for a sum), then across lanes, then the
//    tail. A sum starts its accumulators at zero and adds the tail one element at a time in
//    index order; max and min (idempotent) start from the first vector and re-read the row's last
//    N elements for the tail, so no lane ever needs a neutral value (no -inf stands in for an
//    element). rreduce maps with the identity, rsumsqdev with (x - c)^2.
//  - vmap: y[i] = f(x[i], p[i], q[i]) with U vectors per iteration, every input of the group
//    loaded before any output is stored (so y may equal x), then single vectors, then one partial
//    vector reading and writing exactly the remaining elements. vnorm and vprelu are its f.
#pragma once

#include <cstddef>

#include "simd/common-template.h"
#include "simd/softmax-template.h"  // tree_sum
#include "ukernels-norm.h"

namespace pnn {
namespace simd {

// The combining ops: a vector form, a one-float form (the same expression), and whether
// repeating an element leaves the result unchanged.
template <class W>
struct FoldSum {
  static constexpr bool kIdempotent = false;
  static PNN_SIMD_INLINE typename W::V vec(typename W::V a, typename W::V b) { return W::add(a, b); }
  static PNN_SIMD_INLINE float one(float a, float b) { return a + b; }
};
template <class W>
struct FoldMax {
  static constexpr bool kIdempotent = true;
  static PNN_SIMD_INLINE typename W::V vec(typename W::V a, typename W::V b) { return W::pmax(a, b); }
  static PNN_SIMD_INLINE float one(float a, float b) { return a < b ? b : a; }
};
template <class W>
struct FoldMin {
  static constexpr bool kIdempotent = true;
  static PNN_SIMD_INLINE typename W::V vec(typename W::V a, typename W::V b) { return W::pmin(a, b); }
  static PNN_SIMD_INLINE float one(float a, float b) { return b < a ? b : a; }
};

// Folds map(x[i]) for i < n (n >= 1) with Op; map1 is map on one float.
template <class W, template <class> class Op, size_t U, class Map, class Map1>
PNN_SIMD_INLINE float rfold(size_t n, const float* x, Map map, Map1 map1) {
  using V = typename W::V;
  using O = Op<W>;
  constexpr size_t N = W::N;
  if (n < N) {  // shorter than one vector: element by element
    float r = map1(x[0]);
    for (size_t i = 1; i < n; i++) r = O::one(r, map1(x[i]));
    return r;
  }
  V acc[U];
  const V first = map(W::loadu(x));
  static_for<U>([&](auto u) PNN_SIMD_LAMBDA_INLINE { acc[u] = O::kIdempotent ? first : W::zero(); });
  const float* p = x;
  size_t left = n;
  for (; left >= U * N; left -= U * N, p += U * N) {
    static_for<U>([&](auto u) PNN_SIMD_LAMBDA_INLINE {
      acc[u] = O::vec(acc[u], map(W::loadu(p + u * N)));
    });
  }
  for (; left >= N; left -= N, p += N) acc[0] = O::vec(acc[0], map(W::loadu(p)));
  if (O::kIdempotent && left != 0) acc[0] = O::vec(acc[0], map(W::loadu(x + n - N)));
  float r;
  if constexpr (O::kIdempotent) {
    static_for<U - 1>([&](auto u) PNN_SIMD_LAMBDA_INLINE { acc[0] = O::vec(acc[0], acc[u + 1]); });
    float lanes[N];
    W::storeu(lanes, acc[0]);
    r = lanes[0];
    for (size_t i = 1; i < N; i++) r = O::one(r, lanes[i]);
  } else {
    r = W::reduce_add(tree_sum<W, U>(acc));
    for (; left != 0; left--, p++) r = O::one(r, map1(*p));
  }
  return r;
}

template <class W, int OP, size_t U>
void rreduce(size_t n, const float* x, float* out) {
  auto same = [](typename W::V v) PNN_SIMD_LAMBDA_INLINE { return v; };
  auto same1 = [](float v) PNN_SIMD_LAMBDA_INLINE { return v; };
  if constexpr (OP == pnn_rreduce_sum) {
    *out = rfold<W, FoldSum, U>(n, x, same, same1);
  } else if constexpr (OP == pnn_rreduce_max) {
    *out = rfold<W, FoldMax, U>(n, x, same, same1);
  } else {
    static_assert(OP == pnn_rreduce_min, "unknown rreduce op");
    *out = rfold<W, FoldMin, U>(n, x, same, same1);
  }
}

template <class W, size_t U>
void rsumsqdev(size_t n, const float* x, float c, float* out) {
  const typename W::V vc = W::splat(c);
  auto sq = [&](typename W::V v) PNN_SIMD_LAMBDA_INLINE {
    const typename W::V d = W::sub(v, vc);
    return W::mul(d, d);
  };
  auto sq1 = [&](float v) PNN_SIMD_LAMBDA_INLINE {
    const float d = v - c;
    return d * d;
  };
  *out = rfold<W, FoldSum, U>(n, x, sq, sq1);
}

// y[i] = f(x[i], p[i], q[i]) for i < n.
template <class W, size_t U, class F>
PNN_SIMD_INLINE void vmap(size_t n, const float* x, const float* p, const float* q, float* y,
                          F f) {
  using V = typename W::V;
  constexpr size_t N = W::N;
  for (; n >= U * N; n -= U * N, x += U * N, p += U * N, q += U * N, y += U * N) {
    V vx[U], vp[U], vq[U];
    static_for<U>([&](auto u) PNN_SIMD_LAMBDA_INLINE {
      vx[u] = W::loadu(x + u * N);
      vp[u] = W::loadu(p + u * N);
      vq[u] = W::loadu(q + u * N);
    });
    static_for<U>([&](auto u) PNN_SIMD_LAMBDA_INLINE { W::storeu(y + u * N, f(vx[u], vp[u], vq[u])); });
  }
  if constexpr (U > 1) {
    for (; n >= N; n -= N, x += N, p += N, q += N, y += N) {
      W::storeu(y, f(W::loadu(x), W::loadu(p), W::loadu(q)));
    }
  }
  if constexpr (N > 1) {
    if (n != 0) {
      W::store_partial(y, f(W::load_partial(x, n), W::load_partial(p, n), W::load_partial(q, n)),
                       n);
    }
  }
}

template <class W, size_t U>
void vnorm(size_t n, const float* x, float mean, float scale, const float* gamma,
           const float* beta, float* y) {
  using V = typename W::V;
  const V vmean = W::splat(mean), vscale = W::splat(scale);
  vmap<W, U>(n, x, gamma, beta, y, [&](V v, V g, V b) PNN_SIMD_LAMBDA_INLINE {
    return W::muladd(W::mul(W::sub(v, vmean), vscale), g, b);
  });
}

// The slope is passed as both vectors of vmap (the second load is of the same address).
template <class W, size_t U>
void vprelu(size_t n, const float* x, const float* slope, float* y) {
  using V = typename W::V;
  const V vzero = W::zero();
  vmap<W, U>(n, x, slope, slope, y, [&](V v, V s, V) PNN_SIMD_LAMBDA_INLINE {
    return W::select(W::lt(v, vzero), W::mul(v, s), v);
  });
}

}  // namespace simd
}  // namespace pnn
