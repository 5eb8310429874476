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
  family->Bind(kSoftmax, op, PNN_FUZZ_CALL(pnn_setup_softmax_nc_f32));
  family->next_shape = [c](Reader& rr) {
    const size_t batch = rr.dim();
    return RowShape(rr, {batch, c, batch, c, mul(batch, c), true, batch == 0},
                    PNN_FUZZ_ROWS(pnn_reshape_softmax_nc_f32), batch);
  };
  return true;
}

int FuzzSoftmax(const uint8_t* data, size_t size) { return FuzzFamily(CreateSoftmax, data, size); }

}  // namespace fuzz
