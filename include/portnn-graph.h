/*
 * portnn graph runtime — define a model once, plan its memory, fuse, run.
 *
 * Copyright 2026 The portnn Authors. Licensed under the Apache License 2.0.
 *
 * The second public header, beside portnn.h (which it includes; its conventions hold here:
 * every fallible call returns an `enum pnn_status` and pnn_last_error_message() says why, the
 * library never aborts, exits or prints, nothing is written to out-parameters on error).
 *
 * A model is built in two stages:
 *
 *   1. A **graph** (pnn_graph_t) records values and nodes; it computes nothing.
 *        - Values are tensors of float32 with up to PNN_MAX_DIMS dims, row-major, NHWC for
 *          images. Each is one of:
 *            static          data given at definition (weights, biases, constants); copied
 *                            unless PNN_VALUE_FLAG_BORROW_DATA, in which case the caller keeps
 *                            the data alive and unchanged until every runtime made from the
 *                            graph is deleted;
 *            external input  PNN_VALUE_FLAG_EXTERNAL_INPUT: the caller binds its buffer at
 *                            setup; its dims are the default shape, which
 *                            pnn_reshape_external_value() may change later;
 *            external output PNN_VALUE_FLAG_EXTERNAL_OUTPUT: produced by a node, bound at setup;
 *            internal        everything else: produced by one node, stored in the runtime's
 *                            arena.
 *          The dims of a produced value (internal or external output) are inferred; declare
 *          them with num_dims = 0, or give them to have the runtime check its inference.
 *        - Nodes are operators, one `pnn_define_<op>` call each, with the parameters of the
 *          operator's create call in portnn.h and its input / output value ids. Nodes may be
 *          defined in any order; the runtime orders them by their data dependencies. Nodes are
 *          numbered 0, 1, ... in definition order; pnn_set_node_name() names one for error
 *          reasons and profiles (default: "node <i> (<operator>)").
 *      The graph may be deleted once runtimes are created from it.
 *
 *   2. A **runtime** (pnn_runtime_t) made by pnn_create_runtime() from a graph:
 *        - validates the graph (every node's inputs defined and of the right kind, every
 *          consumed value produced exactly once, no cycle, weight shapes matching the
 *          parameters, sizes that fit), naming the offending node in the reason;
 *        - fuses: a clamp (relu, relu6, any bounds) whose input is used only by it is folded
 *          into the producing convolution, fully connected, pooling, global average pooling or
 *          binary node as its output_min / output_max; a batch norm whose input is produced
 *          only for it by an unclamped convolution, deconvolution or fully connected node is
 *          folded into that node's weights and bias (per output channel c, in double,
 *          scale = gamma / sqrt(var + eps): weights of channel c times scale, bias
 *          (bias - mean) * scale + beta, each rounded once to float), and a clamp after the
 *          batch norm is then fused as after the node itself; any other unary node (SiLU,
 *          hardswish, sigmoid, GELU, ...) whose input is produced only for it by a convolution
 *          becomes that convolution's epilogue (its kernel applied to each output block right
 *          after the block is computed: one pass and one parallel loop instead of two); a
 *          reshape or copy is a view (no copy) unless it copies between two external buffers;
 *        - creates the operators (packing the weights once) and infers every shape from the
 *          external inputs' shapes;
 *        - plans memory: every internal value gets an offset in one arena by liveness (values
 *          whose lifetimes do not overlap share bytes; each output of a split has its own), and
 *          unary, softmax, same-shape binary, layer / RMS / batch norm and prelu nodes write in
 *          place over an input that dies at that node.
 *      Then: pnn_setup_runtime() binds the external buffers, pnn_invoke_runtime() computes (any
 *      number of times). pnn_reshape_external_value() + pnn_reshape_runtime() change input
 *      shapes (batch, resolution) without rebuilding: shapes are re-inferred, the operators
 *      reshaped and the arena re-planned; setup must follow.
 *
 * Lifecycle: create -> (reshape) -> setup -> invoke...; setup before a successful create or
 * reshape is impossible by construction; invoke before setup, or after a reshape without a new
 * setup, returns pnn_status_invalid_state. A failed reshape leaves the runtime needing a
 * successful reshape (invalid_state for setup and invoke until then).
 *
 * Threads: one runtime must not be used from two threads at once; distinct runtimes may.
 * Numerics: each node computes exactly what its operator computes (portnn.h), so a runtime's
 * results equal those of the same operators called by hand, bit for bit, clamp and epilogue
 * fusion included (a fused clamp is the operator's own fused clamp; an epilogue is the unary
 * operator's kernel on the same values). Batch-norm folding is the exception: the
 * folded node computes the convolution of the folded weights, which rounds differently from the
 * convolution followed by the batch norm (not bit-identical; the bound is given with
 * pnn_define_batch_norm). PNN_RUNTIME_FLAG_NO_FUSION keeps every node separate.
 */
