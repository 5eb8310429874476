// The shared fuzz driver (see fuzz-driver.h for what it checks and why).
#include "fuzz-driver.h"

#include <array>
#include <cfloat>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <utility>

// Huge allocations must come back as NULL (the library then reports out_of_memory) instead of
// aborting in ASan; 1 GiB is the largest allocation any input may make, which keeps libFuzzer's
// own 2 GiB malloc limit out of reach.
extern "C" const char* __asan_default_options() {
  return "allocator_may_return_null=1:max_allocation_size_mb=1024:detect_leaks=1";
}

void FuzzCheckFailed(const char* file, int line, const char* cond, const char* fmt, ...) {
  std::fprintf(stderr, "FUZZ_CHECK failed at %s:%d: %s\n  ", file, line, cond);
  va_list args;
  va_start(args, fmt);
  std::vfprintf(stderr, fmt, args);
  va_end(args);
  std::fprintf(stderr, "\n  pnn_last_error_message(): \"%s\"\n", pnn_last_error_message());
  std::abort();
}

namespace fuzz {

// ---- Reader -------------------------------------------------------------------------------------

uint16_t Reader::u16() {
  const uint16_t lo = u8();
  return static_cast<uint16_t>(lo | (u8() << 8));
}
uint32_t Reader::u32() {
  const uint32_t lo = u16();
  return lo | (uint32_t{u16()} << 16);
}
uint64_t Reader::u64() {
  const uint64_t lo = u32();
  return lo | (uint64_t{u32()} << 32);
}

size_t Reader::dim() {
  const uint8_t b = u8();
  if (b < 0xF0) return 1 + b % 16;
  switch (b) {
    case 0xF0:
      return 0;
    case 0xF1:
      return UINT32_MAX;
    case 0xF2:
      return SIZE_MAX;
    case 0xF3:
      return SIZE_MAX / 4 + 1;
    case 0xF4:
      return size_t{1} << (u8() % (8 * sizeof(size_t)));
    case 0xF5:
      return UINT32_MAX - u8();
    case 0xF6:
      return static_cast<size_t>(u64());
    case 0xF7:
      return (size_t{1} << (u8() % (8 * sizeof(size_t)))) + u8();
    case 0xF8:
      return 1 + size_t{u8()};
    case 0xF9:
      return 1 + size_t{u16()};
    case 0xFA:
      return SIZE_MAX - u8();
    default:
      return 1 + b % 4;
  }
}

uint32_t Reader::u32param() {
  const uint8_t b = u8();
  if (b < 0xF0) return b % 16;  // 0..15: padding 0 and zero sizes are common on purpose
  switch (b) {
    case 0xF0:
      return UINT32_MAX;
    case 0xF1:
      return UINT32_MAX - u8();
    case 0xF2:
      return uint32_t{1} << (u8() % 32);
    case 0xF3:
      return u32();
    case 0xF4:
      return 1 + u8();
    case 0xF5:
      return 1 + u16();
    default:
      return 1 + b % 4;
  }
}

float Reader::fparam() {
  const uint8_t b = u8();
  switch (b) {
    case 0:
      return -INFINITY;
    case 1:
      return INFINITY;
    case 2:
      return NAN;
    case 3:
      return 0.0f;
    case 4:
      return -0.0f;
    case 5:
      return FLT_MAX;
    case 6:
      return -FLT_MAX;
    case 7: {
      const uint32_t bits = u32();
      float f;
      std::memcpy(&f, &bits, sizeof f);
      return f;
    }
    default:
      return (static_cast<int>(b) - 136) / 16.0f;
  }
}

void Reader::clamp(float* min, float* max) {
  if (u8() < 160) {
    *min = -INFINITY;
    *max = INFINITY;
  } else {
    *min = fparam();
    *max = fparam();
  }
}

size_t Reader::stride(size_t row) {
  const uint8_t b = u8();
  if (b < 128) return row;
  if (b < 224) return row + 1 + b % 16 < row ? row : row + 1 + b % 16;  // saturates at the edge
  if (b < 240) return row - 1;  // too short (wraps for a row of 0, which is rejected anyway)
  return dim();
}

// ---- arithmetic ---------------------------------------------------------------------------------

u128 mul(u128 a, u128 b) {
  const u128 cap = u128{1} << 120;
  if (a == 0 || b == 0) return 0;
  return a > cap / b ? cap : a * b;
}

u128 prod(std::initializer_list<u128> factors) {
  u128 p = 1;
  for (u128 f : factors) p = mul(p, f);
  return p;
}

AxisModel model_axis(u128 in, const Axis& axis, uint32_t flags, bool pooling) {
  AxisModel a;
  const u128 extent = axis.dilation * (axis.kernel - 1) + 1;
  const u128 stride = axis.stride;
  if ((flags & kSamePadding) != 0) {
    a.out = (in + stride - 1) / stride;
    const u128 needed = (a.out - 1) * stride + extent;
    const u128 total = needed > in ? needed - in : 0;
    a.pad_before = (flags & PNN_FLAG_SAME_LOWER_PADDING) != 0 ? (total + 1) / 2 : total / 2;
    a.pad_after = total - a.pad_before;
  } else {
    const u128 padded = in + axis.pad_before + axis.pad_after;
    if (padded < extent) return a;
    const bool ceil = (flags & PNN_FLAG_CEIL_MODE) != 0;
    a.out = (padded - extent + (ceil ? stride - 1 : 0)) / stride + 1;
    // Ceil mode: a last window starting past the input and its leading padding is dropped.
    if (ceil && a.out > 1 && (a.out - 1) * stride >= in + axis.pad_before) a.out--;
    a.pad_before = axis.pad_before;
    a.pad_after = axis.pad_after;
  }
  if (pooling && in < axis.dilation) {
    // Windows starting in the leading padding: their first tap at or past the input edge must
    // land inside the input. (A window starting inside holds its first tap, and the trailing
    // padding is below the extent.) Decided by brute force, only when few windows qualify.
    if (a.pad_before / stride + 1 > 4096) {
      a.known = false;
      return a;
    }
    for (u128 o = 0; o < a.out && o * stride < a.pad_before; o++) {
      const u128 gap = a.pad_before - o * stride;
      const u128 first = (axis.dilation - gap % axis.dilation) % axis.dilation;
      if (first >= in) return a;
    }
  }
  a.valid = true;
  return a;
}

AxisModel model_transposed_axis(u128 in, const Axis& axis, u128 adjustment) {
  AxisModel a;
  if (in == 0) return a;
  const u128 full = (in - 1) * axis.stride + adjustment + axis.dilation * (axis.kernel - 1) + 1;
  const u128 cut = axis.pad_before + axis.pad_after;
  // The output and its leading padding (full - pad_after) must fit a size_t.
  if (full <= cut || full - axis.pad_after > kSizeMax) return a;
  a.out = full - cut;
  a.pad_before = axis.pad_before;
  a.pad_after = axis.pad_after;
  a.valid = true;
  return a;
}

// ---- buffers ------------------------------------------------------------------------------------

Layout Layout::Dense(u128 elements) {
  Layout l;
  l.row = l.stride = static_cast<size_t>(elements);
  return l;
}

Layout Layout::Rows(size_t rows, size_t row, size_t stride) {
  Layout l;
  l.rows = rows;
  l.row = row;
  l.stride = rows == 1 ? row : stride;  // a single row never takes its stride
  return l;
}

u128 Layout::span() const {
  return row == 0 ? 0 : mul(rows - 1, stride) + row;
}

bool Layout::contains(size_t i) const { return stride == 0 || i % stride < row; }

std::vector<float> values(size_t n, uint32_t seed) {
  std::vector<float> v(n);
  uint32_t s = seed * 2654435761u + 12345u;
  for (float& x : v) {
    s = s * 1664525u + 1013904223u;
    x = (static_cast<float>((s >> 8) % 4096) - 2048.0f) / 1024.0f;
  }
  return v;
}

namespace {

// Unwritten output: all bits set, a NaN no operator computes from finite inputs (the default
// NaN of x86 and Arm has a different payload).
constexpr uint32_t kUnwritten = 0xFFFFFFFFu;
bool unwritten(float f) {
  uint32_t bits;
  std::memcpy(&bits, &f, sizeof bits);
  return bits == kUnwritten;
}
void fill_unwritten(std::vector<float>& v) { std::memset(v.data(), 0xFF, v.size() * sizeof(float)); }

bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() &&
         (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0);
}

// The rows of `layout` read out of `base`.
std::vector<float> rows_of(const float* base, const Layout& layout) {
  std::vector<float> v;
  v.reserve(layout.rows * layout.row);
  for (size_t r = 0; r < layout.rows; r++)
    v.insert(v.end(), base + r * layout.stride, base + r * layout.stride + layout.row);
  return v;
}

pnn_threadpool_t g_pools[kPools] = {};

}  // namespace

