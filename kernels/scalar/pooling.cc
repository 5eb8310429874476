// Scalar pooling microkernels (max, average, global average), written once as templates over
// the channel block (the number of accumulators kept in registers) and instantiated per tile.
//
// Every output element is reduced in tap (row) order 0, 1, 2, ... whatever the block size, so
// the c1 and c4 variants give bit-identical results and the caller may split channels freely.
#include <algorithm>

#include "ukernels.h"

namespace {

inline float clamp(float v, float vmin, float vmax) { return std::min(std::max(v, vmin), vmax); }

// One block of N channels of one output pixel: max over the kernel_size rows.
template <size_t N>
inline void maxpool_block(size_t kernel_size, const float** rows, size_t input_offset, size_t c,
                          float* out, float vmin, float vmax) {
  const float* r0 = pnn_pooling_displace(rows[0], input_offset) + c;
  float acc[N];
  for (size_t j = 0; j < N; j++) acc[j] = r0[j];
  for (size_t k = 1; k < kernel_size; k++) {
    const float* r = pnn_pooling_displace(rows[k], input_offset) + c;
    for (size_t j = 0; j < N; j++) acc[j] = std::max(acc[j], r[j]);
  }
  for (size_t j = 0; j < N; j++) out[c + j] = clamp(acc[j], vmin, vmax);
}

template <size_t N>
void maxpool(size_t output_pixels, size_t kernel_size, size_t channels, const float** input,
             size_t input_offset, size_t input_increment, float* output, size_t output_stride,
             const pnn_f32_minmax_params* params) {
  const float vmin = params->min, vmax = params->max;
  for (; output_pixels != 0; output_pixels--) {
    size_t c = 0;
    for (; c + N <= channels; c += N)
      maxpool_block<N>(kernel_size, input, input_offset, c, output, vmin, vmax);
    for (; c < channels; c++)
      maxpool_block<1>(kernel_size, input, input_offset, c, output, vmin, vmax);
    input += input_increment;
    output += output_stride;
  }
}

// The zero row is the only row read without displacement.
inline const float* avgpool_row(const float* p, size_t input_offset, const float* zero) {
  return p == zero ? zero : pnn_pooling_displace(p, input_offset);
}

template <size_t N>
inline void avgpool_block(size_t kernel_size, const float** rows, size_t input_offset,
                          const float* zero, size_t c, float scale, float* out, float vmin,
                          float vmax) {
  const float* r0 = avgpool_row(rows[0], input_offset, zero) + c;
  float acc[N];
  for (size_t j = 0; j < N; j++) acc[j] = r0[j];
  for (size_t k = 1; k < kernel_size; k++) {
    const float* r = avgpool_row(rows[k], input_offset, zero) + c;
    for (size_t j = 0; j < N; j++) acc[j] += r[j];
  }
  for (size_t j = 0; j < N; j++) out[c + j] = clamp(acc[j] * scale, vmin, vmax);
}

template <size_t N>
void avgpool(size_t output_pixels, size_t kernel_size, size_t channels, const float** input,
             size_t input_offset, size_t input_increment, const float* zero,
             const float* multiplier, float* output, size_t output_stride,
             const pnn_f32_minmax_params* params) {
  const float vmin = params->min, vmax = params->max;
  for (; output_pixels != 0; output_pixels--) {
    const float scale = *multiplier++;
    size_t c = 0;
    for (; c + N <= channels; c += N)
      avgpool_block<N>(kernel_size, input, input_offset, zero, c, scale, output, vmin, vmax);
    for (; c < channels; c++)
      avgpool_block<1>(kernel_size, input, input_offset, zero, c, scale, output, vmin, vmax);
    input += input_increment;
    output += output_stride;
  }
}

template <size_t N>
inline void gavgpool_block(size_t rows, const float* x, size_t x_stride, float* y,
                           const pnn_f32_gavgpool_params* params) {
  float acc[N];
  for (size_t j = 0; j < N; j++) acc[j] = x[j];
  for (size_t r = 1; r < rows; r++) {
    const float* xr = x + r * x_stride;
    for (size_t j = 0; j < N; j++) acc[j] += xr[j];
  }
  for (size_t j = 0; j < N; j++) y[j] = clamp(acc[j] * params->scale, params->min, params->max);
}

template <size_t N>
void gavgpool(size_t rows, size_t channels, const float* x, size_t x_stride, float* y,
              const pnn_f32_gavgpool_params* params) {
  size_t c = 0;
  for (; c + N <= channels; c += N) gavgpool_block<N>(rows, x + c, x_stride, y + c, params);
  for (; c < channels; c++) gavgpool_block<1>(rows, x + c, x_stride, y + c, params);
}

}  // namespace

// Explicit instantiations, one per registry line of kernels/f32-*pool.inc with kArchScalar.
// (Not generated from the registries: those will also list SIMD kernels defined elsewhere.)
#define PNN_DEFINE_MAXPOOL(fn, channel_tile)                                                     \
  extern "C" void fn(size_t output_pixels, size_t kernel_size, size_t channels,                  \
                     const float** input, size_t input_offset, size_t input_increment,           \
                     float* output, size_t output_stride, const pnn_f32_minmax_params* params) { \
    maxpool<channel_tile>(output_pixels, kernel_size, channels, input, input_offset,             \
                          input_increment, output, output_stride, params);                       \
  }
PNN_DEFINE_MAXPOOL(pnn_f32_maxpool_minmax_ukernel__scalar_c1, 1)
PNN_DEFINE_MAXPOOL(pnn_f32_maxpool_minmax_ukernel__scalar_c4, 4)
#undef PNN_DEFINE_MAXPOOL

#define PNN_DEFINE_AVGPOOL(fn, channel_tile)                                                 \
  extern "C" void fn(size_t output_pixels, size_t kernel_size, size_t channels,              \
                     const float** input, size_t input_offset, size_t input_increment,       \
                     const float* zero, const float* multiplier, float* output,              \
                     size_t output_stride, const pnn_f32_minmax_params* params) {            \
    avgpool<channel_tile>(output_pixels, kernel_size, channels, input, input_offset,         \
                          input_increment, zero, multiplier, output, output_stride, params); \
  }
PNN_DEFINE_AVGPOOL(pnn_f32_avgpool_minmax_ukernel__scalar_c1, 1)
PNN_DEFINE_AVGPOOL(pnn_f32_avgpool_minmax_ukernel__scalar_c4, 4)
#undef PNN_DEFINE_AVGPOOL

#define PNN_DEFINE_GAVGPOOL(fn, channel_tile)                                                 \
  extern "C" void fn(size_t rows, size_t channels, const float* x, size_t x_stride, float* y, \
                     const pnn_f32_gavgpool_params* params) {                                 \
    gavgpool<channel_tile>(rows, channels, x, x_stride, y, params);                           \
  }
PNN_DEFINE_GAVGPOOL(pnn_f32_gavgpool_minmax_ukernel__scalar_c1, 1)
PNN_DEFINE_GAVGPOOL(pnn_f32_gavgpool_minmax_ukernel__scalar_c4, 4)
#undef PNN_DEFINE_GAVGPOOL
