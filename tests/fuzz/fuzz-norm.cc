// Fuzz family: reduce, layer norm, RMS norm, batch norm and prelu (one target, `norm`, picks one
// by its first byte; the lifecycle target creates any of them).
//  - reduce: the create takes a known op, 0 to PNN_MAX_DIMS axes (not NULL when any), each in
//    [-PNN_MAX_DIMS, PNN_MAX_DIMS), flags 0 or PNN_FLAG_KEEP_DIMS. A reshape takes rank 0 to
//    PNN_MAX_DIMS, dims >= 1, a count whose bytes fit, and axes in [-rank, rank) naming distinct
//    dims; it reports the output shape. Input and output must not overlap. Runs are compared
//    with the reduction evaluated directly: max / min exactly, sum / mean within the float-sum
//    bound gamma(k - 1) * sum |x| (and for mean 2u: the division, or 1/k and the product).
//  - layer / RMS norm: norm_size >= 1 with bytes that fit, gamma not NULL (beta may be), epsilon
//    finite and >= 0, flags 0. A reshape takes rank 1 to PNN_MAX_DIMS, dims >= 1, a count that
//    fits, axis in [-rank, rank) with the dims from it holding norm_size elements. In place
//    allowed.
//  - batch norm / prelu: channels >= 1 with bytes that fit, no NULL array, (batch norm) epsilon
//    finite and >= 0, flags 0; NC rows with the header's row-stride rules (fuzz::RowShape), in
//    place allowed.
// Parameter arrays larger than a target can afford to pass are not created unless their size
// alone must be rejected or is too large to allocate (out_of_memory, as fully connected).
#include <algorithm>
#include <cstring>
#include <memory>
#include <vector>

#include "fuzz-families.h"