bool g_initialized = false;

pnn_threadpool_t pool(size_t i) { return g_pools[i % kPools]; }
void set_pool(size_t i, pnn_threadpool_t p) { g_pools[i % kPools] = p; }

void Initialize() {
  if (pnn_initialize() != pnn_status_success) std::abort();
  g_initialized = true;
  for (size_t i = 1; i < kPools; i++)
    if (pnn_threadpool_create(i, &g_pools[i]) != pnn_status_success) std::abort();
}

// ---- status checks ------------------------------------------------------------------------------

void ExpectSuccess(pnn_status got, const char* function) {
  FUZZ_CHECK(got == pnn_status_success, "%s gave %s, the header's rules accept the call", function,
             pnn_status_string(got));
  FUZZ_CHECK(pnn_last_error_message()[0] == '\0', "%s succeeded but left a reason", function);
}

void ExpectFailure(pnn_status got, pnn_status want, const char* function) {
  FUZZ_CHECK(got == want, "%s gave %s, the header's rules give %s", function,
             pnn_status_string(got), pnn_status_string(want));
  const char* message = pnn_last_error_message();
  const size_t n = std::strlen(function);
  FUZZ_CHECK(std::strncmp(message, function, n) == 0 && message[n] == ':' &&
                 message[n + 1] == ' ' && std::strlen(message + n + 2) >= 4,
             "%s failed (%s) without a reason \"%s: <reason>\"", function,
             pnn_status_string(got), function);
}

