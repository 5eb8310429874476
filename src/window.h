// One spatial axis of a sliding window: output size, resolved padding, and which taps of which
// windows read the input. Convolution and pooling resolve both of their axes here, and the
// WebAssembly glue (pnnw_window_output_size) answers the JS package's size questions from here,
// so the arithmetic exists once.
//
// Conventions (all sizes in elements of the axis, all arithmetic in checked 64-bit integers):
//  - A window has `kernel` taps `dilation` apart: its extent is dilation * (kernel - 1) + 1.
//  - Positions are "padded coordinates": 0 is the first leading-padding position, pad_before
//    the first input position. Window o starts at o * stride; its tap k sits at
//    o * stride + k * dilation and reads input index (that - pad_before) when that lies in
//    [0, in), padding otherwise. Nothing is ever negative, so nothing needs signed types.
//  - Explicit padding: out = floor((in + pad_before + pad_after - extent) / stride) + 1, which
//    must be >= 1 (the padded input must hold one whole window).
//  - Ceil mode (ONNX ceil_mode, explicit padding only): out = ceil((padded - extent) / stride)
//    + 1, minus one when that last window would start at or past the end of the input and its
//    trailing padding (ONNX: the last window must start inside the input or the left padding).
//    The overhang past pad_after is NOT padding for count_include_pad (padded_taps()).
//  - SAME_UPPER (TensorFlow "SAME", PNN_FLAG_TENSORFLOW_SAME_PADDING): out = ceil(in / stride);
//    total padding = max((out - 1) * stride + extent - in, 0), pad_before = floor(total / 2),
//    the odd pixel goes after. SAME_LOWER (ONNX auto_pad SAME_LOWER): the same total with
//    pad_before = ceil(total / 2). Explicit paddings must be 0 with either.
//
// Every rejection returns through pnn::fail with a reason naming the caller's argument names
// (WindowNames), the values and the rule. resolve_window() does O(1) work and
// find_padding_only_window() O(log^2) whatever the arguments, so a reshape validates sizes
// before it loops over anything an attacker sized.
//
// Transposed axes (deconvolution, resolve_transposed_window()): input index i feeds, through tap
// k, output o = i * stride + k * dilation - pad_before (+ an adjustment of trailing outputs that
// no tap reaches past the last window), so out = (in - 1) * stride + adjustment + extent -
// pad_before - pad_after, which must be >= 1, and adjustment < max(stride, dilation) (ONNX
// output_padding). input_index() reads that rule backwards: tap k of output o reads input i when
// o + pad_before - k * dilation is a non-negative multiple of stride, i = that / stride < in;
// the other taps are padding, so the indirection module builds deconvolution buffers unchanged.
// Resize maps output to input positions through the same checked 64-bit helpers; it should add
// its size rule here as one more function beside resolve_window() rather than open-code it.
#pragma once

#include <cstddef>
#include <cstdint>

#include "error.h"
#include "portnn.h"

namespace pnn {

enum class Padding { kExplicit, kSameUpper, kSameLower };

// One axis as given at create (aggregate: {kernel, stride, dilation, pad_before, pad_after,
// padding, ceil_mode}). 32-bit fields (the public API's): every product below then fits
// in 64 bits, and the closed forms of find_padding_only_window() stay within their bounds.
struct WindowSpec {
  uint32_t kernel = 1, stride = 1, dilation = 1;
  uint32_t pad_before = 0, pad_after = 0;
  Padding padding = Padding::kExplicit;
  bool ceil_mode = false;

  uint64_t extent() const { return uint64_t{dilation} * (kernel - 1) + 1; }
};

// The caller's names for the arguments of one axis, used in reasons.
struct WindowNames {
  const char* axis;        // "height"
  const char* kernel;      // "kernel_height", "pooling_height"
  const char* stride;      // "stride_height"
  const char* dilation;    // "dilation_height"
  const char* pad_before;  // "padding_top"
  const char* pad_after;   // "padding_bottom"
};

// The public flag (or mode) that selects a padding mode, for reasons.
const char* padding_name(Padding padding);

// The padding flags of convolution and pooling, and the mode they select.
constexpr uint32_t kPaddingFlags = PNN_FLAG_TENSORFLOW_SAME_PADDING | PNN_FLAG_SAME_LOWER_PADDING;
inline Padding padding_from_flags(uint32_t flags) {
  return (flags & PNN_FLAG_SAME_LOWER_PADDING) != 0        ? Padding::kSameLower
         : (flags & PNN_FLAG_TENSORFLOW_SAME_PADDING) != 0 ? Padding::kSameUpper
                                                           : Padding::kExplicit;
}

// Create-time flag rules of a windowed operator: no bits outside `allowed` (whose names
// `accepted` lists, for the reason), and at most one SAME mode.
pnn_status check_flags(uint32_t flags, uint32_t allowed, const char* accepted);

// Create-time rules of one axis: kernel, stride and dilation >= 1; explicit paddings 0 with a
// SAME mode; ceil mode with explicit padding only.
pnn_status check_window(const WindowSpec& spec, const WindowNames& names);

// One axis resolved for one input size.
struct WindowAxis {
  uint64_t in = 0, out = 0;
  uint64_t kernel = 0, stride = 0, dilation = 0, extent = 0;
  uint64_t pad_before = 0;  // explicit, or resolved from SAME
  uint64_t pad_after = 0;   // explicit, or resolved from SAME; excludes the ceil-mode overhang
  bool transposed = false;  // deconvolution: taps scatter input positions (see above)

