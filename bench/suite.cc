// Suite loading (bench/suite.json) and the data every implementation is fed.
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "bench.h"

namespace pnnbench {

const char* SectionName(Section section) {
  switch (section) {
    case Section::kGemm: return "gemm";
    case Section::kConv: return "conv";
    case Section::kPool: return "pool";
    case Section::kElementwise: return "elementwise";
  }
  return "?";
}

const char* ReportSectionName(const Shape& shape) {
  if (shape.section == Section::kConv && shape.groups > 1 && shape.groups == shape.cin) {
    return "depthwise";
  }
  return SectionName(shape.section);
}

uint32_t Shape::Seed() const {
  // FNV-1a of the name: stable across runs and independent of the shape's position in the file.
  uint32_t hash = 2166136261u;
  for (unsigned char ch : name) hash = (hash ^ ch) * 16777619u;
  return hash;
}

namespace {

// A JSON field that must be a positive integer (or, with allow_zero, a non-negative one).
size_t GetSize(const nlohmann::json& entry, const char* key, bool allow_zero = false) {
  if (!entry.contains(key)) throw std::runtime_error(std::string("missing \"") + key + "\"");
  const nlohmann::json& v = entry.at(key);
  if (!v.is_number_integer() || v.get<long long>() < (allow_zero ? 0 : 1)) {
    throw std::runtime_error(std::string("\"") + key + "\" must be a " +
                             (allow_zero ? "non-negative" : "positive") + " integer");
  }
  return v.get<size_t>();
}

std::string GetString(const nlohmann::json& entry, const char* key) {
  if (!entry.contains(key) || !entry.at(key).is_string()) {
    throw std::runtime_error(std::string("missing string \"") + key + "\"");
  }
  return entry.at(key).get<std::string>();
}

void CheckWindow(const Shape& s) {
  if (s.h + 2 * s.pad < s.kernel || s.w + 2 * s.pad < s.kernel) {
    throw std::runtime_error("kernel larger than the padded input");
  }
}

Shape ParseShape(Section section, const nlohmann::json& e) {
  if (!e.is_object()) throw std::runtime_error("entries must be objects");
  Shape s;
  s.section = section;
  s.name = GetString(e, "name");
  switch (section) {
    case Section::kGemm:
      s.m = GetSize(e, "m");
      s.k = GetSize(e, "k");
      s.n = GetSize(e, "n");
      s.flops = 2.0 * s.m * s.n * s.k;
      break;
    case Section::kConv: {
      s.h = GetSize(e, "h");
      s.w = GetSize(e, "w");
      s.cin = GetSize(e, "cin");
      s.cout = GetSize(e, "cout");
      s.kernel = GetSize(e, "k");
      s.stride = GetSize(e, "s");
      s.pad = GetSize(e, "p", /*allow_zero=*/true);
      s.groups = e.contains("groups") ? GetSize(e, "groups") : 1;
      if (s.cin % s.groups != 0 || s.cout % s.groups != 0) {
        throw std::runtime_error("cin and cout must be multiples of groups");
      }
      CheckWindow(s);
      s.flops = 2.0 * s.OutputHeight() * s.OutputWidth() * s.cout * s.kernel * s.kernel *
                (s.cin / s.groups);
      break;
    }
    case Section::kPool:
      s.op = GetString(e, "op");
      s.h = GetSize(e, "h");
      s.w = GetSize(e, "w");
      s.cin = s.cout = GetSize(e, "c");
      if (s.op == "global_avg") {
        s.flops = 1.0 * s.h * s.w * s.cin;
      } else if (s.op == "max" || s.op == "avg") {
        s.kernel = GetSize(e, "k");
        s.stride = GetSize(e, "s");
        s.pad = GetSize(e, "p", /*allow_zero=*/true);
        if (s.pad >= s.kernel) throw std::runtime_error("padding must be smaller than the window");
        CheckWindow(s);
        s.flops = 1.0 * s.OutputHeight() * s.OutputWidth() * s.cin * s.kernel * s.kernel;
      } else {
        throw std::runtime_error("unknown pool op \"" + s.op + "\"");
      }
      break;
    case Section::kElementwise:
      s.op = GetString(e, "op");
      if (s.op == "softmax") {
        s.rows = GetSize(e, "rows");
        s.cols = GetSize(e, "cols");
        s.count = s.rows * s.cols;
        s.bytes = 8.0 * s.count;
      } else if (s.op == "relu" || s.op == "sigmoid" || s.op == "tanh" ||
                 s.op == "hardswish" || s.op == "gelu") {
        s.count = GetSize(e, "n");
        s.bytes = 8.0 * s.count;
      } else if (s.op == "add") {
        s.count = GetSize(e, "n");
        s.bytes = 12.0 * s.count;
      } else {
        throw std::runtime_error("unknown elementwise op \"" + s.op + "\"");
      }
      s.flops = 1.0 * s.count;
      break;
  }
  return s;
}

}  // namespace

bool LoadSuite(const std::string& path, std::vector<Shape>* shapes, std::string* error) {
  std::ifstream file(path);
  if (!file) {
    *error = "cannot open suite file " + path;
    return false;
  }
  static const Section kSections[] = {Section::kGemm, Section::kConv, Section::kPool,
                                      Section::kElementwise};
  std::vector<Shape> result;
  std::set<std::string> names;
  std::string where = path;
  try {
    nlohmann::json root = nlohmann::json::parse(file);
    for (Section section : kSections) {
      const char* key = SectionName(section);
      where = path + ": section \"" + key + "\"";
      if (!root.contains(key)) continue;
      if (!root.at(key).is_array()) throw std::runtime_error("must be an array");
      size_t index = 0;
      for (const nlohmann::json& entry : root.at(key)) {
        where = path + ": " + key + "[" + std::to_string(index++) + "]";
        Shape shape = ParseShape(section, entry);
        // Benchmark names are section/shape/impl; a duplicate would merge two shapes' results.
        if (!names.insert(shape.name).second) {
          throw std::runtime_error("duplicate shape name \"" + shape.name + "\"");
        }
        result.push_back(std::move(shape));
      }
    }
  } catch (const std::exception& e) {
    *error = where + ": " + e.what();
    return false;
  }
  if (result.empty()) {
    *error = path + ": no shapes in sections gemm, conv, pool, elementwise";
    return false;
  }
  *shapes = std::move(result);
  return true;
}

// ---------------------------------------------------------------------------------------------

namespace {
constexpr size_t kAlignment = 64;
constexpr size_t kSlackBytes = 64;
}  // namespace

Buffer::Buffer(size_t n) : size_(n) {
  size_t bytes = (n * sizeof(float) + kSlackBytes + kAlignment - 1) / kAlignment * kAlignment;
  data_ = static_cast<float*>(std::aligned_alloc(kAlignment, bytes));
  if (data_ == nullptr) throw std::bad_alloc();
  // Touch every page now so that first-touch page faults stay out of the timed runs.
  std::memset(data_, 0, bytes);
}

Buffer::~Buffer() { std::free(data_); }

void Buffer::FillRandom(uint32_t seed, float lo, float hi) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(lo, hi);
  for (size_t i = 0; i < size_; i++) data_[i] = dist(rng);
}

