// Fuzz family: 2-D max, argmax and average pooling (NHWC). The model of the create calls: every
// size
// >= 1, channels whose bytes fit, a valid clamp, only the flags the operator knows (SAME modes,
// ceil mode, and count_include_pad for average), at most one SAME mode and neither explicit
// padding nor ceil mode with it, each padding below the window's extent, and for average
// pooling dilation 1 (unsupported_parameter otherwise). Shapes follow the header's output-size
// rule (ceil mode included) and reject any shape where a window covers only padding
// (fuzz::WindowShape). Input and output must not overlap. Argmax pooling is max pooling's model
// with a second output, the indices: the driver binds and checks its values like any output; the
// indices live here (ArgmaxIndices), sized for the largest accepted shape, and after the first
// run of a setup each must be written, lie in its image's H x W plane and name an input element
// whose clamped value is the output's (bit for bit), and nothing past them may be written.
#include <algorithm>
#include <cstring>
#include <memory>

#include "fuzz-families.h"

namespace fuzz {

namespace {

enum class PoolKind { kMax, kArgmax, kAverage };

constexpr uint32_t kIndexUnwritten = 0xFFFFFFFFu;

// The index buffer of one argmax operator and the geometry of its last successful reshape
// (recorded by ArgmaxReshape, which the window model calls for every shape it draws).
struct ArgmaxIndices {
  std::vector<uint32_t> index;
  size_t largest = 0;  // output elements of the largest accepted shape
  size_t n = 0, h = 0, w = 0, oh = 0, ow = 0;
};
ArgmaxIndices* g_recording = nullptr;  // the operator whose reshape is being called

pnn_status ArgmaxReshape(pnn_operator_t op, size_t n, size_t h, size_t w, size_t* oh, size_t* ow,
                         pnn_threadpool_t pool) {
  const pnn_status st = pnn_reshape_argmax_pooling2d_nhwc_f32(op, n, h, w, oh, ow, pool);
  if (st == pnn_status_success && g_recording != nullptr) {
    *g_recording =
        ArgmaxIndices{std::move(g_recording->index), g_recording->largest, n, h, w, *oh, *ow};
  }
  return st;
}

// Checks the indices of the first run of a setup (see the top).
void CheckIndices(const ArgmaxIndices& a, size_t channels, float lo, float hi, const float* x,
                  const float* y) {
  const size_t plane = a.h * a.w, count = a.n * a.oh * a.ow * channels;
  for (size_t i = 0; i < a.index.size(); i++) {
    const uint32_t k = a.index[i];
    if (i >= count) {
      FUZZ_CHECK(k == kIndexUnwritten, "index %zu past the %zu outputs written", i, count);
      continue;
    }
    FUZZ_CHECK(k < plane, "index %zu is %u, outside the %zux%zu plane", i, k, a.h, a.w);
    const size_t image = i / (a.oh * a.ow * channels), c = i % channels;
    const float v = std::min(std::max(x[(image * plane + k) * channels + c], lo), hi);
    FUZZ_CHECK(std::memcmp(&v, &y[i], sizeof v) == 0,
               "output %zu is not the clamped input its index %u names", i, k);
  }
}

constexpr u128 kUnallocatableChannels = (u128{1} << 30) / sizeof(float);

// Binds an argmax operator: its setup passes the index buffer of `indices`, sized for the largest
// accepted shape drawn so far; its reshapes record their geometry there; each accepted shape
// checks the indices after its first run.
void BindArgmax(Family* family, pnn_operator_t op, const Window& w, const pnn_pooling2d_params& p) {
  auto indices = std::make_shared<ArgmaxIndices>();
  family->kind = kArgmaxPooling;
  family->op = op;
  family->setup_function = "pnn_setup_argmax_pooling2d_nhwc_f32";
  family->setup = [indices](pnn_operator_t o, const float* x, const float*, float* y) {
    indices->index.assign(indices->largest + 1, kIndexUnwritten);
    return pnn_setup_argmax_pooling2d_nhwc_f32(o, x, y, indices->index.data());
  };
  const size_t channels = p.channels;
  const float lo = p.output_min, hi = p.output_max;
  family->next_shape = [w, indices, channels, lo, hi](Reader& rr) {
    Shape s = WindowShape(rr, w);
    const auto reshape = s.reshape;
    s.reshape = [reshape, indices](pnn_operator_t o, pnn_threadpool_t pl) {
      g_recording = indices.get();
      const pnn_status st = reshape(o, pl);
      g_recording = nullptr;
      return st;
    };
    if (s.expect == Expect::kAccept) {
      indices->largest = std::max(indices->largest, static_cast<size_t>(s.out.span()));
      s.verify = [indices, channels, lo, hi](const float* x, const float*, const float* y) {
        CheckIndices(*indices, channels, lo, hi, x, y);
      };
    }
    return s;
  };
}

bool CreatePooling(Reader& r, Family* family, PoolKind kind) {
  const bool max = kind != PoolKind::kAverage;
  pnn_pooling2d_params p{};
  p.pooling_height = r.u32param();
  p.pooling_width = r.u32param();
  p.stride_height = r.u32param();
  p.stride_width = r.u32param();
  const bool dilate = r.u8() >= 192;
  p.dilation_height = dilate ? r.u32param() : 1;
  p.dilation_width = dilate ? r.u32param() : 1;
  if (r.u8() < 128) {
    p.padding_top = r.u32param();
    p.padding_right = r.u32param();
    p.padding_bottom = r.u32param();
    p.padding_left = r.u32param();
  }
  p.channels = r.dim();
  r.clamp(&p.output_min, &p.output_max);
  const uint8_t f = r.u8();
  // Bytes 96..239 pick flags by their low bits (SAME, SAME_LOWER, ceil, count_include_pad).
  p.flags = f < 96    ? 0
            : f < 240 ? ((f & 1) != 0 ? PNN_FLAG_TENSORFLOW_SAME_PADDING : 0u) |
                            ((f & 2) != 0 ? PNN_FLAG_SAME_LOWER_PADDING : 0u) |
                            ((f & 4) != 0 ? PNN_FLAG_CEIL_MODE : 0u) |
                            ((f & 8) != 0 ? PNN_FLAG_COUNT_INCLUDE_PAD : 0u)
                      : r.u32();
  const bool same = (p.flags & kSamePadding) != 0;
  const bool ceil = (p.flags & PNN_FLAG_CEIL_MODE) != 0;
  const bool padded = (p.padding_top | p.padding_right | p.padding_bottom | p.padding_left) != 0;
  const uint32_t allowed =
      kSamePadding | PNN_FLAG_CEIL_MODE | (max ? 0u : uint32_t{PNN_FLAG_COUNT_INCLUDE_PAD});
  const u128 eh = u128{p.dilation_height} * (u128{p.pooling_height} - 1) + 1;
  const u128 ew = u128{p.dilation_width} * (u128{p.pooling_width} - 1) + 1;
  const bool zero = p.pooling_height == 0 || p.pooling_width == 0 || p.stride_height == 0 ||
                    p.stride_width == 0 || p.dilation_height == 0 || p.dilation_width == 0 ||
                    p.channels == 0;
  const bool forbidden = zero || !fits_bytes(p.channels) ||
                         !valid_clamp(p.output_min, p.output_max) || (p.flags & ~allowed) != 0 ||
                         (p.flags & kSamePadding) == kSamePadding || (same && (padded || ceil)) ||
                         p.padding_top >= eh || p.padding_bottom >= eh || p.padding_left >= ew ||
                         p.padding_right >= ew;
  const bool unsupported = !forbidden && !max && (p.dilation_height != 1 || p.dilation_width != 1);
  // Pooling keeps a row of `channels` floats: past the 1 GiB cap create runs out of memory;
  // between 4 MiB and the cap it is not tried (too slow to allocate on every input).
  const bool oom = !forbidden && !unsupported && u128{p.channels} > kUnallocatableChannels;
  if (!forbidden && !unsupported && !oom && p.channels > (size_t{1} << 20)) return false;
  pnn_operator_t op = Poison();
  const char* create = kind == PoolKind::kMax      ? "pnn_create_max_pooling2d_nhwc_f32"
                       : kind == PoolKind::kArgmax ? "pnn_create_argmax_pooling2d_nhwc_f32"
                                                   : "pnn_create_average_pooling2d_nhwc_f32";
  const pnn_status st = kind == PoolKind::kMax ? pnn_create_max_pooling2d_nhwc_f32(&p, &op)
                        : kind == PoolKind::kArgmax
                            ? pnn_create_argmax_pooling2d_nhwc_f32(&p, &op)
                            : pnn_create_average_pooling2d_nhwc_f32(&p, &op);
  ExpectCreate(st, op, !forbidden && !unsupported && !oom,
               forbidden     ? pnn_status_invalid_parameter
               : unsupported ? pnn_status_unsupported_parameter
                             : pnn_status_out_of_memory,
               create);
  if (st != pnn_status_success) return false;

  const Window w = WindowOf(p, p.pooling_height, p.pooling_width, true, p.channels, p.channels,
                            mul(p.pooling_height, p.pooling_width),
                            kind == PoolKind::kMax      ? pnn_reshape_max_pooling2d_nhwc_f32
                            : kind == PoolKind::kArgmax ? ArgmaxReshape
                                                        : pnn_reshape_average_pooling2d_nhwc_f32,
                            kind == PoolKind::kMax      ? "pnn_reshape_max_pooling2d_nhwc_f32"
                            : kind == PoolKind::kArgmax ? "pnn_reshape_argmax_pooling2d_nhwc_f32"
                                                        : "pnn_reshape_average_pooling2d_nhwc_f32");
  if (kind == PoolKind::kArgmax) {
    BindArgmax(family, op, w, p);
  } else if (max) {
    family->Bind(kMaxPooling, op, PNN_FUZZ_CALL(pnn_setup_max_pooling2d_nhwc_f32));
    family->next_shape = [w](Reader& rr) { return WindowShape(rr, w); };
  } else {
    family->Bind(kAveragePooling, op, PNN_FUZZ_CALL(pnn_setup_average_pooling2d_nhwc_f32));
    family->next_shape = [w](Reader& rr) { return WindowShape(rr, w); };
  }
  return true;
}

}  // namespace

bool CreateMaxPooling(Reader& r, Family* family) {
  return CreatePooling(r, family, PoolKind::kMax);
}
bool CreateArgmaxPooling(Reader& r, Family* family) {
  return CreatePooling(r, family, PoolKind::kArgmax);
}
bool CreateAveragePooling(Reader& r, Family* family) {
  return CreatePooling(r, family, PoolKind::kAverage);
}

int FuzzPooling(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  // The first byte picks the operator: max (odd), argmax (multiples of 4), average (the rest);
  // the seeds written before argmax existed (0 and 1) keep their operator.
  const Factory create = (data[0] & 1) != 0                 ? CreateMaxPooling
                         : data[0] != 0 && data[0] % 4 == 0 ? CreateArgmaxPooling
                                                            : CreateAveragePooling;
  return FuzzFamily(create, data + 1, size - 1);
}

}  // namespace fuzz
