// MobileNet v2 through the graph runtime: define once, create a runtime, run a 224x224 image,
// print the logits' top 5, the time per run, the memory the runtime holds and the slowest nodes.
//   mobilenet_v2 [threads] [runs]
// Weights come from a fixed seed (examples/mobilenet-v2.h): the numbers are not a trained
// network's, but the layers, shapes and work are MobileNet v2's.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <numeric>
#include <vector>

#include "mobilenet-v2.h"
#include "portnn-graph.h"

namespace {

bool check(pnn_status s, const char* what) {
  if (s == pnn_status_success) return true;
  std::fprintf(stderr, "mobilenet_v2: %s failed: %s\n  %s\n", what, pnn_status_string(s),
               pnn_last_error_message());
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  const size_t threads = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 1;
  const int runs = argc > 2 ? std::atoi(argv[2]) : 10;
  if (!check(pnn_initialize(), "pnn_initialize")) return 1;
  const mobilenet_v2::Model model = mobilenet_v2::build(/*seed=*/42);
  pnn_graph_t graph = nullptr;
  uint32_t input = 0, output = 0;
  if (!check(pnn_create_graph(0, &graph), "pnn_create_graph") ||
      !check(mobilenet_v2::define_graph(model, graph, 224, 224, &input, &output), "define")) {
    return 1;
  }
  pnn_runtime_t runtime = nullptr;
  const auto t0 = std::chrono::steady_clock::now();
  const bool created = check(pnn_create_runtime(graph, PNN_RUNTIME_FLAG_PROFILE, &runtime),
                             "pnn_create_runtime");
  const double create_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  pnn_delete_graph(graph);
  if (!created) return 1;
  pnn_threadpool_t pool = nullptr;
  if (threads > 1 && !check(pnn_threadpool_create(threads, &pool), "pnn_threadpool_create")) return 1;

  std::vector<float> image = mobilenet_v2::image(224, 224, /*seed=*/7);
  std::vector<float> logits(model.classes);
  const pnn_external_value bindings[2] = {{input, image.data()}, {output, logits.data()}};
  if (!check(pnn_setup_runtime(runtime, 2, bindings), "pnn_setup_runtime")) return 1;
  std::vector<double> times;
  for (int r = 0; r < std::max(runs, 1); r++) {
    const auto start = std::chrono::steady_clock::now();
    if (!check(pnn_invoke_runtime(runtime, pool), "pnn_invoke_runtime")) return 1;
    times.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(times.begin(), times.end());

  std::vector<size_t> top(model.classes);
  std::iota(top.begin(), top.end(), 0);
  std::partial_sort(top.begin(), top.begin() + 5, top.end(),
                    [&](size_t a, size_t b) { return logits[a] > logits[b]; });
  size_t arena = 0, packed = 0;
  pnn_get_runtime_memory(runtime, &arena, &packed);
  std::printf("MobileNet v2 1.0 224x224, %s, %zu thread(s)\n", pnn_isa_name(), threads);
  std::printf("  create %.1f ms; run median %.2f ms over %zu runs (min %.2f)\n", create_ms,
              times[times.size() / 2], times.size(), times.front());
  std::printf("  memory: arena %.2f MB, packed weights %.2f MB\n", arena / 1048576.0,
              packed / 1048576.0);
  std::printf("  top 5 logits:");
  for (int i = 0; i < 5; i++) std::printf(" %zu (%.4f)", top[i], logits[top[i]]);
  std::printf("\n  slowest nodes of the last run:\n");
  uint32_t count = 0;
  pnn_get_runtime_node_count(runtime, &count);
  std::vector<pnn_node_info> nodes(count);
  for (uint32_t i = 0; i < count; i++) pnn_get_runtime_node_info(runtime, i, &nodes[i]);
  std::vector<uint32_t> order(count);
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(),
            [&](uint32_t a, uint32_t b) { return nodes[a].time_ns > nodes[b].time_ns; });
  for (uint32_t i = 0; i < std::min<uint32_t>(5, count); i++) {
    const pnn_node_info& n = nodes[order[i]];
    std::printf("    %-28s %-14s %8.1f us  %s\n", n.name, n.operator_name, n.time_ns / 1000.0,
                n.kernel_name);
  }
  pnn_delete_runtime(runtime);
  pnn_threadpool_destroy(pool);
  pnn_deinitialize();
  return 0;
}
