// portnn-bench: every shape of bench/suite.json as a Google Benchmark, for portnn and (when it
// was found at configure time) for XNNPACK, in the same process on the same data.
//
// Benchmarks are named <section>/<shape>/<impl> (plus Google Benchmark's "/real_time" suffix).
// Own flags (the rest go to Google Benchmark):
//   --suite PATH    suite file (default: $PORTNN_BENCH_SUITE, else the source tree's suite.json)
//   --threads N     threads for both libraries (default 1: no pool at all)
// Defaults added unless given: --benchmark_repetitions=5 --benchmark_display_aggregates_only=true
// --benchmark_min_time=0.1 (seconds; the whole suite, both libraries, takes ~1-2 minutes).
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "bench.h"
#include "portnn.h"

#ifndef PORTNN_BENCH_DEFAULT_SUITE
#define PORTNN_BENCH_DEFAULT_SUITE "bench/suite.json"
#endif

namespace pnnbench {
namespace {

enum class Impl { kPortnn, kXnnpack };

size_t g_threads = 1;

// The instance of the benchmark that runs now. Google Benchmark calls a benchmark's function once
// per repetition (and while it sizes the iteration count); keeping the instance across those
// calls creates and packs each operator once, and dropping it when the next benchmark starts
// keeps memory bounded.
struct Current {
  std::string key;
  std::unique_ptr<Instance> instance;
  std::string error;  // why the instance could not be created
};
Current g_current;

Instance* Acquire(const Shape& shape, Impl impl, const std::string& key) {
  if (g_current.key == key) return g_current.instance.get();
  g_current.instance.reset();  // free the previous shape's buffers first
  g_current.key = key;
  g_current.error.clear();
  std::unique_ptr<Instance> instance;
  try {
    if (impl == Impl::kPortnn) {
      instance = CreatePortnnInstance(shape, &g_current.error);
    } else {
#if defined(PORTNN_BENCH_HAVE_XNNPACK)
      instance = CreateXnnpackInstance(shape, &g_current.error);
#endif
    }
  } catch (const std::bad_alloc&) {
    g_current.error = "out of memory while preparing the shape";
  }
  // One untimed run: faults in the operator's workspaces and checks that it runs at all.
  if (instance != nullptr && !instance->Run()) {
    g_current.error = instance->error();
    instance.reset();
  }
  g_current.instance = std::move(instance);
  return g_current.instance.get();
}

void RunShape(benchmark::State& state, const Shape* shape, Impl impl, const std::string& key) {
  Instance* instance = Acquire(*shape, impl, key);
  if (instance == nullptr) {
    state.SkipWithError(g_current.error.c_str());
    return;
  }
  for (auto _ : state) {
    if (!instance->Run()) {
      state.SkipWithError(instance->error().c_str());
      break;
    }
  }
  state.SetLabel(instance->variant());
  state.counters["FLOPS"] =
      benchmark::Counter(shape->flops * static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate);
  if (shape->bytes > 0) {
    state.SetBytesProcessed(static_cast<int64_t>(shape->bytes) * state.iterations());
  }
  state.counters["num_threads"] = static_cast<double>(g_threads);
}

void Register(const Shape& shape, Impl impl) {
  const std::string name = std::string(SectionName(shape.section)) + "/" + shape.name + "/" +
                           (impl == Impl::kPortnn ? "portnn" : "xnnpack");
  benchmark::RegisterBenchmark(name.c_str(),
                               [&shape, impl, name](benchmark::State& state) {
                                 RunShape(state, &shape, impl, name);
                               })
      ->Unit(benchmark::kMicrosecond)
      // Wall time: with a pool the work runs on other threads than the timing one.
      ->UseRealTime();
}

bool TakeFlag(const char* flag, int* i, int argc, char** argv, std::string* value) {
  const size_t len = std::strlen(flag);
  if (std::strncmp(argv[*i], flag, len) != 0) return false;
  if (argv[*i][len] == '=') {
    *value = argv[*i] + len + 1;
    return true;
  }
  if (argv[*i][len] == '\0' && *i + 1 < argc) {
    *value = argv[++*i];
    return true;
  }
  return false;
}

bool HasFlag(const std::vector<char*>& args, const char* prefix) {
  for (const char* a : args) {
    if (std::strncmp(a, prefix, std::strlen(prefix)) == 0) return true;
  }
  return false;
}

void PrintUsage() {
  std::printf(
      "portnn-bench: portnn vs XNNPACK on the shapes of a suite file.\n"
      "  --suite PATH   suite JSON (default: $PORTNN_BENCH_SUITE, else %s)\n"
      "  --threads N    threads for both libraries (default 1)\n"
      "Google Benchmark flags follow; defaults added unless given: --benchmark_repetitions=5\n"
      "  --benchmark_display_aggregates_only=true --benchmark_min_time=0.1\n\n",
      PORTNN_BENCH_DEFAULT_SUITE);
}

int Main(int argc, char** argv) {
  // Results stream line by line to a driver reading a pipe (bench/report.py shows progress).
  std::cout.setf(std::ios::unitbuf);
  std::string suite_path;
  if (const char* env = std::getenv("PORTNN_BENCH_SUITE")) suite_path = env;
  if (suite_path.empty()) suite_path = PORTNN_BENCH_DEFAULT_SUITE;

  std::vector<char*> args = {argv[0]};
  for (int i = 1; i < argc; i++) {
    std::string value;
    if (TakeFlag("--suite", &i, argc, argv, &value)) {
      suite_path = value;
    } else if (TakeFlag("--threads", &i, argc, argv, &value)) {
      char* end = nullptr;
      const long n = std::strtol(value.c_str(), &end, 10);
      if (end == value.c_str() || *end != '\0' || n < 1 || n > 1024) {
        std::fprintf(stderr, "portnn-bench: --threads needs a count from 1 to 1024, got '%s'\n",
                     value.c_str());
        return 2;
      }
      g_threads = static_cast<size_t>(n);
    } else if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0) {
      PrintUsage();
      args.push_back(argv[i]);
    } else {
      args.push_back(argv[i]);
    }
  }
  // Defaults sized for a 2-core machine: ~26 shapes x 2 libraries x 5 repetitions.
  static char kReps[] = "--benchmark_repetitions=5";
  static char kAggr[] = "--benchmark_display_aggregates_only=true";
  static char kMinTime[] = "--benchmark_min_time=0.1";
  if (!HasFlag(args, "--benchmark_repetitions")) args.push_back(kReps);
  if (!HasFlag(args, "--benchmark_display_aggregates_only") &&
      !HasFlag(args, "--benchmark_report_aggregates_only")) {
    args.push_back(kAggr);
  }
  if (!HasFlag(args, "--benchmark_min_time")) args.push_back(kMinTime);
  int bench_argc = static_cast<int>(args.size());
  args.push_back(nullptr);
  benchmark::Initialize(&bench_argc, args.data());
  if (benchmark::ReportUnrecognizedArguments(bench_argc, args.data())) return 2;

