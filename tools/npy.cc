// NumPy .npy reader and writer; the format's limits and the checks are in npy.h.
#include "npy.h"

#include <cstdio>
#include <cstring>
#include <limits>

namespace pnn {
namespace npy {
namespace {

constexpr uint8_t kMagic[6] = {0x93, 'N', 'U', 'M', 'P', 'Y'};

size_t ElementBytes(DType dtype) { return dtype == DType::kFloat32 ? 4 : 8; }

// The header dict, as far as parsed: each key found at most once.
struct Header {
  bool has_descr = false, has_order = false, has_shape = false;
  std::string descr;
  bool fortran_order = false;
  std::vector<size_t> shape;
};

// A strict reader of the dict literal NumPy writes; each method returns false with the reason.
class HeaderParser {
 public:
  HeaderParser(const char* text, size_t size, std::string* error)
      : p_(text), end_(text + size), error_(error) {}

  bool Parse(Header* h) {
    SkipSpace();
    if (!Expect('{')) return false;
    SkipSpace();
    while (p_ < end_ && *p_ != '}') {
      std::string key;
      if (!String(&key)) return false;
      SkipSpace();
      if (!Expect(':')) return false;
      SkipSpace();
      if (key == "descr") {
        if (h->has_descr) return Fail("key 'descr' given twice");
        h->has_descr = true;
        if (!String(&h->descr)) return false;
      } else if (key == "fortran_order") {
        if (h->has_order) return Fail("key 'fortran_order' given twice");
        h->has_order = true;
        if (!Bool(&h->fortran_order)) return false;
      } else if (key == "shape") {
        if (h->has_shape) return Fail("key 'shape' given twice");
        h->has_shape = true;
        if (!Shape(&h->shape)) return false;
      } else {
        return Fail("unknown key '" + key + "'");
      }
      SkipSpace();
      if (p_ < end_ && *p_ == ',') {
        ++p_;
        SkipSpace();
      } else if (p_ < end_ && *p_ != '}') {
        return Fail("expected ',' or '}' after the value of '" + key + "'");
      }
    }
    if (!Expect('}')) return false;
    SkipSpace();  // the padding: spaces and the closing newline
    if (p_ != end_) return Fail("characters after the header dict");
    if (!h->has_descr || !h->has_order || !h->has_shape) {
      return Fail("header lacks 'descr', 'fortran_order' or 'shape'");
    }
    return true;
  }

 private:
  bool Fail(const std::string& why) {
    *error_ = "header: " + why;
    return false;
  }
  void SkipSpace() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\t' || *p_ == '\n' || *p_ == '\r')) ++p_;
  }
  bool Expect(char c) {
    if (p_ < end_ && *p_ == c) {
      ++p_;
      return true;
    }
    return Fail(std::string("expected '") + c + "'");
  }
  bool String(std::string* out) {
    if (p_ >= end_ || (*p_ != '\'' && *p_ != '"')) return Fail("expected a quoted string");
    const char quote = *p_++;
    const char* start = p_;
    while (p_ < end_ && *p_ != quote) {
      if (*p_ == '\\') return Fail("escapes in strings are not supported");
      ++p_;
    }
    if (p_ >= end_) return Fail("unterminated string");
    out->assign(start, p_ - start);
    ++p_;
    return true;
  }
  bool Word(const char* word) {
    const size_t n = std::strlen(word);
    if (static_cast<size_t>(end_ - p_) >= n && std::memcmp(p_, word, n) == 0) {
      p_ += n;
      return true;
    }
    return false;
  }
  bool Bool(bool* out) {
    if (Word("True")) {
      *out = true;
    } else if (Word("False")) {
      *out = false;
    } else {
      return Fail("'fortran_order' must be True or False");
    }
    return true;
  }
  bool Size(size_t* out) {
    if (p_ >= end_ || *p_ < '0' || *p_ > '9') return Fail("shape entries must be integers >= 0");
    size_t v = 0;
    while (p_ < end_ && *p_ >= '0' && *p_ <= '9') {
      const size_t digit = static_cast<size_t>(*p_++ - '0');
      if (v > (std::numeric_limits<size_t>::max() - digit) / 10) {
        return Fail("shape entry overflows size_t");
      }
      v = v * 10 + digit;
    }
    if (p_ < end_ && *p_ == 'L') ++p_;  // Python 2's long suffix, which old NumPy wrote
    *out = v;
    return true;
  }
  bool Shape(std::vector<size_t>* out) {
    if (!Expect('(')) return false;
    SkipSpace();
    while (p_ < end_ && *p_ != ')') {
      if (out->size() == kMaxDims) return Fail("more than " + std::to_string(kMaxDims) + " dims");
      size_t d;
      if (!Size(&d)) return false;
      out->push_back(d);
      SkipSpace();
      if (p_ < end_ && *p_ == ',') {
        ++p_;
        SkipSpace();
      } else if (p_ < end_ && *p_ != ')') {
        return Fail("expected ',' or ')' in the shape");
      }
    }
    return Expect(')');
  }

