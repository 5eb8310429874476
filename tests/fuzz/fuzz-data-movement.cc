// Fuzz target: the data-movement operators (transpose, depth-to-space, space-to-depth, pad,
// concatenate, split, slice), one per input, chosen by the first byte. They take shapes as
// arrays and bind several buffers (concatenate, split), which the one-or-two-operand Subject of
// fuzz-driver.h does not describe, so this target drives the lifecycle itself with the driver's
// pieces (Reader, the 128-bit model, Budget, ExpectFailure/ExpectSuccess, the shared pools):
//   - the create and the reshape outcome are predicted from include/portnn.h's rules;
//   - a rejected reshape records a reason and writes no out-parameter;
//   - an accepted, affordable shape is bound to buffers of exactly the header's sizes
//     (std::vector: AddressSanitizer sees any access past them), run on 1 and 2 threads, and
//     every output compared bit for bit with tests/reference/data-reference.h (which also shows
//     that every output element was written: the outputs start as a sentinel pattern);
//   - binding the output over the input is rejected as an overlap, with nothing written.
#include <cstring>
#include <functional>
#include <vector>

#include "fuzz-families.h"
#include "reference/data-reference.h"

namespace fuzz {
namespace {

using Dims = std::vector<size_t>;
using Buffers = std::vector<std::vector<float>>;

// What one drawn case needs: the prediction, the reshape, the buffer sizes and the reference.
struct MoveCase {
  bool valid = false;
  const char* function = "";
  std::function<pnn_status(pnn_threadpool_t)> reshape;
  Dims reported;                  // written by a successful reshape (num dims or 3 values)
  Dims predicted;                 // what it must report
  std::vector<u128> in_counts, out_counts;  // elements of each buffer (valid cases)
  std::function<Buffers(const Buffers&)> reference;
  // Binds inputs and outputs (the setup call of the operator).
  std::function<pnn_status(const std::vector<const float*>&, const std::vector<float*>&)> setup;
  const char* setup_function = "";
};

constexpr size_t kUnreported = 0x5EED;

// Up to 7 dims (0 and 7 are invalid ranks), each Reader::dim().
Dims DrawShape(Reader& r, size_t* num_dims) {
  *num_dims = r.u8() % 8;
  Dims d(PNN_MAX_DIMS + 1, 1);
  for (size_t i = 0; i < *num_dims; i++) d[i] = r.dim();
  return d;
}

// Rank in [1, 6], every dim >= 1, the element count's bytes fit: the header's shape rule.
bool ValidShape(const Dims& d, size_t n, u128* count) {
  u128 c = 1;
  bool ok = n >= 1 && n <= PNN_MAX_DIMS;
  for (size_t i = 0; i < n; i++) {
    ok = ok && d[i] >= 1;
    c = mul(c, d[i]);
  }
  *count = c;
  return ok && fits_bytes(c);
}

uint32_t DrawFlags(Reader& r) { return r.u8() < 240 ? 0 : r.u32(); }

// 32-bit patterns from a seed: NaN payloads included (the operators move bits).
std::vector<float> Bits(size_t n, uint32_t seed) {
  std::vector<float> v(n);
  uint32_t s = seed * 2654435761u + 1;
  for (float& x : v) {
    s = s * 1664525u + 1013904223u;
    std::memcpy(&x, &s, sizeof x);
  }
  return v;
}

bool SameBits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

void Drive(Reader& r, pnn_operator_t op, MoveCase& c) {
  c.reported.assign(c.reported.size(), kUnreported);
  pnn_threadpool_t p = pool(r.u8() % kPools);
  const pnn_status st = c.reshape(p);
  if (!c.valid) {
    ExpectFailure(st, pnn_status_invalid_parameter, c.function);
    for (size_t v : c.reported) FUZZ_CHECK(v == kUnreported, "a failed %s wrote an out-parameter", c.function);
    return;
  }
  ExpectSuccess(st, c.function);
  FUZZ_CHECK(c.reported == c.predicted, "%s reported another output shape", c.function);
  std::vector<u128> spans = c.in_counts;
  spans.insert(spans.end(), c.out_counts.begin(), c.out_counts.end());
  u128 work = 0;
  for (u128 s : spans) work += s;
  for (u128 s : spans) {
    if (Budget({s}, work) != Expect::kAccept) return;
  }
  FUZZ_CHECK(pnn_run_operator(op, nullptr) == pnn_status_invalid_state,
             "run before setup was not invalid_state");
  Buffers in, out;
  uint32_t seed = r.u8();
  for (u128 n : c.in_counts) in.push_back(Bits(static_cast<size_t>(n), seed++));
  for (u128 n : c.out_counts) out.emplace_back(static_cast<size_t>(n));
  std::vector<const float*> ip;
  std::vector<float*> op_ptrs;
  for (auto& v : in) ip.push_back(v.data());
  // The output over the first input: an overlap, rejected without a write.
  {
    std::vector<float> before = in[0];
    std::vector<float*> alias;
    for (size_t k = 0; k < out.size(); k++) alias.push_back(k == 0 ? in[0].data() : out[k].data());
    ExpectFailure(c.setup(ip, alias), pnn_status_invalid_parameter, c.setup_function);
    FUZZ_CHECK(SameBits(before, in[0]), "a rejected %s wrote", c.setup_function);
  }
  for (auto& v : out) op_ptrs.push_back(v.data());
  ExpectSuccess(c.setup(ip, op_ptrs), c.setup_function);
  const Buffers want = c.reference(in);
  for (size_t pi : {size_t{0}, size_t{2}, size_t{1}}) {
    for (auto& v : out) {
      const std::vector<float> fill = Bits(v.size(), 7777);
      v = fill;  // same storage size: the bound pointers stay valid
    }
    ExpectSuccess(pnn_run_operator(op, pool(pi)), "pnn_run_operator");
    for (size_t k = 0; k < out.size(); k++) {
      FUZZ_CHECK(SameBits(out[k], want[k]), "output %zu differs from the reference (pool %zu)",
                 k, pi);
    }
  }
}

// Drive() of a one-input operator bound by `setup` (named `name`); deletes the operator.
using SetupOne = pnn_status (*)(pnn_operator_t, const void*, void*);
void DriveOne(Reader& r, pnn_operator_t op, MoveCase& c, SetupOne setup, const char* name) {
  c.setup_function = name;
  c.setup = [op, setup](const std::vector<const float*>& i, const std::vector<float*>& o) {
    return setup(op, i[0], o[0]);
  };
  Drive(r, op, c);
  pnn_delete_operator(op);
}

bool CreateOk(pnn_status st, pnn_operator_t op, bool ok, const char* function) {
  ExpectCreate(st, op, ok, pnn_status_invalid_parameter, function);
  return st == pnn_status_success;
}

// Transpose, by a permutation the input may break.
void Transpose(Reader& r) {
  const uint32_t flags = DrawFlags(r);
  pnn_operator_t op = Poison();
  if (!CreateOk(pnn_create_transpose_nd_x32(flags, &op), op, flags == 0,
                "pnn_create_transpose_nd_x32"))
    return;
  size_t n;
  const Dims shape = DrawShape(r, &n);
  Dims perm(PNN_MAX_DIMS + 1);
  for (size_t i = 0; i < perm.size(); i++) perm[i] = i;
  for (size_t i = 0; i < n; i++) std::swap(perm[i], perm[i + r.u8() % (n - i)]);
  if (n > 0 && r.u8() >= 224) perm[r.u8() % n] = r.u8() % 8;  // maybe repeated or out of range
  u128 count;
  bool valid = ValidShape(shape, n, &count);
  std::vector<bool> seen(8, false);
  for (size_t j = 0; j < n; j++) {
    valid = valid && perm[j] < n && !seen[perm[j]];
    if (perm[j] < 8) seen[perm[j]] = true;
  }
  MoveCase c;
  c.valid = valid;
  c.function = "pnn_reshape_transpose_nd_x32";
  c.reported.resize(n);
  c.reshape = [&](pnn_threadpool_t p) {
    return pnn_reshape_transpose_nd_x32(op, n, shape.data(), perm.data(), c.reported.data(), p);
  };
  for (size_t j = 0; valid && j < n; j++) c.predicted.push_back(shape[perm[j]]);
  c.in_counts = c.out_counts = {count};
  c.reference = [&](const Buffers& in) {
    return Buffers{pnn_ref::transpose(Dims(shape.begin(), shape.begin() + n),
                                      Dims(perm.begin(), perm.begin() + n), in[0])};
  };
  DriveOne(r, op, c, PNN_FUZZ_CALL(pnn_setup_transpose_nd_x32));
}

// Depth-to-space (DCR / CRD) or space-to-depth, by the second byte.
void Blocks(Reader& r, bool to_space) {
  const uint32_t block = r.u32param();
  const int mode = r.u8() % 3;
  const uint32_t flags = DrawFlags(r);
  pnn_operator_t op = Poison();
  const bool create_ok = block >= 1 && flags == 0 && (!to_space || mode < 2);
  const pnn_status st =
      to_space ? pnn_create_depth_to_space_nhwc_x32(block, static_cast<pnn_depth_to_space_mode>(mode),
                                                    flags, &op)
               : pnn_create_space_to_depth_nhwc_x32(block, flags, &op);
  if (!CreateOk(st, op, create_ok,
                to_space ? "pnn_create_depth_to_space_nhwc_x32" : "pnn_create_space_to_depth_nhwc_x32"))
    return;
  Dims s(4);
  for (size_t& d : s) d = r.dim();
  u128 count;
  const size_t b = block;
  bool valid = ValidShape(s, 4, &count);
  valid = valid && (to_space ? s[3] % (b * b) == 0 : s[1] % b == 0 && s[2] % b == 0);
  MoveCase c;
  c.valid = valid;
  c.function = to_space ? "pnn_reshape_depth_to_space_nhwc_x32" : "pnn_reshape_space_to_depth_nhwc_x32";
  c.reported.resize(3);
  c.reshape = [&](pnn_threadpool_t p) {
    size_t* o = c.reported.data();
    return to_space ? pnn_reshape_depth_to_space_nhwc_x32(op, s[0], s[1], s[2], s[3], o, o + 1,
                                                          o + 2, p)
                    : pnn_reshape_space_to_depth_nhwc_x32(op, s[0], s[1], s[2], s[3], o, o + 1,
                                                          o + 2, p);
  };
  if (valid) {
    c.predicted = to_space ? Dims{s[1] * b, s[2] * b, s[3] / (b * b)}
                           : Dims{s[1] / b, s[2] / b, s[3] * b * b};
  }
  c.in_counts = c.out_counts = {count};
  c.reference = [&](const Buffers& in) {
    return Buffers{to_space ? pnn_ref::depth_to_space(s[0], s[1], s[2], s[3], b, mode == 1, in[0])
                            : pnn_ref::space_to_depth(s[0], s[1], s[2], s[3], b, in[0])};
  };
  if (to_space) {
    DriveOne(r, op, c, PNN_FUZZ_CALL(pnn_setup_depth_to_space_nhwc_x32));
  } else {
    DriveOne(r, op, c, PNN_FUZZ_CALL(pnn_setup_space_to_depth_nhwc_x32));
  }
}

void Pad(Reader& r) {
  const int mode = r.u8() % 4;
  const float value = r.fparam();
  const uint32_t flags = DrawFlags(r);
  pnn_operator_t op = Poison();
  if (!CreateOk(pnn_create_pad_nd_x32(static_cast<pnn_pad_mode>(mode), value, flags, &op), op,
                mode < 3 && flags == 0, "pnn_create_pad_nd_x32"))
    return;
  size_t n;
  const Dims shape = DrawShape(r, &n);
  Dims pre(PNN_MAX_DIMS + 1, 0), post(PNN_MAX_DIMS + 1, 0);
  for (size_t i = 0; i < n; i++) {
    pre[i] = r.u8() < 128 ? 0 : r.dim();
    post[i] = r.u8() < 128 ? 0 : r.dim();
  }
  u128 count, out_count = 1;
  bool valid = ValidShape(shape, n, &count);
  Dims out(n);
  for (size_t i = 0; i < n; i++) {
    const u128 o = u128{shape[i]} + pre[i] + post[i];
    valid = valid && o <= kSizeMax && (mode != 1 || (pre[i] < shape[i] && post[i] < shape[i]));
    out[i] = static_cast<size_t>(o);
    out_count = mul(out_count, o);
  }
  valid = valid && fits_bytes(out_count);
  MoveCase c;
  c.valid = valid;
  c.function = "pnn_reshape_pad_nd_x32";
  c.reported.resize(n);
  c.reshape = [&](pnn_threadpool_t p) {
    return pnn_reshape_pad_nd_x32(op, n, shape.data(), pre.data(), post.data(), c.reported.data(), p);
  };
  if (valid) c.predicted = out;
  c.in_counts = {count};
  c.out_counts = {out_count};
  c.reference = [&](const Buffers& in) {
    return Buffers{pnn_ref::pad(Dims(shape.begin(), shape.begin() + n),
                                Dims(pre.begin(), pre.begin() + n),
                                Dims(post.begin(), post.begin() + n), mode, value, in[0])};
  };
  DriveOne(r, op, c, PNN_FUZZ_CALL(pnn_setup_pad_nd_x32));
}

// Concatenate or split: parts along an axis.
void Parts(Reader& r, bool split) {
  const uint8_t pb = r.u8();
  const size_t parts = pb < 200 ? 2 + pb % 4 : pb % 70;
  const size_t axis = r.u8() % 8;
  const uint32_t flags = DrawFlags(r);
  const bool create_ok = parts >= 2 && parts <= PNN_MAX_CONCAT_PARTS && axis < PNN_MAX_DIMS &&
                         flags == 0;
  pnn_operator_t op = Poison();
  const pnn_status st = split ? pnn_create_split_nd_x32(parts, axis, flags, &op)
                              : pnn_create_concatenate_nd_x32(parts, axis, flags, &op);
  if (!CreateOk(st, op, create_ok,
                split ? "pnn_create_split_nd_x32" : "pnn_create_concatenate_nd_x32"))
    return;
  size_t n;
  Dims base = DrawShape(r, &n);
  Dims sizes(parts);
  for (size_t& s : sizes) s = r.u8() < 240 ? 1 + r.u8() % 4 : r.dim();
  u128 sum = 0;
  for (size_t s : sizes) sum += s;
  bool valid = n >= 1 && n <= PNN_MAX_DIMS && axis < n;
  std::vector<Dims> shapes(parts, base);
  for (size_t k = 0; k < parts; k++) {
    if (axis < shapes[k].size()) shapes[k][axis] = sizes[k];
  }
  if (!split && n > 0 && r.u8() >= 240) shapes[parts - 1][r.u8() % n] = r.dim();  // a mismatch
  if (split && axis < base.size()) base[axis] = r.u8() < 240 ? static_cast<size_t>(sum) : r.dim();
  Dims whole = base;
  u128 total;
  if (!split) {
    sum = 0;  // the mismatch above may have changed an axis dim
    for (size_t k = 0; k < parts; k++) sum += n > 0 ? shapes[k][axis < n ? axis : 0] : 0;
    for (size_t k = 0; k < parts; k++) {
      for (size_t i = 0; i < n; i++) {
        valid = valid && shapes[k][i] >= 1 && (i == axis || shapes[k][i] == shapes[0][i]);
      }
    }
    valid = valid && sum <= kSizeMax;
    if (axis < whole.size()) whole[axis] = static_cast<size_t>(sum);
  } else {
    for (size_t s : sizes) valid = valid && s >= 1;
    valid = valid && axis < n && sum == base[axis];
  }
  valid = ValidShape(whole, n, &total) && valid;
  MoveCase c;
  c.valid = valid;
  c.function = split ? "pnn_reshape_split_nd_x32" : "pnn_reshape_concatenate_nd_x32";
  Dims flat;
  for (const Dims& s : shapes) flat.insert(flat.end(), s.begin(), s.begin() + n);
  if (!split) c.reported.resize(n);
  c.reshape = [&](pnn_threadpool_t p) {
    return split ? pnn_reshape_split_nd_x32(op, n, base.data(), sizes.data(), p)
                 : pnn_reshape_concatenate_nd_x32(op, n, flat.data(), c.reported.data(), p);
  };
  std::vector<Dims> part_shapes;
  std::vector<u128> part_counts;
  if (valid) {
    if (!split) c.predicted = Dims(whole.begin(), whole.begin() + n);
    for (const Dims& s : shapes) {
      part_shapes.emplace_back(s.begin(), s.begin() + n);
      part_counts.push_back(pnn_ref::Count(part_shapes.back()));
    }
  }
  const std::vector<u128> whole_count = {total};
  c.in_counts = split ? whole_count : part_counts;
  c.out_counts = split ? part_counts : whole_count;
  c.reference = [&](const Buffers& in) {
    if (split) return pnn_ref::split(Dims(whole.begin(), whole.begin() + n), axis, sizes, in[0]);
    return Buffers{pnn_ref::concatenate(part_shapes, axis, in)};
  };
  c.setup_function = split ? "pnn_setup_split_nd_x32" : "pnn_setup_concatenate_nd_x32";
  c.setup = [&](const std::vector<const float*>& i, const std::vector<float*>& o) {
    if (split) return pnn_setup_split_nd_x32(op, i[0], reinterpret_cast<void* const*>(o.data()));
    return pnn_setup_concatenate_nd_x32(op, reinterpret_cast<const void* const*>(i.data()), o[0]);
  };
  Drive(r, op, c);
  pnn_delete_operator(op);
}

int64_t DrawBound(Reader& r) {
  const uint8_t b = r.u8();
  if (b == 255) return INT64_MAX;
  if (b == 254) return INT64_MIN;
  if (b == 253) return static_cast<int64_t>(r.u64());
  return static_cast<int64_t>(b % 40) - 20;
}

void Slice(Reader& r) {
  const uint32_t flags = DrawFlags(r);
  pnn_operator_t op = Poison();
  if (!CreateOk(pnn_create_slice_nd_x32(flags, &op), op, flags == 0, "pnn_create_slice_nd_x32"))
    return;
  size_t n;
  const Dims shape = DrawShape(r, &n);
  std::vector<int64_t> begins(PNN_MAX_DIMS + 1), ends(PNN_MAX_DIMS + 1), steps(PNN_MAX_DIMS + 1, 1);
  const bool with_steps = r.flag();
  for (size_t i = 0; i < n; i++) {
    begins[i] = DrawBound(r);
    ends[i] = DrawBound(r);
    if (with_steps) {
      const uint8_t s = r.u8();
      steps[i] = s < 200 ? 1 + s % 4 : s < 250 ? static_cast<int64_t>(s) - 252 : static_cast<int64_t>(r.u64());
    }
  }
  u128 count;
  bool valid = ValidShape(shape, n, &count);
  Dims out(n);
  u128 out_count = 1;
  for (size_t i = 0; valid && i < n; i++) {
    const u128 dim = shape[i];
    const auto clamp = [dim](int64_t v) -> u128 {
      if (v < 0) {
        const u128 back = u128{0} - static_cast<u128>(static_cast<__int128>(v));  // -v
        return back >= dim ? 0 : dim - back;
      }
      return static_cast<u128>(v) >= dim ? dim : static_cast<u128>(v);
    };
    const u128 b = clamp(begins[i]), e = clamp(ends[i]);
    valid = valid && steps[i] >= 1 && e > b;
    if (valid) {
      out[i] = static_cast<size_t>((e - b - 1) / static_cast<u128>(steps[i]) + 1);
      out_count = mul(out_count, out[i]);
    }
  }
  MoveCase c;
  c.valid = valid;
  c.function = "pnn_reshape_slice_nd_x32";
  c.reported.resize(n);
  c.reshape = [&](pnn_threadpool_t p) {
    return pnn_reshape_slice_nd_x32(op, n, shape.data(), begins.data(), ends.data(),
                                    with_steps ? steps.data() : nullptr, c.reported.data(), p);
  };
  if (valid) c.predicted = out;
  c.in_counts = {count};
  c.out_counts = {out_count};
  c.reference = [&](const Buffers& in) {
    Dims unused;
    return Buffers{pnn_ref::slice(Dims(shape.begin(), shape.begin() + n),
                                  std::vector<int64_t>(begins.begin(), begins.begin() + n),
                                  std::vector<int64_t>(ends.begin(), ends.begin() + n),
                                  std::vector<int64_t>(steps.begin(), steps.begin() + n), in[0],
                                  &unused)};
  };
  DriveOne(r, op, c, PNN_FUZZ_CALL(pnn_setup_slice_nd_x32));
}

}  // namespace

int FuzzDataMovement(const uint8_t* data, size_t size) {
  Reader r(data, size);
  switch (r.u8() % 8) {
    case 0: Transpose(r); break;
    case 1: Blocks(r, true); break;
    case 2: Blocks(r, false); break;
    case 3: Pad(r); break;
    case 4: Parts(r, false); break;
    case 5: Parts(r, true); break;
    default: Slice(r); break;
  }
  return 0;
}

}  // namespace fuzz
