// 2-D resize operator: nearest (every nearest mode) and bilinear, every coordinate mode, up- and
// down-sampling, against the exact-rational reference (tests/reference/resize-reference.h) over
// randomized shapes; thread-count independence; create-once/reshape-many; every error status
// with untouched outputs.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "configs/ibilinear-config.h"
#include "reference/resize-reference.h"
#include "test-utils.h"

using pnn_test::GuardedBuffer;
using pnn_test::RandomVector;

namespace {

PNN_TEST_INIT_LIBRARY();

pnn_resize2d_params Params(size_t channels, pnn_resize_mode mode,
                           pnn_resize_coordinate_mode coordinates,
                           pnn_resize_nearest_mode nearest = pnn_resize_round_prefer_floor) {
  return pnn_resize2d_params{channels, mode, coordinates, nearest, /*flags=*/0};
}

const pnn_resize_coordinate_mode kCoordinateModes[] = {
    pnn_resize_half_pixel, pnn_resize_pytorch_half_pixel, pnn_resize_align_corners,
    pnn_resize_asymmetric};
const pnn_resize_nearest_mode kNearestModes[] = {
    pnn_resize_round_prefer_floor, pnn_resize_round_prefer_ceil, pnn_resize_floor, pnn_resize_ceil};

struct Shape {
  size_t batch, ih, iw, oh, ow;
};

std::vector<float> RunResize(pnn_operator_t op, const pnn_resize2d_params& p, const Shape& s,
                             const std::vector<float>& x, pnn_threadpool_t pool) {
  EXPECT_EQ(pnn_reshape_resize2d_nhwc_f32(op, s.batch, s.ih, s.iw, s.oh, s.ow, pool),
            pnn_status_success);
  GuardedBuffer y(s.batch * s.oh * s.ow * p.channels);
  EXPECT_EQ(pnn_setup_resize2d_nhwc_f32(op, x.data(), y.data()), pnn_status_success);
  EXPECT_EQ(pnn_run_operator(op, pool), pnn_status_success);
  EXPECT_TRUE(y.CheckGuards());
  return std::vector<float>(y.data(), y.data() + y.size());
}

void ExpectMatches(const pnn_resize2d_params& p, const Shape& s, const std::vector<float>& x,
                   const std::vector<float>& y) {
  const pnn_ref::ResizeOutput ref =
      pnn_ref::resize2d_nhwc(p, s.batch, s.ih, s.iw, s.oh, s.ow, x.data());
  ASSERT_EQ(y.size(), ref.value.size());
  for (size_t i = 0; i < y.size(); i++) {
    const double tol =
        p.mode == pnn_resize_bilinear ? pnn_ref::resize_tolerance(ref.magnitude[i]) : 0.0;
    ASSERT_NEAR(y[i], ref.value[i], tol)
        << "at " << i << " (pixel " << i / p.channels << ") mode " << p.mode << " coordinates "
        << p.coordinate_mode << " nearest " << p.nearest_mode << " " << s.batch << "x" << s.ih
        << "x" << s.iw << " -> " << s.oh << "x" << s.ow << " channels " << p.channels;
  }
}

void CheckCase(const pnn_resize2d_params& p, const Shape& s, uint32_t seed) {
  pnn_operator_t op = nullptr;
  ASSERT_EQ(pnn_create_resize2d_nhwc_f32(&p, &op), pnn_status_success);
  EXPECT_STREQ(pnn_operator_kernel_name(op),
               p.mode == pnn_resize_bilinear ? pnn::get_ibilinear_config()->name : "memcpy");
  const std::vector<float> x = RandomVector(s.batch * s.ih * s.iw * p.channels, seed);
  ExpectMatches(p, s, x, RunResize(op, p, s, x, nullptr));
  pnn_delete_operator(op);
}

Shape RandomShape(std::mt19937& rng) {
  return {1 + rng() % 2, 1 + rng() % 9, 1 + rng() % 9, 1 + rng() % 17, 1 + rng() % 17};
}

TEST(Resize, NearestEveryModeAgainstExactRounding) {
  std::mt19937 rng(1);
  uint32_t seed = 10;
  for (auto coordinates : kCoordinateModes) {
    for (auto nearest : kNearestModes) {
      for (int i = 0; i < 6; i++) {
        CheckCase(Params(1 + rng() % 9, pnn_resize_nearest, coordinates, nearest), RandomShape(rng),
                  seed++);
        if (HasFatalFailure()) return;
      }
      // Exact ties: 2x and 3x down, 2x and 4x up, 1 -> n and n -> 1.
      for (Shape s : {Shape{1, 6, 9, 3, 3}, Shape{1, 3, 2, 6, 8}, Shape{1, 1, 5, 4, 1},
                      Shape{1, 5, 4, 5, 6}}) {
        CheckCase(Params(3, pnn_resize_nearest, coordinates, nearest), s, seed++);
      }
    }
  }
}

TEST(Resize, BilinearEveryCoordinateMode) {
  std::mt19937 rng(2);
  uint32_t seed = 100;
  for (auto coordinates : kCoordinateModes) {
    for (int i = 0; i < 10; i++) {
      CheckCase(Params(1 + rng() % 40, pnn_resize_bilinear, coordinates), RandomShape(rng), seed++);
      if (HasFatalFailure()) return;
    }
    // DeepLab-like x4 upsampling with many channels (several register blocks and a tail).
    CheckCase(Params(67, pnn_resize_bilinear, coordinates), {1, 5, 6, 20, 24}, seed++);
    CheckCase(Params(2, pnn_resize_bilinear, coordinates), {2, 1, 1, 3, 4}, seed++);
  }
}

TEST(Resize, IdentitySizeCopiesBits) {
  // Same size, half_pixel (and asymmetric): every output samples its own pixel exactly.
  for (auto mode : {pnn_resize_nearest, pnn_resize_bilinear}) {
    for (auto coordinates :
         {pnn_resize_half_pixel, pnn_resize_asymmetric, pnn_resize_align_corners}) {
      const pnn_resize2d_params p = Params(5, mode, coordinates);
      const Shape s{2, 4, 7, 4, 7};
      pnn_operator_t op = nullptr;
      ASSERT_EQ(pnn_create_resize2d_nhwc_f32(&p, &op), pnn_status_success);
      std::vector<float> x = RandomVector(2 * 4 * 7 * 5, 7);
      if (mode == pnn_resize_nearest) {  // nearest copies bits, NaN payloads and infinities too
        x[3] = NAN;
        x[11] = INFINITY;
      }
      const std::vector<float> y = RunResize(op, p, s, x, nullptr);
      EXPECT_EQ(std::memcmp(x.data(), y.data(), x.size() * sizeof(float)), 0);
      if (mode == pnn_resize_bilinear) {
        // The lerp form: a NaN in a sampled cell reaches the output even at weight 0.
        x[5 + 1] = NAN;  // pixel 1, channel 1: the right neighbour of pixel 0
        const std::vector<float> z = RunResize(op, p, s, x, nullptr);
        EXPECT_TRUE(std::isnan(z[1]));
        EXPECT_TRUE(std::isnan(z[6]));
        EXPECT_EQ(z[0], x[0]);
      }
      pnn_delete_operator(op);
    }
  }
}

TEST(Resize, OneAndTwoThreadsAreBitIdentical) {
  pnn_threadpool_t pool = nullptr;
  ASSERT_EQ(pnn_threadpool_create(2, &pool), pnn_status_success);
  for (auto mode : {pnn_resize_nearest, pnn_resize_bilinear}) {
    for (const Shape& s : {Shape{2, 17, 13, 68, 52}, Shape{1, 3, 4, 1, 300}}) {
      const pnn_resize2d_params p = Params(24, mode, pnn_resize_half_pixel);
      pnn_operator_t op = nullptr;
      ASSERT_EQ(pnn_create_resize2d_nhwc_f32(&p, &op), pnn_status_success);
      const std::vector<float> x = RandomVector(s.batch * s.ih * s.iw * 24, 9);
      const std::vector<float> y1 = RunResize(op, p, s, x, nullptr),
                               y2 = RunResize(op, p, s, x, pool);
      EXPECT_EQ(std::memcmp(y1.data(), y2.data(), y1.size() * sizeof(float)), 0);
      ExpectMatches(p, s, x, y2);
      pnn_delete_operator(op);
    }
  }
  pnn_threadpool_destroy(pool);
}

TEST(Resize, CreateOnceReshapeAndRunManyShapes) {
  for (auto mode : {pnn_resize_nearest, pnn_resize_bilinear}) {
    const pnn_resize2d_params p = Params(3, mode, pnn_resize_align_corners, pnn_resize_ceil);
    pnn_operator_t op = nullptr;
    ASSERT_EQ(pnn_create_resize2d_nhwc_f32(&p, &op), pnn_status_success);
    uint32_t seed = 300;
    for (const Shape& s :
         {Shape{1, 4, 4, 8, 8}, Shape{2, 9, 3, 2, 7}, Shape{1, 1, 1, 1, 1}, Shape{1, 4, 4, 8, 8}}) {
      const std::vector<float> x = RandomVector(s.batch * s.ih * s.iw * 3, seed++);
      ExpectMatches(p, s, x, RunResize(op, p, s, x, nullptr));
    }
    pnn_delete_operator(op);
  }
}

TEST(ResizeErrors, CreateRejectsInvalidParameters) {
  pnn_operator_t op = reinterpret_cast<pnn_operator_t>(0x1);
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter, pnn_create_resize2d_nhwc_f32(nullptr, &op));
  EXPECT_EQ(op, nullptr);
  const pnn_resize2d_params ok = Params(3, pnn_resize_bilinear, pnn_resize_half_pixel);
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter, pnn_create_resize2d_nhwc_f32(&ok, nullptr));
  auto expect_rejected = [&](pnn_resize2d_params p, const char* name) {
    op = reinterpret_cast<pnn_operator_t>(0x1);
    EXPECT_FAILS_WITH(pnn_status_invalid_parameter, pnn_create_resize2d_nhwc_f32(&p, &op));
    EXPECT_EQ(op, nullptr);
    EXPECT_NE(std::string(pnn_last_error_message()).find(name), std::string::npos)
        << pnn_last_error_message();
  };
  pnn_resize2d_params p = ok;
  p.channels = 0;
  expect_rejected(p, "channels");
  for (int bad : {-1, 2, 1000}) {
    p = ok;
    std::memcpy(&p.mode, &bad, sizeof bad);  // a C caller may pass any int
    expect_rejected(p, "mode");
  }
  for (int bad : {-1, 4}) {
    p = ok;
    std::memcpy(&p.coordinate_mode, &bad, sizeof bad);
    expect_rejected(p, "coordinate_mode");
    p = ok;
    std::memcpy(&p.nearest_mode, &bad, sizeof bad);
    expect_rejected(p, "nearest_mode");
  }
  p = ok;
  p.flags = PNN_FLAG_TENSORFLOW_SAME_PADDING;
  expect_rejected(p, "flags");
  ASSERT_EQ(pnn_deinitialize(), pnn_status_success);
  EXPECT_FAILS_WITH(pnn_status_uninitialized, pnn_create_resize2d_nhwc_f32(&ok, &op));
  ASSERT_EQ(pnn_initialize(), pnn_status_success);
}

