// libFuzzer target: operator creation and reshape with random parameters, for every operator.
//
// Each input creates one operator, then reshapes it up to three times. The header's rules,
// evaluated in 128-bit arithmetic (fuzz-common.h), predict each outcome:
//  - parameters or shapes the header forbids (zero sizes, overflowing products, NaN or
//    inverted clamps, unknown flags...) must be rejected with invalid_parameter (or the
//    documented specific status), a failed create must set *op_out to NULL, and a failed reshape
//    must leave the operator exactly as it was: its previous setup still runs and computes the
//    same output;
//  - small valid shapes must be accepted; the operator is then set up on buffers of exactly the
//    sizes the header gives and run under AddressSanitizer, so a success status that is not safe
//    to run (an over-read or over-write of the caller's buffers) is caught; every output element
//    must be written;
//  - valid shapes too large to run here are skipped (they are the shape-arithmetic target's
//    business when they overflow).
// In-place setups are checked where the header speaks: allowed for unary and softmax (and
// binary when the operand has the output's shape, with identical results), rejected for
// convolution and batch matmul.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <vector>

#include "fuzz-common.h"

namespace {

using namespace fuzz;

constexpr size_t kMaxElements = size_t{1} << 16;  // per buffer the target allocates
constexpr u128 kMaxWork = u128{1} << 21;          // multiply-adds (or taps) per run
constexpr u128 kMaxWorkspace = u128{1} << 20;     // entries a reshape may build
constexpr u128 kMaxWeights = u128{1} << 16;       // weights the target can hand to create
// 1 GiB is the allocation cap (fuzz-common.h): packed weights beyond it cannot be allocated.
constexpr u128 kUnallocatableWeights = (u128{1} << 30) / sizeof(float);

pnn_threadpool_t g_plan_pool = nullptr;  // passed to some reshapes: plans tiles for 2 threads

enum class Expect { kReject, kAccept, kSkip };
enum class InPlace { kUnspecified, kAllowed, kForbidden, kBinary };

// A shape to try: the expected outcome, the call, and the buffers the header sizes for it.
struct Shape {
  Expect expect = Expect::kSkip;
  size_t in0 = 0, in1 = 0, out = 0;
  std::function<pnn_status(pnn_operator_t, pnn_threadpool_t)> reshape;
  std::function<void()> check_reported = [] {};  // after success: reported dims match
};

using SetupFn = std::function<pnn_status(pnn_operator_t, const float*, const float*, float*)>;

// The operator under test and what its last successful setup bound.
struct Live {
  enum State { kFresh, kReshaped, kReady };
  pnn_operator_t op = nullptr;
  State state = kFresh;
  std::vector<float> in0, in1, out, last;
  ~Live() { pnn_delete_operator(op); }

