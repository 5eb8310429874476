// The header's thread-safety guarantees, exercised: pnn_initialize() from many threads at once
// (the first call of the process included), and distinct operators - built from the same
// weights, so the same packing lives in each - created, reshaped, set up and run concurrently
// from several std::threads, each with its own output. Every concurrent result must be
// bit-identical to a serial run of the same shape (the header: results do not depend on the
// number of threads). scripts/test-sanitizers.sh also builds this binary under ThreadSanitizer.
//
// No global test environment initializes the library: the first test below makes the process's
// first pnn_initialize() calls concurrently. The other tests initialize for themselves
// (idempotent), so any of them may run alone.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "test-utils.h"

using pnn_test::RandomVector;

#if defined(__SANITIZE_THREAD__)
#define PNN_UNDER_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define PNN_UNDER_TSAN 1
#endif
#endif

namespace {

#ifdef PNN_UNDER_TSAN
// ThreadSanitizer slows everything ~10x: fewer rounds, same coverage of the interleavings.
constexpr int kRounds = 3;
#else
constexpr int kRounds = 12;
#endif
constexpr int kThreads = 4;

// Starts every thread's body at (nearly) the same moment to maximize overlap.
class StartLine {
 public:
  explicit StartLine(int n) : waiting_(n) {}
  void Arrive() {
    waiting_.fetch_sub(1, std::memory_order_acq_rel);
    while (waiting_.load(std::memory_order_acquire) > 0) std::this_thread::yield();
  }

