// Cross-level comparisons: every usable kernel of every registry runs on the same random inputs
// as the scalar kernel of its slot (the reference level), and the two results are compared.
//  - Operations without rounding choices (clamp, abs, negate, square, sqrt, the binary ops, max
//    pooling, the softmax maximum and scale) must agree bit for bit: IEEE-754 fixes their result,
//    and the wrappers' min / max are exactly std::min / std::max (kernels/simd/vec-*.h).
//  - Sums and products that a level may fuse (GEMM, depthwise convolution, average pooling) agree
//    within the rounding difference of the reduction: at most 2 * (terms + 1) * 2^-24 times the
//    sum of the magnitudes of the terms (each of the two results is within (terms + 1) rounding
//    steps of the exact sum, whatever the order or fusion).
//  - Approximated functions (exp, sigmoid, tanh, gelu, silu, elu) agree within the sum of their
//    two documented error bounds around the exact value (kernels/scalar/math-approx.h), since
//    each level is held to that bound on its own (tests/kernels/f32-vunary-test.cc).
// A level the CPU lacks is skipped with a printed reason. The kernel testers (gemm-test, ...)
// check each kernel against double references, guards and remainders; this test checks that the
// levels agree with each other on identical data.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "configs/configs.h"
#include "hardware-config.h"
#include "packing.h"
#include "reference/unary-reference.h"
#include "test-utils.h"
#include "ukernels.h"