void ExpectCreate(pnn_status got, pnn_operator_t op, bool ok, pnn_status fail,
                  const char* function, pnn_status also) {
  if (!g_initialized && got == pnn_status_uninitialized) {
    ExpectFailure(got, pnn_status_uninitialized, function);
  } else if (ok && g_initialized) {
    ExpectSuccess(got, function);
    FUZZ_CHECK(op != nullptr, "%s succeeded and returned NULL", function);
    return;
  } else {
    FUZZ_CHECK(!ok, "%s before pnn_initialize() gave %s", function, pnn_status_string(got));
    ExpectFailure(got, got == also ? also : fail, function);
  }
  FUZZ_CHECK(op == nullptr, "a failed %s did not set *op_out to NULL", function);
}

pnn_operator_t Poison() { return reinterpret_cast<pnn_operator_t>(uintptr_t{0x10}); }

// ---- Subject --------------------------------------------------------------------------------------

Subject::Subject(Family family) : family_(std::move(family)) {}

Subject::~Subject() {
  const pnn_status s = pnn_delete_operator(family_.op);
  if (s != pnn_status_success) FuzzCheckFailed(__FILE__, __LINE__, "delete", "delete failed");
}

void Subject::Reshape(Reader& r) {
  Shape s = family_.next_shape(r);
  if (s.expect == Expect::kSkip) return;
  const pnn_status st = s.reshape(family_.op, pool(r.u8()));
  if (s.expect == Expect::kReject ||
      (s.expect == Expect::kTooLarge && st == pnn_status_out_of_memory)) {
    ExpectFailure(st, s.expect == Expect::kReject ? s.reject : pnn_status_out_of_memory,
                  s.function);
    s.check_unreported();
    ExpectIntact();
    return;
  }
  ExpectSuccess(st, s.function);
  s.check_reported();
  state_ = kReshaped;
  shape_ = std::move(s);
}

void Subject::ExpectIntact() {
  if (state_ == kReady) {
    Run(0);
    return;
  }
  // Never set up since the last reshape: run is out of order and writes nothing, not even to
  // the buffers an earlier setup bound.
  const std::vector<float> before = bound_.y;
  const pnn_status st = pnn_run_operator(family_.op, pool(0));
  ExpectFailure(st, pnn_status_invalid_state, "pnn_run_operator");
  FUZZ_CHECK(same_bits(before, bound_.y), "a rejected run wrote to the buffers of an old setup");
}

