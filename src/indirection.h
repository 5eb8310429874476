// Indirection buffers: the one pointer convention of every windowed operator (convolution's
// IGEMM and depthwise paths, max and average pooling, deconvolution's IGEMM path over transposed
// axes: src/window.h). Resize needs no per-pixel pointers: its sources are separable per axis
// (src/operators/resize.cc).
//
// An indirection buffer lists, per output pixel and kernel tap, a pointer to the input pixel the
// tap reads. It covers ONE image; the kernels add the batch (and group or channel-block) offset
// through their `input_offset` argument, and read a pointer equal to `zero` as is.
//
// Convention: pointers are ANCHOR-RELATIVE and built at reshape. A tap reading input element e
// (of one image: e = (iy * input_width + ix) * pixel_stride) holds the address anchor + e floats;
// a padding tap holds `zero` (the operator's row of zeros; convolution, average pooling) or,
// with PaddingTap::kRepeatValidTap (max pooling), the first valid tap of its window, so padding
// never wins a max. Setup only computes input_offset = (input - anchor) in floats: O(1), and a
// new input pointer needs no rebuild. Why anchor-relative: reshape knows every pointer but the
// input's address, and building there keeps setup, which graph runtimes call per run, cheap.
//
// The anchor is placed so that no tap pointer can equal `zero` and every input lies above it:
// the pointers span [anchor, anchor + image bytes), and the anchor is the lowest aligned address
// (64) when that span ends at or below the zero row — always, natively, for any image that fits
// in memory — else, when the zero row sits lower in the address space than the image is long (a
// small WebAssembly heap), just past the zero row. The convolution kernels displace pointers
// with C++ pointer arithmetic (`r + input_offset`), which must not wrap (UBSan checks it): so
// an input below the anchor makes bind() rebuild the pointers against anchor = input (offset
// 0) instead of wrapping. The anchor only ever moves down, so setup is O(1) except for the
// first input below every one bound so far.
//
// Kernels are unchanged by this convention: they take `input_offset` and `zero` already.
#pragma once

#include <cstddef>
#include <cstdint>

#include "allocator.h"
#include "window.h"

namespace pnn {

// What a padding tap points at.
enum class PaddingTap { kZeroRow, kRepeatValidTap };

// Pointer order of the three layouts the kernels read.
enum class IndirectionLayout {
  // IGEMM (kernels/ukernels.h): per tile of MR output pixels (row-major over the output), ks
  // groups of MR pointers, tap-major (p = ky * kw + kx); the last tile repeats its last pixel.
  kIgemm,
  // Depthwise (kernels/ukernels-dwconv.h): per output row, pixel ox's taps start at
  // ox * shift * kh, column-major (t = kx * kh + ky), so pixels sharing input columns share
  // pointers; row_pointers per output row.
  kDwconv,
  // Pooling (kernels/ukernels-pooling.h): [oh][ow][kh * kw], tap p = ky * kw + kx.
  kPooling,
};

struct IndirectionPlan {
  IndirectionLayout layout = IndirectionLayout::kPooling;
  WindowAxis y, x;
  size_t input_width = 0;   // pixels per input row
  size_t pixel_stride = 0;  // floats between neighbouring input pixels
  PaddingTap padding_tap = PaddingTap::kZeroRow;
  size_t mr = 1;            // kIgemm: output pixels per tile
  size_t shift = 0;         // kDwconv: columns between neighbouring output pixels (<= kw)
  size_t row_pointers = 0;  // kDwconv: pointers per output row
  size_t image_floats = 0;  // floats of one input image (ih * iw * pixel_stride)

  // Pointers the layout needs (for one image); false when the count overflows size_t (a
  // count whose bytes do not fit is left to the allocation: out of memory). Sets row_pointers
  // for kDwconv.
  bool count_pointers(size_t* count);
};

class Indirection {
 public:
  // Fills `pointers` (which must hold plan.count_pointers() entries) for `plan`, against an
  // anchor chosen as above from `zero` (a row of zero_floats floats). Requires
  // (image_floats + zero_floats) * sizeof(float) to fit in size_t.
  void build(const IndirectionPlan& plan, const float* zero, size_t zero_floats);
  // input_offset (floats) of `input` for the kernels; rebuilds against anchor = input when the
  // offset would wrap (see above).
  size_t bind(const float* input);

  AlignedBuffer<const float*> pointers;
  uintptr_t anchor() const { return anchor_; }

 private:
  void fill();

  IndirectionPlan plan_;
  const float* zero_ = nullptr;
  uintptr_t anchor_ = 0;
};

}  // namespace pnn
