// portnn-kernel-bench: every line of every kernel registry (kernels/*.inc) as Google Benchmarks,
// on a few sizes each, including the lines the configs do not select (a lower-ranked variant, a
// lower ISA level): the measurements behind a registry's order can be rerun by anyone.
//
// Benchmarks are named <family>/<kernel>/<size>, e.g.
//   f32-gemm/pnn_f32_gemm_minmax_ukernel_8x32__avx512f_loadsplat/m:256/n:256/k:256
// so `--benchmark_filter=8x32__avx512f` selects one kernel, `--benchmark_filter=^f32-vunary/`
// one family. Lines this binary or CPU cannot run are not registered; each is named on stderr
// ("skipping <kernel>: ..."). The kernel the config selects at the current level
// (PORTNN_ISA applies) carries the label "selected".
//
// Counters: GEMM, IGEMM and depthwise convolution report FLOPS (2 * multiply-adds, a rate);
// the memory-bound families report bytes_per_second (bytes read + written by the kernel).
// The buffers are allocated and filled once per benchmark, outside the timed loop; one
// iteration is the kernel calls over the whole size (the row tiles of a GEMM, the pixels of a
// pooling), as an operator would make them, on one thread.
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <type_traits>
#include <vector>

#include "configs/configs.h"
#include "configs/dwconv-config.h"
#include "configs/pooling-config.h"
#include "configs/softmax-config.h"
#include "configs/vbinary-config.h"
#include "hardware-config.h"
#include "packing.h"
#include "portnn.h"
#include "ukernels.h"

