// The indirection convention (src/indirection.h), checked pointer by pointer on its three
// layouts: every tap, displaced by the offset bind() returns, names the input pixel the window
// definition gives (signed positions, computed here), or is the zero row (convolution, average
// pooling) or a valid tap of the same window (max pooling). Both anchors are exercised: the low
// one (setup only computes an offset) and the one past the zero row with an input below it
// (setup rebuilds against the input).
#include "indirection.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "window.h"

namespace {

using namespace pnn;

const WindowNames kNames = {"height", "kernel", "stride", "dilation", "before", "after"};

WindowAxis Axis(uint64_t in, uint32_t k, uint32_t s, uint32_t d, uint32_t pb, uint32_t pa) {
  WindowAxis a;
  EXPECT_EQ(resolve_window(in, WindowSpec{k, s, d, pb, pa}, kNames, &a), pnn_status_success);
  return a;
}

// Input index of tap k of window o, or -1 for padding (signed positions).
int64_t Index(const WindowAxis& a, int64_t o, int64_t k) {
  const int64_t pos = o * int64_t(a.stride) + k * int64_t(a.dilation) - int64_t(a.pad_before);
  return pos >= 0 && pos < int64_t(a.in) ? pos : -1;
}

// The element a tap must read, or -1 for padding.
int64_t Element(const IndirectionPlan& p, size_t oy, size_t ox, size_t ky, size_t kx) {
  const int64_t iy = Index(p.y, oy, ky), ix = Index(p.x, ox, kx);
  if (iy < 0 || ix < 0) return -1;
  return (iy * int64_t(p.input_width) + ix) * int64_t(p.pixel_stride);
}

// Checks one pointer: displaced, it reads `element` of `input`; padding reads `zero`, or (max
// pooling) some valid tap of the window, listed in `valid`.
void CheckTap(const float* ptr, size_t offset, const float* input, const float* zero,
              int64_t element, const std::vector<const float*>* valid) {
  if (element < 0) {
    if (valid == nullptr) {
      ASSERT_EQ(ptr, zero);
    } else {
      bool found = false;
      for (const float* v : *valid) found |= v == ptr;
      ASSERT_TRUE(found) << "a padded max-pooling tap must repeat a valid tap";
    }
    return;
  }
  ASSERT_NE(ptr, zero);
  const uintptr_t displaced = reinterpret_cast<uintptr_t>(ptr) + offset * sizeof(float);
  ASSERT_EQ(displaced, reinterpret_cast<uintptr_t>(input + element));
}

void CheckAll(const IndirectionPlan& p, const Indirection& ind, size_t offset, const float* input,
              const float* zero) {
  const size_t oh = p.y.out, ow = p.x.out, kh = p.y.kernel, kw = p.x.kernel, ks = kh * kw;
  const float* const* ptrs = ind.pointers.data();
  for (size_t oy = 0; oy < oh; oy++)
    for (size_t ox = 0; ox < ow; ox++) {
      const size_t px = oy * ow + ox;
      std::vector<const float*> valid;
      for (size_t ky = 0; ky < kh; ky++)
        for (size_t kx = 0; kx < kw; kx++) {
          const float* ptr = nullptr;
          switch (p.layout) {
            case IndirectionLayout::kPooling:
              ptr = ptrs[px * ks + ky * kw + kx];
              break;
            case IndirectionLayout::kIgemm:
              ptr = ptrs[(px / p.mr) * p.mr * ks + (ky * kw + kx) * p.mr + px % p.mr];
              break;
            case IndirectionLayout::kDwconv:
              ptr = ptrs[oy * p.row_pointers + (ox * p.shift + kx) * kh + ky];
              break;
          }
          const int64_t e = Element(p, oy, ox, ky, kx);
          if (e >= 0) valid.push_back(ptr);
          if (p.padding_tap == PaddingTap::kZeroRow || e >= 0) {
            CheckTap(ptr, offset, input, zero, e, nullptr);
          }
        }
      if (p.padding_tap == PaddingTap::kRepeatValidTap) {
        for (size_t k = 0; k < ks; k++) {
          const int64_t e = Element(p, oy, ox, k / kw, k % kw);
          CheckTap(ptrs[px * ks + k], offset, input, zero, e, &valid);
        }
      }
    }
  if (p.layout == IndirectionLayout::kIgemm) {
    // The last tile's spare slots repeat its last pixel.
    const size_t pixels = oh * ow, last = pixels - 1;
    for (size_t slot = pixels; slot % p.mr != 0; slot++)
      for (size_t t = 0; t < ks; t++)
        ASSERT_EQ(ptrs[(slot / p.mr) * p.mr * ks + t * p.mr + slot % p.mr],
                  ptrs[(last / p.mr) * p.mr * ks + t * p.mr + last % p.mr]);
  }
}

// Below every heap allocation: binding it after a build anchored past the zero row rebuilds.
float g_low_input[9 * 8 * 3];

void Exercise(IndirectionPlan plan) {
  std::vector<float> zero(8, 0.0f), input(plan.image_floats);
  size_t count = 0;
  ASSERT_TRUE(plan.count_pointers(&count));
  Indirection ind;
  ASSERT_TRUE(ind.pointers.allocate(count));

  // The low anchor: binding only computes an offset.
  ind.build(plan, zero.data(), zero.size());
  ASSERT_EQ(ind.anchor(), 64u);
  size_t offset = ind.bind(input.data());
  EXPECT_EQ(ind.anchor(), 64u);
  CheckAll(plan, ind, offset, input.data(), zero.data());

  // An image claimed longer than the address space below the zero row: anchored past it. An
  // input below that anchor makes bind() rebuild against the input (offset 0).
  IndirectionPlan huge = plan;
  huge.image_floats = reinterpret_cast<uintptr_t>(zero.data()) / sizeof(float);
  ind.build(huge, zero.data(), zero.size());
  const uintptr_t past_zero = reinterpret_cast<uintptr_t>(zero.data() + zero.size());
  ASSERT_EQ(ind.anchor(), past_zero);
  ASSERT_LT(reinterpret_cast<uintptr_t>(g_low_input), past_zero);
  offset = ind.bind(g_low_input);
  EXPECT_EQ(offset, 0u);
  EXPECT_EQ(ind.anchor(), reinterpret_cast<uintptr_t>(g_low_input));
  CheckAll(plan, ind, offset, g_low_input, zero.data());
  // A higher input now only moves the offset.
  offset = ind.bind(input.data());
  EXPECT_EQ(ind.anchor(), reinterpret_cast<uintptr_t>(g_low_input));
  CheckAll(plan, ind, offset, input.data(), zero.data());
}

IndirectionPlan Plan(IndirectionLayout layout, PaddingTap tap) {
  IndirectionPlan p;
  p.layout = layout;
  p.padding_tap = tap;
  p.y = Axis(9, 3, 2, 2, 2, 1);  // dilated, padded both sides
  p.x = Axis(8, 3, 1, 1, 1, 2);
  p.input_width = 8;
  p.pixel_stride = 3;
  p.image_floats = 9 * 8 * 3;
  return p;
}

TEST(Indirection, PoolingLayouts) {
  Exercise(Plan(IndirectionLayout::kPooling, PaddingTap::kZeroRow));
  Exercise(Plan(IndirectionLayout::kPooling, PaddingTap::kRepeatValidTap));
}

TEST(Indirection, IgemmLayout) {
  for (size_t mr : {1, 4, 7}) {
    auto p = Plan(IndirectionLayout::kIgemm, PaddingTap::kZeroRow);
    p.mr = mr;
    Exercise(p);
  }
}

TEST(Indirection, DwconvLayout) {
  for (size_t shift : {1, 3}) {  // stride 1 / dilation 1 shares columns; kw gives no sharing
    auto p = Plan(IndirectionLayout::kDwconv, PaddingTap::kZeroRow);
    p.shift = shift;
    Exercise(p);
  }
}

}  // namespace
