// Broadcasting, folding, permutation and slice normalization (see shape.h for why one module).
#include "shape.h"

#include "common.h"
#include "error.h"

namespace pnn {
namespace {

// Decimal text of a signed 64-bit value (the reason formatter has no %lld).
struct Int64Text {
  char text[24];
  explicit Int64Text(int64_t v) {
    char digits[24];
    int n = 0;
    uint64_t m = v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
    do {
      digits[n++] = static_cast<char>('0' + m % 10);
      m /= 10;
    } while (m != 0);
    int i = 0;
    if (v < 0) text[i++] = '-';
    while (n > 0) text[i++] = digits[--n];
    text[i] = '\0';
  }
};

// Where a clamped ONNX bound lands in [0, dim].
size_t clamp_bound(int64_t v, size_t dim) {
  if (v < 0) {
    const uint64_t back = 0 - static_cast<uint64_t>(v);
    return back >= dim ? 0 : static_cast<size_t>(dim - back);
  }
  return static_cast<uint64_t>(v) >= dim ? dim : static_cast<size_t>(v);
}

}  // namespace

pnn_status check_shape(const char* rank_name, const char* dims_name, size_t num_dims,
                       const size_t* dims, size_t min_rank) {
  if (num_dims < min_rank || num_dims > PNN_MAX_DIMS) {
    return fail(pnn_status_invalid_parameter, "%s is %zu; it must be %zu to %zu", rank_name,
                num_dims, min_rank, size_t{PNN_MAX_DIMS});
  }
  if (num_dims > 0 && dims == nullptr) {
    return fail(pnn_status_invalid_parameter, "%s is NULL with %s = %zu", dims_name, rank_name,
                num_dims);
  }
  for (size_t i = 0; i < num_dims; i++) {
    if (dims[i] == 0) {
      return fail(pnn_status_invalid_parameter, "%s[%zu] is 0; every dim must be >= 1", dims_name,
                  i);
    }
  }
  return pnn_status_success;
}

pnn_status check_element_count(const char* what, const size_t* dims, size_t num_dims, size_t* count) {
  if (!element_count(dims, num_dims, count)) {
    return fail(pnn_status_invalid_parameter,
                "%s has too many elements: their count in bytes overflows size_t", what);
  }
  return pnn_status_success;
}

bool element_count(const size_t* dims, size_t num_dims, size_t* count) {
  size_t n;
  if (!checked_product(dims, num_dims, &n) || n > SIZE_MAX / sizeof(float)) return false;
  *count = n;
  return true;
}

pnn_status row_span(const RowsArg& r, size_t* span) {
  if (r.rows == 0 || r.length == 0) {
    return fail(pnn_status_invalid_parameter, "%s is 0; it must be >= 1",
                r.rows == 0 ? r.rows_name : r.length_name);
  }
  if (r.stride < r.length) {
    return fail(pnn_status_invalid_parameter, "%s is %zu; it must be >= %s (%zu)", r.stride_name,
                r.stride, r.length_name, r.length);
  }
  size_t n;
  if (!checked_mul(r.rows - 1, r.stride, &n) || !checked_add(n, r.length, &n) ||
      n > SIZE_MAX / sizeof(float)) {
    return fail(pnn_status_invalid_parameter,
                "%s (%zu) rows of %s (%zu) floats overflow size_t bytes", r.rows_name, r.rows,
                r.stride_name, r.stride);
  }
  *span = n;
  return pnn_status_success;
}

pnn_status plan_rows(const RowsArg& input, const RowsArg& output, RowLayout* out) {
  RowLayout l;
  pnn_status s = row_span(input, &l.input_span);
  if (s == pnn_status_success) s = row_span(output, &l.output_span);
  if (s != pnn_status_success) return s;
  // A single row never takes its stride: count it as dense, so that one row is "the same rows"
  // as itself whatever the strides, and dense paths apply.
  l.input_stride = input.rows == 1 ? input.length : input.stride;
  l.output_stride = output.rows == 1 ? output.length : output.stride;
  *out = l;
  return pnn_status_success;
}

pnn_status check_rows_overlap(const float* input, const float* output, const RowLayout& rows,
                              bool in_place_ok) {
  if (!ranges_overlap(input, rows.input_span, output, rows.output_span)) {
    return pnn_status_success;
  }
  if (in_place_ok) {
    if (input == output && rows.input_stride == rows.output_stride) return pnn_status_success;
    return fail(pnn_status_invalid_parameter,
                "input and output overlap but are not the same rows; the output may be the input "
                "itself (same pointer and stride), otherwise their spans (%zu and %zu floats) "
                "must not share memory",
                rows.input_span, rows.output_span);
  }
  return fail(pnn_status_invalid_parameter,
              "input and output overlap; the operator writes output rows while input rows are "
              "still unread, so their spans (%zu and %zu floats) must not share memory",
              rows.input_span, rows.output_span);
}

pnn_status broadcast_shapes(const ShapeArg& a, const ShapeArg& b, size_t min_rank, Broadcast* out) {
  pnn_status s = check_shape(a.rank_name, a.dims_name, a.num_dims, a.dims, min_rank);
  if (s == pnn_status_success)
    s = check_shape(b.rank_name, b.dims_name, b.num_dims, b.dims, min_rank);
  if (s != pnn_status_success) return s;

  Broadcast r;
  r.num_dims = max_size(a.num_dims, b.num_dims);
  const size_t pad_a = r.num_dims - a.num_dims, pad_b = r.num_dims - b.num_dims;
  for (size_t i = 0; i < r.num_dims; i++) {
    r.a[i] = i < pad_a ? 1 : a.dims[i - pad_a];
    r.b[i] = i < pad_b ? 1 : b.dims[i - pad_b];
    if (r.a[i] != r.b[i] && r.a[i] != 1 && r.b[i] != 1) {
      return fail(pnn_status_invalid_parameter,
                  "%s[%zu] = %zu and %s[%zu] = %zu do not broadcast; each pair of dims "
                  "(aligned at the last) must be equal or one of them 1",
                  a.dims_name, i - pad_a, r.a[i], b.dims_name, i - pad_b, r.b[i]);
    }
    r.out[i] = max_size(r.a[i], r.b[i]);
  }
  // Every output dim is >= the operands' dims, so the output's bound covers theirs.
  s = check_element_count("the broadcast output shape", r.out, r.num_dims, &r.count_out);
  if (s != pnn_status_success) return s;
  element_count(r.a, r.num_dims, &r.count_a);
  element_count(r.b, r.num_dims, &r.count_b);
  *out = r;
  return pnn_status_success;
}

FoldedBroadcast fold_broadcast(const Broadcast& bc) {
  // Innermost first: a dim joins the previous merged one when both operands broadcast the same
  // way along both (sizes cannot overflow: their product is bounded by count_out).
  enum Kind { kBoth, kBroadcastA, kBroadcastB };
  size_t size[PNN_MAX_DIMS];
  Kind kind[PNN_MAX_DIMS];
  size_t m = 0;
  for (size_t i = bc.num_dims; i-- > 0;) {
    if (bc.out[i] == 1) continue;
    const Kind k = bc.a[i] == 1 ? kBroadcastA : bc.b[i] == 1 ? kBroadcastB : kBoth;
    if (m > 0 && kind[m - 1] == k) {
      size[m - 1] *= bc.out[i];
    } else {
      size[m] = bc.out[i];
      kind[m] = k;
      m++;
    }
  }
  if (m == 0) {
    size[0] = 1;
    kind[0] = kBoth;
    m = 1;
  }
  FoldedBroadcast f;
  f.num_dims = m;
  size_t stride_a = 1, stride_b = 1;
  for (size_t j = 0; j < m; j++) {  // j: innermost first; stored outermost first
    const size_t d = m - 1 - j;
    f.size[d] = size[j];
    f.stride_a[d] = kind[j] == kBroadcastA ? 0 : stride_a;
    f.stride_b[d] = kind[j] == kBroadcastB ? 0 : stride_b;
    if (kind[j] != kBroadcastA) stride_a *= size[j];
    if (kind[j] != kBroadcastB) stride_b *= size[j];
  }
  return f;
}

pnn_status normalize_permutation(size_t num_dims, const size_t* shape, const size_t* perm,
                                 Permutation* out) {
  pnn_status s = check_shape("num_dims", "shape", num_dims, shape, 1);
  if (s != pnn_status_success) return s;
  if (perm == nullptr) return fail(pnn_status_invalid_parameter, "perm is NULL");
  size_t seen_at[PNN_MAX_DIMS];
  for (size_t i = 0; i < num_dims; i++) seen_at[i] = SIZE_MAX;
  for (size_t j = 0; j < num_dims; j++) {
    if (perm[j] >= num_dims) {
      return fail(pnn_status_invalid_parameter,
                  "perm[%zu] = %zu is out of range; entries must be < num_dims (%zu)", j, perm[j],
                  num_dims);
    }
    if (seen_at[perm[j]] != SIZE_MAX) {
      return fail(pnn_status_invalid_parameter,
                  "perm[%zu] = %zu repeats perm[%zu]; perm must hold each of 0 to %zu once", j,
                  perm[j], seen_at[perm[j]], num_dims - 1);
    }
    seen_at[perm[j]] = j;
  }
  Permutation r;
  s = check_element_count("shape", shape, num_dims, &r.count);
  if (s != pnn_status_success) return s;

  // Drop input dims of size 1: renumber the kept input dims and the output order over them.
  size_t new_index[PNN_MAX_DIMS];
  size_t kept = 0;
  for (size_t i = 0; i < num_dims; i++) {
    new_index[i] = shape[i] == 1 ? SIZE_MAX : kept;
    if (shape[i] != 1) r.shape[kept++] = shape[i];
  }
  size_t p[PNN_MAX_DIMS];
  size_t np = 0;
  for (size_t j = 0; j < num_dims; j++) {
    if (new_index[perm[j]] != SIZE_MAX) p[np++] = new_index[perm[j]];
  }
  if (kept == 0) {
    r.num_dims = 1;
    r.shape[0] = 1;
    r.perm[0] = 0;
    *out = r;
    return pnn_status_success;
  }
  // Merge: output positions j, j + 1 reading input dims i, i + 1 become one dim. Group the
  // output order into runs of consecutive input dims; each run is one folded dim.
  size_t group_of_input[PNN_MAX_DIMS];  // folded dim holding input dim i (valid at run starts)
  size_t run_start[PNN_MAX_DIMS];       // first input dim of each run, in output order
  size_t runs = 0;
  for (size_t j = 0; j < np; j++) {
    if (j > 0 && p[j] == p[j - 1] + 1) continue;
    run_start[runs++] = p[j];
  }
  // Folded input dims are the runs ordered by their first input dim.
  size_t folded_shape[PNN_MAX_DIMS];
  size_t folded = 0;
  for (size_t i = 0; i < kept; i++) {
    bool starts = false;
    for (size_t g = 0; g < runs; g++) starts = starts || run_start[g] == i;
    if (starts) {
      group_of_input[i] = folded;
      folded_shape[folded++] = r.shape[i];
    } else {
      folded_shape[folded - 1] *= r.shape[i];  // bounded by count
    }
  }
  r.num_dims = folded;
  for (size_t i = 0; i < folded; i++) r.shape[i] = folded_shape[i];
  for (size_t g = 0; g < runs; g++) r.perm[g] = group_of_input[run_start[g]];
  *out = r;
  return pnn_status_success;
}

pnn_status normalize_slice(size_t num_dims, const size_t* shape, const int64_t* begins,
                           const int64_t* ends, const int64_t* steps, Slice* out) {
  pnn_status s = check_shape("num_dims", "shape", num_dims, shape, 1);
  if (s != pnn_status_success) return s;
  if (begins == nullptr) return fail(pnn_status_invalid_parameter, "begins is NULL");
  if (ends == nullptr) return fail(pnn_status_invalid_parameter, "ends is NULL");
  size_t count;
  s = check_element_count("shape", shape, num_dims, &count);
  if (s != pnn_status_success) return s;
  Slice r;
  r.num_dims = num_dims;
  for (size_t i = 0; i < num_dims; i++) {
    const int64_t step = steps == nullptr ? 1 : steps[i];
    if (step < 1) {
      return fail(pnn_status_invalid_parameter,
                  "steps[%zu] is %s; it must be >= 1 (negative steps are not supported)", i,
                  Int64Text(step).text);
    }
    const size_t begin = clamp_bound(begins[i], shape[i]);
    const size_t end = clamp_bound(ends[i], shape[i]);
    if (end <= begin) {
      return fail(pnn_status_invalid_parameter,
                  "dim %zu (size %zu): begins[%zu] = %s and ends[%zu] = %s select no element; "
                  "a slice must keep at least one element per dim",
                  i, shape[i], i, Int64Text(begins[i]).text, i, Int64Text(ends[i]).text);
    }
    r.offset[i] = begin;
    // Written so that a huge step cannot overflow: ceil((end - begin) / step).
    const uint64_t u_step = static_cast<uint64_t>(step);
    r.size[i] = static_cast<size_t>((end - begin - 1) / u_step + 1);
    r.step[i] = u_step >= shape[i] ? shape[i] : static_cast<size_t>(u_step);
  }
  *out = r;
  return pnn_status_success;
}

StridedDims fold_strided(const StridedDims& dims) {
  StridedDims f;
  for (size_t d = 0; d < dims.num_dims; d++) {
    if (dims.size[d] == 1) continue;
    const size_t m = f.num_dims;
    // The previous kept dim merges into this one when it steps over all of this one.
    if (m > 0 && f.in_stride[m - 1] == dims.size[d] * dims.in_stride[d] &&
        f.out_stride[m - 1] == dims.size[d] * dims.out_stride[d]) {
      f.size[m - 1] *= dims.size[d];
      f.in_stride[m - 1] = dims.in_stride[d];
      f.out_stride[m - 1] = dims.out_stride[d];
      continue;
    }
    f.size[m] = dims.size[d];
    f.in_stride[m] = dims.in_stride[d];
    f.out_stride[m] = dims.out_stride[d];
    f.num_dims = m + 1;
  }
  if (f.num_dims == 0) {
    f.num_dims = 1;
    f.size[0] = f.in_stride[0] = f.out_stride[0] = 1;
  }
  return f;
}

}  // namespace pnn

