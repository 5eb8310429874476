// The table of operator families and the family-target loop (see fuzz-families.h).
#include "fuzz-families.h"

#include <utility>
#include <vector>

namespace fuzz {

const Factory kFamilies[kKinds] = {
    CreateConvolution,   CreateFullyConnected, CreateBatchMatmul,
    CreateMaxPooling,    CreateAveragePooling, CreateGlobalAveragePooling,
    CreateUnary,         CreateBinary,         CreateSoftmax,
    CreateDeconvolution, CreateResize,         CreateReduce,
    CreateLayerNorm,     CreateRmsNorm,        CreateBatchNorm,
    CreatePRelu,         CreateArgmaxPooling,
};

pnn_operator_t CreateWeighted(Reader& r, bool forbidden, u128 weights, u128 biases,
                              const std::function<pnn_status(const float* kernel, const float* bias,
                                                             pnn_operator_t* op_out)>& create,
                              const char* function) {
  constexpr u128 kMaxWeights = u128{1} << 14;  // weights a target can hand to create
  // 1 GiB is the allocation cap (fuzz-driver.cc): packed weights beyond it cannot be allocated.
  constexpr u128 kUnallocatableWeights = (u128{1} << 30) / sizeof(float);
  const bool small = !forbidden && weights <= kMaxWeights;
  if (!forbidden && !small && weights <= kUnallocatableWeights) return nullptr;  // cannot supply
  const std::vector<float> kernel = values(small ? static_cast<size_t>(weights) : 1, 7);
  const std::vector<float> bias = values(small ? static_cast<size_t>(biases) : 1, 8);
  pnn_operator_t op = Poison();
  const pnn_status st = create(kernel.data(), small && r.flag() ? bias.data() : nullptr, &op);
  ExpectCreate(st, op, small, forbidden ? pnn_status_invalid_parameter : pnn_status_out_of_memory,
               function, pnn_status_invalid_parameter);
  return st == pnn_status_success ? op : nullptr;
}

int FuzzFamily(Factory create, const uint8_t* data, size_t size) {
  Reader r(data, size);
  Family family;
  if (!create(r, &family)) return 0;
  Subject subject(std::move(family));
  const int rounds = 1 + r.u8() % 4;
  for (int i = 0; i < rounds && (i == 0 || !r.empty()); i++) subject.Cycle(r);
  return 0;
}

}  // namespace fuzz
