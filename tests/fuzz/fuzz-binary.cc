// Fuzz family: binary elementwise with NumPy broadcasting, every op value a C caller can pass.
// The model of the create: a known op, a valid clamp, flags 0. A reshape takes 1 to
// PNN_MAX_DIMS dims per operand, every dim >= 1, aligned at the last dim and each pair equal or
// one of them 1, an output whose bytes fit; it reports the broadcast shape. The output may be A
// or B itself when that operand has the output's shape; any other overlap is rejected. Every
// run is compared with the formula evaluated directly by index arithmetic: bit-exact for add,
// subtract, multiply, divide and squared difference, exact in value for minimum and maximum (the
// sign of a zero is unspecified there), within its documented bound for pow, and a NaN for 0/0 may come out of a finite clamp as a
// bound (the header leaves it unspecified).
#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstring>
#include <memory>
#include <vector>

#include "fuzz-families.h"
#include "reference/binary-reference.h"

namespace fuzz {

namespace {

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
  return mode < 4 ? out_dim : mode < 7 ? 1 : r.dim();
}

// The broadcast of two shapes, as NumPy aligns them.
struct Broadcast {
  bool valid = true;
  std::vector<size_t> a, b, out;  // aligned, each max(na, nb) dims
  u128 count_a = 1, count_b = 1, count = 1;
};

Broadcast Align(const std::vector<size_t>& sa, const std::vector<size_t>& sb) {
  Broadcast bc;
  const size_t na = sa.size(), nb = sb.size(), n = std::max(na, nb);
  bc.valid = na >= 1 && nb >= 1 && na <= PNN_MAX_DIMS && nb <= PNN_MAX_DIMS;
  for (size_t i = 0; i < n && bc.valid; i++) {
    const size_t da = i < n - na ? 1 : sa[i - (n - na)];
    const size_t db = i < n - nb ? 1 : sb[i - (n - nb)];
    if (da == 0 || db == 0 || (da != db && da != 1 && db != 1)) bc.valid = false;
    bc.a.push_back(da);
    bc.b.push_back(db);
    bc.out.push_back(std::max(da, db));
    bc.count_a = mul(bc.count_a, da);
    bc.count_b = mul(bc.count_b, db);
    bc.count = mul(bc.count, std::max(da, db));
  }
  bc.valid = bc.valid && fits_bytes(bc.count);
  return bc;
}

// Pow is within its documented bound (tests/reference/binary-reference.h, pow_ok) before the
// clamp: the clamped result lies between the clamps of the bound's ends; NaN as for the others.
void VerifyPow(float mn, float mx, float a, float b, float got, size_t flat) {
  const bool clamped = mn != -INFINITY || mx != INFINITY;
  const double r = std::pow(static_cast<double>(a), static_cast<double>(b));
  if (std::isnan(r)) {
    FUZZ_CHECK(std::isnan(got) || (clamped && (got == mn || got == mx)),
               "pow(%g, %g) element %zu: %g, expected NaN", a, b, flat, got);
    return;
  }
  if (!clamped) {
    FUZZ_CHECK(pnn_ref::pow_ok(got, a, b), "pow(%g, %g) element %zu: %.9g, reference %.9g", a, b,
               flat, got, r);
    return;
  }
  auto clamp = [&](double v) { return std::min(std::max(v, double{mn}), double{mx}); };
  // A result beyond the float range may round to the infinity (and +-inf must be it).
  const bool overflow = std::fabs(r) > FLT_MAX && got == clamp(r > 0 ? INFINITY : -INFINITY);
  if (std::isinf(r) || overflow) {
    FUZZ_CHECK(overflow,
               "pow(%g, %g) element %zu: %.9g, reference %.9g clamped to [%g, %g]", a, b, flat,
               got, r, mn, mx);
    return;
  }
  const double ln = r == 0 ? 0.0 : std::fabs(std::log(std::fabs(r)));
  const double tol = (pnn::approx::kPowError.rel + pnn::approx::kPowLogRel * ln) * std::fabs(r) +
                     pnn::approx::kPowError.abs;
  FUZZ_CHECK(got >= clamp(r - tol) && got <= clamp(r + tol),
             "pow(%g, %g) element %zu: %.9g, reference %.9g clamped to [%g, %g]", a, b, flat, got,
             r, mn, mx);
}

// The formula at every output element; `y` is what the operator wrote.
void Verify(int op, float mn, float mx, const Broadcast& bc, const float* a, const float* b,
            const float* y) {
  const bool clamped = mn != -INFINITY || mx != INFINITY;
  const size_t n = bc.out.size();
  for (size_t flat = 0; flat < static_cast<size_t>(bc.count); flat++) {
    size_t rest = flat, ia = 0, ib = 0, sa = 1, sb = 1;
    for (size_t d = n; d-- > 0;) {
      const size_t coord = rest % bc.out[d];
      rest /= bc.out[d];
      if (bc.a[d] != 1) ia += coord * sa;
      if (bc.b[d] != 1) ib += coord * sb;
      sa *= bc.a[d];
      sb *= bc.b[d];
    }
    if (op == pnn_binary_pow) {
      VerifyPow(mn, mx, a[ia], b[ib], y[flat], flat);
      continue;
    }
    const float want = Apply(op, a[ia], b[ib]), got = y[flat];
    if (std::isnan(want)) {
      FUZZ_CHECK(std::isnan(got) || (clamped && (got == mn || got == mx)),
                 "element %zu: %g, expected NaN", flat, got);
      continue;
    }
    const float c = std::min(std::max(want, mn), mx);
    FUZZ_CHECK(got == c, "op %d element %zu: %.9g, the formula gives %.9g", op, flat, got, c);
    if (op != pnn_binary_minimum && op != pnn_binary_maximum && !clamped)
      FUZZ_CHECK(std::signbit(got) == std::signbit(c), "op %d element %zu: sign of zero", op, flat);
  }
}

}  // namespace

