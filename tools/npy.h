// NumPy .npy files for portnn's tools and native tests: the `portnn-run` tool's --input files
// and the model zoo's inputs and reference outputs (bench/models/reference.mjs writes them; its
// JS twin is bench/models/npy.mjs).
//
// What is supported, and nothing more: dtypes float32 ('<f4') and int64 ('<i8'), little-endian
// (the bytes are assembled explicitly, so the host's byte order does not matter), C order, format
// versions 1.0 (2-byte header length) and 2.0 (4-byte header length); writing uses 1.0.
//
// A .npy file is untrusted input. The header is parsed by a strict reader of the one dict literal
// NumPy writes ({'descr': ..., 'fortran_order': ..., 'shape': (...), } in any key order, single or
// double quotes, a trailing comma), never evaluated; every number is checked for overflow; the
// header may not exceed kMaxHeaderBytes (NumPy's own default limit) nor the file; the shape's
// byte count, computed without overflow, must equal the bytes that follow the header exactly,
// and only then is anything allocated. A rejected file gives false and a reason naming what was
// wrong; the output array is then left untouched.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace pnn {
namespace npy {

enum class DType { kFloat32, kInt64 };

// Longest header accepted (NumPy's default max_header_size) and most dimensions.
constexpr size_t kMaxHeaderBytes = 10000;
constexpr size_t kMaxDims = 32;

// One array: its dtype, shape (empty for a scalar) and elements in C order, in `f32` or `i64`
// as the dtype says (the other vector stays empty).
struct Array {
  DType dtype = DType::kFloat32;
  std::vector<size_t> shape;
  std::vector<float> f32;
  std::vector<int64_t> i64;

  // Elements the shape holds (1 for a scalar).
  size_t count() const;
};

// Parses the `size` bytes of a .npy file at `data` into `*out`. On failure returns false, sets
// `*error` to the reason and leaves `*out` as it was.
bool Parse(const uint8_t* data, size_t size, Array* out, std::string* error);

// Reads the file at `path` (into a buffer of the file's size) and parses it.
bool ReadFile(const std::string& path, Array* out, std::string* error);

// The .npy bytes (format 1.0) of `array`. Returns false with a reason when the shape's count does
// not match the elements in the dtype's vector or the shape has more than kMaxDims dims.
bool Encode(const Array& array, std::vector<uint8_t>* bytes, std::string* error);

// Encodes `array` and writes it to `path`.
bool WriteFile(const std::string& path, const Array& array, std::string* error);

}  // namespace npy
}  // namespace pnn
