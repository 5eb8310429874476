// Bounded work before validation: every create and reshape, called with the largest value of
// every size argument (UINT32_MAX paddings, dilations, strides and kernels, SIZE_MAX dims) or
// with the hardening issue's repro, must return the right status in well under a millisecond
// (asserted < 50 ms, robust on a noisy shared machine) with a reason naming the real rule. The
// measured times are printed. A loop whose trip count an argument sets before the sizes are
// validated would take seconds to hours here.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "portnn.h"
#include "test-utils.h"

namespace {

constexpr double kBoundMs = 50.0;

struct Case {
  const char* name;
  pnn_status expected;
  std::vector<const char*> reason_words;  // each must appear in pnn_last_error_message()
};

// Runs one call, checks status, bound and reason words; prints the time and the reason.
void Check(const Case& c, const std::function<pnn_status()>& call) {
  const auto t0 = std::chrono::steady_clock::now();
  const pnn_status s = call();
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  const std::string reason = pnn_last_error_message();
  std::printf("%-58s %9.4f ms  %s\n", c.name, ms, reason.c_str());
  EXPECT_EQ(s, c.expected) << c.name << ": " << reason;
  EXPECT_LT(ms, kBoundMs) << c.name;
  for (const char* w : c.reason_words) {
    EXPECT_NE(reason.find(w), std::string::npos)
        << c.name << ": \"" << w << "\" not in \"" << reason << "\"";
  }
}

// The window fields convolution and pooling parameters share, each at its largest value; no
// clamp.
template <typename Params>
Params MaxWindowParams() {
  Params p;
  std::memset(&p, 0, sizeof p);
  p.padding_top = p.padding_right = p.padding_bottom = p.padding_left = UINT32_MAX;
  p.stride_height = p.stride_width = UINT32_MAX;
  p.dilation_height = p.dilation_width = UINT32_MAX;
  p.output_min = -INFINITY;
  p.output_max = INFINITY;
  return p;
}

pnn_convolution2d_params MaxConvParams() {
  auto p = MaxWindowParams<pnn_convolution2d_params>();
  p.kernel_height = p.kernel_width = UINT32_MAX;
  p.groups = UINT32_MAX;
  p.group_input_channels = p.group_output_channels = SIZE_MAX;
  return p;
}

pnn_pooling2d_params MaxPoolParams() {
  auto p = MaxWindowParams<pnn_pooling2d_params>();
  p.pooling_height = p.pooling_width = UINT32_MAX;
  p.channels = SIZE_MAX;
  return p;
}

PNN_TEST_INIT_LIBRARY();

class ReshapeBounds : public ::testing::Test {};

TEST_F(ReshapeBounds, Convolution) {
  const float w[16] = {0};
  pnn_operator_t op = nullptr;
  auto p = MaxConvParams();
  Check({"conv create: every argument at its maximum",
         pnn_status_invalid_parameter,
         {"pnn_create_convolution2d_nhwc_f32: ", "weights", "overflow"}},
        [&] { return pnn_create_convolution2d_nhwc_f32(&p, w, nullptr, &op); });
  // A depthwise 1x1 kernel (one weight) with maximal paddings, strides and dilations.
  p.kernel_height = p.kernel_width = 1;
  p.groups = 1;
  p.group_input_channels = p.group_output_channels = 1;
  ASSERT_EQ(pnn_create_convolution2d_nhwc_f32(&p, w, nullptr, &op), pnn_status_success);
  Check({"conv reshape: SIZE_MAX dims",
         pnn_status_invalid_parameter,
         {"pnn_reshape_convolution2d_nhwc_f32: ", "input height", "overflows 64 bits"}},
        [&] {
          return pnn_reshape_convolution2d_nhwc_f32(op, SIZE_MAX, SIZE_MAX, SIZE_MAX, nullptr,
                                                    nullptr, nullptr);
        });
  Check({"conv reshape: batch SIZE_MAX",
         pnn_status_invalid_parameter,
         {"the input", "overflows size_t"}},
        [&] {
          return pnn_reshape_convolution2d_nhwc_f32(op, SIZE_MAX, 1, 1, nullptr, nullptr, nullptr);
        });
  pnn_delete_operator(op);
  // 2x2 kernel, two input channels (IGEMM path), stride 1: maximal paddings give ~2^33 x 2^33
  // output pixels.
  p = MaxConvParams();
  p.kernel_height = p.kernel_width = 2;
  p.stride_height = p.stride_width = 1;
  p.dilation_height = p.dilation_width = 1;
  p.groups = 1;
  p.group_input_channels = 2;
  p.group_output_channels = 1;
  ASSERT_EQ(pnn_create_convolution2d_nhwc_f32(&p, w, nullptr, &op), pnn_status_success);
  Check({"conv reshape: 2x2 kernel, UINT32_MAX paddings, 1x1 input",
         pnn_status_invalid_parameter,
         {"the output", "overflows size_t"}},
        [&] { return pnn_reshape_convolution2d_nhwc_f32(op, 1, 1, 1, nullptr, nullptr, nullptr); });
  pnn_delete_operator(op);
  // Maximal kernel extent over a small input: empty output.
  p = MaxConvParams();
  p.kernel_height = p.kernel_width = 2;
  p.padding_top = p.padding_right = p.padding_bottom = p.padding_left = 0;
  p.groups = 1;
  p.group_input_channels = p.group_output_channels = 1;
  ASSERT_EQ(pnn_create_convolution2d_nhwc_f32(&p, w, nullptr, &op), pnn_status_success);
  Check({"conv reshape: dilation UINT32_MAX over 3x3",
         pnn_status_invalid_parameter,
         {"input height 3 with kernel_height 2 (dilation_height 4294967295)", "empty output"}},
        [&] { return pnn_reshape_convolution2d_nhwc_f32(op, 1, 3, 3, nullptr, nullptr, nullptr); });
  pnn_delete_operator(op);
}

TEST_F(ReshapeBounds, MaxPooling) {
  pnn_operator_t op = nullptr;
  auto p = MaxPoolParams();
  Check({"max pool create: every argument at its maximum",
         pnn_status_invalid_parameter,
         {"pnn_create_max_pooling2d_nhwc_f32: ", "channels", "overflows"}},
        [&] { return pnn_create_max_pooling2d_nhwc_f32(&p, &op); });
  p.channels = 1;
  ASSERT_EQ(pnn_create_max_pooling2d_nhwc_f32(&p, &op), pnn_status_success);
  Check({"max pool reshape: SIZE_MAX dims",
         pnn_status_invalid_parameter,
         {"pnn_reshape_max_pooling2d_nhwc_f32: ", "overflows 64 bits"}},
        [&] {
          return pnn_reshape_max_pooling2d_nhwc_f32(op, SIZE_MAX, SIZE_MAX, SIZE_MAX, nullptr,
                                                    nullptr, nullptr);
        });
  Check({"max pool reshape: 1x1 input", pnn_status_invalid_parameter, {"empty output"}},
        [&] { return pnn_reshape_max_pooling2d_nhwc_f32(op, 1, 1, 1, nullptr, nullptr, nullptr); });
  pnn_delete_operator(op);

  // The hardening issue's repro (23 s before): 2x1 window, dilation_height 2^32 - 1,
  // padding_top 2^32 - 2, padding_bottom 2^32 - 1, stride 1, one channel, height 2^32 - 2.
  // Window 2^32 - 3 has its two taps at padded rows 2^32 - 3 (padding) and 2^33 - 4 (just past
  // the input).
  std::memset(&p, 0, sizeof p);
  p.pooling_height = 2;
  p.pooling_width = 1;
  p.dilation_height = UINT32_MAX;
  p.dilation_width = 1;
  p.padding_top = UINT32_MAX - 1;
  p.padding_bottom = UINT32_MAX;
  p.stride_height = p.stride_width = 1;
  p.channels = 1;
  p.output_min = -INFINITY;
  p.output_max = INFINITY;
  ASSERT_EQ(pnn_create_max_pooling2d_nhwc_f32(&p, &op), pnn_status_success);
  size_t oh = 777, ow = 777;
  Check({"max pool reshape: the hardening issue's repro",
         pnn_status_invalid_parameter,
         {"pnn_reshape_max_pooling2d_nhwc_f32: ", "pooling window 4294967293 along the height",
          "covers only padding"}},
        [&] {
          return pnn_reshape_max_pooling2d_nhwc_f32(op, 1, size_t{UINT32_MAX} - 1, 1, &oh, &ow,
                                                    nullptr);
        });
  EXPECT_EQ(oh, 777u);
  pnn_delete_operator(op);
}

TEST_F(ReshapeBounds, AveragePooling) {
  pnn_operator_t op = nullptr;
  auto p = MaxPoolParams();
  Check({"avg pool create: every argument at its maximum",
         pnn_status_invalid_parameter,
         {"pnn_create_average_pooling2d_nhwc_f32: ", "channels"}},
        [&] { return pnn_create_average_pooling2d_nhwc_f32(&p, &op); });
  p.channels = 1;
  p.dilation_height = p.dilation_width = 1;
  p.padding_top = p.padding_right = p.padding_bottom = p.padding_left = UINT32_MAX - 1;
  p.flags = PNN_FLAG_COUNT_INCLUDE_PAD | PNN_FLAG_CEIL_MODE;
  ASSERT_EQ(pnn_create_average_pooling2d_nhwc_f32(&p, &op), pnn_status_success);
  Check({"avg pool reshape: SIZE_MAX dims", pnn_status_invalid_parameter, {"overflows 64 bits"}},
        [&] {
          return pnn_reshape_average_pooling2d_nhwc_f32(op, SIZE_MAX, SIZE_MAX, SIZE_MAX, nullptr,
                                                        nullptr, nullptr);
        });
  // (2^32 - 1)^2 taps: a pointer count that fits in size_t but whose bytes do not, so the
  // workspace cannot be allocated (out of memory, as for any workspace beyond the heap).
  Check({"avg pool reshape: UINT32_MAX window and paddings, 1x1 input",
         pnn_status_out_of_memory,
         {"out of memory for", "indirection pointers"}},
        [&] {
          return pnn_reshape_average_pooling2d_nhwc_f32(op, 1, 1, 1, nullptr, nullptr, nullptr);
        });
  Check({"avg pool reshape: batch SIZE_MAX",
         pnn_status_invalid_parameter,
         {"the input", "overflows size_t"}},
        [&] {
          return pnn_reshape_average_pooling2d_nhwc_f32(op, SIZE_MAX, 2, 2, nullptr, nullptr,
                                                        nullptr);
        });
  pnn_delete_operator(op);
}

// The operators below are owned elsewhere; they are timed here with their worst arguments.
TEST_F(ReshapeBounds, OtherOperators) {
  pnn_operator_t op = nullptr;
  const float w[4] = {0};
  Check({"global avg pool create: channels SIZE_MAX", pnn_status_invalid_parameter, {}}, [&] {
    return pnn_create_global_average_pooling_nwc_f32(SIZE_MAX, -INFINITY, INFINITY, 0, &op);
  });
  ASSERT_EQ(pnn_create_global_average_pooling_nwc_f32(1, -INFINITY, INFINITY, 0, &op),
            pnn_status_success);
  Check({"global avg pool reshape: SIZE_MAX dims", pnn_status_invalid_parameter, {}}, [&] {
    return pnn_reshape_global_average_pooling_nwc_f32(op, SIZE_MAX, SIZE_MAX, nullptr);
  });
  pnn_delete_operator(op);

  Check({"fully connected create: SIZE_MAX channels", pnn_status_invalid_parameter, {}}, [&] {
    return pnn_create_fully_connected_nc_f32(SIZE_MAX, SIZE_MAX, w, nullptr, -INFINITY, INFINITY, 0,
                                             &op);
  });
  ASSERT_EQ(pnn_create_fully_connected_nc_f32(2, 2, w, nullptr, -INFINITY, INFINITY, 0, &op),
            pnn_status_success);
  Check({"fully connected reshape: batch SIZE_MAX", pnn_status_invalid_parameter, {}},
        [&] { return pnn_reshape_fully_connected_nc_f32(op, SIZE_MAX, nullptr); });
  pnn_delete_operator(op);

  ASSERT_EQ(pnn_create_unary_elementwise_nc_f32(pnn_unary_abs, nullptr, 0, &op),
            pnn_status_success);
  Check({"unary reshape: SIZE_MAX dims", pnn_status_invalid_parameter, {}},
        [&] { return pnn_reshape_unary_elementwise_nc_f32(op, SIZE_MAX, SIZE_MAX, nullptr); });
  pnn_delete_operator(op);

  ASSERT_EQ(pnn_create_binary_elementwise_nd_f32(pnn_binary_add, -INFINITY, INFINITY, 0, &op),
            pnn_status_success);
  const size_t big[PNN_MAX_DIMS] = {SIZE_MAX, SIZE_MAX, SIZE_MAX, SIZE_MAX, SIZE_MAX, SIZE_MAX};
  size_t out_dims = 0, out_shape[PNN_MAX_DIMS];
  Check({"binary reshape: num_dims SIZE_MAX", pnn_status_invalid_parameter, {}}, [&] {
    return pnn_reshape_binary_elementwise_nd_f32(op, SIZE_MAX, big, SIZE_MAX, big, &out_dims,
                                                 out_shape, nullptr);
  });
  Check({"binary reshape: SIZE_MAX dims", pnn_status_invalid_parameter, {}}, [&] {
    return pnn_reshape_binary_elementwise_nd_f32(op, PNN_MAX_DIMS, big, PNN_MAX_DIMS, big,
                                                 &out_dims, out_shape, nullptr);
  });
  pnn_delete_operator(op);

  Check({"softmax create: channels SIZE_MAX", pnn_status_invalid_parameter, {}},
        [&] { return pnn_create_softmax_nc_f32(SIZE_MAX, 0, &op); });
  ASSERT_EQ(pnn_create_softmax_nc_f32(1 << 20, 0, &op), pnn_status_success);
  Check({"softmax reshape: batch SIZE_MAX", pnn_status_invalid_parameter, {}},
        [&] { return pnn_reshape_softmax_nc_f32(op, SIZE_MAX, nullptr); });
  pnn_delete_operator(op);

  ASSERT_EQ(pnn_create_batch_matmul_f32(0, &op), pnn_status_success);
  size_t out_batch[PNN_MAX_DIMS];
  Check({"batch matmul reshape: num_batch_dims SIZE_MAX", pnn_status_invalid_parameter, {}}, [&] {
    return pnn_reshape_batch_matmul_f32(op, SIZE_MAX, big, big, SIZE_MAX, SIZE_MAX, SIZE_MAX,
                                        out_batch, nullptr);
  });
  Check({"batch matmul reshape: SIZE_MAX dims", pnn_status_invalid_parameter, {}}, [&] {
    return pnn_reshape_batch_matmul_f32(op, PNN_MAX_DIMS, big, big, SIZE_MAX, SIZE_MAX, SIZE_MAX,
                                        out_batch, nullptr);
  });
  pnn_delete_operator(op);
}

}  // namespace
