// Bilinear-interpolation (resize) microkernel type and declarations (see kernels/ukernels.h for
// the conventions).
//
// One call blends `pixels` output pixels of one output row from two input rows:
//   for p < pixels, c < channels:
//     t = top[columns[2p] + c] + alpha_x[p] * (top[columns[2p+1] + c] - top[columns[2p] + c])
//     b = bottom[columns[2p] + c] + alpha_x[p] * (bottom[columns[2p+1] + c] - ...)
//     output[p * channels + c] = t + alpha_y * (b - t)
// `columns` holds per output pixel the offsets (in floats, from the row start) of its left and
// right input pixels; top and bottom may be the same row, and the two columns the same pixel.
// Each step is a multiply-add, fused where the level has FMA: the levels agree within a few ulp,
// and one level's results never depend on the caller's tiling or threads. The operator
// (src/operators/resize.cc) precomputes columns and alpha_x per output column, the two rows and
// alpha_y per output row.
#pragma once

#include <cstddef>
#include <cstdint>

typedef void (*pnn_f32_ibilinear_ukernel_fn)(size_t pixels, size_t channels, const float* top,
                                             const float* bottom, const size_t* columns,
                                             const float* alpha_x, float alpha_y, float* output);

#define PNN_IBILINEAR(arch, fn, tile)                                                         \
  extern "C" void fn(size_t, size_t, const float*, const float*, const size_t*, const float*, \
                     float, float*);
#include "f32-ibilinear.inc"
#undef PNN_IBILINEAR
