// portnn-model-bench: whole models through the graph runtimes, portnn against XNNPACK's
// subgraph runtime (Debian's libxnnpack-dev: xnn_define_* + xnn_create_runtime_v2), on the same
// network with the same weights (examples/mobilenet-v2.h), 1 and N threads.
//   portnn-model-bench [--threads N] [--rounds R] [--runs K] [--json FILE] [--size S]
// Per (implementation, threads) it reports the median over R rounds of the mean time of K
// invokes, the rounds interleaved (portnn, XNNPACK, portnn, ...) so that load from other
// processes hits both alike; the creation time (graph -> runnable, weights packed); the memory:
// portnn's own account (arena + packed weights, pnn_get_runtime_memory) and, for both, the
// growth of the resident set across creation, setup and a first invoke (/proc/self/statm; the
// only measure XNNPACK offers); and the disagreement of the outputs (max |a - b| / max |b|).
// Appends records {"target":"native","impl","variant","threads","shape":"model/mobilenet_v2",
// "median_us",...} to --json for bench/combine.py.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "../examples/mobilenet-v2.h"
#include "portnn-graph.h"

#if defined(PORTNN_BENCH_HAVE_XNNPACK)
#include <pthreadpool.h>
#include <xnnpack.h>
#endif

namespace {

using Clock = std::chrono::steady_clock;
using mobilenet_v2::Kind;
using mobilenet_v2::Layer;
using mobilenet_v2::Model;

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

// Resident set size in bytes (Linux), 0 when unknown.
size_t ResidentBytes() {
  std::ifstream f("/proc/self/statm");
  size_t pages = 0, resident = 0;
  if (!(f >> pages >> resident)) return 0;
  return resident * 4096;
}

struct Runner {
  virtual ~Runner() = default;
  virtual const char* name() const = 0;
  virtual bool Invoke() = 0;
  double create_ms = 0;
  size_t rss_growth = 0, own_bytes = 0;
  std::vector<float> output;
};

class PortnnRunner final : public Runner {
 public:
  const char* name() const override { return "portnn"; }
  bool Init(const Model& m, size_t size, const std::vector<float>& image, size_t threads) {
    if (threads > 1 && pnn_threadpool_create(threads, &pool_) != pnn_status_success) return false;
    output.assign(m.classes, 0.0f);
    const size_t rss0 = ResidentBytes();
    const auto t0 = Clock::now();
    pnn_graph_t g = nullptr;
    uint32_t in = 0, out = 0;
    bool ok = pnn_create_graph(0, &g) == pnn_status_success &&
              mobilenet_v2::define_graph(m, g, size, size, &in, &out) == pnn_status_success &&
              pnn_create_runtime(g, 0, &rt_) == pnn_status_success;
    pnn_delete_graph(g);
    const pnn_external_value ext[2] = {{in, const_cast<float*>(image.data())}, {out, output.data()}};
    ok = ok && pnn_setup_runtime(rt_, 2, ext) == pnn_status_success;
    create_ms = Ms(Clock::now() - t0);
    ok = ok && Invoke();
    rss_growth = ResidentBytes() - rss0;
    size_t arena = 0, packed = 0;
    if (ok) pnn_get_runtime_memory(rt_, &arena, &packed);
    own_bytes = arena + packed;
    if (!ok) std::fprintf(stderr, "portnn: %s\n", pnn_last_error_message());
    return ok;
  }
  bool Invoke() override { return pnn_invoke_runtime(rt_, pool_) == pnn_status_success; }
  ~PortnnRunner() override {
    pnn_delete_runtime(rt_);
    pnn_threadpool_destroy(pool_);
  }