#ifndef PORTNN_GRAPH_H_
#define PORTNN_GRAPH_H_

#include "portnn.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pnn_graph* pnn_graph_t;
typedef struct pnn_runtime* pnn_runtime_t;

/** A value id that means "none" (an absent bias). */
#define PNN_INVALID_VALUE_ID UINT32_MAX

/** Value flags. */
#define PNN_VALUE_FLAG_EXTERNAL_INPUT 0x1u
#define PNN_VALUE_FLAG_EXTERNAL_OUTPUT 0x2u
/** Static values: keep a pointer to the caller's data instead of copying it. */
#define PNN_VALUE_FLAG_BORROW_DATA 0x4u

/** Runtime flags. */
/** Time every node of each invoke (see pnn_get_runtime_node_info); costs two clock reads a node. */
#define PNN_RUNTIME_FLAG_PROFILE 0x1u
/** Do not fuse anything (for checking fusion, and for profiles node by node). */
#define PNN_RUNTIME_FLAG_NO_FUSION 0x2u


/** Largest number of values, and of nodes, in one graph. */
#define PNN_MAX_GRAPH_VALUES 65536u

/**
 * Creates an empty graph.
 * @return invalid_parameter for NULL graph_out or flags != 0; out_of_memory.
 */
enum pnn_status pnn_create_graph(uint32_t flags, pnn_graph_t* graph_out);
/** Frees a graph (NULL is accepted). Runtimes made from it stay valid. */
enum pnn_status pnn_delete_graph(pnn_graph_t graph);

/**
 * Defines a value and returns its id (0, 1, ... in definition order).
 * @param num_dims  0..PNN_MAX_DIMS; for produced values 0 means "inferred" (see above); for
 *                  static values 0 is a scalar; external inputs need >= 1 dim.
 * @param dims      num_dims sizes, each >= 1; may be NULL when num_dims is 0.
 * @param data      static data of product(dims) floats, or NULL for non-static values.
 * @param flags     at most one of EXTERNAL_INPUT / EXTERNAL_OUTPUT, which exclude data;
 *                  BORROW_DATA only with data.
 * @return invalid_parameter for a NULL graph or id_out, bad dims (zero, too many, element count
 *         or bytes overflowing size_t), bad flag combinations, more than PNN_MAX_GRAPH_VALUES
 *         values; out_of_memory.
 */
enum pnn_status pnn_define_tensor_value(pnn_graph_t graph, size_t num_dims, const size_t* dims,
                                        const float* data, uint32_t flags, uint32_t* id_out);

/**
 * Names node `node_index` (definition order) for error reasons and profiles; the name is copied
 * (at most 63 bytes are kept).
 * @return invalid_parameter for a NULL graph or name, or no such node.
 */
enum pnn_status pnn_set_node_name(pnn_graph_t graph, uint32_t node_index, const char* name);

/** Number of nodes defined so far (the index the next define call gets). */
enum pnn_status pnn_graph_node_count(pnn_graph_t graph, uint32_t* count_out);

/*
 * Node definitions. Each checks the value ids (defined; the outputs not static and not an
 * external input, a split's all distinct; weights and biases static), its pointers and the
 * parameters that need no shape (a permutation, a count of parts, slice steps >= 1), returning
 * invalid_parameter otherwise and recording nothing. The operator's other parameter rules
 * (portnn.h) and every shape are checked by pnn_create_runtime and pnn_reshape_runtime, whose
 * reasons name the node.
 */

/**
 * 2-D convolution of `input` [N][H][W][groups*GIC] into `output` [N][OH][OW][groups*GOC].
 * `filter` is a static value of dims [groups*GOC][KH][KW][GIC]; `bias` a static value of dims
 * [groups*GOC] or PNN_INVALID_VALUE_ID.
 */
