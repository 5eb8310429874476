// Data movement and reductions: the operators whose axis arguments follow a tensor's stored order
// (src/onnx/importer.h), and which exporters also apply to shape constants (Concat, Slice), where
// they are evaluated at load.
#include <cstring>

#include "onnx/importer.h"

namespace pnn {
namespace onnx {
namespace {

// Strides of ONNX row-major order.
std::vector<int64_t> strides_of(const Dims& dims) {
  std::vector<int64_t> s(dims.size(), 1);
  for (size_t a = dims.size(); a-- > 1;) s[a - 1] = s[a] * dims[a];
  return s;
}

// Visits every index of `dims` in row-major order: fn(position vector).
template <typename Fn>
void for_each_index(const Dims& dims, Fn fn) {
  int64_t count = 1;
  for (int64_t d : dims) count *= d;
  std::vector<int64_t> pos(dims.size(), 0);
  for (int64_t e = 0; e < count; e++) {
    fn(pos);
    for (size_t k = dims.size(); k-- > 0;) {
      if (++pos[k] < dims[k]) break;
      pos[k] = 0;
    }
  }
}

// A constant's element at a position of `dims` (its own dims).
void push_element(const Constant& from, int64_t index, Constant* to) {
  if (to->is_float) {
    to->f.push_back(static_cast<float>(from.at(static_cast<size_t>(index))));
  } else {
    to->i.push_back(from.int_at(static_cast<size_t>(index)));
  }
}

}  // namespace

pnn_status Importer::reduce(const Node& n) {
  const Value* x = nullptr;
  PNN_TRY(input(n, 0, &x));
  if (x->is_constant) return unsupported(n, "a constant input");
  const Computed& t = x->t;
  const size_t rank = t.dims.size();
  int64_t keepdims = 1, noop = 0;
  PNN_TRY(attr_int(n, "keepdims", 1, &keepdims));
  PNN_TRY(attr_int(n, "noop_with_empty_axes", 0, &noop));
  std::vector<int64_t> axes;
  bool has = false;
  const bool axes_input = n.op_type == "ReduceSum" ? opset() >= 13 : opset() >= 18;
  if (axes_input) {
    if (has_input(n, 1)) {
      const Constant* c = nullptr;
      PNN_TRY(constant_input(n, 1, &c, "axes"));
      for (size_t k = 0; k < c->count(); k++) axes.push_back(c->int_at(k));
    }
  } else {
    PNN_TRY(attr_ints(n, "axes", &axes, &has));
  }
  if (axes.empty() && noop != 0) {
    set_tensor(n, 0, t);
    return pnn_status_success;
  }
  std::vector<bool> reduced(rank, axes.empty());
  for (int64_t a : axes) {
    size_t axis = 0;
    PNN_TRY(normalize_axis(n, a, rank, &axis));
    if (reduced[axis]) return node_fail(n, "axis %lld is given twice", static_cast<long long>(a));
    reduced[axis] = true;
  }
  std::vector<int32_t> stored_axes;
  for (size_t k = 0; k < rank; k++) {
    if (reduced[k]) stored_axes.push_back(static_cast<int32_t>(stored_axis(t, k)));
  }
  pnn_reduce_op op = pnn_reduce_mean;
  if (n.op_type == "ReduceSum") op = pnn_reduce_sum;
  if (n.op_type == "ReduceMax") op = pnn_reduce_max;
  if (n.op_type == "ReduceMin") op = pnn_reduce_min;
  Computed out;
  if (keepdims != 0) {
    out.dims = t.dims;
    for (size_t k = 0; k < rank; k++) {
      if (reduced[k]) out.dims[k] = 1;
    }
    out.perm = t.perm;
  } else {
    // Drop the reduced axes and renumber the kept ones.
    std::vector<size_t> renumber(rank, 0);
    size_t next = 0;
    for (size_t k = 0; k < rank; k++) {
      if (!reduced[k]) {
        renumber[k] = next++;
        out.dims.push_back(t.dims[k]);
      }
    }
    for (size_t j = 0; j < rank; j++) {
      if (!reduced[t.perm[j]]) out.perm.push_back(renumber[t.perm[j]]);
    }
    if (out.dims.empty()) return unsupported(n, "a reduction to a scalar without keepdims");
  }
  PNN_TRY(new_value(n, permute_dims(out.dims, out.perm), &out.id));
  PNN_TRY(defined(n, pnn_define_reduce(graph(), op, stored_axes.size(), stored_axes.data(), t.id,
                                       out.id, keepdims != 0 ? PNN_FLAG_KEEP_DIMS : 0)));
  set_tensor(n, 0, out);
  return pnn_status_success;
}

pnn_status Importer::concat(const Node& n) {
  std::vector<const Value*> parts;
  for (size_t i = 0; i < n.inputs.size(); i++) {
    const Value* v = nullptr;
    allow_empty_ = true;
    const pnn_status status = input(n, i, &v);
    allow_empty_ = false;
    PNN_TRY(status);
    parts.push_back(v);
  }
  // Empty computed parts (see slice) add nothing.
  for (size_t i = 0; i < parts.size() && parts.size() > 1;) {
    if (!parts[i]->is_constant && parts[i]->t.id == PNN_INVALID_VALUE_ID) {
      parts.erase(parts.begin() + static_cast<std::ptrdiff_t>(i));
    } else {
      i++;
    }
  }
  if (parts.size() == 1 && !parts[0]->is_constant && parts[0]->t.id == PNN_INVALID_VALUE_ID) {
    return unsupported(n, "a concatenation of empty tensors only");
  }
  if (parts.empty()) return node_fail(n, "no inputs");
  const Dims& first = parts[0]->is_constant ? parts[0]->c.dims : parts[0]->t.dims;
  const size_t rank = first.size();
  int64_t axis_attr = 0;
  if (attr(n, "axis") == nullptr) return node_fail(n, "attribute axis is missing");
  PNN_TRY(attr_int(n, "axis", 0, &axis_attr));
  size_t axis = 0;
  PNN_TRY(normalize_axis(n, axis_attr, rank, &axis));
  Dims od = first;
  od[axis] = 0;
  bool all_constant = true;
  bool any_float = false;
  for (const Value* v : parts) {
    const Dims& d = v->is_constant ? v->c.dims : v->t.dims;
    if (d.size() != rank) return node_fail(n, "the inputs have different ranks");
    for (size_t k = 0; k < rank; k++) {
      if (k != axis && d[k] != first[k]) return node_fail(n, "the inputs differ off the axis");
    }
    od[axis] += d[axis];
    all_constant = all_constant && v->is_constant;
    any_float = any_float || (v->is_constant && v->c.is_float) || !v->is_constant;
  }
  int64_t count = 0;
  if (!element_count(od, &count)) return node_fail(n, "the output has more than 2^31 elements");
  if (all_constant) {
    PNN_TRY(check_fold_size(n, count));
    Constant c;
    c.dims = od;
    c.is_float = any_float;
    // Outer blocks (axes before `axis`) of each part, one after the other.
    int64_t outer = 1;
    for (size_t k = 0; k < axis; k++) outer *= od[k];
    for (int64_t o = 0; o < outer; o++) {
      for (const Value* v : parts) {
        int64_t block = 1;
        for (size_t k = axis; k < rank; k++) block *= v->c.dims[k];
        for (int64_t e = 0; e < block; e++) push_element(v->c, o * block + e, &c);
      }
    }
    return set_constant(n, 0, std::move(c));
  }
  Perm perm = identity_perm(rank);
  for (const Value* v : parts) {
    if (!v->is_constant) {
      perm = v->t.perm;
      break;
    }
  }
  if (parts.size() == 1) {
    set_tensor(n, 0, parts[0]->t);
    return pnn_status_success;
  }
  std::vector<uint32_t> ids;
  for (const Value* v : parts) {
    uint32_t id = 0;
    if (v->is_constant) {
      PNN_TRY(static_value(n, v->c, rank, perm, &id));
    } else {
      Computed t;
      PNN_TRY(to_layout(n, v->t, perm, &t));
      id = t.id;
    }
    ids.push_back(id);
  }
  Computed out;
  out.dims = od;
  out.perm = perm;
  const Computed ref = out;
  PNN_TRY(new_value(n, permute_dims(od, perm), &out.id));
  PNN_TRY(defined(n, pnn_define_concatenate(graph(), static_cast<int32_t>(stored_axis(ref, axis)),
                                            ids.size(), ids.data(), out.id)));
  set_tensor(n, 0, out);
  return pnn_status_success;
}

pnn_status Importer::split(const Node& n) {
  const Value* x = nullptr;
  PNN_TRY(input(n, 0, &x));
  if (x->is_constant) return unsupported(n, "a constant input");
  const Computed& t = x->t;
  int64_t axis_attr = 0;
  PNN_TRY(attr_int(n, "axis", 0, &axis_attr));
  size_t axis = 0;
  PNN_TRY(normalize_axis(n, axis_attr, t.dims.size(), &axis));
  const size_t parts = n.outputs.size();
  std::vector<int64_t> sizes;
  bool has = false;
  if (opset() >= 13) {
    if (has_input(n, 1)) {
      const Constant* c = nullptr;
      PNN_TRY(constant_input(n, 1, &c, "split"));
      for (size_t k = 0; k < c->count(); k++) sizes.push_back(c->int_at(k));
    }
  } else {
    PNN_TRY(attr_ints(n, "split", &sizes, &has));
  }
  const int64_t dim = t.dims[axis];
  if (sizes.empty()) {
    // Even split; opset 18 lets the last part be smaller (ceil).
    const int64_t part = (dim + static_cast<int64_t>(parts) - 1) / static_cast<int64_t>(parts);
    for (size_t k = 0; k < parts; k++) {
      const int64_t left = dim - part * static_cast<int64_t>(k);
      sizes.push_back(left < part ? left : part);
    }
  }
  if (sizes.size() != parts) {
    return node_fail(n, "%zu split sizes for %zu outputs", sizes.size(), parts);
  }
  int64_t total = 0;
  for (int64_t s : sizes) {
    if (s < 1) return unsupported(n, "an empty part (portnn has no empty tensors)");
    total += s;
  }
  if (total != dim) {
    return node_fail(n, "the split sizes sum to %lld; the axis has %lld",
                     static_cast<long long>(total), static_cast<long long>(dim));
  }
  if (parts == 1) {
    set_tensor(n, 0, t);
    return pnn_status_success;
  }
  std::vector<uint32_t> ids(parts);
  std::vector<size_t> ssizes(sizes.begin(), sizes.end());
  std::vector<Computed> outs(parts);
  for (size_t k = 0; k < parts; k++) {
    outs[k].dims = t.dims;
    outs[k].dims[axis] = sizes[k];
    outs[k].perm = t.perm;
    PNN_TRY(new_value(n, permute_dims(outs[k].dims, t.perm), &outs[k].id));
    ids[k] = outs[k].id;
  }
  PNN_TRY(defined(n, pnn_define_split(graph(), static_cast<int32_t>(stored_axis(t, axis)), parts,
                                      ssizes.data(), t.id, ids.data())));
  for (size_t k = 0; k < parts; k++) set_tensor(n, k, outs[k]);
  return pnn_status_success;
}

pnn_status Importer::slice(const Node& n) {
  const Value* x = nullptr;
  PNN_TRY(input(n, 0, &x));
  const Dims& dims = x->is_constant ? x->c.dims : x->t.dims;
  const size_t rank = dims.size();
  std::vector<int64_t> starts, ends, axes, steps;
  if (opset() >= 10) {
    const char* names[4] = {"starts", "ends", "axes", "steps"};
    std::vector<int64_t>* lists[4] = {&starts, &ends, &axes, &steps};
    for (size_t i = 1; i < 5; i++) {
      if (!has_input(n, i)) continue;
      const Constant* c = nullptr;
      PNN_TRY(constant_input(n, i, &c, names[i - 1]));
      for (size_t k = 0; k < c->count(); k++) lists[i - 1]->push_back(c->int_at(k));
    }
  } else {
    bool has = false;
    PNN_TRY(attr_ints(n, "starts", &starts, &has));
    PNN_TRY(attr_ints(n, "ends", &ends, &has));
    PNN_TRY(attr_ints(n, "axes", &axes, &has));
  }
  if (starts.size() != ends.size() || (!axes.empty() && axes.size() != starts.size()) ||
      (!steps.empty() && steps.size() != starts.size())) {
    return node_fail(n, "starts, ends, axes and steps have different lengths");
  }
  std::vector<int64_t> begin(rank, 0), step(rank, 1);
  Dims out = dims;
  std::vector<bool> seen(rank, false);
  for (size_t k = 0; k < starts.size(); k++) {
    size_t axis = k;
    if (!axes.empty()) PNN_TRY(normalize_axis(n, axes[k], rank, &axis));
    else if (k >= rank) return node_fail(n, "more starts than dims");
    if (seen[axis]) return node_fail(n, "axis %zu is sliced twice", axis);
    seen[axis] = true;
    const int64_t d = dims[axis];
    const int64_t s = steps.empty() ? 1 : steps[k];
    if (s == 0) return node_fail(n, "a step is 0");
    int64_t b = 0, e = 0;
    // ONNX clamping (in 64 bits, without overflow: |values| are compared before adding).
    b = starts[k] < 0 ? (starts[k] < -d ? -1 : starts[k] + d) : starts[k];
    e = ends[k] < 0 ? (ends[k] < -d ? -1 : ends[k] + d) : ends[k];
    int64_t count = 0;
    if (s > 0) {
      b = b < 0 ? 0 : (b > d ? d : b);
      e = e < 0 ? 0 : (e > d ? d : e);
      count = e > b ? (e - b + s - 1) / s : 0;
    } else {
      b = b < 0 ? -1 : (b > d - 1 ? d - 1 : b);
      e = e < -1 ? -1 : (e > d - 1 ? d - 1 : e);
      count = b > e ? (b - e + (-s) - 1) / (-s) : 0;
    }
    begin[axis] = b;
    step[axis] = s;
    out[axis] = count;
  }
  if (x->is_constant) {
    int64_t total = 0;
    element_count(out, &total);
    PNN_TRY(check_fold_size(n, total));
    Constant c;
    c.dims = out;
    c.is_float = x->c.is_float;
    const std::vector<int64_t> strides = strides_of(dims);
    for_each_index(out, [&](const std::vector<int64_t>& pos) {
      int64_t src = 0;
      for (size_t k = 0; k < rank; k++) src += (begin[k] + pos[k] * step[k]) * strides[k];
      push_element(x->c, src, &c);
    });
    return set_constant(n, 0, std::move(c));
  }
  const Computed& t = x->t;
  for (size_t k = 0; k < rank; k++) {
    if (step[k] < 0) return unsupported(n, "a negative step on a computed tensor");
  }
  int64_t kept = 0;
  element_count(out, &kept);
  if (kept == 0) {
    // An empty result (torch.roll by 0 exports one): only Concat may read it, and skips it.
    Computed e;
    e.id = PNN_INVALID_VALUE_ID;
    e.dims = out;
    e.perm = t.perm;
    set_tensor(n, 0, e);
    return pnn_status_success;
  }
  if (out == dims) {
    set_tensor(n, 0, t);
    return pnn_status_success;
  }
  std::vector<int64_t> sb(rank), se(rank), ss(rank);
  for (size_t j = 0; j < rank; j++) {
    const size_t a = t.perm[j];
    sb[j] = begin[a];
    ss[j] = step[a];
    se[j] = begin[a] + (out[a] - 1) * step[a] + 1;
  }
  Computed o;
  o.dims = out;
  o.perm = t.perm;
  PNN_TRY(new_value(n, permute_dims(out, t.perm), &o.id));
  PNN_TRY(defined(n, pnn_define_slice(graph(), rank, sb.data(), se.data(), ss.data(), t.id, o.id)));
  set_tensor(n, 0, o);
  return pnn_status_success;
}

pnn_status Importer::pad(const Node& n) {
  const Value* x = nullptr;
  PNN_TRY(input(n, 0, &x));
  if (x->is_constant) return unsupported(n, "a constant input");
  const Computed& t = x->t;
  const size_t rank = t.dims.size();
  std::string mode;
  PNN_TRY(attr_string(n, "mode", "constant", &mode));
  pnn_pad_mode pm = pnn_pad_constant;
  if (mode == "reflect") {
    pm = pnn_pad_reflect;
  } else if (mode == "edge") {
    pm = pnn_pad_edge;
  } else if (mode != "constant") {
    return node_fail(n, "mode '%s' is not supported (constant, reflect, edge)", mode.c_str());
  }
  std::vector<int64_t> pads, axes;
  float value = 0.0f;
  bool has = false;
  if (opset() >= 11) {
    const Constant* c = nullptr;
    PNN_TRY(constant_input(n, 1, &c, "pads"));
    for (size_t k = 0; k < c->count(); k++) pads.push_back(c->int_at(k));
    if (has_input(n, 2)) {
      const Constant* v = nullptr;
      PNN_TRY(constant_input(n, 2, &v, "constant_value"));
      if (v->count() != 1) return node_fail(n, "constant_value must be one value");
      value = static_cast<float>(v->at(0));
    }
    if (has_input(n, 3)) {
      const Constant* a = nullptr;
      PNN_TRY(constant_input(n, 3, &a, "axes"));
      for (size_t k = 0; k < a->count(); k++) axes.push_back(a->int_at(k));
    }
  } else {
    PNN_TRY(attr_ints(n, "pads", &pads, &has));
    PNN_TRY(attr_float(n, "value", 0.0f, &value));
  }
  std::vector<size_t> axis_list;
  if (axes.empty()) {
    for (size_t k = 0; k < rank; k++) axis_list.push_back(k);
  } else {
    for (int64_t a : axes) {
      size_t axis = 0;
      PNN_TRY(normalize_axis(n, a, rank, &axis));
      axis_list.push_back(axis);
    }
  }
  if (pads.size() != 2 * axis_list.size()) {
    return node_fail(n, "pads has %zu entries; %zu expected", pads.size(), 2 * axis_list.size());
  }
  std::vector<int64_t> before(rank, 0), after(rank, 0);
  for (size_t k = 0; k < axis_list.size(); k++) {
    const int64_t b = pads[k], e = pads[k + axis_list.size()];
    if (b < 0 || e < 0) return unsupported(n, "negative pads");
    if (b > kMaxDim || e > kMaxDim) return node_fail(n, "a pad is above 2^31");
    before[axis_list[k]] = b;
    after[axis_list[k]] = e;
  }
  Computed out;
  out.dims = t.dims;
  for (size_t k = 0; k < rank; k++) out.dims[k] += before[k] + after[k];
  int64_t count = 0;
  if (!element_count(out.dims, &count)) return node_fail(n, "the output has more than 2^31 elements");
  out.perm = t.perm;
  std::vector<size_t> pre(rank), post(rank);
  for (size_t j = 0; j < rank; j++) {
    pre[j] = static_cast<size_t>(before[t.perm[j]]);
    post[j] = static_cast<size_t>(after[t.perm[j]]);
  }
  PNN_TRY(new_value(n, permute_dims(out.dims, out.perm), &out.id));
  PNN_TRY(defined(n, pnn_define_pad(graph(), pm, rank, pre.data(), post.data(), value, t.id, out.id)));
  set_tensor(n, 0, out);
  return pnn_status_success;
}

pnn_status Importer::depth_space(const Node& n) {
  const Value* v = nullptr;
  PNN_TRY(input(n, 0, &v));
  if (v->is_constant || v->t.dims.size() != 4) return unsupported(n, "an input that is not 4-D");
  Computed x;
  PNN_TRY(to_layout(n, v->t, nhwc_perm(), &x));
  int64_t block = 0;
  PNN_TRY(attr_int(n, "blocksize", 0, &block));
  if (block < 1 || block > 65536) return node_fail(n, "blocksize must be 1 to 65536");
  const int64_t c = x.dims[1], h = x.dims[2], w = x.dims[3];
  Computed out;
  out.perm = nhwc_perm();
  if (n.op_type == "DepthToSpace") {
    std::string mode;
    PNN_TRY(attr_string(n, "mode", "DCR", &mode));
    if (mode != "DCR" && mode != "CRD") return node_fail(n, "mode '%s' is not DCR or CRD", mode.c_str());
    if (c % (block * block) != 0) return node_fail(n, "channels are not a multiple of blocksize^2");
    out.dims = {x.dims[0], c / (block * block), h * block, w * block};
    PNN_TRY(new_value(n, permute_dims(out.dims, out.perm), &out.id));
    PNN_TRY(defined(n, pnn_define_depth_to_space(graph(), static_cast<uint32_t>(block),
                                                 mode == "DCR" ? pnn_depth_to_space_dcr
                                                               : pnn_depth_to_space_crd,
                                                 x.id, out.id)));
  } else {
    if (h % block != 0 || w % block != 0) return node_fail(n, "H and W are not multiples of blocksize");
    out.dims = {x.dims[0], c * block * block, h / block, w / block};
    PNN_TRY(new_value(n, permute_dims(out.dims, out.perm), &out.id));
    PNN_TRY(defined(n, pnn_define_space_to_depth(graph(), static_cast<uint32_t>(block), x.id,
                                                 out.id)));
  }
  set_tensor(n, 0, out);
  return pnn_status_success;
}

}  // namespace onnx
}  // namespace pnn
