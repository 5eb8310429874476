/*
 * portnn ONNX importer — load an .onnx model into a portnn graph.
 *
 * Copyright 2026 The portnn Authors. Licensed under the Apache License 2.0.
 *
 * The third public header, beside portnn.h and portnn-graph.h (its conventions hold: every call
 * returns an `enum pnn_status`, pnn_last_error_message() says why a call failed, nothing is
 * written to out-parameters on error, the library never aborts, exits or prints). Natively it
 * is its own library, portnn_onnx (it links Debian's protobuf lite runtime; programs that do not
 * import models do not link it); in WebAssembly it is its own module (see wasm/README.md).
 *
 * What loading does:
 *   - decodes the ModelProto (the bytes are untrusted: every length, count and dimension is
 *     bounded before anything is allocated from it, and a reason names what was wrong);
 *   - takes the shape of every graph input from the caller (pnn_onnx_input_shape) or, where the
 *     caller gives none, from the model, which must then declare every dim as a number;
 *   - evaluates at load every node whose inputs are all constants or shapes (the
 *     Shape/Gather/Unsqueeze/Concat/Reshape/... chains exporters emit);
 *   - converts the NCHW model to portnn's NHWC: weights are transposed once at load, activations
 *     keep NHWC throughout, and a transpose is added only where a graph input or output is 4-D
 *     (inputs and outputs keep the model's own layout, NCHW);
 *   - fuses patterns: batch normalization into the preceding convolution, Clip / Relu into the
 *     producer's clamp, x*sigmoid(x), x*hardsigmoid(x), the erf form of GELU; Flatten, Reshape,
 *     Squeeze, Unsqueeze, Identity and Dropout become views;
 *   - defines the result with portnn-graph.h calls: the model object owns that graph, from which
 *     the caller creates runtimes.
 * Anything the importer cannot express fails the load with a reason naming the node, its op type
 * and the attribute or input that is not supported.
 *
 * Data types: graph inputs and outputs are float32; int64 / int32 / bool tensors are accepted
 * where they are constants or shapes the importer evaluates at load.
 */
#ifndef PORTNN_ONNX_H_
#define PORTNN_ONNX_H_

#include "portnn-graph.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pnn_onnx_model* pnn_onnx_model_t;

/** The shape the caller gives one graph input (by its ONNX name), in the model's layout. */
struct pnn_onnx_input_shape {
  const char* name;
  size_t num_dims;
  const size_t* dims;
};

/** Largest model the importer accepts, in bytes (protobuf's own limit). */
#define PNN_ONNX_MAX_MODEL_BYTES ((size_t) 2147483647)

/**
 * Loads an ONNX model from `size` bytes at `data` (the bytes are not retained).
 * @param num_input_shapes  entries in `input_shapes` (may be 0); each names a graph input.
 * @param flags             0.
 * @return invalid_parameter for NULL pointers, size 0 or > PNN_ONNX_MAX_MODEL_BYTES, flags != 0,
 *         an input shape naming no graph input or given twice, and for every model the importer
 *         rejects (malformed bytes, unsupported operators / attributes / data types, shapes that
 *         do not fit); unsupported_hardware is never returned; out_of_memory;
 *         uninitialized before pnn_initialize().
 */
enum pnn_status pnn_load_onnx(const void* data, size_t size, size_t num_input_shapes,
                              const struct pnn_onnx_input_shape* input_shapes, uint32_t flags,
                              pnn_onnx_model_t* model_out);

/** Frees a model and its graph (NULL is accepted). Runtimes created from it stay valid. */
enum pnn_status pnn_delete_onnx_model(pnn_onnx_model_t model);

/** The graph the model was loaded into; owned by the model. Create runtimes from it. */
enum pnn_status pnn_onnx_model_graph(pnn_onnx_model_t model, pnn_graph_t* graph_out);

/** One graph input or output of a loaded model. Strings are owned by the model. */
struct pnn_onnx_tensor_info {
  const char* name;   /**< the ONNX name */
  uint32_t value_id;  /**< the external value of the graph (bind it at pnn_setup_runtime) */
  size_t num_dims;    /**< shape, in the model's layout (the layout of the bound buffer) */
  size_t dims[PNN_MAX_DIMS];
};

/** Number of graph inputs / outputs (inputs fed by initializers are not counted). */
enum pnn_status pnn_onnx_model_input_count(pnn_onnx_model_t model, size_t* count_out);
enum pnn_status pnn_onnx_model_output_count(pnn_onnx_model_t model, size_t* count_out);
/** Input or output `index` (model order). invalid_parameter when out of range. */
enum pnn_status pnn_onnx_model_input_info(pnn_onnx_model_t model, size_t index,
                                          struct pnn_onnx_tensor_info* info_out);
enum pnn_status pnn_onnx_model_output_info(pnn_onnx_model_t model, size_t index,
                                           struct pnn_onnx_tensor_info* info_out);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* PORTNN_ONNX_H_ */