enum pnn_status pnn_define_convolution2d(pnn_graph_t graph,
                                         const struct pnn_convolution2d_params* params,
                                         uint32_t input_id, uint32_t filter_id, uint32_t bias_id,
                                         uint32_t output_id);

/**
 * 2-D deconvolution (transposed convolution) of `input` [N][H][W][groups*GIC] into `output`
 * [N][OH][OW][groups*GOC] (params as pnn_create_deconvolution2d_nhwc_f32). `filter` is a static
 * value of dims [groups*GOC][KH][KW][GIC]; `bias` static [groups*GOC] or PNN_INVALID_VALUE_ID.
 */
enum pnn_status pnn_define_deconvolution2d(pnn_graph_t graph,
                                           const struct pnn_deconvolution2d_params* params,
                                           uint32_t input_id, uint32_t filter_id,
                                           uint32_t bias_id, uint32_t output_id);

/**
 * 2-D resize of a 4-D NHWC value (params as pnn_create_resize2d_nhwc_f32). The output size is
 * `output_height` x `output_width` when both are >= 1; when both are 0 it follows the input:
 * floor(input size * scale) per axis (ONNX Resize with scales), each >= 1.
 */
enum pnn_status pnn_define_resize2d(pnn_graph_t graph, const struct pnn_resize2d_params* params,
                                    size_t output_height, size_t output_width,
                                    float height_scale, float width_scale, uint32_t input_id,
                                    uint32_t output_id);

/**
 * Fully connected over the last dim: input [..., IC] -> output [..., OC] (leading dims are rows).
 * `weights` static [OC][IC] ([IC][OC] with PNN_FLAG_TRANSPOSE_WEIGHTS); `bias` static [OC] or
 * PNN_INVALID_VALUE_ID.
 */
enum pnn_status pnn_define_fully_connected(pnn_graph_t graph, float output_min, float output_max,
                                           uint32_t input_id, uint32_t weights_id,
                                           uint32_t bias_id, uint32_t output_id, uint32_t flags);

/** Batch matmul of `a` [..., M, K] and `b` [..., K, N] (flags as pnn_create_batch_matmul_f32). */
enum pnn_status pnn_define_batch_matmul(pnn_graph_t graph, uint32_t a_id, uint32_t b_id,
                                        uint32_t output_id, uint32_t flags);

/** Max pooling of a 4-D NHWC value (params as pnn_create_max_pooling2d_nhwc_f32). */
enum pnn_status pnn_define_max_pooling2d(pnn_graph_t graph,
                                         const struct pnn_pooling2d_params* params,
                                         uint32_t input_id, uint32_t output_id);

/** Average pooling of a 4-D NHWC value (params as pnn_create_average_pooling2d_nhwc_f32). */
enum pnn_status pnn_define_average_pooling2d(pnn_graph_t graph,
                                             const struct pnn_pooling2d_params* params,
                                             uint32_t input_id, uint32_t output_id);

/**
 * Global average pooling of a 4-D NHWC value [N][H][W][C] into [N][C] ([N][1][1][C] with
 * PNN_FLAG_KEEP_DIMS, the reductions' flag of portnn.h).
 */
enum pnn_status pnn_define_global_average_pooling2d(pnn_graph_t graph, float output_min,
                                                    float output_max, uint32_t input_id,
                                                    uint32_t output_id, uint32_t flags);

/** Unary elementwise op over a value of any shape (as pnn_create_unary_elementwise_nc_f32). */
enum pnn_status pnn_define_unary(pnn_graph_t graph, enum pnn_unary_op op_type,
                                 const struct pnn_unary_params* params, uint32_t input_id,
                                 uint32_t output_id, uint32_t flags);

/** Broadcasting binary op (as pnn_create_binary_elementwise_nd_f32); operands may be static. */
enum pnn_status pnn_define_binary(pnn_graph_t graph, enum pnn_binary_op op_type, float output_min,
                                  float output_max, uint32_t a_id, uint32_t b_id,
                                  uint32_t output_id, uint32_t flags);

/**
 * Softmax over the last dim of a value of >= 1 dims; flags 0 or PNN_FLAG_LOG_SOFTMAX (see
 * pnn_define_softmax_axis for any other axis).
 */
