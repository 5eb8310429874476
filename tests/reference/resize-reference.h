// Reference for 2-D resize (NHWC) from the formulas of include/portnn.h, with every input
// coordinate kept as an exact rational num / den (64-bit integers), so the rounding of the
// nearest modes and the bilinear cells are decided exactly, independently of the operator's
// double evaluation.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "portnn.h"

namespace pnn_ref {

struct Rational {
  int64_t num, den;  // den > 0
};

inline int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && (a < 0)); }
inline int64_t ceil_div(int64_t a, int64_t b) { return -floor_div(-a, b); }

// The input coordinate of output x on an axis in -> out.
inline Rational resize_coordinate(int mode, int64_t x, int64_t in, int64_t out) {
  switch (mode) {
    case pnn_resize_half_pixel:
      return {(2 * x + 1) * in - out, 2 * out};
    case pnn_resize_pytorch_half_pixel:
      return out > 1 ? Rational{(2 * x + 1) * in - out, 2 * out} : Rational{0, 1};
    case pnn_resize_align_corners:
      return out > 1 ? Rational{x * (in - 1), out - 1} : Rational{0, 1};
    default:
      return {x * in, out};  // asymmetric
  }
}

inline int64_t resize_nearest(int nearest_mode, Rational c, int64_t in) {
  int64_t i;
  switch (nearest_mode) {
    case pnn_resize_round_prefer_floor:
      i = ceil_div(2 * c.num - c.den, 2 * c.den);
      break;
    case pnn_resize_round_prefer_ceil:
      i = floor_div(2 * c.num + c.den, 2 * c.den);
      break;
    case pnn_resize_floor:
      i = floor_div(c.num, c.den);
      break;
    default:
      i = ceil_div(c.num, c.den);
      break;
  }
  return std::min<int64_t>(std::max<int64_t>(i, 0), in - 1);
}

// Bilinear cell of an axis: i0, i1 and the weight t of i1 (exact, then as double).
struct Cell {
  int64_t i0, i1;
  double t;
};
inline Cell resize_cell(Rational c, int64_t in) {
  if (c.num <= 0) return {0, std::min<int64_t>(1, in - 1), 0.0};
  if (c.num >= (in - 1) * c.den) return {in - 1, in - 1, 0.0};
  const int64_t i0 = floor_div(c.num, c.den);
  return {i0, i0 + 1, static_cast<double>(c.num - i0 * c.den) / static_cast<double>(c.den)};
}

struct ResizeOutput {
  std::vector<double> value;      // [n][oh][ow][c]
  std::vector<double> magnitude;  // bilinear: sum of the four corners' magnitudes
};

inline ResizeOutput resize2d_nhwc(const pnn_resize2d_params& p, size_t batch, size_t ih, size_t iw,
                                  size_t oh, size_t ow, const float* input) {
  const size_t ch = p.channels;
  ResizeOutput r;
  r.value.resize(batch * oh * ow * ch);
  r.magnitude.resize(r.value.size());
  const bool bilinear = p.mode == pnn_resize_bilinear;
  for (size_t n = 0; n < batch; n++) {
    for (size_t y = 0; y < oh; y++) {
      const Rational cy = resize_coordinate(p.coordinate_mode, y, ih, oh);
      for (size_t x = 0; x < ow; x++) {
        const Rational cx = resize_coordinate(p.coordinate_mode, x, iw, ow);
        for (size_t c = 0; c < ch; c++) {
          const size_t o = ((n * oh + y) * ow + x) * ch + c;
          auto at = [&](int64_t iy, int64_t ix) {
            return static_cast<double>(input[((n * ih + iy) * iw + ix) * ch + c]);
          };
          if (!bilinear) {
            r.value[o] =
                at(resize_nearest(p.nearest_mode, cy, ih), resize_nearest(p.nearest_mode, cx, iw));
            continue;
          }
          const Cell a = resize_cell(cy, ih), b = resize_cell(cx, iw);
          // The weights form of ONNX (sum of corner * weight), not the operator's lerp form.
          r.value[o] = at(a.i0, b.i0) * (1 - a.t) * (1 - b.t) + at(a.i0, b.i1) * (1 - a.t) * b.t +
                       at(a.i1, b.i0) * a.t * (1 - b.t) + at(a.i1, b.i1) * a.t * b.t;
          r.magnitude[o] = std::fabs(at(a.i0, b.i0)) + std::fabs(at(a.i0, b.i1)) +
                           std::fabs(at(a.i1, b.i0)) + std::fabs(at(a.i1, b.i1));
        }
      }
    }
  }
  return r;
}

// Bilinear tolerance: the kernel's three (subtract, multiply-add) steps round at most 6 times,
// each error bounded by the corners' magnitude sum (weights in [0, 1]); the weights rounded from
// double to float add 2 more, the double coordinate arithmetic at most 2: 10 half-ulps.
inline double resize_tolerance(double magnitude) { return 10 * 0x1p-24 * magnitude; }

}  // namespace pnn_ref
