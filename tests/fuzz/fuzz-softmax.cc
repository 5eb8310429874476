// Fuzz family: softmax and log-softmax (NC), plain and `_strided` reshapes, and the N-D reshape
// along any axis. The model of the create: channels >= 1 with bytes that fit, flags 0 or
// PNN_FLAG_LOG_SOFTMAX. An NC reshape takes batch >= 1 and the header's row-stride rules
// (fuzz::RowShape); an N-D reshape rank 1 to PNN_MAX_DIMS, dims >= 1, a count that fits, an
// axis in [-rank, rank) whose dim is channels. Output == input is in place (one row, or equal
// strides; always for N-D), any other overlap is rejected.
#include <memory>
#include <vector>

#include "fuzz-families.h"

namespace fuzz {

namespace {

// The N-D reshape: mostly a shape with `c` at a random axis, sometimes anything.
Shape AxisShape(Reader& r, size_t c) {
  const size_t rank = r.u8() % 8;
  auto dims = std::make_shared<std::vector<size_t>>(rank);
  for (size_t& d : *dims) d = r.u8() < 64 ? 1 : r.dim();
  const int32_t axis = static_cast<int32_t>(r.u8() % 16) - 8;
  size_t a = 0;
  const bool axis_ok = ResolveAxis(axis, rank, &a);
  if (axis_ok && r.u8() < 192) (*dims)[a] = c;
  u128 count;
  const bool valid = ValidDims(*dims, 1, &count) && axis_ok && (*dims)[a] == c;
  Shape s = DenseSameShape(valid, count, mul(count, 4));
  s.function = "pnn_reshape_softmax_nd_f32";
  s.reshape = [dims, axis](pnn_operator_t o, pnn_threadpool_t p) {
    return pnn_reshape_softmax_nd_f32(o, dims->size(), dims->data(), axis, p);
  };
  return s;
}

}  // namespace

bool CreateSoftmax(Reader& r, Family* family) {
  const size_t c = r.dim();
  const uint8_t f = r.u8();
  const uint32_t flags = f < 128 ? 0 : f < 240 ? PNN_FLAG_LOG_SOFTMAX : r.u32();
  const bool forbidden = c == 0 || !fits_bytes(c) || (flags & ~PNN_FLAG_LOG_SOFTMAX) != 0;
  pnn_operator_t op = Poison();
  const pnn_status st = pnn_create_softmax_nc_f32(c, flags, &op);
  ExpectCreate(st, op, !forbidden, pnn_status_invalid_parameter, "pnn_create_softmax_nc_f32");
  if (st != pnn_status_success) return false;
  family->Bind(kSoftmax, op, PNN_FUZZ_CALL(pnn_setup_softmax_nc_f32));
  family->next_shape = [c](Reader& rr) {
    if (rr.u8() >= 160) return AxisShape(rr, c);
    const size_t batch = rr.dim();
    return RowShape(rr, {batch, c, batch, c, mul(batch, c), true, batch == 0},
                    PNN_FUZZ_ROWS(pnn_reshape_softmax_nc_f32), batch);
  };
  return true;
}

int FuzzSoftmax(const uint8_t* data, size_t size) { return FuzzFamily(CreateSoftmax, data, size); }

}  // namespace fuzz
