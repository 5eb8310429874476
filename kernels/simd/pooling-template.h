// Pooling microkernels (max, average, global average) as templates over a vector wrapper W
// (kernels/simd/vec-*.h) and the channel block CT (a multiple of W::N, the accumulators kept in
// registers). Contracts: kernels/ukernels-pooling.h.
//
// Every output element is reduced over taps (rows) 0, 1, 2, ... in order, so results do not
// depend on CT, and the default flavor reproduces the scalar kernels (this template over
// vec-scalar.h, whose max is std::max) bit for bit. Channels past the last whole block go
// one vector at a time, the last one with partial loads: rows (the zero row included) are read
// for exactly `channels` floats.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "params.h"
#include "simd/common-template.h"
#include "ukernels-pooling.h"

namespace pnn {
namespace simd {

// Loads the `count` (>= 1) floats at p as one vector: whole when count >= N, else partial.
template <class W>
PNN_SIMD_INLINE typename W::V load_upto(const float* p, size_t count) {
  return count >= W::N ? W::loadu(p) : W::load_partial(p, count);
}

// Stores v to the `count` (>= 1) floats at p: whole when count >= N, else partial.
template <class W>
PNN_SIMD_INLINE void store_upto(float* p, typename W::V v, size_t count) {
  if (count >= W::N) {
    W::storeu(p, v);
  } else {
    W::store_partial(p, v, count);
  }
}

// Reduces a block of channels [c, c + CT) or, with PARTIAL, the single vector [c, c + N) of
// which only `count` channels exist, over the kernel_size rows: acc = row 0, then
// acc = Reduce(acc, row k). `row(k)` returns row k's address; `Reduce` combines two vectors.
template <class W, size_t CT, class RowFn, class Reduce>
PNN_SIMD_INLINE void reduce_rows_block(size_t kernel_size, RowFn row, size_t c, Reduce reduce,
                                       typename W::V (&acc)[CT / W::N]) {
  constexpr size_t N = W::N;
  const float* r0 = row(0) + c;
  static_for<CT / N>([&](auto j) PNN_SIMD_LAMBDA_INLINE { acc[j] = W::loadu(r0 + j * N); });
  for (size_t k = 1; k < kernel_size; k++) {
    const float* r = row(k) + c;
    static_for<CT / N>(
        [&](auto j) PNN_SIMD_LAMBDA_INLINE { acc[j] = reduce(acc[j], W::loadu(r + j * N)); });
  }
}

template <class W, class RowFn, class Reduce>
PNN_SIMD_INLINE typename W::V reduce_rows_vector(size_t kernel_size, RowFn row, size_t c,
                                                 size_t count, Reduce reduce) {
  typename W::V acc = load_upto<W>(row(0) + c, count);
  for (size_t k = 1; k < kernel_size; k++) acc = reduce(acc, load_upto<W>(row(k) + c, count));
  return acc;
}

// Max pooling over at most K taps with the K row pointers resolved once per output pixel (in
// registers) rather than once per channel block: the generic loop re-reads and displaces every
// pointer for every block, which costs as much as the loads it feeds on a 3x3 window. Taps past
// kernel_size repeat row 0: a maximum that has already seen row 0 cannot change by seeing it
// again (in either min/max flavor, NaN and signed zeros included), and rows are still combined in
// the order 0, 1, 2, ....
template <class W, size_t CT, size_t K>
PNN_SIMD_INLINE void maxpool_pixel_fixed(size_t kernel_size, size_t channels, const float** input,
                                         size_t input_offset, float* output, typename W::V vmin,
                                         typename W::V vmax) {
  using V = typename W::V;
  constexpr size_t N = W::N;
  const float* r[K];
  static_for<K>([&](auto k) PNN_SIMD_LAMBDA_INLINE {
    r[k] = pnn_pooling_displace(input[k < kernel_size ? size_t{k} : 0], input_offset);
  });
  size_t c = 0;
  for (; c + CT <= channels; c += CT) {
    static_for<CT / N>([&](auto j) PNN_SIMD_LAMBDA_INLINE {
      V acc = W::loadu(r[0] + c + j * N);
      static_for<K - 1>([&](auto k) PNN_SIMD_LAMBDA_INLINE {
        acc = W::max(acc, W::loadu(r[k + 1] + c + j * N));
      });
      W::storeu(output + c + j * N, W::min(W::max(acc, vmin), vmax));
    });
  }
  for (; c < channels; c += N) {
    const size_t count = channels - c;
    V acc = load_upto<W>(r[0] + c, count);
    static_for<K - 1>([&](auto k) PNN_SIMD_LAMBDA_INLINE {
      acc = W::max(acc, load_upto<W>(r[k + 1] + c, count));
    });
    store_upto<W>(output + c, W::min(W::max(acc, vmin), vmax), count);
  }
}

template <class W, size_t CT>
void maxpool(size_t output_pixels, size_t kernel_size, size_t channels, const float** input,
             size_t input_offset, size_t input_increment, float* output, size_t output_stride,
             const pnn_f32_minmax_params* params) {
  using V = typename W::V;
  constexpr size_t N = W::N;
  static_assert(CT % W::N == 0, "the channel block must be a multiple of the vector width");
  const V vmin = W::splat(params->min);
  const V vmax = W::splat(params->max);
  if (kernel_size <= 4) {
    for (; output_pixels != 0; output_pixels--, input += input_increment, output += output_stride) {
      maxpool_pixel_fixed<W, CT, 4>(kernel_size, channels, input, input_offset, output, vmin, vmax);
    }
    return;
  }
  if (kernel_size <= 9) {
    for (; output_pixels != 0; output_pixels--, input += input_increment, output += output_stride) {
      maxpool_pixel_fixed<W, CT, 9>(kernel_size, channels, input, input_offset, output, vmin, vmax);
    }
    return;
  }
  auto reduce = [](V acc, V x) PNN_SIMD_LAMBDA_INLINE { return W::max(acc, x); };
  for (; output_pixels != 0; output_pixels--) {
    auto row = [&](size_t k)
                   PNN_SIMD_LAMBDA_INLINE { return pnn_pooling_displace(input[k], input_offset); };
    size_t c = 0;
    for (; c + CT <= channels; c += CT) {
      V acc[CT / N];
      reduce_rows_block<W, CT>(kernel_size, row, c, reduce, acc);
      static_for<CT / N>([&](auto j) PNN_SIMD_LAMBDA_INLINE {
        W::storeu(output + c + j * N, W::min(W::max(acc[j], vmin), vmax));
      });
    }
    for (; c < channels; c += N) {
      const size_t count = channels - c;
      const V acc = reduce_rows_vector<W>(kernel_size, row, c, count, reduce);
      store_upto<W>(output + c, W::min(W::max(acc, vmin), vmax), count);
    }
    input += input_increment;
    output += output_stride;
  }
}

// The fused clamp min(max(v, lo), hi) of the argmax kernel, max pooling's (std::max, std::min)
// order of operands.
template <class W>
struct VecClamp {
  explicit VecClamp(const pnn_f32_minmax_params* p) : lo(W::splat(p->min)), hi(W::splat(p->max)) {}
  typename W::V operator()(typename W::V v) const { return W::min(W::max(v, lo), hi); }
  typename W::V lo, hi;
};

// Argmax pooling (kernels/ukernels-pooling.h): max pooling's fold acc = acc < row_k ? row_k :
// acc written as a compare and two selects, one on the values and one on the caller's tap
// indices (uint32 carried in the bits of a float lane; select moves bits). The values are max
// pooling's bits at every level; the index is the first tap holding the kept value.
template <class W, size_t CT>
void argmaxpool(size_t output_pixels, size_t kernel_size, size_t channels, const float** input,
                size_t input_offset, size_t input_increment, const uint32_t* tap_index,
                float* output, uint32_t* index, size_t output_stride,
                const pnn_f32_minmax_params* params) {
  using V = typename W::V;
  constexpr size_t N = W::N;
  static_assert(CT % W::N == 0, "the channel block must be a multiple of the vector width");
  const VecClamp<W> clamp(params);
  for (; output_pixels != 0; output_pixels--, input += input_increment,
                             tap_index += input_increment, output += output_stride,
                             index += output_stride) {
    auto row = [&](size_t k)
                   PNN_SIMD_LAMBDA_INLINE { return pnn_pooling_displace(input[k], input_offset); };
    auto tap = [&](size_t k) PNN_SIMD_LAMBDA_INLINE {
      return W::as_float(W::splat_i32(static_cast<int32_t>(tap_index[k])));
    };
    // One loop over blocks of CT channels; in the last block, vectors past `channels` are
    // skipped and the last one read and written partially.
    for (size_t c = 0; c < channels; c += CT) {
      const size_t left = channels - c;
      V acc[CT / N] = {}, idx[CT / N] = {};
      const V i0 = tap(0);
      static_for<CT / N>([&](auto j) PNN_SIMD_LAMBDA_INLINE {
        if (j * N < left) acc[j] = load_upto<W>(row(0) + c + j * N, left - j * N), idx[j] = i0;
      });
      for (size_t k = 1; k < kernel_size; k++) {
        const float* r = row(k) + c;
        const V ik = tap(k);
        static_for<CT / N>([&](auto j) PNN_SIMD_LAMBDA_INLINE {
          if (j * N >= left) return;
          const V v = load_upto<W>(r + j * N, left - j * N);
          const auto m = W::lt(acc[j], v);
          acc[j] = W::select(m, v, acc[j]);
          idx[j] = W::select(m, ik, idx[j]);
        });
      }
      static_for<CT / N>([&](auto j) PNN_SIMD_LAMBDA_INLINE {
        if (j * N >= left) return;
        const size_t count = left - j * N < N ? left - j * N : N;
        store_upto<W>(output + c + j * N, clamp(acc[j]), count);
        if (count == N) {  // a fixed size: one vector store
          std::memcpy(index + c + j * N, &idx[j], sizeof(V));
        } else {
          std::memcpy(index + c + j * N, &idx[j], count * sizeof(uint32_t));
        }
      });
    }
  }
}

template <class W, size_t CT>
void avgpool(size_t output_pixels, size_t kernel_size, size_t channels, const float** input,
             size_t input_offset, size_t input_increment, const float* zero,
             const float* multiplier, float* output, size_t output_stride,
             const pnn_f32_minmax_params* params) {
  using V = typename W::V;
  constexpr size_t N = W::N;
  static_assert(CT % W::N == 0, "the channel block must be a multiple of the vector width");
  const V vmin = W::splat(params->min);
  const V vmax = W::splat(params->max);
  auto reduce = [](V acc, V x) PNN_SIMD_LAMBDA_INLINE { return W::add(acc, x); };
  for (; output_pixels != 0; output_pixels--) {
    const V scale = W::load_splat(multiplier++);
    // The zero row is the only row read without displacement.
    auto row = [&](size_t k) PNN_SIMD_LAMBDA_INLINE {
      const float* p = input[k];
      return p == zero ? zero : pnn_pooling_displace(p, input_offset);
    };
    size_t c = 0;
    for (; c + CT <= channels; c += CT) {
      V acc[CT / N];
      reduce_rows_block<W, CT>(kernel_size, row, c, reduce, acc);
      static_for<CT / N>([&](auto j) PNN_SIMD_LAMBDA_INLINE {
        W::storeu(output + c + j * N, W::min(W::max(W::mul(acc[j], scale), vmin), vmax));
      });
    }
    for (; c < channels; c += N) {
      const size_t count = channels - c;
      const V acc = reduce_rows_vector<W>(kernel_size, row, c, count, reduce);
      store_upto<W>(output + c, W::min(W::max(W::mul(acc, scale), vmin), vmax), count);
    }
    input += input_increment;
    output += output_stride;
  }
}

// Average pooling with the kernel_size (== K) row pointers resolved once per output pixel (the
// generic avgpool re-reads and re-resolves them for every channel block, which on a 2x2 window
// costs about as much as the adds). Rows are summed in the order 0, 1, ..., K-1 as in avgpool,
// so the results are the same bits.
template <class W, size_t CT, size_t K>
PNN_SIMD_INLINE void avgpool_pixel_fixed(size_t channels, const float** input, size_t input_offset,
                                         const float* zero, typename W::V scale, float* output,
                                         typename W::V vmin, typename W::V vmax) {
  using V = typename W::V;
  constexpr size_t N = W::N;
  const float* r[K];
  static_for<K>([&](auto k) PNN_SIMD_LAMBDA_INLINE {
    const float* p = input[k];
    r[k] = p == zero ? zero : pnn_pooling_displace(p, input_offset);
  });
  size_t c = 0;
  for (; c + CT <= channels; c += CT) {
    static_for<CT / N>([&](auto j) PNN_SIMD_LAMBDA_INLINE {
      V acc = W::loadu(r[0] + c + j * N);
      static_for<K - 1>([&](auto k) PNN_SIMD_LAMBDA_INLINE {
        acc = W::add(acc, W::loadu(r[k + 1] + c + j * N));
      });
      W::storeu(output + c + j * N, W::min(W::max(W::mul(acc, scale), vmin), vmax));
    });
  }
  for (; c < channels; c += N) {
    const size_t count = channels - c;
    V acc = load_upto<W>(r[0] + c, count);
    static_for<K - 1>([&](auto k) PNN_SIMD_LAMBDA_INLINE {
      acc = W::add(acc, load_upto<W>(r[k + 1] + c, count));
    });
    store_upto<W>(output + c, W::min(W::max(W::mul(acc, scale), vmin), vmax), count);
  }
}

// avgpool with the common window sizes (2x2 and 3x3) unrolled through avgpool_pixel_fixed; other
// sizes take the generic avgpool. Same results as avgpool<W, CT>.
template <class W, size_t CT>
void avgpool_unrolled(size_t output_pixels, size_t kernel_size, size_t channels,
                      const float** input, size_t input_offset, size_t input_increment,
                      const float* zero, const float* multiplier, float* output,
                      size_t output_stride, const pnn_f32_minmax_params* params) {
  using V = typename W::V;
  static_assert(CT % W::N == 0, "the channel block must be a multiple of the vector width");
  if (kernel_size != 4 && kernel_size != 9) {
    avgpool<W, CT>(output_pixels, kernel_size, channels, input, input_offset, input_increment, zero,
                   multiplier, output, output_stride, params);
    return;
  }
  const V vmin = W::splat(params->min);
  const V vmax = W::splat(params->max);
  for (; output_pixels != 0; output_pixels--, input += input_increment, output += output_stride) {
    const V scale = W::load_splat(multiplier++);
    if (kernel_size == 4) {
      avgpool_pixel_fixed<W, CT, 4>(channels, input, input_offset, zero, scale, output, vmin, vmax);
    } else {
      avgpool_pixel_fixed<W, CT, 9>(channels, input, input_offset, zero, scale, output, vmin, vmax);
    }
  }
}

template <class W, size_t CT>
void gavgpool(size_t rows, size_t channels, const float* x, size_t x_stride, float* y,
              const pnn_f32_gavgpool_params* params) {
  using V = typename W::V;
  constexpr size_t N = W::N;
  static_assert(CT % W::N == 0, "the channel block must be a multiple of the vector width");
  const V scale = W::splat(params->scale);
  const V vmin = W::splat(params->min);
  const V vmax = W::splat(params->max);
  auto reduce = [](V acc, V v) PNN_SIMD_LAMBDA_INLINE { return W::add(acc, v); };
  auto row = [&](size_t r) PNN_SIMD_LAMBDA_INLINE { return x + r * x_stride; };
  size_t c = 0;
  for (; c + CT <= channels; c += CT) {
    V acc[CT / N];
    reduce_rows_block<W, CT>(rows, row, c, reduce, acc);
    static_for<CT / N>([&](auto j) PNN_SIMD_LAMBDA_INLINE {
      W::storeu(y + c + j * N, W::min(W::max(W::mul(acc[j], scale), vmin), vmax));
    });
  }
  for (; c < channels; c += N) {
    const size_t count = channels - c;
    const V acc = reduce_rows_vector<W>(rows, row, c, count, reduce);
    store_upto<W>(y + c, W::min(W::max(W::mul(acc, scale), vmin), vmax), count);
  }
}

}  // namespace simd
}  // namespace pnn
