// Small helpers shared by the kernel templates in kernels/simd/.
#pragma once

#include <cstddef>
#include <type_traits>
#include <utility>

// The kernel templates are built from small helpers and lambdas that must all inline into one
// function: otherwise the register tile is passed through memory and every step spills it.
#if defined(__GNUC__) || defined(__clang__)
#define PNN_SIMD_INLINE inline __attribute__((always_inline))
#define PNN_SIMD_LAMBDA_INLINE __attribute__((always_inline))
#else
#define PNN_SIMD_INLINE inline
#define PNN_SIMD_LAMBDA_INLINE
#endif

namespace pnn {
namespace simd {

// Calls f(std::integral_constant<size_t, I>{}) for I = 0 .. COUNT-1, unrolled at compile time, so
// that a lane index can be a template argument (dup_lane<I>) and register arrays are only ever
// indexed by constants (which keeps them in registers). Lambdas passed here should be marked
// PNN_SIMD_LAMBDA_INLINE.
template <size_t... I, class F>
PNN_SIMD_INLINE void static_for_impl(std::index_sequence<I...>, F&& f) {
  (f(std::integral_constant<size_t, I>{}), ...);
}
template <size_t COUNT, class F>
PNN_SIMD_INLINE void static_for(F&& f) {
  static_for_impl(std::make_index_sequence<COUNT>{}, std::forward<F>(f));
}

// Stores v to p[0, count) where count may be anything: a whole vector when count >= N, a partial
// one when 0 < count < N, nothing otherwise. For the tails of register tiles whose vectors are
// laid out at p, p + N, p + 2N, ...: call with count = remaining - j*N (as a signed quantity).
template <class W>
PNN_SIMD_INLINE void store_tail(float* p, typename W::V v, ptrdiff_t count) {
  if (count >= static_cast<ptrdiff_t>(W::N)) {
    W::storeu(p, v);
  } else if (count > 0) {
    W::store_partial(p, v, static_cast<size_t>(count));
  }
}

}  // namespace simd
}  // namespace pnn
