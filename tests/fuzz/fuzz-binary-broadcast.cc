// libFuzzer target: binary elementwise operators over random broadcasting shapes.
//
// Each input creates one binary operator (any op value a C caller can pass, random clamps) and
// reshapes it up to four times with shapes of 0 to 7 dims. NumPy's rules, evaluated in 128-bit
// arithmetic, predict each reshape: shapes that do not broadcast, zero dims, too many dims and
// outputs whose bytes overflow must give invalid_parameter with the out-parameters untouched and
// the previous setup still computing the same; shapes that broadcast must be accepted with the
// broadcast shape reported, and small ones are run on buffers of exactly the operands' sizes
// (AddressSanitizer catches any read past them) and compared element by element with a direct
// evaluation of the formula: bit-exact for add, subtract, multiply, divide and squared
// difference, exact in value for minimum and maximum. Output aliasing an operand is tried too:
// allowed exactly when the operand has the output's shape.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "fuzz-common.h"

namespace {

using namespace fuzz;

constexpr size_t kMaxElements = size_t{1} << 14;

float Apply(int op, float a, float b) {
  switch (op) {
    case pnn_binary_add:
      return a + b;
    case pnn_binary_subtract:
      return a - b;
    case pnn_binary_multiply:
      return a * b;
    case pnn_binary_divide:
      return a / b;
    case pnn_binary_minimum:
      return std::min(a, b);
    case pnn_binary_maximum:
      return std::max(a, b);
    default: {
      const float d = a - b;
      return d * d;
    }
  }
}

// One dim of an operand: mostly the output's dim or 1, sometimes anything.
size_t OperandDim(Reader& r, size_t out_dim) {
  const uint8_t mode = r.u8() % 8;
  if (mode < 4) return out_dim;
  if (mode < 7) return 1;
  return r.dim();
}

struct Bound {
  bool ready = false;
  std::vector<float> a, b, y, last;
};

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  if (pnn_initialize() != pnn_status_success) std::abort();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Reader r(data, size);
  const int type = static_cast<int>(r.u8() % 9) - 1;  // -1 .. 7
  float mn, mx;
  r.clamp(&mn, &mx);
  const uint32_t flags = r.u8() < 248 ? 0 : r.u32();
  const bool forbidden =
      type < 0 || type > pnn_binary_squared_difference || !valid_clamp(mn, mx) || flags != 0;
  pnn_binary_op op_type;
  std::memcpy(&op_type, &type, sizeof op_type);
  pnn_operator_t op = reinterpret_cast<pnn_operator_t>(uintptr_t{0x10});
  const pnn_status st = pnn_create_binary_elementwise_nd_f32(op_type, mn, mx, flags, &op);
  (forbidden ? stats().creates_rejected : stats().creates_ok)++;
  if (forbidden) {
    FUZZ_CHECK(st == pnn_status_invalid_parameter, "forbidden create gave %s",
               pnn_status_string(st));
    FUZZ_CHECK(op == nullptr, "failed create did not clear *op_out");
    return 0;
  }
  FUZZ_CHECK(st == pnn_status_success, "valid create gave %s", pnn_status_string(st));