enum pnn_status pnn_define_softmax(pnn_graph_t graph, uint32_t input_id, uint32_t output_id,
                                   uint32_t flags);

/**
 * Reshape (a view: no copy unless both values are external): `output` gets `new_dims`, of the
 * same element count as `input`. At most one of the new dims may be 0, meaning "whatever makes
 * the element count match".
 */
enum pnn_status pnn_define_reshape(pnn_graph_t graph, size_t num_dims, const size_t* new_dims,
                                   uint32_t input_id, uint32_t output_id);

/**
 * Softmax along `axis` (in [-rank, rank); negative counts from the end) of a value of >= 1 dims
 * (as pnn_create_softmax_nc_f32 + pnn_reshape_softmax_nd_f32); log-softmax with
 * PNN_FLAG_LOG_SOFTMAX. pnn_define_softmax(g, in, out, flags) is this call with axis -1.
 * @param flags  0 or PNN_FLAG_LOG_SOFTMAX.
 */
enum pnn_status pnn_define_softmax_axis(pnn_graph_t graph, int32_t axis, uint32_t input_id,
                                        uint32_t output_id, uint32_t flags);

/**
 * Copy: `output` gets the input's shape and elements (ONNX Identity). Like a reshape it is a view
 * (no copy) unless both values are external, where the bytes are copied.
 */
enum pnn_status pnn_define_copy(pnn_graph_t graph, uint32_t input_id, uint32_t output_id);

/*
 * Data movement (as the _x32 operators of portnn.h: every output element is a bit-exact copy of
 * an input element or of the pad value). Axes are int32_t here, in [-rank, rank) of the input
 * (negative ones count from the end), resolved when the runtime infers the shapes; the
 * operators' rank and shape rules apply to the inferred shapes, checked at create and at every
 * reshape with the node named.
 */

/**
 * Transpose: output dim j is input dim perm[j] (as pnn_reshape_transpose_nd_x32). `perm` has
 * `num_dims` entries (copied), a permutation of 0..num_dims-1; num_dims must equal the input's
 * rank.
 * @return invalid_parameter (besides the common checks) for num_dims 0 or > PNN_MAX_DIMS, a NULL
 *         perm, or a perm that is not a permutation.
 */
enum pnn_status pnn_define_transpose(pnn_graph_t graph, size_t num_dims, const size_t* perm,
                                     uint32_t input_id, uint32_t output_id);

/**
 * Depth-to-space of a 4-D NHWC value [N][H][W][block*block*C'] -> [N][H*block][W*block][C']
 * (as pnn_create_depth_to_space_nhwc_x32: block_size >= 1, mode DCR or CRD).
 */
enum pnn_status pnn_define_depth_to_space(pnn_graph_t graph, uint32_t block_size,
                                          enum pnn_depth_to_space_mode mode, uint32_t input_id,
                                          uint32_t output_id);

/**
 * Space-to-depth of a 4-D NHWC value [N][H][W][C] -> [N][H/block][W/block][block*block*C] (as
 * pnn_create_space_to_depth_nhwc_x32; H and W multiples of block_size).
 */
enum pnn_status pnn_define_space_to_depth(pnn_graph_t graph, uint32_t block_size,
                                          uint32_t input_id, uint32_t output_id);

/**
 * Pad (as pnn_create_pad_nd_x32 + pnn_reshape_pad_nd_x32): output dim i is pre_paddings[i] +
 * input dim i + post_paddings[i]; `num_dims` (1..PNN_MAX_DIMS) must equal the input's rank.
 * The paddings are copied. `padding_value` is written by its bits in constant mode (ignored
 * otherwise); reflect paddings must be < their dim (checked with the shapes).
 */
enum pnn_status pnn_define_pad(pnn_graph_t graph, enum pnn_pad_mode mode, size_t num_dims,
                               const size_t* pre_paddings, const size_t* post_paddings,
                               float padding_value, uint32_t input_id, uint32_t output_id);

/**
 * Concatenate `num_inputs` values (2..PNN_MAX_CONCAT_PARTS; `input_ids` copied, any kinds, one
 * value may appear more than once) along `axis`: same rank, equal dims except at the axis.
 */