TEST(ResizeErrors, ReshapeSetupAndLifecycle) {
  const pnn_resize2d_params p = Params(3, pnn_resize_bilinear, pnn_resize_half_pixel);
  pnn_operator_t op = nullptr;
  ASSERT_EQ(pnn_create_resize2d_nhwc_f32(&p, &op), pnn_status_success);
  std::vector<float> x(2 * 4 * 4 * 3, 1.0f);
  GuardedBuffer y(2 * 8 * 8 * 3);
  EXPECT_FAILS_WITH(pnn_status_invalid_state, pnn_setup_resize2d_nhwc_f32(op, x.data(), y.data()));
  const size_t bad[][5] = {{0, 4, 4, 8, 8},
                           {1, 0, 4, 8, 8},
                           {1, 4, 0, 8, 8},
                           {1, 4, 4, 0, 8},
                           {1, 4, 4, 8, 0},
                           {1, SIZE_MAX / 2, 4, 8, 8},
                           {1, 4, 4, SIZE_MAX / 4, 4},
                           {SIZE_MAX / 8, 1, 1, 1, 1},
                           {1, size_t{1} << 31, size_t{1} << 31, 1, 1}};
  for (const auto& b : bad) {
    EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                      pnn_reshape_resize2d_nhwc_f32(op, b[0], b[1], b[2], b[3], b[4], nullptr));
  }
  ASSERT_EQ(pnn_reshape_resize2d_nhwc_f32(op, 2, 4, 4, 8, 8, nullptr), pnn_status_success);
  EXPECT_FAILS_WITH(pnn_status_invalid_state, pnn_run_operator(op, nullptr));
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_setup_resize2d_nhwc_f32(op, nullptr, y.data()));
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_setup_resize2d_nhwc_f32(op, x.data(), nullptr));
  std::vector<float> shared(x.size() + y.size());
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_setup_resize2d_nhwc_f32(op, shared.data() + 1, shared.data()));
  EXPECT_TRUE(y.Untouched());
  // A failed reshape keeps the previous shape: setup and run it.
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_reshape_resize2d_nhwc_f32(op, 1, 0, 4, 8, 8, nullptr));
  ASSERT_EQ(pnn_setup_resize2d_nhwc_f32(op, x.data(), y.data()), pnn_status_success);
  ASSERT_EQ(pnn_run_operator(op, nullptr), pnn_status_success);
  EXPECT_TRUE(y.CheckGuards());
  for (size_t i = 0; i < y.size(); i++) ASSERT_EQ(y[i], 1.0f);
  // Other operator types.
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_reshape_max_pooling2d_nhwc_f32(op, 1, 4, 4, nullptr, nullptr, nullptr));
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_reshape_resize2d_nhwc_f32(nullptr, 1, 4, 4, 8, 8, nullptr));
  pnn_delete_operator(op);
}

}  // namespace
