// The shared fuzz driver: everything the libFuzzer targets of tests/fuzz/ have in common.
//
//  - Reader: decodes the fuzzer's bytes front to back into parameters. Its encodings favour
//    small valid sizes but reach zero and the edges of 32- and 64-bit sizes in one byte, so a
//    mutation flips a case between "runs" and "must be rejected" cheaply.
//  - The model: the header's size rules (include/portnn.h) evaluated in 128-bit arithmetic with
//    saturating products, so a target predicts every create and reshape outcome independently
//    of the library's own checked 64-bit arithmetic.
//  - Subject: one live operator driven through its lifecycle and checked against the header at
//    every call. A family (fuzz-families.h) describes how to create it, what shapes to try and
//    how to bind buffers; Subject does the rest, and checks by default:
//      * every rejected call returns the predicted status, records a reason
//        ("<function>: <reason>") and writes nothing: no out-parameter, no output buffer, no
//        change to the operator (its previous shape and setup still run, bit-identically);
//      * every successful call leaves pnn_last_error_message() empty;
//      * accepted shapes are set up on buffers of exactly the sizes (spans) the header gives and
//        run under AddressSanitizer; every output element is written, the gaps between strided
//        rows are neither read nor written, setup before reshape and run before setup are
//        invalid_state;
//      * in place where the header allows it (same result as out of place), overlapping
//        buffers rejected where it forbids them;
//      * 1 thread and 2 threads give bit-identical outputs, whatever pool planned the reshape.
//
// The targets use only the public header: what they find is what a caller can trigger. A
// failed check prints what broke and aborts, so libFuzzer saves the input as a reproducer.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <vector>

#include "portnn.h"

[[noreturn]] void FuzzCheckFailed(const char* file, int line, const char* cond, const char* fmt,
                                  ...) __attribute__((format(printf, 4, 5)));
