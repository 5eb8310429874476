// Fuzz family: global average pooling (NWC), plain and `_strided` reshapes. The model of the
// create: channels >= 1 with bytes that fit, a valid clamp, flags 0. A reshape takes batch and
// width >= 1; the input is batch * width pixels of `channels` floats, the output batch rows
// (fuzz::RowShape gives the stride rules). Input and output must not overlap.
#include "fuzz-families.h"

namespace fuzz {

bool CreateGlobalAveragePooling(Reader& r, Family* family) {
  const size_t c = r.dim();
  float mn, mx;
  r.clamp(&mn, &mx);
  const uint32_t flags = r.u8() < 240 ? 0 : r.u32();
  const bool forbidden = c == 0 || !fits_bytes(c) || !valid_clamp(mn, mx) || flags != 0;
  pnn_operator_t op = Poison();
  const pnn_status st = pnn_create_global_average_pooling_nwc_f32(c, mn, mx, flags, &op);
  ExpectCreate(st, op, !forbidden, pnn_status_invalid_parameter,
               "pnn_create_global_average_pooling_nwc_f32");
  if (st != pnn_status_success) return false;
  family->kind = kGlobalAveragePooling;
  family->op = op;
  family->setup_function = "pnn_setup_global_average_pooling_nwc_f32";
  family->setup = [](pnn_operator_t o, const float* x, const float*, float* y) {
    return pnn_setup_global_average_pooling_nwc_f32(o, x, y);
  };
  family->next_shape = [c](Reader& rr) {
    Shape s;
    const size_t n = rr.dim(), w = rr.dim();
    const bool strided = rr.u8() >= 128;
    const size_t is = strided ? rr.stride(c) : c, os = strided ? rr.stride(c) : c;
    RowShape(&s, mul(n, w), c, is, n, c, os, prod({n, w, c}), false, n == 0 || w == 0);
    if (strided) {
      s.function = "pnn_reshape_global_average_pooling_nwc_f32_strided";
      s.reshape = [=](pnn_operator_t o, pnn_threadpool_t p) {
        return pnn_reshape_global_average_pooling_nwc_f32_strided(o, n, w, is, os, p);
      };
    } else {
      s.function = "pnn_reshape_global_average_pooling_nwc_f32";
      s.reshape = [=](pnn_operator_t o, pnn_threadpool_t p) {
        return pnn_reshape_global_average_pooling_nwc_f32(o, n, w, p);
      };
    }
    return s;
  };
  return true;
}

int FuzzGlobalAveragePooling(const uint8_t* data, size_t size) {
  return FuzzFamily(CreateGlobalAveragePooling, data, size);
}

}  // namespace fuzz
