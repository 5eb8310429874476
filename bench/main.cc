// portnn-bench: every shape of bench/suite.json as a Google Benchmark, for portnn and (when it
// was found at configure time) for XNNPACK, in the same process on the same data.
//
// Benchmarks are named <section>/<shape>/<impl> (plus Google Benchmark's "/real_time" suffix);
// section is the suite's, except that the depthwise conv shapes (groups == cin) are named
// depthwise/<shape>/<impl>. With --rounds N each repetition is a benchmark of its own,
// <section>/<shape>/<impl>/round:<r>, and the implementations alternate within a shape (ABBA...),
// so that a burst of load from other processes hits both libraries alike; the driver
// (bench/run_native.py) takes the medians.
// Own flags (the rest go to Google Benchmark):
//   --suite PATH    suite file (default: $PORTNN_BENCH_SUITE, else the source tree's suite.json)
//   --threads N     threads for both libraries (default 1: no pool at all)
//   --impls LIST    comma-separated implementations to register: portnn, xnnpack (default both)
//   --rounds N      interleaved repetitions, see above (default 0: Google Benchmark's own
//                   --benchmark_repetitions, one implementation after the other)
//   --isa-info      print the portnn levels compiled in, those the CPU has and the one that runs
//                   (PORTNN_ISA applies), then exit
// Defaults added unless given: --benchmark_repetitions=5 (1 with --rounds)
// --benchmark_display_aggregates_only=true --benchmark_min_time=0.1 (seconds).
// Every benchmark reports its label "<isa> <kernel>" (XNNPACK: "xnnpack") and the counters FLOPS
// (rate), flop and bytes (per run) and num_threads.
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

enum class Impl { kPortnn = 0, kXnnpack = 1 };
constexpr int kNumImpls = 2;

const char* ImplName(Impl impl) { return impl == Impl::kPortnn ? "portnn" : "xnnpack"; }

size_t g_threads = 1;

// The instances of the shape that runs now, one per implementation. Google Benchmark calls a
// benchmark's function once per repetition (and while it sizes the iteration count), and with
// --rounds the implementations of a shape alternate: keeping the shape's instances across those
// calls creates and packs each operator once, and dropping them when the next shape starts keeps
// memory bounded.
struct Current {
  const Shape* shape = nullptr;
  std::unique_ptr<Instance> instance[kNumImpls];
  bool tried[kNumImpls] = {false, false};
  std::string error[kNumImpls];  // why the instance could not be created
};
Current g_current;

Instance* Acquire(const Shape& shape, Impl impl) {
  const int i = static_cast<int>(impl);
  if (g_current.shape != &shape) {
    for (int j = 0; j < kNumImpls; j++) {
      g_current.instance[j].reset();  // free the previous shape's buffers first
      g_current.tried[j] = false;
      g_current.error[j].clear();
    }
    g_current.shape = &shape;
  }
  if (g_current.tried[i]) return g_current.instance[i].get();
  g_current.tried[i] = true;
  std::unique_ptr<Instance> instance;
  try {
    if (impl == Impl::kPortnn) {
      instance = CreatePortnnInstance(shape, &g_current.error[i]);
    } else {
#if defined(PORTNN_BENCH_HAVE_XNNPACK)
      instance = CreateXnnpackInstance(shape, &g_current.error[i]);
#endif
    }
  } catch (const std::bad_alloc&) {
    g_current.error[i] = "out of memory while preparing the shape";
  }
  if (instance == nullptr && g_current.error[i].empty()) g_current.error[i] = "not available";
  // One untimed run: faults in the operator's workspaces and checks that it runs at all.
  if (instance != nullptr && !instance->Run()) {
    g_current.error[i] = instance->error();
    instance.reset();
  }
  g_current.instance[i] = std::move(instance);
  return g_current.instance[i].get();
}

