// Window arithmetic of one axis (see window.h for the conventions). The padding-only-window
// count is closed-form: a lattice-point count (sum of floors, Euclid-like, O(log)) replaces the
// per-window loop whose trip count the leading padding used to set.
#include "window.h"

namespace pnn {
namespace {

using ull = unsigned long long;

uint64_t divide_up(uint64_t n, uint64_t q) { return n / q + (n % q != 0 ? 1 : 0); }

// sum_{i < n} floor((a*i + b) / m), modulo 2^64. Requires m >= 1 and n, m < 2^32 (then every
// product below stays under 2^64); the caller only ever subtracts two such sums whose true
// difference is < 2^32, so the modular result is exact. Euclid-like: reduce a and b below m,
// then swap the roles of the axes of the lattice-point count (the sum counts the points under a
// line; counted along the other axis, it is a sum of the same form with (m, a) exchanged).
uint64_t floor_sum(uint64_t n, uint64_t m, uint64_t a, uint64_t b) {
  uint64_t sum = 0;
  while (n != 0) {
    if (a >= m) {
      sum += (a / m) * (n * (n - 1) / 2);
      a %= m;
    }
    if (b >= m) {
      sum += (b / m) * n;
      b %= m;
    }
    const uint64_t top = a * n + b;  // the line's value at i = n
    if (top < m) break;
    n = top / m;
    b = top % m;
    const uint64_t t = m;
    m = a;
    a = t;
  }
  return sum;
}

// How many i < n have (a + b*i) mod m >= t, for 0 < t < m, a < m, b < m. For x >= 0,
// floor((x + m - t) / m) - floor(x / m) is 1 exactly when x mod m >= t.
uint64_t count_residues_at_least(uint64_t n, uint64_t m, uint64_t a, uint64_t b, uint64_t t) {
  return floor_sum(n, m, b, a + m - t) - floor_sum(n, m, b, a);
}

}  // namespace

const char* padding_name(Padding padding) {
  switch (padding) {
    case Padding::kSameUpper:
      return "PNN_FLAG_TENSORFLOW_SAME_PADDING";
    case Padding::kSameLower:
      return "PNN_FLAG_SAME_LOWER_PADDING";
    case Padding::kExplicit:
      break;
  }
  return "explicit padding";
}

pnn_status check_flags(uint32_t flags, uint32_t allowed, const char* accepted) {
  if ((flags & ~allowed) != 0) {
    return fail(pnn_status_invalid_parameter,
                "flags has unknown bits (%u); this operator accepts %s", flags & ~allowed,
                accepted);
  }
  if ((flags & kPaddingFlags) == kPaddingFlags) {
    return fail(pnn_status_invalid_parameter,
                "PNN_FLAG_TENSORFLOW_SAME_PADDING and PNN_FLAG_SAME_LOWER_PADDING are exclusive");
  }
  return pnn_status_success;
}

pnn_status check_window(const WindowSpec& spec, const WindowNames& names) {
  const struct {
    const char* name;
    uint32_t value;
  } positive[] = {
      {names.kernel, spec.kernel}, {names.stride, spec.stride}, {names.dilation, spec.dilation}};
  for (const auto& v : positive) {
    if (v.value == 0) return fail(pnn_status_invalid_parameter, "%s is 0; it must be >= 1", v.name);
  }
  if (spec.padding != Padding::kExplicit) {
    const char* name = spec.pad_before != 0 ? names.pad_before : names.pad_after;
    const uint32_t value = spec.pad_before != 0 ? spec.pad_before : spec.pad_after;
    if (value != 0) {
      return fail(pnn_status_invalid_parameter,
                  "%s is %u but SAME padding was requested; explicit paddings must be 0 with %s",
                  name, value, padding_name(spec.padding));
    }
    if (spec.ceil_mode) {
      return fail(pnn_status_invalid_parameter,
                  "ceil mode applies to explicit padding only; it cannot be combined with %s",
                  padding_name(spec.padding));
    }
  }
  return pnn_status_success;
}

uint64_t WindowAxis::valid_taps(uint64_t o) const {
  const uint64_t s = o * stride;
  const uint64_t end = pad_before + in;  // first padded coordinate past the input
  if (s >= end) return 0;
  const uint64_t lo = s >= pad_before ? 0 : divide_up(pad_before - s, dilation);
  uint64_t hi = divide_up(end - s, dilation);
  if (hi > kernel) hi = kernel;
  return hi > lo ? hi - lo : 0;
}

uint64_t WindowAxis::padded_taps(uint64_t o) const {
  const uint64_t s = o * stride;
  const uint64_t end = pad_before + in + pad_after;
  if (s >= end) return 0;
  const uint64_t hi = divide_up(end - s, dilation);
  return hi < kernel ? hi : kernel;
}

pnn_status resolve_window(uint64_t in, const WindowSpec& spec, const WindowNames& names,
                          WindowAxis* axis) {
  if (in == 0) {
    return fail(pnn_status_invalid_parameter, "input %s is 0; it must be >= 1", names.axis);
  }
  const uint64_t stride = spec.stride, extent = spec.extent();
  uint64_t out, before, after;
  if (spec.padding == Padding::kExplicit) {
    uint64_t padded;
    if (__builtin_add_overflow(in, uint64_t{spec.pad_before}, &padded) ||
        __builtin_add_overflow(padded, uint64_t{spec.pad_after}, &padded)) {
      return fail(pnn_status_invalid_parameter,
                  "input %s %llu plus %s %u and %s %u overflows 64 bits", names.axis, ull{in},
                  names.pad_before, spec.pad_before, names.pad_after, spec.pad_after);
    }
    if (padded < extent) {
      return fail(pnn_status_invalid_parameter,
                  "input %s %llu with %s %u (%s %u) and paddings %u+%u gives an empty output; the "
                  "padded %s (%llu) must be at least the dilated kernel extent (%llu)",
                  names.axis, ull{in}, names.kernel, spec.kernel, names.dilation, spec.dilation,
                  spec.pad_before, spec.pad_after, names.axis, ull{padded}, ull{extent});
    }
    const uint64_t span = padded - extent;
    if (spec.ceil_mode) {
      out = divide_up(span, stride) + 1;
      // ONNX: the last window must start inside the input or the leading padding.
      if ((out - 1) * stride >= in + spec.pad_before) out--;
    } else {
      out = span / stride + 1;
    }
    before = spec.pad_before;
    after = spec.pad_after;
  } else {
    out = divide_up(in, stride);
    uint64_t needed;  // (out - 1) * stride < in, so only the addition can overflow
    if (__builtin_add_overflow((out - 1) * stride, extent, &needed)) {
      return fail(pnn_status_invalid_parameter,
                  "SAME padding of input %s %llu with dilated kernel extent %llu overflows 64 bits",
                  names.axis, ull{in}, ull{extent});
    }
    const uint64_t total = needed > in ? needed - in : 0;
    before = spec.padding == Padding::kSameUpper ? total / 2 : total - total / 2;
    after = total - before;
  }
  if (out > SIZE_MAX) {
    return fail(pnn_status_invalid_parameter, "output %s %llu does not fit in size_t", names.axis,
                ull{out});
  }
  axis->in = in;
  axis->out = out;
  axis->kernel = spec.kernel;
  axis->stride = stride;
  axis->dilation = spec.dilation;
  axis->extent = extent;
  axis->pad_before = before;
  axis->pad_after = after;
  return pnn_status_success;
}

pnn_status check_transposed_window(const WindowSpec& spec, uint32_t adjustment,
                                   const char* adjustment_name, const WindowNames& names) {
  const pnn_status s = check_window(spec, names);
  if (s != pnn_status_success) return s;
  if (spec.padding != Padding::kExplicit || spec.ceil_mode) {
    return fail(pnn_status_invalid_parameter,
                "a transposed window takes explicit padding only (no SAME or ceil mode)");
  }
  if (adjustment >= spec.stride && adjustment >= spec.dilation) {
    return fail(pnn_status_invalid_parameter,
                "%s is %u; it must be smaller than %s (%u) or %s (%u)", adjustment_name, adjustment,
                names.stride, spec.stride, names.dilation, spec.dilation);
  }
  return pnn_status_success;
}

pnn_status resolve_transposed_window(uint64_t in, const WindowSpec& spec, uint32_t adjustment,
                                     const WindowNames& names, WindowAxis* axis) {
  if (in == 0) {
    return fail(pnn_status_invalid_parameter, "input %s is 0; it must be >= 1", names.axis);
  }
  // full = (in - 1) * stride + adjustment + extent: the output before the paddings are cut.
  const uint64_t extent = spec.extent();
  uint64_t full;
  if (__builtin_mul_overflow(in - 1, uint64_t{spec.stride}, &full) ||
      __builtin_add_overflow(full, extent + adjustment, &full)) {
    return fail(pnn_status_invalid_parameter,
                "input %s %llu with %s %u and dilated kernel extent %llu gives an output that "
                "overflows 64 bits",
                names.axis, ull{in}, names.stride, spec.stride, ull{extent});
  }
  const uint64_t cut = uint64_t{spec.pad_before} + spec.pad_after;
  if (full <= cut) {
    return fail(pnn_status_invalid_parameter,
                "input %s %llu gives an empty output: (in - 1) * %s + adjustment + extent = %llu "
                "must exceed %s %u + %s %u",
                names.axis, ull{in}, names.stride, ull{full}, names.pad_before, spec.pad_before,
                names.pad_after, spec.pad_after);
  }
  const uint64_t out = full - cut;
  if (out > SIZE_MAX || out + spec.pad_before > SIZE_MAX) {
    return fail(pnn_status_invalid_parameter, "output %s %llu does not fit in size_t", names.axis,
                ull{out});
  }
  axis->in = in;
  axis->out = out;
  axis->kernel = spec.kernel;
  axis->stride = spec.stride;
  axis->dilation = spec.dilation;
  axis->extent = extent;
  axis->pad_before = spec.pad_before;
  axis->pad_after = spec.pad_after;
  axis->transposed = true;
  return pnn_status_success;
}

uint64_t padding_only_windows(const WindowAxis& a, uint64_t end) {
  if (end > a.out) end = a.out;
  const uint64_t s = a.stride, d = a.dilation, pb = a.pad_before;
  // Windows whose last tap is before the input: o * s + extent - 1 < pb.
  uint64_t before = 0;
  if (pb >= a.extent) {
    before = (pb - a.extent) / s + 1;
    if (before > end) before = end;
  }
  // Windows starting in the leading padding that reach past it (o * s < pb): their first tap at
  // or past pb sits (o * s - pb) mod d into the input, so with in < d they may step over it.
  uint64_t stepping_over = 0;
  uint64_t leading = divide_up(pb, s);
  if (leading > end) leading = end;
  if (a.in < d && leading > before) {
    // n < 2^32: pb < 2^32 with explicit padding; with SAME, leading <= out <= in < d < 2^32.
    const uint64_t n = leading - before;
    const uint64_t first = ((before * s) % d + d - pb % d) % d;  // residue of window `before`
    stepping_over = count_residues_at_least(n, d, first, s % d, a.in);
  }
  // Windows starting past the input.
  const uint64_t past_start = divide_up(pb + a.in, s);
  const uint64_t past = end > past_start ? end - past_start : 0;
  return before + stepping_over + past;
}

bool find_padding_only_window(const WindowAxis& axis, uint64_t* first) {
  if (padding_only_windows(axis, axis.out) == 0) return false;
  // The count over [0, e) grows with e: the first window is the e - 1 where it becomes nonzero.
  uint64_t lo = 0, hi = axis.out;  // count(lo) == 0, count(hi) >= 1
  while (hi - lo > 1) {
    const uint64_t mid = lo + (hi - lo) / 2;
    if (padding_only_windows(axis, mid) == 0) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  *first = hi - 1;
  return true;
}

}  // namespace pnn

extern "C" enum pnn_status pnn_internal_window_output_size(size_t input_size, uint32_t kernel,
                                                           uint32_t stride, uint32_t dilation,
                                                           uint32_t pad_before, uint32_t pad_after,
                                                           int padding_mode, int ceil_mode,
                                                           size_t* output_size) {
  using namespace pnn;
  ApiScope scope("pnnw_window_output_size");
  if (output_size == nullptr) return fail(pnn_status_invalid_parameter, "output_size is NULL");
  if (padding_mode < 0 || padding_mode > 2) {
    return fail(pnn_status_invalid_parameter,
                "padding_mode is %d; it must be 0 (explicit), 1 (SAME_UPPER) or 2 (SAME_LOWER)",
                padding_mode);
  }
  if (ceil_mode != 0 && ceil_mode != 1) {
    return fail(pnn_status_invalid_parameter, "ceil_mode is %d; it must be 0 or 1", ceil_mode);
  }
  const Padding padding = padding_mode == 0   ? Padding::kExplicit
                          : padding_mode == 1 ? Padding::kSameUpper
                                              : Padding::kSameLower;
  const WindowSpec spec = {kernel,    stride,  dilation,      pad_before,
                           pad_after, padding, ceil_mode != 0};
  const WindowNames names = {"size", "kernel", "stride", "dilation", "pad_before", "pad_after"};
  WindowAxis axis;
  pnn_status s = check_window(spec, names);
  if (s == pnn_status_success) s = resolve_window(input_size, spec, names, &axis);
  if (s != pnn_status_success) return s;
  *output_size = static_cast<size_t>(axis.out);
  return pnn_status_success;
}
