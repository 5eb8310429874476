// Fuzz target: random graphs (include/portnn-graph.h). The bytes define up to 12 values (any
// kind, small dims, sometimes none, sometimes huge) and up to 12 nodes of every kind (every
// operator's node, splits with several outputs and concatenations of several inputs) with ids
// that may be out of range, point back at their own output or form cycles, and parameters from
// the fuzz Reader. Checked:
//   * every failing define / create / reshape / setup returns a status with a reason naming the
//     called function ("<function>: <reason>"), leaves *runtime_out NULL, and leaks nothing
//     (LeakSanitizer at exit of each run);
//   * every runtime that is created can be set up on external buffers of exactly the sizes
//     pnn_get_value_shape reports and invoked under AddressSanitizer, before and after a
//     reshape of its first external input, and gives the same bits on 1 and 2 threads.
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "fuzz-families.h"
#include "portnn-graph.h"

namespace fuzz {
namespace {

void ExpectReason(pnn_status st, const char* function) {
  const std::string m = pnn_last_error_message();
  const std::string prefix = std::string(function) + ": ";
  FUZZ_CHECK(st != pnn_status_success, "%s", function);
  FUZZ_CHECK(m.compare(0, prefix.size(), prefix) == 0 && m.size() > prefix.size() + 4,
             "%s failed (%s) with reason \"%s\"", function, pnn_status_string(st), m.c_str());
}

size_t Elements(const size_t* dims, size_t n) {
  size_t c = 1;
  for (size_t i = 0; i < n; i++) c *= dims[i];
  return c;
}

struct Externals {
  std::vector<std::vector<float>> buffers;
  std::vector<pnn_external_value> bindings;
  std::vector<uint32_t> outputs;  // indices into buffers
};

// Buffers for every external value at its current shape (inputs filled from the reader).
bool Bind(pnn_runtime_t rt, const std::vector<int>& kinds, Reader& r, Externals* e) {
  e->buffers.clear();
  e->bindings.clear();
  e->outputs.clear();
  for (uint32_t id = 0; id < kinds.size(); id++) {
    if (kinds[id] != 2 && kinds[id] != 3) continue;
    size_t n = 0, dims[PNN_MAX_DIMS];
    FUZZ_CHECK(pnn_get_value_shape(rt, id, &n, dims) == pnn_status_success, "shape of %u", id);
    const size_t count = Elements(dims, n);
    if (count > (size_t{1} << 22)) return false;  // too big to run; creating it was enough
    e->buffers.emplace_back(count);
    for (float& v : e->buffers.back()) v = static_cast<float>(static_cast<int>(r.u8()) - 128) / 64;
    if (kinds[id] == 3) e->outputs.push_back(static_cast<uint32_t>(e->buffers.size() - 1));
  }
  size_t k = 0;
  for (uint32_t id = 0; id < kinds.size(); id++) {
    if (kinds[id] == 2 || kinds[id] == 3) e->bindings.push_back({id, e->buffers[k++].data()});
  }
  return true;
}

void RunBoth(pnn_runtime_t rt, Externals& e, pnn_threadpool_t pool) {
  pnn_status st = pnn_setup_runtime(rt, e.bindings.size(), e.bindings.data());
  if (st != pnn_status_success) {
    ExpectReason(st, "pnn_setup_runtime");
    return;
  }
  FUZZ_CHECK(pnn_invoke_runtime(rt, nullptr) == pnn_status_success, "%s", pnn_last_error_message());
  std::vector<std::vector<float>> one;
  for (uint32_t i : e.outputs) one.push_back(e.buffers[i]);
  FUZZ_CHECK(pnn_invoke_runtime(rt, pool) == pnn_status_success, "%s", pnn_last_error_message());
  for (size_t j = 0; j < e.outputs.size(); j++) {
    const std::vector<float>& two = e.buffers[e.outputs[j]];
    FUZZ_CHECK(std::memcmp(one[j].data(), two.data(), two.size() * sizeof(float)) == 0,
               "output %zu differs between 1 and 2 threads", j);
  }
}

}  // namespace

int FuzzGraph(const uint8_t* data, size_t size) {
  Reader r(data, size);
  static pnn_threadpool_t pool = [] {
    pnn_threadpool_t p = nullptr;
    pnn_initialize();
    pnn_threadpool_create(2, &p);
    return p;
  }();
  pnn_graph_t g = nullptr;
  FUZZ_CHECK(pnn_create_graph(0, &g) == pnn_status_success, "create graph");
  std::vector<int> kinds;  // 0 internal, 1 static, 2 external input, 3 external output
  std::vector<std::vector<float>> statics;
  const size_t values = 1 + r.u8() % 12;
  for (size_t i = 0; i < values; i++) {
    const int kind = r.u8() % 4;
    size_t rank = r.u8() % 5;
    size_t dims[PNN_MAX_DIMS + 1];
    for (size_t d = 0; d < rank; d++) dims[d] = r.u8() < 250 ? 1 + r.u8() % 6 : r.dim();
    if (r.u8() == 255) rank = PNN_MAX_DIMS + 1;  // too many dims
    const float* payload = nullptr;
    if (kind == 1) {
      size_t count = 1;
      bool small = rank <= PNN_MAX_DIMS;
      for (size_t d = 0; d < rank && small; d++) small = dims[d] <= 64 && (count *= dims[d]) <= 4096;
      if (!small) continue;
      statics.emplace_back(count);
      for (float& v : statics.back()) v = static_cast<float>(static_cast<int>(r.u8()) - 128) / 128;
      payload = statics.back().data();
    }
    const uint32_t flags = kind == 2   ? PNN_VALUE_FLAG_EXTERNAL_INPUT
                           : kind == 3 ? PNN_VALUE_FLAG_EXTERNAL_OUTPUT
                           : kind == 1 && r.flag() ? PNN_VALUE_FLAG_BORROW_DATA
                                                   : 0;
    const size_t given = kind == 0 || kind == 3 ? (r.flag() ? rank : 0) : rank;
    uint32_t id = 0;
    const pnn_status st = pnn_define_tensor_value(g, given, dims, payload, flags, &id);
    if (st == pnn_status_success) {
      FUZZ_CHECK(id == kinds.size(), "value ids are dense");
      kinds.push_back(kind);
    } else {
      ExpectReason(st, "pnn_define_tensor_value");
    }
  }
  const uint32_t nv = static_cast<uint32_t>(kinds.size());
  auto id = [&]() -> uint32_t {
    const uint8_t b = r.u8();
    if (b == 255) return PNN_INVALID_VALUE_ID;
    if (b == 254) return nv + 3;  // out of range
    return nv == 0 ? 0 : b % nv;
  };
  const size_t nodes = r.u8() % 13;
  for (size_t i = 0; i < nodes; i++) {
    pnn_status st = pnn_status_success;
    const char* fn = "";
    float lo, hi;
    r.clamp(&lo, &hi);
    // A small axis, sometimes negative or out of range.
    auto axis = [&]() { return static_cast<int32_t>(static_cast<int8_t>(r.u8())) % 6; };
    // `n` per-dim sizes in [0, bound) (0 is invalid where a size must be >= 1).
    auto sizes = [&](size_t* out, size_t n, uint8_t bound) {
      for (size_t d = 0; d < n; d++) out[d] = r.u8() % bound;
    };
    switch (r.u8() % 23) {
      case 0: {
        pnn_convolution2d_params p{};
        p.kernel_height = 1 + r.u8() % 3;
        p.kernel_width = 1 + r.u8() % 3;
        p.stride_height = r.u8() % 3;
        p.stride_width = 1 + r.u8() % 2;
        p.dilation_height = p.dilation_width = 1 + r.u8() % 2;
        p.padding_top = p.padding_bottom = p.padding_left = p.padding_right = r.u8() % 2;
        p.groups = 1 + r.u8() % 2;
        p.group_input_channels = 1 + r.u8() % 4;
        p.group_output_channels = 1 + r.u8() % 4;
        p.output_min = lo;
        p.output_max = hi;
        fn = "pnn_define_convolution2d";
        const uint32_t x = id(), w = id(), b = id(), y = id();
        st = pnn_define_convolution2d(g, &p, x, w, b, y);
        break;
      }
      case 1: {
        fn = "pnn_define_fully_connected";
        const uint32_t x = id(), w = id(), b = id(), y = id();
        st = pnn_define_fully_connected(g, lo, hi, x, w, b, y, r.flag() ? PNN_FLAG_TRANSPOSE_WEIGHTS : 0);
        break;
      }
      case 2: {
        fn = "pnn_define_batch_matmul";
        const uint32_t a = id(), b = id(), y = id();
        st = pnn_define_batch_matmul(g, a, b, y, r.u8() % 4 * PNN_FLAG_TRANSPOSE_A);
        break;
      }
      case 3:
      case 4: {
        pnn_pooling2d_params p{};
        p.pooling_height = 1 + r.u8() % 3;
        p.pooling_width = 1 + r.u8() % 3;
        p.stride_height = p.stride_width = 1 + r.u8() % 2;
        p.dilation_height = p.dilation_width = 1;
        p.channels = 1 + r.u8() % 4;
        p.output_min = lo;
        p.output_max = hi;
        const uint32_t x = id(), y = id();
        fn = (i & 1) ? "pnn_define_max_pooling2d" : "pnn_define_average_pooling2d";
        st = (i & 1) ? pnn_define_max_pooling2d(g, &p, x, y) : pnn_define_average_pooling2d(g, &p, x, y);
        break;
      }
      case 5: {
        fn = "pnn_define_global_average_pooling2d";
        const uint32_t x = id(), y = id();
        st = pnn_define_global_average_pooling2d(g, lo, hi, x, y, r.flag() ? PNN_FLAG_KEEP_DIMS : 0);
        break;
      }
      case 6: {
        pnn_unary_params u{};
        u.min = lo;
        u.max = hi;
        u.negative_slope = r.fparam();
        u.alpha = r.fparam();
        const int op = r.u8() % 14;
        fn = "pnn_define_unary";
        const uint32_t x = id(), y = id();
        pnn_unary_op uop;
        std::memcpy(&uop, &op, sizeof op);
        st = pnn_define_unary(g, uop, r.flag() ? &u : nullptr, x, y, 0);
        break;
      }
      case 7: {
        const int op = r.u8() % 8;
        pnn_binary_op bop;
        std::memcpy(&bop, &op, sizeof op);
        fn = "pnn_define_binary";
        const uint32_t a = id(), b = id(), y = id();
        st = pnn_define_binary(g, bop, lo, hi, a, b, y, 0);
        break;
      }
      case 8: {
        fn = "pnn_define_softmax";
        const uint32_t x = id(), y = id();
        st = pnn_define_softmax(g, x, y, r.u8() == 255 ? 1 : 0);
        break;
      }
      case 9: {
        size_t dims[PNN_MAX_DIMS + 1];
        const size_t rank = r.u8() % 5;
        for (size_t d = 0; d < rank; d++) dims[d] = r.u8() % 7;  // 0: inferred
        fn = "pnn_define_reshape";
        const uint32_t x = id(), y = id();
        st = pnn_define_reshape(g, rank, dims, x, y);
        break;
      }
      case 10: {
        size_t perm[PNN_MAX_DIMS];
        const size_t rank = r.u8() % 5;
        for (size_t d = 0; d < rank; d++) perm[d] = r.u8() < 230 ? (d + r.u8() % 2) % rank : r.u8() % 7;
        fn = "pnn_define_transpose";
        const uint32_t x = id(), y = id();
        st = pnn_define_transpose(g, rank, rank != 0 && r.u8() != 255 ? perm : nullptr, x, y);
        break;
      }
      case 11:
      case 12: {
        const uint32_t block = r.u8() % 4;
        const int mode = r.u8() % 3;
        pnn_depth_to_space_mode m;
        std::memcpy(&m, &mode, sizeof mode);
        const uint32_t x = id(), y = id();
        fn = (i & 1) ? "pnn_define_depth_to_space" : "pnn_define_space_to_depth";
        st = (i & 1) ? pnn_define_depth_to_space(g, block, m, x, y)
                     : pnn_define_space_to_depth(g, block, x, y);
        break;
      }
      case 13: {
        size_t pre[PNN_MAX_DIMS], post[PNN_MAX_DIMS];
        const size_t rank = r.u8() % 5;
        sizes(pre, rank, 3);
        sizes(post, rank, 3);
        const int mode = r.u8() % 4;
        pnn_pad_mode m;
        std::memcpy(&m, &mode, sizeof mode);
        fn = "pnn_define_pad";
        const uint32_t x = id(), y = id();
        st = pnn_define_pad(g, m, rank, pre, post, r.fparam(), x, y);
        break;
      }
      case 14: {
        uint32_t ins[4];
        const size_t n = 1 + r.u8() % 4;
        for (size_t k = 0; k < n; k++) ins[k] = id();
        fn = "pnn_define_concatenate";
        const int32_t a = axis();
        st = pnn_define_concatenate(g, a, n, ins, id());
        break;
      }
      case 15: {
        uint32_t outs[4];
        size_t parts[4];
        const size_t n = 1 + r.u8() % 4;
        for (size_t k = 0; k < n; k++) outs[k] = id();
        sizes(parts, n, 4);
        fn = "pnn_define_split";
        const int32_t a = axis();
        const bool even = r.flag();
        st = pnn_define_split(g, a, n, even ? nullptr : parts, id(), outs);
        break;
      }
      case 16: {
        int64_t b[PNN_MAX_DIMS], e[PNN_MAX_DIMS], step[PNN_MAX_DIMS];
        const size_t rank = r.u8() % 5;
        for (size_t d = 0; d < rank; d++) {
          b[d] = static_cast<int64_t>(r.u8() % 9) - 4;
          e[d] = r.u8() == 255 ? INT64_MAX : static_cast<int64_t>(r.u8() % 9) - 4;
          step[d] = r.u8() % 3;
        }
        fn = "pnn_define_slice";
        const uint32_t x = id(), y = id();
        st = pnn_define_slice(g, rank, b, e, r.flag() ? step : nullptr, x, y);
        break;
      }
      case 17: {
        int32_t axes[PNN_MAX_DIMS];
        const size_t n = r.u8() % 4;
        for (size_t k = 0; k < n; k++) axes[k] = axis();
        const int op = r.u8() % 5;
        pnn_reduce_op rop;
        std::memcpy(&rop, &op, sizeof op);
        fn = "pnn_define_reduce";
        const uint32_t x = id(), y = id();
        st = pnn_define_reduce(g, rop, n, axes, x, y, r.flag() ? PNN_FLAG_KEEP_DIMS : 0);
        break;
      }
      case 18: {
        const int32_t a = axis();
        const float eps = r.u8() == 255 ? -1.0f : 1e-5f;
        const uint32_t gamma = id(), beta = id(), x = id(), y = id();
        fn = (i & 1) ? "pnn_define_layer_norm" : "pnn_define_rms_norm";
        st = (i & 1) ? pnn_define_layer_norm(g, a, eps, gamma, beta, x, y)
                     : pnn_define_rms_norm(g, a, eps, gamma, x, y);
        break;
      }
      case 19: {
        const float eps = r.u8() == 255 ? NAN : 1e-3f;
        const uint32_t m = id(), v = id(), ga = id(), be = id(), x = id(), y = id();
        fn = "pnn_define_batch_norm";
        st = pnn_define_batch_norm(g, eps, m, v, ga, be, x, y);
        break;
      }
      case 20: {
        fn = "pnn_define_prelu";
        const uint32_t slope = id(), x = id(), y = id();
        st = pnn_define_prelu(g, slope, x, y);
        break;
      }
      case 21: {
        fn = "pnn_define_softmax_axis";
        const int32_t a = axis();
        const uint32_t x = id(), y = id();
        st = pnn_define_softmax_axis(g, a, x, y, r.flag() ? PNN_FLAG_LOG_SOFTMAX : 0);
        break;
      }
      case 22: {
        fn = "pnn_define_copy";
        const uint32_t x = id(), y = id();
        st = pnn_define_copy(g, x, y);
        break;
      }
    }
    if (st != pnn_status_success) ExpectReason(st, fn);
  }
  pnn_runtime_t rt = reinterpret_cast<pnn_runtime_t>(&kinds);  // must be overwritten
  const pnn_status st = pnn_create_runtime(g, r.flag() ? PNN_RUNTIME_FLAG_NO_FUSION : 0, &rt);
  if (st != pnn_status_success) {
    ExpectReason(st, "pnn_create_runtime");
    FUZZ_CHECK(rt == nullptr, "a failed create leaves *runtime_out NULL");
  } else {
    FUZZ_CHECK(pnn_last_error_message()[0] == '\0', "a successful create leaves no reason");
  }
  pnn_delete_graph(g);  // the runtime must not need it
  if (st != pnn_status_success) return 0;
  Externals e;
  if (Bind(rt, kinds, r, &e)) RunBoth(rt, e, pool);
  // A new shape for the first external input: reshape, then run again (or a clear error).
  for (uint32_t v = 0; v < kinds.size(); v++) {
    if (kinds[v] != 2) continue;
    size_t n = 0, dims[PNN_MAX_DIMS];
    FUZZ_CHECK(pnn_get_value_shape(rt, v, &n, dims) == pnn_status_success, "shape");
    dims[0] = 1 + r.u8() % 3;
    if (n > 1) dims[n - 2] = 1 + r.u8() % 6;
    FUZZ_CHECK(pnn_reshape_external_value(rt, v, n, dims) == pnn_status_success, "%s",
               pnn_last_error_message());
    const pnn_status rs = pnn_reshape_runtime(rt, pool);
    if (rs != pnn_status_success) {
      ExpectReason(rs, "pnn_reshape_runtime");
      FUZZ_CHECK(pnn_invoke_runtime(rt, nullptr) == pnn_status_invalid_state,
                 "invoke after a failed reshape");
    } else if (Bind(rt, kinds, r, &e)) {
      RunBoth(rt, e, pool);
    }
    break;
  }
  pnn_delete_runtime(rt);
  return 0;
}

}  // namespace fuzz
