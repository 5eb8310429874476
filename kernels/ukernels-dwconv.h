// dwconv microkernel types and declarations (see kernels/ukernels.h for the conventions).
//
// A depthwise-convolution kernel computes one run of output pixels (typically one output row),
// every channel of each pixel, from an indirection buffer:
//
//   for x in [0, output_width):
//     for c in [0, channels):
//       output[x*output_stride + c] = clamp(bias[c] + sum_{t < ks} row(x, t)[c] * weight[t][c])
//   where row(x, t) = input[x*input_increment + t], displaced by input_offset elements unless it
//   equals `zero` (the padding row, used as is).
//
// Indirection: `input` holds pointers, not pixels. Output pixel x uses the ks pointers starting
// at input + x*input_increment. input_increment may be smaller than ks: the caller then lets
// neighbouring output pixels share the pointers of the input columns they have in common (the
// operator orders taps column-major for that reason, see src/operators/convolution.cc). The
// kernel does not care what order the taps are in, as long as the pointers and the packed
// weights agree.
//
// Packed weights: for each tile of CT channels (the last one zero-padded to CT),
//   CT biases, then ks groups of CT weights (tap t's group holds the tile's weights for tap t).
// A tile therefore occupies CT*(1+ks) floats; the whole buffer round_up(channels, CT)*(1+ks).
//
// Tap count: a registry line with taps = K != 0 is a kernel unrolled for exactly K taps and
// must be called with ks == K. taps = 0 marks a generic kernel that takes any ks >= 1, so every
// kernel size has a kernel.
//
// Memory access contract (what SIMD variants may and may not do):
//  - Input rows (caller's buffer, no slack): read exactly `channels` floats from each row;
//    remainders must use partial loads. Rows are only read, never written.
//  - zero: the caller provides at least round_up(channels, CT) readable floats of 0.0f, so a
//    kernel may read a whole tile from it.
//  - weights: whole tiles are read (the packer pads them).
//  - output: exactly `channels` floats per pixel are written; the gap up to output_stride is
//    left untouched.
// Requirements: channels >= 1, output_width >= 1, ks >= 1, output_stride >= channels.
#pragma once

#include <cstddef>
#include <cstdint>

#include "params.h"

typedef void (*pnn_f32_dwconv_ukernel_fn)(size_t channels, size_t output_width, size_t ks,
                                          const float** input, const float* weights, float* output,
                                          size_t input_increment, size_t output_stride,
                                          size_t input_offset, const float* zero,
                                          const struct pnn_f32_minmax_params* params);

// Registry lines (kernels/f32-dwconv.inc): PNN_DWCONV(arch flag, kernel, taps (0: any), CT).
#define PNN_DWCONV(arch, fn, taps, channel_tile)                                                  \
  extern "C" void fn(size_t, size_t, size_t, const float**, const float*, float*, size_t, size_t, \
                     size_t, const float*, const struct pnn_f32_minmax_params*);
#include "f32-dwconv.inc"
#undef PNN_DWCONV