void MakeShapeData(const Shape& s, ShapeData* d) {
  const uint32_t seed = s.Seed();
  switch (s.section) {
    case Section::kGemm:
      d->input_a = Buffer(s.m * s.k);
      d->weights = Buffer(s.n * s.k);
      d->bias = Buffer(s.n);
      d->output = Buffer(s.m * s.n);
      break;
    case Section::kConv:
      d->input_a = Buffer(s.h * s.w * s.cin);
      d->weights = Buffer(s.cout * s.kernel * s.kernel * (s.cin / s.groups));
      d->bias = Buffer(s.cout);
      d->output = Buffer(s.OutputHeight() * s.OutputWidth() * s.cout);
      break;
    case Section::kPool:
      d->input_a = Buffer(s.h * s.w * s.cin);
      d->output = Buffer(s.op == "global_avg" ? s.cin : s.OutputHeight() * s.OutputWidth() * s.cin);
      break;
    case Section::kElementwise:
      d->input_a = Buffer(s.count);
      if (s.op == "add") d->input_b = Buffer(s.count);
      d->output = Buffer(s.count);
      break;
  }
  // Activations in a range that exercises both the linear and the saturating parts of the
  // transcendental ops; weights small as in trained layers.
  d->input_a.FillRandom(seed, s.section == Section::kElementwise ? -6.0f : -1.0f,
                        s.section == Section::kElementwise ? 6.0f : 1.0f);
  d->input_b.FillRandom(seed + 1, -6.0f, 6.0f);
  d->weights.FillRandom(seed + 2, -0.5f, 0.5f);
  d->bias.FillRandom(seed + 3, -0.1f, 0.1f);
}

}  // namespace pnnbench
