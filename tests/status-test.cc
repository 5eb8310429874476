// Library-level entry points: status strings, versions, initialization state, thread pools.
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>

#include "portnn.h"
#include "test-utils.h"

namespace {

TEST(Status, EveryStatusHasADistinctName) {
  const pnn_status all[] = {pnn_status_success,          pnn_status_invalid_parameter,
                            pnn_status_unsupported_parameter, pnn_status_invalid_state,
                            pnn_status_out_of_memory,    pnn_status_uninitialized,
                            pnn_status_unsupported_hardware};
  for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
    const char* name = pnn_status_string(all[i]);
    ASSERT_NE(name, nullptr);
    EXPECT_STRNE(name, "unknown status");
    for (size_t j = 0; j < i; j++) EXPECT_STRNE(name, pnn_status_string(all[j]));
  }
  EXPECT_STREQ(pnn_status_string(static_cast<pnn_status>(12345)), "unknown status");
}

TEST(Version, MatchesHeaderMacros) {
  const std::string expect = std::to_string(PNN_VERSION_MAJOR) + "." +
                             std::to_string(PNN_VERSION_MINOR) + "." +
                             std::to_string(PNN_VERSION_PATCH);
  EXPECT_EQ(expect, pnn_version_string());
}

// Runs before and after initialization in one process; the order inside this test is the point.
TEST(Initialization, CreateRequiresInitializeAndDeinitializeRevokes) {
  // If PORTNN_ISA names something unusable this binary is run by the dedicated ctest entries.
  if (std::getenv("PORTNN_EXPECT_INIT_STATUS") != nullptr) GTEST_SKIP() << "override run";
  pnn_unary_params p{0.0f, 1.0f, 0, 0};
  pnn_operator_t op = reinterpret_cast<pnn_operator_t>(0x1);
  EXPECT_STREQ(pnn_isa_name(), "uninitialized");
  EXPECT_EQ(pnn_create_unary_elementwise_nc_f32(pnn_unary_clamp, &p, 0, &op),
            pnn_status_uninitialized);
  EXPECT_EQ(op, nullptr);
  ASSERT_EQ(pnn_initialize(), pnn_status_success);
  ASSERT_EQ(pnn_initialize(), pnn_status_success);  // idempotent
  EXPECT_STRNE(pnn_isa_name(), "uninitialized");
  ASSERT_EQ(pnn_create_unary_elementwise_nc_f32(pnn_unary_clamp, &p, 0, &op), pnn_status_success);
  ASSERT_EQ(pnn_deinitialize(), pnn_status_success);
  pnn_operator_t op2 = nullptr;
  EXPECT_EQ(pnn_create_unary_elementwise_nc_f32(pnn_unary_clamp, &p, 0, &op2),
            pnn_status_uninitialized);
  // Existing operators stay valid after deinitialize.
  float x[3] = {-1.0f, 0.5f, 2.0f}, y[3];
  ASSERT_EQ(pnn_reshape_unary_elementwise_nc_f32(op, 1, 3, nullptr), pnn_status_success);
  ASSERT_EQ(pnn_setup_unary_elementwise_nc_f32(op, x, y), pnn_status_success);
  ASSERT_EQ(pnn_run_operator(op, nullptr), pnn_status_success);
  EXPECT_EQ(y[0], 0.0f);
  EXPECT_EQ(y[1], 0.5f);
  EXPECT_EQ(y[2], 1.0f);
  EXPECT_EQ(pnn_delete_operator(op), pnn_status_success);
  EXPECT_EQ(pnn_delete_operator(nullptr), pnn_status_success);
  ASSERT_EQ(pnn_initialize(), pnn_status_success);
}

// ctest runs this binary again with PORTNN_ISA set to an unknown or unrunnable level and
// PORTNN_EXPECT_INIT_STATUS naming the status pnn_initialize() must return.
TEST(Initialization, IsaOverride) {
  const char* expect = std::getenv("PORTNN_EXPECT_INIT_STATUS");
  const char* isa = std::getenv("PORTNN_ISA");
  if (expect == nullptr) {
    const pnn_status status = pnn_initialize();
    if (pnn_test::SkipUnavailableLevel(status)) GTEST_SKIP();
    ASSERT_EQ(status, pnn_status_success);
    if (isa != nullptr && std::strcmp(isa, "auto") != 0) {
      EXPECT_STREQ(pnn_isa_name(), isa);
    }
    return;
  }
  EXPECT_STREQ(pnn_status_string(pnn_initialize()), expect);
  EXPECT_STREQ(pnn_isa_name(), "uninitialized");
  pnn_operator_t op = nullptr;
  pnn_unary_params p{0.0f, 1.0f, 0, 0};
  EXPECT_EQ(pnn_create_unary_elementwise_nc_f32(pnn_unary_clamp, &p, 0, &op),
            pnn_status_uninitialized);
}