namespace pnn {

// The dim an ONNX axis names at `num_dims` dims; false when out of [-num_dims, num_dims).
static bool resolve_axis(int32_t axis, size_t num_dims, size_t* out) {
  const int64_t rank = static_cast<int64_t>(num_dims);
  if (axis < -rank || axis >= rank) return false;
  *out = static_cast<size_t>(axis < 0 ? axis + rank : axis);
  return true;
}

pnn_status normalize_axis(const char* name, int32_t axis, size_t num_dims, size_t* out) {
  if (resolve_axis(axis, num_dims, out)) return pnn_status_success;
  return fail(pnn_status_invalid_parameter,
              "%s is %d; for a rank-%zu shape it must be in [-%zu, %zu) (negative counts from "
              "the end)",
              name, static_cast<int>(axis), num_dims, num_dims, num_dims);
}

pnn_status normalize_reduction(const ShapeArg& shape, size_t num_axes, const int32_t* axes,
                               bool keep_dims, Reduction* out) {
  pnn_status s = check_shape(shape.rank_name, shape.dims_name, shape.num_dims, shape.dims, 0);
  if (s != pnn_status_success) return s;
  size_t count_in;
  s = check_element_count(shape.dims_name, shape.dims, shape.num_dims, &count_in);
  if (s != pnn_status_success) return s;
  if (num_axes > 0 && axes == nullptr) {
    return fail(pnn_status_invalid_parameter, "axes is NULL with num_axes = %zu", num_axes);
  }
  bool reduced[PNN_MAX_DIMS] = {};
  size_t named_by[PNN_MAX_DIMS];
  for (size_t i = 0; i < num_axes; i++) {
    size_t d;
    if (!resolve_axis(axes[i], shape.num_dims, &d)) {
      return fail(pnn_status_invalid_parameter,
                  "axes[%zu] is %d; for a rank-%zu shape it must be in [-%zu, %zu) (negative "
                  "counts from the end)",
                  i, static_cast<int>(axes[i]), shape.num_dims, shape.num_dims, shape.num_dims);
    }
    if (reduced[d]) {
      return fail(pnn_status_invalid_parameter,
                  "axes[%zu] = %d names dim %zu again (axes[%zu] = %d); each dim at most once", i,
                  static_cast<int>(axes[i]), d, named_by[d], static_cast<int>(axes[named_by[d]]));
    }
    reduced[d] = true;
    named_by[d] = i;
  }
  Reduction r;
  r.reduced_count = 1;
  for (size_t i = 0; i < shape.num_dims; i++) {
    if (reduced[i]) r.reduced_count *= shape.dims[i];  // bounded by count_in
    if (!reduced[i] || keep_dims) {
      r.output_shape[r.num_output_dims++] = reduced[i] ? 1 : shape.dims[i];
    }
  }
  r.count_out = count_in / r.reduced_count;
  // Fold innermost first, tracking the input stride of each folded dim.
  size_t stride = 1;
  size_t m = 0;
  size_t size[PNN_MAX_DIMS], strides[PNN_MAX_DIMS];
  bool kind[PNN_MAX_DIMS];
  for (size_t i = shape.num_dims; i-- > 0;) {
    const size_t dim = shape.dims[i];
    if (dim != 1) {
      if (m > 0 && kind[m - 1] == reduced[i]) {
        size[m - 1] *= dim;
      } else {
        size[m] = dim;
        strides[m] = stride;
        kind[m] = reduced[i];
        m++;
      }
    }
    stride *= dim;
  }
  if (m == 0) {
    size[0] = 1;
    strides[0] = 1;
    kind[0] = false;
    m = 1;
  }
  r.num_dims = m;
  for (size_t j = 0; j < m; j++) {
    r.size[m - 1 - j] = size[j];
    r.stride[m - 1 - j] = strides[j];
    r.reduced[m - 1 - j] = kind[j];
  }
  *out = r;
  return pnn_status_success;
}

}  // namespace pnn

namespace pnn {

pnn_status split_at_axis(const ShapeArg& shape, int32_t axis, AxisSplit* out) {
  pnn_status s = check_shape(shape.rank_name, shape.dims_name, shape.num_dims, shape.dims, 1);
  size_t count = 0;
  if (s == pnn_status_success) s = check_element_count(shape.dims_name, shape.dims, shape.num_dims, &count);
  AxisSplit r;
  if (s == pnn_status_success) s = normalize_axis("axis", axis, shape.num_dims, &r.axis);
  if (s != pnn_status_success) return s;
  r.dim = shape.dims[r.axis];
  for (size_t i = r.axis + 1; i < shape.num_dims; i++) r.inner *= shape.dims[i];  // bounded
  r.outer = count / (r.dim * r.inner);
  *out = r;
  return pnn_status_success;
}

}  // namespace pnn
