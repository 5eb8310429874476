// The graph runtime (include/portnn-graph.h): a graph turned into operators over one arena.
//
// pnn_create_runtime runs these passes, each over the whole graph, each bounded by its size:
//   1. copy      the graph's values and nodes into the runtime (the graph may then be deleted);
//                static values read as activations (a binary operand, say) are copied again
//                unless borrowed, as the graph owned their first copy;
//   2. validate  every read value is produced (or static / an external input), produced once,
//                every external output produced, no node reads its own output;
//   3. order     Kahn's topological sort over producer -> consumer edges (definition order
//                among ready nodes); nodes left over lie on a cycle;
//   4. fuse      first a batch norm reading a value that only it reads, produced by an
//                unclamped convolution, deconvolution or fully connected node whose output
//                channels its parameters match, disappears into that node (its weights are
//                folded at create, pass 5); then a clamp unary node reading a value that only it
//                reads, produced by a node with a fused clamp of its own, disappears into that
//                node (ranges intersected), so conv -> batch norm -> relu is one operator;
//                last, any other unary node reading a value that only it reads, produced by a
//                convolution, becomes that convolution's epilogue (src/epilogue.h: its kernel
//                applied to each output block as it is written), so conv -> batch norm -> SiLU
//                is one operator too. Last, because a clamp after the unary node must not
//                fold into the convolution's own clamp, which comes before the epilogue;
//   5. create    one portnn operator per remaining node, weights packed once (global average
//                pooling, softmax and prelu take their channel count from the shape, concatenate
//                and split their axis from the rank, so they are created, and recreated when it
//                changes, in pass 6); a folded batch norm's weights are computed into a
//                temporary copy that create packs and the runtime frees;
//   6. reshape   in execution order, each operator's reshape call infers its output shape(s)
//                (the library's own shape rules, src/window.h and src/shape.h, not a copy);
//                negative axes are resolved against the input's rank; declared shapes are
//                checked against the inferred ones (every output of a split);
//   7. plan      storage: a value lives in the arena, an external buffer or static data.
//                A reshape's or copy's output is a view of its input (or, when the output is
//                external, the input's group is redirected into the external buffer; between
//                two external buffers it copies); a unary, softmax, same-shape binary, layer /
//                RMS / batch norm or prelu node writes over an input whose group no later node
//                reads (the data-movement operators never run in place). Groups in the arena
//                get offsets by liveness (src/graph/memory-plan.h); a split's outputs are
//                separate blocks, each alive from the split to its own last reader.
// pnn_reshape_runtime reruns 6 and 7; setup binds the external buffers and sets up every
// operator on its resolved pointers; invoke runs the operators in order.
//
// Errors from the operators' own calls keep their reason, prefixed with the node's label.
#include <chrono>
#include <cmath>
#include <initializer_list>
#include <cstring>
#include <new>

#include "allocator.h"
#include "common.h"
#include "epilogue.h"
#include "error.h"
#include "graph/array.h"
#include "graph/graph.h"
#include "graph/memory-plan.h"
#include "operator.h"

namespace pnn {
namespace graph {
namespace {

constexpr uint32_t kNone = PNN_INVALID_VALUE_ID;

struct RtValue {
  Value def;
  float* owned = nullptr;        // the runtime's copy of static data it reads at run time
  Shape shape;                   // current
  int32_t producer = -1;         // node index
  uint32_t readers = 0;          // input slots of live nodes that read it
  uint32_t root = kNone;         // storage group (a value id); set by the plan
  uint32_t last_read = 0;        // step
  uint32_t first_step = 0;       // step that writes it (group roots: the group's first)
  uint32_t last_step = 0;        // group roots: the group's last read
  size_t offset = 0;             // arena groups: byte offset of the root's block
  void* external = nullptr;      // bound at setup
};

struct RtNode {
  Node def;
  char label[kMaxNodeName + 48] = {0};
  pnn_operator_t op = nullptr;
  // Operators created at reshape (their create takes what the shape decides): the channels of
  // global average pooling, softmax and prelu, the axis of concatenate and split.
  size_t op_key = 0;
  size_t op_channels = 0;  // fully connected, batch norm: channels the input must have
  int32_t fused_into = -1;
  int32_t folded_batch_norm = -1;  // a batch norm node folded into this node's weights
  int32_t epilogue = -1;           // a unary node fused into this convolution (src/epilogue.h)
  uint64_t time_ns = 0;
  bool copy = false;       // a reshape between two buffers that cannot alias: memcpy at invoke
  const void* copy_src = nullptr;
  void* copy_dst = nullptr;
  size_t copy_bytes = 0;
};

enum class RtState { kNeedsReshape, kNeedsSetup, kReady };

}  // namespace
}  // namespace graph
}  // namespace pnn

struct pnn_runtime {
  pnn::Array<pnn::graph::RtValue> values;
  pnn::Array<pnn::graph::RtNode> nodes;
  pnn::Array<uint32_t> order;  // live nodes in execution order
  pnn::AlignedBuffer<float> arena;
  size_t arena_bytes = 0;
  uint32_t flags = 0;
  pnn::graph::RtState state = pnn::graph::RtState::kNeedsReshape;

  ~pnn_runtime() {
    for (auto& n : nodes) delete n.op;  // not the public call: it would clear the error reason
    for (auto& v : values) std::free(v.owned);
  }
};

