// Operators evaluated at load (on constants and shapes: the Shape/Gather/Unsqueeze/Concat/...
// chains exporters emit) and operators that only relabel or view a tensor (Identity, Dropout,
// Transpose, Reshape, Flatten, Squeeze, Unsqueeze): none of them costs a graph node unless a view
// needs the elements in ONNX order first (src/onnx/importer.h, reshaped()).
#include <cmath>

#include "onnx/importer.h"

namespace pnn {
namespace onnx {

pnn_status Importer::identity(const Node& n) {
  const Value* x = nullptr;
  PNN_TRY(input(n, 0, &x));
  if (n.op_type == "Dropout" && n.outputs.size() > 1 && !n.outputs[1].empty()) {
    // Exporters write the mask output even when nothing reads it: only a reader fails.
    not_produced_[n.outputs[1]] = "is Dropout's mask output, which portnn does not produce";
  }
  if (x->is_constant) return set_constant(n, 0, x->c);
  set_tensor(n, 0, x->t);
  return pnn_status_success;
}

pnn_status Importer::transpose(const Node& n) {
  const Value* x = nullptr;
  PNN_TRY(input(n, 0, &x));
  const Dims& dims = x->is_constant ? x->c.dims : x->t.dims;
  const size_t rank = dims.size();
  std::vector<int64_t> perm_attr;
  bool has = false;
  PNN_TRY(attr_ints(n, "perm", &perm_attr, &has));
  Perm p(rank);
  if (!has) {
    for (size_t k = 0; k < rank; k++) p[k] = rank - 1 - k;
  } else {
    if (perm_attr.size() != rank) return node_fail(n, "perm has %zu entries for %zu dims",
                                                   perm_attr.size(), rank);
    std::vector<bool> seen(rank, false);
    for (size_t k = 0; k < rank; k++) {
      if (perm_attr[k] < 0 || perm_attr[k] >= static_cast<int64_t>(rank) || seen[perm_attr[k]]) {
        return node_fail(n, "perm is not a permutation of 0..%zu", rank - 1);
      }
      seen[perm_attr[k]] = true;
      p[k] = static_cast<size_t>(perm_attr[k]);
    }
  }
  const Dims out_dims = permute_dims(dims, p);
  if (x->is_constant) {
    // Output element at position q reads the input at position p applied to q.
    Constant c;
    c.dims = out_dims;
    c.is_float = x->c.is_float;
    std::vector<int64_t> in_strides(rank, 1);
    for (size_t a = rank; a-- > 1;) in_strides[a - 1] = in_strides[a] * dims[a];
    std::vector<int64_t> pos(rank, 0);
    for (size_t e = 0; e < x->c.count(); e++) {
      int64_t src = 0;
      for (size_t k = 0; k < rank; k++) src += pos[k] * in_strides[p[k]];
      if (c.is_float) {
        c.f.push_back(x->c.fdata()[static_cast<size_t>(src)]);
      } else {
        c.i.push_back(x->c.i[static_cast<size_t>(src)]);
      }
      for (size_t k = rank; k-- > 0;) {
        if (++pos[k] < out_dims[k]) break;
        pos[k] = 0;
      }
    }
    return set_constant(n, 0, std::move(c));
  }
  // A relabel: output ONNX axis k is input axis p[k]; stored axis j (input axis perm[j]) is
  // output axis inverse(p)[perm[j]].
  const Perm inv = inverse_perm(p);
  Computed out = x->t;
  out.dims = out_dims;
  for (size_t j = 0; j < rank; j++) out.perm[j] = inv[x->t.perm[j]];
  set_tensor(n, 0, out);
  return pnn_status_success;
}

// Common end of the reshaping operators: a constant gets new dims, a tensor a view.
static pnn_status reshape_to(Importer& im, const Node& n, const Value& x, const Dims& dims) {
  int64_t count = 0, old_count = 0;
  const Dims& old = x.is_constant ? x.c.dims : x.t.dims;
  if (!element_count(dims, &count) || !element_count(old, &old_count) || count != old_count) {
    return im.node_fail(n, "the new shape does not hold the input's element count");
  }
  if (x.is_constant) {
    Constant c = x.c;
    c.dims = dims;
    return im.set_constant(n, 0, std::move(c));
  }
  Computed out;
  PNN_TRY(im.reshaped(n, x.t, dims, &out));
  im.set_tensor(n, 0, out);
  return pnn_status_success;
}

pnn_status Importer::reshape(const Node& n) {
  const Value* x = nullptr;
  PNN_TRY(input(n, 0, &x));
  const Constant* shape = nullptr;
  PNN_TRY(constant_input(n, 1, &shape, "shape"));
  int64_t allowzero = 0;
  PNN_TRY(attr_int(n, "allowzero", 0, &allowzero));
  Dims target;
  PNN_TRY(read_dims_constant(n, *shape, "shape", &target));
  const Dims& old = x->is_constant ? x->c.dims : x->t.dims;
  int64_t total = 0;
  element_count(old, &total);
  int64_t known = 1;
  size_t infer = target.size();
  for (size_t k = 0; k < target.size(); k++) {
    if (target[k] == 0 && allowzero == 0) {
      if (k >= old.size()) return node_fail(n, "shape[%zu] is 0 past the input's dims", k);
      target[k] = old[k];
    }
    if (target[k] == -1) {
      if (infer != target.size()) return node_fail(n, "shape has two -1 entries");
      infer = k;
      continue;
    }
    if (target[k] < 1 || target[k] > kMaxDim) {
      return node_fail(n, "shape[%zu] is %lld", k, static_cast<long long>(target[k]));
    }
    known *= target[k];
    if (known > kMaxElements) return node_fail(n, "the shape holds more than 2^31 elements");
  }
  if (infer != target.size()) {
    if (known == 0 || total % known != 0) {
      return node_fail(n, "the -1 entry of shape cannot make the element count match");
    }
    target[infer] = total / known;
  }
  return reshape_to(*this, n, *x, target);
}

pnn_status Importer::flatten(const Node& n) {
  const Value* x = nullptr;
  PNN_TRY(input(n, 0, &x));
  const Dims& old = x->is_constant ? x->c.dims : x->t.dims;
  int64_t axis_attr = 1;
  PNN_TRY(attr_int(n, "axis", 1, &axis_attr));
  const int64_t rank = static_cast<int64_t>(old.size());
  if (axis_attr < -rank || axis_attr > rank) return node_fail(n, "axis is outside [-rank, rank]");
  const size_t axis = static_cast<size_t>(axis_attr < 0 ? axis_attr + rank : axis_attr);
  Dims target{1, 1};
  for (size_t k = 0; k < old.size(); k++) target[k < axis ? 0 : 1] *= old[k];
  return reshape_to(*this, n, *x, target);
}

pnn_status Importer::squeeze(const Node& n) {
  const Value* x = nullptr;
  PNN_TRY(input(n, 0, &x));
  const Dims& old = x->is_constant ? x->c.dims : x->t.dims;
  std::vector<int64_t> axes;
  bool has = false;
  if (opset() >= 13) {
    if (has_input(n, 1)) {
      const Constant* c = nullptr;
      PNN_TRY(constant_input(n, 1, &c, "axes"));
      for (size_t k = 0; k < c->count(); k++) axes.push_back(c->int_at(k));
      has = true;
    }
  } else {
    PNN_TRY(attr_ints(n, "axes", &axes, &has));
  }
  Dims target;
  if (n.op_type == "Squeeze") {
    std::vector<bool> drop(old.size(), !has);
    if (!has) {
      for (size_t k = 0; k < old.size(); k++) drop[k] = old[k] == 1;
    }
    for (int64_t a : axes) {
      size_t axis = 0;
      PNN_TRY(normalize_axis(n, a, old.size(), &axis));
      if (old[axis] != 1) return node_fail(n, "axis %zu has %lld elements, not 1", axis,
                                           static_cast<long long>(old[axis]));
      drop[axis] = true;
    }
    for (size_t k = 0; k < old.size(); k++) {
      if (!drop[k]) target.push_back(old[k]);
    }
  } else {
    if (!has || axes.empty()) return node_fail(n, "axes are missing");
    const size_t rank = old.size() + axes.size();
    if (rank > PNN_MAX_DIMS + 2) return node_fail(n, "too many axes");
    std::vector<bool> insert(rank, false);
    for (int64_t a : axes) {
      size_t axis = 0;
      PNN_TRY(normalize_axis(n, a, rank, &axis));
      if (insert[axis]) return node_fail(n, "axis %zu is given twice", axis);
      insert[axis] = true;
    }
    size_t next = 0;
    for (size_t k = 0; k < rank; k++) target.push_back(insert[k] ? 1 : old[next++]);
  }
  if (!x->is_constant && target.empty()) return unsupported(n, "a computed scalar");
  return reshape_to(*this, n, *x, target);
}

pnn_status Importer::constant(const Node& n) {
  Constant c;
  const Attribute* a = nullptr;
  for (const Attribute& at : n.attributes) {
    if (a != nullptr) return node_fail(n, "more than one value attribute");
    a = &at;
  }
  if (a == nullptr) return node_fail(n, "no value attribute");
  if (a->name == "value") {
    if (!a->has_t) return node_fail(n, "attribute value holds no tensor");
    PNN_TRY(convert_tensor(a->t, "constant", &c));
  } else if (a->name == "value_float") {
    c.f = {a->f};
  } else if (a->name == "value_floats") {
    c.f = a->floats;
    c.dims = {static_cast<int64_t>(a->floats.size())};
  } else if (a->name == "value_int") {
    c.is_float = false;
    c.i = {a->i};
  } else if (a->name == "value_ints") {
    c.is_float = false;
    c.i = a->ints;
    c.dims = {static_cast<int64_t>(a->ints.size())};
  } else {
    return node_fail(n, "attribute '%s' is not supported", a->name.c_str());
  }
  return set_constant(n, 0, std::move(c));
}

pnn_status Importer::shape(const Node& n) {
  const Value* x = nullptr;
  PNN_TRY(input(n, 0, &x));
  const Dims& dims = x->is_constant ? x->c.dims : x->t.dims;
  const int64_t rank = static_cast<int64_t>(dims.size());
  int64_t start = 0, end = rank;
  PNN_TRY(attr_int(n, "start", 0, &start));
  PNN_TRY(attr_int(n, "end", rank, &end));
  start = start < 0 ? start + rank : start;
  end = end < 0 ? end + rank : end;
  start = start < 0 ? 0 : (start > rank ? rank : start);
  end = end < 0 ? 0 : (end > rank ? rank : end);
  Constant c;
  c.is_float = false;
  for (int64_t k = start; k < end; k++) c.i.push_back(dims[static_cast<size_t>(k)]);
  c.dims = {static_cast<int64_t>(c.i.size())};
  return set_constant(n, 0, std::move(c));
}

pnn_status Importer::gather(const Node& n) {
  const Value* x = nullptr;
  PNN_TRY(input(n, 0, &x));
  const Constant* idx = nullptr;
  PNN_TRY(constant_input(n, 1, &idx, "indices"));
  if (idx->is_float) return node_fail(n, "indices are not integers");
  const Dims& dims = x->is_constant ? x->c.dims : x->t.dims;
  int64_t axis_attr = 0;
  PNN_TRY(attr_int(n, "axis", 0, &axis_attr));
  size_t axis = 0;
  PNN_TRY(normalize_axis(n, axis_attr, dims.size(), &axis));
  const int64_t d = dims[axis];
  std::vector<int64_t> indices;
  for (int64_t v : idx->i) {
    if (v < -d || v >= d) return node_fail(n, "index %lld is outside [-%lld, %lld)",
                                           static_cast<long long>(v), static_cast<long long>(d),
                                           static_cast<long long>(d));
    indices.push_back(v < 0 ? v + d : v);
  }
  // Output dims: dims[:axis] + indices dims + dims[axis+1:].
  Dims out(dims.begin(), dims.begin() + axis);
  out.insert(out.end(), idx->dims.begin(), idx->dims.end());
  out.insert(out.end(), dims.begin() + axis + 1, dims.end());
  if (x->is_constant) {
    int64_t total = 0;
    if (!element_count(out, &total)) return node_fail(n, "the output is too large");
    PNN_TRY(check_fold_size(n, total));
    Constant c;
    c.dims = out;
    c.is_float = x->c.is_float;
    int64_t outer = 1, inner = 1;
    for (size_t k = 0; k < axis; k++) outer *= dims[k];
    for (size_t k = axis + 1; k < dims.size(); k++) inner *= dims[k];
    for (int64_t o = 0; o < outer; o++) {
      for (int64_t i : indices) {
        for (int64_t e = 0; e < inner; e++) {
          const size_t src = static_cast<size_t>((o * d + i) * inner + e);
          if (c.is_float) {
            c.f.push_back(x->c.fdata()[src]);
          } else {
            c.i.push_back(x->c.i[src]);
          }
        }
      }
    }
    return set_constant(n, 0, std::move(c));
  }
  // On a computed tensor: consecutive ascending indices are a slice (plus a reshape for a
  // scalar index, which drops the axis).
  for (size_t k = 1; k < indices.size(); k++) {
    if (indices[k] != indices[k - 1] + 1) return unsupported(n, "non-consecutive indices");
  }
  if (indices.empty()) return unsupported(n, "empty indices");
  const Computed& t = x->t;
  const size_t rank = dims.size();
  Dims sliced = dims;
  sliced[axis] = static_cast<int64_t>(indices.size());
  Computed s = t;
  if (sliced != dims) {
    std::vector<int64_t> sb(rank, 0), se(rank), ss(rank, 1);
    for (size_t j = 0; j < rank; j++) {
      const size_t a = t.perm[j];
      se[j] = dims[a];
      if (a == axis) {
        sb[j] = indices.front();
        se[j] = indices.back() + 1;
      }
    }
    s.dims = sliced;
    PNN_TRY(new_value(n, permute_dims(sliced, t.perm), &s.id));
    PNN_TRY(defined(n, pnn_define_slice(graph(), rank, sb.data(), se.data(), ss.data(), t.id, s.id)));
  }
  if (out != sliced) {
    if (out.empty()) return unsupported(n, "a gather that makes a scalar");
    Computed r;
    PNN_TRY(reshaped(n, s, out, &r));
    s = r;
  }
  set_tensor(n, 0, s);
  return pnn_status_success;
}

pnn_status Importer::cast(const Node& n) {
  const Value* x = nullptr;
  PNN_TRY(input(n, 0, &x));
  int64_t to = 0;
  PNN_TRY(attr_int(n, "to", 0, &to));
  const bool to_float = to == kFloat || to == kDouble || to == kFloat16;
  const bool to_int = to == kInt64 || to == kInt32 || to == kInt8 || to == kUint8 ||
                      to == kInt16 || to == kUint16 || to == kUint32 || to == kUint64 ||
                      to == kBool;
  if (!to_float && !to_int) return node_fail(n, "cast to type %lld is not supported",
                                             static_cast<long long>(to));
  if (!x->is_constant) {
    if (!to_float) return unsupported(n, "a cast of a computed tensor to an integer type");
    set_tensor(n, 0, x->t);
    return pnn_status_success;
  }
  Constant c;
  c.dims = x->c.dims;
  c.is_float = to_float;
  for (size_t k = 0; k < x->c.count(); k++) {
    const double v = x->c.at(k);
    if (to_float) {
      c.f.push_back(static_cast<float>(v));
    } else if (to == kBool) {
      c.i.push_back(v != 0 ? 1 : 0);
    } else {
      if (!(std::fabs(v) < 9.2e18)) return node_fail(n, "a value does not fit in an integer");
      c.i.push_back(static_cast<int64_t>(v));
    }
  }
  return set_constant(n, 0, std::move(c));
}

pnn_status Importer::constant_of_shape(const Node& n) {
  const Constant* shape = nullptr;
  PNN_TRY(constant_input(n, 0, &shape, "shape"));
  Dims dims;
  PNN_TRY(read_dims_constant(n, *shape, "shape", &dims));
  int64_t count = 0;
  if (!element_count(dims, &count)) return node_fail(n, "the shape is too large or negative");
  PNN_TRY(check_fold_size(n, count));
  Constant value;
  value.f = {0.0f};
  const Attribute* a = attr(n, "value");
  if (a != nullptr) {
    if (!a->has_t) return node_fail(n, "attribute value holds no tensor");
    PNN_TRY(convert_tensor(a->t, "value", &value));
    if (value.count() != 1) return node_fail(n, "value must hold one element");
  }
  Constant c;
  c.dims = dims;
  c.is_float = value.is_float;
  if (c.is_float) {
    c.f.assign(static_cast<size_t>(count), value.fdata()[0]);
  } else {
    c.i.assign(static_cast<size_t>(count), value.i[0]);
  }
  return set_constant(n, 0, std::move(c));
}

pnn_status Importer::range(const Node& n) {
  const Constant* in[3];
  static const char* kNames[3] = {"start", "limit", "delta"};
  for (size_t i = 0; i < 3; i++) {
    PNN_TRY(constant_input(n, i, &in[i], kNames[i]));
    if (in[i]->count() != 1) return node_fail(n, "%s must be a scalar", kNames[i]);
  }
  const double start = in[0]->at(0), limit = in[1]->at(0), delta = in[2]->at(0);
  if (delta == 0 || !std::isfinite(start) || !std::isfinite(limit) || !std::isfinite(delta)) {
    return node_fail(n, "delta is 0 or a bound is not finite");
  }
  const double steps = std::ceil((limit - start) / delta);
  const int64_t count = steps > 0 ? static_cast<int64_t>(steps < 1e18 ? steps : 1e18) : 0;
  PNN_TRY(check_fold_size(n, count));
  Constant c;
  c.is_float = in[0]->is_float;
  c.dims = {count};
  for (int64_t k = 0; k < count; k++) {
    if (c.is_float) {
      c.f.push_back(static_cast<float>(start + static_cast<double>(k) * delta));
    } else {
      c.i.push_back(in[0]->i[0] + k * in[2]->int_at(0));
    }
  }
  return set_constant(n, 0, std::move(c));
}

pnn_status Importer::expand(const Node& n) {
  const Value* x = nullptr;
  PNN_TRY(input(n, 0, &x));
  const Constant* shape = nullptr;
  PNN_TRY(constant_input(n, 1, &shape, "shape"));
  Dims target;
  PNN_TRY(read_dims_constant(n, *shape, "shape", &target));
  // Expand is a broadcast multiply by ones: evaluated at load on constants, a binary node
  // otherwise (exact: x * 1 == x for every float, NaN and signed zeros included).
  Constant ones;
  ones.dims = target;
  int64_t count = 0;
  if (!element_count(target, &count)) return node_fail(n, "the shape is too large or negative");
  const Dims& dims = x->is_constant ? x->c.dims : x->t.dims;
  bool same = target.size() <= dims.size();
  for (size_t k = 0; same && k < target.size(); k++) {
    same = target[k] == 1 || target[k] == dims[dims.size() - target.size() + k];
  }
  if (same) {
    if (x->is_constant) return set_constant(n, 0, x->c);
    set_tensor(n, 0, x->t);
    return pnn_status_success;
  }
  PNN_TRY(check_fold_size(n, count));
  ones.is_float = x->is_constant ? x->c.is_float : true;
  if (ones.is_float) {
    ones.f.assign(static_cast<size_t>(count), 1.0f);
  } else {
    ones.i.assign(static_cast<size_t>(count), 1);
  }
  // Reuse the binary handler through a synthesized node whose second input is the ones.
  const std::string ones_name = n.outputs[0] + "#expand-ones";
  Value v;
  v.is_constant = true;
  v.c = std::move(ones);
  values_[ones_name] = std::move(v);
  Node mul = n;
  mul.op_type = "Mul";
  mul.inputs = {n.inputs[0], ones_name};
  mul.attributes.clear();
  return binary(mul);
}

pnn_status Importer::where(const Node& n) {
  const Constant* in[3];
  static const char* kNames[3] = {"condition", "X", "Y"};
  for (size_t i = 0; i < 3; i++) PNN_TRY(constant_input(n, i, &in[i], kNames[i]));
  // Same shapes or scalars only (what shape chains use).
  Dims dims;
  for (const Constant* c : in) {
    if (c->count() != 1) {
      if (!dims.empty() && dims != c->dims) return unsupported(n, "broadcasting between inputs");
      dims = c->dims;
    }
  }
  Constant c;
  c.dims = dims;
  c.is_float = in[1]->is_float || in[2]->is_float;
  size_t count = 1;
  for (int64_t d : dims) count *= static_cast<size_t>(d);
  for (size_t k = 0; k < count; k++) {
    auto at = [&](const Constant* x) { return x->count() == 1 ? size_t{0} : k; };
    const Constant* pick = in[0]->at(at(in[0])) != 0 ? in[1] : in[2];
    if (c.is_float) {
      c.f.push_back(static_cast<float>(pick->at(at(pick))));
    } else {
      c.i.push_back(pick->int_at(at(pick)));
    }
  }
  return set_constant(n, 0, std::move(c));
}

pnn_status Importer::scatter_nd(const Node& n) {
  const Constant* data = nullptr;
  const Constant* indices = nullptr;
  const Constant* updates = nullptr;
  PNN_TRY(constant_input(n, 0, &data, "data"));
  PNN_TRY(constant_input(n, 1, &indices, "indices"));
  PNN_TRY(constant_input(n, 2, &updates, "updates"));
  std::string reduction;
  PNN_TRY(attr_string(n, "reduction", "none", &reduction));
  if (reduction != "none") return unsupported(n, "a reduction other than none");
  if (indices->is_float || indices->dims.empty()) return node_fail(n, "indices must be integers");
  const size_t k = static_cast<size_t>(indices->dims.back());
  if (k < 1 || k > data->dims.size()) return node_fail(n, "the index depth is out of range");
  // Each index tuple selects a slice of the trailing data dims after the first k.
  size_t slice = 1;
  for (size_t a = k; a < data->dims.size(); a++) slice *= static_cast<size_t>(data->dims[a]);
  const size_t tuples = indices->count() / k;
  if (updates->count() != tuples * slice) return node_fail(n, "updates have the wrong size");
  Constant c = *data;
  c.own();
  c.is_float = data->is_float;
  for (size_t t = 0; t < tuples; t++) {
    size_t offset = 0;
    for (size_t a = 0; a < k; a++) {
      int64_t v = indices->i[t * k + a];
      const int64_t d = data->dims[a];
      if (v < -d || v >= d) return node_fail(n, "an index is out of range");
      if (v < 0) v += d;
      offset = offset * static_cast<size_t>(d) + static_cast<size_t>(v);
    }
    offset *= slice;
    for (size_t e = 0; e < slice; e++) {
      if (c.is_float) {
        c.f[offset + e] = static_cast<float>(updates->at(t * slice + e));
      } else {
        c.i[offset + e] = updates->int_at(t * slice + e);
      }
    }
  }
  return set_constant(n, 0, std::move(c));
}

pnn_status Importer::compare(const Node& n) {
  const size_t arity = n.op_type == "Not" ? 1 : 2;
  const Constant* in[2] = {nullptr, nullptr};
  for (size_t i = 0; i < arity; i++) PNN_TRY(constant_input(n, i, &in[i], "operand"));
  if (arity == 2 && in[0]->count() != in[1]->count() && in[0]->count() != 1 &&
      in[1]->count() != 1) {
    return unsupported(n, "broadcasting between inputs");
  }
  Constant c;
  c.is_float = false;
  const Constant* big = arity == 2 && in[1]->count() > in[0]->count() ? in[1] : in[0];
  c.dims = big->dims;
  for (size_t k = 0; k < big->count(); k++) {
    const double a = in[0]->at(in[0]->count() == 1 ? 0 : k);
    if (arity == 1) {
      c.i.push_back(a == 0 ? 1 : 0);
      continue;
    }
    const double b = in[1]->at(in[1]->count() == 1 ? 0 : k);
    const bool r = n.op_type == "Equal" ? a == b : (n.op_type == "Less" ? a < b : a > b);
    c.i.push_back(r ? 1 : 0);
  }
  return set_constant(n, 0, std::move(c));
}

}  // namespace onnx
}  // namespace pnn
