// The bilinear-interpolation kernels of one level: every PNN_IBILINEAR registry line of the
// level whose file includes this header (after kernels/instances.h, which set up
// PNN_REGISTRY_INSTANTIATE and PNN_WRAPPER), defined from kernels/simd/ibilinear-template.h.
// A family kept out of instances.h so that the level files gain one include line each.
#pragma once

#include "simd/ibilinear-template.h"
#include "ukernels-ibilinear.h"

#if !defined(PNN_REGISTRY_INSTANTIATE) || !defined(PNN_WRAPPER)
#error "include kernels/ibilinear-instances.h from a level file, after instances.h"
#endif

#define PNN_IBILINEAR(arch, fn, tile)                                                              \
  extern "C" void fn(size_t pixels, size_t channels, const float* top, const float* bottom,        \
                     const size_t* columns, const float* alpha_x, float alpha_y, float* output) {  \
    pnn::simd::ibilinear<PNN_WRAPPER(arch), tile>(pixels, channels, top, bottom, columns, alpha_x, \
                                                  alpha_y, output);                                \
  }
#include "f32-ibilinear.inc"
#undef PNN_IBILINEAR
