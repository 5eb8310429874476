// f32 Winograd F(2x2, 3x3) transform kernels: one case per line of kernels/f32-winograd.inc (both
// transforms of the line, over channel counts around every vector width, point strides with
// gaps, clamps and missing output pixels), against the transforms written out in float in the
// kernels' own order of operations (additions only, so the results must match bit for bit), and
// the config's choice. Every buffer is an ExactBuffer: reads or writes past a row, a point or an
// output pixel fail the case.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "configs/configs.h"
#include "kernels/kernel-test.h"
#include "test-utils.h"
#include "ukernels.h"

PNN_TEST_INIT_LIBRARY();

namespace pnn_test {
namespace {

struct WinogradEntry {
  uint32_t arch;
  const char* name;
  pnn_f32_winograd_input_ukernel_fn input;
  pnn_f32_winograd_output_ukernel_fn output;
  friend void PrintTo(const WinogradEntry& e, std::ostream* os) { *os << e.name; }
};

const std::vector<WinogradEntry>& Lines() {
  static const std::vector<WinogradEntry> lines = [] {
    std::vector<WinogradEntry> v;
#define PNN_WINOGRAD(arch, input, output) v.push_back({arch, #input, input, output});
#include "f32-winograd.inc"
#undef PNN_WINOGRAD
    return v;
  }();
  return lines;
}

constexpr size_t kChannels[] = {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 47, 64, 100};

std::vector<std::unique_ptr<ExactBuffer>> Buffers(size_t count, size_t n, uint32_t seed) {
  std::vector<std::unique_ptr<ExactBuffer>> b;
  for (size_t i = 0; i < count; i++) {
    b.push_back(std::make_unique<ExactBuffer>(n));
    const std::vector<float> values = RandomVector(n, seed + static_cast<uint32_t>(i));
    b.back()->assign(values.data());
  }
  return b;
}

void TestInput(const WinogradEntry& e, size_t channels) {
  SCOPED_TRACE("input, channels " + std::to_string(channels));
  const size_t stride = channels + 3;  // gaps between the points stay untouched
  auto rows = Buffers(16, channels, static_cast<uint32_t>(10 * channels));
  const float* row_ptrs[16];
  for (size_t i = 0; i < 16; i++) row_ptrs[i] = rows[i]->data();
  std::vector<std::vector<float>> before;
  for (auto& r : rows) before.emplace_back(r->data(), r->data() + channels);
  ExactBuffer v(15 * stride + channels);
  e.input(channels, row_ptrs, v.data(), stride);
  ASSERT_TRUE(v.CheckGuards()) << "write outside v";
  for (size_t i = 0; i < 16; i++) {
    ASSERT_TRUE(rows[i]->CheckGuards());
    ASSERT_TRUE(std::equal(before[i].begin(), before[i].end(), rows[i]->data())) << "row " << i;
  }
  for (size_t c = 0; c < channels; c++) {
    float d[16], t[16];
    for (size_t i = 0; i < 16; i++) d[i] = row_ptrs[i][c];
    for (size_t j = 0; j < 4; j++) {
      t[0 + j] = d[0 + j] - d[8 + j];
      t[4 + j] = d[4 + j] + d[8 + j];
      t[8 + j] = d[8 + j] - d[4 + j];
      t[12 + j] = d[4 + j] - d[12 + j];
    }
    for (size_t i = 0; i < 16; i += 4) {
      const float o[4] = {t[i] - t[i + 2], t[i + 1] + t[i + 2], t[i + 2] - t[i + 1],
                          t[i + 1] - t[i + 3]};
      for (size_t j = 0; j < 4; j++) {
        ASSERT_EQ(v[(i + j) * stride + c], o[j]) << "point " << i + j << " channel " << c;
      }
    }
  }
  for (size_t e2 = 0; e2 + 1 < 16; e2++) {
    for (size_t g = channels; g < stride; g++) {
      ASSERT_TRUE(GuardedBuffer::IsSentinel(v[e2 * stride + g])) << "gap written at point " << e2;
    }
  }
}

void TestOutput(const WinogradEntry& e, size_t channels, unsigned present, bool clamp) {
  SCOPED_TRACE("output, channels " + std::to_string(channels) + ", pixels mask " +
               std::to_string(present) + (clamp ? ", clamped" : ""));
  const size_t stride = channels + 5;
  ExactBuffer m(15 * stride + channels);
  const std::vector<float> values = RandomVector(m.size(), static_cast<uint32_t>(channels + 7));
  m.assign(values.data());
  ExactBuffer bias(channels);
  const std::vector<float> bv = RandomVector(channels, static_cast<uint32_t>(channels + 8));
  bias.assign(bv.data());
  std::vector<std::unique_ptr<ExactBuffer>> out;
  float* out_ptrs[4];
  for (size_t q = 0; q < 4; q++) {
    out.push_back(std::make_unique<ExactBuffer>(channels));
    out_ptrs[q] = (present >> q & 1) != 0 ? out[q]->data() : nullptr;
  }
  const pnn_f32_minmax_params params =
      clamp ? pnn_f32_minmax_params{-0.75f, 0.5f} : pnn_f32_minmax_params{-INFINITY, INFINITY};
  e.output(channels, m.data(), stride, bias.data(), out_ptrs, &params);
  ASSERT_TRUE(m.CheckGuards());
  ASSERT_TRUE(std::equal(values.begin(), values.end(), m.data())) << "m changed";
  ASSERT_TRUE(std::equal(bv.begin(), bv.end(), bias.data())) << "bias changed";
  for (size_t q = 0; q < 4; q++) {
    if (out_ptrs[q] == nullptr) {
      ASSERT_TRUE(out[q]->Untouched()) << "missing pixel " << q << " written";
    } else {
      ASSERT_TRUE(out[q]->CheckGuards()) << "write outside pixel " << q;
    }
  }
  for (size_t c = 0; c < channels; c++) {
    float p[16], s[8];
    for (size_t i = 0; i < 16; i++) p[i] = m[i * stride + c];
    for (size_t j = 0; j < 4; j++) {
      s[0 + j] = (p[0 + j] + p[4 + j]) + p[8 + j];
      s[4 + j] = (p[4 + j] - p[8 + j]) - p[12 + j];
    }
    for (size_t i = 0; i < 2; i++) {
      const float y[2] = {((s[i * 4] + s[i * 4 + 1]) + s[i * 4 + 2]) + bias[c],
                          ((s[i * 4 + 1] - s[i * 4 + 2]) - s[i * 4 + 3]) + bias[c]};
      for (size_t j = 0; j < 2; j++) {
        if (out_ptrs[i * 2 + j] == nullptr) continue;
        const float expect = std::min(std::max(y[j], params.min), params.max);
        ASSERT_EQ(out_ptrs[i * 2 + j][c], expect) << "pixel " << i * 2 + j << " channel " << c;
      }
    }
  }
}

void TestLine(const WinogradEntry& e) {
  for (size_t channels : kChannels) {
    TestInput(e, channels);
    if (::testing::Test::HasFatalFailure()) return;
    for (unsigned present : {15u, 1u, 5u, 3u, 0u}) {
      for (bool clamp : {false, true}) {
        TestOutput(e, channels, present, clamp);
        if (::testing::Test::HasFatalFailure()) return;
      }
    }
  }
}

PNN_REGISTRY_TEST(F32Winograd, Lines(), TestLine);

TEST(F32WinogradConfig, SelectedPairIsARunnableRegistryLine) {
  const pnn::GemmConfig* config = pnn::get_gemm_config();
  ASSERT_NE(config->winograd_input, nullptr);
  bool found = false;
  for (const WinogradEntry& e : Lines()) {
    found = found || (Runnable(e.arch, e.name) && e.input == config->winograd_input &&
                      e.output == config->winograd_output);
  }
  EXPECT_TRUE(found) << config->winograd_input_name;
}

}  // namespace
}  // namespace pnn_test
