// The indirection-buffer builder (see indirection.h for the convention and the anchor rule).
#include "indirection.h"

#include "common.h"

namespace pnn {
namespace {

// The lowest anchor: nonzero (no tap pointer is NULL) and float-aligned.
constexpr uintptr_t kLowestAnchor = 64;

}  // namespace

bool IndirectionPlan::count_pointers(size_t* count) {
  const size_t oh = static_cast<size_t>(y.out), ow = static_cast<size_t>(x.out);
  if (y.kernel > SIZE_MAX || x.kernel > SIZE_MAX) return false;
  const size_t kh = static_cast<size_t>(y.kernel), kw = static_cast<size_t>(x.kernel);
  size_t ks, pixels, n = 0;
  if (!checked_mul(kh, kw, &ks) || !checked_mul(oh, ow, &pixels)) return false;
  switch (layout) {
    case IndirectionLayout::kIgemm: {
      size_t padded;
      if (!checked_add(pixels, mr - 1, &padded) || !checked_mul(padded / mr * mr, ks, &n))
        return false;
      break;
    }
    case IndirectionLayout::kDwconv: {
      size_t cols, per_row;
      if (!checked_mul(ow - 1, shift, &cols) || !checked_add(cols, kw, &cols) ||
          !checked_mul(cols, kh, &per_row) || !checked_mul(per_row, oh, &n))
        return false;
      row_pointers = per_row;
      break;
    }
    case IndirectionLayout::kPooling:
      if (!checked_mul(pixels, ks, &n)) return false;
      break;
  }
  *count = n;
  return true;
}

void Indirection::build(const IndirectionPlan& plan, const float* zero, size_t zero_floats) {
  plan_ = plan;
  zero_ = zero;
  const uintptr_t z = reinterpret_cast<uintptr_t>(zero);
  const uintptr_t image_bytes = plan.image_floats * sizeof(float);
  // The pointers span [anchor, anchor + image_bytes). Start them at the lowest aligned address
  // when that span ends at or below the zero row (every real input then lies above the anchor),
  // else just past the zero row (which cannot wrap onto it: image and zero row together fit in
  // size_t).
  anchor_ = image_bytes <= z - kLowestAnchor && z >= kLowestAnchor
                ? kLowestAnchor
                : z + zero_floats * sizeof(float);
  fill();
}

size_t Indirection::bind(const float* input) {
  const uintptr_t in = reinterpret_cast<uintptr_t>(input);
  if (in < anchor_ || (in - anchor_) % sizeof(float) != 0) {
    anchor_ = in;  // the caller's image cannot contain the zero row, so no pointer equals it
    fill();
  }
  return (in - anchor_) / sizeof(float);
}

void Indirection::fill() {
  const IndirectionPlan& p = plan_;
  const WindowAxis& ay = p.y;
  const WindowAxis& ax = p.x;
  const uintptr_t anchor = anchor_;
  const size_t row_floats = p.input_width * p.pixel_stride;
  // True and *ptr = the pointer of tap (ky, kx) of output pixel (oy, ox) when it reads the
  // input. (A flag, not a NULL pointer: an anchor-relative pointer may be any value.)
  auto tap = [&](size_t oy, size_t ox, size_t ky, size_t kx, const float** ptr) {
    uint64_t iy, ix;
    if (!ay.input_index(oy, ky, &iy) || !ax.input_index(ox, kx, &ix)) return false;
    const size_t e =
        static_cast<size_t>(iy) * row_floats + static_cast<size_t>(ix) * p.pixel_stride;
    *ptr = reinterpret_cast<const float*>(anchor + e * sizeof(float));
    return true;
  };
  const size_t oh = static_cast<size_t>(ay.out), ow = static_cast<size_t>(ax.out);
  const size_t kh = static_cast<size_t>(ay.kernel), kw = static_cast<size_t>(ax.kernel);
  const size_t ks = kh * kw;
  const float* zero = zero_;
  auto or_zero = [&](size_t oy, size_t ox, size_t ky, size_t kx) {
    const float* ptr;
    return tap(oy, ox, ky, kx, &ptr) ? ptr : zero;
  };
  const float** ind = pointers.data();

  switch (p.layout) {
    case IndirectionLayout::kIgemm: {
      const size_t mr = p.mr, pixels = oh * ow;
      for (size_t p0 = 0; p0 < pixels; p0 += mr) {
        const float** tile = ind + p0 * ks;
        for (size_t i = 0; i < mr; i++) {
          const size_t px = min_size(p0 + i, pixels - 1);
          const size_t oy = px / ow, ox = px % ow;
          for (size_t ky = 0; ky < kh; ky++) {
            for (size_t kx = 0; kx < kw; kx++) {
              tile[(ky * kw + kx) * mr + i] = or_zero(oy, ox, ky, kx);
            }
          }
        }
      }
      break;
    }
    case IndirectionLayout::kDwconv: {
      const size_t shift = p.shift;
      for (size_t oy = 0; oy < oh; oy++) {
        const float** row = ind + oy * p.row_pointers;
        for (size_t ox = 0; ox < ow; ox++) {
          // Columns before kw - shift were written by the previous pixel (same positions).
          for (size_t kx = ox == 0 ? 0 : kw - shift; kx < kw; kx++) {
            const float** col = row + (ox * shift + kx) * kh;
            for (size_t ky = 0; ky < kh; ky++) col[ky] = or_zero(oy, ox, ky, kx);
          }
        }
      }
      break;
    }
    case IndirectionLayout::kPooling: {
      const bool repeat = p.padding_tap == PaddingTap::kRepeatValidTap;
      for (size_t oy = 0; oy < oh; oy++) {
        for (size_t ox = 0; ox < ow; ox++) {
          // The operator rejected windows that read padding only: each has a valid tap.
          const float* first_valid = nullptr;
          size_t padding_taps = 0;
          for (size_t ky = 0; ky < kh; ky++) {
            for (size_t kx = 0; kx < kw; kx++) {
              const float* ptr;
              if (tap(oy, ox, ky, kx, &ptr)) {
                if (first_valid == nullptr) first_valid = ptr;
              } else {
                ptr = zero;
                padding_taps++;
              }
              ind[ky * kw + kx] = ptr;
            }
          }
          // Max pooling: a padded tap repeats the window's first valid tap (no tap equals zero).
          if (repeat && padding_taps != 0) {
            for (size_t k = 0; k < ks; k++) {
              if (ind[k] == zero) ind[k] = first_valid;
            }
          }
          ind += ks;
        }
      }
      break;
    }
  }
}

}  // namespace pnn
