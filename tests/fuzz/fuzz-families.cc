// The table of operator families and the family-target loop (see fuzz-families.h).
#include "fuzz-families.h"

#include <utility>

namespace fuzz {

const Factory kFamilies[kKinds] = {
    CreateConvolution,     CreateFullyConnected,       CreateBatchMatmul,
    CreateMaxPooling,      CreateAveragePooling,       CreateGlobalAveragePooling,
    CreateUnary,           CreateBinary,               CreateSoftmax,
    CreateReduce,          CreateLayerNorm,            CreateRmsNorm,
    CreateBatchNorm,       CreatePRelu,
};

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