void RunShape(benchmark::State& state, const Shape* shape, Impl impl) {
  Instance* instance = Acquire(*shape, impl);
  if (instance == nullptr) {
    state.SkipWithError(g_current.error[static_cast<int>(impl)].c_str());
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
  // Per-run work, so that a driver computing its own medians needs no copy of the suite's rules.
  state.counters["flop"] = shape->flops;
  state.counters["bytes"] = shape->bytes;
  state.counters["num_threads"] = static_cast<double>(g_threads);
}

void Register(const Shape& shape, Impl impl, int round) {
  std::string name = std::string(ReportSectionName(shape)) + "/" + shape.name + "/" +
                     ImplName(impl);
  if (round >= 0) name += "/round:" + std::to_string(round);
  benchmark::RegisterBenchmark(name.c_str(),
                               [&shape, impl](benchmark::State& state) {
                                 RunShape(state, &shape, impl);
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

// A count in [lo, hi] from a flag's value; false (with a message) otherwise.
bool ParseCount(const char* flag, const std::string& value, long lo, long hi, long* out) {
  char* end = nullptr;
  const long n = std::strtol(value.c_str(), &end, 10);
  if (end == value.c_str() || *end != '\0' || n < lo || n > hi) {
    std::fprintf(stderr, "portnn-bench: %s needs a count from %ld to %ld, got '%s'\n", flag, lo,
                 hi, value.c_str());
    return false;
  }
  *out = n;
  return true;
}

void PrintUsage() {
  std::printf(
      "portnn-bench: portnn vs XNNPACK on the shapes of a suite file.\n"
      "  --suite PATH   suite JSON (default: $PORTNN_BENCH_SUITE, else %s)\n"
      "  --threads N    threads for both libraries (default 1)\n"
      "  --impls LIST   implementations to run, comma-separated: portnn, xnnpack (default both)\n"
      "  --rounds N     N interleaved repetitions per shape, named .../round:<r> (default 0: use\n"
      "                 --benchmark_repetitions, one implementation after the other)\n"
      "  --isa-info     print the portnn kernel levels compiled in, those the CPU has and the one\n"
      "                 that runs (PORTNN_ISA applies), then exit\n"
      "Google Benchmark flags follow; defaults added unless given: --benchmark_repetitions=5\n"
      "  (1 with --rounds) --benchmark_display_aggregates_only=true --benchmark_min_time=0.1\n\n",
      PORTNN_BENCH_DEFAULT_SUITE);
}

// The x86-64 / AArch64 levels in the order of pnn_isa_name(), best first. "compiled" follows the
// PNN_ENABLE_* definitions the library exports to the build tree; "cpu" repeats the run-time test
// of src/hardware-config.cc (AVX2 counts only with FMA) with the compiler's CPU-feature builtins.
int PrintIsaInfo() {
  struct Level {
    const char* name;
    bool compiled;
    bool cpu;
  };
  const Level levels[] = {
#if defined(__x86_64__) || defined(__i386__)
    {"avx512",
#if defined(PNN_ENABLE_AVX512)
     true,
#else
     false,
#endif
     __builtin_cpu_supports("avx512f") != 0},
    {"avx2",
#if defined(PNN_ENABLE_AVX2)
     true,
#else
     false,
#endif
     __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")},
    {"sse2",
#if defined(PNN_ENABLE_SSE2)
     true,
#else
     false,
#endif
     __builtin_cpu_supports("sse2") != 0},
#endif
#if defined(__aarch64__)
    {"neon",
#if defined(PNN_ENABLE_NEON)
     true,
#else
     false,
#endif
     true},
#endif
    {"scalar", true, true},
  };
  std::string compiled, cpu;
  for (const Level& l : levels) {
    if (l.compiled) compiled += std::string(compiled.empty() ? "" : " ") + l.name;
    if (l.cpu) cpu += std::string(cpu.empty() ? "" : " ") + l.name;
  }
  std::printf("compiled: %s\ncpu: %s\n", compiled.c_str(), cpu.c_str());
  const pnn_status status = pnn_initialize();
  if (status == pnn_status_success) {
    std::printf("running: %s\n", pnn_isa_name());
  } else {
    const char* env = std::getenv("PORTNN_ISA");
    std::printf("running: none (pnn_initialize: %s; PORTNN_ISA=%s)\n", pnn_status_string(status),
                env != nullptr ? env : "");
  }
  return 0;
}

int Main(int argc, char** argv) {
  // Results stream line by line to a driver reading a pipe (bench/run_native.py shows progress).
  std::cout.setf(std::ios::unitbuf);
  std::string suite_path;
  if (const char* env = std::getenv("PORTNN_BENCH_SUITE")) suite_path = env;
  if (suite_path.empty()) suite_path = PORTNN_BENCH_DEFAULT_SUITE;

  bool want[kNumImpls] = {true, true};
  long rounds = 0;
  std::vector<char*> args = {argv[0]};
  for (int i = 1; i < argc; i++) {
    std::string value;
    long n = 0;
    if (TakeFlag("--suite", &i, argc, argv, &value)) {
      suite_path = value;
    } else if (TakeFlag("--threads", &i, argc, argv, &value)) {
      if (!ParseCount("--threads", value, 1, 1024, &n)) return 2;
      g_threads = static_cast<size_t>(n);
    } else if (TakeFlag("--rounds", &i, argc, argv, &value)) {
      if (!ParseCount("--rounds", value, 0, 1000, &n)) return 2;
      rounds = n;
    } else if (TakeFlag("--impls", &i, argc, argv, &value)) {
      want[0] = want[1] = false;
      size_t start = 0;
      while (start <= value.size()) {
        size_t end = value.find(',', start);
        if (end == std::string::npos) end = value.size();
        const std::string item = value.substr(start, end - start);
        if (item == "portnn") {
          want[0] = true;
        } else if (item == "xnnpack") {
          want[1] = true;
        } else {
          std::fprintf(stderr, "portnn-bench: --impls: unknown implementation '%s'\n",
                       item.c_str());
          return 2;
        }
        start = end + 1;
      }
    } else if (std::strcmp(argv[i], "--isa-info") == 0) {
      return PrintIsaInfo();
    } else if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0) {
      PrintUsage();
      args.push_back(argv[i]);
    } else {
      args.push_back(argv[i]);
    }
  }
  // Defaults sized for a 2-core machine: ~26 shapes x 2 libraries x 5 repetitions.
  static char kReps[] = "--benchmark_repetitions=5";
  static char kOneRep[] = "--benchmark_repetitions=1";
  static char kAggr[] = "--benchmark_display_aggregates_only=true";
  static char kMinTime[] = "--benchmark_min_time=0.1";
  if (!HasFlag(args, "--benchmark_repetitions")) args.push_back(rounds > 0 ? kOneRep : kReps);
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
  if (want[0] && !InitializePortnn(g_threads, &error)) {
    const char* env = std::getenv("PORTNN_ISA");
    std::fprintf(stderr, "portnn-bench: %s%s%s\n", error.c_str(),
                 env != nullptr ? "; PORTNN_ISA=" : "", env != nullptr ? env : "");
    return 1;
  }
  benchmark::AddCustomContext("suite", suite_path);
  benchmark::AddCustomContext("threads", std::to_string(g_threads));
  benchmark::AddCustomContext("portnn_version", pnn_version_string());
  benchmark::AddCustomContext("portnn_isa", want[0] ? pnn_isa_name() : "not run");

  bool xnnpack = false;
  if (want[1]) {
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
  } else {
    benchmark::AddCustomContext("xnnpack", "not run");
  }

  std::string skipped;
  for (const Shape& shape : shapes) {
    std::vector<Impl> impls;
    if (want[0]) impls.push_back(Impl::kPortnn);
#if defined(PORTNN_BENCH_HAVE_XNNPACK)
    if (xnnpack) {
      if (const char* reason = XnnpackUnsupportedReason(shape)) {
        std::fprintf(stderr, "portnn-bench: note: no XNNPACK benchmark for %s: %s\n",
                     shape.name.c_str(), reason);
        skipped += (skipped.empty() ? "" : "; ") + shape.name + ": " + reason;
      } else {
        impls.push_back(Impl::kXnnpack);
      }
    }
#endif
    if (rounds == 0) {
      for (Impl impl : impls) Register(shape, impl, -1);
      continue;
    }
    // ABBA: the implementation that goes first alternates, so neither always runs right after
    // the other one's cache footprint or right after a shape change.
    for (long r = 0; r < rounds; r++) {
      for (size_t j = 0; j < impls.size(); j++) {
        const size_t pick = (r % 2 == 0) ? j : impls.size() - 1 - j;
        Register(shape, impls[pick], static_cast<int>(r));
      }
    }
  }
  if (!skipped.empty()) benchmark::AddCustomContext("xnnpack_skipped", skipped);

  benchmark::RunSpecifiedBenchmarks();
  for (auto& instance : g_current.instance) instance.reset();
  benchmark::Shutdown();
  return 0;
}

}  // namespace
}  // namespace pnnbench

int main(int argc, char** argv) { return pnnbench::Main(argc, argv); }
