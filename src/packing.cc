// GEMM weight packing over the x32 data-movement kernels (src/configs/x32-config.h): a block of
// NR columns is one pad (W given [kc][nc]: each k row is nb contiguous floats, zero-padded to
// NR) or one transpose plus one fill of the padding columns (W given [nc][kc]). They move bits,
// so the packed weights are the same at every ISA level.
#include "packing.h"

#include "configs/x32-config.h"

namespace pnn {

void pack_gemm(size_t nc, size_t kc, size_t nr, const float* w, const float* bias, bool transposed,
               float* packed) {
  const X32Config* x32 = get_x32_config();
  for (size_t n0 = 0; n0 < nc; n0 += nr) {
    const size_t nb = nc - n0 < nr ? nc - n0 : nr;
    // The bias row: nb biases then zeros, or nr zeros (a pad with no copied columns).
    const size_t bias_cols = bias != nullptr ? nb : 0;
    x32->pad.fn(1, 0, bias_cols, nr - bias_cols, bias + (bias != nullptr ? n0 : 0), 0, 0, packed,
                0);
    packed += nr;
    if (kc != 0) {
      if (transposed) {
        x32->pad.fn(kc, 0, nb, nr - nb, w + n0, nc, 0, packed, nr);
      } else {
        x32->transpose.fn(nb, kc, w + n0 * kc, kc, packed, nr);
        if (nb < nr) x32->fill.fn(kc, nr - nb, 0, packed + nb, nr);
      }
    }
    packed += kc * nr;
  }
}

}  // namespace pnn
