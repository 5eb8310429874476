// The libFuzzer entry points of every target: PNN_FUZZ_TARGET (a compile definition, see
// CMakeLists.txt) names the target function of fuzz-families.h this executable fuzzes.
#include <cstddef>
#include <cstdint>

#include "fuzz-families.h"

#ifndef PNN_FUZZ_TARGET
#error "define PNN_FUZZ_TARGET to a target function of fuzz-families.h"
#endif

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fuzz::Initialize();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return fuzz::PNN_FUZZ_TARGET(data, size);
}
