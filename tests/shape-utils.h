// Shapes as vectors of dims, for tests and test programs that do not use GoogleTest (so this
// header includes nothing of it): the element count and a printable form.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace pnn_test {

using Shape = std::vector<size_t>;

// The number of elements of a shape (1 for no dims).
inline size_t Count(const Shape& s) {
  size_t n = 1;
  for (size_t d : s) n *= d;
  return n;
}

// "[2,3,4]", for messages.
inline std::string ShapeString(const Shape& s) {
  std::string r = "[";
  for (size_t i = 0; i < s.size(); i++) r += (i ? "," : "") + std::to_string(s[i]);
  return r + "]";
}

}  // namespace pnn_test
