// Parameter checks that several operators' create calls make, each with one wording for its
// reason: unknown flag bits, fused-clamp bounds and finite parameters.
#pragma once

#include <cmath>
#include <cstdint>

#include "error.h"

namespace pnn {

// Success when `flags` has no bit outside `allowed`; otherwise invalid_parameter with a reason
// naming the flags in hex and the flags the operator takes (`allowed_names`, e.g.
// "PNN_FLAG_TRANSPOSE_WEIGHTS", or "none").
inline pnn_status check_flags(uint32_t flags, uint32_t allowed, const char* allowed_names) {
  if ((flags & ~allowed) == 0) return pnn_status_success;
  char hex[11] = "0x";  // the reason formatter has no %x
  int n = 2;
  for (int shift = 28; shift >= 0; shift -= 4) {
    const unsigned digit = (flags >> shift) & 0xFu;
    if (digit == 0 && n == 2 && shift > 0) continue;
    hex[n++] = "0123456789abcdef"[digit];
  }
  hex[n] = '\0';
  return fail(pnn_status_invalid_parameter,
              "flags %s has bits this operator does not know (allowed: %s)", hex, allowed_names);
}

// Success for a valid clamp range (neither bound NaN, min <= max); otherwise invalid_parameter
// naming the bound at fault. The names are the caller's ("output_min", "params->min").
inline pnn_status check_clamp(const char* min_name, float min, const char* max_name, float max) {
  const char* rule = "clamp bounds must be numbers with";
  if (std::isnan(min) || std::isnan(max)) {
    return fail(pnn_status_invalid_parameter, "%s (%g) is NaN; %s %s <= %s",
                std::isnan(min) ? min_name : max_name, std::isnan(min) ? min : max, rule, min_name,
                max_name);
  }
  if (min > max) {
    return fail(pnn_status_invalid_parameter, "%s (%g) > %s (%g); %s %s <= %s", min_name, min,
                max_name, max, rule, min_name, max_name);
  }
  return pnn_status_success;
}

// Success for a finite value; otherwise invalid_parameter naming it (`name`, the caller's, e.g.
// "params->alpha").
inline pnn_status check_finite(const char* name, float value) {
  if (std::isfinite(value)) return pnn_status_success;
  return fail(pnn_status_invalid_parameter, "%s is %g; it must be finite", name, value);
}

}  // namespace pnn
