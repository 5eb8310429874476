// The extern "C" kernel definitions shared by the x86 levels: each kernels/x86/<family>-<level>.cc
// includes its template, its wrapper and this header, then names its kernels with these macros,
// passing the wrapper W (pnn::simd::Sse2, Avx2 or Avx512). One definition of each signature, so
// the levels differ only in their wrapper and their tiles.
#pragma once

// GEMM / IGEMM, MR x NR tiles; the last rows of an M that is not a multiple of MR run on a tile
// of their own height (gemm_rows / igemm_rows in kernels/simd/gemm-template.h).
#define PNN_X86_GEMM(W, gemm_fn, igemm_fn, mr, nr, load)                                          \
  extern "C" void gemm_fn(size_t m, size_t nc, size_t kc, const float* a, size_t a_stride,       \
                          const float* w, float* c, size_t cm_stride, size_t cn_stride,          \
                          const pnn_f32_minmax_params* params) {                                 \
    pnn::simd::gemm_rows<W, mr, nr, load>(m, nc, kc, a, a_stride, w, c, cm_stride, cn_stride,    \
                                          params);                                               \
  }                                                                                              \
  extern "C" void igemm_fn(size_t m, size_t nc, size_t kc, size_t ks, const float** a,           \
                           const float* w, float* c, size_t cm_stride, size_t cn_stride,         \
                           size_t a_offset, const float* zero,                                   \
                           const pnn_f32_minmax_params* params) {                                \
    pnn::simd::igemm_rows<W, mr, nr, load>(m, nc, kc, ks, a, w, c, cm_stride, cn_stride,         \
                                           a_offset, zero, params);                              \
  }

// One-row kernels for a batch-1 fully connected layer (GemmConfig::gemm1): `blocks` packed
// NR-column blocks interleaved (gemm_1row). Their IGEMM twins are the plain 1 x NR tile, which no
// operator picks but every registry line must provide.
#define PNN_X86_GEMM_1ROW(W, gemm_fn, igemm_fn, nr, blocks, load)                                 \
  extern "C" void gemm_fn(size_t m, size_t nc, size_t kc, const float* a, size_t a_stride,       \
                          const float* w, float* c, size_t cm_stride, size_t cn_stride,          \
                          const pnn_f32_minmax_params* params) {                                 \
    pnn::simd::gemm_1row<W, nr, blocks, load>(m, nc, kc, a, a_stride, w, c, cm_stride,           \
                                              cn_stride, params);                                \
  }                                                                                              \
  extern "C" void igemm_fn(size_t m, size_t nc, size_t kc, size_t ks, const float** a,           \
                           const float* w, float* c, size_t cm_stride, size_t cn_stride,         \
                           size_t a_offset, const float* zero,                                   \
                           const pnn_f32_minmax_params* params) {                                \
    pnn::simd::igemm<W, 1, nr, load>(m, nc, kc, ks, a, w, c, cm_stride, cn_stride, a_offset,     \
                                     zero, params);                                              \
  }

// Depthwise convolution unrolled for `taps` taps, tile-major (dwconv_tile_major: a channel
// tile's weights held in registers across a block of 16 pixels, `pixels` at a time sharing their
// row loads at stride 1); and the generic any-taps kernel (the pixel-major template).
#define PNN_X86_DWCONV(W, fn, taps, channel_tile, pixels)                                        \
  extern "C" void fn(size_t channels, size_t output_width, size_t ks, const float** input,      \
                     const float* weights, float* output, size_t input_increment,               \
                     size_t output_stride, size_t input_offset, const float* zero,              \
                     const pnn_f32_minmax_params* params) {                                     \
    pnn::simd::dwconv_tile_major<W, taps, channel_tile, 16, pixels>(                            \
        channels, output_width, ks, input, weights, output, input_increment, output_stride,     \
        input_offset, zero, params);                                                            \
  }
#define PNN_X86_DWCONV_ANY(W, fn, channel_tile)                                                  \
  extern "C" void fn(size_t channels, size_t output_width, size_t ks, const float** input,      \
                     const float* weights, float* output, size_t input_increment,               \
                     size_t output_stride, size_t input_offset, const float* zero,              \
                     const pnn_f32_minmax_params* params) {                                     \
    pnn::simd::dwconv<W, 0, channel_tile>(channels, output_width, ks, input, weights, output,   \
                                          input_increment, output_stride, input_offset, zero,   \
                                          params);                                              \
  }

// Pooling: max, average (2x2 / 3x3 windows unrolled, avgpool_unrolled), global average.
#define PNN_X86_MAXPOOL(W, fn, channel_tile)                                                     \
  extern "C" void fn(size_t output_pixels, size_t kernel_size, size_t channels,                 \
                     const float** input, size_t input_offset, size_t input_increment,          \
                     float* output, size_t output_stride, const pnn_f32_minmax_params* params) { \
    pnn::simd::maxpool<W, channel_tile>(output_pixels, kernel_size, channels, input,            \
                                        input_offset, input_increment, output, output_stride,   \
                                        params);                                                \
  }
#define PNN_X86_AVGPOOL(W, fn, channel_tile)                                                     \
  extern "C" void fn(size_t output_pixels, size_t kernel_size, size_t channels,                 \
                     const float** input, size_t input_offset, size_t input_increment,          \
                     const float* zero, const float* multiplier, float* output,                 \
                     size_t output_stride, const pnn_f32_minmax_params* params) {               \
    pnn::simd::avgpool_unrolled<W, channel_tile>(output_pixels, kernel_size, channels, input,   \
                                                 input_offset, input_increment, zero,           \
                                                 multiplier, output, output_stride, params);    \
  }
#define PNN_X86_GAVGPOOL(W, fn, channel_tile)                                                    \
  extern "C" void fn(size_t rows, size_t channels, const float* x, size_t x_stride, float* y,   \
                     const pnn_f32_gavgpool_params* params) {                                   \
    pnn::simd::gavgpool<W, channel_tile>(rows, channels, x, x_stride, y, params);               \
  }
