// Fuzz family: fully connected (NC), plain and `_strided` reshapes. The model of the create:
// both channel counts >= 1, the weights' bytes fit a size_t, a valid clamp, only
// PNN_FLAG_TRANSPOSE_WEIGHTS. Reshapes follow the header's row-stride rules (fuzz::RowShape);
// input and output must not overlap.
#include <vector>

#include "fuzz-families.h"

namespace fuzz {

namespace {
constexpr u128 kMaxWeights = u128{1} << 14;
constexpr u128 kUnallocatableWeights = (u128{1} << 30) / sizeof(float);
}  // namespace

bool CreateFullyConnected(Reader& r, Family* family) {
  const size_t ic = r.dim(), oc = r.dim();
  float mn, mx;
  r.clamp(&mn, &mx);
  const uint8_t f = r.u8();
  const uint32_t flags = f < 128 ? 0 : f < 240 ? PNN_FLAG_TRANSPOSE_WEIGHTS : r.u32();
  const u128 weights = u128{ic} * oc;
  const bool forbidden = ic == 0 || oc == 0 || !valid_clamp(mn, mx) ||
                         (flags & ~PNN_FLAG_TRANSPOSE_WEIGHTS) != 0 || !fits_bytes(weights);
  const bool small = !forbidden && weights <= kMaxWeights;
  if (!forbidden && !small && weights <= kUnallocatableWeights) return false;
  const std::vector<float> kernel = values(small ? static_cast<size_t>(weights) : 1, 9);
  const std::vector<float> bias = values(small ? oc : 1, 10);
  pnn_operator_t op = Poison();
  const pnn_status st = pnn_create_fully_connected_nc_f32(
      ic, oc, kernel.data(), small && r.flag() ? bias.data() : nullptr, mn, mx, flags, &op);
  // Weights whose bytes fit but that cannot be allocated fail with out_of_memory, or with
  // invalid_parameter when the packed layout (padding the header leaves open) overflows.
  ExpectCreate(st, op, small,
               forbidden ? pnn_status_invalid_parameter : pnn_status_out_of_memory,
               "pnn_create_fully_connected_nc_f32", pnn_status_invalid_parameter);
  if (st != pnn_status_success) return false;
  family->Bind(kFullyConnected, op, PNN_FUZZ_CALL(pnn_setup_fully_connected_nc_f32));
  family->next_shape = [ic, oc](Reader& rr) {
    const size_t batch = rr.dim();
    const Rows rows{batch, ic, batch, oc, prod({batch, ic, oc}), false, batch == 0};
    return RowShape(rr, rows, PNN_FUZZ_ROWS(pnn_reshape_fully_connected_nc_f32), batch);
  };
  return true;
}

int FuzzFullyConnected(const uint8_t* data, size_t size) {
  return FuzzFamily(CreateFullyConnected, data, size);
}

}  // namespace fuzz
