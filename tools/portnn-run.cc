// portnn-run: load an ONNX model with portnn, run it, time it, profile it.
//
//   portnn-run model.onnx [--input NAME=random|FILE.npy] [--shape NAME=1x3x224x224]
//              [--threads N] [--iterations N] [--warmup N] [--seed S] [--profile] [--no-fusion]
//              [--save-outputs DIR] [--reference NAME=FILE.npy] [--tolerance T] [--json FILE]
//
// Prints the load time, the graph's inputs and outputs, a summary of each output (shape, min, max,
// mean, first values), the median run time over --iterations runs (a progress line on stderr),
// and with --profile the per-node table (operator, kernel, time, share of the run). --reference
// compares an output with a file (for example the outputs of ONNX Runtime that
// bench/models/reference.mjs writes): max |difference| / max |reference|, which must be at most
// --tolerance (default 1e-4) for the exit status to be 0. --json writes one record in the
// benchmark's format (bench/js/results.mjs) to FILE: load and first-run times, the median,
// peak resident memory before and after, the worst reference check ("disagreement", as in
// bench/model.cc's records and bench/zoo.py; null without --reference).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <sys/resource.h>

#include "npy.h"
#include "portnn-onnx.h"

namespace {

namespace npy = pnn::npy;

using Clock = std::chrono::steady_clock;

[[noreturn]] void usage(const char* why) {
  std::fprintf(stderr,
               "portnn-run: %s\n"
               "usage: portnn-run model.onnx [--input NAME=random|FILE.npy] "
               "[--shape NAME=1x3x224x224]\n"
               "       [--threads N] [--iterations N] [--warmup N] [--seed S] [--profile] [--no-fusion]\n"
               "       [--save-outputs DIR] [--reference NAME=FILE.npy] [--tolerance T] [--json FILE]\n",
               why);
  std::exit(2);
}

[[noreturn]] void die(const char* what) {
  // The library's reason starts with the failing call's name; `what` says which step it was.
  std::fprintf(stderr, "portnn-run: %s failed: %s\n", what, pnn_last_error_message());
  std::exit(1);
}

// Peak resident set of this process so far, in bytes.
size_t peak_rss_bytes() {
  struct rusage u;
  getrusage(RUSAGE_SELF, &u);
  return static_cast<size_t>(u.ru_maxrss) * 1024;
}

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

std::string shape_string(const size_t* dims, size_t n) {
  std::string s = "[";
  for (size_t i = 0; i < n; i++) s += (i ? "x" : "") + std::to_string(dims[i]);
  return s + "]";
}

// NAME=VALUE
std::pair<std::string, std::string> split_eq(const std::string& arg, const char* option) {
  const size_t eq = arg.find('=');
  if (eq == std::string::npos || eq == 0) usage((std::string(option) + " needs NAME=VALUE").c_str());
  return {arg.substr(0, eq), arg.substr(eq + 1)};
}

}  // namespace