 private:
  std::atomic<int> waiting_;
};

void RunThreads(int n, const std::function<void(int)>& body) {
  StartLine start(n);
  std::vector<std::thread> threads;
  for (int t = 0; t < n; t++) {
    threads.emplace_back([&, t] {
      start.Arrive();
      body(t);
    });
  }
  for (std::thread& th : threads) th.join();
}

// ---------------------------------------------------------------------------------------------
// Workloads: one operator type with fixed weights and two shapes, uniform signatures.

struct Workload {
  std::string name;
  std::function<pnn_status(pnn_operator_t*)> create;
  std::function<pnn_status(pnn_operator_t, int shape, pnn_threadpool_t)> reshape;
  std::function<pnn_status(pnn_operator_t, const float*, const float*, float*)> setup;
  size_t in0[2] = {0, 0}, in1[2] = {1, 1}, out[2] = {0, 0};
  // Filled by Prepare(): the inputs of each shape (shared, read-only) and the serial results.
  std::vector<float> x0[2], x1[2], expected[2];
};

const float kInf = INFINITY;

using pnn_test::ConvolutionParams;

Workload ConvWorkload(const std::string& name, pnn_convolution2d_params p) {
  const size_t cin = p.groups * p.group_input_channels, cout = p.groups * p.group_output_channels;
  const std::vector<float> kernel =
      RandomVector(cout * p.kernel_height * p.kernel_width * p.group_input_channels, 1);
  const std::vector<float> bias = RandomVector(cout, 2);
  // Shapes: 1x9x11 and 2x6x7.
  const size_t n[2] = {1, 2}, h[2] = {9, 6}, w[2] = {11, 7};
  Workload wl;
  wl.name = name;
  wl.create = [=](pnn_operator_t* op) {
    return pnn_create_convolution2d_nhwc_f32(&p, kernel.data(), bias.data(), op);
  };
  wl.reshape = [=](pnn_operator_t op, int s, pnn_threadpool_t pool) {
    return pnn_reshape_convolution2d_nhwc_f32(op, n[s], h[s], w[s], nullptr, nullptr, pool);
  };
  wl.setup = [](pnn_operator_t op, const float* a, const float*, float* y) {
    return pnn_setup_convolution2d_nhwc_f32(op, a, y);
  };
  for (int s = 0; s < 2; s++) {
    const size_t oh = (h[s] + 2 * p.padding_top - p.kernel_height) / p.stride_height + 1;
    const size_t ow = (w[s] + 2 * p.padding_left - p.kernel_width) / p.stride_width + 1;
    wl.in0[s] = n[s] * h[s] * w[s] * cin;
    wl.out[s] = n[s] * oh * ow * cout;
  }
  return wl;
}

Workload FcWorkload() {
  const size_t ic = 37, oc = 29;
  const std::vector<float> kernel = RandomVector(ic * oc, 3);
  const std::vector<float> bias = RandomVector(oc, 4);
  const size_t batch[2] = {13, 5};
  Workload wl;
  wl.name = "fully connected";
  wl.create = [=](pnn_operator_t* op) {
    return pnn_create_fully_connected_nc_f32(ic, oc, kernel.data(), bias.data(), -1.5f, 1.5f, 0,
                                             op);
  };
  wl.reshape = [=](pnn_operator_t op, int s, pnn_threadpool_t pool) {
    return pnn_reshape_fully_connected_nc_f32(op, batch[s], pool);
  };
  wl.setup = [](pnn_operator_t op, const float* a, const float*, float* y) {
    return pnn_setup_fully_connected_nc_f32(op, a, y);
  };
  for (int s = 0; s < 2; s++) {
    wl.in0[s] = batch[s] * ic;
    wl.out[s] = batch[s] * oc;
  }
  return wl;
}

Workload BmmWorkload() {
  // A transposed, so each run also fills the operator's transpose workspace.
  struct Shape {
    std::vector<size_t> a, b;
    size_t m, k, n, ba, bb, bo;
  };
  const Shape shapes[2] = {{{2, 1}, {1, 3}, 5, 7, 6, 2, 3, 6}, {{3}, {3}, 4, 9, 5, 3, 3, 3}};
  Workload wl;
  wl.name = "batch matmul";
  wl.create = [](pnn_operator_t* op) {
    return pnn_create_batch_matmul_f32(PNN_FLAG_TRANSPOSE_A, op);
  };
  wl.reshape = [=](pnn_operator_t op, int s, pnn_threadpool_t pool) {
    const Shape& sh = shapes[s];
    return pnn_reshape_batch_matmul_f32(op, sh.a.size(), sh.a.data(), sh.b.data(), sh.m, sh.k, sh.n,
                                        nullptr, pool);
  };
  wl.setup = [](pnn_operator_t op, const float* a, const float* b, float* y) {
    return pnn_setup_batch_matmul_f32(op, a, b, y);
  };
  for (int s = 0; s < 2; s++) {
    const Shape& sh = shapes[s];
    wl.in0[s] = sh.ba * sh.m * sh.k;
    wl.in1[s] = sh.bb * sh.k * sh.n;
    wl.out[s] = sh.bo * sh.m * sh.n;
  }
  return wl;
}

Workload PoolWorkload(bool max) {
  pnn_pooling2d_params p{};
  p.padding_top = p.padding_right = p.padding_bottom = p.padding_left = 1;
  p.pooling_height = p.pooling_width = 3;
  p.stride_height = p.stride_width = 2;
  p.dilation_height = p.dilation_width = 1;
  p.channels = 10;
  p.output_min = -kInf;
  p.output_max = kInf;
  const size_t n[2] = {2, 1}, h[2] = {9, 12}, w[2] = {8, 5};
  Workload wl;
  wl.name = max ? "max pooling" : "average pooling";
  wl.create = [=](pnn_operator_t* op) {
    return max ? pnn_create_max_pooling2d_nhwc_f32(&p, op)
               : pnn_create_average_pooling2d_nhwc_f32(&p, op);
  };
  wl.reshape = [=](pnn_operator_t op, int s, pnn_threadpool_t pool) {
    return max ? pnn_reshape_max_pooling2d_nhwc_f32(op, n[s], h[s], w[s], nullptr, nullptr, pool)
               : pnn_reshape_average_pooling2d_nhwc_f32(op, n[s], h[s], w[s], nullptr, nullptr,
                                                        pool);
  };
  wl.setup = [=](pnn_operator_t op, const float* a, const float*, float* y) {
    return max ? pnn_setup_max_pooling2d_nhwc_f32(op, a, y)
               : pnn_setup_average_pooling2d_nhwc_f32(op, a, y);
  };
  for (int s = 0; s < 2; s++) {
    const size_t oh = (h[s] + 2 - 3) / 2 + 1, ow = (w[s] + 2 - 3) / 2 + 1;
    wl.in0[s] = n[s] * h[s] * w[s] * p.channels;
    wl.out[s] = n[s] * oh * ow * p.channels;
  }
  return wl;
}

Workload GavgWorkload() {
  const size_t c = 300;  // more than one channel block per task
  const size_t n[2] = {3, 1}, w[2] = {7, 19};
  Workload wl;
  wl.name = "global average pooling";
  wl.create = [=](pnn_operator_t* op) {
    return pnn_create_global_average_pooling_nwc_f32(c, -kInf, kInf, 0, op);
  };
  wl.reshape = [=](pnn_operator_t op, int s, pnn_threadpool_t pool) {
    return pnn_reshape_global_average_pooling_nwc_f32(op, n[s], w[s], pool);
  };
  wl.setup = [](pnn_operator_t op, const float* a, const float*, float* y) {
    return pnn_setup_global_average_pooling_nwc_f32(op, a, y);
  };
  for (int s = 0; s < 2; s++) {
    wl.in0[s] = n[s] * w[s] * c;
    wl.out[s] = n[s] * c;
  }
  return wl;
}

Workload UnaryWorkload(pnn_unary_op type, const char* name) {
  const size_t b[2] = {7, 3}, c[2] = {33, 101};
  Workload wl;
  wl.name = name;
  wl.create = [=](pnn_operator_t* op) {
    const pnn_unary_params params{-0.5f, 0.75f, 0.125f, 1.25f};
    return pnn_create_unary_elementwise_nc_f32(type, &params, 0, op);
  };
  wl.reshape = [=](pnn_operator_t op, int s, pnn_threadpool_t pool) {
    return pnn_reshape_unary_elementwise_nc_f32(op, b[s], c[s], pool);
  };
  wl.setup = [](pnn_operator_t op, const float* a, const float*, float* y) {
    return pnn_setup_unary_elementwise_nc_f32(op, a, y);
  };
  for (int s = 0; s < 2; s++) wl.in0[s] = wl.out[s] = b[s] * c[s];
  return wl;
}

Workload BinaryWorkload() {
  struct Shape {
    std::vector<size_t> a, b;
    size_t ca, cb, co;
  };
  const Shape shapes[2] = {{{3, 1, 17}, {5, 1}, 51, 5, 255}, {{2, 4, 6}, {2, 4, 6}, 48, 48, 48}};
  Workload wl;
  wl.name = "binary (broadcast)";
  wl.create = [](pnn_operator_t* op) {
    return pnn_create_binary_elementwise_nd_f32(pnn_binary_squared_difference, -kInf, 3.0f, 0, op);
  };
  wl.reshape = [=](pnn_operator_t op, int s, pnn_threadpool_t pool) {
    const Shape& sh = shapes[s];
    return pnn_reshape_binary_elementwise_nd_f32(op, sh.a.size(), sh.a.data(), sh.b.size(),
                                                 sh.b.data(), nullptr, nullptr, pool);
  };
  wl.setup = [](pnn_operator_t op, const float* a, const float* b, float* y) {
    return pnn_setup_binary_elementwise_nd_f32(op, a, b, y);
  };
  for (int s = 0; s < 2; s++) {
    wl.in0[s] = shapes[s].ca;
    wl.in1[s] = shapes[s].cb;
    wl.out[s] = shapes[s].co;
  }
  return wl;
}

Workload SoftmaxWorkload() {
  const size_t c = 45, b[2] = {6, 11};
  Workload wl;
  wl.name = "softmax";
  wl.create = [=](pnn_operator_t* op) { return pnn_create_softmax_nc_f32(c, 0, op); };
  wl.reshape = [=](pnn_operator_t op, int s, pnn_threadpool_t pool) {
    return pnn_reshape_softmax_nc_f32(op, b[s], pool);
  };
  wl.setup = [](pnn_operator_t op, const float* a, const float*, float* y) {
    return pnn_setup_softmax_nc_f32(op, a, y);
  };
  for (int s = 0; s < 2; s++) wl.in0[s] = wl.out[s] = b[s] * c;
  return wl;
}

std::vector<Workload> AllWorkloads() {
  return {
      ConvWorkload("convolution (igemm)", ConvolutionParams(3, 1, 1, 1, 5, 6)),
      ConvWorkload("convolution (1x1 gemm)", ConvolutionParams(1, 1, 0, 2, 4, 3)),
      ConvWorkload("convolution (depthwise)", ConvolutionParams(3, 2, 1, 7, 1, 1)),
      FcWorkload(),
      BmmWorkload(),
      PoolWorkload(true),
      PoolWorkload(false),
      GavgWorkload(),
      UnaryWorkload(pnn_unary_sigmoid, "unary sigmoid"),
      UnaryWorkload(pnn_unary_gelu, "unary gelu"),
      UnaryWorkload(pnn_unary_leaky_relu, "unary leaky relu"),
      BinaryWorkload(),
      SoftmaxWorkload(),
  };
}

// Runs one shape of a workload on a fresh operator; the result or an empty vector on error.
std::vector<float> RunOnce(const Workload& wl, int s, pnn_threadpool_t pool) {
  pnn_operator_t op = nullptr;
  std::vector<float> y(wl.out[s]);
  bool ok = wl.create(&op) == pnn_status_success && wl.reshape(op, s, pool) == pnn_status_success &&
            wl.setup(op, wl.x0[s].data(), wl.x1[s].data(), y.data()) == pnn_status_success &&
            pnn_run_operator(op, pool) == pnn_status_success;
  pnn_delete_operator(op);
  return ok ? y : std::vector<float>();
}

// Inputs and the serial results (NULL pool) of both shapes.
std::vector<Workload> Prepare() {
  std::vector<Workload> all = AllWorkloads();
  uint32_t seed = 100;
  for (Workload& wl : all) {
    for (int s = 0; s < 2; s++) {
      wl.x0[s] = RandomVector(wl.in0[s], seed++, -3.0f, 3.0f);
      wl.x1[s] = RandomVector(wl.in1[s], seed++, -3.0f, 3.0f);
      wl.expected[s] = RunOnce(wl, s, nullptr);
      EXPECT_EQ(wl.expected[s].size(), wl.out[s]) << wl.name << ": the serial run failed";
    }
  }
  return all;
}

// What one thread saw: failures are collected and asserted on the main thread.
struct ThreadReport {
  int status_failures = 0;
  int mismatches = 0;
  int runs = 0;
  std::string first_problem;
  void Problem(const std::string& what) {
    if (first_problem.empty()) first_problem = what;
  }
};

// One thread's work on its own operator: alternate the two shapes, reshape, set up into this
// thread's output, run, compare with the serial result.
void Drive(const Workload& wl, pnn_operator_t op, int thread, pnn_threadpool_t pool,
           ThreadReport* r, int rounds = kRounds) {
  std::vector<float> y[2] = {std::vector<float>(wl.out[0]), std::vector<float>(wl.out[1])};
  for (int round = 0; round < rounds; round++) {
    const int s = (round + thread) % 2;
    std::fill(y[s].begin(), y[s].end(), std::nanf(""));
    if (wl.reshape(op, s, pool) != pnn_status_success ||
        wl.setup(op, wl.x0[s].data(), wl.x1[s].data(), y[s].data()) != pnn_status_success ||
        pnn_run_operator(op, pool) != pnn_status_success) {
      r->status_failures++;
      r->Problem(wl.name + ": reshape/setup/run failed");
      continue;
    }
    r->runs++;
    if (std::memcmp(y[s].data(), wl.expected[s].data(), y[s].size() * sizeof(float)) != 0) {
      r->mismatches++;
      r->Problem(wl.name + ": shape " + std::to_string(s) + " differs from the serial run");
    }
  }
}

void ExpectClean(const std::vector<ThreadReport>& reports, const std::string& what) {
  int runs = 0;
  for (size_t t = 0; t < reports.size(); t++) {
    const ThreadReport& r = reports[t];
    EXPECT_EQ(r.status_failures, 0) << what << ", thread " << t << ": " << r.first_problem;
    EXPECT_EQ(r.mismatches, 0) << what << ", thread " << t << ": " << r.first_problem;
    runs += r.runs;
  }
  EXPECT_GT(runs, 0) << what;
}

// ---------------------------------------------------------------------------------------------

// The process's first pnn_initialize() calls, all at once; every thread then uses the library.
TEST(Initialization, ConcurrentFirstInitialize) {
  const int n = 8;
  std::vector<pnn_status> status(n, pnn_status_out_of_memory);
  std::vector<std::string> isa(n);
  std::vector<int> ran(n, 0);
  RunThreads(n, [&](int t) {
    status[t] = pnn_initialize();
    isa[t] = pnn_isa_name();
    // Use it straight away from the same thread.
    pnn_operator_t op = nullptr;
    const float x[5] = {-2.0f, -0.5f, 0.0f, 0.5f, 2.0f};
    float y[5] = {};
    const pnn_unary_params p{-1.0f, 1.0f, 0, 0};
    if (pnn_create_unary_elementwise_nc_f32(pnn_unary_clamp, &p, 0, &op) == pnn_status_success &&
        pnn_reshape_unary_elementwise_nc_f32(op, 1, 5, nullptr) == pnn_status_success &&
        pnn_setup_unary_elementwise_nc_f32(op, x, y) == pnn_status_success &&
        pnn_run_operator(op, nullptr) == pnn_status_success) {
      ran[t] = y[0] == -1.0f && y[4] == 1.0f && y[1] == -0.5f;
    }
    pnn_delete_operator(op);
  });
  for (int t = 0; t < n; t++) {
    EXPECT_EQ(status[t], pnn_status_success) << t;
    EXPECT_EQ(isa[t], isa[0]) << t;
    EXPECT_NE(isa[t], "uninitialized") << t;
    EXPECT_EQ(ran[t], 1) << t;
  }
}

// Every operator type's first creation, from several threads at once (the kernel selection
// behind some creates is built lazily on first use).
TEST(Concurrency, FirstCreatesOfEveryTypeAtOnce) {
  ASSERT_EQ(pnn_initialize(), pnn_status_success);
  const std::vector<Workload> all = AllWorkloads();
  std::vector<int> failures(kThreads, 0);
  std::vector<std::string> names(kThreads);
  RunThreads(kThreads, [&](int t) {
    for (size_t i = 0; i < all.size(); i++) {
      const Workload& wl = all[(i + t) % all.size()];
      pnn_operator_t op = nullptr;
      if (wl.create(&op) != pnn_status_success) {
        failures[t]++;
        names[t] = wl.name;
      }
      pnn_delete_operator(op);
    }
  });
  for (int t = 0; t < kThreads; t++) EXPECT_EQ(failures[t], 0) << names[t];
}

// Per op type: kThreads operators with the same weights, each driven by its own thread.
TEST(Concurrency, SameTypeDistinctOperators) {
  ASSERT_EQ(pnn_initialize(), pnn_status_success);
  const std::vector<Workload> all = Prepare();
  for (const Workload& wl : all) {
    std::vector<pnn_operator_t> ops(kThreads, nullptr);
    for (pnn_operator_t& op : ops) ASSERT_EQ(wl.create(&op), pnn_status_success) << wl.name;
    std::vector<ThreadReport> reports(kThreads);
    RunThreads(kThreads, [&](int t) { Drive(wl, ops[t], t, nullptr, &reports[t]); });
    ExpectClean(reports, wl.name);
    for (pnn_operator_t op : ops) pnn_delete_operator(op);
  }
}

// Every op type at once: each thread creates its own operator of every type (concurrently with
// the others) and drives them in its own order.
TEST(Concurrency, AllTypesAtOnce) {
  ASSERT_EQ(pnn_initialize(), pnn_status_success);
  const std::vector<Workload> all = Prepare();
  std::vector<ThreadReport> reports(kThreads);
  RunThreads(kThreads, [&](int t) {
    std::vector<pnn_operator_t> ops(all.size(), nullptr);
    for (size_t i = 0; i < all.size(); i++) {
      if (all[i].create(&ops[i]) != pnn_status_success) {
        reports[t].status_failures++;
        reports[t].Problem(all[i].name + ": create failed");
      }
    }
    for (size_t i = 0; i < all.size(); i++) {
      const size_t w = (i * 5 + t) % all.size();  // a different order per thread
      if (ops[w] != nullptr) Drive(all[w], ops[w], t, nullptr, &reports[t]);
    }
    for (pnn_operator_t op : ops) pnn_delete_operator(op);
  });
  ExpectClean(reports, "all types");
}

// One operator may move between threads as long as its calls do not overlap: created on this
// thread, reshaped on a second, set up on a third, run on a fourth (each joined before the next).
TEST(Concurrency, OperatorHandedBetweenThreads) {
  ASSERT_EQ(pnn_initialize(), pnn_status_success);
  const std::vector<Workload> all = Prepare();
  for (const Workload& wl : all) {
    for (int s = 0; s < 2; s++) {
      pnn_operator_t op = nullptr;
      ASSERT_EQ(wl.create(&op), pnn_status_success) << wl.name;
      std::vector<float> y(wl.out[s]);
      pnn_status reshaped = pnn_status_out_of_memory, bound = reshaped, ran = reshaped;
      std::thread([&] { reshaped = wl.reshape(op, s, nullptr); }).join();
      std::thread([&] { bound = wl.setup(op, wl.x0[s].data(), wl.x1[s].data(), y.data()); }).join();
      std::thread([&] { ran = pnn_run_operator(op, nullptr); }).join();
      EXPECT_EQ(reshaped, pnn_status_success) << wl.name;
      EXPECT_EQ(bound, pnn_status_success) << wl.name;
      EXPECT_EQ(ran, pnn_status_success) << wl.name;
      EXPECT_EQ(std::memcmp(y.data(), wl.expected[s].data(), y.size() * sizeof(float)), 0)
          << wl.name << ", shape " << s;
      std::thread([op] { pnn_delete_operator(op); }).join();
    }
  }
}

// Each thread with a pool of its own (2 threads): concurrent parallel runs through distinct
// pools. Skipped under ThreadSanitizer: the pool (pthreadpool) is not instrumented, so TSan
// cannot see the synchronization that hands an operator to the pool's workers.
TEST(Concurrency, EachThreadWithItsOwnPool) {
#ifdef PNN_UNDER_TSAN
  GTEST_SKIP() << "pthreadpool is not instrumented for ThreadSanitizer";
#endif
  ASSERT_EQ(pnn_initialize(), pnn_status_success);
  const std::vector<Workload> all = Prepare();
  const int threads = 2;
  std::vector<ThreadReport> reports(threads);
  RunThreads(threads, [&](int t) {
    pnn_threadpool_t pool = nullptr;
    if (pnn_threadpool_create(2, &pool) != pnn_status_success) {
      reports[t].status_failures++;
      reports[t].Problem("pool create failed");
      return;
    }
    for (const Workload& wl : all) {
      pnn_operator_t op = nullptr;
      if (wl.create(&op) == pnn_status_success) {
        // Few rounds: two spinning pools oversubscribe a 2-core machine.
        Drive(wl, op, t, pool, &reports[t], /*rounds=*/2);
      } else {
        reports[t].status_failures++;
      }
      pnn_delete_operator(op);
    }
    pnn_threadpool_destroy(pool);
  });
  ExpectClean(reports, "own pools");
}

}  // namespace