  // After a rejected call: nothing changed.
  void expect_intact(const char* what) {
    if (state != kReady) {
      const pnn_status s = pnn_run_operator(op, nullptr);
      FUZZ_CHECK(s == pnn_status_invalid_state, "%s: run of an operator never set up gave %s", what,
                 pnn_status_string(s));
      return;
    }
    for (float& v : out) v = sentinel();
    const pnn_status s = pnn_run_operator(op, nullptr);
    FUZZ_CHECK(s == pnn_status_success, "%s: the previous setup no longer runs (%s)", what,
               pnn_status_string(s));
    FUZZ_CHECK(std::memcmp(out.data(), last.data(), out.size() * sizeof(float)) == 0,
               "%s: the previous setup computes something else", what);
  }
};

void Exercise(Reader& r, Live& live, const std::function<Shape(Reader&)>& next_shape,
              const SetupFn& setup, InPlace inplace) {
  const int rounds = 1 + r.u8() % 3;
  for (int round = 0; round < rounds; round++) {
    Shape s = next_shape(r);
    if (s.expect == Expect::kSkip) {
      stats().skipped++;
      continue;
    }
    const pnn_status st = s.reshape(live.op, r.flag() ? g_plan_pool : nullptr);
    if (s.expect == Expect::kReject) {
      FUZZ_CHECK(st == pnn_status_invalid_parameter, "reshape of a forbidden shape gave %s",
                 pnn_status_string(st));
      live.expect_intact("after a rejected reshape");
      stats().reshapes_rejected++;
      continue;
    }
    FUZZ_CHECK(st == pnn_status_success, "reshape of a valid small shape gave %s (in %zu, out %zu)",
               pnn_status_string(st), s.in0, s.out);
    s.check_reported();
    live.state = Live::kReshaped;
    FUZZ_CHECK(pnn_run_operator(live.op, nullptr) == pnn_status_invalid_state,
               "run after reshape without setup");

    const uint32_t seed = r.u8();
    live.in0 = values(s.in0, seed);
    live.in1 = values(s.in1 == 0 ? 1 : s.in1, seed + 1);
    live.out.assign(s.out, sentinel());

    // In place, where the header says something about it.
    const bool try_inplace = r.flag();
    if (try_inplace && inplace != InPlace::kUnspecified) {
      const bool allowed =
          inplace == InPlace::kAllowed || (inplace == InPlace::kBinary && s.in0 == s.out);
      std::vector<float> io = live.in0;
      const pnn_status si = setup(live.op, io.data(), live.in1.data(), io.data());
      if (allowed) {
        FUZZ_CHECK(si == pnn_status_success, "in-place setup allowed by the header gave %s",
                   pnn_status_string(si));
        FUZZ_CHECK(pnn_run_operator(live.op, nullptr) == pnn_status_success, "in-place run");
        // Compared with the out-of-place run below.
        live.last = io;
      } else {
        FUZZ_CHECK(si == pnn_status_invalid_parameter,
                   "in-place setup forbidden by the header gave %s", pnn_status_string(si));
        FUZZ_CHECK(std::memcmp(io.data(), live.in0.data(), io.size() * sizeof(float)) == 0,
                   "a rejected setup wrote to the buffers");
        live.last.clear();
      }
    } else {
      live.last.clear();
    }

    const pnn_status ss = setup(live.op, live.in0.data(), live.in1.data(), live.out.data());
    FUZZ_CHECK(ss == pnn_status_success, "setup gave %s", pnn_status_string(ss));
    const pnn_status sr = pnn_run_operator(live.op, nullptr);
    FUZZ_CHECK(sr == pnn_status_success, "run gave %s", pnn_status_string(sr));
    const size_t hole = first_unwritten(live.out);
    FUZZ_CHECK(hole == live.out.size(), "output element %zu of %zu not written", hole,
               live.out.size());
    if (!live.last.empty()) {
      FUZZ_CHECK(
          std::memcmp(live.last.data(), live.out.data(), live.out.size() * sizeof(float)) == 0,
          "in-place and out-of-place runs differ");
    }
    live.last = live.out;
    live.state = Live::kReady;
    stats().reshapes_run++;
  }
}

// Runs a create whose outcome the model predicts. `expect_fail_status` lists what a failure may
// return (the first is the usual one); success is expected when `ok` is set.
void ExpectCreate(pnn_status got, pnn_operator_t op, bool ok, pnn_status fail1,
                  pnn_status fail2 = pnn_status_invalid_parameter) {
  (ok ? stats().creates_ok : stats().creates_rejected)++;
  if (ok) {
    FUZZ_CHECK(got == pnn_status_success, "valid create gave %s", pnn_status_string(got));
    FUZZ_CHECK(op != nullptr, "successful create returned NULL");
  } else {
    FUZZ_CHECK(got == fail1 || got == fail2, "forbidden create gave %s (expected %s)",
               pnn_status_string(got), pnn_status_string(fail1));
    FUZZ_CHECK(op == nullptr, "failed create did not clear *op_out");
  }
}

pnn_operator_t Poison() { return reinterpret_cast<pnn_operator_t>(uintptr_t{0x10}); }

// Budget check for a shape the model accepts.
Expect Budget(std::initializer_list<u128> buffers, u128 work, u128 workspace) {
  for (u128 b : buffers)
    if (b > kMaxElements) return Expect::kSkip;
  if (work > kMaxWork || workspace > kMaxWorkspace) return Expect::kSkip;
  return Expect::kAccept;
}

// ---------------------------------------------------------------------------------------------

void FuzzConvolution(Reader& r) {
  pnn_convolution2d_params p{};
  p.kernel_height = r.u32param();
  p.kernel_width = r.u32param();
  p.stride_height = r.u32param();
  p.stride_width = r.u32param();
  p.dilation_height = r.u32param();
  p.dilation_width = r.u32param();
  if (r.u8() < 128) {
    p.padding_top = r.u32param();
    p.padding_right = r.u32param();
    p.padding_bottom = r.u32param();
    p.padding_left = r.u32param();
  }
  p.groups = static_cast<uint32_t>(r.u8() < 200 ? 1 + r.u8() % 4 : r.u32param());
  p.group_input_channels = r.dim();
  p.group_output_channels = r.dim();
  r.clamp(&p.output_min, &p.output_max);
  const uint8_t f = r.u8();
  p.flags = f < 160   ? 0
            : f < 200 ? PNN_FLAG_TENSORFLOW_SAME_PADDING
            : f < 240 ? PNN_FLAG_SAME_LOWER_PADDING
                      : r.u32();
  const bool lower = (p.flags & PNN_FLAG_SAME_LOWER_PADDING) != 0;
  const bool same = (p.flags & kPaddingFlags) != 0;
  const bool padded = (p.padding_top | p.padding_right | p.padding_bottom | p.padding_left) != 0;

  const u128 cin = u128{p.groups} * p.group_input_channels;
  const u128 cout = u128{p.groups} * p.group_output_channels;
  const u128 ks = u128{p.kernel_height} * p.kernel_width;
  const u128 weights = prod({cout, ks, p.group_input_channels});
  const bool zero = p.kernel_height == 0 || p.kernel_width == 0 || p.stride_height == 0 ||
                    p.stride_width == 0 || p.dilation_height == 0 || p.dilation_width == 0 ||
                    p.groups == 0 || p.group_input_channels == 0 || p.group_output_channels == 0;
  const bool forbidden = zero || !valid_clamp(p.output_min, p.output_max) ||
                         (p.flags & ~kPaddingFlags) != 0 ||
                         (p.flags & kPaddingFlags) == kPaddingFlags || (same && padded) ||
                         cin > kSizeMax || cout > kSizeMax || !fits_bytes(weights);
  const bool small = !forbidden && weights <= kMaxWeights;
  if (!forbidden && !small && weights <= kUnallocatableWeights) return;  // cannot supply them
  // Weights the target cannot supply are only passed where create must fail before reading.
  std::vector<float> kernel = values(small ? static_cast<size_t>(weights) : 1, 7);
  std::vector<float> bias = values(small ? static_cast<size_t>(cout) : 1, 8);
  Live live;
  live.op = Poison();
  const pnn_status st = pnn_create_convolution2d_nhwc_f32(
      &p, kernel.data(), small && r.flag() ? bias.data() : nullptr, &live.op);
  ExpectCreate(st, live.op, small, pnn_status_invalid_parameter,
               forbidden ? pnn_status_invalid_parameter : pnn_status_out_of_memory);
  if (st != pnn_status_success) return;

  auto next = [&](Reader& rr) {
    Shape s;
    const size_t n = rr.dim(), h = rr.dim(), w = rr.dim();
    const AxisModel ay = model_axis(h, p.kernel_height, p.stride_height, p.dilation_height,
                                    p.padding_top, p.padding_bottom, same, false, lower);
    const AxisModel ax = model_axis(w, p.kernel_width, p.stride_width, p.dilation_width,
                                    p.padding_left, p.padding_right, same, false, lower);
    const u128 in = prod({n, h, w, cin});
    const u128 out = prod({n, ay.out, ax.out, cout});
    if (n == 0 || h == 0 || w == 0 || !ay.valid || !ax.valid || !fits_bytes(in) ||
        !fits_bytes(out)) {
      s.expect = Expect::kReject;
    } else {
      const u128 pixels = mul(ay.out, ax.out);
      s.expect = Budget({in, out}, prod({out, ks, p.group_input_channels}),
                        mul(pixels + 8, ks) + prod({p.kernel_width, p.kernel_height, ay.out}));
    }
    auto reported = std::make_shared<std::vector<size_t>>(2, 0);
    s.reshape = [=](pnn_operator_t op, pnn_threadpool_t pool) {
      return pnn_reshape_convolution2d_nhwc_f32(op, n, h, w, &(*reported)[0], &(*reported)[1],
                                                pool);
    };
    s.check_reported = [=] {
      FUZZ_CHECK((*reported)[0] == ay.out && (*reported)[1] == ax.out,
                 "reported %zux%zu, the header gives %zux%zu", (*reported)[0], (*reported)[1],
                 static_cast<size_t>(ay.out), static_cast<size_t>(ax.out));
    };
    if (s.expect == Expect::kAccept) {
      s.in0 = static_cast<size_t>(in);
      s.out = static_cast<size_t>(out);
    }
    return s;
  };
  Exercise(
      r, live, next,
      [](pnn_operator_t op, const float* a, const float*, float* y) {
        return pnn_setup_convolution2d_nhwc_f32(op, a, y);
      },
      InPlace::kForbidden);
}

void FuzzFullyConnected(Reader& r) {
  const size_t ic = r.dim(), oc = r.dim();
  float mn, mx;
  r.clamp(&mn, &mx);
  const uint8_t f = r.u8();
  const uint32_t flags = f < 128 ? 0 : f < 240 ? PNN_FLAG_TRANSPOSE_WEIGHTS : r.u32();
  const u128 weights = u128{ic} * oc;
  const bool forbidden = ic == 0 || oc == 0 || !valid_clamp(mn, mx) ||
                         (flags & ~PNN_FLAG_TRANSPOSE_WEIGHTS) != 0 || !fits_bytes(weights);
  const bool small = !forbidden && weights <= kMaxWeights;
  if (!forbidden && !small && weights <= kUnallocatableWeights) return;
  std::vector<float> kernel = values(small ? static_cast<size_t>(weights) : 1, 9);
  std::vector<float> bias = values(small ? oc : 1, 10);
  Live live;
  live.op = Poison();
  const pnn_status st = pnn_create_fully_connected_nc_f32(
      ic, oc, kernel.data(), small && r.flag() ? bias.data() : nullptr, mn, mx, flags, &live.op);
  ExpectCreate(st, live.op, small, pnn_status_invalid_parameter,
               forbidden ? pnn_status_invalid_parameter : pnn_status_out_of_memory);
  if (st != pnn_status_success) return;
  auto next = [&](Reader& rr) {
    Shape s;
    const size_t batch = rr.dim();
    const u128 in = u128{batch} * ic, out = u128{batch} * oc;
    s.expect = batch == 0 || !fits_bytes(in) || !fits_bytes(out)
                   ? Expect::kReject
                   : Budget({in, out}, mul(out, ic), 0);
    s.reshape = [=](pnn_operator_t op, pnn_threadpool_t pool) {
      return pnn_reshape_fully_connected_nc_f32(op, batch, pool);
    };
    s.in0 = static_cast<size_t>(in);
    s.out = static_cast<size_t>(out);
    return s;
  };
  Exercise(
      r, live, next,
      [](pnn_operator_t op, const float* a, const float*, float* y) {
        return pnn_setup_fully_connected_nc_f32(op, a, y);
      },
      InPlace::kUnspecified);
}

void FuzzBatchMatmul(Reader& r) {
  const uint8_t f = r.u8();
  const uint32_t flags = f < 240 ? (f & (PNN_FLAG_TRANSPOSE_A | PNN_FLAG_TRANSPOSE_B)) : r.u32();
  const bool forbidden = (flags & ~(PNN_FLAG_TRANSPOSE_A | PNN_FLAG_TRANSPOSE_B)) != 0;
  Live live;
  live.op = Poison();
  const pnn_status st = pnn_create_batch_matmul_f32(flags, &live.op);
  ExpectCreate(st, live.op, !forbidden, pnn_status_invalid_parameter);
  if (st != pnn_status_success) return;
  auto next = [&](Reader& rr) {
    Shape s;
    const size_t nd = rr.u8() % 8;
    std::vector<size_t> da(nd), db(nd), dout(nd);
    bool bad = nd > PNN_MAX_DIMS;
    u128 ba = 1, bb = 1, bo = 1;
    for (size_t i = 0; i < nd; i++) {
      const uint8_t mode = rr.u8() % 8;
      da[i] = rr.dim();
      db[i] = mode < 4 ? da[i] : mode == 4 ? 1 : mode == 5 ? (da[i] = 1, rr.dim()) : rr.dim();
      if (da[i] == 0 || db[i] == 0 || (da[i] != db[i] && da[i] != 1 && db[i] != 1)) bad = true;
      dout[i] = da[i] > db[i] ? da[i] : db[i];
      ba = mul(ba, da[i]);
      bb = mul(bb, db[i]);
      bo = mul(bo, dout[i]);
    }
    const size_t m = rr.dim(), k = rr.dim(), n = rr.dim();
    const u128 sa = prod({ba, m, k}), sb = prod({bb, k, n}), so = prod({bo, m, n});
    if (bad || m == 0 || k == 0 || n == 0 || ba > kSizeMax || bb > kSizeMax || bo > kSizeMax ||
        !fits_bytes(sa) || !fits_bytes(sb) || !fits_bytes(so)) {
      s.expect = Expect::kReject;
    } else {
      s.expect = Budget({sa, sb, so}, mul(so, k), prod({bb, u128{n} + 16, u128{k} + 1}));
    }
    auto reported = std::make_shared<std::vector<size_t>>(PNN_MAX_DIMS + 1, SIZE_MAX);
    s.reshape = [=](pnn_operator_t op, pnn_threadpool_t pool) {
      return pnn_reshape_batch_matmul_f32(op, nd, da.data(), db.data(), m, k, n, reported->data(),
                                          pool);
    };
    s.check_reported = [=] {
      for (size_t i = 0; i < nd; i++)
        FUZZ_CHECK((*reported)[i] == dout[i], "batch dim %zu reported %zu, broadcast %zu", i,
                   (*reported)[i], dout[i]);
      FUZZ_CHECK((*reported)[nd] == SIZE_MAX, "wrote past num_batch_dims output dims");
    };
    s.in0 = static_cast<size_t>(sa);
    s.in1 = static_cast<size_t>(sb);
    s.out = static_cast<size_t>(so);
    return s;
  };
  Exercise(
      r, live, next,
      [](pnn_operator_t op, const float* a, const float* b, float* y) {
        return pnn_setup_batch_matmul_f32(op, a, b, y);
      },
      InPlace::kForbidden);
}

void FuzzPooling(Reader& r, bool max) {
  pnn_pooling2d_params p{};
  p.pooling_height = r.u32param();
  p.pooling_width = r.u32param();
  p.stride_height = r.u32param();
  p.stride_width = r.u32param();
  const bool dilate = r.u8() >= 192;
  p.dilation_height = dilate ? r.u32param() : 1;
  p.dilation_width = dilate ? r.u32param() : 1;
  if (r.u8() < 128) {
    p.padding_top = r.u32param();
    p.padding_right = r.u32param();
    p.padding_bottom = r.u32param();
    p.padding_left = r.u32param();
  }
  p.channels = r.dim();
  r.clamp(&p.output_min, &p.output_max);
  const uint8_t f = r.u8();
  p.flags = f < 128 ? 0 : f < 240 ? (f & 0xD1u) : r.u32();
  const bool lower = (p.flags & PNN_FLAG_SAME_LOWER_PADDING) != 0;
  const bool same = (p.flags & kPaddingFlags) != 0;
  const bool ceil = (p.flags & PNN_FLAG_CEIL_MODE) != 0;
  const bool padded = (p.padding_top | p.padding_right | p.padding_bottom | p.padding_left) != 0;
  const uint32_t allowed = max ? kPaddingFlags | PNN_FLAG_CEIL_MODE
                               : kPaddingFlags | PNN_FLAG_CEIL_MODE | PNN_FLAG_COUNT_INCLUDE_PAD;
  const u128 eh = u128{p.dilation_height} * (u128{p.pooling_height} - 1) + 1;
  const u128 ew = u128{p.dilation_width} * (u128{p.pooling_width} - 1) + 1;
  const u128 ks = u128{p.pooling_height} * p.pooling_width;
  const bool zero = p.pooling_height == 0 || p.pooling_width == 0 || p.stride_height == 0 ||
                    p.stride_width == 0 || p.dilation_height == 0 || p.dilation_width == 0 ||
                    p.channels == 0;
  const bool forbidden = zero || !fits_bytes(p.channels) ||
                         !valid_clamp(p.output_min, p.output_max) || (p.flags & ~allowed) != 0 ||
                         (p.flags & kPaddingFlags) == kPaddingFlags || (same && (padded || ceil)) ||
                         p.padding_top >= eh || p.padding_bottom >= eh || p.padding_left >= ew ||
                         p.padding_right >= ew || ks > kSizeMax;
  const bool unsupported = !forbidden && !max && (p.dilation_height != 1 || p.dilation_width != 1);
  // The zero row holds `channels` floats: beyond the 1 GiB cap create runs out of memory;
  // between 4 MiB and the cap it is skipped (too slow to allocate on every input).
  const bool oom = !forbidden && !unsupported && u128{p.channels} > kUnallocatableWeights;
  if (!forbidden && !unsupported && !oom && p.channels > (size_t{1} << 20)) return;
  Live live;
  live.op = Poison();
  const pnn_status st = max ? pnn_create_max_pooling2d_nhwc_f32(&p, &live.op)
                            : pnn_create_average_pooling2d_nhwc_f32(&p, &live.op);
  ExpectCreate(st, live.op, !forbidden && !unsupported && !oom,
               forbidden     ? pnn_status_invalid_parameter
               : unsupported ? pnn_status_unsupported_parameter
                             : pnn_status_out_of_memory);
  if (st != pnn_status_success) return;
  auto next = [&](Reader& rr) {
    Shape s;
    const size_t n = rr.dim(), h = rr.dim(), w = rr.dim();
    const AxisModel ay = model_axis(h, p.pooling_height, p.stride_height, p.dilation_height,
                                    p.padding_top, p.padding_bottom, same, true, lower, ceil);
    const AxisModel ax = model_axis(w, p.pooling_width, p.stride_width, p.dilation_width,
                                    p.padding_left, p.padding_right, same, true, lower, ceil);
    const u128 in = prod({n, h, w, p.channels});
    const u128 out = prod({n, ay.out, ax.out, p.channels});
    if (!ay.known || !ax.known) {
      s.expect = Expect::kSkip;
    } else if (n == 0 || h == 0 || w == 0 || !ay.valid || !ax.valid || !fits_bytes(in) ||
               !fits_bytes(out)) {
      s.expect = Expect::kReject;
    } else {
      s.expect = Budget({in, out}, mul(out, ks), prod({ay.out, ax.out, ks}));
    }
    auto reported = std::make_shared<std::vector<size_t>>(2, 0);
    s.reshape = [=](pnn_operator_t op, pnn_threadpool_t pool) {
      return max ? pnn_reshape_max_pooling2d_nhwc_f32(op, n, h, w, &(*reported)[0], &(*reported)[1],
                                                      pool)
                 : pnn_reshape_average_pooling2d_nhwc_f32(op, n, h, w, &(*reported)[0],
                                                          &(*reported)[1], pool);
    };
    s.check_reported = [=] {
      FUZZ_CHECK((*reported)[0] == ay.out && (*reported)[1] == ax.out,
                 "reported %zux%zu, the header gives %zux%zu", (*reported)[0], (*reported)[1],
                 static_cast<size_t>(ay.out), static_cast<size_t>(ax.out));
    };
    s.in0 = static_cast<size_t>(in);
    s.out = static_cast<size_t>(out);
    return s;
  };
  Exercise(
      r, live, next,
      [max](pnn_operator_t op, const float* a, const float*, float* y) {
        return max ? pnn_setup_max_pooling2d_nhwc_f32(op, a, y)
                   : pnn_setup_average_pooling2d_nhwc_f32(op, a, y);
      },
      InPlace::kUnspecified);
}

void FuzzGlobalAveragePooling(Reader& r) {
  const size_t c = r.dim();
  float mn, mx;
  r.clamp(&mn, &mx);
  const uint32_t flags = r.u8() < 240 ? 0 : r.u32();
  const bool forbidden = c == 0 || !fits_bytes(c) || !valid_clamp(mn, mx) || flags != 0;
  Live live;
  live.op = Poison();
  const pnn_status st = pnn_create_global_average_pooling_nwc_f32(c, mn, mx, flags, &live.op);
  ExpectCreate(st, live.op, !forbidden, pnn_status_invalid_parameter);
  if (st != pnn_status_success) return;
  auto next = [&](Reader& rr) {
    Shape s;
    const size_t n = rr.dim(), w = rr.dim();
    const u128 in = prod({n, w, c}), out = u128{n} * c;
    s.expect = n == 0 || w == 0 || !fits_bytes(in) ? Expect::kReject : Budget({in, out}, in, 0);
    s.reshape = [=](pnn_operator_t op, pnn_threadpool_t pool) {
      return pnn_reshape_global_average_pooling_nwc_f32(op, n, w, pool);
    };
    s.in0 = static_cast<size_t>(in);
    s.out = static_cast<size_t>(out);
    return s;
  };
  Exercise(
      r, live, next,
      [](pnn_operator_t op, const float* a, const float*, float* y) {
        return pnn_setup_global_average_pooling_nwc_f32(op, a, y);
      },
      InPlace::kUnspecified);
}

void FuzzUnary(Reader& r) {
  const int type = static_cast<int>(r.u8() % 16) - 1;  // -1 .. 14: two past each end
  pnn_unary_params params{};
  params.min = r.fparam();
  params.max = r.fparam();
  params.negative_slope = r.fparam();
  params.alpha = r.fparam();
  const bool null_params = r.u8() >= 224;
  const uint8_t f = r.u8();
  const uint32_t flags = f < 160 ? 0 : f < 240 ? PNN_FLAG_GELU_TANH_APPROXIMATION : r.u32();
  bool forbidden = type < 0 || type > pnn_unary_exp;
  if (!forbidden) {
    const uint32_t allowed = type == pnn_unary_gelu ? PNN_FLAG_GELU_TANH_APPROXIMATION : 0;
    forbidden = (flags & ~allowed) != 0;
    if (type == pnn_unary_clamp) forbidden |= null_params || !valid_clamp(params.min, params.max);
    if (type == pnn_unary_leaky_relu)
      forbidden |= null_params || !std::isfinite(params.negative_slope);
    if (type == pnn_unary_elu) forbidden |= null_params || !std::isfinite(params.alpha);
  }
  Live live;
  live.op = Poison();
  // An enum value outside the enumerators is what a C caller can pass.
  pnn_unary_op op_type;
  std::memcpy(&op_type, &type, sizeof op_type);
  const pnn_status st = pnn_create_unary_elementwise_nc_f32(
      op_type, null_params ? nullptr : &params, flags, &live.op);
  ExpectCreate(st, live.op, !forbidden, pnn_status_invalid_parameter);
  if (st != pnn_status_success) return;
  auto next = [&](Reader& rr) {
    Shape s;
    const size_t b = rr.dim(), c = rr.dim();
    const u128 count = u128{b} * c;
    s.expect = b == 0 || c == 0 || !fits_bytes(count) ? Expect::kReject : Budget({count}, count, 0);
    s.reshape = [=](pnn_operator_t op, pnn_threadpool_t pool) {
      return pnn_reshape_unary_elementwise_nc_f32(op, b, c, pool);
    };
    s.in0 = s.out = static_cast<size_t>(count);
    return s;
  };
  Exercise(
      r, live, next,
      [](pnn_operator_t op, const float* a, const float*, float* y) {
        return pnn_setup_unary_elementwise_nc_f32(op, a, y);
      },
      InPlace::kAllowed);
}

void FuzzBinary(Reader& r) {
  const int type = static_cast<int>(r.u8() % 10) - 1;  // -1 .. 8
  float mn, mx;
  r.clamp(&mn, &mx);
  const uint32_t flags = r.u8() < 240 ? 0 : r.u32();
  const bool forbidden =
      type < 0 || type > pnn_binary_squared_difference || !valid_clamp(mn, mx) || flags != 0;
  Live live;
  live.op = Poison();
  pnn_binary_op op_type;
  std::memcpy(&op_type, &type, sizeof op_type);
  const pnn_status st = pnn_create_binary_elementwise_nd_f32(op_type, mn, mx, flags, &live.op);
  ExpectCreate(st, live.op, !forbidden, pnn_status_invalid_parameter);
  if (st != pnn_status_success) return;
  auto next = [&](Reader& rr) {
    Shape s;
    const size_t na = rr.u8() % 8, nb = rr.u8() % 8;
    std::vector<size_t> a(na), b(nb);
    for (size_t& d : a) d = rr.u8() < 96 ? 1 : rr.dim();
    for (size_t& d : b) d = rr.u8() < 96 ? 1 : rr.dim();
    const size_t nd = na > nb ? na : nb;
    bool bad = na == 0 || nb == 0 || na > PNN_MAX_DIMS || nb > PNN_MAX_DIMS;
    u128 ca = 1, cb = 1, co = 1;
    for (size_t i = 0; i < nd && !bad; i++) {
      const size_t da = i < nd - na ? 1 : a[i - (nd - na)];
      const size_t db = i < nd - nb ? 1 : b[i - (nd - nb)];
      if (da == 0 || db == 0 || (da != db && da != 1 && db != 1)) bad = true;
      ca = mul(ca, da);
      cb = mul(cb, db);
      co = mul(co, da > db ? da : db);
    }
    s.expect = bad || !fits_bytes(co) ? Expect::kReject : Budget({co}, co, 0);
    s.reshape = [=](pnn_operator_t op, pnn_threadpool_t pool) {
      return pnn_reshape_binary_elementwise_nd_f32(op, na, a.data(), nb, b.data(), nullptr, nullptr,
                                                   pool);
    };
    s.in0 = static_cast<size_t>(ca);
    s.in1 = static_cast<size_t>(cb);
    s.out = static_cast<size_t>(co);
    return s;
  };
  Exercise(
      r, live, next,
      [](pnn_operator_t op, const float* a, const float* b, float* y) {
        return pnn_setup_binary_elementwise_nd_f32(op, a, b, y);
      },
      InPlace::kBinary);
}

void FuzzSoftmax(Reader& r) {
  const size_t c = r.dim();
  const uint32_t flags = r.u8() < 240 ? 0 : r.u32();
  const bool forbidden = c == 0 || !fits_bytes(c) || flags != 0;
  Live live;
  live.op = Poison();
  const pnn_status st = pnn_create_softmax_nc_f32(c, flags, &live.op);
  ExpectCreate(st, live.op, !forbidden, pnn_status_invalid_parameter);
  if (st != pnn_status_success) return;
  auto next = [&](Reader& rr) {
    Shape s;
    const size_t b = rr.dim();
    const u128 count = u128{b} * c;
    s.expect = b == 0 || !fits_bytes(count) ? Expect::kReject : Budget({count}, count, 0);
    s.reshape = [=](pnn_operator_t op, pnn_threadpool_t pool) {
      return pnn_reshape_softmax_nc_f32(op, b, pool);
    };
    s.in0 = s.out = static_cast<size_t>(count);
    return s;
  };
  Exercise(
      r, live, next,
      [](pnn_operator_t op, const float* a, const float*, float* y) {
        return pnn_setup_softmax_nc_f32(op, a, y);
      },
      InPlace::kAllowed);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  if (pnn_initialize() != pnn_status_success) std::abort();
  if (pnn_threadpool_create(2, &g_plan_pool) != pnn_status_success) std::abort();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Reader r(data, size);
  switch (r.u8() % 10) {
    case 0:
      FuzzConvolution(r);
      break;
    case 1:
      FuzzFullyConnected(r);
      break;
    case 2:
      FuzzBatchMatmul(r);
      break;
    case 3:
      FuzzPooling(r, /*max=*/true);
      break;
    case 4:
      FuzzPooling(r, /*max=*/false);
      break;
    case 5:
      FuzzGlobalAveragePooling(r);
      break;
    case 6:
      FuzzUnary(r);
      break;
    case 7:
      FuzzBinary(r);
      break;
    case 8:
      FuzzSoftmax(r);
      break;
    default:
      FuzzConvolution(r);
      break;  // the op with the most parameters gets two slots
  }
  return 0;
}