#define FUZZ_CHECK(cond, ...) \
  ((cond) ? (void)0 : FuzzCheckFailed(__FILE__, __LINE__, #cond, __VA_ARGS__))

namespace fuzz {

// ---- bytes to parameters ----------------------------------------------------------------------

// Reads the input front to back; past the end every read is 0 (short inputs still decode to
// small valid values).
class Reader {
 public:
  Reader(const uint8_t* data, size_t size) : p_(data), end_(data + size) {}
  bool empty() const { return p_ == end_; }
  uint8_t u8() { return p_ < end_ ? *p_++ : 0; }
  uint16_t u16();
  uint32_t u32();
  uint64_t u64();
  bool flag() { return (u8() & 1) != 0; }
  // A size: bytes below 0xF0 give 1..16; the rest reach 0 and the edges of size_t.
  size_t dim();
  // A uint32_t parameter (kernel, stride, dilation, padding): mostly 0..15, or an edge value.
  uint32_t u32param();
  // A float parameter: an IEEE special value, raw bits, or a small multiple of 1/16.
  float fparam();
  // Clamp bounds: mostly none, sometimes finite, NaN or inverted.
  void clamp(float* min, float* max);
  // A row stride for rows of `row` floats: mostly `row`, sometimes a little more, less, or any.
  size_t stride(size_t row);

 private:
  const uint8_t* p_;
  const uint8_t* end_;
};

// ---- the model's arithmetic --------------------------------------------------------------------

using u128 = unsigned __int128;
constexpr u128 kSizeMax = SIZE_MAX;

// Saturating product: a model multiplies up to seven 64-bit values; anything past 2^120 is
// "too large" wherever it is compared.
u128 mul(u128 a, u128 b);
u128 prod(std::initializer_list<u128> factors);
// Elements whose byte count fits a size_t.
inline bool fits_bytes(u128 elements) { return elements <= kSizeMax / sizeof(float); }
inline bool valid_clamp(float min, float max) {
  return !std::isnan(min) && !std::isnan(max) && min <= max;
}

// The two SAME padding flags (exclusive).
constexpr uint32_t kSamePadding = PNN_FLAG_TENSORFLOW_SAME_PADDING | PNN_FLAG_SAME_LOWER_PADDING;

// One spatial axis of convolution or pooling, as the header's parameter struct gives it.
struct Axis {
  u128 kernel, stride, dilation, pad_before, pad_after;
};
// Its outcome for one input size, by the header's formulas.
struct AxisModel {
  bool valid = false;  // output >= 1 and, for pooling, no window covers only padding
  bool known = true;   // false: the pooling window rule was too costly to decide by brute force
  u128 out = 0;
  u128 pad_before = 0, pad_after = 0;  // resolved (SAME modes split the total at reshape)
};
// `flags` holds the SAME modes and PNN_FLAG_CEIL_MODE; `pooling` adds the window rule.
AxisModel model_axis(u128 in, const Axis& axis, uint32_t flags, bool pooling);

// A transposed (deconvolution) axis for one input size, by the header's formula.
AxisModel model_transposed_axis(u128 in, const Axis& axis, u128 adjustment);

// ---- buffers ------------------------------------------------------------------------------------

// A caller's buffer as the header lays it out: `rows` rows of `row` floats, `stride` apart.
// Dense buffers are one row. A single row never takes its stride.
struct Layout {
  size_t rows = 1, row = 0, stride = 0;
  static Layout Dense(u128 elements);
  static Layout Rows(size_t rows, size_t row, size_t stride);
  u128 span() const;  // (rows - 1) * stride + row, 0 for no buffer
  bool contains(size_t i) const;  // element i of the span belongs to a row (is not a gap)
};

// Deterministic finite inputs in [-2, 2) from a seed the input chooses.
std::vector<float> values(size_t n, uint32_t seed);

// ---- status checks ------------------------------------------------------------------------------

// Whether pnn_initialize() is in force (the lifecycle target deinitializes the library).
extern bool g_initialized;

// After a call of `function` (its name as the header spells it) that must have succeeded.
void ExpectSuccess(pnn_status got, const char* function);
// After a call that must have failed with `want`: a reason "<function>: <reason>" is recorded.
void ExpectFailure(pnn_status got, pnn_status want, const char* function);
// A create call: `ok` predicts success; otherwise `fail` (or `also`) is the status. *op_out
// must be NULL after a failure. Before pnn_initialize() every create fails with uninitialized,
// or with its parameter status.
void ExpectCreate(pnn_status got, pnn_operator_t op, bool ok, pnn_status fail,
                  const char* function, pnn_status also = pnn_status_success);
// A non-NULL pointer that is no operator: what *op_out holds before a create writes it.
pnn_operator_t Poison();

// ---- operator families ---------------------------------------------------------------------------

enum class Expect {
  kReject,    // the header forbids it: the predicted status, and nothing changes
  kAccept,    // valid and small: reshape, set up and run it
  kTooLarge,  // valid, too large to bind here: reshape (success, or out of memory), no setup
  kSkip,      // valid but its workspace too large to build on every input: not called
};

// What a target can afford on every input: kAccept when every span and the work of one run
// are small, kTooLarge otherwise (the shape is still reshaped, not bound).
Expect Budget(std::initializer_list<u128> spans, u128 work);
// Whether a reshape would build more workspace than every input can afford (then not called).
bool WorkspaceTooLarge(u128 entries);

// One shape to try on a live operator.
struct Shape {
  Expect expect = Expect::kSkip;
  pnn_status reject = pnn_status_invalid_parameter;
  const char* function = "";  // the reshape's name, for reasons
  std::function<pnn_status(pnn_operator_t, pnn_threadpool_t)> reshape;
  // After success: the reported output dims are the predicted ones. After failure: the
  // out-parameters were not written.
  std::function<void()> check_reported = [] {};
  std::function<void()> check_unreported = [] {};
  Layout in0, in1, out;  // in1.row == 0: no second operand
  // output == in0 (or in1) accepted at setup; otherwise it is an overlap, rejected.
  bool inplace0 = false, inplace1 = false;
  // Optional reference check of a run's output (binary: the formula, element by element).
  std::function<void(const float* in0, const float* in1, const float* out)> verify;
};

// An NC operator's shape under the header's "Row strides" rules: `in_rows` input rows of
// `in_row` floats, `out_rows` output rows of `out_row`; half the time through the `_strided`
// reshape with strides drawn from the input (Reader::stride). `reject` adds the family's own
// rules (a zero batch...); `inplace`: output == input is allowed when the rows coincide (one
// row, or equal strides). `dims` are the reshape's size arguments before the strides (the plain
// reshape takes them alone), `work` the cost of one run.
using RowsReshape1 = pnn_status (*)(pnn_operator_t, size_t, pnn_threadpool_t);
using RowsStrided1 = pnn_status (*)(pnn_operator_t, size_t, size_t, size_t, pnn_threadpool_t);
using RowsReshape2 = pnn_status (*)(pnn_operator_t, size_t, size_t, pnn_threadpool_t);
using RowsStrided2 = pnn_status (*)(pnn_operator_t, size_t, size_t, size_t, size_t,
                                    pnn_threadpool_t);
struct Rows {
  u128 in_rows;
  size_t in_row;
  u128 out_rows;
  size_t out_row;
  u128 work;
  bool inplace, reject;
};
Shape RowShape(Reader& r, const Rows& rows, RowsReshape1 plain, const char* plain_name,
               RowsStrided1 strided, const char* strided_name, size_t dim0);
Shape RowShape(Reader& r, const Rows& rows, RowsReshape2 plain, const char* plain_name,
               RowsStrided2 strided, const char* strided_name, size_t dim0, size_t dim1);
// A plain reshape and its `_strided` variant, with their names.
#define PNN_FUZZ_ROWS(fn) fn, #fn, fn##_strided, #fn "_strided"

// What a family target needs to drive one operator: its setup call and a shape generator. The
// factories in fuzz-families.h create the operator (checking the create against the model) and
// fill one in.
struct Family {
  using Setup1 = pnn_status (*)(pnn_operator_t, const float*, float*);
  using Setup2 = pnn_status (*)(pnn_operator_t, const float*, const float*, float*);
  int kind = -1;  // index in fuzz-families.h's table
  pnn_operator_t op = nullptr;
  const char* setup_function = "";
  std::function<pnn_status(pnn_operator_t, const float*, const float*, float*)> setup;
  std::function<Shape(Reader&)> next_shape;

  // The created operator and its setup call (one input, or two); see PNN_FUZZ_CALL.
  void Bind(int k, pnn_operator_t o, Setup1 fn, const char* name);
  void Bind(int k, pnn_operator_t o, Setup2 fn, const char* name);
};

// A public function and its name, for the calls that take both.
#define PNN_FUZZ_CALL(fn) fn, #fn

// The reshape of convolution and the two poolings (they share a signature).
using WindowReshape = pnn_status (*)(pnn_operator_t, size_t batch, size_t height, size_t width,
                                     size_t* output_height, size_t* output_width,
                                     pnn_threadpool_t);
// The geometry of a windowed operator as created, for WindowShape.
struct Window {
  Axis height, width;
  uint32_t flags;  // SAME modes, ceil mode
  bool pooling;    // adds the rule that no window covers only padding
  size_t input_channels, output_channels;
  u128 taps;  // multiply-adds (or comparisons) per output element
  WindowReshape reshape;
  const char* function;
  // Deconvolution: the axes are transposed (out = (in - 1) * stride + adjustment + extent -
  // paddings, model_transposed_axis) with these adjustments.
  bool transposed = false;
  u128 adjustment_height = 0, adjustment_width = 0;
};
// Draws an NHWC input shape and predicts its reshape: output size, validity, budgets.
Shape WindowShape(Reader& r, const Window& window);

// Thread pools every target shares: 0 is NULL (the caller's thread), 1 and 2 have one and two
// threads. The lifecycle target swaps them.
pnn_threadpool_t pool(size_t i);
void set_pool(size_t i, pnn_threadpool_t p);
constexpr size_t kPools = 3;
// Initializes the library and the pools once (LLVMFuzzerInitialize).
void Initialize();

// One live operator under test and the model of its state.
class Subject {
 public:
  explicit Subject(Family family);
  ~Subject();
  Subject(const Subject&) = delete;
  Subject& operator=(const Subject&) = delete;

  int kind() const { return family_.kind; }
  pnn_operator_t op() const { return family_.op; }
  bool ready() const { return state_ == kReady; }

  // Draws a shape and reshapes (with a pool the input picks); checks the outcome.
  void Reshape(Reader& r);
  // Binds buffers for the current shape, trying the aliasing the header speaks about first.
  void Setup(Reader& r);
  // Runs on pool `p`; checks against the previous result of this setup (bit-identical).
  void Run(size_t p);
  // After a rejected call on this operator: nothing changed.
  void ExpectIntact();
  // The whole lifecycle of one shape: reshape, run before setup, setup, runs on 1 and 2 threads.
  void Cycle(Reader& r);

 private:
  enum State { kFresh, kReshaped, kReady };
  struct Bound {  // buffers of the last successful setup
    Layout in0, in1, out;
    std::vector<float> a, b, y;  // y also holds in0 for an in-place setup
    float* y_ptr = nullptr;      // the output as bound (y.data(), or a.data() / b.data())
    std::vector<float> result;   // the first run's output rows; later runs must equal it
    Shape shape;
  };
  void FillGaps(Bound& b, uint32_t pattern);
  void CheckOutput(const Bound& b, const char* what);

  Family family_;
  State state_ = kFresh;
  Shape shape_;  // the last accepted shape
  Bound bound_;
  unsigned runs_ = 0;
};

}  // namespace fuzz
