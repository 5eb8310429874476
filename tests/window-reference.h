// Output size and paddings of one window axis, written independently of src/window.h (signed
// positions, windows enumerated one by one), for the window and pooling-mode tests.
#pragma once

#include <algorithm>
#include <cstdint>

namespace pnn_ref {

enum class WindowPadding { kExplicit, kSameUpper, kSameLower };

struct WindowAxisRef {
  int64_t out, pad_before, pad_after;  // pad_after excludes a ceil-mode overhang
};

// False when the output would be empty. Windows start at o*stride - pad_before. Explicit:
// every window that fits in the padded input; ceil mode (ONNX, PyTorch): one more when the
// fitting ones leave a remainder, then one less (once) when the last window starts at or past
// the end of the input. SAME: out = ceil(in / stride), the total padding split with the odd
// pixel after (upper) or before (lower).
inline bool window_axis(int64_t in, int64_t kernel, int64_t stride, int64_t dilation,
                        int64_t pad_before, int64_t pad_after, WindowPadding padding,
                        bool ceil_mode, WindowAxisRef* r) {
  const int64_t ext = dilation * (kernel - 1) + 1;
  if (padding != WindowPadding::kExplicit) {
    int64_t out = 0;
    while (out * stride < in) out++;
    const int64_t total = std::max<int64_t>((out - 1) * stride + ext - in, 0);
    const int64_t before = padding == WindowPadding::kSameUpper ? total / 2 : (total + 1) / 2;
    *r = {out, before, total - before};
    return true;
  }
  int64_t out = 0;
  for (int64_t start = -pad_before; start + ext <= in + pad_after; start += stride) out++;
  if (out == 0) return false;
  if (ceil_mode) {
    if (-pad_before + (out - 1) * stride + ext < in + pad_after) out++;
    if (-pad_before + (out - 1) * stride >= in) out--;
  }
  *r = {out, pad_before, pad_after};
  return true;
}

}  // namespace pnn_ref
