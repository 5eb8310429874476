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
  kDeconvolution,
  kResize,
  kReduce,
  kLayerNorm,
  kRmsNorm,
  kBatchNorm,
  kPRelu,
  kArgmaxPooling,
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
bool CreateDeconvolution(Reader& r, Family* family);
bool CreateResize(Reader& r, Family* family);
bool CreateReduce(Reader& r, Family* family);
bool CreateLayerNorm(Reader& r, Family* family);
bool CreateRmsNorm(Reader& r, Family* family);
bool CreateBatchNorm(Reader& r, Family* family);
bool CreatePRelu(Reader& r, Family* family);
bool CreateArgmaxPooling(Reader& r, Family* family);

// The Window of a convolution or pooling parameter struct (they name their kernel fields
// differently and share the others).
template <typename Params>
Window WindowOf(const Params& p, uint32_t kernel_height, uint32_t kernel_width, bool pooling,
                size_t input_channels, size_t output_channels, u128 taps, WindowReshape reshape,
                const char* function) {
  return Window{
      {kernel_height, p.stride_height, p.dilation_height, p.padding_top, p.padding_bottom},
      {kernel_width, p.stride_width, p.dilation_width, p.padding_left, p.padding_right},
      p.flags,
      pooling,
      input_channels,
      output_channels,
      taps,
      reshape,
      function};
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

// The window fields a convolution-like parameter struct (convolution, deconvolution) shares, in
// the order the targets read them: kernel, stride, dilation, then half the time the paddings.
template <typename Params>
void ReadWindowFields(Reader& r, Params* p) {
  uint32_t* const fields[] = {&p->kernel_height, &p->kernel_width,    &p->stride_height,
                              &p->stride_width,  &p->dilation_height, &p->dilation_width};
  for (uint32_t* f : fields) *f = r.u32param();
  if (r.u8() < 128) {
    for (uint32_t* f : {&p->padding_top, &p->padding_right, &p->padding_bottom, &p->padding_left}) {
      *f = r.u32param();
    }
  }
}

// Then its groups, channels per group and clamp, with what the model derives from them: channels
// in and out, weights (taps * channels), and whether create must reject them (`invalid`: a size
// 0, an invalid clamp, channels or weights' bytes beyond size_t).
struct ConvSizes {
  u128 cin, cout, weights;
  bool invalid;
};
template <typename Params>
ConvSizes ReadChannels(Reader& r, Params* p) {
  p->groups = static_cast<uint32_t>(r.u8() < 200 ? 1 + r.u8() % 4 : r.u32param());
  p->group_input_channels = r.dim();
  p->group_output_channels = r.dim();
  r.clamp(&p->output_min, &p->output_max);
  ConvSizes s;
  s.cin = u128{p->groups} * p->group_input_channels;
  s.cout = u128{p->groups} * p->group_output_channels;
  s.weights = prod({s.cout, p->kernel_height, p->kernel_width, p->group_input_channels});
  s.invalid = p->kernel_height == 0 || p->kernel_width == 0 || p->stride_height == 0 ||
              p->stride_width == 0 || p->dilation_height == 0 || p->dilation_width == 0 ||
              p->groups == 0 || p->group_input_channels == 0 || p->group_output_channels == 0 ||
              !valid_clamp(p->output_min, p->output_max) || s.cin > kSizeMax || s.cout > kSizeMax ||
              !fits_bytes(s.weights);
  return s;
}

// The create of an operator with weights (`weights` kernel floats, `biases` bias floats), as a
// target can afford it: weights it cannot hand over are passed only where the model says create
// must fail before reading them (`forbidden`); sizes it can neither hand over nor expect to fail
// are skipped. Checks the outcome (valid weights that cannot be allocated: out_of_memory, or
// invalid_parameter when the packed layout overflows) and returns the operator, or NULL.
pnn_operator_t CreateWeighted(Reader& r, bool forbidden, u128 weights, u128 biases,
                              const std::function<pnn_status(const float* kernel, const float* bias,
                                                             pnn_operator_t* op_out)>& create,
                              const char* function);
template <typename Params>
pnn_operator_t CreateWeighted(Reader& r, const Params& p, bool forbidden, const ConvSizes& z,
                              pnn_status (*create)(const Params*, const float*, const float*,
                                                   pnn_operator_t*),
                              const char* function) {
  return CreateWeighted(
      r, forbidden, z.weights, z.cout,
      [&](const float* k, const float* b, pnn_operator_t* o) { return create(&p, k, b, o); },
      function);
}

// Binds a created convolution-like operator (fuzz::Family): its window from the parameters
// (`transposed` with the adjustments for deconvolution), its setup, and WindowShape as shapes.
template <typename Params>
void BindConvWindow(Family* family, int kind, pnn_operator_t op, const Params& p,
                    const ConvSizes& z, WindowReshape reshape, const char* reshape_name,
                    Family::Setup1 setup, const char* setup_name, bool transposed = false,
                    u128 adjustment_height = 0, u128 adjustment_width = 0) {
  Window w = WindowOf(p, p.kernel_height, p.kernel_width, false, static_cast<size_t>(z.cin),
                      static_cast<size_t>(z.cout),
                      prod({p.kernel_height, p.kernel_width, p.group_input_channels}), reshape,
                      reshape_name);
  w.transposed = transposed;
  w.adjustment_height = adjustment_height;
  w.adjustment_width = adjustment_width;
  family->Bind(kind, op, setup, setup_name);
  family->next_shape = [w](Reader& rr) { return WindowShape(rr, w); };
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
int FuzzDeconvolution(const uint8_t* data, size_t size);
int FuzzResize(const uint8_t* data, size_t size);
int FuzzNorm(const uint8_t* data, size_t size);  // reduce, layer / RMS / batch norm, prelu
int FuzzOperatorLifecycle(const uint8_t* data, size_t size);
int FuzzOutputShape(const uint8_t* data, size_t size);
// Transpose, depth-to-space, space-to-depth, pad, concatenate, split, slice (fuzz-data-movement.cc).
int FuzzDataMovement(const uint8_t* data, size_t size);

}  // namespace fuzz