int main(int argc, char** argv) {
  std::string model_path, save_dir, json_path;
  std::map<std::string, std::string> inputs, references;
  std::map<std::string, std::vector<size_t>> shapes;
  size_t threads = 1, iterations = 10, warmup = 2;
  uint64_t seed = 1;
  bool profile = false, no_fusion = false;
  double tolerance = 1e-4;
  for (int i = 1; i < argc; i++) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) usage((a + " needs a value").c_str());
      return argv[++i];
    };
    if (a == "--input") {
      inputs.insert(split_eq(value(), "--input"));
    } else if (a == "--reference") {
      references.insert(split_eq(value(), "--reference"));
    } else if (a == "--shape") {
      auto kv = split_eq(value(), "--shape");
      std::vector<size_t> dims;
      size_t pos = 0;
      while (pos <= kv.second.size()) {
        const size_t x = kv.second.find('x', pos);
        const std::string part = kv.second.substr(pos, x == std::string::npos ? std::string::npos : x - pos);
        char* end = nullptr;
        const unsigned long long d = std::strtoull(part.c_str(), &end, 10);
        if (part.empty() || *end != '\0' || d == 0) usage("--shape dims are positive integers joined by x");
        dims.push_back(static_cast<size_t>(d));
        if (x == std::string::npos) break;
        pos = x + 1;
      }
      shapes[kv.first] = dims;
    } else if (a == "--threads") {
      threads = std::strtoull(value().c_str(), nullptr, 10);
      if (threads == 0) usage("--threads must be >= 1");
    } else if (a == "--iterations") {
      iterations = std::strtoull(value().c_str(), nullptr, 10);
      if (iterations == 0) usage("--iterations must be >= 1");
    } else if (a == "--warmup") {
      warmup = std::strtoull(value().c_str(), nullptr, 10);
    } else if (a == "--seed") {
      seed = std::strtoull(value().c_str(), nullptr, 10);
    } else if (a == "--tolerance") {
      tolerance = std::strtod(value().c_str(), nullptr);
    } else if (a == "--no-fusion") {
      no_fusion = true;
    } else if (a == "--profile") {
      profile = true;
    } else if (a == "--json") {
      json_path = value();
    } else if (a == "--save-outputs") {
      save_dir = value();
    } else if (a == "--help" || a == "-h") {
      usage("run an ONNX model with portnn");
    } else if (!a.empty() && a[0] == '-') {
      usage(("unknown option " + a).c_str());
    } else if (model_path.empty()) {
      model_path = a;
    } else {
      usage("one model at a time");
    }
  }
  if (model_path.empty()) usage("no model given");

  std::ifstream file(model_path, std::ios::binary);
  if (!file) {
    std::fprintf(stderr, "portnn-run: cannot read %s\n", model_path.c_str());
    return 1;
  }
  const std::vector<char> bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  if (pnn_initialize() != pnn_status_success) die("initialization");

  // Input shapes: --shape, else the shape of an --input file, else the model's.
  std::map<std::string, npy::Array> input_arrays;
  for (const auto& kv : inputs) {
    if (kv.second == "random") continue;
    npy::Array array;
    std::string error;
    if (!npy::ReadFile(kv.second, &array, &error)) {
      std::fprintf(stderr, "portnn-run: %s\n", error.c_str());
      return 1;
    }
    if (array.dtype != npy::DType::kFloat32) {
      std::fprintf(stderr, "portnn-run: %s: int64 data; graph inputs are float32\n",
                   kv.second.c_str());
      return 1;
    }
    if (shapes.count(kv.first) == 0) shapes[kv.first] = array.shape;
    input_arrays[kv.first] = std::move(array);
  }
  std::vector<pnn_onnx_input_shape> given;
  for (const auto& kv : shapes) given.push_back({kv.first.c_str(), kv.second.size(), kv.second.data()});

  const size_t base_rss = peak_rss_bytes();
  const auto t_load = Clock::now();
  pnn_onnx_model_t model = nullptr;
  if (pnn_load_onnx(bytes.data(), bytes.size(), given.size(), given.data(), 0, &model) != pnn_status_success) {
    die("load");
  }
  const double load_ms = ms_since(t_load);
  pnn_graph_t graph = nullptr;
  pnn_onnx_model_graph(model, &graph);
  pnn_threadpool_t pool = nullptr;
  if (threads > 1 && pnn_threadpool_create(threads, &pool) != pnn_status_success) die("threadpool");
  const auto t_create = Clock::now();
  pnn_runtime_t runtime = nullptr;
  const uint32_t runtime_flags =
      (profile ? PNN_RUNTIME_FLAG_PROFILE : 0) | (no_fusion ? PNN_RUNTIME_FLAG_NO_FUSION : 0);
  if (pnn_create_runtime(graph, runtime_flags, &runtime) != pnn_status_success) {
    die("create runtime");
  }
  const double create_ms = ms_since(t_create);
  std::printf("model      %s (%zu bytes)\n", model_path.c_str(), bytes.size());
  std::printf("load       %.1f ms (decode, import), runtime creation %.1f ms (packing, planning)\n",
              load_ms, create_ms);
  size_t arena = 0, packed = 0;
  pnn_get_runtime_memory(runtime, &arena, &packed);
  std::printf("memory     arena %.2f MB, packed weights %.2f MB\n", arena / 1e6, packed / 1e6);

  size_t num_inputs = 0, num_outputs = 0;
  pnn_onnx_model_input_count(model, &num_inputs);
  pnn_onnx_model_output_count(model, &num_outputs);
  std::vector<std::vector<float>> buffers;
  std::vector<pnn_external_value> bindings;
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
  for (size_t i = 0; i < num_inputs; i++) {
    pnn_onnx_tensor_info info;
    pnn_onnx_model_input_info(model, i, &info);
    size_t count = 1;
    for (size_t d = 0; d < info.num_dims; d++) count *= info.dims[d];
    std::vector<float> data(count);
    auto it = input_arrays.find(info.name);
    if (it != input_arrays.end()) {
      if (it->second.f32.size() != count) {
        std::fprintf(stderr, "portnn-run: input %s: the file holds %zu values, the input %zu\n",
                     info.name, it->second.f32.size(), count);
        return 1;
      }
      data = it->second.f32;
    } else {
      for (float& v : data) v = uniform(rng);
    }
    std::printf("input      %s %s (%s)\n", info.name, shape_string(info.dims, info.num_dims).c_str(),
                it != input_arrays.end() ? inputs[info.name].c_str() : "random uniform [-1, 1)");
    buffers.push_back(std::move(data));
    bindings.push_back({info.value_id, buffers.back().data()});
  }
  std::vector<pnn_onnx_tensor_info> out_info(num_outputs);
  for (size_t i = 0; i < num_outputs; i++) {
    pnn_onnx_model_output_info(model, i, &out_info[i]);
    size_t count = 1;
    for (size_t d = 0; d < out_info[i].num_dims; d++) count *= out_info[i].dims[d];
    buffers.emplace_back(count);
    bindings.push_back({out_info[i].value_id, buffers.back().data()});
  }
  // Bindings point into `buffers`; rebuild them now that it no longer grows.
  for (size_t i = 0; i < bindings.size(); i++) bindings[i].data = buffers[i].data();
  if (pnn_setup_runtime(runtime, bindings.size(), bindings.data()) != pnn_status_success) die("setup");

  const auto t_first = Clock::now();
  if (pnn_invoke_runtime(runtime, pool) != pnn_status_success) die("invoke");
  const double first_run_ms = ms_since(t_first);
  for (size_t w = 1; w < warmup; w++) {
    if (pnn_invoke_runtime(runtime, pool) != pnn_status_success) die("invoke");
  }
  std::vector<double> times;
  std::vector<uint64_t> node_ns;
  for (size_t it = 0; it < iterations; it++) {
    const auto t0 = Clock::now();
    if (pnn_invoke_runtime(runtime, pool) != pnn_status_success) die("invoke");
    times.push_back(ms_since(t0));
    if (profile) {
      uint32_t count = 0;
      pnn_get_runtime_node_count(runtime, &count);
      node_ns.resize(count);
      for (uint32_t k = 0; k < count; k++) {
        pnn_node_info info;
        pnn_get_runtime_node_info(runtime, k, &info);
        node_ns[k] += info.time_ns;
      }
    }
    std::fprintf(stderr, "\rrun %zu/%zu: %.2f ms", it + 1, iterations, times.back());
  }
  std::fprintf(stderr, "\r%40s\r", "");
  std::vector<double> sorted = times;
  std::sort(sorted.begin(), sorted.end());
  std::printf("run        median %.3f ms, min %.3f ms over %zu runs, %zu thread%s, kernels %s\n",
              sorted[sorted.size() / 2], sorted.front(), iterations, threads, threads == 1 ? "" : "s",
              pnn_isa_name());

  int status = 0;
  double worst_check = -1;  // none
  for (size_t i = 0; i < num_outputs; i++) {
    const std::vector<float>& out = buffers[num_inputs + i];
    double mn = INFINITY, mx = -INFINITY, sum = 0;
    for (float v : out) {
      mn = std::min<double>(mn, v);
      mx = std::max<double>(mx, v);
      sum += v;
    }
    std::printf("output     %s %s min %.6g max %.6g mean %.6g first", out_info[i].name,
                shape_string(out_info[i].dims, out_info[i].num_dims).c_str(), mn, mx,
                sum / static_cast<double>(out.size()));
    for (size_t k = 0; k < std::min<size_t>(5, out.size()); k++) std::printf(" %.6g", out[k]);
    std::printf("\n");
    if (!save_dir.empty()) {
      const std::string path = save_dir + "/" + out_info[i].name + ".npy";
      npy::Array array;
      array.shape.assign(out_info[i].dims, out_info[i].dims + out_info[i].num_dims);
      array.f32 = out;
      std::string error;
      if (!npy::WriteFile(path, array, &error)) {
        std::fprintf(stderr, "portnn-run: %s\n", error.c_str());
        status = 1;
      }
    }
    auto ref = references.find(out_info[i].name);
    if (ref != references.end()) {
      npy::Array expected;
      std::string error;
      if (!npy::ReadFile(ref->second, &expected, &error) || expected.f32.size() != out.size()) {
        std::fprintf(stderr, "portnn-run: reference %s: %s\n", ref->second.c_str(),
                     error.empty() ? "not as many float32 values as the output" : error.c_str());
        status = 1;
        continue;
      }
      double max_diff = 0, max_ref = 0;
      for (size_t k = 0; k < out.size(); k++) {
        max_diff = std::max(max_diff, std::fabs(double{out[k]} - expected.f32[k]));
        max_ref = std::max(max_ref, std::fabs(double{expected.f32[k]}));
      }
      const double rel = max_ref > 0 ? max_diff / max_ref : max_diff;
      const bool ok = rel <= tolerance;
      worst_check = std::max(worst_check, rel);
      std::printf("check      %s vs %s: max |diff| %.3g, / max |ref| = %.3g (tolerance %.1g) %s\n",
                  out_info[i].name, ref->second.c_str(), max_diff, rel, tolerance,
                  ok ? "OK" : "MISMATCH");
      if (!ok) status = 1;
    }
  }
  if (profile) {
    uint32_t count = 0;
    pnn_get_runtime_node_count(runtime, &count);
    uint64_t total = 0;
    for (uint64_t v : node_ns) total += v;
    std::vector<uint32_t> order;
    for (uint32_t k = 0; k < count; k++) order.push_back(k);
    std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return node_ns[a] > node_ns[b]; });
    std::printf("\n%-40s %-20s %-44s %10s %6s\n", "node", "operator", "kernel", "time (us)", "share");
    for (uint32_t k : order) {
      pnn_node_info info;
      pnn_get_runtime_node_info(runtime, k, &info);
      if (info.fused_into >= 0) continue;
      const double us = node_ns[k] / 1e3 / static_cast<double>(iterations);
      std::printf("%-40.40s %-20.20s %-44.44s %10.1f %5.1f%%\n", info.name, info.operator_name,
                  info.kernel_name, us, total ? 100.0 * node_ns[k] / total : 0.0);
    }
  }
  if (!json_path.empty()) {
    std::string stem = model_path.substr(model_path.find_last_of('/') + 1);
    if (stem.size() > 5 && stem.compare(stem.size() - 5, 5, ".onnx") == 0) stem.resize(stem.size() - 5);
    FILE* f = std::fopen(json_path.c_str(), "w");
    if (f == nullptr) {
      std::fprintf(stderr, "portnn-run: cannot write %s\n", json_path.c_str());
      status = 1;
    } else {
      char check[32] = "null";
      if (worst_check >= 0) std::snprintf(check, sizeof check, "%.3g", worst_check);
      std::fprintf(f,
                   "{\"target\": \"native\", \"impl\": \"portnn\", \"variant\": \"%s\", "
                   "\"threads\": %zu, \"shape\": \"models/%s\", \"section\": \"models\", "
                   "\"median_us\": %.1f, \"gflops\": null, \"load_ms\": %.2f, "
                   "\"create_ms\": %.2f, \"first_run_ms\": %.3f, \"runs\": %zu, \"disagreement\": %s, "
                   "\"peak_rss_bytes\": %zu, \"base_rss_bytes\": %zu, \"arena_bytes\": %zu, "
                   "\"packed_weight_bytes\": %zu}\n",
                   pnn_isa_name(), threads, stem.c_str(), sorted[sorted.size() / 2] * 1e3,
                   load_ms + create_ms, create_ms, first_run_ms, iterations, check,
                   peak_rss_bytes(), base_rss, arena, packed);
      std::fclose(f);
    }
  }
  pnn_delete_runtime(runtime);
  pnn_delete_onnx_model(model);
  if (pool != nullptr) pnn_threadpool_destroy(pool);
  return status;
}