  const char* p_;
  const char* end_;
  std::string* error_;
};

uint64_t LoadLE(const uint8_t* p, size_t n) {
  uint64_t v = 0;
  for (size_t i = n; i-- > 0;) v = (v << 8) | p[i];
  return v;
}

void StoreLE(uint64_t v, size_t n, uint8_t* p) {
  for (size_t i = 0; i < n; i++) p[i] = static_cast<uint8_t>(v >> (8 * i));
}

bool Fail(std::string* error, const std::string& why) {
  *error = why;
  return false;
}

}  // namespace

size_t Array::count() const {
  size_t n = 1;
  for (size_t d : shape) n *= d;
  return n;
}

bool Parse(const uint8_t* data, size_t size, Array* out, std::string* error) {
  if (size < 8 || std::memcmp(data, kMagic, sizeof kMagic) != 0) {
    return Fail(error, "not a .npy file (no \\x93NUMPY magic)");
  }
  const unsigned major = data[6], minor = data[7];
  if ((major != 1 && major != 2) || minor != 0) {
    return Fail(error, "format version " + std::to_string(major) + "." + std::to_string(minor) +
                           " (only 1.0 and 2.0)");
  }
  const size_t len_bytes = major == 1 ? 2 : 4;
  if (size < 8 + len_bytes) return Fail(error, "file ends inside the header length");
  const uint64_t header_bytes = LoadLE(data + 8, len_bytes);
  if (header_bytes > kMaxHeaderBytes) {
    return Fail(error, "header of " + std::to_string(header_bytes) + " bytes (at most " +
                           std::to_string(kMaxHeaderBytes) + ")");
  }
  const size_t offset = 8 + len_bytes + static_cast<size_t>(header_bytes);
  if (offset > size) {
    return Fail(error, "header of " + std::to_string(header_bytes) + " bytes runs past the " +
                           std::to_string(size) + "-byte file");
  }
  Header h;
  HeaderParser parser(reinterpret_cast<const char*>(data + 8 + len_bytes),
                      static_cast<size_t>(header_bytes), error);
  if (!parser.Parse(&h)) return false;
  DType dtype;
  if (h.descr == "<f4") {
    dtype = DType::kFloat32;
  } else if (h.descr == "<i8") {
    dtype = DType::kInt64;
  } else {
    return Fail(error, "dtype '" + h.descr + "' (only '<f4' float32 and '<i8' int64)");
  }
  if (h.fortran_order) return Fail(error, "Fortran order (only C order)");
  // The byte count, checked for overflow, must be exactly what follows the header.
  const size_t elem = ElementBytes(dtype);
  size_t count = 1;
  for (size_t d : h.shape) {
    if (d != 0 && count > std::numeric_limits<size_t>::max() / elem / d) {
      return Fail(error, "shape's byte count overflows size_t");
    }
    count *= d;
  }
  if (count * elem != size - offset) {
    return Fail(error, "shape needs " + std::to_string(count * elem) +
                           " data bytes, the file has " + std::to_string(size - offset));
  }
  Array a;
  a.dtype = dtype;
  a.shape = h.shape;
  const uint8_t* p = data + offset;
  if (dtype == DType::kFloat32) {
    a.f32.resize(count);
    for (size_t i = 0; i < count; i++) {
      const uint32_t bits = static_cast<uint32_t>(LoadLE(p + 4 * i, 4));
      std::memcpy(&a.f32[i], &bits, 4);
    }
  } else {
    a.i64.resize(count);
    for (size_t i = 0; i < count; i++) {
      const uint64_t bits = LoadLE(p + 8 * i, 8);
      std::memcpy(&a.i64[i], &bits, 8);
    }
  }
  *out = std::move(a);
  return true;
}

bool ReadFile(const std::string& path, Array* out, std::string* error) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return Fail(error, path + ": cannot open");
  std::vector<uint8_t> bytes;
  bool ok = std::fseek(f, 0, SEEK_END) == 0;
  const long size = ok ? std::ftell(f) : -1;
  ok = size >= 0 && std::fseek(f, 0, SEEK_SET) == 0;
  if (ok) {
    bytes.resize(static_cast<size_t>(size));
    ok = std::fread(bytes.data(), 1, bytes.size(), f) == bytes.size();
  }
  std::fclose(f);
  if (!ok) return Fail(error, path + ": cannot read");
  if (!Parse(bytes.data(), bytes.size(), out, error)) {
    *error = path + ": " + *error;
    return false;
  }
  return true;
}

