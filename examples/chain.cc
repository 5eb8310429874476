// portnn example: a tiny image-classifier chain run through the public C API,
//
//   conv 3x3 (+bias, fused relu) -> relu (unary clamp) -> max pool 2x2 -> fully connected
//   -> softmax
//
// on a small random image, then checked stage by stage against a naive double-precision version
// of the same chain written below, so running the program is a real end-to-end check of the
// installed library. The chain runs twice, on the caller's thread (NULL pool) and on a 2-thread
// pool, and the two runs must agree bit for bit (the API promises results independent of the
// thread count).
//
// Exit status: 0 on success; 1 if a portnn call failed or a result is wrong (the reason is
// printed to stderr).
#include <portnn.h>

#include <cfloat>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <memory>
#include <random>
#include <vector>

namespace {

// Shapes. NHWC activations, batch 1.
constexpr size_t kInH = 12, kInW = 12, kInC = 3;  // the "image"
constexpr size_t kConvC = 8;                     // conv output channels
constexpr uint32_t kKernel = 3, kPad = 1;        // 3x3, stride 1, "same" size via padding 1
constexpr size_t kPool = 2;                      // 2x2 max pool, stride 2
constexpr size_t kConvH = kInH, kConvW = kInW;   // (12 + 2*1 - 3) / 1 + 1
constexpr size_t kPoolH = kConvH / kPool, kPoolW = kConvW / kPool;
constexpr size_t kFcIn = kPoolH * kPoolW * kConvC;  // the pooled map flattened, NHWC order
constexpr size_t kClasses = 10;

// Prints a failed portnn call with the library's name for the status.
bool Ok(pnn_status status, const char* what) {
  if (status == pnn_status_success) return true;
  std::fprintf(stderr, "chain: %s failed: %s (status %d)\n", what, pnn_status_string(status),
               static_cast<int>(status));
  return false;
}

// True when a reshape reported the output size the buffers were sized for; otherwise prints both.
bool SizeIs(const char* op, size_t height, size_t width, size_t want_height, size_t want_width) {
  if (height == want_height && width == want_width) return true;
  std::fprintf(stderr, "chain: %s output is %zux%zu, expected %zux%zu\n", op, height, width,
               want_height, want_width);
  return false;
}

// Owns an operator; deletes it on every exit path.
struct OperatorDeleter {
  void operator()(pnn_operator* op) const { pnn_delete_operator(op); }
};
using Operator = std::unique_ptr<pnn_operator, OperatorDeleter>;

struct Model {
  std::vector<float> conv_weights;  // [kConvC][3][3][kInC]
  std::vector<float> conv_bias;     // [kConvC]
  std::vector<float> fc_weights;    // [kClasses][kFcIn]
  std::vector<float> fc_bias;       // [kClasses]
};

// Every intermediate result, so each stage can be checked on its own. NaN-filled before the
// run: an element an operator forgets to write fails the checks.
struct Activations {
  std::vector<float> conv = std::vector<float>(kConvH * kConvW * kConvC, NAN);
  std::vector<float> relu = std::vector<float>(kConvH * kConvW * kConvC, NAN);
  std::vector<float> pool = std::vector<float>(kFcIn, NAN);
  std::vector<float> logits = std::vector<float>(kClasses, NAN);
  std::vector<float> probs = std::vector<float>(kClasses, NAN);
  const char* kernel_names[5] = {};
};

std::vector<float> Random(size_t n, float lo, float hi, std::mt19937* rng) {
  std::uniform_real_distribution<float> dist(lo, hi);
  std::vector<float> v(n);
  for (float& x : v) x = dist(*rng);
  return v;
}

// The whole operator lifecycle for the five operators: create -> reshape -> setup -> run ->
// delete. Shapes reported by reshape are checked against the ones the buffers were sized for.
bool RunChain(const Model& m, const std::vector<float>& image, pnn_threadpool_t pool,
              Activations* act) {
  // 1. Convolution 3x3, padding 1, with bias and a fused relu (clamp to [0, +inf)).
  pnn_convolution2d_params conv_params = {};
  conv_params.padding_top = conv_params.padding_right = kPad;
  conv_params.padding_bottom = conv_params.padding_left = kPad;
  conv_params.kernel_height = conv_params.kernel_width = kKernel;
  conv_params.stride_height = conv_params.stride_width = 1;
  conv_params.dilation_height = conv_params.dilation_width = 1;
  conv_params.groups = 1;
  conv_params.group_input_channels = kInC;
  conv_params.group_output_channels = kConvC;
  conv_params.output_min = 0.0f;
  conv_params.output_max = INFINITY;
  conv_params.flags = 0;
  pnn_operator_t raw = nullptr;
  if (!Ok(pnn_create_convolution2d_nhwc_f32(&conv_params, m.conv_weights.data(),
                                            m.conv_bias.data(), &raw),
          "pnn_create_convolution2d_nhwc_f32"))
    return false;
  Operator conv(raw);

  // 2. Relu as a unary clamp to [0, +inf). Redundant after the fused relu, on purpose: it shows
  //    the standalone elementwise operator, run in place on its own copy of the conv output.
  pnn_unary_params relu_params = {};
  relu_params.min = 0.0f;
  relu_params.max = INFINITY;
  if (!Ok(pnn_create_unary_elementwise_nc_f32(pnn_unary_clamp, &relu_params, 0, &raw),
          "pnn_create_unary_elementwise_nc_f32(clamp)"))
    return false;
  Operator relu(raw);

  // 3. Max pooling 2x2, stride 2, no padding, no output clamp.
  pnn_pooling2d_params pool_params = {};
  pool_params.pooling_height = pool_params.pooling_width = kPool;
  pool_params.stride_height = pool_params.stride_width = kPool;
  pool_params.dilation_height = pool_params.dilation_width = 1;
  pool_params.channels = kConvC;
  pool_params.output_min = -INFINITY;
  pool_params.output_max = INFINITY;
  pool_params.flags = 0;
  if (!Ok(pnn_create_max_pooling2d_nhwc_f32(&pool_params, &raw),
          "pnn_create_max_pooling2d_nhwc_f32"))
    return false;
  Operator maxpool(raw);

  // 4. Fully connected over the flattened pooled map, weights [out][in], no clamp.
  if (!Ok(pnn_create_fully_connected_nc_f32(kFcIn, kClasses, m.fc_weights.data(),
                                            m.fc_bias.data(), -INFINITY, INFINITY, 0, &raw),
          "pnn_create_fully_connected_nc_f32"))
    return false;
  Operator fc(raw);

  // 5. Softmax over the classes.
  if (!Ok(pnn_create_softmax_nc_f32(kClasses, 0, &raw), "pnn_create_softmax_nc_f32"))
    return false;
  Operator softmax(raw);

  // Reshape: the dynamic shapes. The output sizes the library reports must match ours.
  size_t oh = 0, ow = 0;
  if (!Ok(pnn_reshape_convolution2d_nhwc_f32(conv.get(), 1, kInH, kInW, &oh, &ow, pool),
          "pnn_reshape_convolution2d_nhwc_f32") ||
      !SizeIs("convolution", oh, ow, kConvH, kConvW) ||
      !Ok(pnn_reshape_unary_elementwise_nc_f32(relu.get(), kConvH * kConvW, kConvC, pool),
          "pnn_reshape_unary_elementwise_nc_f32") ||
      !Ok(pnn_reshape_max_pooling2d_nhwc_f32(maxpool.get(), 1, kConvH, kConvW, &oh, &ow, pool),
          "pnn_reshape_max_pooling2d_nhwc_f32") ||
      !SizeIs("max pooling", oh, ow, kPoolH, kPoolW) ||
      !Ok(pnn_reshape_fully_connected_nc_f32(fc.get(), 1, pool),
          "pnn_reshape_fully_connected_nc_f32") ||
      !Ok(pnn_reshape_softmax_nc_f32(softmax.get(), 1, pool), "pnn_reshape_softmax_nc_f32"))
    return false;

  // Setup: bind the buffers. The relu runs in place on act->relu (input == output is allowed).
  if (!Ok(pnn_setup_convolution2d_nhwc_f32(conv.get(), image.data(), act->conv.data()),
          "pnn_setup_convolution2d_nhwc_f32") ||
      !Ok(pnn_setup_unary_elementwise_nc_f32(relu.get(), act->relu.data(), act->relu.data()),
          "pnn_setup_unary_elementwise_nc_f32") ||
      !Ok(pnn_setup_max_pooling2d_nhwc_f32(maxpool.get(), act->relu.data(), act->pool.data()),
          "pnn_setup_max_pooling2d_nhwc_f32") ||
      !Ok(pnn_setup_fully_connected_nc_f32(fc.get(), act->pool.data(), act->logits.data()),
          "pnn_setup_fully_connected_nc_f32") ||
      !Ok(pnn_setup_softmax_nc_f32(softmax.get(), act->logits.data(), act->probs.data()),
          "pnn_setup_softmax_nc_f32"))
    return false;

  // Run, in order. The conv output is copied so the in-place relu leaves it intact for checking.
  if (!Ok(pnn_run_operator(conv.get(), pool), "running the convolution")) return false;
  act->relu = act->conv;
  if (!Ok(pnn_run_operator(relu.get(), pool), "running the relu (clamp)") ||
      !Ok(pnn_run_operator(maxpool.get(), pool), "running the max pooling") ||
      !Ok(pnn_run_operator(fc.get(), pool), "running the fully connected layer") ||
      !Ok(pnn_run_operator(softmax.get(), pool), "running the softmax"))
    return false;

  act->kernel_names[0] = pnn_operator_kernel_name(conv.get());
  act->kernel_names[1] = pnn_operator_kernel_name(relu.get());
  act->kernel_names[2] = pnn_operator_kernel_name(maxpool.get());
  act->kernel_names[3] = pnn_operator_kernel_name(fc.get());
  act->kernel_names[4] = pnn_operator_kernel_name(softmax.get());
  return true;  // the Operator handles delete the operators
}

// ------------------------------------------------------------------------------------------
// The naive version, in double precision. Each stage is recomputed from the library's own
// input to that stage, so a mismatch names the operator at fault.
//
// Tolerance of a float dot product plus bias (n terms in all, any summation order, with or
// without FMA): |computed - exact| <= gamma_n * sum|terms|, gamma_n ~ n * FLT_EPSILON / 2. We
// allow n * FLT_EPSILON * sum|terms| (twice the bound), plus FLT_MIN for flushed denormals.
double DotTolerance(size_t n, double abs_sum) {
  return static_cast<double>(n) * FLT_EPSILON * abs_sum + FLT_MIN;
}

bool Fail(const char* stage, size_t i, float got, double want, double tol) {
  std::fprintf(stderr, "chain: %s output[%zu] = %.9g, naive version gives %.9g (tolerance %.3g)\n",
               stage, i, static_cast<double>(got), want, tol);
  return false;
}

bool CheckConvolution(const Model& m, const std::vector<float>& image, const Activations& act) {
  const size_t terms = kKernel * kKernel * kInC + 1;
  for (size_t oy = 0; oy < kConvH; ++oy) {
    for (size_t ox = 0; ox < kConvW; ++ox) {
      for (size_t oc = 0; oc < kConvC; ++oc) {
        double sum = m.conv_bias[oc];
        double abs_sum = std::fabs(sum);
        for (size_t ky = 0; ky < kKernel; ++ky) {
          for (size_t kx = 0; kx < kKernel; ++kx) {
            // Input position; out-of-range (padding) reads 0.
            const ptrdiff_t iy = static_cast<ptrdiff_t>(oy + ky) - kPad;
            const ptrdiff_t ix = static_cast<ptrdiff_t>(ox + kx) - kPad;
            if (iy < 0 || ix < 0 || iy >= static_cast<ptrdiff_t>(kInH) ||
                ix >= static_cast<ptrdiff_t>(kInW))
              continue;
            for (size_t ic = 0; ic < kInC; ++ic) {
              const double term = static_cast<double>(image[(iy * kInW + ix) * kInC + ic]) *
                                  m.conv_weights[((oc * kKernel + ky) * kKernel + kx) * kInC + ic];
              sum += term;
              abs_sum += std::fabs(term);
            }
          }
        }
        const double want = sum > 0.0 ? sum : 0.0;  // the fused relu
        const double tol = DotTolerance(terms, abs_sum);
        const size_t i = (oy * kConvW + ox) * kConvC + oc;
        if (!(std::fabs(act.conv[i] - want) <= tol))
          return Fail("convolution", i, act.conv[i], want, tol);
      }
    }
  }
  return true;
}

// Clamp and max are exact in float: the results must be equal, not merely close.
bool CheckRelu(const Activations& act) {
  for (size_t i = 0; i < act.conv.size(); ++i) {
    const float want = act.conv[i] > 0.0f ? act.conv[i] : 0.0f;
    if (!(act.relu[i] == want)) return Fail("relu (clamp)", i, act.relu[i], want, 0.0);
  }
  return true;
}

bool CheckMaxPooling(const Activations& act) {
  for (size_t py = 0; py < kPoolH; ++py) {
    for (size_t px = 0; px < kPoolW; ++px) {
      for (size_t c = 0; c < kConvC; ++c) {
        float want = -INFINITY;
        for (size_t dy = 0; dy < kPool; ++dy) {
          for (size_t dx = 0; dx < kPool; ++dx) {
            const float v = act.relu[((py * kPool + dy) * kConvW + px * kPool + dx) * kConvC + c];
            if (v > want) want = v;
          }
        }
        const size_t i = (py * kPoolW + px) * kConvC + c;
        if (!(act.pool[i] == want)) return Fail("max pooling", i, act.pool[i], want, 0.0);
      }
    }
  }
  return true;
}

bool CheckFullyConnected(const Model& m, const Activations& act) {
  for (size_t o = 0; o < kClasses; ++o) {
    double sum = m.fc_bias[o];
    double abs_sum = std::fabs(sum);
    for (size_t i = 0; i < kFcIn; ++i) {
      const double term = static_cast<double>(act.pool[i]) * m.fc_weights[o * kFcIn + i];
      sum += term;
      abs_sum += std::fabs(term);
    }
    const double tol = DotTolerance(kFcIn + 1, abs_sum);
    if (!(std::fabs(act.logits[o] - sum) <= tol))
      return Fail("fully connected", o, act.logits[o], sum, tol);
  }
  return true;
}

// Softmax error, relative to each output: the subtraction of the max (FLT_EPSILON * |x - max|,
// carried through exp), an allowance of 8 ulp for the exp approximation, the float sum of
// kClasses terms (kClasses * FLT_EPSILON) and the division (1 ulp).
bool CheckSoftmax(const Activations& act) {
  double max = -INFINITY;
  for (float x : act.logits) max = x > max ? x : max;
  double denom = 0.0;
  for (float x : act.logits) denom += std::exp(x - max);
  for (size_t c = 0; c < kClasses; ++c) {
    const double want = std::exp(act.logits[c] - max) / denom;
    const double rel = (kClasses + 9 + std::fabs(act.logits[c] - max)) * FLT_EPSILON;
    const double tol = rel * want + FLT_MIN;
    if (!(std::fabs(act.probs[c] - want) <= tol))
      return Fail("softmax", c, act.probs[c], want, tol);
  }
  return true;
}

bool SameBits(const std::vector<float>& a, const std::vector<float>& b, const char* stage) {
  if (std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0) return true;
  std::fprintf(stderr, "chain: %s differs between 1 thread and 2 threads\n", stage);
  return false;
}

int Main() {
  std::printf("portnn %s\n", pnn_version_string());
  if (!Ok(pnn_initialize(), "pnn_initialize")) return 1;
  std::printf("kernel level (pnn_isa_name): %s\n", pnn_isa_name());

  // A fixed seed keeps the run reproducible.
  std::mt19937 rng(20260101);
  const std::vector<float> image = Random(kInH * kInW * kInC, 0.0f, 1.0f, &rng);
  Model m;
  m.conv_weights = Random(kConvC * kKernel * kKernel * kInC, -0.5f, 0.5f, &rng);
  m.conv_bias = Random(kConvC, -0.1f, 0.1f, &rng);
  m.fc_weights = Random(kClasses * kFcIn, -0.2f, 0.2f, &rng);
  m.fc_bias = Random(kClasses, -0.1f, 0.1f, &rng);

  // Run on the caller's thread (NULL pool) ...
  Activations act;
  if (!RunChain(m, image, nullptr, &act)) return 1;

  // ... and on a 2-thread pool.
  pnn_threadpool_t threadpool = nullptr;
  if (!Ok(pnn_threadpool_create(2, &threadpool), "pnn_threadpool_create")) return 1;
  Activations act2;
  const bool ran2 = RunChain(m, image, threadpool, &act2);
  pnn_threadpool_destroy(threadpool);
  if (!ran2) return 1;

  std::printf("kernels: conv %s\n         relu %s\n         max pool %s\n"
              "         fully connected %s\n         softmax %s\n",
              act.kernel_names[0], act.kernel_names[1], act.kernel_names[2], act.kernel_names[3],
              act.kernel_names[4]);

  if (!CheckConvolution(m, image, act) || !CheckRelu(act) || !CheckMaxPooling(act) ||
      !CheckFullyConnected(m, act) || !CheckSoftmax(act))
    return 1;
  if (!SameBits(act.conv, act2.conv, "convolution") || !SameBits(act.relu, act2.relu, "relu") ||
      !SameBits(act.pool, act2.pool, "max pooling") ||
      !SameBits(act.logits, act2.logits, "fully connected") ||
      !SameBits(act.probs, act2.probs, "softmax"))
    return 1;

  size_t top = 0;
  double sum = 0.0;
  for (size_t c = 0; c < kClasses; ++c) {
    sum += act.probs[c];
    if (act.probs[c] > act.probs[top]) top = c;
  }
  std::printf("top class: %zu (probability %.4f)\n", top, static_cast<double>(act.probs[top]));
  std::printf("softmax sum: %.7f\n", sum);
  // Loose on purpose: CheckSoftmax already bounds every element; this catches gross errors.
  if (!(std::fabs(sum - 1.0) <= 1e-5)) {
    std::fprintf(stderr, "chain: the probabilities sum to %.9g, not 1\n", sum);
    return 1;
  }
  std::printf("OK: every stage matches the naive version; 1 and 2 threads agree bit for bit\n");
  return 0;
}

}  // namespace

int main() { return Main(); }
