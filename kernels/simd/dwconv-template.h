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

// Tile-major variant for a fixed tap count (TAPS != 0), for ISAs with enough registers to hold a
// tile's weights (x86: 16 or 32 vector registers). Same accumulation order per output element
// as dwconv<W, TAPS, CT> (bias, then taps 0, 1, ...); only the loop order differs:
//  - pixels go in blocks of up to PB. The block's row pointers are displaced once into a local
//    array, not once per channel tile, and a pointer shared by neighbouring pixels
//    (input_increment < TAPS, kernels/ukernels-dwconv.h) is displaced once;
//  - per channel tile, the bias and the TAPS weight vectors are loaded once into registers and
//    reused across the block's pixels (the pixel-major loop reloads them for every pixel, where
//    they compete with the input loads);
//  - for the increment of a square kernel at stride 1 (input_increment = k for TAPS = k*k),
//    pixels go P at a time and each shared row is loaded once for the P pixels (on a 3x3
//    kernel, 18 loads instead of 36 for 4 pixels). Rows are visited in slot order, which is
//    tap order for every pixel, so the sums keep their order. At stride 2 (input_increment =
//    2k) the pixel-major dwconv measured faster and runs instead (see dwconv_tile_major).
// With more weight vectors than registers (25 taps on 16-register ISAs) the compiler spills some
// to the stack, which costs what the pixel-major loop's reloads cost.
template <class W, size_t TAPS, size_t CT, size_t PB, size_t P, size_t INC>
PNN_SIMD_INLINE void dwconv_tile_major_impl(size_t channels, size_t output_width,
                                            const float** input, const float* weights,
                                            float* output, size_t input_increment,
                                            size_t output_stride, size_t input_offset,
                                            const float* zero,
                                            const pnn_f32_minmax_params* params) {
  using V = typename W::V;
  constexpr size_t N = W::N;
  constexpr size_t NV = CT / N;
  const V vmin = W::splat(params->min);
  const V vmax = W::splat(params->max);
  // Pixel p's tap t is slots[p * stride + t]. Shared pointers are stored once (stride =
  // input_increment); pixels that share none are stored back to back (stride = TAPS), so the
  // pointers between their windows, which the contract leaves undefined, are never read.
  const bool shared = input_increment < TAPS;
  const size_t stride = shared ? input_increment : TAPS;
  do {
    const size_t pb = output_width < PB ? output_width : PB;
    const float* slots[PB * TAPS];
    if (shared) {
      const size_t count = (pb - 1) * input_increment + TAPS;
      for (size_t s = 0; s < count; s++) {
        const float* r = input[s];
        slots[s] = r == zero ? r : r + input_offset;
      }
    } else {
      for (size_t p = 0; p < pb; p++) {
        const float** in = input + p * input_increment;
        static_for<TAPS>([&](auto t) PNN_SIMD_LAMBDA_INLINE {
          const float* r = in[t];
          slots[p * TAPS + t] = r == zero ? r : r + input_offset;
        });
      }
    }

    const float* w = weights;
    size_t c = 0;
    for (; c + CT <= channels; c += CT) {
      V wv[TAPS + 1][NV];
      static_for<TAPS + 1>([&](auto t) PNN_SIMD_LAMBDA_INLINE {
        static_for<NV>([&](auto j)
                           PNN_SIMD_LAMBDA_INLINE { wv[t][j] = W::load(w + t * CT + j * N); });
      });
      w += CT * (TAPS + 1);
      float* out = output + c;
      size_t p = 0;
      if constexpr (INC != 0) {
        // P pixels at a time (stride == INC here): slot s feeds pixel q with tap s - q * INC.
        for (; p + P <= pb; p += P) {
          const float* const* px = slots + p * INC;
          V acc[P][NV];
          static_for<P>([&](auto q) PNN_SIMD_LAMBDA_INLINE {
            static_for<NV>([&](auto j) PNN_SIMD_LAMBDA_INLINE { acc[q][j] = wv[0][j]; });
          });
          static_for<(P - 1) * INC + TAPS>([&](auto s) PNN_SIMD_LAMBDA_INLINE {
            constexpr size_t S = decltype(s)::value;
            const float* r = px[S] + c;
            V v[NV];
            static_for<NV>([&](auto j) PNN_SIMD_LAMBDA_INLINE { v[j] = W::loadu(r + j * N); });
            static_for<P>([&](auto q) PNN_SIMD_LAMBDA_INLINE {
              constexpr size_t Q = decltype(q)::value;
              if constexpr (S >= Q * INC && S - Q * INC < TAPS) {
                static_for<NV>([&](auto j) PNN_SIMD_LAMBDA_INLINE {
                  acc[q][j] = W::muladd(v[j], wv[S - Q * INC + 1][j], acc[q][j]);
                });
              }
            });
          });
          static_for<P>([&](auto q) PNN_SIMD_LAMBDA_INLINE {
            static_for<NV>([&](auto j) PNN_SIMD_LAMBDA_INLINE {
              W::storeu(out + q * output_stride + j * N, W::min(W::max(acc[q][j], vmin), vmax));
            });
          });
          out += P * output_stride;
        }
      }
      for (const float* const* px = slots + p * stride; p < pb;
           p++, px += stride, out += output_stride) {
        V acc[NV];
        static_for<NV>([&](auto j) PNN_SIMD_LAMBDA_INLINE { acc[j] = wv[0][j]; });
        static_for<TAPS>([&](auto t) PNN_SIMD_LAMBDA_INLINE {
          const float* r = px[t] + c;
          static_for<NV>([&](auto j) PNN_SIMD_LAMBDA_INLINE {
            acc[j] = W::muladd(W::loadu(r + j * N), wv[t + 1][j], acc[j]);
          });
        });
        static_for<NV>([&](auto j) PNN_SIMD_LAMBDA_INLINE {
          W::storeu(out + j * N, W::min(W::max(acc[j], vmin), vmax));
        });
      }
    }
    // Remainder: one vector of the last (padded) tile at a time, its weights in registers.
    for (size_t cv = 0; c + cv < channels; cv += N) {
      const size_t cb = channels - c - cv;  // channels left from this vector on
      V wv[TAPS + 1];
      static_for<TAPS + 1>([&](auto t)
                               PNN_SIMD_LAMBDA_INLINE { wv[t] = W::load(w + t * CT + cv); });
      float* out = output + c + cv;
      const float* const* px = slots;
      if (cb >= N) {
        for (size_t p = 0; p < pb; p++, px += stride, out += output_stride) {
          V acc = wv[0];
          static_for<TAPS>([&](auto t) PNN_SIMD_LAMBDA_INLINE {
            acc = W::muladd(W::loadu(px[t] + c + cv), wv[t + 1], acc);
          });
          W::storeu(out, W::min(W::max(acc, vmin), vmax));
        }
      } else {
        for (size_t p = 0; p < pb; p++, px += stride, out += output_stride) {
          V acc = wv[0];
          static_for<TAPS>([&](auto t) PNN_SIMD_LAMBDA_INLINE {
            acc = W::muladd(W::load_partial(px[t] + c + cv, cb), wv[t + 1], acc);
          });
          W::store_partial(out, W::min(W::max(acc, vmin), vmax), cb);
        }
      }
    }
    input += pb * input_increment;
    output += pb * output_stride;
    output_width -= pb;
  } while (output_width != 0);
}