namespace fuzz {

namespace {

constexpr u128 kMaxParams = u128{1} << 14;
constexpr u128 kUnallocatableParams = (u128{1} << 30) / sizeof(float);

// The outcome of a create whose parameter arrays hold `n` floats: false when the target skips
// it (affordable by the library, not by every fuzz input).
struct ParamSize {
  bool forbidden, small, skip;
};
ParamSize Params(size_t n, bool other_faults) {
  const bool forbidden = n == 0 || !fits_bytes(n) || other_faults;
  const bool small = !forbidden && n <= kMaxParams;
  return {forbidden, small, !forbidden && !small && n <= kUnallocatableParams};
}
uint32_t Flags(Reader& r) { return r.u8() < 240 ? 0 : r.u32(); }
bool BadEpsilon(float eps) { return !std::isfinite(eps) || eps < 0.0f; }

// A shape of rank 0 to 7; most dims small, some 1, some at the edges.
std::vector<size_t> DrawDims(Reader& r, size_t rank) {
  std::vector<size_t> dims(rank);
  for (size_t& d : dims) d = r.u8() < 64 ? 1 : r.dim();
  return dims;
}

// The reduction at every output element, by index arithmetic; `y` is what the operator wrote.
void VerifyReduce(int op, const std::vector<size_t>& dims, const std::vector<bool>& reduced,
                  const float* x, const float* y) {
  size_t count = 1, count_out = 1;
  for (size_t d = 0; d < dims.size(); d++) {
    count *= dims[d];
    if (!reduced[d]) count_out *= dims[d];
  }
  const size_t k = count / count_out;
  std::vector<double> acc(count_out, op == pnn_reduce_max   ? -INFINITY
                                     : op == pnn_reduce_min ? INFINITY
                                                            : 0.0);
  std::vector<double> magnitude(count_out, 0.0);
  for (size_t i = 0; i < count; i++) {
    size_t rest = i, o = 0, scale = 1;
    for (size_t d = dims.size(); d-- > 0;) {
      const size_t coord = rest % dims[d];
      rest /= dims[d];
      if (!reduced[d]) o += coord * scale, scale *= dims[d];
    }
    if (op == pnn_reduce_max) acc[o] = std::max(acc[o], static_cast<double>(x[i]));
    if (op == pnn_reduce_min) acc[o] = std::min(acc[o], static_cast<double>(x[i]));
    if (op == pnn_reduce_sum || op == pnn_reduce_mean) acc[o] += x[i];
    magnitude[o] += std::fabs(x[i]);
  }
  const double ku = static_cast<double>(k - 1) * 0x1p-24;
  for (size_t o = 0; o < count_out; o++) {
    double want = acc[o], bound = 0.0;
    if (op == pnn_reduce_sum || op == pnn_reduce_mean) bound = ku / (1.0 - ku) * magnitude[o];
    if (op == pnn_reduce_mean) {
      want /= static_cast<double>(k);
      bound = bound / static_cast<double>(k) + 0x1p-23 * std::fabs(want);  // 1/k, product
    }
    FUZZ_CHECK(std::fabs(y[o] - want) <= bound, "reduce op %d output %zu: %.9g, expected %.9g",
               op, o, y[o], want);
  }
}

}  // namespace

bool ValidDims(const std::vector<size_t>& dims, size_t min_rank, u128* count) {
  *count = 1;
  bool ok = dims.size() >= min_rank && dims.size() <= PNN_MAX_DIMS;
  for (size_t d : dims) {
    ok = ok && d != 0;
    *count = mul(*count, d);
  }
  return ok && fits_bytes(*count);
}

bool ResolveAxis(int32_t axis, size_t rank, size_t* dim) {
  const int64_t r = static_cast<int64_t>(rank);
  if (axis < -r || axis >= r) return false;
  *dim = static_cast<size_t>(axis < 0 ? axis + r : axis);
  return true;
}

Shape DenseSameShape(bool valid, u128 count, u128 work) {
  Shape s;
  s.expect = !valid ? Expect::kReject : Budget({count}, work);
  if (s.expect == Expect::kAccept) {
    s.in0 = Layout::Dense(count);
    s.out = Layout::Dense(count);
    s.inplace0 = true;
  }
  return s;
}

bool CreateReduce(Reader& r, Family* family) {
  const int type = static_cast<int>(r.u8() % 6) - 1;  // -1 .. 4
  const size_t num_axes = r.u8() % 8;
  std::vector<int32_t> axes(num_axes);
  bool bad_axis = false;
  for (int32_t& a : axes) {
    a = static_cast<int32_t>(r.u8() % 16) - 8;
    bad_axis |= a < -PNN_MAX_DIMS || a >= PNN_MAX_DIMS;
  }
  const bool null_axes = num_axes > 0 && r.u8() >= 240;
  const uint8_t f = r.u8();
  const uint32_t flags = f < 128 ? 0 : f < 240 ? PNN_FLAG_KEEP_DIMS : r.u32();
  const bool forbidden = type < pnn_reduce_sum || type > pnn_reduce_min ||
                         num_axes > PNN_MAX_DIMS || null_axes || bad_axis ||
                         (flags & ~PNN_FLAG_KEEP_DIMS) != 0;
  pnn_reduce_op op_type;
  std::memcpy(&op_type, &type, sizeof op_type);
  pnn_operator_t op = Poison();
  const pnn_status st = pnn_create_reduce_nd_f32(op_type, num_axes,
                                                 null_axes ? nullptr : axes.data(), flags, &op);
  ExpectCreate(st, op, !forbidden, pnn_status_invalid_parameter, "pnn_create_reduce_nd_f32");
  if (st != pnn_status_success) return false;
  const bool keep = (flags & PNN_FLAG_KEEP_DIMS) != 0;
  family->Bind(kReduce, op, PNN_FUZZ_CALL(pnn_setup_reduce_nd_f32));
  family->next_shape = [type, axes, keep](Reader& rr) {
    const auto dims = std::make_shared<std::vector<size_t>>(DrawDims(rr, rr.u8() % 8));
    const size_t rank = dims->size();
    u128 count;
    bool valid = ValidDims(*dims, 0, &count);
    auto reduced = std::make_shared<std::vector<bool>>(rank, false);
    for (int32_t a : axes) {
      size_t d = 0;
      valid = valid && ResolveAxis(a, rank, &d) && !(*reduced)[d];
      if (valid) (*reduced)[d] = true;
    }
    std::vector<size_t> out_shape;
    u128 count_out = 1;
    for (size_t d = 0; valid && d < rank; d++) {
      if (!(*reduced)[d]) count_out = mul(count_out, (*dims)[d]);
      if (!(*reduced)[d] || keep) out_shape.push_back((*reduced)[d] ? 1 : (*dims)[d]);
    }
    Shape s;
    s.expect = !valid ? Expect::kReject : Budget({count, count_out}, count);
    if (s.expect == Expect::kAccept) {
      s.in0 = Layout::Dense(count);
      s.out = Layout::Dense(count_out);
      s.verify = [=](const float* x, const float*, const float* y) {
        VerifyReduce(type, *dims, *reduced, x, y);
      };
    }
    auto reported = std::make_shared<std::vector<size_t>>(PNN_MAX_DIMS + 2, 0xABCD);
    s.function = "pnn_reshape_reduce_nd_f32";
    s.reshape = [=](pnn_operator_t o, pnn_threadpool_t p) {
      return pnn_reshape_reduce_nd_f32(o, rank, dims->data(), &(*reported)[0], &(*reported)[1],
                                       p);
    };
    s.check_reported = [=] {
      FUZZ_CHECK((*reported)[0] == out_shape.size(), "reported rank %zu, expected %zu",
                 (*reported)[0], out_shape.size());
      for (size_t i = 0; i < out_shape.size(); i++)
        FUZZ_CHECK((*reported)[1 + i] == out_shape[i], "dim %zu reported %zu, expected %zu", i,
                   (*reported)[1 + i], out_shape[i]);
      FUZZ_CHECK((*reported)[1 + PNN_MAX_DIMS] == 0xABCD, "wrote past PNN_MAX_DIMS dims");
    };
    s.check_unreported = [=] {
      for (size_t v : *reported) FUZZ_CHECK(v == 0xABCD, "a rejected reshape wrote the shape");
    };
    return s;
  };
  return true;
}

// Layer norm (rms = false) and RMS norm.
bool CreateRowNorm(Reader& r, Family* family, bool rms) {
  const size_t n = r.dim();
  const bool null_gamma = r.u8() >= 240, null_beta = r.flag();
  const float eps = r.fparam();
  const uint32_t flags = Flags(r);
  const ParamSize p = Params(n, null_gamma || BadEpsilon(eps) || flags != 0);
  if (p.skip) return false;
  const std::vector<float> gamma = values(p.small ? n : 1, 21), beta = values(p.small ? n : 1, 22);
  const float* g = null_gamma ? nullptr : gamma.data();
  pnn_operator_t op = Poison();
  const pnn_status st =
      rms ? pnn_create_rms_norm_nd_f32(n, g, eps, flags, &op)
          : pnn_create_layer_norm_nd_f32(n, g, null_beta ? nullptr : beta.data(), eps, flags, &op);
  ExpectCreate(st, op, p.small,
               p.forbidden ? pnn_status_invalid_parameter : pnn_status_out_of_memory,
               rms ? "pnn_create_rms_norm_nd_f32" : "pnn_create_layer_norm_nd_f32");
  if (st != pnn_status_success) return false;
  if (rms) {
    family->Bind(kRmsNorm, op, PNN_FUZZ_CALL(pnn_setup_rms_norm_nd_f32));
  } else {
    family->Bind(kLayerNorm, op, PNN_FUZZ_CALL(pnn_setup_layer_norm_nd_f32));
  }
  family->next_shape = [n, rms](Reader& rr) {
    // Mostly leading dims then norm_size, normalized from the last axis; sometimes anything.
    const uint8_t mode = rr.u8() % 4;
    std::vector<size_t> dims = DrawDims(rr, mode == 3 ? rr.u8() % 8 : rr.u8() % 4);
    if (mode != 3) dims.push_back(n);
    const int32_t rank = static_cast<int32_t>(dims.size());
    const int32_t axis = mode == 0 ? -1 : mode == 1 ? rank - 1 : static_cast<int32_t>(rr.u8() % 16) - 8;
    u128 count;
    bool valid = ValidDims(dims, 1, &count);
    size_t first = 0;
    valid = valid && ResolveAxis(axis, dims.size(), &first);
    u128 norm = 1;
    for (size_t d = first; valid && d < dims.size(); d++) norm = mul(norm, dims[d]);
    valid = valid && norm == n;
    Shape s = DenseSameShape(valid, count, mul(count, 3));
    s.function = rms ? "pnn_reshape_rms_norm_nd_f32" : "pnn_reshape_layer_norm_nd_f32";
    s.reshape = [dims, axis, rms](pnn_operator_t o, pnn_threadpool_t p) {
      return rms ? pnn_reshape_rms_norm_nd_f32(o, dims.size(), dims.data(), axis, p)
                 : pnn_reshape_layer_norm_nd_f32(o, dims.size(), dims.data(), axis, p);
    };
    return s;
  };
  return true;
}

bool CreateLayerNorm(Reader& r, Family* family) { return CreateRowNorm(r, family, false); }
bool CreateRmsNorm(Reader& r, Family* family) { return CreateRowNorm(r, family, true); }

// Batch norm (prelu = false) and prelu: NC rows of `channels`.
bool CreateChannelOp(Reader& r, Family* family, bool prelu) {
  const size_t c = r.dim();
  const uint8_t null_array = r.u8();  // >= 240: array (null_array % 4) is NULL
  const float eps = prelu ? 0.0f : r.fparam();
  const uint32_t flags = Flags(r);
  // prelu takes one array (the first); a NULL among the other three is never passed.
  const bool null_passed = null_array >= 240 && (!prelu || null_array % 4 == 0);
  const ParamSize p = Params(c, null_passed || BadEpsilon(eps) || flags != 0);
  if (p.skip) return false;
  std::vector<std::vector<float>> arrays;
  for (uint32_t i = 0; i < 4; i++) arrays.push_back(values(p.small ? c : 1, 30 + i));
  arrays[1] = std::vector<float>(arrays[1].size(), 0.5f);  // var: a positive variance
  const float* a[4];
  for (size_t i = 0; i < 4; i++)
    a[i] = null_array >= 240 && null_array % 4 == i ? nullptr : arrays[i].data();
  pnn_operator_t op = Poison();
  const pnn_status st = prelu ? pnn_create_prelu_nc_f32(c, a[0], flags, &op)
                              : pnn_create_batch_norm_nc_f32(c, a[0], a[1], a[2], a[3], eps,
                                                             flags, &op);
  ExpectCreate(st, op, p.small,
               p.forbidden ? pnn_status_invalid_parameter : pnn_status_out_of_memory,
               prelu ? "pnn_create_prelu_nc_f32" : "pnn_create_batch_norm_nc_f32");
  if (st != pnn_status_success) return false;
  // The calls of the one or the other; their rows are modelled alike.
  const RowsReshape1 plain = prelu ? pnn_reshape_prelu_nc_f32 : pnn_reshape_batch_norm_nc_f32;
  const RowsStrided1 strided =
      prelu ? pnn_reshape_prelu_nc_f32_strided : pnn_reshape_batch_norm_nc_f32_strided;
  const char* name = prelu ? "pnn_reshape_prelu_nc_f32" : "pnn_reshape_batch_norm_nc_f32";
  const char* strided_name =
      prelu ? "pnn_reshape_prelu_nc_f32_strided" : "pnn_reshape_batch_norm_nc_f32_strided";
  if (prelu) {
    family->Bind(kPRelu, op, PNN_FUZZ_CALL(pnn_setup_prelu_nc_f32));
  } else {
    family->Bind(kBatchNorm, op, PNN_FUZZ_CALL(pnn_setup_batch_norm_nc_f32));
  }
  family->next_shape = [=](Reader& rr) {
    const size_t rows = rr.dim();
    const Rows model{rows, c, rows, c, mul(rows, c), /*inplace=*/true, /*reject=*/rows == 0};
    return RowShape(rr, model, plain, name, strided, strided_name, rows);
  };
  return true;
}

bool CreateBatchNorm(Reader& r, Family* family) { return CreateChannelOp(r, family, false); }
bool CreatePRelu(Reader& r, Family* family) { return CreateChannelOp(r, family, true); }

int FuzzNorm(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static const Factory kNormFamilies[] = {CreateReduce, CreateLayerNorm, CreateRmsNorm,
                                          CreateBatchNorm, CreatePRelu};
  return FuzzFamily(kNormFamilies[data[0] % 5], data + 1, size - 1);
}

}  // namespace fuzz
