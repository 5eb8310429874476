// portnn-data-bench: the data-movement operators (transpose, depth-to-space, pad, concatenate,
// slice) on shapes from public models, each next to a plain copy of the same bytes in the same
// run, through the public API, 1 thread. Rates are bytes_per_second = (bytes read + bytes
// written) / CPU second; a `copy/<shape>` line copies as many elements as the operator writes
// (the transpose operator with the identity permutation: the x32 copy kernel), so an operator's
// rate over its copy line's is the "fraction of copy bandwidth" of issue 12. Run:
//   build/<dir>/bench/portnn-data-bench --benchmark_repetitions=3
//     (add --benchmark_report_aggregates_only=true for medians only)
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "portnn.h"

namespace {

using Dims = std::vector<size_t>;

size_t Count(const Dims& d) {
  size_t n = 1;
  for (size_t x : d) n *= x;
  return n;
}

// Times runs of `op` (set up), reports `elements` moved per run as bytes, deletes it.
void Measure(benchmark::State& state, pnn_operator_t op, size_t elements) {
  for (auto _ : state) pnn_run_operator(op, nullptr);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(elements * sizeof(float)));
  state.SetLabel(pnn_operator_kernel_name(op));
  pnn_delete_operator(op);
}

// Runs `op` (reshaped by the caller) on in -> out; bytes = elements read + written.
void RunOp(benchmark::State& state, pnn_operator_t op, size_t read, size_t written,
           const std::function<pnn_status(const float*, float*)>& setup) {
  std::vector<float> in(read, 1.0f), out(written);
  if (setup(in.data(), out.data()) != pnn_status_success) {
    state.SkipWithError(pnn_last_error_message());
    return;
  }
  Measure(state, op, read + written);
}

void Transpose(benchmark::State& state, Dims shape, Dims perm) {
  pnn_operator_t op = nullptr;
  pnn_create_transpose_nd_x32(0, &op);
  pnn_reshape_transpose_nd_x32(op, shape.size(), shape.data(), perm.data(), nullptr, nullptr);
  RunOp(state, op, Count(shape), Count(shape), [op](const float* x, float* y) {
    return pnn_setup_transpose_nd_x32(op, x, y);
  });
}

void Copy(benchmark::State& state, size_t n) { Transpose(state, {n}, {0}); }

void DepthToSpace(benchmark::State& state, Dims nhwc, uint32_t block) {
  pnn_operator_t op = nullptr;
  pnn_create_depth_to_space_nhwc_x32(block, pnn_depth_to_space_dcr, 0, &op);
  pnn_reshape_depth_to_space_nhwc_x32(op, nhwc[0], nhwc[1], nhwc[2], nhwc[3], nullptr, nullptr,
                                      nullptr, nullptr);
  RunOp(state, op, Count(nhwc), Count(nhwc), [op](const float* x, float* y) {
    return pnn_setup_depth_to_space_nhwc_x32(op, x, y);
  });
}

void Pad(benchmark::State& state, Dims shape, Dims pre, Dims post) {
  pnn_operator_t op = nullptr;
  pnn_create_pad_nd_x32(pnn_pad_constant, 0.0f, 0, &op);
  Dims out(shape.size());
  pnn_reshape_pad_nd_x32(op, shape.size(), shape.data(), pre.data(), post.data(), out.data(),
                         nullptr);
  RunOp(state, op, Count(shape), Count(out), [op](const float* x, float* y) {
    return pnn_setup_pad_nd_x32(op, x, y);
  });
}

void Slice(benchmark::State& state, Dims shape, std::vector<int64_t> begins,
           std::vector<int64_t> ends) {
  pnn_operator_t op = nullptr;
  pnn_create_slice_nd_x32(0, &op);
  Dims out(shape.size());
  pnn_reshape_slice_nd_x32(op, shape.size(), shape.data(), begins.data(), ends.data(), nullptr,
                           out.data(), nullptr);
  // Only the elements taken are read.
  std::vector<float> in(Count(shape), 1.0f), y(Count(out));
  pnn_setup_slice_nd_x32(op, in.data(), y.data());
  Measure(state, op, 2 * Count(out));
}

void Concatenate(benchmark::State& state, std::vector<Dims> shapes, size_t axis) {
  pnn_operator_t op = nullptr;
  pnn_create_concatenate_nd_x32(shapes.size(), axis, 0, &op);
  Dims flat;
  for (const Dims& s : shapes) flat.insert(flat.end(), s.begin(), s.end());
  Dims out(shapes[0].size());
  pnn_reshape_concatenate_nd_x32(op, out.size(), flat.data(), out.data(), nullptr);
  std::vector<std::vector<float>> in;
  std::vector<const void*> ptrs;
  for (const Dims& s : shapes) in.emplace_back(Count(s), 1.0f);
  for (const auto& v : in) ptrs.push_back(v.data());
  std::vector<float> y(Count(out));
  pnn_setup_concatenate_nd_x32(op, ptrs.data(), y.data());
  Measure(state, op, 2 * Count(out));
}

// One operator line and its copy line over the same output size.
void Register(const std::string& name, size_t output_elements,
              std::function<void(benchmark::State&)> fn) {
  benchmark::RegisterBenchmark(("op/" + name).c_str(), fn);
  benchmark::RegisterBenchmark(("copy/" + name).c_str(),
                               [output_elements](benchmark::State& s) { Copy(s, output_elements); });
}

}  // namespace

int main(int argc, char** argv) {
  if (pnn_initialize() != pnn_status_success) {
    std::fprintf(stderr, "pnn_initialize: %s\n", pnn_last_error_message());
    return 1;
  }
  std::printf("portnn-data-bench: level %s, 1 thread\n", pnn_isa_name());
  Register("transpose/shufflenet-nhwc/1x784x2x58:0132", 784 * 116,
           [](benchmark::State& s) { Transpose(s, {1, 784, 2, 58}, {0, 1, 3, 2}); });
  Register("transpose/shufflenet-nchw/1x2x58x784:02134", 784 * 116,
           [](benchmark::State& s) { Transpose(s, {1, 2, 58, 784}, {0, 2, 1, 3}); });
  Register("transpose/vit-heads/197x12x64:102", 197 * 768,
           [](benchmark::State& s) { Transpose(s, {197, 12, 64}, {1, 0, 2}); });
  Register("transpose/2d/1024x1024:10", 1024 * 1024,
           [](benchmark::State& s) { Transpose(s, {1024, 1024}, {1, 0}); });
  Register("transpose/nchw-to-nhwc/1x64x56x56:0231", 64 * 56 * 56,
           [](benchmark::State& s) { Transpose(s, {1, 64, 56, 56}, {0, 2, 3, 1}); });
  Register("depth-to-space/1x56x56x64:b2", 56 * 56 * 64,
           [](benchmark::State& s) { DepthToSpace(s, {1, 56, 56, 64}, 2); });
  Register("pad/densenet/1x56x56x64:hw+1", 58 * 58 * 64,
           [](benchmark::State& s) { Pad(s, {1, 56, 56, 64}, {0, 1, 1, 0}, {0, 1, 1, 0}); });
  Register("concatenate/densenet/1x28x28x128+32:c", 28 * 28 * 160, [](benchmark::State& s) {
    Concatenate(s, {{1, 28, 28, 128}, {1, 28, 28, 32}}, 3);
  });
  Register("slice/shufflenet/1x28x28x116:c58", 28 * 28 * 58, [](benchmark::State& s) {
    Slice(s, {1, 28, 28, 116}, {0, 0, 0, 58}, {1, 28, 28, 116});
  });
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