template <class W, size_t TAPS, size_t CT, size_t PB = 16, size_t P = 4>
void dwconv_tile_major(size_t channels, size_t output_width, size_t ks, const float** input,
                       const float* weights, float* output, size_t input_increment,
                       size_t output_stride, size_t input_offset, const float* zero,
                       const pnn_f32_minmax_params* params) {
  static_assert(TAPS != 0, "the tile-major kernel is unrolled for a fixed tap count");
  static_assert(CT % W::N == 0, "the channel tile must be a multiple of the vector width");
  static_assert(PB % P == 0, "whole groups of P pixels per block");
  (void)ks;  // == TAPS by contract
  // K = floor(sqrt(TAPS)), computed in place rather than by a shared non-template helper, which
  // the files of several ISA levels would each compile with their own flags (kernels/README.md).
  constexpr size_t K = [] {
    size_t k = 0;
    while ((k + 1) * (k + 1) <= TAPS) k++;
    return k;
  }();
  if constexpr (K * K == TAPS && K >= 2) {
    if (input_increment == K) {
      dwconv_tile_major_impl<W, TAPS, CT, PB, P, K>(channels, output_width, input, weights, output,
                                                    input_increment, output_stride, input_offset,
                                                    zero, params);
      return;
    }
    if constexpr (2 * K < TAPS) {
      if (input_increment == 2 * K) {
        // Stride 2: the pixel-major loop. Tile-major passes over a block's pixels once per
        // channel tile, and at stride 2 those pixels' rows span twice the memory; with the
        // buffers as the benchmark allocates them (page offset 64) that measured 1.3x slower
        // on dw_112_s2 (64 vs 49 us), while on other allocations the two orders tie.
        dwconv<W, TAPS, CT>(channels, output_width, ks, input, weights, output, input_increment,
                            output_stride, input_offset, zero, params);
        return;
      }
    }
  }
  dwconv_tile_major_impl<W, TAPS, CT, PB, P, 0>(channels, output_width, input, weights, output,
                                                input_increment, output_stride, input_offset, zero,
                                                params);
}

}  // namespace simd
}  // namespace pnn
