// Float rounding bounds the norm and reduce tests derive their tolerances from (the notation of
// Higham, "Accuracy and Stability of Numerical Algorithms"): u is one rounding of a float result,
// relative; gamma(k) bounds the relative error of k roundings in a chain, such as a float sum of
// k + 1 terms in any order (relative to the sum of their magnitudes).
#pragma once

#include <cstddef>

namespace pnn_ref {

constexpr double kUnitRoundoff = 0x1p-24;

inline double gamma(size_t k) {
  const double ku = static_cast<double>(k) * kUnitRoundoff;
  return ku / (1.0 - ku);
}

}  // namespace pnn_ref