TEST(Threadpool, CreateCountDestroy) {
  pnn_threadpool_t pool = nullptr;
  EXPECT_EQ(pnn_threadpool_create(2, nullptr), pnn_status_invalid_parameter);
  ASSERT_EQ(pnn_threadpool_create(2, &pool), pnn_status_success);
  size_t n = 0;
  ASSERT_EQ(pnn_threadpool_threads_count(pool, &n), pnn_status_success);
  EXPECT_EQ(n, 2u);
  EXPECT_EQ(pnn_threadpool_threads_count(pool, nullptr), pnn_status_invalid_parameter);
  ASSERT_EQ(pnn_threadpool_threads_count(nullptr, &n), pnn_status_success);
  EXPECT_EQ(n, 1u);
  EXPECT_EQ(pnn_threadpool_destroy(pool), pnn_status_success);
  EXPECT_EQ(pnn_threadpool_destroy(nullptr), pnn_status_success);
  ASSERT_EQ(pnn_threadpool_create(0, &pool), pnn_status_success);  // one per processor
  ASSERT_EQ(pnn_threadpool_threads_count(pool, &n), pnn_status_success);
  EXPECT_GE(n, 1u);
  pnn_threadpool_destroy(pool);
}

TEST(Operators, CommonCallsRejectNull) {
  EXPECT_EQ(pnn_run_operator(nullptr, nullptr), pnn_status_invalid_parameter);
  EXPECT_STREQ(pnn_operator_kernel_name(nullptr), "none");
}

}  // namespace

// pnn_last_error_message(): cleared by every call, set by a failing one, per thread.
TEST(ErrorMessage, NamesTheFunctionAndTheRuleAndIsClearedBySuccess) {
  if (std::getenv("PORTNN_EXPECT_INIT_STATUS") != nullptr) GTEST_SKIP() << "override run";
  ASSERT_EQ(pnn_initialize(), pnn_status_success);
  EXPECT_STREQ(pnn_last_error_message(), "");

  EXPECT_EQ(pnn_create_softmax_nc_f32(4, 0, nullptr), pnn_status_invalid_parameter);
  EXPECT_STREQ(pnn_last_error_message(), "pnn_create_softmax_nc_f32: op_out is NULL");

  EXPECT_EQ(pnn_threadpool_create(PNN_MAX_THREADS + 1, nullptr), pnn_status_invalid_parameter);
  EXPECT_STREQ(pnn_last_error_message(), "pnn_threadpool_create: pool_out is NULL");

  pnn_threadpool_t pool = nullptr;
  EXPECT_EQ(pnn_threadpool_create(PNN_MAX_THREADS + 1, &pool), pnn_status_invalid_parameter);
  EXPECT_STREQ(pnn_last_error_message(),
               "pnn_threadpool_create: threads is 1025; at most 1024 (PNN_MAX_THREADS)");

  EXPECT_EQ(pnn_run_operator(nullptr, nullptr), pnn_status_invalid_parameter);
  EXPECT_STREQ(pnn_last_error_message(), "pnn_run_operator: op is NULL");

  // A wrong operator type names both types; out of order names the missing step.
  pnn_operator_t op = nullptr;
  ASSERT_EQ(pnn_create_softmax_nc_f32(4, 0, &op), pnn_status_success);
  EXPECT_STREQ(pnn_last_error_message(), "");
  EXPECT_EQ(pnn_run_operator(op, nullptr), pnn_status_invalid_state);
  EXPECT_NE(std::strstr(pnn_last_error_message(), "pnn_run_operator: the softmax operator"),
            nullptr)
      << pnn_last_error_message();
  EXPECT_EQ(pnn_reshape_fully_connected_nc_f32(op, 1, nullptr), pnn_status_invalid_parameter);
  EXPECT_STREQ(pnn_last_error_message(),
               "pnn_reshape_fully_connected_nc_f32: op is a softmax operator, not a fully "
               "connected operator");
  float x[4] = {0};
  EXPECT_EQ(pnn_setup_softmax_nc_f32(op, x, x), pnn_status_invalid_state);
  EXPECT_NE(std::strstr(pnn_last_error_message(), "call its reshape before setup"), nullptr);
  ASSERT_EQ(pnn_reshape_softmax_nc_f32(op, 1, nullptr), pnn_status_success);
  EXPECT_EQ(pnn_setup_softmax_nc_f32(op, nullptr, x), pnn_status_invalid_parameter);
  EXPECT_STREQ(pnn_last_error_message(), "pnn_setup_softmax_nc_f32: input is NULL");
  EXPECT_EQ(pnn_setup_softmax_nc_f32(op, x, nullptr), pnn_status_invalid_parameter);
  EXPECT_STREQ(pnn_last_error_message(), "pnn_setup_softmax_nc_f32: output is NULL");

  // Thread-local: another thread's failure does not show here, and it starts empty there.
  std::string other;
  std::thread t([&] {
    other = pnn_last_error_message();
    pnn_run_operator(nullptr, nullptr);
  });
  t.join();
  EXPECT_EQ(other, "");
  EXPECT_STREQ(pnn_last_error_message(), "pnn_setup_softmax_nc_f32: output is NULL");

  EXPECT_EQ(pnn_delete_operator(op), pnn_status_success);
  EXPECT_STREQ(pnn_last_error_message(), "");
}
