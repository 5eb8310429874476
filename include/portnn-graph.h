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
 *          binary node as its output_min / output_max; a reshape is a view (no copy) unless it
 *          copies between two external buffers;
 *        - creates the operators (packing the weights once) and infers every shape from the
 *          external inputs' shapes;
 *        - plans memory: every internal value gets an offset in one arena by liveness (values
 *          whose lifetimes do not overlap share bytes), and unary, softmax and same-shape
 *          binary nodes write in place over an input that dies at that node.
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
 * results equal those of the same operators called by hand, bit for bit, fusion included (a
 * fused clamp is the operator's own fused clamp).
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
 * Node definitions. Each checks the value ids (defined; the output not static and not an
 * external input; weights and biases static) and its pointers, returning invalid_parameter
 * otherwise. The operator's parameter rules (portnn.h) and every shape are checked by
 * pnn_create_runtime, whose reason names the node.
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

/** Softmax over the last dim of a value of >= 1 dims. */
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
