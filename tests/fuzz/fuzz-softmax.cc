// Fuzz family: softmax (NC), plain and `_strided` reshapes. The model of the create: channels
// >= 1 with bytes that fit, flags 0. A reshape takes batch >= 1 and the header's row-stride
// rules (fuzz::RowShape); output == input is in place (one row, or equal strides), any other
// overlap is rejected.
#include "fuzz-families.h"

namespace fuzz {

bool CreateSoftmax(Reader& r, Family* family) {
  const size_t c = r.dim();
  const uint32_t flags = r.u8() < 240 ? 0 : r.u32();
  const bool forbidden = c == 0 || !fits_bytes(c) || flags != 0;
  pnn_operator_t op = Poison();
  const pnn_status st = pnn_create_softmax_nc_f32(c, flags, &op);
  ExpectCreate(st, op, !forbidden, pnn_status_invalid_parameter, "pnn_create_softmax_nc_f32");
  if (st != pnn_status_success) return false;
  family->kind = kSoftmax;
  family->op = op;
  family->setup_function = "pnn_setup_softmax_nc_f32";
  family->setup = [](pnn_operator_t o, const float* x, const float*, float* y) {
    return pnn_setup_softmax_nc_f32(o, x, y);
  };
  family->next_shape = [c](Reader& rr) {
    Shape s;
    const size_t b = rr.dim();
    const bool strided = rr.u8() >= 128;
    const size_t is = strided ? rr.stride(c) : c, os = strided ? rr.stride(c) : c;
    RowShape(&s, b, c, is, b, c, os, mul(b, c), true, b == 0);
    if (strided) {
      s.function = "pnn_reshape_softmax_nc_f32_strided";
      s.reshape = [=](pnn_operator_t o, pnn_threadpool_t p) {
        return pnn_reshape_softmax_nc_f32_strided(o, b, is, os, p);
      };
    } else {
      s.function = "pnn_reshape_softmax_nc_f32";
      s.reshape = [=](pnn_operator_t o, pnn_threadpool_t p) {
        return pnn_reshape_softmax_nc_f32(o, b, p);
      };
    }
    return s;
  };
  return true;
}

int FuzzSoftmax(const uint8_t* data, size_t size) { return FuzzFamily(CreateSoftmax, data, size); }

}  // namespace fuzz