 private:
  pnn_runtime_t rt_ = nullptr;
  pnn_threadpool_t pool_ = nullptr;
};

#if defined(PORTNN_BENCH_HAVE_XNNPACK)
// The same model in XNNPACK's subgraph API. XNNPACK wants every value's dims and a depthwise
// filter as [1][kh][kw][channels]; the relu6 clamps are given fused, as its users write them.
class XnnpackRunner final : public Runner {
 public:
  const char* name() const override { return "xnnpack"; }
  bool Init(const Model& m, size_t size, const std::vector<float>& image, size_t threads) {
    if (threads > 1) pool_ = pthreadpool_create(threads);
    output.assign(m.classes, 0.0f);
    // Depthwise filters re-laid out (before the clock: a user would store them so).
    std::vector<std::vector<float>> dw(m.layers.size());
    for (size_t i = 0; i < m.layers.size(); i++) {
      const Layer& l = m.layers[i];
      if (l.kind != Kind::kConv || l.groups == 1) continue;
      const size_t taps = l.kernel * l.kernel;
      dw[i].resize(taps * l.cout);
      for (size_t c = 0; c < l.cout; c++) {
        for (size_t t = 0; t < taps; t++) dw[i][t * l.cout + c] = m.params[l.weights + c * taps + t];
      }
    }
    const size_t rss0 = ResidentBytes();
    const auto t0 = Clock::now();
    xnn_subgraph_t sg = nullptr;
    if (xnn_create_subgraph(2, 0, &sg) != xnn_status_success) return false;
    bool ok = true;
    auto value = [&](std::vector<size_t> dims, const float* data, uint32_t ext, uint32_t flags) {
      uint32_t id = XNN_INVALID_VALUE_ID;
      ok = ok && xnn_define_tensor_value(sg, xnn_datatype_fp32, dims.size(), dims.data(), data,
                                         ext, flags, &id) == xnn_status_success;
      return id;
    };
    struct Dims {
      size_t h, w, c;
    };
    std::vector<Dims> dims(m.layers.size());
    std::vector<uint32_t> ids(m.layers.size());
    const uint32_t input = value({1, size, size, 3}, nullptr, 0, XNN_VALUE_FLAG_EXTERNAL_INPUT);
    for (size_t i = 0; i < m.layers.size() && ok; i++) {
      const Layer& l = m.layers[i];
      const Dims in = l.input == mobilenet_v2::kModelInput ? Dims{size, size, 3} : dims[l.input];
      const uint32_t x = l.input == mobilenet_v2::kModelInput ? input : ids[l.input];
      const bool last = i == m.output();
      const float lo = l.relu6 ? 0.0f : -INFINITY, hi = l.relu6 ? 6.0f : INFINITY;
      switch (l.kind) {
        case Kind::kConv: {
          const size_t p = l.padding();
          const Dims o{(in.h + 2 * p - l.kernel) / l.stride + 1, (in.w + 2 * p - l.kernel) / l.stride + 1,
                       l.cout};
          dims[i] = o;
          ids[i] = value({1, o.h, o.w, o.c}, nullptr, XNN_INVALID_VALUE_ID, 0);
          const uint32_t b = value({l.cout}, m.params.data() + l.bias, XNN_INVALID_VALUE_ID, 0);
          if (l.groups == 1) {
            const uint32_t w = value({l.cout, l.kernel, l.kernel, l.cin},
                                     m.params.data() + l.weights, XNN_INVALID_VALUE_ID, 0);
            ok = ok && xnn_define_convolution_2d(sg, p, p, p, p, l.kernel, l.kernel, l.stride,
                                                 l.stride, 1, 1, 1, l.cin, l.cout, lo, hi, x, w, b,
                                                 ids[i], 0) == xnn_status_success;
          } else {
            const uint32_t w = value({1, l.kernel, l.kernel, l.cout}, dw[i].data(),
                                     XNN_INVALID_VALUE_ID, 0);
            ok = ok && xnn_define_depthwise_convolution_2d(
                           sg, p, p, p, p, l.kernel, l.kernel, l.stride, l.stride, 1, 1, 1, l.cin,
                           lo, hi, x, w, b, ids[i], 0) == xnn_status_success;
          }
          break;
        }
        case Kind::kAdd:
          dims[i] = in;
          ids[i] = value({1, in.h, in.w, in.c}, nullptr, XNN_INVALID_VALUE_ID, 0);
          ok = ok && xnn_define_add2(sg, -INFINITY, INFINITY, x, ids[l.input2], ids[i], 0) ==
                         xnn_status_success;
          break;
        case Kind::kGlobalAveragePool:
          dims[i] = Dims{1, 1, in.c};
          ids[i] = value({1, 1, 1, in.c}, nullptr, XNN_INVALID_VALUE_ID, 0);
          ok = ok && xnn_define_global_average_pooling_2d(sg, -INFINITY, INFINITY, x, ids[i], 0) ==
                         xnn_status_success;
          break;
        case Kind::kFullyConnected: {
          dims[i] = Dims{1, 1, l.cout};
          ids[i] = value({1, l.cout}, nullptr, last ? 1 : XNN_INVALID_VALUE_ID,
                         last ? XNN_VALUE_FLAG_EXTERNAL_OUTPUT : 0);
          const uint32_t w = value({l.cout, l.cin}, m.params.data() + l.weights, XNN_INVALID_VALUE_ID, 0);
          const uint32_t b = value({l.cout}, m.params.data() + l.bias, XNN_INVALID_VALUE_ID, 0);
          ok = ok && xnn_define_fully_connected(sg, -INFINITY, INFINITY, x, w, b, ids[i], 0) ==
                         xnn_status_success;
          break;
        }
      }
    }
    ok = ok && xnn_create_runtime_v2(sg, pool_, 0, &rt_) == xnn_status_success;
    xnn_delete_subgraph(sg);
    const xnn_external_value ext[2] = {{input, const_cast<float*>(image.data())}, {1, output.data()}};
    ok = ok && xnn_setup_runtime(rt_, 2, ext) == xnn_status_success;
    create_ms = Ms(Clock::now() - t0);
    ok = ok && Invoke();
    rss_growth = ResidentBytes() - rss0;
    if (!ok) std::fprintf(stderr, "xnnpack: defining or creating the runtime failed\n");
    return ok;
  }
  bool Invoke() override { return xnn_invoke_runtime(rt_) == xnn_status_success; }
  ~XnnpackRunner() override {
    if (rt_ != nullptr) xnn_delete_runtime(rt_);
    if (pool_ != nullptr) pthreadpool_destroy(pool_);
  }