  Bound bound;
  const int rounds = 1 + r.u8() % 4;
  for (int round = 0; round < rounds && !r.empty(); round++) {
    // The output shape first, then operands derived from it (so most shapes broadcast).
    const size_t nd = r.u8() % 8;
    std::vector<size_t> out_shape(nd);
    for (size_t& d : out_shape) d = r.u8() < 64 ? 1 : r.dim();
    const size_t na = nd == 0 ? 0 : std::max<size_t>(1, nd - r.u8() % (nd + 1));
    const size_t nb = nd == 0 ? r.u8() % 2 : std::max<size_t>(1, nd - r.u8() % (nd + 1));
    std::vector<size_t> a_shape(na), b_shape(nb);
    for (size_t i = 0; i < na; i++) a_shape[i] = OperandDim(r, out_shape[nd - na + i]);
    for (size_t i = 0; i < nb; i++)
      b_shape[i] = OperandDim(r, nd >= nb ? out_shape[nd - nb + i] : 1);

    // NumPy's rules.
    const size_t n = std::max(na, nb);
    bool bad = na == 0 || nb == 0 || na > PNN_MAX_DIMS || nb > PNN_MAX_DIMS;
    std::vector<size_t> da(n), db(n), dout(n);
    u128 count = 1, ca = 1, cb = 1;
    for (size_t i = 0; i < n && !bad; i++) {
      da[i] = i < n - na ? 1 : a_shape[i - (n - na)];
      db[i] = i < n - nb ? 1 : b_shape[i - (n - nb)];
      if (da[i] == 0 || db[i] == 0 || (da[i] != db[i] && da[i] != 1 && db[i] != 1)) bad = true;
      dout[i] = std::max(da[i], db[i]);
      count = mul(count, dout[i]);
      ca = mul(ca, da[i]);
      cb = mul(cb, db[i]);
    }
    bad = bad || !fits_bytes(count);

    size_t reported_nd = 0xABCDu;
    size_t reported[PNN_MAX_DIMS + 1];
    std::fill(reported, reported + PNN_MAX_DIMS + 1, size_t{0xABCDu});
    const pnn_status rs = pnn_reshape_binary_elementwise_nd_f32(
        op, na, a_shape.data(), nb, b_shape.data(), &reported_nd, reported, nullptr);
    if (bad) {
      FUZZ_CHECK(rs == pnn_status_invalid_parameter, "shapes that do not broadcast gave %s",
                 pnn_status_string(rs));
      FUZZ_CHECK(reported_nd == 0xABCDu && reported[0] == 0xABCDu,
                 "a rejected reshape wrote its out-parameters");
      if (bound.ready) {
        std::fill(bound.y.begin(), bound.y.end(), sentinel());
        FUZZ_CHECK(pnn_run_operator(op, nullptr) == pnn_status_success,
                   "a rejected reshape broke the previous setup");
        FUZZ_CHECK(std::memcmp(bound.y.data(), bound.last.data(), bound.y.size() * 4) == 0,
                   "a rejected reshape changed the result");
      } else {
        FUZZ_CHECK(pnn_run_operator(op, nullptr) == pnn_status_invalid_state, "run before setup");
      }
      stats().reshapes_rejected++;
      continue;
    }
    FUZZ_CHECK(rs == pnn_status_success, "shapes that broadcast gave %s", pnn_status_string(rs));
    FUZZ_CHECK(reported_nd == n, "reported %zu dims, expected %zu", reported_nd, n);
    for (size_t i = 0; i < n; i++)
      FUZZ_CHECK(reported[i] == dout[i], "dim %zu reported %zu, expected %zu", i, reported[i],
                 dout[i]);
    FUZZ_CHECK(reported[PNN_MAX_DIMS] == 0xABCDu, "wrote past PNN_MAX_DIMS output dims");
    bound.ready = false;
    stats().reshapes_accepted++;
    if (count > kMaxElements) continue;  // valid, too large to run here

    const uint32_t seed = r.u8();
    bound.a = values(static_cast<size_t>(ca), seed);
    bound.b = values(static_cast<size_t>(cb), seed + 7);
    bound.y.assign(static_cast<size_t>(count), sentinel());

    // The reference, by explicit index arithmetic.
    std::vector<float> want(bound.y.size());
    for (size_t flat = 0; flat < want.size(); flat++) {
      size_t rest = flat, ia = 0, ib = 0, sa = 1, sb = 1;
      for (size_t d = n; d-- > 0;) {
        const size_t coord = rest % dout[d];
        rest /= dout[d];
        if (da[d] != 1) ia += coord * sa;
        if (db[d] != 1) ib += coord * sb;
        sa *= da[d];
        sb *= db[d];
      }
      want[flat] = Apply(type, bound.a[ia], bound.b[ib]);
    }

    // Output == A: allowed exactly when A has the output's shape.
    if (r.flag()) {
      std::vector<float> io = bound.a;
      const pnn_status ss =
          pnn_setup_binary_elementwise_nd_f32(op, io.data(), bound.b.data(), io.data());
      if (io.size() == bound.y.size()) {
        FUZZ_CHECK(ss == pnn_status_success, "in-place setup gave %s", pnn_status_string(ss));
        FUZZ_CHECK(pnn_run_operator(op, nullptr) == pnn_status_success, "in-place run");
        bound.last = io;
      } else {
        FUZZ_CHECK(ss == pnn_status_invalid_parameter, "output aliasing a broadcast A gave %s",
                   pnn_status_string(ss));
        FUZZ_CHECK(std::memcmp(io.data(), bound.a.data(), io.size() * 4) == 0,
                   "a rejected setup wrote");
        bound.last.clear();
      }
    } else {
      bound.last.clear();
    }

    FUZZ_CHECK(pnn_setup_binary_elementwise_nd_f32(op, bound.a.data(), bound.b.data(),
                                                   bound.y.data()) == pnn_status_success,
               "setup");
    FUZZ_CHECK(pnn_run_operator(op, nullptr) == pnn_status_success, "run");
    const bool clamped = mn != -INFINITY || mx != INFINITY;
    for (size_t i = 0; i < want.size(); i++) {
      const float got = bound.y[i];
      const float w = want[i];
      FUZZ_CHECK(!is_sentinel(got), "output %zu not written", i);
      if (std::isnan(w)) {
        // 0/0: NaN, or a bound with a finite clamp (unspecified there).
        FUZZ_CHECK(std::isnan(got) || (clamped && (got == mn || got == mx)),
                   "element %zu: %g, expected NaN", i, got);
        continue;
      }
      const float c = std::min(std::max(w, mn), mx);
      FUZZ_CHECK(got == c, "op %d element %zu: %.9g, the formula gives %.9g", type, i, got, c);
      if (type != pnn_binary_minimum && type != pnn_binary_maximum && !clamped)
        FUZZ_CHECK(std::signbit(got) == std::signbit(c), "op %d element %zu: sign of zero", type,
                   i);
    }
    if (!bound.last.empty())
      FUZZ_CHECK(std::memcmp(bound.last.data(), bound.y.data(), bound.y.size() * 4) == 0,
                 "in-place and out-of-place results differ");
    bound.last = bound.y;
    bound.ready = true;
    stats().reshapes_run++;
  }
  pnn_delete_operator(op);
  return 0;
}