enum pnn_status pnn_define_concatenate(pnn_graph_t graph, int32_t axis, size_t num_inputs,
                                       const uint32_t* input_ids, uint32_t output_id);

/**
 * Split `input` along `axis` into `num_outputs` values (2..PNN_MAX_CONCAT_PARTS; `output_ids`
 * copied, all distinct, each produced by this node only). `split_sizes` (copied) holds
 * num_outputs sizes >= 1 that must sum to the input's dim at the axis, or is NULL for an even
 * split (the dim must then be a multiple of num_outputs). Fixed sizes stay fixed when the runtime
 * is reshaped; an even split follows the new dim.
 */
enum pnn_status pnn_define_split(pnn_graph_t graph, int32_t axis, size_t num_outputs,
                                 const size_t* split_sizes, uint32_t input_id,
                                 const uint32_t* output_ids);

/**
 * Slice (as pnn_reshape_slice_nd_x32: ONNX clamping of begins and ends, steps >= 1, every dim
 * keeping >= 1 element): `num_dims` (1..PNN_MAX_DIMS) must equal the input's rank; begins and
 * ends (required) and steps (NULL for all 1) hold num_dims values each (copied).
 * @return invalid_parameter (besides the common checks) for a bad num_dims, NULL begins or ends,
 *         a step < 1.
 */
enum pnn_status pnn_define_slice(pnn_graph_t graph, size_t num_dims, const int64_t* begins,
                                 const int64_t* ends, const int64_t* steps, uint32_t input_id,
                                 uint32_t output_id);

/*
 * Reductions and normalizations.
 */

/**
 * Reduction over `num_axes` axes (0..PNN_MAX_DIMS; `axes` copied, NULL only when num_axes is 0)
 * of a value of any rank (as pnn_create_reduce_nd_f32 + pnn_reshape_reduce_nd_f32: axes in
 * [-rank, rank), none twice; 0 axes copies the input).
 * @param flags  0 or PNN_FLAG_KEEP_DIMS.
 */
enum pnn_status pnn_define_reduce(pnn_graph_t graph, enum pnn_reduce_op op_type, size_t num_axes,
                                  const int32_t* axes, uint32_t input_id, uint32_t output_id,
                                  uint32_t flags);

/**
 * Layer normalization over the dims of `input` from `axis` (in [-rank, rank)) to the last
 * (as pnn_create_layer_norm_nd_f32 + pnn_reshape_layer_norm_nd_f32). `gamma` is static with as
 * many elements as those dims hold (any dims, e.g. the normalized dims themselves); `beta`
 * static alike, or PNN_INVALID_VALUE_ID for zeros. epsilon finite and >= 0. In place where the
 * input dies here.
 */
enum pnn_status pnn_define_layer_norm(pnn_graph_t graph, int32_t axis, float epsilon,
                                      uint32_t gamma_id, uint32_t beta_id, uint32_t input_id,
                                      uint32_t output_id);

/** RMS normalization: as pnn_define_layer_norm without beta (pnn_create_rms_norm_nd_f32). */
enum pnn_status pnn_define_rms_norm(pnn_graph_t graph, int32_t axis, float epsilon,
                                    uint32_t gamma_id, uint32_t input_id, uint32_t output_id);

/**
 * Batch normalization, inference form, over the last dim (channels last: NHWC, or [N][C]) of a
 * value of >= 1 dims (as pnn_create_batch_norm_nc_f32). `mean`, `var`, `gamma` and `beta` are
 * static values of C elements each (C = the input's last dim; any dims holding C elements).
 * pnn_create_runtime folds it into a producing convolution, deconvolution or fully connected
 * node when it reads that node's output alone, that node has no clamp in its parameters
 * (output_min / output_max infinite) and the parameters fit (see the top of this header);
 * otherwise it runs as its operator, in place where the input dies here.
 * Folded numerics: with u = 2^-24, gamma_n = n u / (1 - n u), K the products summed into an
 * output element, S = sum |w_i x_i| + |bias| over them, s = gamma / sqrt(var + eps) and
 * t = beta - mean * s, the folded result differs from the unfolded pair's by at most
 * (2 gamma_{K+1} + 5u) (|s| S + |t|): each is within about gamma_{K+1} |s| S plus a few
 * roundings of |s| S + |t| of the exact value (tests/graph-ops-test.cc derives it).
 */
