// pooling microkernel types and declarations (see kernels/ukernels.h for the conventions).
//
// Four families:
//   maxpool  : indirection-based window maximum,        y = clamp(max_k row_k)
//   argmaxpool: the same maximum and which tap gave it,  y = clamp(row_k*), index = tap_index[k*]
//   avgpool  : indirection-based window sum times a per-output-pixel multiplier,
//                                                        y = clamp(multiplier[p] * sum_k row_k)
//   gavgpool : reduction of `rows` rows of a strided matrix times one scale,
//                                                        y = clamp(scale * sum_r x_r)
// clamp(v) = min(max(v, params->min), params->max).
//
// Indirection (maxpool, avgpool). For output pixel p (p < output_pixels), the kernel_size
// pointers input[p * input_increment + k] (k < kernel_size) each name a row of `channels`
// contiguous floats (one input pixel of a pooling window). The caller builds these pointers
// before it knows where the input lives (at reshape), relative to an anchor of its choice, and
// passes the distance to the real input as `input_offset` (elements) at run time. The kernel
// displaces every pointer with pnn_pooling_displace(), i.e. in unsigned address arithmetic
// (modulo 2^N), so the offset may "wrap" when the input lies below the anchor. The only pointer
// that is NOT displaced is the avgpool `zero` row (a row of `channels` zeros standing in for
// padding): a pointer equal to `zero` is read as is, so the caller must build the other
// pointers such that none of them equals `zero` (the operators anchor them past the zero row).
//
// Max pooling has no zero row: the caller points a padded tap at any valid tap of the same
// window, so padding never wins a max (a duplicate does not change a maximum).
//
// Argmax pooling folds the taps in order with acc = acc < row_k ? row_k : acc (std::max, as
// max pooling does at every level: NaN and signed-zero results agree with it), and reports, per
// channel, tap_index[p * input_increment + k*] for the tap k* whose value the fold kept: the
// first tap holding the maximum (a later equal value, or a NaN after a number, does not replace
// it). The caller's uint32 indices are carried in the bits of float lanes and written as given;
// a padded tap repeats a valid tap's pointer and index.
//
// Average pooling divides by a per-pixel count through `multiplier[p]` (e.g. 1/valid taps when
// padding is excluded, 1/kernel_size when it is included), so one kernel serves both modes.
//
// Order of operations (it matters for bit-exact reproducibility across thread counts): each
// output element is reduced over k = 0..kernel_size-1 (resp. r = 0..rows-1) in order, whatever
// the channel tile; so results never depend on how the caller tiles channels or pixels.
//
// Sizes: output_pixels, kernel_size, channels, rows >= 1. Strides are in elements:
//   input_increment: pointers between the first pointers of consecutive output pixels;
//   output_stride:   floats between consecutive output pixels (>= channels);
//   x_stride:        floats between consecutive gavgpool input rows (>= channels).
// Outputs never overlap inputs. Only the `channels` floats of each output pixel are written.
#pragma once

#include <cstddef>
#include <cstdint>

#include "params.h"

// gavgpool parameters: the mean's scale (1/rows for a plain mean) and the fused clamp.
struct pnn_f32_gavgpool_params {
  float scale;
  float min;
  float max;
};

// Applies the indirection displacement (see above) without forming an out-of-object pointer
// through pointer arithmetic: the anchor the caller built against need not be part of the input.
inline const float* pnn_pooling_displace(const float* p, size_t offset_elements) {
  return reinterpret_cast<const float*>(reinterpret_cast<uintptr_t>(p) +
                                        offset_elements * sizeof(float));
}

// Max pooling over indirection rows (see above).
typedef void (*pnn_f32_maxpool_ukernel_fn)(size_t output_pixels, size_t kernel_size,
                                           size_t channels, const float** input,
                                           size_t input_offset, size_t input_increment,
                                           float* output, size_t output_stride,
                                           const struct pnn_f32_minmax_params* params);

// Argmax pooling over indirection rows; `tap_index` is parallel to `input` (the same
// input_increment), `index` to `output` (the same output_stride, in uint32 elements).
typedef void (*pnn_f32_argmaxpool_ukernel_fn)(size_t output_pixels, size_t kernel_size,
                                              size_t channels, const float** input,
                                              size_t input_offset, size_t input_increment,
                                              const uint32_t* tap_index, float* output,
                                              uint32_t* index, size_t output_stride,
                                              const struct pnn_f32_minmax_params* params);

// Average pooling over indirection rows; `zero` is the padding row, `multiplier[p]` the
// per-pixel reciprocal count.
typedef void (*pnn_f32_avgpool_ukernel_fn)(size_t output_pixels, size_t kernel_size,
                                           size_t channels, const float** input,
                                           size_t input_offset, size_t input_increment,
                                           const float* zero, const float* multiplier,
                                           float* output, size_t output_stride,
                                           const struct pnn_f32_minmax_params* params);

// Global average pooling: y[c] = clamp(scale * sum_{r < rows} x[r * x_stride + c]), c < channels.
typedef void (*pnn_f32_gavgpool_ukernel_fn)(size_t rows, size_t channels, const float* x,
                                            size_t x_stride, float* y,
                                            const struct pnn_f32_gavgpool_params* params);

// PNN_MAXPOOL(arch flag, kernel, channel tile)
#define PNN_MAXPOOL(arch, fn, channel_tile)                                                 \
  extern "C" void fn(size_t, size_t, size_t, const float**, size_t, size_t, float*, size_t, \
                     const struct pnn_f32_minmax_params*);
#include "f32-maxpool.inc"
#undef PNN_MAXPOOL

// PNN_ARGMAXPOOL(arch flag, kernel, channel tile)
#define PNN_ARGMAXPOOL(arch, fn, channel_tile)                                               \
  extern "C" void fn(size_t, size_t, size_t, const float**, size_t, size_t, const uint32_t*, \
                     float*, uint32_t*, size_t, const struct pnn_f32_minmax_params*);
#include "f32-argmaxpool.inc"
#undef PNN_ARGMAXPOOL

// PNN_AVGPOOL(arch flag, kernel, channel tile)
#define PNN_AVGPOOL(arch, fn, channel_tile)                                               \
  extern "C" void fn(size_t, size_t, size_t, const float**, size_t, size_t, const float*, \
                     const float*, float*, size_t, const struct pnn_f32_minmax_params*);
#include "f32-avgpool.inc"
#undef PNN_AVGPOOL

// PNN_GAVGPOOL(arch flag, kernel, channel tile)
#define PNN_GAVGPOOL(arch, fn, channel_tile)                       \
  extern "C" void fn(size_t, size_t, const float*, size_t, float*, \
                     const struct pnn_f32_gavgpool_params*);
#include "f32-gavgpool.inc"
#undef PNN_GAVGPOOL
