// Double-precision references for the GEMM family (fully connected, batch matmul, the GEMM and
// IGEMM kernels) and the tolerance they share.
#pragma once

#include "reference/clamp.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

namespace pnn_ref {

// Tolerance for one output of a float dot product of length K plus a bias:
//   |y - ref| <= 1e-5 * (sum_k |a_k * w_k| + |bias|) + 1e-6.
// Why this shape: every float multiply and add rounds with relative error u = 2^-24 ~ 6e-8 of
// its result, and a partial sum is never larger than the sum of the magnitudes of its terms, so
// the accumulated error of a length-K reduction is bounded by about K * u * sum|terms| (the
// classical bound for recursive summation), and in practice grows like sqrt(K) * u * sum|terms|
// because the rounding errors have random signs. The bound scales with sum|terms|, not with
// |result|: cancellation can make the result tiny while the error stays proportional to the
// terms. The factor 1e-5 is ~170 u: it covers the worst case up to K ~ 170 and the typical case
// far beyond the largest K the tests use (a few hundred), and it leaves room for kernels that
// fuse the multiply-add (FMA) or sum in another order than the reference. The 1e-6 absolute
// term covers outputs whose terms are all ~0 (zero rows, clamped to ~0). Clamping both sides to
// the same [min, max] never increases the difference, so the bound holds after the clamp too.
inline double gemm_tolerance(double magnitude) { return 1e-5 * magnitude + 1e-6; }

// Reference outputs with, per output, the magnitude sum|a*w| + |bias| that sets its tolerance.
struct GemmReference {
  std::vector<double> value;
  std::vector<double> magnitude;
};


// out[b][o] = clamp(bias[o] + sum_i x[b][i] * W[o][i]); W is [out][in], or [in][out] when
// `transposed`. bias may be NULL.
inline GemmReference fully_connected(size_t batch, size_t in, size_t out, const float* x,
                                     const float* w, const float* bias, bool transposed, float min,
                                     float max) {
  GemmReference r;
  r.value.resize(batch * out);
  r.magnitude.resize(batch * out);
  for (size_t b = 0; b < batch; b++) {
    for (size_t o = 0; o < out; o++) {
      double acc = bias != nullptr ? bias[o] : 0.0;
      double mag = std::fabs(acc);
      for (size_t i = 0; i < in; i++) {
        const double p =
            double(x[b * in + i]) * double(transposed ? w[i * out + o] : w[o * in + i]);
        acc += p;
        mag += std::fabs(p);
      }
      r.value[b * out + o] = clamp(acc, min, max);
      r.magnitude[b * out + o] = mag;
    }
  }
  return r;
}

// out[batch...][m][n] = sum_k A[batch_a...][m][k] * B[batch_b...][k][n], with NumPy broadcasting
// of the batch dims (a dim of 1 repeats). A is [..][K][M] when transpose_a, B is [..][N][K] when
// transpose_b. The output batch index is row-major over the broadcast dims.
inline GemmReference batch_matmul(size_t num_batch_dims, const size_t* dims_a, const size_t* dims_b,
                                  size_t m, size_t k, size_t n, const float* a, const float* b,
                                  bool transpose_a, bool transpose_b) {
  size_t batch_out = 1;
  std::vector<size_t> dims_out(num_batch_dims);
  for (size_t d = 0; d < num_batch_dims; d++) {
    dims_out[d] = std::max(dims_a[d], dims_b[d]);
    batch_out *= dims_out[d];
  }
  GemmReference r;
  r.value.resize(batch_out * m * n);
  r.magnitude.resize(batch_out * m * n);
  for (size_t bo = 0; bo < batch_out; bo++) {
    // Row-major coordinates of bo, mapped into A's and B's own (row-major) batch indices.
    size_t ia = 0, ib = 0, rest = bo, sa = 1, sb = 1;
    for (size_t d = num_batch_dims; d-- > 0;) {
      const size_t c = rest % dims_out[d];
      rest /= dims_out[d];
      ia += (dims_a[d] == 1 ? 0 : c) * sa;
      ib += (dims_b[d] == 1 ? 0 : c) * sb;
      sa *= dims_a[d];
      sb *= dims_b[d];
    }
    const float* ab = a + ia * m * k;
    const float* bb = b + ib * k * n;
    for (size_t i = 0; i < m; i++) {
      for (size_t j = 0; j < n; j++) {
        double acc = 0.0, mag = 0.0;
        for (size_t kk = 0; kk < k; kk++) {
          const double av = transpose_a ? ab[kk * m + i] : ab[i * k + kk];
          const double bv = transpose_b ? bb[j * k + kk] : bb[kk * n + j];
          acc += av * bv;
          mag += std::fabs(av * bv);
        }
        r.value[(bo * m + i) * n + j] = acc;
        r.magnitude[(bo * m + i) * n + j] = mag;
      }
    }
  }
  return r;
}

}  // namespace pnn_ref
