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
  family->Bind(kGlobalAveragePooling, op,
               PNN_FUZZ_CALL(pnn_setup_global_average_pooling_nwc_f32));
  family->next_shape = [c](Reader& rr) {
    const size_t n = rr.dim(), w = rr.dim();
    // Input rows are pixels: batch * width of them, `channels` floats each.
    const Rows rows{mul(n, w), c, n, c, prod({n, w, c}), false, n == 0 || w == 0};
    return RowShape(rr, rows, PNN_FUZZ_ROWS(pnn_reshape_global_average_pooling_nwc_f32), n, w);
  };
  return true;
}

int FuzzGlobalAveragePooling(const uint8_t* data, size_t size) {
  return FuzzFamily(CreateGlobalAveragePooling, data, size);
}

}  // namespace fuzz