  // Shapes live until exit: the registered benchmarks refer to them.
  static std::vector<Shape> shapes;
  std::string error;
  if (!LoadSuite(suite_path, &shapes, &error)) {
    std::fprintf(stderr, "portnn-bench: %s\n", error.c_str());
    return 1;
  }
  if (!InitializePortnn(g_threads, &error)) {
    std::fprintf(stderr, "portnn-bench: %s\n", error.c_str());
    return 1;
  }
  benchmark::AddCustomContext("suite", suite_path);
  benchmark::AddCustomContext("threads", std::to_string(g_threads));
  benchmark::AddCustomContext("portnn_version", pnn_version_string());
  benchmark::AddCustomContext("portnn_isa", pnn_isa_name());

  bool xnnpack = false;
#if defined(PORTNN_BENCH_HAVE_XNNPACK)
  if (InitializeXnnpack(g_threads, &error)) {
    xnnpack = true;
    benchmark::AddCustomContext("xnnpack", "yes");
  } else {
    std::fprintf(stderr, "portnn-bench: note: XNNPACK unusable, portnn only: %s\n",
                 error.c_str());
    benchmark::AddCustomContext("xnnpack", "unusable: " + error);
  }
#else
  std::fprintf(stderr, "portnn-bench: note: built without XNNPACK, portnn only\n");
  benchmark::AddCustomContext("xnnpack", "not built");
#endif

  std::string skipped;
  for (const Shape& shape : shapes) {
    Register(shape, Impl::kPortnn);
    if (!xnnpack) continue;
#if defined(PORTNN_BENCH_HAVE_XNNPACK)
    if (const char* reason = XnnpackUnsupportedReason(shape)) {
      std::fprintf(stderr, "portnn-bench: note: no XNNPACK benchmark for %s: %s\n",
                   shape.name.c_str(), reason);
      skipped += (skipped.empty() ? "" : "; ") + shape.name + ": " + reason;
      continue;
    }
    Register(shape, Impl::kXnnpack);
#endif
  }
  if (!skipped.empty()) benchmark::AddCustomContext("xnnpack_skipped", skipped);

  benchmark::RunSpecifiedBenchmarks();
  g_current.instance.reset();
  benchmark::Shutdown();
  return 0;
}

}  // namespace
}  // namespace pnnbench

int main(int argc, char** argv) { return pnnbench::Main(argc, argv); }