  // Padded coordinate of tap k of window o. Fits in 64 bits for o < out, k < kernel.
  uint64_t position(uint64_t o, uint64_t k) const { return o * stride + k * dilation; }
  // True when tap k of window o reads the input; *index is then its input index.
  bool input_index(uint64_t o, uint64_t k, uint64_t* index) const {
    if (transposed) return transposed_input_index(o, k, index);
    const uint64_t p = position(o, k);
    if (p < pad_before || p - pad_before >= in) return false;
    *index = p - pad_before;
    return true;
  }
  // input_index() of a transposed axis. Fits in 64 bits: o + pad_before < 2^64 after
  // resolve_transposed_window(), k * dilation < 2^64 (both are 32-bit).
  bool transposed_input_index(uint64_t o, uint64_t k, uint64_t* index) const {
    const uint64_t p = o + pad_before, t = k * dilation;
    if (p < t || (p - t) % stride != 0 || (p - t) / stride >= in) return false;
    *index = (p - t) / stride;
    return true;
  }
  // Taps of window o that read the input (closed form).
  uint64_t valid_taps(uint64_t o) const;
  // Taps of window o inside the input or its explicit (or SAME) padding, i.e. not in the
  // ceil-mode overhang: the count_include_pad divisor of ONNX.
  uint64_t padded_taps(uint64_t o) const;
};

// Resolves out and the paddings of one axis for an input of `in` positions (checked by
// check_window() at create). Fails with invalid_parameter and a reason when in is 0, the output
// would be empty, a size overflows 64 bits or the output size does not fit in size_t.
pnn_status resolve_window(uint64_t in, const WindowSpec& spec, const WindowNames& names,
                          WindowAxis* axis);

// Create-time rule of a transposed axis: check_window()'s, explicit padding only, and
// adjustment < stride or < dilation (named `adjustment_name` in the reason).
pnn_status check_transposed_window(const WindowSpec& spec, uint32_t adjustment,
                                   const char* adjustment_name, const WindowNames& names);

// Resolves a transposed axis (deconvolution; see above) for an input of `in` positions: out =
// (in - 1) * stride + adjustment + extent - pad_before - pad_after. Fails with invalid_parameter
// and a reason when in is 0, the output would be empty, a size overflows 64 bits or the output
// (plus pad_before) does not fit in size_t.
pnn_status resolve_transposed_window(uint64_t in, const WindowSpec& spec, uint32_t adjustment,
                                     const WindowNames& names, WindowAxis* axis);

// Windows whose taps all read padding (no input position), counted in closed form: windows
// that end before the input, dilated windows whose taps step over a short input, and windows
// that start past it. True and *first = the lowest such window when there is one.
bool find_padding_only_window(const WindowAxis& axis, uint64_t* first);

// Number of the windows o < end that read no input (find_padding_only_window's count).
uint64_t padding_only_windows(const WindowAxis& axis, uint64_t end);

}  // namespace pnn

// The WebAssembly glue's pnnw_window_output_size() (wasm/glue.c) forwards here, so that JS asks
// this module instead of copying it. Opens its own error scope named "pnnw_window_output_size".
// padding_mode: 0 explicit, 1 SAME_UPPER, 2 SAME_LOWER; ceil_mode: 0 or 1.
extern "C" enum pnn_status pnn_internal_window_output_size(size_t input_size, uint32_t kernel,
                                                           uint32_t stride, uint32_t dilation,
                                                           uint32_t pad_before, uint32_t pad_after,
                                                           int padding_mode, int ceil_mode,
                                                           size_t* output_size);
