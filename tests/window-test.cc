// The window module (src/window.h): output sizes and paddings of every mode against brute-force
// definitions written independently here (signed positions, windows enumerated one by one), the
// closed-form padding-only-window count against enumeration, the reasons, and the C entry the
// WebAssembly glue exports (pnnw_window_output_size).
#include "window.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstring>

#include "portnn.h"
#include "window-reference.h"

namespace {

using pnn::Padding;
using pnn::WindowAxis;
using pnn::WindowSpec;

const pnn::WindowNames kNames = {"height",          "kernel_height", "stride_height",
                                 "dilation_height", "padding_top",   "padding_bottom"};

WindowSpec Spec(uint32_t k, uint32_t s, uint32_t d, uint32_t pb, uint32_t pa,
                Padding padding = Padding::kExplicit, bool ceil_mode = false) {
  return WindowSpec{k, s, d, pb, pa, padding, ceil_mode};
}

bool Contains(const char* haystack, const char* needle) {
  return std::strstr(haystack, needle) != nullptr;
}

// The reference of tests/window-reference.h for a WindowSpec.
bool Reference(int64_t in, const WindowSpec& w, pnn_ref::WindowAxisRef* r) {
  const pnn_ref::WindowPadding padding =
      w.padding == Padding::kSameUpper   ? pnn_ref::WindowPadding::kSameUpper
      : w.padding == Padding::kSameLower ? pnn_ref::WindowPadding::kSameLower
                                         : pnn_ref::WindowPadding::kExplicit;
  return pnn_ref::window_axis(in, w.kernel, w.stride, w.dilation, w.pad_before, w.pad_after,
                              padding, w.ceil_mode, r);
}

TEST(Window, OutputSizesMatchTheDefinitions) {
  for (uint32_t in = 1; in <= 13; in++)
    for (uint32_t k = 1; k <= 4; k++)
      for (uint32_t s = 1; s <= 4; s++)
        for (uint32_t d = 1; d <= 3; d++)
          for (uint32_t pb = 0; pb <= 3; pb++)
            for (uint32_t pa = 0; pa <= 3; pa++)
              for (int mode = 0; mode < 4; mode++) {
                const Padding padding = mode == 2   ? Padding::kSameUpper
                                        : mode == 3 ? Padding::kSameLower
                                                    : Padding::kExplicit;
                if (padding != Padding::kExplicit && (pb | pa) != 0) continue;
                const WindowSpec w = Spec(k, s, d, pb, pa, padding, mode == 1);
                ASSERT_EQ(pnn::check_window(w, kNames), pnn_status_success);
                pnn_ref::WindowAxisRef ref;
                const bool ok = Reference(in, w, &ref);
                WindowAxis a;
                const pnn_status st = pnn::resolve_window(in, w, kNames, &a);
                ASSERT_EQ(st == pnn_status_success, ok)
                    << "in " << in << " k " << k << " s " << s << " d " << d << " pads " << pb
                    << "+" << pa << " mode " << mode;
                if (!ok) {
                  EXPECT_EQ(st, pnn_status_invalid_parameter);
                  continue;
                }
                EXPECT_EQ(int64_t(a.out), ref.out) << in << " " << k << " " << s << " " << d << " "
                                                   << pb << " " << pa << " " << mode;
                EXPECT_EQ(int64_t(a.pad_before), ref.pad_before);
                EXPECT_EQ(int64_t(a.pad_after), ref.pad_after);
              }
}

// Enumerates windows and taps: valid taps, taps inside input + padding, padding-only windows.
TEST(Window, TapCountsAndPaddingOnlyWindowsMatchEnumeration) {
  for (uint32_t in = 1; in <= 9; in++)
    for (uint32_t k = 1; k <= 4; k++)
      for (uint32_t s = 1; s <= 5; s++)
        for (uint32_t d = 1; d <= 7; d++)
          for (uint32_t pb = 0; pb <= 9; pb += 1)
            for (uint32_t pa = 0; pa <= 9; pa += 3)
              for (bool ceil_mode : {false, true}) {
                const WindowSpec w = Spec(k, s, d, pb, pa, Padding::kExplicit, ceil_mode);
                WindowAxis a;
                if (pnn::resolve_window(in, w, kNames, &a) != pnn_status_success) continue;
                uint64_t padding_only = 0, first = UINT64_MAX;
                for (uint64_t o = 0; o < a.out; o++) {
                  uint64_t valid = 0, inside = 0;
                  for (uint64_t t = 0; t < k; t++) {
                    const int64_t pos = int64_t(o * s + t * d) - pb;
                    uint64_t index;
                    const bool v = a.input_index(o, t, &index);
                    EXPECT_EQ(v, pos >= 0 && pos < int64_t(in));
                    if (v) EXPECT_EQ(int64_t(index), pos);
                    valid += v;
                    inside += pos < int64_t(in) + pa;
                  }
                  ASSERT_EQ(a.valid_taps(o), valid) << in << " " << k << " " << s << " " << d;
                  ASSERT_EQ(a.padded_taps(o), inside);
                  if (valid == 0) {
                    padding_only++;
                    if (first == UINT64_MAX) first = o;
                  }
                  ASSERT_EQ(pnn::padding_only_windows(a, o + 1), padding_only)
                      << "in " << in << " k " << k << " s " << s << " d " << d << " pb " << pb
                      << " pa " << pa << " ceil " << ceil_mode << " o " << o;
                }
                uint64_t found;
                ASSERT_EQ(pnn::find_padding_only_window(a, &found), padding_only != 0);
                if (padding_only != 0) EXPECT_EQ(found, first);
              }
}

// The hardening issue's repro: 2 taps 2^32 - 1 apart, 2^32 - 2 rows of leading padding over
// 2^32 - 2 rows. Window 2^32 - 3 has its taps at padded rows 2^32 - 3 (padding) and
// 2^33 - 4 (one past the input). Found in closed form, in far less than a millisecond.
TEST(Window, PaddingOnlyWindowOfTheReproInClosedForm) {
  const WindowSpec w = Spec(2, 1, UINT32_MAX, UINT32_MAX - 1, UINT32_MAX);
  WindowAxis a;
  ASSERT_EQ(pnn::resolve_window(uint64_t{UINT32_MAX} - 1, w, kNames, &a), pnn_status_success);
  const auto t0 = std::chrono::steady_clock::now();
  uint64_t first = 0;
  ASSERT_TRUE(pnn::find_padding_only_window(a, &first));
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_EQ(first, uint64_t{UINT32_MAX} - 2);
  EXPECT_EQ(pnn::padding_only_windows(a, a.out), 1u);
  EXPECT_EQ(a.valid_taps(first), 0u);
  EXPECT_EQ(a.valid_taps(first - 1), 1u);
  EXPECT_LT(ms, 50.0);
  std::printf("find_padding_only_window on the repro: %.4f ms\n", ms);
}

TEST(Window, Reasons) {
  WindowAxis a;
  EXPECT_EQ(pnn::check_window(Spec(3, 0, 1, 0, 0), kNames), pnn_status_invalid_parameter);
  EXPECT_TRUE(Contains(pnn_last_error_message(), "stride_height is 0; it must be >= 1"))
      << pnn_last_error_message();
  EXPECT_EQ(pnn::check_window(Spec(0, 1, 1, 0, 0), kNames), pnn_status_invalid_parameter);
  EXPECT_TRUE(Contains(pnn_last_error_message(), "kernel_height is 0"));
  EXPECT_EQ(pnn::check_window(Spec(3, 1, 1, 5, 0, Padding::kSameUpper), kNames),
            pnn_status_invalid_parameter);
  EXPECT_TRUE(Contains(pnn_last_error_message(),
                       "padding_top is 5 but SAME padding was requested; explicit paddings must "
                       "be 0 with PNN_FLAG_TENSORFLOW_SAME_PADDING"))
      << pnn_last_error_message();
  EXPECT_EQ(pnn::check_window(Spec(3, 1, 1, 0, 2, Padding::kSameLower), kNames),
            pnn_status_invalid_parameter);
  EXPECT_TRUE(Contains(pnn_last_error_message(), "padding_bottom is 2"));
  EXPECT_TRUE(Contains(pnn_last_error_message(), "PNN_FLAG_SAME_LOWER_PADDING"));
  EXPECT_EQ(pnn::check_window(Spec(3, 1, 1, 0, 0, Padding::kSameUpper, true), kNames),
            pnn_status_invalid_parameter);
  EXPECT_TRUE(Contains(pnn_last_error_message(), "ceil mode applies to explicit padding only"));

  EXPECT_EQ(pnn::resolve_window(3, Spec(5, 1, 1, 0, 0), kNames, &a), pnn_status_invalid_parameter);
  EXPECT_TRUE(Contains(pnn_last_error_message(),
                       "input height 3 with kernel_height 5 (dilation_height 1) and paddings 0+0 "
                       "gives an empty output"))
      << pnn_last_error_message();
  EXPECT_EQ(pnn::resolve_window(0, Spec(1, 1, 1, 0, 0), kNames, &a), pnn_status_invalid_parameter);
  EXPECT_TRUE(Contains(pnn_last_error_message(), "input height is 0; it must be >= 1"));
  EXPECT_EQ(pnn::resolve_window(UINT64_MAX, Spec(1, 1, 1, 1, 0), kNames, &a),
            pnn_status_invalid_parameter);
  EXPECT_TRUE(Contains(pnn_last_error_message(), "overflows 64 bits"));
  EXPECT_EQ(pnn::resolve_window(
                UINT64_MAX, Spec(UINT32_MAX, 1, UINT32_MAX, 0, 0, Padding::kSameUpper), kNames, &a),
            pnn_status_invalid_parameter);
  EXPECT_TRUE(Contains(pnn_last_error_message(), "SAME padding of input height"));
}

TEST(Window, GlueEntry) {
  size_t out = 777;
  EXPECT_EQ(pnn_internal_window_output_size(10, 3, 2, 1, 1, 1, 0, 0, &out), pnn_status_success);
  EXPECT_EQ(out, 5u);
  EXPECT_STREQ(pnn_last_error_message(), "");
  EXPECT_EQ(pnn_internal_window_output_size(10, 3, 3, 1, 0, 0, 0, 1, &out), pnn_status_success);
  EXPECT_EQ(out, 4u);  // ceil((10 - 3) / 3) + 1; the last window starts at 9, inside the input
  EXPECT_EQ(pnn_internal_window_output_size(10, 3, 3, 1, 1, 0, 0, 1, &out), pnn_status_success);
  EXPECT_EQ(out, 4u);  // ceil((11 - 3) / 3) + 1 = 4: the 4th would start at padded 9 = row 8
  EXPECT_EQ(pnn_internal_window_output_size(4, 2, 3, 1, 0, 1, 0, 1, &out), pnn_status_success);
  EXPECT_EQ(out, 2u);  // ceil(3 / 3) + 1 = 2: the 2nd starts at row 3, inside
  EXPECT_EQ(pnn_internal_window_output_size(4, 1, 4, 1, 0, 3, 0, 1, &out), pnn_status_success);
  EXPECT_EQ(out, 2u);  // ceil(6 / 4) + 1 = 3; the 3rd starts at 8, past the input: dropped once
  EXPECT_EQ(pnn_internal_window_output_size(11, 3, 2, 1, 0, 0, 1, 0, &out), pnn_status_success);
  EXPECT_EQ(out, 6u);
  EXPECT_EQ(pnn_internal_window_output_size(11, 3, 2, 1, 0, 0, 2, 0, &out), pnn_status_success);
  EXPECT_EQ(out, 6u);
  out = 777;
  EXPECT_EQ(pnn_internal_window_output_size(3, 5, 1, 1, 0, 0, 0, 0, &out),
            pnn_status_invalid_parameter);
  EXPECT_EQ(out, 777u);
  EXPECT_TRUE(Contains(pnn_last_error_message(),
                       "pnnw_window_output_size: input size 3 with kernel 5 (dilation 1) and "
                       "paddings 0+0 gives an empty output"))
      << pnn_last_error_message();
  EXPECT_EQ(pnn_internal_window_output_size(3, 1, 1, 1, 0, 0, 3, 0, &out),
            pnn_status_invalid_parameter);
  EXPECT_TRUE(Contains(pnn_last_error_message(), "padding_mode is 3"));
  EXPECT_EQ(pnn_internal_window_output_size(3, 1, 1, 1, 0, 0, 0, 2, &out),
            pnn_status_invalid_parameter);
  EXPECT_TRUE(Contains(pnn_last_error_message(), "ceil_mode is 2"));
  EXPECT_EQ(pnn_internal_window_output_size(3, 1, 1, 1, 0, 0, 0, 0, nullptr),
            pnn_status_invalid_parameter);
  EXPECT_TRUE(Contains(pnn_last_error_message(), "output_size is NULL"));
  EXPECT_EQ(pnn_internal_window_output_size(3, 1, 0, 1, 0, 0, 0, 0, &out),
            pnn_status_invalid_parameter);
  EXPECT_TRUE(Contains(pnn_last_error_message(), "stride is 0"));
}

}  // namespace
