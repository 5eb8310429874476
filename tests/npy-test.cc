// Tests of the .npy reader and writer (tools/npy.h): round trips of float32 and int64 arrays of
// every rank the zoo uses (scalar, 1-D, 4-D, empty), headers written as NumPy writes them (format
// 1.0 and 2.0, either quote, any key order, Python 2's 'L' suffix), and hostile files: wrong
// magic or version, truncated files, header lengths past the file or over the limit, malformed,
// duplicate, unknown or missing keys, unsupported dtypes and Fortran order, shapes that are
// negative, overflow size_t or claim 2^40 elements over a few bytes, and data one byte short or
// long. Every rejection must give a reason naming the fault and leave the output array as it was.
#include "npy.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

namespace {

using pnn::npy::Array;
using pnn::npy::DType;

// A file with `header` (the dict, padded here as NumPy pads it) and `data` bytes, in format
// `major`.0.
std::vector<uint8_t> File(std::string header, const std::vector<uint8_t>& data, int major = 1) {
  const size_t len_bytes = major == 1 ? 2 : 4;
  header.append((64 - (8 + len_bytes + header.size() + 1) % 64) % 64, ' ');
  header += '\n';
  std::vector<uint8_t> f = {0x93, 'N', 'U', 'M', 'P', 'Y', static_cast<uint8_t>(major), 0};
  for (size_t i = 0; i < len_bytes; i++)
    f.push_back(static_cast<uint8_t>(header.size() >> (8 * i)));
  f.insert(f.end(), header.begin(), header.end());
  f.insert(f.end(), data.begin(), data.end());
  return f;
}

std::vector<uint8_t> Bytes(size_t n, uint8_t first = 0) {
  std::vector<uint8_t> b(n);
  for (size_t i = 0; i < n; i++) b[i] = static_cast<uint8_t>(first + i);
  return b;
}

// A sentinel output: a failed parse must leave it exactly so.
Array Sentinel() {
  Array a;
  a.dtype = DType::kInt64;
  a.shape = {1, 2};
  a.i64 = {7, 8};
  return a;
}

// Expects `bytes` to be rejected with a reason containing `reason`, `*out` untouched.
void ExpectRejected(const std::vector<uint8_t>& bytes, const std::string& reason) {
  Array out = Sentinel();
  std::string error;
  EXPECT_FALSE(pnn::npy::Parse(bytes.data(), bytes.size(), &out, &error));
  EXPECT_NE(error.find(reason), std::string::npos)
      << "reason: '" << error << "', expected '" << reason << "'";
  EXPECT_EQ(out.dtype, DType::kInt64);
  EXPECT_EQ(out.shape, (std::vector<size_t>{1, 2}));
  EXPECT_EQ(out.i64, (std::vector<int64_t>{7, 8}));
  EXPECT_TRUE(out.f32.empty());
}

Array RoundTrip(const Array& in) {
  std::vector<uint8_t> bytes;
  std::string error;
  EXPECT_TRUE(pnn::npy::Encode(in, &bytes, &error)) << error;
  // Format 1.0: magic, version, a header that ends in '\n' and aligns the data to 64 bytes.
  EXPECT_GE(bytes.size(), 10u);
  EXPECT_EQ(bytes[6], 1);
  const size_t header = bytes[8] | (bytes[9] << 8);
  EXPECT_EQ((10 + header) % 64, 0u);
  EXPECT_EQ(bytes[10 + header - 1], '\n');
  Array out;
  EXPECT_TRUE(pnn::npy::Parse(bytes.data(), bytes.size(), &out, &error)) << error;
  return out;
}

TEST(Npy, Float32RoundTrip) {
  Array a;
  a.shape = {1, 3, 4, 5};
  for (size_t i = 0; i < a.count(); i++) a.f32.push_back(std::ldexp(float(i) - 30.5f, -3));
  a.f32[7] = -0.0f;
  a.f32[8] = std::numeric_limits<float>::infinity();
  a.f32[9] = std::numeric_limits<float>::denorm_min();
  const Array b = RoundTrip(a);
  EXPECT_EQ(b.dtype, DType::kFloat32);
  EXPECT_EQ(b.shape, a.shape);
  ASSERT_EQ(b.f32.size(), a.f32.size());
  EXPECT_TRUE(b.i64.empty());
  for (size_t i = 0; i < a.f32.size(); i++) {
    EXPECT_EQ(std::signbit(b.f32[i]), std::signbit(a.f32[i])) << i;
    EXPECT_EQ(b.f32[i], a.f32[i]) << i;
  }
}

TEST(Npy, Int64RoundTrip) {
  Array a;
  a.dtype = DType::kInt64;
  a.shape = {5};
  a.i64 = {0, -1, std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max(),
           int64_t{1} << 40};
  const Array b = RoundTrip(a);
  EXPECT_EQ(b.dtype, DType::kInt64);
  EXPECT_EQ(b.shape, a.shape);
  EXPECT_EQ(b.i64, a.i64);
  EXPECT_TRUE(b.f32.empty());
}

TEST(Npy, ScalarAndEmptyShapes) {
  Array scalar;
  scalar.f32 = {2.5f};
  Array b = RoundTrip(scalar);
  EXPECT_TRUE(b.shape.empty());
  EXPECT_EQ(b.f32, std::vector<float>{2.5f});

  Array empty;
  empty.shape = {3, 0, 1u << 30};
  b = RoundTrip(empty);
  EXPECT_EQ(b.shape, empty.shape);
  EXPECT_TRUE(b.f32.empty());
}

// The header NumPy 1.x writes for np.array([[1, 2, 3], [4, 5, 6]], dtype='<f4').
TEST(Npy, ReadsNumPyHeaders) {
  std::vector<uint8_t> data;
  for (float v : {1.f, 2.f, 3.f, 4.f, 5.f, -6.f}) {
    uint32_t u;
    std::memcpy(&u, &v, 4);
    for (int i = 0; i < 4; i++) data.push_back(static_cast<uint8_t>(u >> (8 * i)));
  }
  const std::vector<float> expected = {1, 2, 3, 4, 5, -6};
  for (const auto& [header, major] : std::vector<std::pair<std::string, int>>{
           {"{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", 1},
           {"{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", 2},
           {"{\"shape\": (2,3), \"fortran_order\": False, \"descr\": \"<f4\"}", 1},
           {"{'descr':'<f4','fortran_order':False,'shape':(2L, 3L)}", 1}}) {
    const std::vector<uint8_t> f = File(header, data, major);
    Array a;
    std::string error;
    ASSERT_TRUE(pnn::npy::Parse(f.data(), f.size(), &a, &error)) << header << ": " << error;
    EXPECT_EQ(a.shape, (std::vector<size_t>{2, 3}));
    EXPECT_EQ(a.f32, expected);
  }
  // An int64 vector: np.array([-2, 3], dtype='<i8').
  std::vector<uint8_t> i64 = {0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                              3,    0,    0,    0,    0,    0,    0,    0};
  const auto f = File("{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }", i64);
  Array a;
  std::string error;
  ASSERT_TRUE(pnn::npy::Parse(f.data(), f.size(), &a, &error)) << error;
  EXPECT_EQ(a.i64, (std::vector<int64_t>{-2, 3}));
}

const char kGood[] = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }";