void Subject::Setup(Reader& r) {
  if (state_ == kFresh) {
    std::vector<float> x(4, 1.0f), y(4);
    fill_unwritten(y);
    const pnn_status st = family_.setup(family_.op, x.data(), x.data(), y.data());
    ExpectFailure(st, pnn_status_invalid_state, family_.setup_function);
    for (float v : y) FUZZ_CHECK(unwritten(v), "a setup before reshape wrote to the output");
    ExpectIntact();
    return;
  }
  if (shape_.expect != Expect::kAccept) return;  // too large to bind here
  const Shape& s = shape_;
  const size_t n0 = static_cast<size_t>(s.in0.span()), n1 = static_cast<size_t>(s.in1.span());
  const size_t ny = static_cast<size_t>(s.out.span());
  const uint32_t seed = r.u8();

  // First the aliasing the header speaks about.
  const uint8_t alias = r.u8() % 4;
  std::vector<float> inplace_result;
  if (alias == 1 && (n0 > 1 || ny > 1)) {
    // Partial overlap: always rejected, nothing written.
    std::vector<float> arena = values(n0 + ny, seed);
    const std::vector<float> before = arena;
    const std::vector<float> b = values(n1 == 0 ? 1 : n1, seed + 1);
    const size_t off = 1 + r.u8() % ((n0 > 1 ? n0 : ny) - 1);
    float* in = n0 > 1 ? arena.data() : arena.data() + off;
    float* out = n0 > 1 ? arena.data() + off : arena.data();
    const pnn_status st = family_.setup(family_.op, in, b.data(), out);
    ExpectFailure(st, pnn_status_invalid_parameter, family_.setup_function);
    FUZZ_CHECK(same_bits(arena, before), "a rejected setup wrote to the buffers");
  } else if (alias >= 2) {
    // Output == an input: in place where the header allows it, an overlap otherwise.
    const bool second = alias == 3 && n1 != 0;
    const bool allowed = second ? s.inplace1 : s.inplace0;
    std::vector<float> a = values(n0, seed), b = values(n1 == 0 ? 1 : n1, seed + 1);
    const std::vector<float> before = second ? b : a;
    float* io = second ? b.data() : a.data();
    const pnn_status st = family_.setup(family_.op, a.data(), b.data(), io);
    if (!allowed) {
      ExpectFailure(st, pnn_status_invalid_parameter, family_.setup_function);
      FUZZ_CHECK(same_bits(second ? b : a, before), "a rejected setup wrote to the buffers");
    } else {
      ExpectSuccess(st, family_.setup_function);
      ExpectSuccess(pnn_run_operator(family_.op, pool(r.u8())), "pnn_run_operator");
      inplace_result = rows_of(io, s.out);
      for (float v : inplace_result) FUZZ_CHECK(!unwritten(v), "an in-place run left garbage");
      if (s.verify) s.verify(second ? a.data() : before.data(), second ? before.data() : b.data(),
                             io);
    }
  }

  Bound nb;
  nb.in0 = s.in0;
  nb.in1 = s.in1;
  nb.out = s.out;
  nb.a = values(n0, seed);
  nb.b = values(n1 == 0 ? 1 : n1, seed + 1);
  nb.y.resize(ny);
  fill_unwritten(nb.y);
  nb.result = std::move(inplace_result);
  const pnn_status st = family_.setup(family_.op, nb.a.data(), nb.b.data(), nb.y.data());
  ExpectSuccess(st, family_.setup_function);
  bound_ = std::move(nb);
  bound_.shape = s;
  state_ = kReady;
}

void Subject::FillGaps(Bound& b, uint32_t pattern) {
  // Input gaps change from run to run (NaNs, huge values): a read of one changes the result.
  const uint32_t bits = (pattern & 1) != 0 ? 0x7FC0BEEFu + pattern : 0x7E967699u;  // NaN, 1e38
  float gap;
  std::memcpy(&gap, &bits, sizeof gap);
  for (size_t i = 0; i < b.a.size(); i++)
    if (!b.in0.contains(i)) b.a[i] = gap;
  if (b.in1.row != 0)
    for (size_t i = 0; i < b.b.size(); i++)
      if (!b.in1.contains(i)) b.b[i] = gap;
  fill_unwritten(b.y);
}

