// The operator families of include/portnn.h as the fuzz targets see them, and the targets.
//
// A family factory reads an operator's create parameters from the input, predicts the create's
// outcome from the header's rules, creates it, checks the outcome (fuzz::ExpectCreate) and, on
// success, fills in a fuzz::Family: the setup call and a generator of shapes, each with its
// predicted outcome and the buffer layouts the header gives it. One file per family
// (fuzz-<family>.cc) owns that family's model. fuzz::Subject (fuzz-driver.h) then drives the
// lifecycle; the family targets drive one operator, the lifecycle target several at once.
//
// Every target is the same fuzz-main.cc built with PNN_FUZZ_TARGET naming its entry below
// (tests/fuzz/CMakeLists.txt lists them; scripts/fuzz.sh runs them).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "fuzz-driver.h"

namespace fuzz {

// Operator types, also the index of kFamilies (the lifecycle target creates any of them).
enum Kind {
  kConvolution,
  kFullyConnected,
  kBatchMatmul,
  kMaxPooling,
  kAveragePooling,
  kGlobalAveragePooling,
  kUnary,
  kBinary,
  kSoftmax,
  kReduce,
  kLayerNorm,
  kRmsNorm,
  kBatchNorm,
  kPRelu,
  kKinds
};

using Factory = bool (*)(Reader& r, Family* family);  // true: an operator was created

bool CreateConvolution(Reader& r, Family* family);
bool CreateFullyConnected(Reader& r, Family* family);
bool CreateBatchMatmul(Reader& r, Family* family);
bool CreateMaxPooling(Reader& r, Family* family);
bool CreateAveragePooling(Reader& r, Family* family);
bool CreateGlobalAveragePooling(Reader& r, Family* family);
bool CreateUnary(Reader& r, Family* family);
bool CreateBinary(Reader& r, Family* family);
bool CreateSoftmax(Reader& r, Family* family);
bool CreateReduce(Reader& r, Family* family);
bool CreateLayerNorm(Reader& r, Family* family);
bool CreateRmsNorm(Reader& r, Family* family);
bool CreateBatchNorm(Reader& r, Family* family);
bool CreatePRelu(Reader& r, Family* family);

// The Window of a convolution or pooling parameter struct (they name their kernel fields
// differently and share the others).
template <typename Params>
Window WindowOf(const Params& p, uint32_t kernel_height, uint32_t kernel_width, bool pooling,
                size_t input_channels, size_t output_channels, u128 taps, WindowReshape reshape,
                const char* function) {
  return Window{{kernel_height, p.stride_height, p.dilation_height, p.padding_top,
                 p.padding_bottom},
                {kernel_width, p.stride_width, p.dilation_width, p.padding_left, p.padding_right},
                p.flags, pooling, input_channels, output_channels, taps, reshape, function};
}

// The other way: the shared fields of a parameter struct from two axes, no clamp.
template <typename Params>
void SetAxes(Params* p, const Axis& height, const Axis& width, uint32_t flags) {
  p->output_min = -INFINITY;
  p->output_max = INFINITY;
  p->flags = flags;
  p->stride_height = static_cast<uint32_t>(height.stride);
  p->stride_width = static_cast<uint32_t>(width.stride);
  p->dilation_height = static_cast<uint32_t>(height.dilation);
  p->dilation_width = static_cast<uint32_t>(width.dilation);
  p->padding_top = static_cast<uint32_t>(height.pad_before);
  p->padding_bottom = static_cast<uint32_t>(height.pad_after);
  p->padding_left = static_cast<uint32_t>(width.pad_before);
  p->padding_right = static_cast<uint32_t>(width.pad_after);
}

// Dense N-D shapes (fuzz-norm.cc; softmax's N-D reshape uses them too). ValidDims: rank in
// [min_rank, PNN_MAX_DIMS], every dim >= 1, a count whose bytes fit (*count: the saturating
// product either way). ResolveAxis: the dim an ONNX axis names at `rank` dims, false outside
// [-rank, rank). DenseSameShape: one dense input and an output of its `count` elements, in place
// allowed; rejected unless `valid`, else within the budget of `work`.
bool ValidDims(const std::vector<size_t>& dims, size_t min_rank, u128* count);
bool ResolveAxis(int32_t axis, size_t rank, size_t* dim);
Shape DenseSameShape(bool valid, u128 count, u128 work);

// Indexed by Kind.
extern const Factory kFamilies[kKinds];

// A family target: one operator created from the input, then one to four shapes through the
// whole lifecycle (Subject::Cycle).
int FuzzFamily(Factory create, const uint8_t* data, size_t size);

// The targets (LLVMFuzzerTestOneInput bodies).
int FuzzConvolution(const uint8_t* data, size_t size);
int FuzzFullyConnected(const uint8_t* data, size_t size);
int FuzzBatchMatmul(const uint8_t* data, size_t size);
int FuzzPooling(const uint8_t* data, size_t size);  // max and average, by the first byte
int FuzzGlobalAveragePooling(const uint8_t* data, size_t size);
int FuzzUnary(const uint8_t* data, size_t size);
int FuzzBinary(const uint8_t* data, size_t size);
int FuzzSoftmax(const uint8_t* data, size_t size);
int FuzzGraph(const uint8_t* data, size_t size);  // random graphs on the graph runtime
int FuzzNorm(const uint8_t* data, size_t size);  // reduce, layer / RMS / batch norm, prelu
int FuzzOperatorLifecycle(const uint8_t* data, size_t size);
int FuzzOutputShape(const uint8_t* data, size_t size);

}  // namespace fuzz