TEST(Npy, RejectsBadFraming) {
  ExpectRejected({}, "magic");
  ExpectRejected({0x93, 'N', 'U', 'M', 'P'}, "magic");
  std::vector<uint8_t> f = File(kGood, Bytes(8));
  f[1] = 'n';
  ExpectRejected(f, "magic");
  for (auto [major, minor] : {std::pair<int, int>{3, 0}, {0, 0}, {1, 1}, {255, 0}}) {
    f = File(kGood, Bytes(8));
    f[6] = static_cast<uint8_t>(major);
    f[7] = static_cast<uint8_t>(minor);
    ExpectRejected(f, "format version");
  }
  // Cut inside the header length, inside the header, inside the data.
  f = File(kGood, Bytes(8));
  ExpectRejected(std::vector<uint8_t>(f.begin(), f.begin() + 9), "header length");
  ExpectRejected(std::vector<uint8_t>(f.begin(), f.begin() + 40), "runs past");
  ExpectRejected(std::vector<uint8_t>(f.begin(), f.end() - 1),
                 "needs 8 data bytes, the file has 7");
  std::vector<uint8_t> longer = f;
  longer.push_back(0);
  ExpectRejected(longer, "needs 8 data bytes, the file has 9");
  // A 2.0 header length of 4 GiB - 1 over a small file, and one just over the limit.
  f = File(kGood, Bytes(8), 2);
  f[8] = f[9] = f[10] = f[11] = 0xFF;
  ExpectRejected(f, "at most 10000");
  const std::string big = std::string("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }") +
                          std::string(10001, ' ');
  ExpectRejected(File(big, Bytes(8), 2), "at most 10000");
}

TEST(Npy, RejectsMalformedHeaders) {
  // Each header (the dict NumPy writes, broken one way) and words its reason must hold.
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "expected '{'"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (2,), ", "expected '}'"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (2,)} x", "after the header"},
      {"{'descr': '<f4' 'fortran_order': False, 'shape': (2,)}", "expected ','"},
      {"{'descr: '<f4', 'fortran_order': False, 'shape': (2,)}", "expected ':'"},
      {"{'descr': '<f4, 'fortran_order': False, 'shape': (2,)}", "expected ','"},
      {"{'descr': '<f4", "unterminated"},
      {"{'de\\scr': '<f4', 'fortran_order': False, 'shape': (2,)}", "escapes"},
      {"{descr: '<f4', 'fortran_order': False, 'shape': (2,)}", "quoted string"},
      {"{'descr': '<f4', 'fortran_order': 0, 'shape': (2,)}", "True or False"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': [2]}", "expected '('"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (2 2)}", "in the shape"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (2,}", "integers"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (-2,)}", "integers"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (,)}", "integers"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'x': 1}", "unknown key 'x'"},
      {"{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (2,)}",
       "'descr' given twice"},
      {"{'shape': (2,), 'fortran_order': False, 'shape': (2,)}", "'shape' given twice"},
      {"{'fortran_order': False, 'fortran_order': False}", "'fortran_order' given twice"},
      {"{'descr': '<f4', 'shape': (2,)}", "lacks"},
      {"{}", "lacks"},
  };
  for (const auto& [header, reason] : cases) {
    SCOPED_TRACE(header);
    ExpectRejected(File(header, Bytes(8)), reason);
  }
}