namespace {

PNN_TEST_INIT_LIBRARY();

using pnn_test::RandomVector;

constexpr double kUlp = 1.0 / (1 << 24);  // 2^-24: half an ulp of 1, the unit roundoff

bool SameBits(float a, float b) {
  if (std::isnan(a) && std::isnan(b)) return true;  // NaN payloads are not part of the contract
  uint32_t x, y;
  std::memcpy(&x, &a, 4);
  std::memcpy(&y, &b, 4);
  return x == y;
}

// Records which non-scalar kernels were compared, to print and to fail when a registry line the
// CPU runs was never exercised.
struct Seen {
  size_t compared = 0;
  size_t skipped = 0;
};

bool Usable(uint32_t arch, const char* name, Seen* seen) {
  if (pnn::arch_usable(arch)) return true;
  seen->skipped++;
  std::printf("  skipped %s: its level is not usable here (CPU, build or PORTNN_ISA)\n", name);
  return false;
}

// ---------------------------------------------------------------------------------------------
// GEMM.

struct GemmLine {
  uint32_t arch;
  pnn_f32_gemm_ukernel_fn gemm;
  size_t mr, nr;
  const char* name;
};
std::vector<GemmLine> GemmLines() {
  std::vector<GemmLine> v;
#define PNN_GEMM(arch, gemm_fn, igemm_fn, mr, nr) v.push_back({arch, gemm_fn, mr, nr, #gemm_fn});
#include "f32-gemm.inc"
#undef PNN_GEMM
  return v;
}

// C[m][n] of one kernel over every row tile, from row-major A[m][k] and W[n][k] (transposed).
std::vector<float> RunGemm(const GemmLine& l, size_t m, size_t n, size_t k,
                           const std::vector<float>& a, const std::vector<float>& w,
                           const std::vector<float>& bias, float lo, float hi) {
  std::vector<float> packed(pnn::packed_gemm_size(n, k, l.nr));
  pnn::pack_gemm(n, k, l.nr, w.data(), bias.data(), /*transposed=*/true, packed.data());
  std::vector<float> c(m * n);
  const pnn_f32_minmax_params p{lo, hi};
  for (size_t i = 0; i < m; i += l.mr) {
    const size_t rows = m - i < l.mr ? m - i : l.mr;
    l.gemm(rows, n, k, a.data() + i * k, k, packed.data(), c.data() + i * n, n, l.nr, &p);
  }
  return c;
}

TEST(CrossLevel, GemmAgreesWithScalar) {
  const std::vector<GemmLine> lines = GemmLines();
  const GemmLine* scalar = nullptr;
  for (const GemmLine& l : lines)
    if (l.arch == pnn::kArchScalar) scalar = &l;
  ASSERT_NE(scalar, nullptr);
  Seen seen;
  struct Shape {
    size_t m, n, k;
  };
  for (const Shape s : {Shape{1, 1, 1}, Shape{7, 33, 5}, Shape{13, 70, 64}, Shape{16, 48, 257},
                        Shape{29, 17, 3}}) {
    const std::vector<float> a = RandomVector(s.m * s.k, 11 + s.k);
    const std::vector<float> w = RandomVector(s.n * s.k, 12 + s.n);
    const std::vector<float> bias = RandomVector(s.n, 13);
    for (const auto [lo, hi] : {std::pair<float, float>{-INFINITY, INFINITY}, {-0.25f, 0.5f}}) {
      const std::vector<float> ref = RunGemm(*scalar, s.m, s.n, s.k, a, w, bias, lo, hi);
      for (const GemmLine& l : lines) {
        if (l.arch == pnn::kArchScalar || !Usable(l.arch, l.name, &seen)) continue;
        seen.compared++;
        const std::vector<float> c = RunGemm(l, s.m, s.n, s.k, a, w, bias, lo, hi);
        for (size_t i = 0; i < s.m; i++) {
          for (size_t j = 0; j < s.n; j++) {
            double mag = std::fabs(bias[j]);
            for (size_t p = 0; p < s.k; p++) mag += std::fabs(a[i * s.k + p] * w[j * s.k + p]);
            const double tol = 2.0 * static_cast<double>(s.k + 1) * kUlp * mag;
            ASSERT_LE(std::fabs(c[i * s.n + j] - ref[i * s.n + j]), tol)
                << l.name << " vs " << scalar->name << " m=" << s.m << " n=" << s.n << " k=" << s.k
                << " at (" << i << ", " << j << ")";
          }
        }
      }
    }
  }
  std::printf("  gemm: %zu comparisons against %s\n", seen.compared, scalar->name);
}

// ---------------------------------------------------------------------------------------------
// Unary.

struct UnaryLine {
  uint32_t arch;
  int slot;
  pnn_f32_vunary_ukernel_fn fn;
  const char* name;
};

bool ExactUnary(int slot) {
  return slot == pnn_unary_clamp || slot == pnn_unary_abs || slot == pnn_unary_negate ||
         slot == pnn_unary_square || slot == pnn_unary_sqrt || slot == pnn_unary_reciprocal ||
         slot == pnn_unary_rsqrt;
}

TEST(CrossLevel, UnaryAgreesWithScalar) {
  std::vector<UnaryLine> lines;
#define PNN_VUNARY(arch, op, fn, tile) lines.push_back({arch, static_cast<int>(op), fn, #fn});
#include "f32-vunary.inc"
#undef PNN_VUNARY
  Seen seen;
  const size_t n = 1037;  // odd, so every kernel runs its remainder path
  std::vector<float> x = RandomVector(n, 21, -12.0f, 12.0f);
  const float specials[] = {0.0f, -0.0f, INFINITY, -INFINITY, NAN, 1e-40f, -1e-40f, 88.8f, -104.0f};
  for (size_t i = 0; i < n; i += 7) x[i] = specials[(i / 7) % (sizeof specials / sizeof *specials)];
  const pnn_f32_unary_params kp{-0.5f, 0.75f, 0.01f, 1.0f};
  const pnn_unary_params up{-0.5f, 0.75f, 0.01f, 1.0f};
  for (const UnaryLine& l : lines) {
    if (l.arch == pnn::kArchScalar || !Usable(l.arch, l.name, &seen)) continue;
    const UnaryLine* scalar = nullptr;
    for (const UnaryLine& s : lines)
      if (s.arch == pnn::kArchScalar && s.slot == l.slot) scalar = &s;
    ASSERT_NE(scalar, nullptr) << "no scalar kernel for the slot of " << l.name;
    std::vector<float> xs = x;
    if (l.slot == pnn_unary_sqrt)
      for (float& v : xs) v = std::fabs(v);
    std::vector<float> y(n), ys(n);
    l.fn(n, xs.data(), y.data(), &kp);
    scalar->fn(n, xs.data(), ys.data(), &kp);
    seen.compared++;
    const bool gelu_tanh = l.slot == pnn::kUnaryGeluTanh;
    const pnn_unary_op op = gelu_tanh ? pnn_unary_gelu : static_cast<pnn_unary_op>(l.slot);
    const pnn::approx::ErrorBound b = pnn_ref::unary_error_bound(op, gelu_tanh);
    for (size_t i = 0; i < n; i++) {
      if (l.slot == pnn_unary_clamp && std::isnan(xs[i])) continue;  // unspecified (portnn.h)
      if (ExactUnary(l.slot) || (b.rel == 0.0 && b.abs == 0.0)) {
        ASSERT_TRUE(SameBits(y[i], ys[i]))
            << l.name << " vs " << scalar->name << " x=" << xs[i] << ": " << y[i] << " vs "
            << ys[i];
        continue;
      }
      if (std::isnan(ys[i]) || std::isinf(ys[i])) {
        ASSERT_TRUE(SameBits(y[i], ys[i])) << l.name << " x=" << xs[i];
        continue;
      }
      const double r = pnn_ref::unary(op, xs[i], up, gelu_tanh);
      const double tol = 2.0 * (b.rel * std::fabs(r) + b.abs);
      ASSERT_LE(std::fabs(static_cast<double>(y[i]) - ys[i]), tol)
          << l.name << " vs " << scalar->name << " x=" << xs[i] << ": " << y[i] << " vs " << ys[i];
    }
  }
  std::printf("  unary: %zu kernels compared with the scalar ones\n", seen.compared);
}

// ---------------------------------------------------------------------------------------------
// Binary: every op but pow is exact in IEEE arithmetic, so every level must match bit for bit;
// pow within twice its documented bound of the scalar result.

struct BinaryLine {
  uint32_t arch;
  int op, form;
  pnn_f32_vbinary_ukernel_fn fn;
  const char* name;
};

TEST(CrossLevel, BinaryMatchesScalarBitForBit) {
  std::vector<BinaryLine> lines;
#define PNN_VBINARY(arch, op, form, fn, tile) \
  lines.push_back({arch, static_cast<int>(op), static_cast<int>(form), fn, #fn});
#include "f32-vbinary.inc"
#undef PNN_VBINARY
  Seen seen;
  const size_t n = 523;
  const std::vector<float> a = RandomVector(n, 31, -4.0f, 4.0f);
  // b + 3 is the operand: n floats for vop, one for the *c forms.
  std::vector<float> b = RandomVector(n + 3, 32, 0.25f, 4.0f);
  for (size_t i = 0; i < n; i += 2) b[i] = -b[i];
  for (const auto [lo, hi] : {std::pair<float, float>{-INFINITY, INFINITY}, {-1.5f, 2.5f}}) {
    const pnn_f32_minmax_params p{lo, hi};
    for (const BinaryLine& l : lines) {
      if (l.arch == pnn::kArchScalar || !Usable(l.arch, l.name, &seen)) continue;
      const BinaryLine* scalar = nullptr;
      for (const BinaryLine& s : lines)
        if (s.arch == pnn::kArchScalar && s.op == l.op && s.form == l.form) scalar = &s;
      ASSERT_NE(scalar, nullptr) << "no scalar kernel for " << l.name;
      std::vector<float> y(n), ys(n);
      l.fn(n, a.data(), b.data() + 3, y.data(), &p);
      scalar->fn(n, a.data(), b.data() + 3, ys.data(), &p);
      seen.compared++;
      for (size_t i = 0; i < n; i++) {
        if (l.op == pnn_binary_pow && !SameBits(y[i], ys[i])) {
          // Not exact (levels with FMA round differently): both within pow's bound.
          const double ln = std::fabs(std::log(std::fabs(static_cast<double>(ys[i]))));
          const double tol = 2.0 * ((pnn::approx::kPowError.rel + pnn::approx::kPowLogRel * ln) *
                                        std::fabs(ys[i]) +
                                    pnn::approx::kPowError.abs);
          ASSERT_TRUE(std::isfinite(ys[i]) && std::fabs(double{y[i]} - ys[i]) <= tol)
              << l.name << " vs " << scalar->name << " at " << i << ": " << y[i] << " vs " << ys[i];
          continue;
        }
        ASSERT_TRUE(SameBits(y[i], ys[i])) << l.name << " vs " << scalar->name << " at " << i;
      }
    }
  }
  std::printf("  binary: %zu comparisons\n", seen.compared);
}

// ---------------------------------------------------------------------------------------------
// Depthwise convolution, through one indirection row of 5 output pixels.

struct DwLine {
  uint32_t arch;
  pnn_f32_dwconv_ukernel_fn fn;
  size_t taps, ct;
  const char* name;
};

std::vector<float> PackDw(size_t channels, size_t ks, size_t ct, const std::vector<float>& w,
                          const std::vector<float>& bias) {
  const size_t tiles = (channels + ct - 1) / ct;
  std::vector<float> packed(tiles * ct * (1 + ks), 0.0f);
  for (size_t t = 0; t < tiles; t++) {
    float* p = packed.data() + t * ct * (1 + ks);
    for (size_t c = 0; c < ct && t * ct + c < channels; c++) {
      p[c] = bias[t * ct + c];
      for (size_t k = 0; k < ks; k++) p[ct * (1 + k) + c] = w[k * channels + t * ct + c];
    }
  }
  return packed;
}

TEST(CrossLevel, DwconvAgreesWithScalar) {
  std::vector<DwLine> lines;
#define PNN_DWCONV(arch, fn, taps, ct) lines.push_back({arch, fn, taps, ct, #fn});
#include "f32-dwconv.inc"
#undef PNN_DWCONV
  Seen seen;
  const size_t width = 5;
  for (const size_t channels : {size_t{1}, size_t{19}, size_t{70}}) {
    for (const size_t ks : {size_t{4}, size_t{9}, size_t{25}, size_t{7}}) {
      const DwLine* scalar = nullptr;
      for (const DwLine& l : lines)
        if (l.arch == pnn::kArchScalar && (l.taps == ks || l.taps == 0) && scalar == nullptr)
          scalar = &l;
      ASSERT_NE(scalar, nullptr);
      const size_t rows = width + ks;  // pixel x uses rows x .. x + ks - 1
      const std::vector<float> in = RandomVector(rows * channels, 41 + ks);
      const std::vector<float> w = RandomVector(ks * channels, 42 + channels);
      const std::vector<float> bias = RandomVector(channels, 43);
      const std::vector<float> zero(256, 0.0f);
      std::vector<const float*> ind(width + ks);
      for (size_t r = 0; r < rows; r++) ind[r] = r == 2 ? zero.data() : in.data() + r * channels;
      const pnn_f32_minmax_params p{-INFINITY, INFINITY};
      auto run = [&](const DwLine& l) {
        const std::vector<float> packed = PackDw(channels, ks, l.ct, w, bias);
        std::vector<float> out(width * channels);
        l.fn(channels, width, ks, ind.data(), packed.data(), out.data(), /*input_increment=*/1,
             channels, /*input_offset=*/0, zero.data(), &p);
        return out;
      };
      const std::vector<float> ref = run(*scalar);
      for (const DwLine& l : lines) {
        if (l.arch == pnn::kArchScalar || (l.taps != ks && l.taps != 0)) continue;
        if (!Usable(l.arch, l.name, &seen)) continue;
        ASSERT_LE(channels, zero.size());
        const std::vector<float> out = run(l);
        seen.compared++;
        for (size_t x = 0; x < width; x++) {
          for (size_t c = 0; c < channels; c++) {
            double mag = std::fabs(bias[c]);
            for (size_t k = 0; k < ks; k++)
              mag += std::fabs(ind[x + k][c] * w[k * channels + c]);
            const double tol = 2.0 * static_cast<double>(ks + 1) * kUlp * mag;
            ASSERT_LE(std::fabs(out[x * channels + c] - ref[x * channels + c]), tol)
                << l.name << " vs " << scalar->name << " channels=" << channels << " ks=" << ks
                << " at pixel " << x << " channel " << c;
          }
        }
      }
    }
  }
  std::printf("  dwconv: %zu comparisons\n", seen.compared);
}

// ---------------------------------------------------------------------------------------------
// Pooling: max exactly; global average within the rounding of its sum.

struct MaxpoolLine {
  uint32_t arch;
  pnn_f32_maxpool_ukernel_fn fn;
  const char* name;
};
struct GavgLine {
  uint32_t arch;
  pnn_f32_gavgpool_ukernel_fn fn;
  const char* name;
};

TEST(CrossLevel, PoolingAgreesWithScalar) {
  std::vector<MaxpoolLine> max_lines;
  std::vector<GavgLine> gavg_lines;
#define PNN_MAXPOOL(arch, fn, ct) max_lines.push_back({arch, fn, #fn});
#include "f32-maxpool.inc"
#undef PNN_MAXPOOL
#define PNN_GAVGPOOL(arch, fn, ct) gavg_lines.push_back({arch, fn, #fn});
#include "f32-gavgpool.inc"
#undef PNN_GAVGPOOL
  Seen seen;
  const size_t channels = 77, ks = 9, pixels = 4;
  const std::vector<float> in = RandomVector((pixels + ks) * channels, 51);
  std::vector<const float*> ind(pixels + ks);
  for (size_t r = 0; r < ind.size(); r++) ind[r] = in.data() + r * channels;
  const pnn_f32_minmax_params p{-0.5f, 0.75f};
  std::vector<float> ref(pixels * channels);
  const MaxpoolLine& max_scalar = max_lines.back();
  ASSERT_EQ(max_scalar.arch, pnn::kArchScalar);
  max_scalar.fn(pixels, ks, channels, ind.data(), 0, 1, ref.data(), channels, &p);
  for (const MaxpoolLine& l : max_lines) {
    if (l.arch == pnn::kArchScalar || !Usable(l.arch, l.name, &seen)) continue;
    std::vector<float> out(pixels * channels);
    l.fn(pixels, ks, channels, ind.data(), 0, 1, out.data(), channels, &p);
    seen.compared++;
    for (size_t i = 0; i < out.size(); i++)
      ASSERT_TRUE(SameBits(out[i], ref[i])) << l.name << " vs " << max_scalar.name << " at " << i;
  }

  const size_t rows = 49;
  const std::vector<float> x = RandomVector(rows * channels, 52);
  const pnn_f32_gavgpool_params gp{1.0f / rows, -INFINITY, INFINITY};
  const GavgLine& gavg_scalar = gavg_lines.back();
  ASSERT_EQ(gavg_scalar.arch, pnn::kArchScalar);
  std::vector<float> gref(channels);
  gavg_scalar.fn(rows, channels, x.data(), channels, gref.data(), &gp);
  for (const GavgLine& l : gavg_lines) {
    if (l.arch == pnn::kArchScalar || !Usable(l.arch, l.name, &seen)) continue;
    std::vector<float> out(channels);
    l.fn(rows, channels, x.data(), channels, out.data(), &gp);
    seen.compared++;
    for (size_t c = 0; c < channels; c++) {
      double mag = 0.0;
      for (size_t r = 0; r < rows; r++) mag += std::fabs(x[r * channels + c]);
      const double tol = 2.0 * static_cast<double>(rows + 1) * kUlp * mag / rows;
      ASSERT_LE(std::fabs(out[c] - gref[c]), tol) << l.name << " channel " << c;
    }
  }
  std::printf("  pooling: %zu comparisons\n", seen.compared);
}

// ---------------------------------------------------------------------------------------------
// Softmax kernels: the maximum and the scale exactly; exp(x - max) within twice exp's bound and
// the sum within the rounding of n additions of terms in [0, 1].

TEST(CrossLevel, SoftmaxAgreesWithScalar) {
  struct Rmax {
    uint32_t arch;
    pnn_f32_rmax_ukernel_fn fn;
    const char* name;
  };
  struct Rexp {
    uint32_t arch;
    pnn_f32_raddstoreexpminusmax_ukernel_fn fn;
    const char* name;
  };
  struct Vscale {
    uint32_t arch;
    pnn_f32_vscale_ukernel_fn fn;
    const char* name;
  };
  std::vector<Rmax> rmax;
  std::vector<Rexp> rexp;
  std::vector<Vscale> vscale;
#define PNN_RMAX(arch, fn, tile) rmax.push_back({arch, fn, #fn});
#define PNN_RADDSTOREEXPMINUSMAX(arch, fn, tile) rexp.push_back({arch, fn, #fn});
#define PNN_VSCALE(arch, fn, tile) vscale.push_back({arch, fn, #fn});
#include "f32-softmax.inc"
#undef PNN_RMAX
#undef PNN_RADDSTOREEXPMINUSMAX
#undef PNN_VSCALE
  Seen seen;
  const size_t n = 1001;
  const std::vector<float> x = RandomVector(n, 61, -20.0f, 20.0f);
  ASSERT_EQ(rmax.back().arch, pnn::kArchScalar);
  float m_ref = 0.0f;
  rmax.back().fn(n, x.data(), &m_ref);
  for (const Rmax& l : rmax) {
    if (l.arch == pnn::kArchScalar || !Usable(l.arch, l.name, &seen)) continue;
    float m = 0.0f;
    l.fn(n, x.data(), &m);
    seen.compared++;
    ASSERT_TRUE(SameBits(m, m_ref)) << l.name;
  }
  ASSERT_EQ(rexp.back().arch, pnn::kArchScalar);
  std::vector<float> e_ref(n);
  float s_ref = 0.0f;
  rexp.back().fn(n, x.data(), m_ref, e_ref.data(), &s_ref);
  const pnn::approx::ErrorBound eb = pnn::approx::kExpError;
  for (const Rexp& l : rexp) {
    if (l.arch == pnn::kArchScalar || !Usable(l.arch, l.name, &seen)) continue;
    std::vector<float> e(n);
    float s = 0.0f;
    l.fn(n, x.data(), m_ref, e.data(), &s);
    seen.compared++;
    double sum_bound = 0.0;
    for (size_t i = 0; i < n; i++) {
      const double r = std::exp(static_cast<double>(x[i]) - m_ref);
      const double tol = 2.0 * (eb.rel * r + eb.abs);
      sum_bound += tol;
      ASSERT_LE(std::fabs(static_cast<double>(e[i]) - e_ref[i]), tol) << l.name << " at " << i;
    }
    sum_bound += 2.0 * static_cast<double>(n) * kUlp * s_ref;
    ASSERT_LE(std::fabs(static_cast<double>(s) - s_ref), sum_bound) << l.name;
  }
  ASSERT_EQ(vscale.back().arch, pnn::kArchScalar);
  std::vector<float> v_ref(n);
  vscale.back().fn(n, x.data(), 0.37f, v_ref.data());
  for (const Vscale& l : vscale) {
    if (l.arch == pnn::kArchScalar || !Usable(l.arch, l.name, &seen)) continue;
    std::vector<float> v(n);
    l.fn(n, x.data(), 0.37f, v.data());
    seen.compared++;
    for (size_t i = 0; i < n; i++) ASSERT_TRUE(SameBits(v[i], v_ref[i])) << l.name << " at " << i;
  }
  std::printf("  softmax: %zu comparisons\n", seen.compared);
}

}  // namespace
