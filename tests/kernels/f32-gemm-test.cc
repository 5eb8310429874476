// f32 GEMM / IGEMM kernels: one case per line of kernels/f32-gemm.inc (both kernels of the line,
// over every m <= MR, n up to 3 NR + 1, several k, strides, clamps, packings, zero rows and
// offsets), the config's choice, and checks that the tester catches broken kernels.
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include "configs/configs.h"
#include "kernels/gemm-tester.h"

PNN_TEST_INIT_LIBRARY();

namespace pnn_test {
namespace {

constexpr size_t kKs[] = {1, 2, 3, 7, 16, 33};

// Runs `body(tester, m, n, k)` for m = 1..MR, n = 1..3*NR+1, k in kKs; stops at the first
// failure of this sweep.
template <typename Body>
void Sweep(const GemmEntry& e, Body body) {
  const int failures_before = FailureCount();
  for (size_t k : kKs) {
    for (size_t m = 1; m <= e.mr; m++) {
      for (size_t n = 1; n <= 3 * e.nr + 1; n++) {
        GemmTester t;
        t.m(m).n(n).k(k).seed(static_cast<uint32_t>(1000 * k + 37 * m + n));
        body(t, m, n, k);
        if (FailureCount() != failures_before) return;
      }
    }
  }
}

// Both kernels of a line, over every sweep.
void TestGemmLine(const GemmEntry& e) {
  {
    SCOPED_TRACE("gemm, dense");
    Sweep(e, [&](GemmTester& t, size_t, size_t, size_t) { t.Test(e.gemm, e.mr, e.nr); });
  }
  {
    SCOPED_TRACE("gemm, prime strides");
    Sweep(e, [&](GemmTester& t, size_t, size_t n, size_t k) {
      t.a_stride(NextPrime(k + 1)).cm_stride(NextPrime(n + 1)).Test(e.gemm, e.mr, e.nr);
    });
  }
  {
    SCOPED_TRACE("gemm, clamped");
    Sweep(e, [&](GemmTester& t, size_t, size_t n, size_t k) {
      t.clamp(true).a_stride(NextPrime(k + 2)).cm_stride(NextPrime(n + 3)).Test(e.gemm, e.mr, e.nr);
    });
  }
  const size_t cn = NextPrime(e.nr + 1);
  {
    SCOPED_TRACE("gemm, cn_stride > NR");
    Sweep(e, [&](GemmTester& t, size_t, size_t n, size_t) {
      const size_t extent = (n - 1) / e.nr * cn + e.nr;
      t.cn_stride(cn).cm_stride(NextPrime(extent + 1)).Test(e.gemm, e.mr, e.nr);
    });
  }
  {
    SCOPED_TRACE("gemm, transposed packing");
    Sweep(e, [&](GemmTester& t, size_t, size_t, size_t) {
      t.transposed_weights(true).Test(e.gemm, e.mr, e.nr);
    });
  }
  for (size_t ks : {1, 3}) {
    SCOPED_TRACE(std::string(e.igemm_name) + ", dense, ks " + std::to_string(ks));
    Sweep(e, [&](GemmTester& t, size_t, size_t, size_t) { t.ks(ks).Test(e.igemm, e.mr, e.nr); });
  }
  {
    SCOPED_TRACE(std::string(e.igemm_name) + ", prime strides, clamped");
    Sweep(e, [&](GemmTester& t, size_t, size_t n, size_t k) {
      t.ks(2).a_stride(NextPrime(k + 1)).cm_stride(NextPrime(n + 1)).clamp(true);
      t.Test(e.igemm, e.mr, e.nr);
    });
  }
  {
    SCOPED_TRACE(std::string(e.igemm_name) + ", zero rows and offset");
    Sweep(e, [&](GemmTester& t, size_t m, size_t, size_t k) {
      for (size_t zero = 0; zero < m; zero++) {
        GemmTester(t)
            .ks(3)
            .a_offset(37)
            .a_stride(NextPrime(k + 1))
            .zero_index(zero)
            .Test(e.igemm, e.mr, e.nr);
      }
    });
  }
  {
    SCOPED_TRACE(std::string(e.igemm_name) + ", cn_stride > NR");
    Sweep(e, [&](GemmTester& t, size_t, size_t n, size_t) {
      const size_t extent = (n - 1) / e.nr * cn + e.nr;
      t.ks(2).cn_stride(cn).cm_stride(NextPrime(extent + 1)).Test(e.igemm, e.mr, e.nr);
    });
  }
}

PNN_REGISTRY_TEST(F32Gemm, registry().gemm, TestGemmLine);

TEST(F32GemmConfig, SelectedKernelIsARunnableRegistryEntry) {
  const pnn::GemmConfig* config = pnn::get_gemm_config();
  ASSERT_NE(config->gemm, nullptr);
  bool found = false;
  for (const GemmEntry& e : registry().gemm) {
    found = found || (Runnable(e.arch, e.name) && e.gemm == config->gemm &&
                      e.igemm == config->igemm && e.mr == config->mr && e.nr == config->nr);
  }
  EXPECT_TRUE(found) << config->gemm_name;
}

// The tester itself must catch broken kernels: one writing one float past its block, one
// computing a wrong value, one reading past the end of A. All wrap the selected kernel.
void GemmWritingPastBlock(size_t mr, size_t nc, size_t kc, const float* a, size_t a_stride,
                          const float* w, float* c, size_t cm_stride, size_t cn_stride,
                          const pnn_f32_minmax_params* params) {
  pnn::get_gemm_config()->gemm(mr, nc, kc, a, a_stride, w, c, cm_stride, cn_stride, params);
  c[nc] = 0.0f;  // row 0, one past the last column; inside the buffer since cm_stride > nc
}

void GemmOffByOne(size_t mr, size_t nc, size_t kc, const float* a, size_t a_stride, const float* w,
                  float* c, size_t cm_stride, size_t cn_stride,
                  const pnn_f32_minmax_params* params) {
  pnn::get_gemm_config()->gemm(mr, nc, kc, a, a_stride, w, c, cm_stride, cn_stride, params);
  c[cm_stride * (mr - 1) + nc - 1] += 1e-2f;
}

volatile float g_sink;
void GemmReadingPastA(size_t mr, size_t nc, size_t kc, const float* a, size_t a_stride,
                      const float* w, float* c, size_t cm_stride, size_t cn_stride,
                      const pnn_f32_minmax_params* params) {
  pnn::get_gemm_config()->gemm(mr, nc, kc, a, a_stride, w, c, cm_stride, cn_stride, params);
  g_sink = a[(mr - 1) * a_stride + kc];  // the float after the last row of A
}

void GemmWritingPastC(size_t mr, size_t nc, size_t kc, const float* a, size_t a_stride,
                      const float* w, float* c, size_t cm_stride, size_t cn_stride,
                      const pnn_f32_minmax_params* params) {
  pnn::get_gemm_config()->gemm(mr, nc, kc, a, a_stride, w, c, cm_stride, cn_stride, params);
  c[(mr - 1) * cm_stride + nc] = 0.0f;  // the float after the block's last element
}

void RunBroken(pnn_f32_gemm_ukernel_fn fn, size_t cm_stride_extra) {
  const size_t mr = pnn::get_gemm_config()->mr, nr = pnn::get_gemm_config()->nr;
  GemmTester t;
  t.m(mr).n(nr + 1).k(5);
  if (cm_stride_extra != 0) t.cm_stride(nr + 1 + cm_stride_extra);
  t.Test(fn, mr, nr);
}

TEST(F32GemmTester, CatchesBrokenKernels) {
  EXPECT_NONFATAL_FAILURE(RunBroken(&GemmWritingPastBlock, 3), "write outside the block");
  EXPECT_NONFATAL_FAILURE(RunBroken(&GemmOffByOne, 0), "wrong value");
#if PNN_TEST_GUARD_PAGES
  EXPECT_FATAL_FAILURE(RunBroken(&GemmReadingPastA, 0), "out-of-bounds access");
  EXPECT_FATAL_FAILURE(RunBroken(&GemmWritingPastC, 0), "out-of-bounds access");
#else
  EXPECT_NONFATAL_FAILURE(RunBroken(&GemmWritingPastC, 0), "a canary changed");
#endif
}

}  // namespace
}  // namespace pnn_test
