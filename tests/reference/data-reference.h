// Reference data movement for the transpose, depth-to-space, space-to-depth, pad, concatenate,
// split and slice operators: every output element computed directly from its index by the
// definition in include/portnn.h (no folding, no tiling), as the flat index of the input
// element it copies (or -1 for a constant pad value). Exact: the operators move bits, so a
// result must match bit for bit.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "../shape-utils.h"

namespace pnn_ref {

using Dims = pnn_test::Shape;
using pnn_test::Count;

// Calls f(index) for every index of `shape`, row-major order.
template <class F>
void for_each_index(const Dims& shape, F f) {
  const size_t n = Count(shape);
  Dims idx(shape.size(), 0);
  for (size_t e = 0; e < n; e++) {
    f(idx);
    for (size_t d = shape.size(); d-- > 0;) {
      if (++idx[d] < shape[d]) break;
      idx[d] = 0;
    }
  }
}

inline size_t flat(const Dims& shape, const Dims& idx) {
  size_t f = 0;
  for (size_t d = 0; d < shape.size(); d++) f = f * shape[d] + idx[d];
  return f;
}

// y = the elements of x each output index names through `source` (an input flat index, or
// -1 for `fill`), compared by bits later.
template <class F>
std::vector<float> gather(const Dims& out_shape, const std::vector<float>& x, F source,
                          float fill = 0.0f) {
  std::vector<float> y;
  y.reserve(Count(out_shape));
  for_each_index(out_shape, [&](const Dims& o) {
    const int64_t i = source(o);
    y.push_back(i < 0 ? fill : x[static_cast<size_t>(i)]);
  });
  return y;
}

inline std::vector<float> transpose(const Dims& shape, const Dims& perm,
                                    const std::vector<float>& x) {
  Dims out(shape.size());
  for (size_t j = 0; j < perm.size(); j++) out[j] = shape[perm[j]];
  return gather(out, x, [&](const Dims& o) {
    Dims i(shape.size());
    for (size_t j = 0; j < perm.size(); j++) i[perm[j]] = o[j];
    return static_cast<int64_t>(flat(shape, i));
  });
}

// NHWC depth-to-space (crd: CRD channel order, else DCR).
inline std::vector<float> depth_to_space(size_t n, size_t h, size_t w, size_t c, size_t b,
                                         bool crd, const std::vector<float>& x) {
  const size_t oc = c / (b * b);
  return gather({n, h * b, w * b, oc}, x, [&](const Dims& o) {
    const size_t by = o[1] % b, bx = o[2] % b;
    const size_t ic = crd ? (o[3] * b + by) * b + bx : (by * b + bx) * oc + o[3];
    return static_cast<int64_t>(((o[0] * h + o[1] / b) * w + o[2] / b) * c + ic);
  });
}

inline std::vector<float> space_to_depth(size_t n, size_t h, size_t w, size_t c, size_t b,
                                         const std::vector<float>& x) {
  return gather({n, h / b, w / b, c * b * b}, x, [&](const Dims& o) {
    const size_t blk = o[3] / c, ch = o[3] % c;
    const size_t ih = o[1] * b + blk / b, iw = o[2] * b + blk % b;
    return static_cast<int64_t>(((o[0] * h + ih) * w + iw) * c + ch);
  });
}

// mode: 0 constant, 1 reflect, 2 edge (pnn_pad_mode).
inline std::vector<float> pad(const Dims& shape, const Dims& pre, const Dims& post, int mode,
                              float value, const std::vector<float>& x) {
  Dims out(shape.size());
  for (size_t d = 0; d < shape.size(); d++) out[d] = pre[d] + shape[d] + post[d];
  return gather(
      out, x,
      [&](const Dims& o) {
        Dims i(shape.size());
        for (size_t d = 0; d < shape.size(); d++) {
          const int64_t k = static_cast<int64_t>(o[d]) - static_cast<int64_t>(pre[d]);
          const int64_t n = static_cast<int64_t>(shape[d]);
          int64_t s = k;
          if (k < 0 || k >= n) {
            if (mode == 0) return int64_t{-1};
            if (mode == 2) s = k < 0 ? 0 : n - 1;
            if (mode == 1) s = k < 0 ? -k : 2 * (n - 1) - k;
          }
          i[d] = static_cast<size_t>(s);
        }
        return static_cast<int64_t>(flat(shape, i));
      },
      value);
}

// ONNX Slice with steps >= 1; returns the output shape through *out_shape.
inline std::vector<float> slice(const Dims& shape, const std::vector<int64_t>& begins,
                                const std::vector<int64_t>& ends,
                                const std::vector<int64_t>& steps, const std::vector<float>& x,
                                Dims* out_shape) {
  Dims start(shape.size()), out(shape.size());
  for (size_t d = 0; d < shape.size(); d++) {
    const int64_t n = static_cast<int64_t>(shape[d]);
    auto clampi = [n](int64_t v) {
      if (v < 0) v = v < -n ? 0 : v + n;
      return v > n ? n : v;
    };
    const int64_t b = clampi(begins[d]), e = clampi(ends[d]);
    start[d] = static_cast<size_t>(b);
    out[d] = e > b ? static_cast<size_t>((e - b + steps[d] - 1) / steps[d]) : 0;
  }
  *out_shape = out;
  return gather(out, x, [&](const Dims& o) {
    Dims i(shape.size());
    for (size_t d = 0; d < shape.size(); d++) i[d] = start[d] + o[d] * static_cast<size_t>(steps[d]);
    return static_cast<int64_t>(flat(shape, i));
  });
}

// Concatenate along `axis`.
inline std::vector<float> concatenate(const std::vector<Dims>& shapes, size_t axis,
                                      const std::vector<std::vector<float>>& inputs) {
  Dims out = shapes[0];
  out[axis] = 0;
  for (const Dims& s : shapes) out[axis] += s[axis];
  std::vector<float> y;
  for_each_index(out, [&](const Dims& o) {
    size_t k = 0, a = o[axis];
    while (a >= shapes[k][axis]) a -= shapes[k++][axis];
    Dims i = o;
    i[axis] = a;
    y.push_back(inputs[k][flat(shapes[k], i)]);
  });
  return y;
}

// Split along `axis` into parts of `sizes`.
inline std::vector<std::vector<float>> split(const Dims& shape, size_t axis, const Dims& sizes,
                                             const std::vector<float>& x) {
  std::vector<std::vector<float>> parts;
  size_t begin = 0;
  for (size_t s : sizes) {
    Dims ps = shape;
    ps[axis] = s;
    parts.push_back(gather(ps, x, [&](const Dims& o) {
      Dims i = o;
      i[axis] += begin;
      return static_cast<int64_t>(flat(shape, i));
    }));
    begin += s;
  }
  return parts;
}

}  // namespace pnn_ref