bool Encode(const Array& array, std::vector<uint8_t>* bytes, std::string* error) {
  if (array.shape.size() > kMaxDims) {
    return Fail(error, "more than " + std::to_string(kMaxDims) + " dims");
  }
  const bool f32 = array.dtype == DType::kFloat32;
  const size_t count = array.count();
  const size_t have = f32 ? array.f32.size() : array.i64.size();
  if (count != have) {
    return Fail(error, "shape holds " + std::to_string(count) + " elements, the array " +
                           std::to_string(have));
  }
  std::string header =
      std::string("{'descr': '") + (f32 ? "<f4" : "<i8") + "', 'fortran_order': False, 'shape': (";
  for (size_t i = 0; i < array.shape.size(); i++) {
    header += (i ? ", " : "") + std::to_string(array.shape[i]);
  }
  header += array.shape.size() == 1 ? ",), }" : "), }";
  // Magic, version and length (10 bytes), the header and its newline: a multiple of 64.
  header.append((64 - (10 + header.size() + 1) % 64) % 64, ' ');
  header += '\n';
  const size_t elem = ElementBytes(array.dtype);
  std::vector<uint8_t> b(10 + header.size() + count * elem);
  std::memcpy(b.data(), kMagic, sizeof kMagic);
  b[6] = 1;
  b[7] = 0;
  StoreLE(header.size(), 2, b.data() + 8);
  std::memcpy(b.data() + 10, header.data(), header.size());
  uint8_t* p = b.data() + 10 + header.size();
  for (size_t i = 0; i < count; i++) {
    uint64_t bits;
    if (f32) {
      uint32_t u;
      std::memcpy(&u, &array.f32[i], 4);
      bits = u;
    } else {
      std::memcpy(&bits, &array.i64[i], 8);
    }
    StoreLE(bits, elem, p + elem * i);
  }
  *bytes = std::move(b);
  return true;
}

bool WriteFile(const std::string& path, const Array& array, std::string* error) {
  std::vector<uint8_t> bytes;
  if (!Encode(array, &bytes, error)) return false;
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return Fail(error, path + ": cannot create");
  const bool ok = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
  if (std::fclose(f) != 0 || !ok) return Fail(error, path + ": cannot write");
  return true;
}

}  // namespace npy
}  // namespace pnn