enum pnn_status pnn_define_batch_norm(pnn_graph_t graph, float epsilon, uint32_t mean_id,
                                      uint32_t var_id, uint32_t gamma_id, uint32_t beta_id,
                                      uint32_t input_id, uint32_t output_id);

/**
 * PRelu over the last dim (channels last) of a value of >= 1 dims (as pnn_create_prelu_nc_f32).
 * `slope` is static: C elements (C = the input's last dim) whose dims are [C] or [1, ..., 1, C],
 * or a single element (any dims of ones), which the runtime expands to C.
 */
enum pnn_status pnn_define_prelu(pnn_graph_t graph, uint32_t slope_id, uint32_t input_id,
                                 uint32_t output_id);

/**
 * Creates a runtime from a graph (see the top of this header for what it does).
 * @param flags  0 or PNN_RUNTIME_FLAG_PROFILE / PNN_RUNTIME_FLAG_NO_FUSION.
 * @return invalid_parameter for an invalid graph (reason names the node or value);
 *         uninitialized before pnn_initialize(); out_of_memory; the statuses of the operators'
 *         create and reshape calls (with the node named).
 */
enum pnn_status pnn_create_runtime(pnn_graph_t graph, uint32_t flags, pnn_runtime_t* runtime_out);
/** Frees a runtime (NULL is accepted). */
enum pnn_status pnn_delete_runtime(pnn_runtime_t runtime);

/**
 * Sets a new shape for external input `value_id` (it takes effect at pnn_reshape_runtime).
 * @return invalid_parameter for a value that is not an external input, or bad dims.
 */
enum pnn_status pnn_reshape_external_value(pnn_runtime_t runtime, uint32_t value_id,
                                           size_t num_dims, const size_t* dims);
/**
 * Re-infers every shape from the external inputs' shapes, reshapes the operators and re-plans
 * the arena. Setup must follow.
 */
enum pnn_status pnn_reshape_runtime(pnn_runtime_t runtime, pnn_threadpool_t threadpool);

/**
 * The current shape of a value (after create or the last successful reshape). `dims` has room
 * for PNN_MAX_DIMS sizes.
 */
enum pnn_status pnn_get_value_shape(pnn_runtime_t runtime, uint32_t value_id, size_t* num_dims,
                                    size_t* dims);

/** One external buffer for pnn_setup_runtime. */
struct pnn_external_value {
  uint32_t id;
  void* data;
};

/**
 * Binds every external input and output (each exactly once; input buffers are only read).
 * Output buffers must not overlap each other or any input.
 * @return invalid_parameter for a missing, repeated or unknown id, a NULL pointer, overlapping
 *         buffers; invalid_state after a failed reshape.
 */
enum pnn_status pnn_setup_runtime(pnn_runtime_t runtime, size_t num_external_values,
                                  const struct pnn_external_value* external_values);

/** Runs every node once, in order. invalid_state before setup. */
enum pnn_status pnn_invoke_runtime(pnn_runtime_t runtime, pnn_threadpool_t threadpool);

/** What one node of a runtime is and did. Strings are owned by the runtime. */
struct pnn_node_info {
  const char* name;          /**< the node's name */
  const char* operator_name; /**< "convolution2d", "unary", ... */
  const char* kernel_name;   /**< the microkernel its operator runs ("none" for views) */
  uint64_t time_ns;          /**< time of the last invoke (0 without PNN_RUNTIME_FLAG_PROFILE) */
  int32_t fused_into;        /**< -1, or the index of the node it was fused into */
};

/** Number of nodes (graph definition order, fused ones included). */
enum pnn_status pnn_get_runtime_node_count(pnn_runtime_t runtime, uint32_t* count_out);
/** Information about node `node_index`. */
enum pnn_status pnn_get_runtime_node_info(pnn_runtime_t runtime, uint32_t node_index,
                                          struct pnn_node_info* info_out);
/**
 * Memory held by the runtime: the arena of internal values and the packed weights of its
 * operators (both in bytes). Either pointer may be NULL.
 */
enum pnn_status pnn_get_runtime_memory(pnn_runtime_t runtime, size_t* arena_bytes,
                                       size_t* packed_weight_bytes);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* PORTNN_GRAPH_H_ */