void Subject::CheckOutput(const Bound& b, const char* what) {
  for (size_t i = 0; i < b.y.size(); i++) {
    if (b.out.contains(i)) {
      FUZZ_CHECK(!unwritten(b.y[i]), "%s: output element %zu of %zu not written", what, i,
                 b.y.size());
    } else {
      FUZZ_CHECK(unwritten(b.y[i]), "%s: element %zu between output rows written", what, i);
    }
  }
}

void Subject::Run(size_t p) {
  if (state_ != kReady) {
    ExpectIntact();
    return;
  }
  FillGaps(bound_, ++runs_);
  const pnn_status st = pnn_run_operator(family_.op, pool(p));
  ExpectSuccess(st, "pnn_run_operator");
  CheckOutput(bound_, "run");
  std::vector<float> got = rows_of(bound_.y.data(), bound_.out);
  if (bound_.result.empty()) {
    if (bound_.shape.verify) bound_.shape.verify(bound_.a.data(), bound_.b.data(), bound_.y.data());
    bound_.result = std::move(got);
  } else {
    FUZZ_CHECK(same_bits(got, bound_.result),
               "a run on pool %zu (%zu threads) differs from the first run of this setup (or the "
               "in-place run)",
               p % kPools, p % kPools);
  }
}

void Subject::Cycle(Reader& r) {
  Reshape(r);
  if (state_ == kReshaped) Run(0);  // out of order: invalid_state, nothing written
  Setup(r);
  if (state_ != kReady) return;
  // The caller's thread and a one-thread pool in either order; a quarter of the shapes also on
  // two threads (pthreadpool's workers spin after each job, which a loaded machine pays for).
  const uint8_t order = r.u8();
  Run(order & 1);
  Run((order & 1) ^ 1);
  if (order >= 192) Run(2);
}

}  // namespace fuzz