TEST(Npy, RejectsUnsupportedArrays) {
  const std::vector<uint8_t> d = Bytes(8);
  for (const char* descr : {">f4", "<f8", "<i4", "|u1", "<f2", "f4", "<c8", ""}) {
    ExpectRejected(
        File(std::string("{'descr': '") + descr + "', 'fortran_order': False, 'shape': (2,)}", d),
        std::string("dtype '") + descr + "'");
  }
  ExpectRejected(File("{'descr': '<f4', 'fortran_order': True, 'shape': (2,)}", d), "Fortran");
}

TEST(Npy, RejectsHostileShapes) {
  const std::vector<uint8_t> d = Bytes(8);
  // Claims far more than the file holds: rejected before any allocation.
  ExpectRejected(File("{'descr': '<f4', 'fortran_order': False, 'shape': (1099511627776,)}", d),
                 "needs 4398046511104 data bytes, the file has 8");
  ExpectRejected(
      File("{'descr': '<i8', 'fortran_order': False, 'shape': (1024, 1024, 1024, 1024)}", d),
      "the file has 8");
  // size_t overflow: of one entry, and of the product.
  ExpectRejected(
      File("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999999,)}", d),
      "overflows size_t");
  if (sizeof(size_t) == 8) {
    ExpectRejected(
        File("{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296)}", d),
        "overflows size_t");
    ExpectRejected(
        File("{'descr': '<i8', 'fortran_order': False, 'shape': (2305843009213693952,)}", d),
        "overflows size_t");
  } else {
    ExpectRejected(File("{'descr': '<f4', 'fortran_order': False, 'shape': (65536, 65536)}", d),
                   "overflows size_t");
  }
  // A zero dim makes any other size harmless; the data must then be empty.
  ExpectRejected(File("{'descr': '<f4', 'fortran_order': False, 'shape': (0, 99999999999)}", d),
                 "needs 0 data bytes, the file has 8");
  // More than kMaxDims dims.
  std::string many = "{'descr': '<f4', 'fortran_order': False, 'shape': (";
  for (size_t i = 0; i <= pnn::npy::kMaxDims; i++) many += "1, ";
  ExpectRejected(File(many + ")}", Bytes(4)), "more than 32 dims");
}

TEST(Npy, EncodeRejectsInconsistentArrays) {
  Array a;
  a.shape = {2, 3};
  a.f32 = {1, 2, 3};
  std::vector<uint8_t> bytes = {42};
  std::string error;
  EXPECT_FALSE(pnn::npy::Encode(a, &bytes, &error));
  EXPECT_NE(error.find("6 elements, the array 3"), std::string::npos) << error;
  EXPECT_EQ(bytes, std::vector<uint8_t>{42});
  a.dtype = DType::kInt64;  // the f32 vector no longer counts
  a.shape = {3};
  EXPECT_FALSE(pnn::npy::Encode(a, &bytes, &error));
  a.shape.assign(pnn::npy::kMaxDims + 1, 1);
  a.i64 = {5};
  EXPECT_FALSE(pnn::npy::Encode(a, &bytes, &error));
  EXPECT_NE(error.find("dims"), std::string::npos) << error;
}

TEST(Npy, Files) {
  const std::string path = ::testing::TempDir() + "npy-test-" + std::to_string(::getpid()) + ".npy";
  Array a;
  a.shape = {2, 2};
  a.f32 = {0.5f, -1.5f, 3.0f, 1e-20f};
  std::string error;
  ASSERT_TRUE(pnn::npy::WriteFile(path, a, &error)) << error;
  Array b;
  ASSERT_TRUE(pnn::npy::ReadFile(path, &b, &error)) << error;
  EXPECT_EQ(b.shape, a.shape);
  EXPECT_EQ(b.f32, a.f32);
  // A corrupt file's reason names the file.
  std::FILE* f = std::fopen(path.c_str(), "r+b");
  ASSERT_NE(f, nullptr);
  std::fputc('x', f);
  std::fclose(f);
  EXPECT_FALSE(pnn::npy::ReadFile(path, &b, &error));
  EXPECT_EQ(error.rfind(path + ": not a .npy file", 0), 0u) << error;
  std::remove(path.c_str());
  EXPECT_FALSE(pnn::npy::ReadFile(path, &b, &error));
  EXPECT_NE(error.find("cannot open"), std::string::npos) << error;
  EXPECT_EQ(b.f32, a.f32);  // untouched by the failures
  EXPECT_FALSE(pnn::npy::WriteFile("/nonexistent-dir/x.npy", a, &error));
  EXPECT_NE(error.find("cannot create"), std::string::npos) << error;
}

}  // namespace
