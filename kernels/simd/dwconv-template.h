// Depthwise-convolution microkernels as templates over a vector wrapper W (kernels/simd/vec-*.h),
// the tap count (0: any, taken at run time) and the channel tile CT (a multiple of W::N).
// Contract and memory-access rules: kernels/ukernels-dwconv.h.
//
// Accumulation order is fixed (bias, then taps 0, 1, ...), so with a mul-add wrapper the results
// equal the scalar kernels' (this template over vec-scalar.h) bit for bit. The channel remainder
// (channels % CT) is walked one vector at a time, the last one with partial loads of the
// input rows (which end at `channels`) and a partial store; weights and the zero row are read
// as whole tiles, as the contract allows.
#pragma once

#include <cstddef>

#include "params.h"
#include "simd/common-template.h"

namespace pnn {
namespace simd {

template <class W, size_t TAPS, size_t CT>
void dwconv(size_t channels, size_t output_width, size_t ks, const float** input,
            const float* weights, float* output, size_t input_increment, size_t output_stride,
            size_t input_offset, const float* zero, const pnn_f32_minmax_params* params) {
  using V = typename W::V;
  constexpr size_t N = W::N;
  constexpr size_t NV = CT / N;
  static_assert(CT % W::N == 0, "the channel tile must be a multiple of the vector width");
  const size_t taps = TAPS != 0 ? TAPS : ks;
  const V vmin = W::splat(params->min);
  const V vmax = W::splat(params->max);
  do {
    // A fixed tap count resolves the pixel's rows once, into registers or a small local array;
    // the generic kernel resolves them per tile.
    const float* fixed_rows[TAPS != 0 ? TAPS : 1];
    if constexpr (TAPS != 0) {
      for (size_t t = 0; t < TAPS; t++) {
        const float* r = input[t];
        fixed_rows[t] = r == zero ? r : r + input_offset;
      }
    }
    auto row = [&](size_t t) PNN_SIMD_LAMBDA_INLINE -> const float* {
      if constexpr (TAPS != 0) {
        return fixed_rows[t];
      } else {
        const float* r = input[t];
        return r == zero ? r : r + input_offset;
      }
    };

    const float* w = weights;
    float* out = output;
    size_t c = 0;
    for (; c + CT <= channels; c += CT) {
      V acc[NV];
      static_for<NV>([&](auto j) PNN_SIMD_LAMBDA_INLINE { acc[j] = W::load(w + j * N); });
      w += CT;
      // Kept as a loop: unrolled, the compiler hoists every tap's loads ahead of the arithmetic,
      // and the WebAssembly engine then spills them (measured 40% slower on x86-64 hosts).
#if defined(__clang__)
#pragma clang loop unroll(disable)
#endif
      for (size_t t = 0; t < taps; t++) {
        const float* r = row(t) + c;
        static_for<NV>([&](auto j) PNN_SIMD_LAMBDA_INLINE {
          acc[j] = W::muladd(W::loadu(r + j * N), W::load(w + j * N), acc[j]);
        });
        w += CT;
      }
      static_for<NV>([&](auto j) PNN_SIMD_LAMBDA_INLINE {
        W::storeu(out + j * N, W::min(W::max(acc[j], vmin), vmax));
      });
      out += CT;
    }
    // Remainder: one vector of the last (padded) tile at a time.
    for (size_t cv = 0; c + cv < channels; cv += N) {
      const size_t cb = channels - c - cv;  // channels left from this vector on
      V acc = W::load(w + cv);
      for (size_t t = 0; t < taps; t++) {
        const float* r = row(t) + c + cv;
        const V vr = cb >= N ? W::loadu(r) : W::load_partial(r, cb);
        acc = W::muladd(vr, W::load(w + (t + 1) * CT + cv), acc);
      }
      acc = W::min(W::max(acc, vmin), vmax);
      if (cb >= N) {
        W::storeu(out + cv, acc);
      } else {
        W::store_partial(out + cv, acc, cb);
      }
    }
    input += input_increment;
    output += output_stride;
  } while (--output_width != 0);
}

}  // namespace simd
}  // namespace pnn