bool CreateBinary(Reader& r, Family* family) {
  const int type = static_cast<int>(r.u8() % 10) - 1;  // -1 .. 8
  float mn, mx;
  r.clamp(&mn, &mx);
  const uint32_t flags = r.u8() < 240 ? 0 : r.u32();
  const bool forbidden =
      type < 0 || type > pnn_binary_pow || !valid_clamp(mn, mx) || flags != 0;
  pnn_binary_op op_type;
  std::memcpy(&op_type, &type, sizeof op_type);
  pnn_operator_t op = Poison();
  const pnn_status st = pnn_create_binary_elementwise_nd_f32(op_type, mn, mx, flags, &op);
  ExpectCreate(st, op, !forbidden, pnn_status_invalid_parameter,
               "pnn_create_binary_elementwise_nd_f32");
  if (st != pnn_status_success) return false;
  family->Bind(kBinary, op, PNN_FUZZ_CALL(pnn_setup_binary_elementwise_nd_f32));
  family->next_shape = [type, mn, mx](Reader& rr) {
    // The output shape first (0 to 7 dims), then operands derived from it, so most broadcast.
    const size_t nd = rr.u8() % 8;
    std::vector<size_t> out(nd);
    for (size_t& d : out) d = rr.u8() < 64 ? 1 : rr.dim();
    const size_t na = nd == 0 ? 0 : std::max<size_t>(1, nd - rr.u8() % (nd + 1));
    const size_t nb = nd == 0 ? rr.u8() % 2 : std::max<size_t>(1, nd - rr.u8() % (nd + 1));
    std::vector<size_t> sa(na), sb(nb);
    for (size_t i = 0; i < na; i++) sa[i] = OperandDim(rr, out[nd - na + i]);
    for (size_t i = 0; i < nb; i++) sb[i] = OperandDim(rr, nd >= nb ? out[nd - nb + i] : 1);
    auto bc = std::make_shared<Broadcast>(Align(sa, sb));

    Shape s;
    s.expect = !bc->valid ? Expect::kReject : Budget({bc->count}, bc->count);
    if (s.expect == Expect::kAccept) {
      s.in0 = Layout::Dense(bc->count_a);
      s.in1 = Layout::Dense(bc->count_b);
      s.out = Layout::Dense(bc->count);
      s.inplace0 = bc->count_a == bc->count;
      s.inplace1 = bc->count_b == bc->count;
      s.verify = [=](const float* a, const float* b, const float* y) {
        Verify(type, mn, mx, *bc, a, b, y);
      };
    }
    auto reported = std::make_shared<std::vector<size_t>>(PNN_MAX_DIMS + 2, 0xABCD);
    s.function = "pnn_reshape_binary_elementwise_nd_f32";
    s.reshape = [=](pnn_operator_t o, pnn_threadpool_t p) {
      return pnn_reshape_binary_elementwise_nd_f32(o, na, sa.data(), nb, sb.data(),
                                                   &(*reported)[0], &(*reported)[1], p);
    };
    s.check_reported = [=] {
      FUZZ_CHECK((*reported)[0] == bc->out.size(), "reported %zu dims, expected %zu",
                 (*reported)[0], bc->out.size());
      for (size_t i = 0; i < bc->out.size(); i++)
        FUZZ_CHECK((*reported)[1 + i] == bc->out[i], "dim %zu reported %zu, expected %zu", i,
                   (*reported)[1 + i], bc->out[i]);
      FUZZ_CHECK((*reported)[1 + PNN_MAX_DIMS] == 0xABCD, "wrote past PNN_MAX_DIMS dims");
    };
    s.check_unreported = [=] {
      for (size_t v : *reported) FUZZ_CHECK(v == 0xABCD, "a rejected reshape wrote the shape");
    };
    return s;
  };
  return true;
}

int FuzzBinary(const uint8_t* data, size_t size) { return FuzzFamily(CreateBinary, data, size); }

}  // namespace fuzz
