// Operators that become graph nodes: each handler reads the node's attributes and inputs the way
// its ONNX opset defines them, puts its inputs in the layout the portnn operator needs
// (src/onnx/importer.h), computes the output's ONNX dims and defines the node.
#include <cmath>
#include <cstring>

#include "onnx/importer.h"
#include "window.h"

namespace pnn {
namespace onnx {
namespace {

constexpr float kInf = INFINITY;

// An attribute string's enum value.
template <typename E>
struct Named {
  const char* name;
  E value;
};
template <typename E, size_t N>
bool lookup(const Named<E> (&table)[N], const std::string& name, E* out) {
  for (const Named<E>& entry : table) {
    if (name == entry.name) {
      *out = entry.value;
      return true;
    }
  }
  return false;
}

// Broadcast of two ONNX shapes (numpy rules); false when they do not broadcast.
bool broadcast(const Dims& a, const Dims& b, Dims* out) {
  const size_t rank = a.size() > b.size() ? a.size() : b.size();
  out->assign(rank, 1);
  for (size_t k = 0; k < rank; k++) {
    const int64_t da = k < rank - a.size() ? 1 : a[k - (rank - a.size())];
    const int64_t db = k < rank - b.size() ? 1 : b[k - (rank - b.size())];
    if (da != db && da != 1 && db != 1) return false;
    (*out)[k] = da == 1 ? db : da;
  }
  return true;
}

}  // namespace

// Attributes of a 2-D sliding window (Conv, ConvTranspose, MaxPool, AveragePool): kernel from
// `kernel` (the weights' or kernel_shape), strides, dilations, pads, auto_pad, ceil_mode.
struct Window2d {
  WindowSpec axis[2];
  uint32_t flags = 0;  // PNN_FLAG_TENSORFLOW_SAME_PADDING / PNN_FLAG_SAME_LOWER_PADDING / CEIL
  uint32_t adjustment[2] = {0, 0};
};

static pnn_status read_window(Importer& im, const Node& n, const int64_t kernel[2], bool pooling,
                              Window2d* w) {
  std::vector<int64_t> strides, dilations, pads, kshape;
  bool has = false;
  PNN_TRY(im.attr_ints(n, "kernel_shape", &kshape, &has));
  if (has && (kshape.size() != 2 || (!pooling && (kshape[0] != kernel[0] || kshape[1] != kernel[1])))) {
    return im.node_fail(n, "kernel_shape does not match a 2-D kernel of the weights");
  }
  PNN_TRY(im.attr_ints(n, "strides", &strides, &has));
  if (has && strides.size() != 2) return im.node_fail(n, "strides must have 2 entries");
  PNN_TRY(im.attr_ints(n, "dilations", &dilations, &has));
  if (has && dilations.size() != 2) return im.node_fail(n, "dilations must have 2 entries");
  PNN_TRY(im.attr_ints(n, "pads", &pads, &has));
  if (has && pads.size() != 4) return im.node_fail(n, "pads must have 4 entries");
  std::string auto_pad;
  PNN_TRY(im.attr_string(n, "auto_pad", "NOTSET", &auto_pad));
  int64_t ceil_mode = 0;
  if (pooling) PNN_TRY(im.attr_int(n, "ceil_mode", 0, &ceil_mode));
  for (size_t a = 0; a < 2; a++) {
    const int64_t k = kernel[a];
    const int64_t s = strides.empty() ? 1 : strides[a];
    const int64_t d = dilations.empty() ? 1 : dilations[a];
    const int64_t pb = pads.empty() ? 0 : pads[a];
    const int64_t pe = pads.empty() ? 0 : pads[a + 2];
    if (k < 1 || s < 1 || d < 1 || k > UINT32_MAX || s > UINT32_MAX || d > UINT32_MAX) {
      return im.node_fail(n, "kernel, strides and dilations must be 1 to 2^32-1");
    }
    if (pb < 0 || pe < 0 || pb > UINT32_MAX || pe > UINT32_MAX) {
      return im.node_fail(n, "pads must be 0 to 2^32-1 (negative pads are not supported)");
    }
    WindowSpec& spec = w->axis[a];
    spec.kernel = static_cast<uint32_t>(k);
    spec.stride = static_cast<uint32_t>(s);
    spec.dilation = static_cast<uint32_t>(d);
    spec.pad_before = static_cast<uint32_t>(pb);
    spec.pad_after = static_cast<uint32_t>(pe);
    spec.ceil_mode = ceil_mode != 0;
  }
  if (auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER") {
    const bool lower = auto_pad == "SAME_LOWER";
    w->flags |= lower ? PNN_FLAG_SAME_LOWER_PADDING : PNN_FLAG_TENSORFLOW_SAME_PADDING;
    for (WindowSpec& spec : w->axis) {
      spec.pad_before = spec.pad_after = 0;
      spec.padding = lower ? Padding::kSameLower : Padding::kSameUpper;
    }
  } else if (auto_pad == "VALID") {
    for (WindowSpec& spec : w->axis) spec.pad_before = spec.pad_after = 0;
  } else if (auto_pad != "NOTSET") {
    return im.node_fail(n, "auto_pad '%s' is not NOTSET, SAME_UPPER, SAME_LOWER or VALID",
                        auto_pad.c_str());
  }
  if (ceil_mode != 0) {
    if (w->flags != 0) return im.node_fail(n, "ceil_mode with auto_pad SAME is not supported");
    w->flags |= PNN_FLAG_CEIL_MODE;
  }
  return pnn_status_success;
}

// Output size of both axes for input height and width (the window module's arithmetic).
static pnn_status window_output(Importer& im, const Node& n, const Window2d& w, int64_t h,
                                int64_t wd, int64_t* oh, int64_t* ow) {
  static const WindowNames kNames[2] = {
      {"height", "kernel height", "stride height", "dilation height", "pad top", "pad bottom"},
      {"width", "kernel width", "stride width", "dilation width", "pad left", "pad right"}};
  WindowAxis axis[2];
  const int64_t in[2] = {h, wd};
  for (size_t a = 0; a < 2; a++) {
    const pnn_status status =
        resolve_window(static_cast<uint64_t>(in[a]), w.axis[a], kNames[a], &axis[a]);
    if (status != pnn_status_success) return im.defined(n, status);
  }
  if (axis[0].out > static_cast<uint64_t>(kMaxDim) || axis[1].out > static_cast<uint64_t>(kMaxDim)) {
    return im.node_fail(n, "the output is larger than 2^31 per axis");
  }
  *oh = static_cast<int64_t>(axis[0].out);
  *ow = static_cast<int64_t>(axis[1].out);
  return pnn_status_success;
}

// The 4-D image input of a windowed operator, in NHWC order.
static pnn_status image_input(Importer& im, const Node& n, Computed* x) {
  const Value* v = nullptr;
  PNN_TRY(im.input(n, 0, &v));
  if (v->is_constant) return im.unsupported(n, "a constant image input");
  if (v->t.dims.size() != 4) {
    return im.node_fail(n, "input 0 has %zu dims; portnn supports the 2-D (4-D NCHW) form only",
                        v->t.dims.size());
  }
  return im.to_layout(n, v->t, nhwc_perm(), x);
}

static pnn_status image_output(Importer& im, const Node& n, int64_t batch, int64_t channels,
                               int64_t h, int64_t w, Computed* out) {
  out->dims = {batch, channels, h, w};
  out->perm = nhwc_perm();
  int64_t count = 0;
  if (!element_count(out->dims, &count)) return im.node_fail(n, "the output has more than 2^31 elements");
  return im.new_value(n, permute_dims(out->dims, out->perm), &out->id);
}

// Kernel rows and columns at the ends of the window that read only padding at this input size
// (dilated convolutions on small maps: DeepLab's atrous rates of 24 and 36 on a 14x14 map leave
// only the center tap) are dropped, and the padding shifted so that every output reads the same
// input positions: the products dropped are weight x 0, so the result is the same (up to the
// sign of a zero sum) when those weights are finite, which is checked. Explicit padding only.
// True and `*out` = the trimmed weights when something was dropped.
static bool prune_padding_taps(const Constant& w, int64_t h, int64_t wd, int64_t oh, int64_t ow,
                               Window2d* win, Constant* out) {
  if (win->flags != 0 || !w.is_float) return false;
  int64_t first[2], last[2];
  const int64_t in[2] = {h, wd}, outs[2] = {oh, ow};
  uint32_t pad_before[2], pad_after[2];
  bool any = false;
  for (size_t a = 0; a < 2; a++) {
    const WindowSpec& s = win->axis[a];
    const int64_t k = s.kernel, st = s.stride, d = s.dilation, pb = s.pad_before;
    // Tap t reads input o*st + t*d - pb for outputs o in [0, out): valid for some o?
    auto valid = [&](int64_t t) {
      const int64_t lo = pb - t * d;  // o*st must lie in [lo, lo + in)
      const int64_t o = lo <= 0 ? 0 : (lo + st - 1) / st;
      return o < outs[a] && o * st < lo + in[a];
    };
    first[a] = 0;
    last[a] = k - 1;
    while (first[a] < k && !valid(first[a])) first[a]++;
    while (last[a] > first[a] && !valid(last[a])) last[a]--;
    if (first[a] >= k) return false;  // no tap reads the input (rejected by the operator)
    const int64_t kk = last[a] - first[a] + 1;
    const int64_t new_pb = pb - first[a] * d;
    if (new_pb < 0) return false;
    const int64_t extent = d * (kk - 1) + 1;
    int64_t new_pa = (outs[a] - 1) * st + extent - in[a] - new_pb;
    if (new_pa < 0) new_pa = 0;
    if ((in[a] + new_pb + new_pa - extent) / st + 1 != outs[a]) return false;
    pad_before[a] = static_cast<uint32_t>(new_pb);
    pad_after[a] = static_cast<uint32_t>(new_pa);
    any = any || kk != k;
  }
  if (!any) return false;
  const int64_t m = w.dims[0], c = w.dims[1], kh = w.dims[2], kw = w.dims[3];
  const int64_t nh = last[0] - first[0] + 1, nw = last[1] - first[1] + 1;
  out->is_float = true;
  out->dims = {m, c, nh, nw};
  out->f.clear();
  for (int64_t o = 0; o < m * c; o++) {
    for (int64_t y = 0; y < kh; y++) {
      for (int64_t x = 0; x < kw; x++) {
        const float v = w.fdata()[static_cast<size_t>((o * kh + y) * kw + x)];
        const bool kept = y >= first[0] && y <= last[0] && x >= first[1] && x <= last[1];
        if (kept) {
          out->f.push_back(v);
        } else if (!std::isfinite(v)) {
          return false;  // inf * 0 is NaN: the dropped tap matters
        }
      }
    }
  }
  for (size_t a = 0; a < 2; a++) {
    win->axis[a].kernel = static_cast<uint32_t>(last[a] - first[a] + 1);
    win->axis[a].pad_before = pad_before[a];
    win->axis[a].pad_after = pad_after[a];
  }
  return true;
}

// What Conv and ConvTranspose both read: the image in NHWC, constant 4-D weights, an optional
// constant bias, the group count.
struct ConvInputs {
  Computed x;
  const Constant* w = nullptr;
  const Constant* b = nullptr;
  int64_t group = 1;
};

static pnn_status conv_inputs(Importer& im, const Node& n, ConvInputs* in) {
  PNN_TRY(image_input(im, n, &in->x));
  PNN_TRY(im.constant_input(n, 1, &in->w, "weights"));
  if (im.has_input(n, 2)) PNN_TRY(im.constant_input(n, 2, &in->b, "bias"));
  if (in->w->dims.size() != 4) {
    return im.node_fail(n, "the weights have %zu dims; 4 expected", in->w->dims.size());
  }
  return im.attr_int(n, "group", 1, &in->group);
}

// The window fields convolution and deconvolution parameters share.
template <typename Params>
static void set_window(const Window2d& win, Params* p) {
  p->padding_top = win.axis[0].pad_before;
  p->padding_bottom = win.axis[0].pad_after;
  p->padding_left = win.axis[1].pad_before;
  p->padding_right = win.axis[1].pad_after;
  p->kernel_height = win.axis[0].kernel;
  p->kernel_width = win.axis[1].kernel;
  p->stride_height = win.axis[0].stride;
  p->stride_width = win.axis[1].stride;
  p->dilation_height = win.axis[0].dilation;
  p->dilation_width = win.axis[1].dilation;
  p->output_min = -kInf;
  p->output_max = kInf;
}

// 1-D windows (Conv, MaxPool, AveragePool on [N][C][L]) run as 2-D ones of height 1: the input
// stored as [N][L][C] is already an NHWC [N][1][L][C] (a view), the weights [M][C/g][k] get a
// unit height, the attributes a leading 1 (pads [b, e] -> [0, b, 0, e]), and the 2-D result
// [N][1][L'][M] is viewed back as [N][M][L'] stored [N][L'][M]. `handler` is the 2-D handler; it
// runs on a copy of the node whose inputs and output are temporary values.
pnn_status Importer::lift_1d(const Node& n, Handler handler) {
  const Value* v = nullptr;
  PNN_TRY(input(n, 0, &v));
  if (v->is_constant) return unsupported(n, "a constant input");
  Computed x;
  PNN_TRY(to_layout(n, v->t, Perm{0, 2, 1}, &x));
  const Dims& d = x.dims;  // [N][C][L]
  const std::string tmp = "#1d:" + n.outputs[0];
  Value in4;
  in4.t.dims = {d[0], d[1], 1, d[2]};
  in4.t.perm = nhwc_perm();
  PNN_TRY(new_value(n, permute_dims(in4.t.dims, in4.t.perm), &in4.t.id));
  const size_t dims4[4] = {static_cast<size_t>(d[0]), 1, static_cast<size_t>(d[2]),
                           static_cast<size_t>(d[1])};
  PNN_TRY(defined(n, pnn_define_reshape(graph(), 4, dims4, x.id, in4.t.id), " (1-D view)"));
  Node n2 = n;
  n2.inputs[0] = tmp + ":in";
  n2.outputs = {tmp + ":out"};
  values_[n2.inputs[0]] = in4;
  if (has_input(n, 1)) {  // Conv's weights: [M][C/g][k] -> [M][C/g][1][k]
    const Constant* w = nullptr;
    PNN_TRY(constant_input(n, 1, &w, "weights"));
    if (w->dims.size() != 3) return node_fail(n, "the weights have %zu dims; 3 expected", w->dims.size());
    Value w4;
    w4.is_constant = true;
    w4.c = *w;
    w4.c.dims = {w->dims[0], w->dims[1], 1, w->dims[2]};
    n2.inputs[1] = tmp + ":w";
    values_[n2.inputs[1]] = std::move(w4);
  }
  for (Attribute& a : n2.attributes) {
    if (a.type != kAttrInts) continue;
    if (a.name == "kernel_shape" || a.name == "strides" || a.name == "dilations" ||
        a.name == "output_padding") {
      if (a.ints.size() != 1) return node_fail(n, "attribute %s needs 1 entry (1-D)", a.name.c_str());
      a.ints.insert(a.ints.begin(), 1);
    } else if (a.name == "pads") {
      if (a.ints.size() != 2) return node_fail(n, "attribute pads needs 2 entries (1-D)");
      a.ints = {0, a.ints[0], 0, a.ints[1]};
    }
  }
  const pnn_status status = (this->*handler)(n2);
  const Computed out4 = status == pnn_status_success ? values_[n2.outputs[0]].t : Computed();
  values_.erase(n2.inputs[0]);
  if (n2.inputs.size() > 1) values_.erase(n2.inputs[1]);
  values_.erase(n2.outputs[0]);
  PNN_TRY(status);
  Computed out;
  out.dims = {out4.dims[0], out4.dims[1], out4.dims[3]};
  out.perm = {0, 2, 1};
  PNN_TRY(new_value(n, permute_dims(out.dims, out.perm), &out.id));
  const size_t dims3[3] = {static_cast<size_t>(out.dims[0]), static_cast<size_t>(out.dims[2]),
                           static_cast<size_t>(out.dims[1])};
  PNN_TRY(defined(n, pnn_define_reshape(graph(), 3, dims3, out4.id, out.id), " (1-D view)"));
  set_tensor(n, 0, out);
  return pnn_status_success;
}

// True for a 1-D windowed node (a 3-D input), which lift_1d() runs.
static bool is_1d(Importer& im, const Node& n) {
  const Value* v = nullptr;
  return im.has_input(n, 0) && im.input(n, 0, &v) == pnn_status_success && !v->is_constant &&
         v->t.dims.size() == 3;
}

pnn_status Importer::conv(const Node& n) {
  if (is_1d(*this, n)) return lift_1d(n, &Importer::conv);
  ConvInputs in;
  PNN_TRY(conv_inputs(*this, n, &in));
  const Computed& x = in.x;
  const Constant* w = in.w;
  const Constant* b = in.b;
  const int64_t group = in.group;
  const int64_t c = x.dims[1], m = w->dims[0];
  if (group < 1 || group > UINT32_MAX || c % group != 0 || m % group != 0 || w->dims[1] != c / group) {
    return node_fail(n, "group %lld does not divide the %lld input and %lld output channels with "
                     "weights of %lld input channels per group",
                     static_cast<long long>(group), static_cast<long long>(c),
                     static_cast<long long>(m), static_cast<long long>(w->dims[1]));
  }
  if (b != nullptr && static_cast<int64_t>(b->count()) != m) {
    return node_fail(n, "the bias has %zu values; %lld output channels", b->count(),
                     static_cast<long long>(m));
  }
  Window2d win;
  PNN_TRY(read_window(*this, n, &w->dims[2], false, &win));
  int64_t oh = 0, ow = 0;
  PNN_TRY(window_output(*this, n, win, x.dims[2], x.dims[3], &oh, &ow));
  Constant pruned;
  if (prune_padding_taps(*w, x.dims[2], x.dims[3], oh, ow, &win, &pruned)) w = &pruned;
  pnn_convolution2d_params p{};
  set_window(win, &p);
  p.groups = static_cast<uint32_t>(group);
  p.group_input_channels = static_cast<size_t>(c / group);
  p.group_output_channels = static_cast<size_t>(m / group);
  p.flags = win.flags;
  uint32_t wid = 0, bid = PNN_INVALID_VALUE_ID;
  PNN_TRY(static_value(n, *w, 4, nhwc_perm(), &wid));  // OIHW -> [O][kh][kw][I]
  if (b != nullptr) PNN_TRY(static_value(n, *b, 1, identity_perm(1), &bid));
  Computed out;
  PNN_TRY(image_output(*this, n, x.dims[0], m, oh, ow, &out));
  PNN_TRY(defined(n, pnn_define_convolution2d(graph(), &p, x.id, wid, bid, out.id)));
  set_tensor(n, 0, out);
  return pnn_status_success;
}

pnn_status Importer::conv_transpose(const Node& n) {
  ConvInputs in;
  PNN_TRY(conv_inputs(*this, n, &in));
  const Computed& x = in.x;
  const Constant* w = in.w;
  const Constant* b = in.b;
  const int64_t group = in.group;
  const int64_t c = x.dims[1];
  if (group < 1 || group > UINT32_MAX || c % group != 0 || w->dims[0] != c) {
    return node_fail(n, "the weights' first dim (%lld) must equal the %lld input channels, "
                     "divisible by group %lld",
                     static_cast<long long>(w->dims[0]), static_cast<long long>(c),
                     static_cast<long long>(group));
  }
  const int64_t gic = c / group, goc = w->dims[1], m = goc * group;
  if (b != nullptr && static_cast<int64_t>(b->count()) != m) {
    return node_fail(n, "the bias has %zu values; %lld output channels", b->count(),
                     static_cast<long long>(m));
  }
  bool has = false;
  std::vector<int64_t> output_shape, output_padding;
  PNN_TRY(attr_ints(n, "output_shape", &output_shape, &has));
  if (has) return unsupported(n, "attribute output_shape (give pads and output_padding)");
  PNN_TRY(attr_ints(n, "output_padding", &output_padding, &has));
  if (has && output_padding.size() != 2) return node_fail(n, "output_padding must have 2 entries");
  Window2d win;
  PNN_TRY(read_window(*this, n, &w->dims[2], false, &win));
  if (win.flags != 0) return unsupported(n, "auto_pad SAME for ConvTranspose");
  int64_t out_hw[2];
  for (size_t a = 0; a < 2; a++) {
    const int64_t adj = output_padding.empty() ? 0 : output_padding[a];
    if (adj < 0 || adj > UINT32_MAX) return node_fail(n, "output_padding must be >= 0");
    win.adjustment[a] = static_cast<uint32_t>(adj);
    const WindowSpec& s = win.axis[a];
    // out = (in - 1) * stride + adjustment + extent - pads, all within 2^31 per axis (checked).
    const int64_t full = (x.dims[2 + a] - 1) * int64_t{s.stride} + adj +
                         static_cast<int64_t>(s.extent());
    out_hw[a] = full - s.pad_before - s.pad_after;
    if (out_hw[a] < 1 || out_hw[a] > kMaxDim) {
      return node_fail(n, "the output size along axis %zu would be %lld", a + 2,
                       static_cast<long long>(out_hw[a]));
    }
  }
  pnn_deconvolution2d_params p{};
  set_window(win, &p);
  p.adjustment_height = win.adjustment[0];
  p.adjustment_width = win.adjustment[1];
  p.groups = static_cast<uint32_t>(group);
  p.group_input_channels = static_cast<size_t>(gic);
  p.group_output_channels = static_cast<size_t>(goc);
  // ONNX weights [C][GOC][kh][kw] (C = group * GIC) -> portnn [group * GOC][kh][kw][GIC].
  Constant packed;
  packed.dims = {m, w->dims[2], w->dims[3], gic};
  packed.f.resize(w->count());
  const int64_t khw = w->dims[2] * w->dims[3];
  for (int64_t g = 0; g < group; g++) {
    for (int64_t oc = 0; oc < goc; oc++) {
      for (int64_t k = 0; k < khw; k++) {
        for (int64_t ic = 0; ic < gic; ic++) {
          const int64_t src = (((g * gic + ic) * goc) + oc) * khw + k;
          const int64_t dst = ((g * goc + oc) * khw + k) * gic + ic;
          packed.f[dst] = static_cast<float>(w->at(src));
        }
      }
    }
  }
  uint32_t wid = 0, bid = PNN_INVALID_VALUE_ID;
  PNN_TRY(static_value(n, packed, 4, identity_perm(4), &wid));
  if (b != nullptr) PNN_TRY(static_value(n, *b, 1, identity_perm(1), &bid));
  Computed out;
  PNN_TRY(image_output(*this, n, x.dims[0], m, out_hw[0], out_hw[1], &out));
  PNN_TRY(defined(n, pnn_define_deconvolution2d(graph(), &p, x.id, wid, bid, out.id)));
  set_tensor(n, 0, out);
  return pnn_status_success;
}

pnn_status Importer::pool(const Node& n) {
  if (is_1d(*this, n)) return lift_1d(n, &Importer::pool);
  const bool max = n.op_type == "MaxPool";
  if (n.outputs.size() > 1 && !n.outputs[1].empty()) {
    return unsupported(n, "output 1 (Indices)");
  }
  Computed x;
  PNN_TRY(image_input(*this, n, &x));
  std::vector<int64_t> kshape;
  bool has = false;
  PNN_TRY(attr_ints(n, "kernel_shape", &kshape, &has));
  if (kshape.size() != 2) return node_fail(n, "kernel_shape must have 2 entries (2-D pooling)");
  int64_t storage_order = 0, count_include_pad = 0;
  PNN_TRY(attr_int(n, "storage_order", 0, &storage_order));
  if (storage_order != 0) return unsupported(n, "storage_order 1");
  if (!max) PNN_TRY(attr_int(n, "count_include_pad", 0, &count_include_pad));
  Window2d win;
  PNN_TRY(read_window(*this, n, kshape.data(), true, &win));
  int64_t oh = 0, ow = 0;
  PNN_TRY(window_output(*this, n, win, x.dims[2], x.dims[3], &oh, &ow));
  pnn_pooling2d_params p{};
  p.padding_top = win.axis[0].pad_before;
  p.padding_bottom = win.axis[0].pad_after;
  p.padding_left = win.axis[1].pad_before;
  p.padding_right = win.axis[1].pad_after;
  p.pooling_height = win.axis[0].kernel;
  p.pooling_width = win.axis[1].kernel;
  p.stride_height = win.axis[0].stride;
  p.stride_width = win.axis[1].stride;
  p.dilation_height = win.axis[0].dilation;
  p.dilation_width = win.axis[1].dilation;
  p.channels = static_cast<size_t>(x.dims[1]);
  p.output_min = -kInf;
  p.output_max = kInf;
  p.flags = win.flags | (count_include_pad != 0 ? PNN_FLAG_COUNT_INCLUDE_PAD : 0);
  Computed out;
  PNN_TRY(image_output(*this, n, x.dims[0], x.dims[1], oh, ow, &out));
  PNN_TRY(defined(n, max ? pnn_define_max_pooling2d(graph(), &p, x.id, out.id)
                         : pnn_define_average_pooling2d(graph(), &p, x.id, out.id)));
  set_tensor(n, 0, out);
  return pnn_status_success;
}

pnn_status Importer::global_pool(const Node& n) {
  Computed x;
  PNN_TRY(image_input(*this, n, &x));
  Computed out;
  PNN_TRY(image_output(*this, n, x.dims[0], x.dims[1], 1, 1, &out));
  if (n.op_type == "GlobalAveragePool") {
    PNN_TRY(defined(n, pnn_define_global_average_pooling2d(graph(), -kInf, kInf, x.id, out.id,
                                                            PNN_FLAG_KEEP_DIMS)));
  } else {
    const int32_t axes[2] = {1, 2};  // H and W of NHWC
    PNN_TRY(defined(n, pnn_define_reduce(graph(), pnn_reduce_max, 2, axes, x.id, out.id,
                                         PNN_FLAG_KEEP_DIMS)));
  }
  set_tensor(n, 0, out);
  return pnn_status_success;
}

// Fully connected over the last ONNX axis of `a` with constant weights [K][N] (transposed = false:
// ONNX MatMul / Gemm transB 0) or [N][K] (transposed), optional bias [N].
static pnn_status fully_connected(Importer& im, const Node& n, const Computed& a, const Constant& w,
                                  bool weights_nk, const Constant* bias, Computed* out) {
  const size_t rank = a.dims.size();
  const int64_t k = a.dims[rank - 1];
  const int64_t wk = weights_nk ? w.dims[1] : w.dims[0];
  const int64_t wn = weights_nk ? w.dims[0] : w.dims[1];
  if (wk != k) {
    return im.node_fail(n, "the input's last dim is %lld; the weights expect %lld",
                        static_cast<long long>(k), static_cast<long long>(wk));
  }
  // Rows are every other axis, in stored order: any layout whose last stored axis is the last
  // ONNX axis works as is, and the output keeps it.
  Computed in = a;
  if (a.perm[rank - 1] != rank - 1) PNN_TRY(im.to_layout(n, a, identity_perm(rank), &in));
  uint32_t wid = 0, bid = PNN_INVALID_VALUE_ID;
  PNN_TRY(im.static_value(n, w, 2, identity_perm(2), &wid));
  if (bias != nullptr) PNN_TRY(im.static_value(n, *bias, 1, identity_perm(1), &bid));
  out->dims = in.dims;
  out->dims[rank - 1] = wn;
  out->perm = in.perm;
  PNN_TRY(im.new_value(n, permute_dims(out->dims, out->perm), &out->id));
  return im.defined(n, pnn_define_fully_connected(im.graph(), -kInf, kInf, in.id, wid, bid, out->id,
                                                  weights_nk ? 0 : PNN_FLAG_TRANSPOSE_WEIGHTS));
}

pnn_status Importer::gemm(const Node& n) {
  const Value* a = nullptr;
  PNN_TRY(input(n, 0, &a));
  const Constant* w = nullptr;
  PNN_TRY(constant_input(n, 1, &w, "B"));
  const Constant* c = nullptr;
  if (has_input(n, 2)) PNN_TRY(constant_input(n, 2, &c, "C"));
  if (a->is_constant) return unsupported(n, "a constant input A");
  float alpha = 1.0f, beta = 1.0f;
  int64_t trans_a = 0, trans_b = 0;
  PNN_TRY(attr_float(n, "alpha", 1.0f, &alpha));
  PNN_TRY(attr_float(n, "beta", 1.0f, &beta));
  PNN_TRY(attr_int(n, "transA", 0, &trans_a));
  PNN_TRY(attr_int(n, "transB", 0, &trans_b));
  if (a->t.dims.size() != 2 || w->dims.size() != 2) return node_fail(n, "A and B must be 2-D");
  Computed in = a->t;
  // Relabel: a transposed A is the same storage read with the axes swapped.
  if (trans_a != 0) {
    Computed t = a->t;
    in.dims = {t.dims[1], t.dims[0]};
    in.perm = {1 - t.perm[0], 1 - t.perm[1]};
  }
  const int64_t nn = trans_b != 0 ? w->dims[0] : w->dims[1];
  Constant weights = *w;
  if (alpha != 1.0f) {
    if (!weights.is_float) return node_fail(n, "B is not float");
    weights.own();
    for (float& v : weights.f) v *= alpha;
  }
  Constant bias;
  bool has_bias = false;
  if (c != nullptr && beta != 0.0f) {
    // C broadcasts to [M][N]: per-column ([N], [1][N] or a scalar) becomes the bias.
    const size_t count = c->count();
    const bool per_column = (c->dims.size() <= 2 && (count == 1 || count == static_cast<size_t>(nn)) &&
                             (c->dims.size() < 2 || c->dims[0] == 1 || count == 1));
    if (!per_column) return unsupported(n, "a C that varies along the rows");
    bias.dims = {nn};
    bias.f.resize(static_cast<size_t>(nn));
    for (int64_t j = 0; j < nn; j++) bias.f[j] = beta * static_cast<float>(c->at(count == 1 ? 0 : j));
    has_bias = true;
  }
  Computed out;
  PNN_TRY(fully_connected(*this, n, in, weights, trans_b != 0, has_bias ? &bias : nullptr, &out));
  set_tensor(n, 0, out);
  return pnn_status_success;
}

pnn_status Importer::matmul(const Node& n) {
  const Value* a = nullptr;
  const Value* b = nullptr;
  PNN_TRY(input(n, 0, &a));
  PNN_TRY(input(n, 1, &b));
  if (a->is_constant) return unsupported(n, "a constant first input");
  const Computed& at = a->t;
  if (at.dims.size() < 2) return unsupported(n, "a 1-D first input");
  if (b->is_constant) {
    if (b->c.dims.size() != 2) return unsupported(n, "a constant second input that is not 2-D");
    Computed out;
    PNN_TRY(fully_connected(*this, n, at, b->c, false, nullptr, &out));
    set_tensor(n, 0, out);
    return pnn_status_success;
  }
  const Computed& bt = b->t;
  if (bt.dims.size() < 2) return unsupported(n, "a 1-D second input");
  // Batch matmul over ONNX order; B stored with its last two axes swapped is read transposed.
  Computed ai, bi;
  PNN_TRY(to_layout(n, at, identity_perm(at.dims.size()), &ai));
  uint32_t flags = 0;
  const size_t rb = bt.dims.size();
  Perm swapped = identity_perm(rb);
  std::swap(swapped[rb - 1], swapped[rb - 2]);
  if (bt.perm == swapped) {
    bi = bt;
    flags |= PNN_FLAG_TRANSPOSE_B;
  } else {
    PNN_TRY(to_layout(n, bt, identity_perm(rb), &bi));
  }
  const size_t ra = at.dims.size();
  const int64_t m = at.dims[ra - 2], k = at.dims[ra - 1];
  const int64_t kb = bt.dims[rb - 2], nn = bt.dims[rb - 1];
  if (k != kb) {
    return node_fail(n, "inner dims differ: %lld and %lld", static_cast<long long>(k),
                     static_cast<long long>(kb));
  }
  Dims batch;
  if (!broadcast(Dims(at.dims.begin(), at.dims.end() - 2), Dims(bt.dims.begin(), bt.dims.end() - 2),
                 &batch)) {
    return node_fail(n, "the batch dims do not broadcast");
  }
  Computed out;
  out.dims = batch;
  out.dims.push_back(m);
  out.dims.push_back(nn);
  out.perm = identity_perm(out.dims.size());
  PNN_TRY(new_value(n, out.dims, &out.id));
  PNN_TRY(defined(n, pnn_define_batch_matmul(graph(), ai.id, bi.id, out.id, flags)));
  set_tensor(n, 0, out);
  return pnn_status_success;
}

namespace {

struct UnaryOp {
  const char* op_type;
  pnn_unary_op op;
};

const UnaryOp kUnaryOps[] = {
    {"Relu", pnn_unary_clamp},        {"Clip", pnn_unary_clamp},
    {"LeakyRelu", pnn_unary_leaky_relu}, {"Elu", pnn_unary_elu},
    {"Sigmoid", pnn_unary_sigmoid},   {"Tanh", pnn_unary_tanh},
    {"HardSwish", pnn_unary_hardswish}, {"HardSigmoid", pnn_unary_hard_sigmoid},
    {"Gelu", pnn_unary_gelu},         {"Abs", pnn_unary_abs},
    {"Silu", pnn_unary_silu},
    {"Neg", pnn_unary_negate},        {"Sqrt", pnn_unary_sqrt},
    {"Exp", pnn_unary_exp},           {"Erf", pnn_unary_erf},
    {"Log", pnn_unary_log},           {"Reciprocal", pnn_unary_reciprocal},
    {"Floor", pnn_unary_floor},       {"Ceil", pnn_unary_ceil},
    {"Round", pnn_unary_round},       {"Sin", pnn_unary_sin},
    {"Cos", pnn_unary_cos},           {"Softplus", pnn_unary_softplus},
};

// The same functions on constants (shape chains rarely need more than these).
bool fold_unary(pnn_unary_op op, const pnn_unary_params& p, double x, double* y) {
  switch (op) {
    case pnn_unary_clamp: *y = x < p.min ? p.min : (x > p.max ? p.max : x); return true;
    case pnn_unary_abs: *y = std::fabs(x); return true;
    case pnn_unary_negate: *y = -x; return true;
    case pnn_unary_sqrt: *y = std::sqrt(x); return true;
    case pnn_unary_exp: *y = std::exp(x); return true;
    case pnn_unary_log: *y = std::log(x); return true;
    case pnn_unary_reciprocal: *y = 1.0 / x; return true;
    case pnn_unary_floor: *y = std::floor(x); return true;
    case pnn_unary_ceil: *y = std::ceil(x); return true;
    case pnn_unary_sigmoid: *y = 1.0 / (1.0 + std::exp(-x)); return true;
    case pnn_unary_tanh: *y = std::tanh(x); return true;
    case pnn_unary_erf: *y = std::erf(x); return true;
    default: return false;
  }
}

}  // namespace

pnn_status Importer::unary(const Node& n) {
  pnn_unary_op op = pnn_unary_clamp;
  for (const UnaryOp& u : kUnaryOps) {
    if (n.op_type == u.op_type) op = u.op;
  }
  pnn_unary_params p{};
  p.min = -kInf;
  p.max = kInf;
  uint32_t flags = 0;
  if (n.op_type == "Relu") {
    p.min = 0.0f;
  } else if (n.op_type == "Clip") {
    if (opset() < 11) {
      PNN_TRY(attr_float(n, "min", -3.402823466e38f, &p.min));
      PNN_TRY(attr_float(n, "max", 3.402823466e38f, &p.max));
    } else {
      for (size_t i = 1; i < 3; i++) {
        if (!has_input(n, i)) continue;
        const Constant* c = nullptr;
        PNN_TRY(constant_input(n, i, &c, i == 1 ? "min" : "max"));
        if (c->count() != 1) return node_fail(n, "input %zu must be a scalar", i);
        (i == 1 ? p.min : p.max) = static_cast<float>(c->at(0));
      }
    }
    if (!(p.min <= p.max)) return node_fail(n, "min %g is above max %g", p.min, p.max);
  } else if (n.op_type == "LeakyRelu") {
    PNN_TRY(attr_float(n, "alpha", 0.01f, &p.negative_slope));
  } else if (n.op_type == "Elu") {
    PNN_TRY(attr_float(n, "alpha", 1.0f, &p.alpha));
  } else if (n.op_type == "HardSigmoid") {
    PNN_TRY(attr_float(n, "alpha", 0.2f, &p.alpha));
    PNN_TRY(attr_float(n, "beta", 0.5f, &p.beta));
  } else if (n.op_type == "Gelu") {
    std::string approx;
    PNN_TRY(attr_string(n, "approximate", "none", &approx));
    if (approx == "tanh") {
      flags = PNN_FLAG_GELU_TANH_APPROXIMATION;
    } else if (approx != "none") {
      return node_fail(n, "approximate '%s' is not none or tanh", approx.c_str());
    }
  }
  const Value* x = nullptr;
  PNN_TRY(input(n, 0, &x));
  if (x->is_constant) {
    Constant c;
    c.dims = x->c.dims;
    c.is_float = x->c.is_float || (op != pnn_unary_clamp && op != pnn_unary_abs &&
                                   op != pnn_unary_negate);
    const size_t count = x->c.count();
    for (size_t k = 0; k < count; k++) {
      double y = 0;
      if (!fold_unary(op, p, x->c.at(k), &y)) return unsupported(n, "this operator on a constant");
      if (c.is_float) {
        c.f.push_back(static_cast<float>(y));
      } else {
        c.i.push_back(static_cast<int64_t>(y));
      }
    }
    return set_constant(n, 0, std::move(c));
  }
  Computed out;
  out.dims = x->t.dims;
  out.perm = x->t.perm;
  PNN_TRY(new_value(n, permute_dims(out.dims, out.perm), &out.id));
  PNN_TRY(defined(n, pnn_define_unary(graph(), op, &p, x->t.id, out.id, flags)));
  set_tensor(n, 0, out);
  return pnn_status_success;
}

pnn_status Importer::binary(const Node& n) {
  struct Op {
    const char* op_type;
    pnn_binary_op op;
  };
  static const Op kOps[] = {{"Add", pnn_binary_add},     {"Sub", pnn_binary_subtract},
                            {"Mul", pnn_binary_multiply}, {"Div", pnn_binary_divide},
                            {"Pow", pnn_binary_pow},      {"Max", pnn_binary_maximum},
                            {"Min", pnn_binary_minimum}};
  pnn_binary_op op = pnn_binary_add;
  for (const Op& o : kOps) {
    if (n.op_type == o.op_type) op = o.op;
  }
  const bool mod = n.op_type == "Mod";  // evaluated at load only (index arithmetic)
  int64_t fmod_attr = 0;
  if (mod) PNN_TRY(attr_int(n, "fmod", 0, &fmod_attr));
  if (n.inputs.size() != 2 && (n.op_type == "Max" || n.op_type == "Min")) {
    return unsupported(n, "Max / Min of other than two inputs");
  }
  const Value* a = nullptr;
  const Value* b = nullptr;
  PNN_TRY(input(n, 0, &a));
  PNN_TRY(input(n, 1, &b));
  const Dims& ad = a->is_constant ? a->c.dims : a->t.dims;
  const Dims& bd = b->is_constant ? b->c.dims : b->t.dims;
  Dims od;
  if (!broadcast(ad, bd, &od)) return node_fail(n, "the input shapes do not broadcast");
  int64_t count = 0;
  if (!element_count(od, &count)) return node_fail(n, "the output has more than 2^31 elements");
  if (a->is_constant && b->is_constant) {
    PNN_TRY(check_fold_size(n, count));
    Constant c;
    c.dims = od;
    c.is_float = a->c.is_float || b->c.is_float;
    const size_t rank = od.size();
    std::vector<size_t> pos(rank, 0);
    // Element index in an operand broadcast to od.
    auto index_of = [&](const Dims& d) {
      size_t idx = 0;
      for (size_t k = 0; k < d.size(); k++) {
        const size_t p = pos[k + rank - d.size()];
        idx = idx * static_cast<size_t>(d[k]) + (d[k] == 1 ? 0 : p);
      }
      return idx;
    };
    for (int64_t e = 0; e < count; e++) {
      const double x = a->c.at(index_of(ad)), y = b->c.at(index_of(bd));
      double r = 0;
      if (mod) {
        if (y == 0) return node_fail(n, "a modulus is 0");
        r = std::fmod(x, y);
        // fmod 0: the result takes the divisor's sign (integers; Python's %).
        if (fmod_attr == 0 && r != 0 && ((r < 0) != (y < 0))) r += y;
      } else switch (op) {
        case pnn_binary_add: r = x + y; break;
        case pnn_binary_subtract: r = x - y; break;
        case pnn_binary_multiply: r = x * y; break;
        case pnn_binary_divide:
          if (!c.is_float) {
            if (y == 0) return node_fail(n, "integer division by zero");
            r = static_cast<double>(a->c.int_at(index_of(ad)) / b->c.int_at(index_of(bd)));
          } else {
            r = x / y;
          }
          break;
        case pnn_binary_pow: r = std::pow(x, y); break;
        case pnn_binary_maximum: r = x > y ? x : y; break;
        case pnn_binary_minimum: r = x < y ? x : y; break;
        default: break;
      }
      if (c.is_float) {
        c.f.push_back(static_cast<float>(r));
      } else {
        c.i.push_back(static_cast<int64_t>(r));
      }
      for (size_t k = rank; k-- > 0;) {
        if (++pos[k] < static_cast<size_t>(od[k])) break;
        pos[k] = 0;
      }
    }
    return set_constant(n, 0, std::move(c));
  }
  if (mod) return unsupported(n, "Mod of a computed tensor");
  // The layout: that of a full-rank tensor operand (the first one), else ONNX order.
  const size_t rank = od.size();
  Perm perm = identity_perm(rank);
  if (!a->is_constant && a->t.dims.size() == rank) {
    perm = a->t.perm;
  } else if (!b->is_constant && b->t.dims.size() == rank) {
    perm = b->t.perm;
  }
  uint32_t ids[2];
  const Value* operands[2] = {a, b};
  for (size_t i = 0; i < 2; i++) {
    const Value* v = operands[i];
    if (v->is_constant) {
      PNN_TRY(static_value(n, v->c, rank, perm, &ids[i]));
      continue;
    }
    Computed t = v->t;
    if (t.dims.size() < rank) {
      Dims full(rank - t.dims.size(), 1);
      full.insert(full.end(), t.dims.begin(), t.dims.end());
      PNN_TRY(reshaped(n, t, full, &t));
    }
    PNN_TRY(to_layout(n, t, perm, &t));
    ids[i] = t.id;
  }
  Computed out;
  out.dims = od;
  out.perm = perm;
  PNN_TRY(new_value(n, permute_dims(od, perm), &out.id));
  PNN_TRY(defined(n, pnn_define_binary(graph(), op, -kInf, kInf, ids[0], ids[1], out.id, 0)));
  set_tensor(n, 0, out);
  return pnn_status_success;
}

pnn_status Importer::softmax(const Node& n) {
  const Value* x = nullptr;
  PNN_TRY(input(n, 0, &x));
  if (x->is_constant) return unsupported(n, "a constant input");
  const Computed& t = x->t;
  const size_t rank = t.dims.size();
  int64_t axis_attr = 0;
  PNN_TRY(attr_int(n, "axis", opset() >= 13 ? -1 : 1, &axis_attr));
  size_t axis = 0;
  PNN_TRY(normalize_axis(n, axis_attr, rank, &axis));
  const uint32_t flags = n.op_type == "LogSoftmax" ? PNN_FLAG_LOG_SOFTMAX : 0;
  Computed out;
  if (opset() >= 13 || axis == rank - 1) {
    out.dims = t.dims;
    out.perm = t.perm;
    PNN_TRY(new_value(n, permute_dims(out.dims, out.perm), &out.id));
    PNN_TRY(defined(n, pnn_define_softmax_axis(graph(), static_cast<int32_t>(stored_axis(t, axis)),
                                               t.id, out.id, flags)));
    set_tensor(n, 0, out);
    return pnn_status_success;
  }
  // Before opset 13: softmax over the input flattened to 2-D at `axis`.
  int64_t inner = 1;
  for (size_t k = axis; k < rank; k++) inner *= t.dims[k];
  int64_t outer = 1;
  for (size_t k = 0; k < axis; k++) outer *= t.dims[k];
  Computed flat;
  PNN_TRY(reshaped(n, t, Dims{outer, inner}, &flat));
  Computed y;
  y.dims = flat.dims;
  y.perm = flat.perm;
  PNN_TRY(new_value(n, y.dims, &y.id));
  PNN_TRY(defined(n, pnn_define_softmax_axis(graph(), 1, flat.id, y.id, flags)));
  PNN_TRY(reshaped(n, y, t.dims, &out));
  set_tensor(n, 0, out);
  return pnn_status_success;
}

// The layout that puts ONNX axis `axis` last and keeps the others in order.
static Perm axis_last(size_t rank, size_t axis) {
  Perm p;
  for (size_t k = 0; k < rank; k++) {
    if (k != axis) p.push_back(k);
  }
  p.push_back(axis);
  return p;
}

// Input 0 of a normalization, computed, for a node whose outputs past the first (statistics
// that only training or debugging reads, named by `extra`) nobody asked for.
static pnn_status normalized_input(Importer& im, const Node& n, const char* extra,
                                   const Value** x) {
  PNN_TRY(im.input(n, 0, x));
  if ((*x)->is_constant) return im.unsupported(n, "a constant input");
  for (size_t o = 1; o < n.outputs.size(); o++) {
    if (!n.outputs[o].empty()) return im.unsupported(n, extra);
  }
  return pnn_status_success;
}

pnn_status Importer::batch_norm(const Node& n) {
  const Value* x = nullptr;
  PNN_TRY(normalized_input(*this, n, "training outputs (running mean / var)", &x));
  int64_t training = 0;
  PNN_TRY(attr_int(n, "training_mode", 0, &training));
  if (training != 0) return unsupported(n, "training_mode 1");
  float epsilon = 1e-5f;
  PNN_TRY(attr_float(n, "epsilon", 1e-5f, &epsilon));
  const Computed& t = x->t;
  if (t.dims.size() < 2) return node_fail(n, "the input needs a channel axis (>= 2 dims)");
  const int64_t channels = t.dims[1];
  uint32_t ids[4];
  static const char* kNames[4] = {"scale", "B", "mean", "var"};
  for (size_t i = 0; i < 4; i++) {
    const Constant* c = nullptr;
    PNN_TRY(constant_input(n, i + 1, &c, kNames[i]));
    if (static_cast<int64_t>(c->count()) != channels) {
      return node_fail(n, "%s has %zu values; %lld channels", kNames[i], c->count(),
                       static_cast<long long>(channels));
    }
    PNN_TRY(static_value(n, *c, 1, identity_perm(1), &ids[i]));
  }
  Computed in;
  const Perm perm = t.dims.size() == 4 ? nhwc_perm() : axis_last(t.dims.size(), 1);
  PNN_TRY(to_layout(n, t, perm, &in));
  Computed out;
  out.dims = t.dims;
  out.perm = perm;
  PNN_TRY(new_value(n, permute_dims(out.dims, perm), &out.id));
  PNN_TRY(defined(n, pnn_define_batch_norm(graph(), epsilon, ids[2], ids[3], ids[0], ids[1], in.id,
                                           out.id)));
  set_tensor(n, 0, out);
  return pnn_status_success;
}

pnn_status Importer::layer_norm(const Node& n) {
  const Value* x = nullptr;
  PNN_TRY(normalized_input(*this, n, "outputs Mean and InvStdDev", &x));
  const Computed& t = x->t;
  const size_t rank = t.dims.size();
  int64_t axis_attr = -1, stash = 1;
  float epsilon = 1e-5f;
  PNN_TRY(attr_int(n, "axis", -1, &axis_attr));
  PNN_TRY(attr_float(n, "epsilon", 1e-5f, &epsilon));
  PNN_TRY(attr_int(n, "stash_type", 1, &stash));
  size_t axis = 0;
  PNN_TRY(normalize_axis(n, axis_attr, rank, &axis));
  // The normalized axes must be the trailing stored axes, in ONNX order.
  bool trailing = true;
  for (size_t k = axis; k < rank; k++) trailing = trailing && t.perm[k] == k;
  Computed in = t;
  if (!trailing) PNN_TRY(to_layout(n, t, identity_perm(rank), &in));
  const Constant* scale = nullptr;
  PNN_TRY(constant_input(n, 1, &scale, "Scale"));
  int64_t normalized = 1;
  for (size_t k = axis; k < rank; k++) normalized *= t.dims[k];
  uint32_t gid = 0, bid = PNN_INVALID_VALUE_ID;
  if (static_cast<int64_t>(scale->count()) != normalized) {
    return unsupported(n, "a Scale that broadcasts (it must hold one value per normalized element)");
  }
  PNN_TRY(static_value(n, *scale, scale->dims.size() == 0 ? 1 : scale->dims.size(),
                       identity_perm(scale->dims.size() == 0 ? 1 : scale->dims.size()), &gid));
  if (has_input(n, 2)) {
    const Constant* bias = nullptr;
    PNN_TRY(constant_input(n, 2, &bias, "B"));
    if (static_cast<int64_t>(bias->count()) != normalized) {
      return unsupported(n, "a B that broadcasts (it must hold one value per normalized element)");
    }
    PNN_TRY(static_value(n, *bias, bias->dims.size() == 0 ? 1 : bias->dims.size(),
                         identity_perm(bias->dims.size() == 0 ? 1 : bias->dims.size()), &bid));
  }
  Computed out;
  out.dims = t.dims;
  out.perm = in.perm;
  PNN_TRY(new_value(n, permute_dims(out.dims, out.perm), &out.id));
  PNN_TRY(defined(n, pnn_define_layer_norm(graph(), static_cast<int32_t>(axis), epsilon, gid, bid,
                                           in.id, out.id)));
  set_tensor(n, 0, out);
  return pnn_status_success;
}

pnn_status Importer::prelu(const Node& n) {
  const Value* x = nullptr;
  PNN_TRY(input(n, 0, &x));
  if (x->is_constant) return unsupported(n, "a constant input");
  const Constant* slope = nullptr;
  PNN_TRY(constant_input(n, 1, &slope, "slope"));
  const Computed& t = x->t;
  const size_t rank = t.dims.size();
  Computed in = t;
  Constant s = *slope;
  if (slope->count() != 1) {
    // Per-channel: the slope varies along ONNX axis 1 only (e.g. [C, 1, 1] for NCHW).
    if (rank < 2 || static_cast<int64_t>(slope->count()) != t.dims[1]) {
      return unsupported(n, "a slope that is neither a scalar nor per channel (axis 1)");
    }
    const Perm perm = rank == 4 ? nhwc_perm() : axis_last(rank, 1);
    PNN_TRY(to_layout(n, t, perm, &in));
  }
  s.dims = {static_cast<int64_t>(s.count())};
  uint32_t sid = 0;
  PNN_TRY(static_value(n, s, 1, identity_perm(1), &sid));
  Computed out;
  out.dims = t.dims;
  out.perm = in.perm;
  PNN_TRY(new_value(n, permute_dims(out.dims, out.perm), &out.id));
  PNN_TRY(defined(n, pnn_define_prelu(graph(), sid, in.id, out.id)));
  set_tensor(n, 0, out);
  return pnn_status_success;
}

pnn_status Importer::resize(const Node& n) {
  Computed x;
  PNN_TRY(image_input(*this, n, &x));
  std::string mode, coord, nearest;
  PNN_TRY(attr_string(n, "mode", "nearest", &mode));
  PNN_TRY(attr_string(n, "coordinate_transformation_mode",
                      n.op_type == "Upsample" || opset() < 11 ? "asymmetric" : "half_pixel", &coord));
  PNN_TRY(attr_string(n, "nearest_mode", opset() < 11 ? "floor" : "round_prefer_floor", &nearest));
  int64_t antialias = 0;
  PNN_TRY(attr_int(n, "antialias", 0, &antialias));
  if (antialias != 0) return unsupported(n, "antialias 1");
  if (attr(n, "axes") != nullptr) return unsupported(n, "attribute axes");
  pnn_resize2d_params p{};
  p.channels = static_cast<size_t>(x.dims[1]);
  static const Named<pnn_resize_mode> kModes[] = {
      {"nearest", pnn_resize_nearest}, {"linear", pnn_resize_bilinear},
      {"bilinear", pnn_resize_bilinear}};
  static const Named<pnn_resize_coordinate_mode> kCoordinates[] = {
      {"half_pixel", pnn_resize_half_pixel}, {"pytorch_half_pixel", pnn_resize_pytorch_half_pixel},
      {"align_corners", pnn_resize_align_corners}, {"asymmetric", pnn_resize_asymmetric}};
  static const Named<pnn_resize_nearest_mode> kNearest[] = {
      {"round_prefer_floor", pnn_resize_round_prefer_floor},
      {"round_prefer_ceil", pnn_resize_round_prefer_ceil},
      {"floor", pnn_resize_floor}, {"ceil", pnn_resize_ceil}};
  if (!lookup(kModes, mode, &p.mode)) {
    return node_fail(n, "mode '%s' is not supported (nearest, linear)", mode.c_str());
  }
  if (!lookup(kCoordinates, coord, &p.coordinate_mode)) {
    return node_fail(n, "coordinate_transformation_mode '%s' is not supported", coord.c_str());
  }
  if (!lookup(kNearest, nearest, &p.nearest_mode)) {
    return node_fail(n, "nearest_mode '%s' is not supported", nearest.c_str());
  }
  // Scales or sizes: Upsample / opset 10 input 1 = scales; opset 11+: roi, scales, sizes.
  const size_t scales_input = n.op_type == "Upsample" || opset() < 11 ? 1 : 2;
  const Constant* scales = nullptr;
  const Constant* sizes = nullptr;
  if (has_input(n, scales_input)) PNN_TRY(constant_input(n, scales_input, &scales, "scales"));
  if (scales_input == 2 && has_input(n, 3)) PNN_TRY(constant_input(n, 3, &sizes, "sizes"));
  if (scales != nullptr && scales->count() == 0) scales = nullptr;
  if (sizes != nullptr && sizes->count() == 0) sizes = nullptr;
  if ((scales == nullptr) == (sizes == nullptr)) {
    return node_fail(n, "exactly one of scales and sizes must be given");
  }
  size_t oh = 0, ow = 0;
  float sh = 0.0f, sw = 0.0f;
  Dims od = x.dims;
  if (sizes != nullptr) {
    if (sizes->count() != 4 || sizes->int_at(0) != x.dims[0] || sizes->int_at(1) != x.dims[1]) {
      return unsupported(n, "sizes that resize the batch or channel axes");
    }
    if (sizes->int_at(2) < 1 || sizes->int_at(3) < 1 || sizes->int_at(2) > kMaxDim ||
        sizes->int_at(3) > kMaxDim) {
      return node_fail(n, "sizes must be 1 to 2^31");
    }
    oh = static_cast<size_t>(sizes->int_at(2));
    ow = static_cast<size_t>(sizes->int_at(3));
    od[2] = static_cast<int64_t>(oh);
    od[3] = static_cast<int64_t>(ow);
  } else {
    if (scales->count() != 4 || scales->at(0) != 1.0 || scales->at(1) != 1.0) {
      return unsupported(n, "scales that resize the batch or channel axes");
    }
    sh = static_cast<float>(scales->at(2));
    sw = static_cast<float>(scales->at(3));
    if (!(sh > 0.0f) || !(sw > 0.0f)) return node_fail(n, "scales must be > 0");
    const double fh = std::floor(static_cast<double>(x.dims[2]) * sh);
    const double fw = std::floor(static_cast<double>(x.dims[3]) * sw);
    if (fh < 1.0 || fw < 1.0 || fh > static_cast<double>(kMaxDim) || fw > static_cast<double>(kMaxDim)) {
      return node_fail(n, "the scales give an output of %g x %g", fh, fw);
    }
    od[2] = static_cast<int64_t>(fh);
    od[3] = static_cast<int64_t>(fw);
  }
  Computed out;
  PNN_TRY(image_output(*this, n, od[0], od[1], od[2], od[3], &out));
  PNN_TRY(defined(n, pnn_define_resize2d(graph(), &p, oh, ow, sh, sw, x.id, out.id)));
  set_tensor(n, 0, out);
  return pnn_status_success;
}

}  // namespace onnx
}  // namespace pnn