namespace {

// Deterministic values in [-1, 1): the timing does not depend on them, but denormals and NaNs
// would (on some levels), so none occur.
std::vector<float> Values(size_t n, float scale = 1.0f) {
  std::vector<float> v(n);
  uint32_t x = 12345;
  for (float& f : v) {
    x = x * 1664525u + 1013904223u;
    f = scale * (static_cast<float>(x >> 8) / 8388608.0f - 1.0f);
  }
  return v;
}

const pnn_f32_minmax_params kNoClamp{-INFINITY, INFINITY};

// Registers `fn` under family/kernel/size unless the line cannot run here.
template <typename Fn>
void Register(const std::string& family, uint32_t arch, const char* kernel, const std::string& size,
              bool selected, Fn&& fn) {
  const pnn::HardwareConfig* hw = pnn::get_hardware_config();
  if ((hw->compiled & hw->cpu & arch) == 0) return;  // named once in SkipReport()
  benchmark::RegisterBenchmark((family + "/" + kernel + "/" + size).c_str(),
                               [fn, selected](benchmark::State& state) {
                                 if (selected) state.SetLabel("selected");
                                 fn(state);
                               });
}

void SkipReport(uint32_t arch, const char* kernel) {
  const pnn::HardwareConfig* hw = pnn::get_hardware_config();
  if ((hw->compiled & hw->cpu & arch) != 0) return;
  std::fprintf(stderr, "skipping %s: %s\n", kernel,
               (hw->compiled & arch) == 0 ? "ISA not compiled in" : "CPU lacks its ISA");
}

void SetFlops(benchmark::State& state, double flops) {
  state.counters["FLOPS"] =
      benchmark::Counter(flops, benchmark::Counter::kIsIterationInvariantRate);
}

void SetBytes(benchmark::State& state, double bytes) {
  state.SetBytesProcessed(static_cast<int64_t>(bytes * static_cast<double>(state.iterations())));
}

// ---------------------------------------------------------------------------------------------
// GEMM and IGEMM: M x N x K in MR-row tiles, weights packed for NR.

struct GemmSize {
  size_t m, n, k;
};
constexpr GemmSize kGemmSizes[] = {{256, 256, 256}, {196, 512, 512}, {1, 1000, 1024}};

void BenchGemm(benchmark::State& state, pnn_f32_gemm_ukernel_fn fn, size_t mr, size_t nr,
               GemmSize s) {
  const std::vector<float> a = Values(s.m * s.k), w = Values(s.n * s.k), bias = Values(s.n);
  std::vector<float> packed(pnn::packed_gemm_size(s.n, s.k, nr));
  pnn::pack_gemm(s.n, s.k, nr, w.data(), bias.data(), false, packed.data());
  std::vector<float> c(s.m * s.n);
  for (auto _ : state) {
    for (size_t i = 0; i < s.m; i += mr) {
      const size_t rows = s.m - i < mr ? s.m - i : mr;
      fn(rows, s.n, s.k, a.data() + i * s.k, s.k, packed.data(), c.data() + i * s.n, s.n, nr,
         &kNoClamp);
    }
    benchmark::ClobberMemory();
  }
  SetFlops(state, 2.0 * s.m * s.n * s.k);
}

// A 3x3 convolution's inner loop: `pixels` output pixels, 9 taps of k input channels each.
void BenchIgemm(benchmark::State& state, pnn_f32_igemm_ukernel_fn fn, size_t mr, size_t nr,
                size_t pixels, size_t k, size_t n) {
  const size_t ks = 9;
  const std::vector<float> input = Values(pixels * k), w = Values(n * ks * k), bias = Values(n);
  const std::vector<float> zero(k, 0.0f);
  std::vector<float> packed(pnn::packed_gemm_size(n, ks * k, nr));
  pnn::pack_gemm(n, ks * k, nr, w.data(), bias.data(), false, packed.data());
  // Tap t of pixel p reads input pixel (p + t) % pixels: the same amount of data as a real
  // convolution's neighbourhood, without its padding logic.
  const size_t tiles = (pixels + mr - 1) / mr;
  std::vector<const float*> indirection(tiles * ks * mr);
  for (size_t tile = 0; tile < tiles; tile++)
    for (size_t t = 0; t < ks; t++)
      for (size_t i = 0; i < mr; i++) {
        const size_t p = (tile * mr + i + t) % pixels;
        indirection[(tile * ks + t) * mr + i] = input.data() + p * k;
      }
  std::vector<float> c(pixels * n);
  for (auto _ : state) {
    for (size_t tile = 0; tile < tiles; tile++) {
      const size_t rows = pixels - tile * mr < mr ? pixels - tile * mr : mr;
      fn(rows, n, k, ks, indirection.data() + tile * ks * mr, packed.data(),
         c.data() + tile * mr * n, n, nr, 0, zero.data(), &kNoClamp);
    }
    benchmark::ClobberMemory();
  }
  SetFlops(state, 2.0 * pixels * n * ks * k);
}

// Winograd F(2x2, 3x3) transforms over the tiles of a 14x14 (7x7 tiles) image of `channels`
// channels: the input transform reads 16 pixels and writes 16 points per tile and channel, the
// output transform reads 16 points and writes 4 pixels; bytes_per_second counts both sides.
void BenchWinogradInput(benchmark::State& state, pnn_f32_winograd_input_ukernel_fn fn,
                        size_t channels) {
  const size_t side = 16, tiles = 7 * 7;  // a 16x16 patch grid covers 7x7 tiles of 2x2 outputs
  const std::vector<float> image = Values(side * side * channels);
  std::vector<float> v(16 * tiles * channels);
  for (auto _ : state) {
    for (size_t t = 0; t < tiles; t++) {
      const float* rows[16];
      for (size_t i = 0; i < 16; i++) {
        rows[i] = image.data() + ((t / 7 * 2 + i / 4) * side + t % 7 * 2 + i % 4) * channels;
      }
      fn(channels, rows, v.data() + t * channels, tiles * channels);
    }
    benchmark::ClobberMemory();
  }
  SetBytes(state, 2.0 * 16 * tiles * channels * sizeof(float));
}

void BenchWinogradOutput(benchmark::State& state, pnn_f32_winograd_output_ukernel_fn fn,
                         size_t channels) {
  const size_t tiles = 7 * 7, side = 14;
  const std::vector<float> m = Values(16 * tiles * channels), bias = Values(channels);
  std::vector<float> y(side * side * channels);
  for (auto _ : state) {
    for (size_t t = 0; t < tiles; t++) {
      float* out[4];
      for (size_t q = 0; q < 4; q++) {
        out[q] = y.data() + ((t / 7 * 2 + q / 2) * side + t % 7 * 2 + q % 2) * channels;
      }
      fn(channels, m.data() + t * channels, tiles * channels, bias.data(), out, &kNoClamp);
    }
    benchmark::ClobberMemory();
  }
  SetBytes(state, (16.0 + 4.0) * tiles * channels * sizeof(float));
}

void RegisterWinograd() {
  const pnn::GemmConfig* config = pnn::get_gemm_config();
#define PNN_WINOGRAD(arch, input_fn, output_fn)                                                 \
  SkipReport(arch, #input_fn);                                                                  \
  for (size_t c : {64, 256}) {                                                                  \
    Register("f32-winograd-input", arch, #input_fn, "tiles:49/channels:" + std::to_string(c),   \
             config->winograd_input == input_fn,                                                \
             [c](benchmark::State& st) { BenchWinogradInput(st, input_fn, c); });               \
    Register("f32-winograd-output", arch, #output_fn, "tiles:49/channels:" + std::to_string(c), \
             config->winograd_output == output_fn,                                              \
             [c](benchmark::State& st) { BenchWinogradOutput(st, output_fn, c); });             \
  }
#include "f32-winograd.inc"
#undef PNN_WINOGRAD
}

void RegisterGemm() {
  const pnn::GemmConfig* config = pnn::get_gemm_config();
#define PNN_GEMM(arch, gemm_fn, igemm_fn, mr, nr)                                               \
  SkipReport(arch, #gemm_fn);                                                                   \
  for (const GemmSize& s : kGemmSizes) {                                                        \
    Register(                                                                                   \
        "f32-gemm", arch, #gemm_fn,                                                             \
        "m:" + std::to_string(s.m) + "/n:" + std::to_string(s.n) + "/k:" + std::to_string(s.k), \
        config->gemm == gemm_fn || config->gemm1 == gemm_fn,                                    \
        [s](benchmark::State& st) { BenchGemm(st, gemm_fn, mr, nr, s); });                      \
  }                                                                                             \
  for (size_t k : {size_t{32}, size_t{128}}) {                                                  \
    Register("f32-igemm", arch, #igemm_fn, "pixels:196/k:" + std::to_string(k) + "/n:128/ks:9", \
             config->igemm == igemm_fn,                                                         \
             [k](benchmark::State& st) { BenchIgemm(st, igemm_fn, mr, nr, 196, k, 128); });     \
  }
#include "f32-gemm.inc"
#undef PNN_GEMM
}

// ---------------------------------------------------------------------------------------------
// Depthwise convolution: one output row of `width` pixels per call, `rows` calls.

void BenchDwconv(benchmark::State& state, pnn_f32_dwconv_ukernel_fn fn, size_t ks, size_t ct,
                 size_t channels, size_t width) {
  const size_t tiles = (channels + ct - 1) / ct;
  const std::vector<float> input = Values((width + ks) * channels);
  const std::vector<float> packed = Values(tiles * ct * (1 + ks));
  const std::vector<float> zero(tiles * ct, 0.0f);
  // Pixel x, tap t reads input pixel x + t: each pixel has its own ks pointers.
  std::vector<const float*> indirection(width * ks);
  for (size_t x = 0; x < width; x++)
    for (size_t t = 0; t < ks; t++) indirection[x * ks + t] = input.data() + (x + t) * channels;
  std::vector<float> out(width * channels);
  for (auto _ : state) {
    fn(channels, width, ks, indirection.data(), packed.data(), out.data(), ks, channels, 0,
       zero.data(), &kNoClamp);
    benchmark::ClobberMemory();
  }
  SetFlops(state, 2.0 * width * channels * ks);
}

void RegisterDwconv() {
  struct Size {
    size_t channels, width;
  };
  const Size sizes[] = {{32, 112}, {144, 56}, {512, 14}};
#define PNN_DWCONV(arch, ukernel, taps, channel_tile)                                           \
  SkipReport(arch, #ukernel);                                                                   \
  for (size_t ks : (taps) != 0 ? std::vector<size_t>{taps} : std::vector<size_t>{9, 25}) {      \
    for (const Size& s : sizes) {                                                               \
      Register("f32-dwconv", arch, #ukernel,                                                    \
               "channels:" + std::to_string(s.channels) + "/width:" + std::to_string(s.width) + \
                   "/ks:" + std::to_string(ks),                                                 \
               pnn::get_dwconv_config(ks)->fn == ukernel, [ks, s](benchmark::State& st) {       \
                 BenchDwconv(st, ukernel, ks, channel_tile, s.channels, s.width);               \
               });                                                                              \
    }                                                                                           \
  }
#include "f32-dwconv.inc"
#undef PNN_DWCONV
}

// ---------------------------------------------------------------------------------------------
// Pooling: 3x3 windows (9 taps) over `pixels` output pixels of `channels`; global average
// pooling over `rows` rows.

struct PoolSize {
  size_t channels, pixels;
};
constexpr PoolSize kPoolSizes[] = {{64, 56}, {256, 14}};
constexpr size_t kPoolTaps = 9;

std::vector<const float*> PoolIndirection(const std::vector<float>& input, size_t channels,
                                          size_t pixels) {
  std::vector<const float*> ind(pixels * kPoolTaps);
  for (size_t p = 0; p < pixels; p++)
    for (size_t t = 0; t < kPoolTaps; t++)
      ind[p * kPoolTaps + t] = input.data() + (p + t) * channels;
  return ind;
}

double PoolBytes(const PoolSize& s) {
  return sizeof(float) * static_cast<double>(s.pixels * s.channels * (kPoolTaps + 1));
}

// Max pooling, or argmax pooling (Fn its kernel type) with one index per tap, as the operator
// builds them, and the index output: the bytes counted are max pooling's for both.
template <typename Fn>
void BenchMaxPool(benchmark::State& state, Fn fn, PoolSize s) {
  const std::vector<float> input = Values((s.pixels + kPoolTaps) * s.channels);
  std::vector<const float*> ind = PoolIndirection(input, s.channels, s.pixels);
  std::vector<float> out(s.pixels * s.channels);
  std::vector<uint32_t> taps(ind.size()), index(out.size());
  for (size_t i = 0; i < taps.size(); i++) taps[i] = static_cast<uint32_t>(i);
  for (auto _ : state) {
    if constexpr (std::is_same_v<Fn, pnn_f32_argmaxpool_ukernel_fn>) {
      fn(s.pixels, kPoolTaps, s.channels, ind.data(), 0, kPoolTaps, taps.data(), out.data(),
         index.data(), s.channels, &kNoClamp);
    } else {
      fn(s.pixels, kPoolTaps, s.channels, ind.data(), 0, kPoolTaps, out.data(), s.channels,
         &kNoClamp);
    }
    benchmark::ClobberMemory();
  }
  SetBytes(state, PoolBytes(s));
}

void BenchAvgPool(benchmark::State& state, pnn_f32_avgpool_ukernel_fn fn, size_t ct, PoolSize s) {
  const std::vector<float> input = Values((s.pixels + kPoolTaps) * s.channels);
  std::vector<const float*> ind = PoolIndirection(input, s.channels, s.pixels);
  const std::vector<float> zero((s.channels + ct - 1) / ct * ct, 0.0f);
  const std::vector<float> multiplier(s.pixels, 1.0f / kPoolTaps);
  std::vector<float> out(s.pixels * s.channels);
  for (auto _ : state) {
    fn(s.pixels, kPoolTaps, s.channels, ind.data(), 0, kPoolTaps, zero.data(), multiplier.data(),
       out.data(), s.channels, &kNoClamp);
    benchmark::ClobberMemory();
  }
  SetBytes(state, PoolBytes(s));
}

void BenchGAvgPool(benchmark::State& state, pnn_f32_gavgpool_ukernel_fn fn, size_t rows,
                   size_t channels) {
  const std::vector<float> x = Values(rows * channels);
  std::vector<float> y(channels);
  const pnn_f32_gavgpool_params params{1.0f / static_cast<float>(rows), -INFINITY, INFINITY};
  for (auto _ : state) {
    fn(rows, channels, x.data(), channels, y.data(), &params);
    benchmark::ClobberMemory();
  }
  SetBytes(state, sizeof(float) * static_cast<double>((rows + 1) * channels));
}

std::string PoolSizeName(const PoolSize& s) {
  return "channels:" + std::to_string(s.channels) + "/pixels:" + std::to_string(s.pixels) +
         "/ks:" + std::to_string(kPoolTaps);
}

// One pooling registry line over kPoolSizes: bench(state, size) runs it.
template <typename Bench>
void RegisterPoolSizes(const char* family, uint32_t arch, const char* kernel, bool selected,
                       Bench bench) {
  SkipReport(arch, kernel);
  for (const PoolSize& s : kPoolSizes) {
    Register(family, arch, kernel, PoolSizeName(s), selected,
             [s, bench](benchmark::State& st) { bench(st, s); });
  }
}

void RegisterPooling() {
#define PNN_MAXPOOL(arch, ukernel, channel_tile)                                             \
  RegisterPoolSizes("f32-maxpool", arch, #ukernel, pnn::get_maxpool_config()->fn == ukernel, \
                    [](benchmark::State& st, PoolSize s) { BenchMaxPool(st, ukernel, s); });
#include "f32-maxpool.inc"
#undef PNN_MAXPOOL
#define PNN_ARGMAXPOOL(arch, ukernel, channel_tile)                                                \
  RegisterPoolSizes("f32-argmaxpool", arch, #ukernel, pnn::get_argmaxpool_config()->fn == ukernel, \
                    [](benchmark::State& st, PoolSize s) { BenchMaxPool(st, ukernel, s); });
#include "f32-argmaxpool.inc"
#undef PNN_ARGMAXPOOL
#define PNN_AVGPOOL(arch, ukernel, channel_tile)                               \
  RegisterPoolSizes(                                                           \
      "f32-avgpool", arch, #ukernel, pnn::get_avgpool_config()->fn == ukernel, \
      [](benchmark::State& st, PoolSize s) { BenchAvgPool(st, ukernel, channel_tile, s); });
#include "f32-avgpool.inc"
#undef PNN_AVGPOOL
#define PNN_GAVGPOOL(arch, ukernel, channel_tile)                                               \
  SkipReport(arch, #ukernel);                                                                   \
  for (size_t rows : {size_t{49}, size_t{196}})                                                 \
    Register("f32-gavgpool", arch, #ukernel, "rows:" + std::to_string(rows) + "/channels:1024", \
             pnn::get_gavgpool_config()->fn == ukernel,                                         \
             [rows](benchmark::State& st) { BenchGAvgPool(st, ukernel, rows, 1024); });
#include "f32-gavgpool.inc"
#undef PNN_GAVGPOOL
}

// ---------------------------------------------------------------------------------------------
// Elementwise families: n floats (L1, L2 and beyond-L2 sizes).

constexpr size_t kElementwiseSizes[] = {1024, 16384, 1 << 20};

void BenchVBinary(benchmark::State& state, pnn_f32_vbinary_ukernel_fn fn, pnn_vbinary_form form,
                  size_t n) {
  const std::vector<float> a = Values(n), b = Values(form == pnn_vbinary_vop ? n : 1, 0.5f);
  std::vector<float> y(n);
  for (auto _ : state) {
    fn(n, a.data(), b.data(), y.data(), &kNoClamp);
    benchmark::ClobberMemory();
  }
  SetBytes(state, sizeof(float) * static_cast<double>(n * (form == pnn_vbinary_vop ? 3 : 2)));
}

void BenchVUnary(benchmark::State& state, pnn_f32_vunary_ukernel_fn fn, size_t n) {
  const std::vector<float> x = Values(n, 4.0f);
  std::vector<float> y(n);
  const pnn_f32_unary_params params{-1.0f, 1.0f, 0.01f, 1.0f};
  for (auto _ : state) {
    fn(n, x.data(), y.data(), &params);
    benchmark::ClobberMemory();
  }
  SetBytes(state, sizeof(float) * static_cast<double>(2 * n));
}

void RegisterElementwise() {
#define PNN_VBINARY(arch, binary_op, form, ukernel, tile)                              \
  SkipReport(arch, #ukernel);                                                          \
  for (size_t n : kElementwiseSizes) {                                                 \
    const pnn::VBinaryConfig* c = pnn::get_vbinary_config(binary_op);                  \
    const pnn::VBinaryKernel& k = (form) == pnn_vbinary_vop    ? c->op                 \
                                  : (form) == pnn_vbinary_vopc ? c->opc                \
                                                               : c->ropc;              \
    Register("f32-vbinary", arch, #ukernel, "n:" + std::to_string(n), k.fn == ukernel, \
             [n](benchmark::State& st) { BenchVBinary(st, ukernel, form, n); });       \
  }
#include "f32-vbinary.inc"
#undef PNN_VBINARY
#define PNN_VUNARY(arch, op, ukernel, tile)                          \
  SkipReport(arch, #ukernel);                                        \
  for (size_t n : kElementwiseSizes)                                 \
    Register("f32-vunary", arch, #ukernel, "n:" + std::to_string(n), \
             pnn::get_unary_config(op)->fn == ukernel,               \
             [n](benchmark::State& st) { BenchVUnary(st, ukernel, n); });
#include "f32-vunary.inc"
#undef PNN_VUNARY
}

// ---------------------------------------------------------------------------------------------
// Softmax's three passes over a row of n floats.

void BenchRmax(benchmark::State& state, pnn_f32_rmax_ukernel_fn fn, size_t n) {
  const std::vector<float> x = Values(n);
  float max = 0.0f;
  for (auto _ : state) {
    fn(n, x.data(), &max);
    benchmark::DoNotOptimize(max);
  }
  SetBytes(state, sizeof(float) * static_cast<double>(n));
}

void BenchRaddstoreexpminusmax(benchmark::State& state, pnn_f32_raddstoreexpminusmax_ukernel_fn fn,
                               size_t n) {
  const std::vector<float> x = Values(n, 10.0f);
  std::vector<float> y(n);
  float sum = 0.0f;
  for (auto _ : state) {
    fn(n, x.data(), 10.0f, y.data(), &sum);
    benchmark::DoNotOptimize(sum);
  }
  SetBytes(state, sizeof(float) * static_cast<double>(2 * n));
}

void BenchVscale(benchmark::State& state, pnn_f32_vscale_ukernel_fn fn, size_t n) {
  const std::vector<float> x = Values(n);
  std::vector<float> y(n);
  for (auto _ : state) {
    fn(n, x.data(), 0.5f, y.data());
    benchmark::ClobberMemory();
  }
  SetBytes(state, sizeof(float) * static_cast<double>(2 * n));
}

// One softmax line on each row length: bench(state, fn, n).
template <typename Fn>
void RegisterRow(const char* family, uint32_t arch, Fn fn, const char* kernel, bool selected,
                 void (*bench)(benchmark::State&, Fn, size_t)) {
  SkipReport(arch, kernel);
  for (size_t n : {size_t{1000}, size_t{16384}})
    Register(family, arch, kernel, "n:" + std::to_string(n), selected,
             [bench, fn, n](benchmark::State& st) { bench(st, fn, n); });
}

void RegisterSoftmax() {
  const pnn::SoftmaxConfig* c = pnn::get_softmax_config();
#define PNN_RMAX(arch, ukernel, tile) \
  RegisterRow("f32-rmax", arch, ukernel, #ukernel, c->rmax == ukernel, BenchRmax);
#define PNN_RADDSTOREEXPMINUSMAX(arch, ukernel, tile)              \
  RegisterRow("f32-raddstoreexpminusmax", arch, ukernel, #ukernel, \
              c->raddstoreexpminusmax == ukernel, BenchRaddstoreexpminusmax);
#define PNN_VSCALE(arch, ukernel, tile) \
  RegisterRow("f32-vscale", arch, ukernel, #ukernel, c->vscale == ukernel, BenchVscale);
#include "f32-softmax.inc"
#undef PNN_RMAX
#undef PNN_RADDSTOREEXPMINUSMAX
#undef PNN_VSCALE
}

}  // namespace

int main(int argc, char** argv) {
  // The configs (which kernel is "selected") need the library initialized; PORTNN_ISA applies.
  if (pnn_initialize() != pnn_status_success) {
    std::fprintf(stderr, "portnn-kernel-bench: pnn_initialize failed: %s\n",
                 pnn_last_error_message());
    return 1;
  }
  std::fprintf(stderr,
               "portnn-kernel-bench: level %s selected; every line this CPU runs is "
               "registered\n",
               pnn_isa_name());
  RegisterGemm();
  RegisterWinograd();
  RegisterDwconv();
  RegisterPooling();
  RegisterElementwise();
  RegisterSoftmax();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
