// Fuzz family: unary elementwise (NC), every op value a C caller can pass, plain and `_strided`
// reshapes. The model of the create: a known op; clamp needs params with min <= max and no
// NaN, leaky relu a finite slope, elu a finite alpha, hard sigmoid a finite alpha and beta
// (params may be NULL for the others); only
// gelu takes a flag (PNN_FLAG_GELU_TANH_APPROXIMATION). A reshape takes batch and channels >= 1
// and the header's row-stride rules (fuzz::RowShape); output == input is in place (one row, or
// equal strides), any other overlap is rejected.
#include <cstring>

#include "fuzz-families.h"

namespace fuzz {

bool CreateUnary(Reader& r, Family* family) {
  const int type = static_cast<int>(r.u8() % 27) - 1;  // -1 .. 25: two past each end
  pnn_unary_params params;
  params.min = r.fparam();  // read in order
  params.max = r.fparam();
  params.negative_slope = r.fparam();
  params.alpha = r.fparam();
  params.beta = r.fparam();
  const bool null_params = r.u8() >= 224;
  const uint8_t f = r.u8();
  const uint32_t flags = f < 160 ? 0 : f < 240 ? PNN_FLAG_GELU_TANH_APPROXIMATION : r.u32();
  bool forbidden = type < 0 || type > pnn_unary_softplus;
  if (!forbidden) {
    const uint32_t allowed = type == pnn_unary_gelu ? PNN_FLAG_GELU_TANH_APPROXIMATION : 0;
    forbidden = (flags & ~allowed) != 0;
    if (type == pnn_unary_clamp) forbidden |= null_params || !valid_clamp(params.min, params.max);
    if (type == pnn_unary_leaky_relu)
      forbidden |= null_params || !std::isfinite(params.negative_slope);
    if (type == pnn_unary_elu) forbidden |= null_params || !std::isfinite(params.alpha);
    if (type == pnn_unary_hard_sigmoid)
      forbidden |= null_params || !std::isfinite(params.alpha) || !std::isfinite(params.beta);
  }
  // An enum value outside the enumerators is what a C caller can pass.
  pnn_unary_op op_type;
  std::memcpy(&op_type, &type, sizeof op_type);
  pnn_operator_t op = Poison();
  const pnn_status st =
      pnn_create_unary_elementwise_nc_f32(op_type, null_params ? nullptr : &params, flags, &op);
  ExpectCreate(st, op, !forbidden, pnn_status_invalid_parameter,
               "pnn_create_unary_elementwise_nc_f32");
  if (st != pnn_status_success) return false;
  family->Bind(kUnary, op, PNN_FUZZ_CALL(pnn_setup_unary_elementwise_nc_f32));
  family->next_shape = [](Reader& rr) {
    const size_t b = rr.dim(), c = rr.dim();
    return RowShape(rr, {b, c, b, c, mul(b, c), true, b == 0 || c == 0},
                    PNN_FUZZ_ROWS(pnn_reshape_unary_elementwise_nc_f32), b, c);
  };
  return true;
}

int FuzzUnary(const uint8_t* data, size_t size) { return FuzzFamily(CreateUnary, data, size); }

}  // namespace fuzz
