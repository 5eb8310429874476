// portnn-bench internals: the suite's shapes and one benchmarkable operator instance per
// (shape, implementation). Shared by the portnn and XNNPACK back ends so that both run the very
// same shapes on the very same data.
#ifndef PORTNN_BENCH_BENCH_H_
#define PORTNN_BENCH_BENCH_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace pnnbench {

enum class Section { kGemm, kConv, kPool, kElementwise };

const char* SectionName(Section section);

// One shape of bench/suite.json. Only the fields of its section are meaningful.
struct Shape {
  Section section = Section::kGemm;
  std::string name;
  std::string op;  // pool: max/avg/global_avg; elementwise: relu/sigmoid/.../add/softmax
  // gemm (fully connected): out[m][n] = in[m][k] * W^T
  size_t m = 0, k = 0, n = 0;
  // conv and pool: input 1 x h x w x cin (pool: c), square kernel, stride s, padding p per side.
  size_t h = 0, w = 0, cin = 0, cout = 0, kernel = 0, stride = 1, pad = 0, groups = 1;
  // elementwise: `count` elements; softmax: rows x cols.
  size_t count = 0, rows = 0, cols = 0;

  // Work per run: 2*MACs for gemm/conv, one op per visited element for pool/elementwise.
  double flops = 0;
  // Bytes read + written per run (elementwise only; 0 elsewhere).
  double bytes = 0;

  size_t OutputHeight() const { return (h + 2 * pad - kernel) / stride + 1; }
  size_t OutputWidth() const { return (w + 2 * pad - kernel) / stride + 1; }
  // Fixed per shape so that every implementation sees the same weights and inputs.
  uint32_t Seed() const;
};

// The section a shape is reported in: its suite section, except that the conv shapes with
// groups == cin (> 1) form their own "depthwise" section (they run other kernels than dense
// convolution and XNNPACK is far from the machine's limits on them).
const char* ReportSectionName(const Shape& shape);

// Parses the suite (every section). On failure returns false with a message in *error.
bool LoadSuite(const std::string& path, std::vector<Shape>* shapes, std::string* error);

// Float buffer, 64-byte aligned, with readable slack after the end: XNNPACK kernels may read
// (never use) up to 16 bytes past an input, and both libraries get identical buffers.
class Buffer {
 public:
  Buffer() = default;
  explicit Buffer(size_t n);
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;
  Buffer(Buffer&& other) noexcept : data_(other.data_), size_(other.size_) {
    other.data_ = nullptr;
    other.size_ = 0;
  }
  Buffer& operator=(Buffer&& other) noexcept {
    std::swap(data_, other.data_);
    std::swap(size_, other.size_);
    return *this;
  }
  ~Buffer();
  float* data() { return data_; }
  const float* data() const { return data_; }
  size_t size() const { return size_; }
  // Uniform random values in [lo, hi) from a fixed seed.
  void FillRandom(uint32_t seed, float lo, float hi);

 private:
  float* data_ = nullptr;
  size_t size_ = 0;
};

// A created and set-up operator; Run() is the only thing timed.
class Instance {
 public:
  virtual ~Instance() = default;
  // Runs the operator once; on failure returns false and sets error().
  virtual bool Run() = 0;
  // What ran, e.g. "scalar pnn_f32_gemm_minmax_ukernel_4x4__scalar" or "xnnpack".
  const std::string& variant() const { return variant_; }
  const std::string& error() const { return error_; }

 protected:
  std::string variant_;
  std::string error_;
};

// Inputs and weights of a shape, generated from Shape::Seed().
struct ShapeData {
  Buffer input_a;  // activations (gemm/conv/pool/elementwise), A operand of add
  Buffer input_b;  // B operand of add
  Buffer weights;  // gemm [n][k]; conv [cout][kh][kw][cin/groups]
  Buffer bias;     // gemm [n]; conv [cout]
  Buffer output;
};
void MakeShapeData(const Shape& shape, ShapeData* data);

// Back ends. On failure they return nullptr with a message in *error.
// Must be called once before CreatePortnnInstance (initializes portnn, creates its pool).
bool InitializePortnn(size_t threads, std::string* error);
std::unique_ptr<Instance> CreatePortnnInstance(const Shape& shape, std::string* error);
#if defined(PORTNN_BENCH_HAVE_XNNPACK)
// Must be called once before CreateXnnpackInstance; returns false with a message on failure.
bool InitializeXnnpack(size_t threads, std::string* error);
// nullptr when XNNPACK can run the shape, else why it cannot (e.g. no f32 tanh).
const char* XnnpackUnsupportedReason(const Shape& shape);
std::unique_ptr<Instance> CreateXnnpackInstance(const Shape& shape, std::string* error);
#endif

}  // namespace pnnbench

#endif  // PORTNN_BENCH_BENCH_H_
