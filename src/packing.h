// Weight packing for the GEMM / IGEMM microkernels (layout documented in kernels/ukernels.h).
#pragma once

#include <cstddef>

namespace pnn {

// Packed size in floats of one group: round_up(nc, nr) * (1 + kc).
inline size_t packed_gemm_size(size_t nc, size_t kc, size_t nr) {
  return (nc + nr - 1) / nr * nr * (1 + kc);
}

// Packs W[nc][kc] (row n = output channel; `transposed`: W[kc][nc]) and bias[nc] (NULL: zeros)
// into blocks of nr columns. For convolution pass kc = taps * input channels: the
// [oc][kh][kw][ic] layout is exactly [oc][ks*kc], tap-major, as the IGEMM kernels walk it.
// Columns past nc are zero-padded.
void pack_gemm(size_t nc, size_t kc, size_t nr, const float* w, const float* bias,
               bool transposed, float* packed);

}  // namespace pnn