 private:
  xnn_runtime_t rt_ = nullptr;
  pthreadpool_t pool_ = nullptr;
};
#endif

double Disagreement(const std::vector<float>& a, const std::vector<float>& b) {
  double diff = 0, scale = 0;
  for (size_t i = 0; i < b.size(); i++) {
    diff = std::max(diff, std::fabs(double(a[i]) - b[i]));
    scale = std::max(scale, std::fabs(double(b[i])));
  }
  return scale > 0 ? diff / scale : diff;
}

}  // namespace

int main(int argc, char** argv) {
  size_t threads = 2, size = 224;
  int rounds = 15, runs = 5;
  std::string json;
  for (int i = 1; i < argc; i++) {
    const std::string a = argv[i];
    auto next = [&]() { return i + 1 < argc ? argv[++i] : ""; };
    if (a == "--threads") threads = std::strtoul(next(), nullptr, 10);
    else if (a == "--rounds") rounds = std::atoi(next());
    else if (a == "--runs") runs = std::atoi(next());
    else if (a == "--size") size = std::strtoul(next(), nullptr, 10);
    else if (a == "--json") json = next();
    else {
      std::fprintf(stderr, "usage: portnn-model-bench [--threads N] [--rounds R] [--runs K] "
                           "[--size S] [--json FILE]\n");
      return 2;
    }
  }
  rounds = std::max(rounds, 1);
  runs = std::max(runs, 1);
  if (pnn_initialize() != pnn_status_success) return 1;
#if defined(PORTNN_BENCH_HAVE_XNNPACK)
  if (xnn_initialize(nullptr) != xnn_status_success) return 1;
#endif
  const Model model = mobilenet_v2::build(42);
  const std::vector<float> image = mobilenet_v2::image(size, size, 7);
  nlohmann::json records = nlohmann::json::array();
  if (!json.empty()) {
    std::ifstream f(json);
    if (f) records = nlohmann::json::parse(f, nullptr, false);
    if (!records.is_array()) records = nlohmann::json::array();
  }
  std::printf("model: MobileNet v2 1.0 %zux%zu, portnn %s vs XNNPACK subgraph; %d rounds x %d "
              "invokes, interleaved\n",
              size, size, pnn_isa_name(), rounds, runs);
  std::printf("  %-8s %-7s %10s %10s %10s %12s %12s\n", "impl", "threads", "median ms",
              "ratio", "create ms", "own MB", "RSS+ MB");
  std::vector<size_t> thread_counts = {1};
  if (threads > 1) thread_counts.push_back(threads);
  int status = 0;
  for (size_t t : thread_counts) {
    std::vector<std::unique_ptr<Runner>> runners;
    auto p = std::make_unique<PortnnRunner>();
    if (!p->Init(model, size, image, t)) return 1;
    runners.push_back(std::move(p));
#if defined(PORTNN_BENCH_HAVE_XNNPACK)
    auto x = std::make_unique<XnnpackRunner>();
    if (!x->Init(model, size, image, t)) return 1;
    runners.push_back(std::move(x));
#endif
    std::vector<std::vector<double>> times(runners.size());
    for (int r = 0; r < rounds; r++) {
      for (size_t k = 0; k < runners.size(); k++) {
        const size_t j = (r % 2 == 0) ? k : runners.size() - 1 - k;
        const auto t0 = Clock::now();
        for (int i = 0; i < runs; i++) {
          if (!runners[j]->Invoke()) return 1;
        }
        times[j].push_back(Ms(Clock::now() - t0) / runs);
      }
    }
    std::vector<double> medians;
    for (auto& v : times) {
      std::sort(v.begin(), v.end());
      medians.push_back(v[v.size() / 2]);
    }
    for (size_t k = 0; k < runners.size(); k++) {
      const Runner& r = *runners[k];
      const double ratio = medians[k] / medians.back();
      char own[32] = "-";
      if (r.own_bytes != 0) std::snprintf(own, sizeof own, "%.2f", r.own_bytes / 1048576.0);
      std::printf("  %-8s %-7zu %10.2f %10.3f %10.1f %12s %12.2f\n", r.name(), t, medians[k],
                  ratio, r.create_ms, own, r.rss_growth / 1048576.0);
      nlohmann::json rec = {{"target", "native"},        {"impl", r.name()},
                            {"variant", k == 0 ? pnn_isa_name() : "xnnpack"},
                            {"threads", t},              {"shape", "model/mobilenet_v2"},
                            {"median_us", medians[k] * 1000.0},
                            {"create_ms", r.create_ms},  {"rss_growth_bytes", r.rss_growth}};
      if (r.own_bytes != 0) rec["runtime_bytes"] = r.own_bytes;
      if (k != 0) rec["disagreement"] = Disagreement(runners[0]->output, r.output);
      records.push_back(rec);
    }
    if (runners.size() > 1) {
      const double d = Disagreement(runners[0]->output, runners[1]->output);
      std::printf("  outputs: max |portnn - xnnpack| / max |xnnpack| = %.3g (%s 1e-4)\n", d,
                  d <= 1e-4 ? "<=" : "ABOVE");
      if (!(d <= 1e-4)) status = 1;
    }
  }
  if (!json.empty()) {
    std::ofstream f(json);
    f << records.dump(1) << "\n";
  }
  return status;
}