namespace fuzz {

// ---- windowed operators ---------------------------------------------------------------------------

namespace {
constexpr u128 kMaxElements = u128{1} << 12;  // per buffer a target allocates to run
constexpr u128 kMaxWork = u128{1} << 15;      // multiply-adds (or taps) per run
constexpr u128 kMaxWorkspace = u128{1} << 16;  // indirection entries a reshape may build
}  // namespace

Expect Budget(std::initializer_list<u128> spans, u128 work) {
  for (u128 s : spans)
    if (s > kMaxElements) return Expect::kTooLarge;
  return work > kMaxWork ? Expect::kTooLarge : Expect::kAccept;
}

bool WorkspaceTooLarge(u128 entries) { return entries > kMaxWorkspace; }

namespace {

// The layouts and outcome of `rows` with the given strides.
void ModelRows(Shape* s, const Rows& rows, size_t in_stride, size_t out_stride) {
  const auto span = [](u128 n, size_t row, size_t stride) {
    return n == 0 ? 0 : mul(n - 1, stride) + row;
  };
  const u128 in_span = span(rows.in_rows, rows.in_row, in_stride);
  const u128 out_span = span(rows.out_rows, rows.out_row, out_stride);
  if (rows.reject || rows.in_rows == 0 || rows.out_rows == 0 || in_stride < rows.in_row ||
      out_stride < rows.out_row || !fits_bytes(in_span) || !fits_bytes(out_span)) {
    s->expect = Expect::kReject;
    return;
  }
  s->expect = Budget({in_span, out_span}, rows.work);
  if (s->expect != Expect::kAccept) return;
  s->in0 = Layout::Rows(static_cast<size_t>(rows.in_rows), rows.in_row, in_stride);
  s->out = Layout::Rows(static_cast<size_t>(rows.out_rows), rows.out_row, out_stride);
  s->inplace0 = rows.inplace && (rows.in_rows == 1 || in_stride == out_stride);
}

// Draws plain or strided and the strides, fills the model, and binds `call(op, strided,
// input_stride, output_stride, pool)` as the reshape.
template <typename Call>
Shape DrawRows(Reader& r, const Rows& rows, const char* plain_name, const char* strided_name,
               Call call) {
  Shape s;
  const bool strided = r.u8() >= 128;
  const size_t is = strided ? r.stride(rows.in_row) : rows.in_row;
  const size_t os = strided ? r.stride(rows.out_row) : rows.out_row;
  ModelRows(&s, rows, is, os);
  s.function = strided ? strided_name : plain_name;
  s.reshape = [=](pnn_operator_t op, pnn_threadpool_t p) { return call(op, strided, is, os, p); };
  return s;
}

}  // namespace

Shape RowShape(Reader& r, const Rows& rows, RowsReshape1 plain, const char* plain_name,
               RowsStrided1 strided, const char* strided_name, size_t dim0) {
  return DrawRows(r, rows, plain_name, strided_name,
                  [=](pnn_operator_t op, bool st, size_t is, size_t os, pnn_threadpool_t p) {
                    return st ? strided(op, dim0, is, os, p) : plain(op, dim0, p);
                  });
}

Shape RowShape(Reader& r, const Rows& rows, RowsReshape2 plain, const char* plain_name,
               RowsStrided2 strided, const char* strided_name, size_t dim0, size_t dim1) {
  return DrawRows(r, rows, plain_name, strided_name,
                  [=](pnn_operator_t op, bool st, size_t is, size_t os, pnn_threadpool_t p) {
                    return st ? strided(op, dim0, dim1, is, os, p) : plain(op, dim0, dim1, p);
                  });
}

void Family::Bind(int k, pnn_operator_t o, Setup1 fn, const char* name) {
  kind = k;
  op = o;
  setup_function = name;
  setup = [fn](pnn_operator_t x, const float* a, const float*, float* y) { return fn(x, a, y); };
}

void Family::Bind(int k, pnn_operator_t o, Setup2 fn, const char* name) {
  kind = k;
  op = o;
  setup_function = name;
  setup = fn;
}

Shape WindowShape(Reader& r, const Window& w) {
  Shape s;
  const size_t n = r.dim(), h = r.dim(), wd = r.dim();
  const AxisModel ay = w.transposed ? model_transposed_axis(h, w.height, w.adjustment_height)
                                    : model_axis(h, w.height, w.flags, w.pooling);
  const AxisModel ax = w.transposed ? model_transposed_axis(wd, w.width, w.adjustment_width)
                                    : model_axis(wd, w.width, w.flags, w.pooling);
  const u128 in = prod({n, h, wd, w.input_channels});
  const u128 out = prod({n, ay.out, ax.out, w.output_channels});
  const u128 taps = mul(w.height.kernel, w.width.kernel);
  if (!ay.known || !ax.known) {
    s.expect = Expect::kSkip;
  } else if (n == 0 || h == 0 || wd == 0 || !ay.valid || !ax.valid || !fits_bytes(in) ||
             !fits_bytes(out)) {
    s.expect = Expect::kReject;
  } else if (WorkspaceTooLarge(mul(mul(ay.out, ax.out) + 8, taps) +
                               prod({w.width.kernel, w.height.kernel, ay.out}))) {
    s.expect = Expect::kSkip;
  } else {
    s.expect = Budget({in, out}, mul(out, w.taps));
  }
  s.function = w.function;
  auto reported = std::make_shared<std::array<size_t, 2>>();
  (*reported)[0] = (*reported)[1] = 0xABCD;
  const WindowReshape reshape = w.reshape;
  s.reshape = [=](pnn_operator_t op, pnn_threadpool_t p) {
    return reshape(op, n, h, wd, &(*reported)[0], &(*reported)[1], p);
  };
  s.check_reported = [=] {
    FUZZ_CHECK((*reported)[0] == ay.out && (*reported)[1] == ax.out,
               "%zux%zu: reported %zux%zu, the header gives %zux%zu", h, wd, (*reported)[0],
               (*reported)[1], static_cast<size_t>(ay.out), static_cast<size_t>(ax.out));
  };
  s.check_unreported = [=] {
    FUZZ_CHECK((*reported)[0] == 0xABCD && (*reported)[1] == 0xABCD,
               "a rejected reshape wrote the output size");
  };
  s.in0 = Layout::Dense(in);
  s.out = Layout::Dense(out);
  return s;
}

}  // namespace fuzz
