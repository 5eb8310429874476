// The bilinear-interpolation microkernel (contract: kernels/ukernels-ibilinear.h) as one template
// over a vector wrapper W (kernels/simd/vec-*.h) and the channel block CT (a multiple of W::N).
// A pixel's channels go CT at a time, then one vector at a time, the last with partial loads and
// stores, so the rows are read for exactly `channels` floats and nothing past the output pixel
// is written. Every channel is computed by the same three multiply-adds whatever the block, so
// CT never changes the bits (scalar c1 and c2 agree exactly).
#pragma once

#include <cstddef>

#include "simd/common-template.h"

namespace pnn {
namespace simd {

template <class W>
struct Lerp2D {
  using V = typename W::V;
  V ax, ay;
  // The four corners at channel offset c (count: floats to load, < N for the partial tail).
  PNN_SIMD_INLINE V at(const float* tl, const float* tr, const float* bl, const float* br,
                       size_t count) const {
    const V vtl = load(tl, count), vtr = load(tr, count);
    const V vbl = load(bl, count), vbr = load(br, count);
    const V top = W::muladd(ax, W::sub(vtr, vtl), vtl);
    const V bottom = W::muladd(ax, W::sub(vbr, vbl), vbl);
    return W::muladd(ay, W::sub(bottom, top), top);
  }
  static PNN_SIMD_INLINE V load(const float* p, size_t count) {
    return count >= W::N ? W::loadu(p) : W::load_partial(p, count);
  }
};

template <class W, size_t CT>
void ibilinear(size_t pixels, size_t channels, const float* top, const float* bottom,
               const size_t* columns, const float* alpha_x, float alpha_y, float* output) {
  constexpr size_t N = W::N;
  static_assert(CT % N == 0, "the channel block is whole vectors");
  Lerp2D<W> lerp{W::splat(0.0f), W::splat(alpha_y)};
  for (size_t p = 0; p < pixels; p++) {
    const float* tl = top + columns[2 * p];
    const float* tr = top + columns[2 * p + 1];
    const float* bl = bottom + columns[2 * p];
    const float* br = bottom + columns[2 * p + 1];
    lerp.ax = W::splat(alpha_x[p]);
    size_t c = 0;
    for (; c + CT <= channels; c += CT) {
      static_for<CT / N>([&](auto j) PNN_SIMD_LAMBDA_INLINE {
        const size_t o = c + j * N;
        W::storeu(output + o, lerp.at(tl + o, tr + o, bl + o, br + o, N));
      });
    }
    for (; c < channels; c += N) {
      const size_t count = channels - c < N ? channels - c : N;
      store_tail<W>(output + c, lerp.at(tl + c, tr + c, bl + c, br + c, count),
                    static_cast<ptrdiff_t>(count));
    }
    output += channels;
  }
}

}  // namespace simd
}  // namespace pnn
