// Winograd F(2x2, 3x3) transforms; the design is in winograd.h.
#include "winograd.h"

namespace pnn {

void winograd_transform_weights(size_t goc, size_t gic, const float* kernel, float* u) {
  // G = [[1, 0, 0], [1/2, 1/2, 1/2], [1/2, -1/2, 1/2], [0, 0, 1]]; U = G g G^T.
  static const double kG[4][3] = {
      {1.0, 0.0, 0.0}, {0.5, 0.5, 0.5}, {0.5, -0.5, 0.5}, {0.0, 0.0, 1.0}};
  const size_t point = goc * gic;
  for (size_t oc = 0; oc < goc; oc++) {
    for (size_t ic = 0; ic < gic; ic++) {
      double g[3][3];
      for (size_t y = 0; y < 3; y++) {
        for (size_t x = 0; x < 3; x++) g[y][x] = kernel[((oc * 3 + y) * 3 + x) * gic + ic];
      }
      double gg[4][3];  // G g
      for (size_t i = 0; i < 4; i++) {
        for (size_t x = 0; x < 3; x++) {
          gg[i][x] = kG[i][0] * g[0][x] + kG[i][1] * g[1][x] + kG[i][2] * g[2][x];
        }
      }
      for (size_t i = 0; i < 4; i++) {
        for (size_t j = 0; j < 4; j++) {
          const double v = gg[i][0] * kG[j][0] + gg[i][1] * kG[j][1] + gg[i][2] * kG[j][2];
          u[(i * 4 + j) * point + oc * gic + ic] = static_cast<float>(v);
        }
      }
    }
  }
}

}  // namespace pnn