namespace pnn {
namespace graph {
namespace {

// Inputs read at run time: the first of a node whose other inputs are weights its operator
// copied or packed at create; all of the others.
uint32_t activation_inputs(const Node& d) {
  switch (d.kind) {
    case NodeKind::kConvolution2d:
    case NodeKind::kFullyConnected:
    case NodeKind::kDeconvolution2d:
    case NodeKind::kLayerNorm:
    case NodeKind::kRmsNorm:
    case NodeKind::kBatchNorm:
    case NodeKind::kPrelu:
      return 1;
    default:
      return d.num_inputs;
  }
}

// A reshape or copy: its output is a view of its input (or a memcpy between external buffers).
bool is_view(NodeKind k) { return k == NodeKind::kReshape || k == NodeKind::kCopy; }

// "[1x224x224x3]" into buf.
// `v` in decimal into buf (room for 21 characters), NUL-terminated; returns buf.
char* decimal(size_t v, char* buf) {
  char tmp[24];
  int n = 0;
  do {
    tmp[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  int i = 0;
  while (n > 0) buf[i++] = tmp[--n];
  buf[i] = '\0';
  return buf;
}

const char* shape_string(const Shape& s, char* buf, size_t cap) {
  size_t n = 0;
  auto put = [&](const char* t) {
    for (; *t != '\0'; t++) {
      if (n + 1 < cap) buf[n++] = *t;
    }
  };
  put("[");
  for (size_t i = 0; i < s.rank; i++) {
    char digits[24];
    if (i != 0) put("x");
    put(decimal(s.dims[i], digits));
  }
  put("]");
  buf[n] = '\0';
  return buf;
}

class Builder {
 public:
  Builder(pnn_runtime* rt, const char* api) : rt_(rt), api_(api) {}

  // --- errors -------------------------------------------------------------------------------
  // The reason of the operator call that just failed, prefixed with the node's label, recorded
  // as the runtime call's own.
  pnn_status node_failed(const RtNode& n, pnn_status s) {
    char inner[kMaxErrorMessage];
    std::strncpy(inner, pnn_last_error_message(), sizeof inner - 1);
    inner[sizeof inner - 1] = '\0';
    ApiScope scope(api_);
    return fail(s, "%s: %s", n.label, inner);
  }

  // After an operator call: its failure as the node's (above); on success the runtime call's
  // error scope again (the operator's call named itself), so later reasons carry its name.
  pnn_status after(const RtNode& n, pnn_status s) {
    if (s != pnn_status_success) return node_failed(n, s);
    ApiScope scope(api_);
    return pnn_status_success;
  }

  // --- passes -------------------------------------------------------------------------------
  pnn_status copy_graph(const pnn_graph& g) {
    if (!rt_->values.resize(g.values.size()) || !rt_->nodes.resize(g.nodes.size())) {
      return fail(pnn_status_out_of_memory, "no memory for the runtime's records");
    }
    for (size_t i = 0; i < g.values.size(); i++) {
      RtValue& v = rt_->values[i];
      v = RtValue{};
      v.def = g.values[i];
      v.def.owned = nullptr;
      v.shape = v.def.shape;
    }
    for (size_t i = 0; i < g.nodes.size(); i++) {
      RtNode& n = rt_->nodes[i];
      n = RtNode{};
      n.def = g.nodes[i];
      char* l = n.label;
      if (n.def.name[0] != '\0') {
        copy_str(l, sizeof n.label, "node \"", n.def.name, "\"");
      } else {
        char num[24];
        copy_str(l, sizeof n.label, "node ", decimal(i, num), " (");
        const size_t used = std::strlen(l);
        copy_str(l + used, sizeof n.label - used, node_kind_name(n.def.kind), ")", "");
      }
    }
    return pnn_status_success;
  }

  pnn_status validate() {
    for (size_t i = 0; i < rt_->nodes.size(); i++) {
      RtNode& n = rt_->nodes[i];
      for (uint32_t j = 0; j < n.def.num_outputs; j++) {
        const uint32_t id = n.def.outputs[j];
        RtValue& out = rt_->values[id];
        if (out.producer >= 0) {
          return fail(pnn_status_invalid_parameter, "%s writes value %u, which %s also writes",
                      n.label, id, rt_->nodes[out.producer].label);
        }
        out.producer = static_cast<int32_t>(i);
        for (uint32_t k = 0; k < n.def.num_inputs; k++) {
          if (n.def.inputs[k] == id) {
            return fail(pnn_status_invalid_parameter, "%s reads its own output (value %u)",
                        n.label, id);
          }
        }
      }
    }
    for (size_t i = 0; i < rt_->nodes.size(); i++) {
      const RtNode& n = rt_->nodes[i];
      for (uint32_t k = 0; k < n.def.num_inputs; k++) {
        const uint32_t id = n.def.inputs[k];
        if (id == kNone) continue;
        const RtValue& v = rt_->values[id];
        if (v.producer < 0 && (v.def.kind == ValueKind::kInternal ||
                               v.def.kind == ValueKind::kExternalOutput)) {
          return fail(pnn_status_invalid_parameter,
                      "%s reads value %u, which no node produces (define the node that writes "
                      "it, or make it static or an external input)",
                      n.label, id);
        }
      }
    }
    for (size_t id = 0; id < rt_->values.size(); id++) {
      const RtValue& v = rt_->values[id];
      if (v.def.kind == ValueKind::kExternalOutput && v.producer < 0) {
        return fail(pnn_status_invalid_parameter, "external output value %zu is never produced",
                    id);
      }
    }
    return pnn_status_success;
  }

  pnn_status order_nodes() {
    const size_t nn = rt_->nodes.size(), nv = rt_->values.size();
    // Consumers of each value (CSR), and each node's count of inputs still to be produced.
    Array<uint32_t> start, consumers, pending, queue;
    if (!start.resize(nv + 1) || !pending.resize(nn) || !queue.resize(0)) return oom();
    size_t edges = 0;
    for (const RtNode& n : rt_->nodes) {
      for (uint32_t k = 0; k < n.def.num_inputs; k++) {
        const uint32_t id = n.def.inputs[k];
        if (id != kNone && rt_->values[id].producer >= 0) {
          start[id + 1]++;
          edges++;
        }
      }
    }
    for (size_t i = 0; i < nv; i++) start[i + 1] += start[i];
    if (!consumers.resize(edges)) return oom();
    Array<uint32_t> fill;
    if (!fill.assign(start)) return oom();
    for (size_t i = 0; i < nn; i++) {
      const RtNode& n = rt_->nodes[i];
      for (uint32_t k = 0; k < n.def.num_inputs; k++) {
        const uint32_t id = n.def.inputs[k];
        if (id != kNone && rt_->values[id].producer >= 0) {
          consumers[fill[id]++] = static_cast<uint32_t>(i);
          pending[i]++;
        }
      }
    }
    for (size_t i = 0; i < nn; i++) {
      if (pending[i] == 0 && !queue.push(static_cast<uint32_t>(i))) return oom();
    }
    if (!rt_->order.resize(0)) return oom();
    for (size_t head = 0; head < queue.size(); head++) {
      const uint32_t i = queue[head];
      if (!rt_->order.push(i)) return oom();
      const Node& d = rt_->nodes[i].def;
      for (uint32_t j = 0; j < d.num_outputs; j++) {
        const uint32_t out = d.outputs[j];
        for (uint32_t e = start[out]; e < start[out + 1]; e++) {
          if (--pending[consumers[e]] == 0 && !queue.push(consumers[e])) return oom();
        }
      }
    }
    if (rt_->order.size() != nn) {
      for (size_t i = 0; i < nn; i++) {
        if (pending[i] != 0) {
          return fail(pnn_status_invalid_parameter,
                      "%s is on a cycle: it depends, through other nodes, on its own output",
                      rt_->nodes[i].label);
        }
      }
    }
    return pnn_status_success;
  }

  // Pass 4. Counts readers first (a fusable value is read by the fused node alone). Batch norms
  // fold first, so that a clamp after a folded pair then fuses into the pair's producer.
  pnn_status fuse() {
    count_readers();
    if ((rt_->flags & PNN_RUNTIME_FLAG_NO_FUSION) != 0) return pnn_status_success;
    for (uint32_t i : rt_->order) {
      RtNode& bn = rt_->nodes[i];
      if (bn.def.kind != NodeKind::kBatchNorm) continue;
      const uint32_t vid = bn.def.inputs[0];
      RtValue& v = rt_->values[vid];
      if (v.def.kind != ValueKind::kInternal || v.producer < 0 || v.readers != 1) continue;
      RtNode& p = rt_->nodes[v.producer];
      if (!foldable_batch_norm(p, bn)) continue;
      p.folded_batch_norm = static_cast<int32_t>(i);
      absorb(p, v, bn);
    }
    for (uint32_t i : rt_->order) {
      RtNode& clamp = rt_->nodes[i];
      if (clamp.def.kind != NodeKind::kUnary || clamp.def.p.unary.op != pnn_unary_clamp ||
          !clamp.def.p.unary.has_params || clamp.def.flags != 0) {
        continue;
      }
      const float c = clamp.def.p.unary.params.min, d = clamp.def.p.unary.params.max;
      if (!valid_clamp(c, d)) continue;  // left to the operator to reject
      const uint32_t vid = clamp.def.inputs[0];
      RtValue& v = rt_->values[vid];
      if (v.def.kind != ValueKind::kInternal || v.producer < 0 || v.readers != 1) continue;
      RtNode& p = rt_->nodes[v.producer];
      if (!has_fused_clamp(p.def.kind)) continue;
      const float lo = p.def.output_min > c ? p.def.output_min : c;
      const float hi = p.def.output_max < d ? p.def.output_max : d;
      if (!(lo <= hi)) continue;  // disjoint ranges: not one clamp
      p.def.output_min = lo;
      p.def.output_max = hi;
      absorb(p, v, clamp);
    }
    for (uint32_t i : rt_->order) {
      RtNode& u = rt_->nodes[i];
      if (u.def.kind != NodeKind::kUnary || u.fused_into >= 0 ||
          u.def.p.unary.op == pnn_unary_clamp) {
        continue;
      }
      RtValue& v = rt_->values[u.def.inputs[0]];
      if (v.def.kind != ValueKind::kInternal || v.producer < 0 || v.readers != 1) continue;
      RtNode& p = rt_->nodes[v.producer];
      if (p.def.kind != NodeKind::kConvolution2d || p.epilogue >= 0) continue;
      p.epilogue = static_cast<int32_t>(i);
      absorb(p, v, u);
    }
    // Drop fused nodes from the order.
    size_t kept = 0;
    for (uint32_t i : rt_->order) {
      if (rt_->nodes[i].fused_into < 0) rt_->order[kept++] = i;
    }
    rt_->order.resize(kept);
    return pnn_status_success;
  }

  // Pass 5 (operators that need no shape).
  pnn_status create_operators() {
    for (uint32_t i : rt_->order) {
      RtNode& n = rt_->nodes[i];
      const Node& d = n.def;
      pnn_status s = pnn_status_success;
      switch (d.kind) {
        case NodeKind::kConvolution2d:
          PNN_TRY(check_filter(n, d.p.conv));
          PNN_TRY(create_filtered(n, d.p.conv, pnn_create_convolution2d_nhwc_f32, &s));
          if (s == pnn_status_success && n.epilogue >= 0) PNN_TRY(attach_epilogue(n));
          break;
        case NodeKind::kDeconvolution2d:
          PNN_TRY(check_filter(n, d.p.deconv));
          PNN_TRY(create_filtered(n, d.p.deconv, pnn_create_deconvolution2d_nhwc_f32, &s));
          break;
        case NodeKind::kResize2d:
          s = pnn_create_resize2d_nhwc_f32(&d.p.resize.params, &n.op);
          break;
        case NodeKind::kFullyConnected: {
          const Shape& w = rt_->values[d.inputs[1]].shape;
          if (w.rank != 2) {
            return fail(pnn_status_invalid_parameter,
                        "%s: weights value %u has %zu dims; fully connected weights have 2",
                        n.label, d.inputs[1], w.rank);
          }
          const bool t = (d.flags & PNN_FLAG_TRANSPOSE_WEIGHTS) != 0;
          const size_t oc = t ? w.dims[1] : w.dims[0], ic = t ? w.dims[0] : w.dims[1];
          PNN_TRY(check_static(n, "bias", d.inputs[2], Shape{1, {oc}}));
          n.op_channels = ic;
          Weights packed;
          PNN_TRY(weights_of(n, &packed));
          s = pnn_create_fully_connected_nc_f32(ic, oc, packed.filter, packed.bias, d.output_min,
                                                d.output_max, d.flags, &n.op);
          break;
        }
        case NodeKind::kBatchMatmul:
          s = pnn_create_batch_matmul_f32(d.flags, &n.op);
          break;
        case NodeKind::kMaxPooling2d:
        case NodeKind::kAveragePooling2d: {
          pnn_pooling2d_params p = d.p.pool;
          p.output_min = d.output_min;
          p.output_max = d.output_max;
          s = d.kind == NodeKind::kMaxPooling2d ? pnn_create_max_pooling2d_nhwc_f32(&p, &n.op)
                                                : pnn_create_average_pooling2d_nhwc_f32(&p, &n.op);
          break;
        }
        case NodeKind::kUnary:
          s = pnn_create_unary_elementwise_nc_f32(
              d.p.unary.op, d.p.unary.has_params ? &d.p.unary.params : nullptr, d.flags, &n.op);
          break;
        case NodeKind::kBinary:
          s = pnn_create_binary_elementwise_nd_f32(d.p.binary, d.output_min, d.output_max,
                                                   d.flags, &n.op);
          break;
        case NodeKind::kGlobalAveragePooling2d:
          if ((d.flags & ~PNN_FLAG_KEEP_DIMS) != 0) {
            return fail(pnn_status_invalid_parameter,
                        "%s: flags 0x%u; only PNN_FLAG_KEEP_DIMS is known", n.label, d.flags);
          }
          break;  // created at reshape, with the channels of the shape
        case NodeKind::kTranspose:
          s = pnn_create_transpose_nd_x32(0, &n.op);
          break;
        case NodeKind::kDepthToSpace:
          s = pnn_create_depth_to_space_nhwc_x32(
              d.p.space.block_size, static_cast<pnn_depth_to_space_mode>(d.p.space.mode), 0, &n.op);
          break;
        case NodeKind::kSpaceToDepth:
          s = pnn_create_space_to_depth_nhwc_x32(d.p.space.block_size, 0, &n.op);
          break;
        case NodeKind::kPad:
          s = pnn_create_pad_nd_x32(static_cast<pnn_pad_mode>(d.p.pad.mode), d.p.pad.value, 0, &n.op);
          break;
        case NodeKind::kSlice:
          s = pnn_create_slice_nd_x32(0, &n.op);
          break;
        case NodeKind::kReduce:
          s = pnn_create_reduce_nd_f32(static_cast<pnn_reduce_op>(d.p.reduce.op),
                                       d.p.reduce.num_axes, d.p.reduce.axes, d.flags, &n.op);
          break;
        case NodeKind::kLayerNorm:
        case NodeKind::kRmsNorm: {
          const size_t size = rt_->values[d.inputs[1]].shape.elements();
          PNN_TRY(check_count(n, "beta", d.inputs[2], size));
          s = d.kind == NodeKind::kLayerNorm
                  ? pnn_create_layer_norm_nd_f32(size, data(d.inputs[1]), data(d.inputs[2]),
                                                 d.p.norm.epsilon, 0, &n.op)
                  : pnn_create_rms_norm_nd_f32(size, data(d.inputs[1]), d.p.norm.epsilon, 0,
                                               &n.op);
          break;
        }
        case NodeKind::kBatchNorm: {
          const size_t c = rt_->values[d.inputs[1]].shape.elements();
          PNN_TRY(check_count(n, "var", d.inputs[2], c));
          PNN_TRY(check_count(n, "gamma", d.inputs[3], c));
          PNN_TRY(check_count(n, "beta", d.inputs[4], c));
          n.op_channels = c;
          s = pnn_create_batch_norm_nc_f32(c, data(d.inputs[1]), data(d.inputs[2]),
                                           data(d.inputs[3]), data(d.inputs[4]),
                                           d.p.norm.epsilon, 0, &n.op);
          break;
        }
        case NodeKind::kSoftmax:       // these are created at reshape, from the shape
        case NodeKind::kConcatenate:
        case NodeKind::kSplit:
        case NodeKind::kPrelu:
        case NodeKind::kReshape:       // views (or a memcpy between external buffers)
        case NodeKind::kCopy:
          break;
      }
      PNN_TRY(after(n, s));
    }
    // Static values read as activations must outlive the graph: the runtime keeps its copy.
    for (uint32_t i : rt_->order) {
      const RtNode& n = rt_->nodes[i];
      for (uint32_t k = 0; k < activation_inputs(n.def); k++) {
        RtValue& v = rt_->values[n.def.inputs[k]];
        if (v.def.kind != ValueKind::kStatic || v.owned != nullptr) continue;
        if (graph_->values[n.def.inputs[k]].owned == nullptr) continue;  // borrowed: the caller's
        const size_t bytes = v.shape.elements() * sizeof(float);
        v.owned = static_cast<float*>(std::malloc(bytes));
        if (v.owned == nullptr) return oom();
        std::memcpy(v.owned, v.def.data, bytes);
        v.def.data = v.owned;
      }
    }
    return pnn_status_success;
  }

  // Pass 6: shapes and operator reshapes, in order.
  pnn_status reshape_all(pnn_threadpool_t pool) {
    for (uint32_t i : rt_->order) PNN_TRY(reshape_node(rt_->nodes[i], pool));
    return pnn_status_success;
  }

  // Pass 7.
  pnn_status plan() {
    const size_t nv = rt_->values.size();
    for (size_t id = 0; id < nv; id++) {
      RtValue& v = rt_->values[id];
      v.root = static_cast<uint32_t>(id);
      v.last_read = 0;
    }
    for (uint32_t step = 0; step < rt_->order.size(); step++) {
      RtNode& n = rt_->nodes[rt_->order[step]];
      for (uint32_t j = 0; j < n.def.num_outputs; j++) {
        rt_->values[n.def.outputs[j]].first_step = step;
      }
      for (uint32_t k = 0; k < activation_inputs(n.def); k++) {
        rt_->values[n.def.inputs[k]].last_read = step;
      }
    }
    // Aliasing decisions, in execution order; group_last[root] is the last step reading any of
    // the group's values so far.
    Array<uint32_t> group_last;
    if (!group_last.resize(nv)) return oom();
    for (size_t id = 0; id < nv; id++) group_last[id] = rt_->values[id].last_read;
    for (uint32_t step = 0; step < rt_->order.size(); step++) {
      RtNode& n = rt_->nodes[rt_->order[step]];
      n.copy = false;
      const uint32_t out = n.def.outputs[0];
      if (is_view(n.def.kind)) {
        const uint32_t r = find(n.def.inputs[0]);
        if (rt_->values[out].def.kind != ValueKind::kExternalOutput) {
          join(out, r, &group_last);
        } else if (in_arena(r)) {
          join(r, out, &group_last);  // the input's group is stored in the external output
        } else {
          n.copy = true;
        }
        continue;
      }
      if (!writes_in_place(n.def.kind) || !in_arena(out)) continue;
      for (uint32_t k = 0; k < activation_inputs(n.def); k++) {
        const uint32_t r = find(n.def.inputs[k]);
        if (in_arena(r) && group_last[r] <= step &&
            rt_->values[n.def.inputs[k]].shape == rt_->values[out].shape) {
          join(out, r, &group_last);
          break;
        }
      }
    }
    // One arena block per group rooted in the arena, alive from its first write to its last read.
    Array<ArenaBlock> blocks;
    Array<uint32_t> block_root;
    for (size_t id = 0; id < nv; id++) {
      RtValue& v = rt_->values[id];
      if (v.producer < 0 || !in_arena(static_cast<uint32_t>(id))) continue;
      RtValue& root = rt_->values[find(static_cast<uint32_t>(id))];
      if (&root == &v) {
        root.first_step = v.first_step;
        root.last_step = v.first_step;
      }
    }
    for (size_t id = 0; id < nv; id++) {
      RtValue& v = rt_->values[id];
      if (v.producer < 0 || !in_arena(static_cast<uint32_t>(id))) continue;
      RtValue& root = rt_->values[find(static_cast<uint32_t>(id))];
      if (v.first_step < root.first_step) root.first_step = v.first_step;
      const uint32_t last = v.last_read > v.first_step ? v.last_read : v.first_step;
      if (last > root.last_step) root.last_step = last;
    }
    for (size_t id = 0; id < nv; id++) {
      const RtValue& v = rt_->values[id];
      if (v.producer < 0 || v.root != id || !in_arena(static_cast<uint32_t>(id))) continue;
      ArenaBlock b;
      b.bytes = v.shape.elements() * sizeof(float);
      b.first = v.first_step;
      b.last = v.last_step;
      if (!blocks.push(b) || !block_root.push(static_cast<uint32_t>(id))) return oom();
    }
    size_t bytes = 0;
    if (!plan_arena(blocks.begin(), blocks.size(), &bytes)) {
      return fail(pnn_status_out_of_memory, "the arena's size overflows size_t");
    }
    for (size_t b = 0; b < blocks.size(); b++) rt_->values[block_root[b]].offset = blocks[b].offset;
    if (!rt_->arena.reserve(bytes / sizeof(float) + 1)) {
      return fail(pnn_status_out_of_memory, "no memory for an arena of %zu bytes", bytes);
    }
    rt_->arena_bytes = bytes;
    return pnn_status_success;
  }

  void set_graph(const pnn_graph* g) { graph_ = g; }

 private:
  static pnn_status oom() { return fail(pnn_status_out_of_memory, "no memory for the runtime"); }

  static void copy_str(char* dst, size_t cap, const char* a, const char* b, const char* c) {
    size_t n = 0;
    for (const char* s : {a, b, c}) {
      for (; *s != '\0' && n + 1 < cap; s++) dst[n++] = *s;
    }
    dst[n] = '\0';
  }

  // Node `fused` (reading value `v`, which `p` produces for it alone) disappears into `p`, which
  // writes `fused`'s output instead.
  void absorb(RtNode& p, RtValue& v, RtNode& fused) {
    const int32_t pi = v.producer;
    p.def.outputs[0] = fused.def.outputs[0];
    rt_->values[fused.def.outputs[0]].producer = pi;
    fused.fused_into = pi;
    v.producer = -1;
    v.readers = 0;
  }

  // Convolution node `n` (created) takes its fused unary node as its epilogue: the unary
  // operator is created through its public call (its parameters checked there, a failure
  // reported as the unary node's), its kernel and parameters copied out, the operator deleted.
  pnn_status attach_epilogue(RtNode& n) {
    const RtNode& u = rt_->nodes[n.epilogue];
    const Node& d = u.def;
    pnn_operator_t unary = nullptr;
    PNN_TRY(after(u, pnn_create_unary_elementwise_nc_f32(
                         d.p.unary.op, d.p.unary.has_params ? &d.p.unary.params : nullptr,
                         d.flags, &unary)));
    Epilogue e;
    const bool ok = unary_epilogue(unary, &e) && set_convolution_epilogue(n.op, e);
    delete unary;
    if (!ok) return fail(pnn_status_invalid_state, "%s: no epilogue for the fused node", n.label);
    return pnn_status_success;
  }

  // Output channels of a convolution, deconvolution or fully connected node from its weights'
  // shape; 0 when the shape is not one the node accepts (create then reports it).
  size_t weight_output_channels(const Node& d) const {
    const Shape& w = rt_->values[d.inputs[1]].shape;
    if (d.kind == NodeKind::kFullyConnected) {
      if (w.rank != 2) return 0;
      return (d.flags & PNN_FLAG_TRANSPOSE_WEIGHTS) != 0 ? w.dims[1] : w.dims[0];
    }
    return w.rank == 4 ? w.dims[0] : 0;
  }

  // A batch norm folds into producer `p` when `p` computes a weighted sum per output channel
  // with no clamp of its own (a clamp before the batch norm is not one after it), and the batch
  // norm's parameters are ones its operator accepts, one per output channel of `p`; otherwise
  // both run as they are (and the batch norm operator reports what is wrong).
  bool foldable_batch_norm(const RtNode& p, const RtNode& bn) const {
    const NodeKind k = p.def.kind;
    if (k != NodeKind::kConvolution2d && k != NodeKind::kDeconvolution2d &&
        k != NodeKind::kFullyConnected) {
      return false;
    }
    if (p.def.output_min > -INFINITY || p.def.output_max < INFINITY) return false;
    const float eps = bn.def.p.norm.epsilon;
    if (!(eps >= 0.0f && eps < INFINITY)) return false;
    const size_t oc = weight_output_channels(p.def);
    if (oc == 0) return false;
    for (uint32_t k2 = 1; k2 < 5; k2++) {
      if (rt_->values[bn.def.inputs[k2]].shape.elements() != oc) return false;
    }
    return true;
  }

  static bool has_fused_clamp(NodeKind k) {
    return k == NodeKind::kConvolution2d || k == NodeKind::kFullyConnected ||
           k == NodeKind::kDeconvolution2d || k == NodeKind::kMaxPooling2d ||
           k == NodeKind::kAveragePooling2d || k == NodeKind::kGlobalAveragePooling2d ||
           k == NodeKind::kBinary;
  }
  static bool writes_in_place(NodeKind k) {
    return k == NodeKind::kUnary || k == NodeKind::kSoftmax || k == NodeKind::kBinary ||
           k == NodeKind::kLayerNorm || k == NodeKind::kRmsNorm || k == NodeKind::kBatchNorm ||
           k == NodeKind::kPrelu;
  }

  void count_readers() {
    for (RtValue& v : rt_->values) v.readers = 0;
    for (uint32_t i : rt_->order) {
      const Node& d = rt_->nodes[i].def;
      for (uint32_t k = 0; k < d.num_inputs; k++) {
        if (d.inputs[k] != kNone) rt_->values[d.inputs[k]].readers++;
      }
    }
  }

  uint32_t find(uint32_t id) const {
    while (rt_->values[id].root != id) id = rt_->values[id].root;
    return id;
  }
  bool in_arena(uint32_t id) const {
    return rt_->values[find(id)].def.kind == ValueKind::kInternal;
  }
  // Stores group `a` in group `b`'s storage.
  void join(uint32_t a, uint32_t b, Array<uint32_t>* group_last) {
    const uint32_t ra = find(a), rb = find(b);
    if (ra == rb) return;
    rt_->values[ra].root = rb;
    if ((*group_last)[ra] > (*group_last)[rb]) (*group_last)[rb] = (*group_last)[ra];
  }

  const float* data(uint32_t id) const {
    return id == kNone ? nullptr : rt_->values[id].def.data;
  }

  pnn_status check_static(const RtNode& n, const char* what, uint32_t id, const Shape& want) {
    if (id == kNone) return pnn_status_success;
    const Shape& got = rt_->values[id].shape;
    if (got.elements() == want.elements() && (got == want || got.rank <= 1)) {
      return pnn_status_success;
    }
    char a[128], b[128];
    return fail(pnn_status_invalid_parameter, "%s: %s value %u has shape %s; the node needs %s",
                n.label, what, id, shape_string(got, a, sizeof a), shape_string(want, b, sizeof b));
  }

  // A convolution-like node's filter [groups*GOC][KH][KW][GIC] and bias [groups*GOC].
  template <typename Params>
  pnn_status check_filter(const RtNode& n, const Params& p) {
    const Shape want = {4, {static_cast<size_t>(p.groups) * p.group_output_channels,
                            p.kernel_height, p.kernel_width, p.group_input_channels}};
    PNN_TRY(check_static(n, "filter", n.def.inputs[1], want));
    return check_static(n, "bias", n.def.inputs[2], Shape{1, {want.dims[0]}});
  }
  // Its operator, with the node's (possibly fused) clamp and folded batch norm; create's
  // status in *s (the return value reports the runtime's own failures).
  template <typename Params>
  pnn_status create_filtered(RtNode& n, Params p,
                             pnn_status (*create)(const Params*, const float*, const float*,
                                                  pnn_operator_t*),
                             pnn_status* s) {
    p.output_min = n.def.output_min;
    p.output_max = n.def.output_max;
    Weights w;
    PNN_TRY(weights_of(n, &w));
    *s = create(&p, w.filter, w.bias, &n.op);
    return pnn_status_success;
  }

  // The weights and bias a convolution, deconvolution or fully connected operator is created
  // with: the static values', or with a folded batch norm (scale = gamma / sqrt(var + eps) per
  // output channel c, in double, each result rounded once to float) the runtime's temporary
  // copy: filter row c times scale, bias (bias - mean) * scale + beta. Create packs them, so the
  // copy is freed with the Weights.
  struct Weights {
    const float* filter = nullptr;
    const float* bias = nullptr;
    float* folded = nullptr;
    ~Weights() { std::free(folded); }
  };
  pnn_status weights_of(const RtNode& n, Weights* w) {
    const Node& d = n.def;
    w->filter = data(d.inputs[1]);
    w->bias = data(d.inputs[2]);
    if (n.folded_batch_norm < 0) return pnn_status_success;
    const Node& bn = rt_->nodes[n.folded_batch_norm].def;
    const size_t oc = weight_output_channels(d);  // checked by foldable_batch_norm
    const size_t count = rt_->values[d.inputs[1]].shape.elements(), per_channel = count / oc;
    w->folded = static_cast<float*>(std::malloc((count + oc) * sizeof(float)));
    if (w->folded == nullptr) return oom();
    const bool columns =
        d.kind == NodeKind::kFullyConnected && (d.flags & PNN_FLAG_TRANSPOSE_WEIGHTS) != 0;
    const float *mean = data(bn.inputs[1]), *var = data(bn.inputs[2]);
    const float *gamma = data(bn.inputs[3]), *beta = data(bn.inputs[4]);
    const double eps = bn.p.norm.epsilon;
    for (size_t c = 0; c < oc; c++) {
      const double scale = gamma[c] / std::sqrt(static_cast<double>(var[c]) + eps);
      for (size_t j = 0; j < per_channel; j++) {
        const size_t at = columns ? j * oc + c : c * per_channel + j;
        w->folded[at] = static_cast<float>(w->filter[at] * scale);
      }
      const double b = w->bias != nullptr ? w->bias[c] : 0.0;
      w->folded[count + c] = static_cast<float>((b - mean[c]) * scale + beta[c]);
    }
    w->filter = w->folded;
    w->bias = w->folded + count;
    return pnn_status_success;
  }

  // A static value of `count` elements (any dims), or absent.
  pnn_status check_count(const RtNode& n, const char* what, uint32_t id, size_t count) {
    if (id == kNone || rt_->values[id].shape.elements() == count) return pnn_status_success;
    char a[128];
    return fail(pnn_status_invalid_parameter,
                "%s: %s value %u has shape %s; the node needs %zu elements", n.label, what, id,
                shape_string(rt_->values[id].shape, a, sizeof a), count);
  }

  pnn_status check_rank(const RtNode& n, uint32_t id, size_t lo, size_t hi) {
    const Shape& s = rt_->values[id].shape;
    if (s.rank >= lo && s.rank <= hi) return pnn_status_success;
    char a[128];
    return fail(pnn_status_invalid_parameter, "%s: input value %u has shape %s; it needs %zu%s dims",
                n.label, id, shape_string(s, a, sizeof a), lo, hi > lo ? " or more" : "");
  }

  pnn_status check_channels(const RtNode& n, uint32_t id, size_t want) {
    const Shape& s = rt_->values[id].shape;
    if (s.dims[s.rank - 1] == want) return pnn_status_success;
    char a[128];
    return fail(pnn_status_invalid_parameter,
                "%s: input value %u has shape %s; the node takes %zu channels", n.label, id,
                shape_string(s, a, sizeof a), want);
  }

  // Creates (again, when `key` changed) an operator whose create takes what the shape decides:
  // channels (global average pooling, softmax, prelu) or the axis (concatenate, split).
  pnn_status ensure_op(RtNode& n, size_t key) {
    if (n.op != nullptr && n.op_key == key) return pnn_status_success;
    const Node& d = n.def;
    pnn_operator_t op = nullptr;
    pnn_status s = pnn_status_success;
    switch (d.kind) {
      case NodeKind::kSoftmax: s = pnn_create_softmax_nc_f32(key, d.flags, &op); break;
      case NodeKind::kConcatenate:
        s = pnn_create_concatenate_nd_x32(d.num_inputs, key, 0, &op);
        break;
      case NodeKind::kSplit: s = pnn_create_split_nd_x32(d.num_outputs, key, 0, &op); break;
      case NodeKind::kPrelu: PNN_TRY(create_prelu(n, key, &op, &s)); break;
      default:
        s = pnn_create_global_average_pooling_nwc_f32(key, d.output_min, d.output_max, 0, &op);
        break;
    }
    PNN_TRY(after(n, s));
    delete n.op;
    n.op = op;
    n.op_key = key;
    return pnn_status_success;
  }

  // A prelu over `channels`: the slope has C elements with dims [C] or [1, ..., 1, C], or one
  // element, expanded here to C (create copies it).
  pnn_status create_prelu(const RtNode& n, size_t channels, pnn_operator_t* op, pnn_status* s) {
    const uint32_t id = n.def.inputs[1];
    const Shape& sh = rt_->values[id].shape;
    const size_t count = sh.elements();
    if (count == 1) {
      float* slope = static_cast<float*>(std::malloc(channels * sizeof(float)));
      if (slope == nullptr) return oom();
      for (size_t c = 0; c < channels; c++) slope[c] = data(id)[0];
      *s = pnn_create_prelu_nc_f32(channels, slope, 0, op);
      std::free(slope);
      return pnn_status_success;
    }
    if (count != channels || sh.dims[sh.rank - 1] != channels) {
      char a[128];
      return fail(pnn_status_invalid_parameter,
                  "%s: slope value %u has shape %s; the input has %zu channels (last dim), so "
                  "the slope must be [%zu] (or [1, ..., %zu]) or a single value",
                  n.label, id, shape_string(sh, a, sizeof a), channels, channels, channels);
    }
    *s = pnn_create_prelu_nc_f32(channels, data(id), 0, op);
    return pnn_status_success;
  }

  // `axis` in [-rank, rank) as a dim index.
  pnn_status resolve_axis(const RtNode& n, int32_t axis, size_t rank, size_t* out) {
    const int64_t r = static_cast<int64_t>(rank);
    const int64_t a = axis < 0 ? axis + r : axis;
    if (a < 0 || a >= r) {
      return fail(pnn_status_invalid_parameter,
                  "%s: axis %d is out of range for an input of %zu dims (it must be in [-%zu, %zu))",
                  n.label, static_cast<int>(axis), rank, rank, rank);
    }
    *out = static_cast<size_t>(a);
    return pnn_status_success;
  }

  // Per-dim parameters given for `num_dims` dims must match the input's rank.
  pnn_status check_num_dims(const RtNode& n, uint32_t id, size_t num_dims) {
    const Shape& s = rt_->values[id].shape;
    if (s.rank == num_dims) return pnn_status_success;
    char a[128];
    return fail(pnn_status_invalid_parameter,
                "%s: the node's parameters cover %zu dims but input value %u has shape %s",
                n.label, num_dims, id, shape_string(s, a, sizeof a));
  }

  // Records output `j`'s inferred shape, checking a declared one.
  pnn_status set_output(const RtNode& n, uint32_t j, const Shape& out) {
    const uint32_t id = n.def.outputs[j];
    RtValue& o = rt_->values[id];
    if (o.def.declared && !(o.def.shape == out)) {
      char a[128], b[128];
      return fail(pnn_status_invalid_parameter,
                  "%s: output value %u was declared %s but the node produces %s", n.label, id,
                  shape_string(o.def.shape, a, sizeof a), shape_string(out, b, sizeof b));
    }
    o.shape = out;
    return pnn_status_success;
  }

  pnn_status rows_of(const RtNode& n, const Shape& s, size_t* rows) {
    if (!checked_product(s.dims, s.rank - 1, rows)) {
      return fail(pnn_status_invalid_parameter, "%s: the row count overflows size_t", n.label);
    }
    return pnn_status_success;
  }

  pnn_status reshape_node(RtNode& n, pnn_threadpool_t pool) {
    const Node& d = n.def;
    const uint32_t x = d.inputs[0];
    const Shape& in = rt_->values[x].shape;
    Shape out;
    pnn_status s = pnn_status_success;
    switch (d.kind) {
      case NodeKind::kConvolution2d: {
        PNN_TRY(check_rank(n, x, 4, 4));
        PNN_TRY(check_channels(n, x, static_cast<size_t>(d.p.conv.groups) * d.p.conv.group_input_channels));
        size_t oh = 0, ow = 0;
        s = pnn_reshape_convolution2d_nhwc_f32(n.op, in.dims[0], in.dims[1], in.dims[2], &oh, &ow,
                                               pool);
        out = Shape{4, {in.dims[0], oh, ow, rt_->values[d.inputs[1]].shape.dims[0]}};
        break;
      }
      case NodeKind::kDeconvolution2d: {
        PNN_TRY(check_rank(n, x, 4, 4));
        PNN_TRY(check_channels(n, x, static_cast<size_t>(d.p.deconv.groups) *
                                         d.p.deconv.group_input_channels));
        size_t oh = 0, ow = 0;
        s = pnn_reshape_deconvolution2d_nhwc_f32(n.op, in.dims[0], in.dims[1], in.dims[2], &oh,
                                                 &ow, pool);
        out = Shape{4, {in.dims[0], oh, ow, rt_->values[d.inputs[1]].shape.dims[0]}};
        break;
      }
      case NodeKind::kResize2d: {
        PNN_TRY(check_rank(n, x, 4, 4));
        PNN_TRY(check_channels(n, x, d.p.resize.params.channels));
        const auto& r = d.p.resize;
        size_t oh = r.height, ow = r.width;
        if (oh == 0) {  // floor(in * scale), in double: exact for sizes below 2^53
          const double h = std::floor(static_cast<double>(in.dims[1]) * r.height_scale);
          const double w = std::floor(static_cast<double>(in.dims[2]) * r.width_scale);
          if (!(h >= 1.0 && w >= 1.0 && h < 1e15 && w < 1e15)) {
            return fail(pnn_status_invalid_parameter,
                        "%s: scales %g x %g give an output of %g x %g pixels for input %zu x %zu",
                        n.label, static_cast<double>(r.height_scale),
                        static_cast<double>(r.width_scale), h, w, in.dims[1], in.dims[2]);
          }
          oh = static_cast<size_t>(h);
          ow = static_cast<size_t>(w);
        }
        s = pnn_reshape_resize2d_nhwc_f32(n.op, in.dims[0], in.dims[1], in.dims[2], oh, ow, pool);
        out = Shape{4, {in.dims[0], oh, ow, in.dims[3]}};
        break;
      }
      case NodeKind::kFullyConnected: {
        PNN_TRY(check_rank(n, x, 1, PNN_MAX_DIMS));
        PNN_TRY(check_channels(n, x, n.op_channels));
        size_t rows = 0;
        PNN_TRY(rows_of(n, in, &rows));
        s = pnn_reshape_fully_connected_nc_f32(n.op, rows, pool);
        out = in;
        const Shape& w = rt_->values[d.inputs[1]].shape;
        out.dims[out.rank - 1] = (d.flags & PNN_FLAG_TRANSPOSE_WEIGHTS) != 0 ? w.dims[1] : w.dims[0];
        break;
      }
      case NodeKind::kBatchMatmul: {
        const uint32_t y = d.inputs[1];
        PNN_TRY(check_rank(n, x, 2, PNN_MAX_DIMS));
        PNN_TRY(check_rank(n, y, 2, PNN_MAX_DIMS));
        const Shape& b = rt_->values[y].shape;
        const bool ta = (d.flags & PNN_FLAG_TRANSPOSE_A) != 0;
        const bool tb = (d.flags & PNN_FLAG_TRANSPOSE_B) != 0;
        const size_t m = in.dims[in.rank - (ta ? 1 : 2)], ka = in.dims[in.rank - (ta ? 2 : 1)];
        const size_t kb = b.dims[b.rank - (tb ? 1 : 2)], nn = b.dims[b.rank - (tb ? 2 : 1)];
        if (ka != kb) {
          char sa[128], sb[128];
          return fail(pnn_status_invalid_parameter,
                      "%s: A %s and B %s disagree on K (%zu vs %zu)", n.label,
                      shape_string(in, sa, sizeof sa), shape_string(b, sb, sizeof sb), ka, kb);
        }
        const size_t na = in.rank - 2, nb = b.rank - 2, nd = na > nb ? na : nb;
        size_t ba[PNN_MAX_DIMS], bb[PNN_MAX_DIMS], bo[PNN_MAX_DIMS];
        for (size_t i = 0; i < nd; i++) {
          ba[i] = i < nd - na ? 1 : in.dims[i - (nd - na)];
          bb[i] = i < nd - nb ? 1 : b.dims[i - (nd - nb)];
        }
        s = pnn_reshape_batch_matmul_f32(n.op, nd, ba, bb, m, ka, nn, bo, pool);
        out.rank = nd + 2;
        for (size_t i = 0; i < nd; i++) out.dims[i] = bo[i];
        out.dims[nd] = m;
        out.dims[nd + 1] = nn;
        if (s == pnn_status_success && out.rank > PNN_MAX_DIMS) {
          return fail(pnn_status_invalid_parameter, "%s: the output has more than %d dims",
                      n.label, PNN_MAX_DIMS);
        }
        break;
      }
      case NodeKind::kMaxPooling2d:
      case NodeKind::kAveragePooling2d: {
        PNN_TRY(check_rank(n, x, 4, 4));
        PNN_TRY(check_channels(n, x, d.p.pool.channels));
        size_t oh = 0, ow = 0;
        s = d.kind == NodeKind::kMaxPooling2d
                ? pnn_reshape_max_pooling2d_nhwc_f32(n.op, in.dims[0], in.dims[1], in.dims[2], &oh,
                                                     &ow, pool)
                : pnn_reshape_average_pooling2d_nhwc_f32(n.op, in.dims[0], in.dims[1], in.dims[2],
                                                         &oh, &ow, pool);
        out = Shape{4, {in.dims[0], oh, ow, in.dims[3]}};
        break;
      }
      case NodeKind::kGlobalAveragePooling2d: {
        PNN_TRY(check_rank(n, x, 4, 4));
        PNN_TRY(ensure_op(n, in.dims[3]));
        size_t width;
        if (!checked_mul(in.dims[1], in.dims[2], &width)) {
          return fail(pnn_status_invalid_parameter, "%s: height * width overflows size_t", n.label);
        }
        s = pnn_reshape_global_average_pooling_nwc_f32(n.op, in.dims[0], width, pool);
        out = (d.flags & PNN_FLAG_KEEP_DIMS) != 0 ? Shape{4, {in.dims[0], 1, 1, in.dims[3]}}
                                                  : Shape{2, {in.dims[0], in.dims[3]}};
        break;
      }
      case NodeKind::kUnary:
        s = pnn_reshape_unary_elementwise_nc_f32(n.op, 1, in.elements(), pool);
        out = in;
        break;
      case NodeKind::kBinary: {
        const Shape& b = rt_->values[d.inputs[1]].shape;
        const size_t one = 1;
        size_t rank = 0, dims[PNN_MAX_DIMS];
        s = pnn_reshape_binary_elementwise_nd_f32(n.op, in.rank != 0 ? in.rank : 1,
                                                  in.rank != 0 ? in.dims : &one,
                                                  b.rank != 0 ? b.rank : 1,
                                                  b.rank != 0 ? b.dims : &one, &rank, dims, pool);
        out.rank = rank;
        for (size_t i = 0; i < rank; i++) out.dims[i] = dims[i];
        break;
      }
      case NodeKind::kSoftmax: {
        PNN_TRY(check_rank(n, x, 1, PNN_MAX_DIMS));
        size_t axis = 0;
        PNN_TRY(resolve_axis(n, d.p.norm.axis, in.rank, &axis));
        PNN_TRY(ensure_op(n, in.dims[axis]));
        s = pnn_reshape_softmax_nd_f32(n.op, in.rank, in.dims, static_cast<int32_t>(axis), pool);
        out = in;
        break;
      }
      case NodeKind::kTranspose:
        PNN_TRY(check_num_dims(n, x, d.p.transpose.num_dims));
        s = pnn_reshape_transpose_nd_x32(n.op, in.rank, in.dims, d.p.transpose.perm, out.dims,
                                         pool);
        out.rank = in.rank;
        break;
      case NodeKind::kDepthToSpace:
      case NodeKind::kSpaceToDepth: {
        PNN_TRY(check_rank(n, x, 4, 4));
        size_t oh = 0, ow = 0, oc = 0;
        s = d.kind == NodeKind::kDepthToSpace
                ? pnn_reshape_depth_to_space_nhwc_x32(n.op, in.dims[0], in.dims[1], in.dims[2],
                                                      in.dims[3], &oh, &ow, &oc, pool)
                : pnn_reshape_space_to_depth_nhwc_x32(n.op, in.dims[0], in.dims[1], in.dims[2],
                                                      in.dims[3], &oh, &ow, &oc, pool);
        out = Shape{4, {in.dims[0], oh, ow, oc}};
        break;
      }
      case NodeKind::kPad:
        PNN_TRY(check_num_dims(n, x, d.p.pad.num_dims));
        s = pnn_reshape_pad_nd_x32(n.op, in.rank, in.dims, d.p.pad.pre, d.p.pad.post, out.dims,
                                   pool);
        out.rank = in.rank;
        break;
      case NodeKind::kSlice:
        PNN_TRY(check_num_dims(n, x, d.p.slice.num_dims));
        s = pnn_reshape_slice_nd_x32(n.op, in.rank, in.dims, d.p.slice.begins, d.p.slice.ends,
                                     d.p.slice.steps, out.dims, pool);
        out.rank = in.rank;
        break;
      case NodeKind::kConcatenate: {
        size_t axis = 0;
        PNN_TRY(resolve_axis(n, d.p.parts.axis, in.rank, &axis));
        size_t shapes[kMaxNodeInputs * PNN_MAX_DIMS];
        for (uint32_t k = 0; k < d.num_inputs; k++) {
          PNN_TRY(check_num_dims(n, d.inputs[k], in.rank));
          const Shape& sk = rt_->values[d.inputs[k]].shape;
          for (size_t i = 0; i < in.rank; i++) shapes[k * in.rank + i] = sk.dims[i];
        }
        PNN_TRY(ensure_op(n, axis));
        s = pnn_reshape_concatenate_nd_x32(n.op, in.rank, shapes, out.dims, pool);
        out.rank = in.rank;
        break;
      }
      case NodeKind::kSplit:
        return reshape_split(n, pool);
      case NodeKind::kReduce: {
        size_t rank = 0;
        s = pnn_reshape_reduce_nd_f32(n.op, in.rank, in.dims, &rank, out.dims, pool);
        out.rank = rank;
        break;
      }
      case NodeKind::kLayerNorm:
        s = pnn_reshape_layer_norm_nd_f32(n.op, in.rank, in.dims, d.p.norm.axis, pool);
        out = in;
        break;
      case NodeKind::kRmsNorm:
        s = pnn_reshape_rms_norm_nd_f32(n.op, in.rank, in.dims, d.p.norm.axis, pool);
        out = in;
        break;
      case NodeKind::kBatchNorm:
      case NodeKind::kPrelu: {
        PNN_TRY(check_rank(n, x, 1, PNN_MAX_DIMS));
        if (d.kind == NodeKind::kPrelu) {
          PNN_TRY(ensure_op(n, in.dims[in.rank - 1]));
        } else {
          PNN_TRY(check_channels(n, x, n.op_channels));
        }
        size_t rows = 0;
        PNN_TRY(rows_of(n, in, &rows));
        s = d.kind == NodeKind::kPrelu ? pnn_reshape_prelu_nc_f32(n.op, rows, pool)
                                       : pnn_reshape_batch_norm_nc_f32(n.op, rows, pool);
        out = in;
        break;
      }
      case NodeKind::kCopy:
        out = in;
        break;
      case NodeKind::kReshape: {
        out = d.p.reshape;
        size_t known = 1, hole = PNN_MAX_DIMS;
        for (size_t i = 0; i < out.rank; i++) {
          if (out.dims[i] == 0) {
            hole = i;
          } else if (!checked_mul(known, out.dims[i], &known)) {
            known = 0;  // overflow: cannot match
          }
        }
        const size_t count = in.elements();
        if (hole != PNN_MAX_DIMS && known != 0 && count % known == 0) out.dims[hole] = count / known;
        if (known == 0 || out.elements() != count || (hole != PNN_MAX_DIMS && out.dims[hole] == 0)) {
          char a[128], b[128];
          return fail(pnn_status_invalid_parameter,
                      "%s: cannot view input %s (%zu elements) as %s", n.label,
                      shape_string(in, a, sizeof a), count, shape_string(d.p.reshape, b, sizeof b));
        }
        break;
      }
    }
    PNN_TRY(after(n, s));
    return set_output(n, 0, out);
  }

  // A split: the parts' sizes (fixed, or an even share of the axis dim) and each output's shape.
  pnn_status reshape_split(RtNode& n, pnn_threadpool_t pool) {
    const Node& d = n.def;
    const Shape& in = rt_->values[d.inputs[0]].shape;
    size_t axis = 0;
    PNN_TRY(resolve_axis(n, d.p.parts.axis, in.rank, &axis));
    size_t sizes[kMaxNodeOutputs];
    for (uint32_t j = 0; j < d.num_outputs; j++) {
      sizes[j] = d.p.parts.even ? in.dims[axis] / d.num_outputs : d.p.parts.sizes[j];
    }
    if (d.p.parts.even && in.dims[axis] % d.num_outputs != 0) {
      char a[128];
      return fail(pnn_status_invalid_parameter,
                  "%s: input %s: dim %zu (%zu) does not split evenly into %u parts", n.label,
                  shape_string(in, a, sizeof a), axis, in.dims[axis], d.num_outputs);
    }
    PNN_TRY(ensure_op(n, axis));
    PNN_TRY(after(n, pnn_reshape_split_nd_x32(n.op, in.rank, in.dims, sizes, pool)));
    for (uint32_t j = 0; j < d.num_outputs; j++) {
      Shape out = in;
      out.dims[axis] = sizes[j];
      PNN_TRY(set_output(n, j, out));
    }
    return pnn_status_success;
  }

  pnn_runtime* rt_;
  const char* api_;
  const pnn_graph* graph_ = nullptr;
};

}  // namespace
}  // namespace graph
}  // namespace pnn

using pnn::fail;
using pnn::graph::RtState;
using pnn::graph::RtValue;
using pnn::graph::ValueKind;

namespace {

// Pointer of a value's storage (after plan and the external bindings).
float* storage(pnn_runtime* rt, uint32_t id) {
  uint32_t r = id;
  while (rt->values[r].root != r) r = rt->values[r].root;
  RtValue& v = rt->values[r];
  switch (v.def.kind) {
    case ValueKind::kStatic: return const_cast<float*>(v.def.data);
    case ValueKind::kExternalInput:
    case ValueKind::kExternalOutput: return static_cast<float*>(v.external);
    case ValueKind::kInternal: break;
  }
  return reinterpret_cast<float*>(reinterpret_cast<char*>(rt->arena.data()) + v.offset);
}

pnn_status setup_nodes(pnn_runtime* rt) {
  using pnn::graph::NodeKind;
  for (uint32_t i : rt->order) {
    auto& n = rt->nodes[i];
    const auto& d = n.def;
    float* out = storage(rt, d.outputs[0]);
    const float* a = storage(rt, d.inputs[0]);
    const float* b = pnn::graph::activation_inputs(d) > 1 ? storage(rt, d.inputs[1]) : nullptr;
    pnn_status s = pnn_status_success;
    switch (d.kind) {
      case NodeKind::kConvolution2d: s = pnn_setup_convolution2d_nhwc_f32(n.op, a, out); break;
      case NodeKind::kDeconvolution2d:
        s = pnn_setup_deconvolution2d_nhwc_f32(n.op, a, out);
        break;
      case NodeKind::kResize2d: s = pnn_setup_resize2d_nhwc_f32(n.op, a, out); break;
      case NodeKind::kFullyConnected: s = pnn_setup_fully_connected_nc_f32(n.op, a, out); break;
      case NodeKind::kBatchMatmul: s = pnn_setup_batch_matmul_f32(n.op, a, b, out); break;
      case NodeKind::kMaxPooling2d: s = pnn_setup_max_pooling2d_nhwc_f32(n.op, a, out); break;
      case NodeKind::kAveragePooling2d:
        s = pnn_setup_average_pooling2d_nhwc_f32(n.op, a, out);
        break;
      case NodeKind::kGlobalAveragePooling2d:
        s = pnn_setup_global_average_pooling_nwc_f32(n.op, a, out);
        break;
      case NodeKind::kUnary: s = pnn_setup_unary_elementwise_nc_f32(n.op, a, out); break;
      case NodeKind::kBinary: s = pnn_setup_binary_elementwise_nd_f32(n.op, a, b, out); break;
      case NodeKind::kSoftmax: s = pnn_setup_softmax_nc_f32(n.op, a, out); break;
      case NodeKind::kTranspose: s = pnn_setup_transpose_nd_x32(n.op, a, out); break;
      case NodeKind::kDepthToSpace: s = pnn_setup_depth_to_space_nhwc_x32(n.op, a, out); break;
      case NodeKind::kSpaceToDepth: s = pnn_setup_space_to_depth_nhwc_x32(n.op, a, out); break;
      case NodeKind::kPad: s = pnn_setup_pad_nd_x32(n.op, a, out); break;
      case NodeKind::kSlice: s = pnn_setup_slice_nd_x32(n.op, a, out); break;
      case NodeKind::kReduce: s = pnn_setup_reduce_nd_f32(n.op, a, out); break;
      case NodeKind::kLayerNorm: s = pnn_setup_layer_norm_nd_f32(n.op, a, out); break;
      case NodeKind::kRmsNorm: s = pnn_setup_rms_norm_nd_f32(n.op, a, out); break;
      case NodeKind::kBatchNorm: s = pnn_setup_batch_norm_nc_f32(n.op, a, out); break;
      case NodeKind::kPrelu: s = pnn_setup_prelu_nc_f32(n.op, a, out); break;
      case NodeKind::kConcatenate: {
        const void* parts[pnn::graph::kMaxNodeInputs];
        for (uint32_t k = 0; k < d.num_inputs; k++) parts[k] = storage(rt, d.inputs[k]);
        s = pnn_setup_concatenate_nd_x32(n.op, parts, out);
        break;
      }
      case NodeKind::kSplit: {
        void* parts[pnn::graph::kMaxNodeOutputs];
        for (uint32_t k = 0; k < d.num_outputs; k++) parts[k] = storage(rt, d.outputs[k]);
        s = pnn_setup_split_nd_x32(n.op, a, parts);
        break;
      }
      case NodeKind::kReshape:
      case NodeKind::kCopy:
        n.copy_src = a;
        n.copy_dst = out;
        n.copy_bytes = rt->values[d.outputs[0]].shape.elements() * sizeof(float);
        break;
    }
    if (s != pnn_status_success) {
      pnn::graph::Builder b2(rt, "pnn_setup_runtime");
      return b2.node_failed(n, s);
    }
  }
  return pnn_status_success;
}

pnn_status check_runtime(pnn_runtime_t rt) {
  if (rt == nullptr) return fail(pnn_status_invalid_parameter, "runtime is NULL");
  return pnn_status_success;
}

pnn_status check_value(pnn_runtime_t rt, uint32_t id) {
  if (id >= rt->values.size()) {
    return fail(pnn_status_invalid_parameter, "value_id %u is not a value of the runtime (it has %zu)",
                id, rt->values.size());
  }
  return pnn_status_success;
}

}  // namespace

extern "C" {

pnn_status pnn_create_runtime(pnn_graph_t graph, uint32_t flags, pnn_runtime_t* runtime_out) {
  PNN_API_SCOPE();
  if (runtime_out == nullptr) return fail(pnn_status_invalid_parameter, "runtime_out is NULL");
  *runtime_out = nullptr;
  if (graph == nullptr) return fail(pnn_status_invalid_parameter, "graph is NULL");
  if ((flags & ~(PNN_RUNTIME_FLAG_PROFILE | PNN_RUNTIME_FLAG_NO_FUSION)) != 0) {
    return fail(pnn_status_invalid_parameter, "flags 0x%u has unknown bits", flags);
  }
  if (!pnn::is_initialized()) {
    return fail(pnn_status_uninitialized,
                "the library is not initialized; call pnn_initialize() first");
  }
  pnn_runtime* rt = new (std::nothrow) pnn_runtime;
  if (rt == nullptr) return fail(pnn_status_out_of_memory, "no memory for the runtime");
  rt->flags = flags;
  pnn::graph::Builder b(rt, __func__);
  b.set_graph(graph);
  pnn_status s = b.copy_graph(*graph);
  if (s == pnn_status_success) s = b.validate();
  if (s == pnn_status_success) s = b.order_nodes();
  if (s == pnn_status_success) s = b.fuse();
  if (s == pnn_status_success) s = b.create_operators();
  if (s == pnn_status_success) s = b.reshape_all(nullptr);
  if (s == pnn_status_success) s = b.plan();
  if (s != pnn_status_success) {
    delete rt;
    return s;
  }
  rt->state = RtState::kNeedsSetup;
  *runtime_out = rt;
  return pnn_status_success;
}

pnn_status pnn_delete_runtime(pnn_runtime_t runtime) {
  PNN_API_SCOPE();
  delete runtime;
  return pnn_status_success;
}

pnn_status pnn_reshape_external_value(pnn_runtime_t runtime, uint32_t value_id, size_t num_dims,
                                      const size_t* dims) {
  PNN_API_SCOPE();
  pnn_status s = check_runtime(runtime);
  if (s == pnn_status_success) s = check_value(runtime, value_id);
  if (s != pnn_status_success) return s;
  RtValue& v = runtime->values[value_id];
  if (v.def.kind != ValueKind::kExternalInput) {
    return fail(pnn_status_invalid_parameter, "value %u is not an external input", value_id);
  }
  if (num_dims == 0 || num_dims > PNN_MAX_DIMS || dims == nullptr) {
    return fail(pnn_status_invalid_parameter,
                "an external input has 1 to %d dims (num_dims %zu, dims %s)", PNN_MAX_DIMS,
                num_dims, dims == nullptr ? "NULL" : "given");
  }
  pnn::graph::Shape shape;
  size_t count = 1;
  for (size_t i = 0; i < num_dims; i++) {
    if (dims[i] == 0) return fail(pnn_status_invalid_parameter, "dims[%zu] is 0; it must be >= 1", i);
    if (!pnn::checked_mul(count, dims[i], &count) || count > SIZE_MAX / sizeof(float)) {
      return fail(pnn_status_invalid_parameter, "the element count overflows size_t bytes");
    }
    shape.dims[i] = dims[i];
  }
  shape.rank = num_dims;
  v.def.shape = shape;
  v.shape = shape;
  runtime->state = RtState::kNeedsReshape;
  return pnn_status_success;
}

pnn_status pnn_reshape_runtime(pnn_runtime_t runtime, pnn_threadpool_t threadpool) {
  PNN_API_SCOPE();
  pnn_status s = check_runtime(runtime);
  if (s != pnn_status_success) return s;
  runtime->state = RtState::kNeedsReshape;
  pnn::graph::Builder b(runtime, __func__);
  s = b.reshape_all(threadpool);
  if (s == pnn_status_success) s = b.plan();
  if (s == pnn_status_success) runtime->state = RtState::kNeedsSetup;
  return s;
}

pnn_status pnn_get_value_shape(pnn_runtime_t runtime, uint32_t value_id, size_t* num_dims,
                               size_t* dims) {
  PNN_API_SCOPE();
  pnn_status s = check_runtime(runtime);
  if (s == pnn_status_success) s = check_value(runtime, value_id);
  if (s != pnn_status_success) return s;
  if (num_dims == nullptr || dims == nullptr) {
    return fail(pnn_status_invalid_parameter, "%s is NULL", num_dims == nullptr ? "num_dims" : "dims");
  }
  const pnn::graph::Shape& shape = runtime->values[value_id].shape;
  *num_dims = shape.rank;
  for (size_t i = 0; i < shape.rank; i++) dims[i] = shape.dims[i];
  return pnn_status_success;
}

pnn_status pnn_setup_runtime(pnn_runtime_t runtime, size_t num_external_values,
                             const pnn_external_value* external_values) {
  PNN_API_SCOPE();
  pnn_status s = check_runtime(runtime);
  if (s != pnn_status_success) return s;
  if (runtime->state == RtState::kNeedsReshape) {
    return fail(pnn_status_invalid_state, "the last reshape failed; reshape the runtime first");
  }
  if (num_external_values != 0 && external_values == nullptr) {
    return fail(pnn_status_invalid_parameter, "external_values is NULL");
  }
  // Validate everything before binding anything.
  size_t externals = 0;
  for (const RtValue& v : runtime->values) {
    externals += v.def.kind == ValueKind::kExternalInput || v.def.kind == ValueKind::kExternalOutput;
  }
  for (size_t i = 0; i < num_external_values; i++) {
    const pnn_external_value& e = external_values[i];
    s = check_value(runtime, e.id);
    if (s != pnn_status_success) return s;
    const RtValue& v = runtime->values[e.id];
    if (v.def.kind != ValueKind::kExternalInput && v.def.kind != ValueKind::kExternalOutput) {
      return fail(pnn_status_invalid_parameter, "external_values[%zu]: value %u is not external",
                  i, e.id);
    }
    if (e.data == nullptr) {
      return fail(pnn_status_invalid_parameter, "external_values[%zu]: data is NULL (value %u)",
                  i, e.id);
    }
    for (size_t j = 0; j < i; j++) {
      if (external_values[j].id == e.id) {
        return fail(pnn_status_invalid_parameter,
                    "external_values[%zu] and [%zu] both bind value %u", j, i, e.id);
      }
    }
    if (v.def.kind != ValueKind::kExternalOutput) continue;
    const size_t n = v.shape.elements();
    for (size_t j = 0; j < num_external_values; j++) {
      if (j == i || external_values[j].id >= runtime->values.size()) continue;
      const RtValue& w = runtime->values[external_values[j].id];
      if (pnn::ranges_overlap(static_cast<const float*>(e.data), n,
                              static_cast<const float*>(external_values[j].data),
                              w.shape.elements())) {
        return fail(pnn_status_invalid_parameter,
                    "the buffer of external output %u overlaps that of value %u", e.id,
                    external_values[j].id);
      }
    }
  }
  if (num_external_values != externals) {
    return fail(pnn_status_invalid_parameter,
                "%zu external values bound; the runtime has %zu (every external input and "
                "output must be bound)",
                num_external_values, externals);
  }
  for (size_t i = 0; i < num_external_values; i++) {
    runtime->values[external_values[i].id].external = external_values[i].data;
  }
  runtime->state = RtState::kNeedsSetup;  // until every node is set up
  s = setup_nodes(runtime);
  if (s == pnn_status_success) runtime->state = RtState::kReady;
  return s;
}

pnn_status pnn_invoke_runtime(pnn_runtime_t runtime, pnn_threadpool_t threadpool) {
  PNN_API_SCOPE();
  pnn_status s = check_runtime(runtime);
  if (s != pnn_status_success) return s;
  if (runtime->state != RtState::kReady) {
    return fail(pnn_status_invalid_state, "the runtime is not set up: call pnn_setup_runtime");
  }
  const bool profile = (runtime->flags & PNN_RUNTIME_FLAG_PROFILE) != 0;
  for (uint32_t i : runtime->order) {
    auto& n = runtime->nodes[i];
    const auto t0 = profile ? std::chrono::steady_clock::now() : std::chrono::steady_clock::time_point{};
    if (n.op != nullptr) {
      n.op->run(threadpool);
    } else if (n.copy) {
      std::memmove(n.copy_dst, n.copy_src, n.copy_bytes);
    }
    if (profile) {
      n.time_ns = static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                            std::chrono::steady_clock::now() - t0)
                                            .count());
    }
  }
  return pnn_status_success;
}

pnn_status pnn_get_runtime_node_count(pnn_runtime_t runtime, uint32_t* count_out) {
  PNN_API_SCOPE();
  pnn_status s = check_runtime(runtime);
  if (s != pnn_status_success) return s;
  if (count_out == nullptr) return fail(pnn_status_invalid_parameter, "count_out is NULL");
  *count_out = static_cast<uint32_t>(runtime->nodes.size());
  return pnn_status_success;
}

pnn_status pnn_get_runtime_node_info(pnn_runtime_t runtime, uint32_t node_index,
                                     pnn_node_info* info_out) {
  PNN_API_SCOPE();
  pnn_status s = check_runtime(runtime);
  if (s != pnn_status_success) return s;
  if (info_out == nullptr) return fail(pnn_status_invalid_parameter, "info_out is NULL");
  if (node_index >= runtime->nodes.size()) {
    return fail(pnn_status_invalid_parameter, "node_index %u: the runtime has %zu nodes",
                node_index, runtime->nodes.size());
  }
  const auto& n = runtime->nodes[node_index];
  info_out->name = n.def.name[0] != '\0' ? n.def.name : n.label;
  info_out->operator_name = pnn::graph::node_kind_name(n.def.kind);
  info_out->kernel_name = n.op != nullptr ? pnn_operator_kernel_name(n.op)
                          : n.copy        ? "memcpy"
                                          : "none";
  info_out->time_ns = n.time_ns;
  info_out->fused_into = n.fused_into;
  return pnn_status_success;
}

pnn_status pnn_get_runtime_memory(pnn_runtime_t runtime, size_t* arena_bytes,
                                  size_t* packed_weight_bytes) {
  PNN_API_SCOPE();
  pnn_status s = check_runtime(runtime);
  if (s != pnn_status_success) return s;
  size_t packed = 0;
  for (const auto& n : runtime->nodes) {
    if (n.op != nullptr) packed += n.op->packed_weight_bytes();
  }
  if (arena_bytes != nullptr) *arena_bytes = runtime->arena_bytes;
  if (packed_weight_bytes != nullptr) *packed_weight_bytes = packed;
  return pnn_status_success;
}

}  // extern "C"
