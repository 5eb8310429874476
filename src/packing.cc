#include "packing.h"

#include <cstring>

namespace pnn {

void pack_gemm(size_t nc, size_t kc, size_t nr, const float* w, const float* bias,
               bool transposed, float* packed) {
  for (size_t n0 = 0; n0 < nc; n0 += nr) {
    const size_t nb = nc - n0 < nr ? nc - n0 : nr;
    for (size_t j = 0; j < nr; j++) packed[j] = (j < nb && bias != nullptr) ? bias[n0 + j] : 0.0f;
    packed += nr;
    for (size_t k = 0; k < kc; k++) {
      for (size_t j = 0; j < nr; j++) {
        float v = 0.0f;
        if (j < nb) v = transposed ? w[k * nc + n0 + j] : w[(n0 + j) * kc + k];
        packed[j] = v;
      }
      packed += nr;
    }
  }
}

}  // namespace pnn
