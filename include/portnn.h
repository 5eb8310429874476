/*
 * portnn — a portable float32 neural-network operator library.
 *
 * Copyright 2026 The portnn Authors. Licensed under the Apache License 2.0.
 *
 * This is the only header users include. It is C99-compatible.
 *
 * Conventions (they hold for every declaration below unless it says otherwise):
 *  - Every function that can fail returns an `enum pnn_status`; pnn_last_error_message() then
 *    says why, in words (the library itself never prints).
 *  - Activations are float32 in NHWC (or NC) layout, densely packed, row-major, except where a
 *    `_strided` reshape gives row strides (see "Row strides" below).
 *  - Convolution weights are `[output channels][kernel h][kernel w][input channels per group]`.
 *  - Operators follow one lifecycle:
 *        pnn_create_<op>  -> validates parameters and packs weights (the caller's weight
 *                            buffers are copied and never retained);
 *        pnn_reshape_<op> -> takes the dynamic shape (batch, height, width...) and reports
 *                            the output shape; may be called again with another shape;
 *        pnn_setup_<op>   -> binds the input and output pointers;
 *        pnn_run_operator -> computes; may be called any number of times;
 *        pnn_delete_operator.
 *    Calling setup before reshape, or run before setup, returns pnn_status_invalid_state. A
 *    successful reshape invalidates the previous setup; a failed reshape leaves the operator
 *    exactly as it was (its previous shape and setup stand).
 *  - On any error status nothing is written to the caller's output buffers or out-parameters,
 *    except that a create function sets `*op_out` to NULL when `op_out` is not NULL.
 *  - The library never aborts, exits or prints.
 *  - Thread safety: pnn_initialize() is thread-safe. Distinct operators may be used from
 *    distinct threads concurrently. One operator must not be used from two threads at once.
 *    A packed operator may be run concurrently only through distinct operator objects.
 *  - NaN and infinity: every operator evaluates its formula in IEEE-754 float arithmetic, so
 *    NaN inputs propagate to every output they take part in, and infinities follow IEEE rules
 *    (inf - inf, 0 * inf and inf / inf are NaN; x / 0 is +-inf; 0 / 0 is NaN). Sums (convolution,
 *    fully connected, batch matmul, average pooling) may be evaluated in any order, which can
 *    change the rounding of finite results but never whether a result is NaN, +inf or -inf,
 *    except where a finite sum overflows. Exceptions, where the result is unspecified but always
 *    one of the listed values:
 *      - minimum, maximum, max pooling: with a NaN operand, NaN or one of the operands;
 *      - a fused clamp (output_min / output_max) with a finite bound, and the clamp unary op:
 *        for a NaN value, NaN or one of the bounds. With output_min = -INFINITY and
 *        output_max = +INFINITY the fused clamp is the identity, NaN included;
 *      - the sign of a zero returned by minimum, maximum or a clamp comparing +0 with -0.
 *    Infinite values are clamped like any other: +inf gives output_max, -inf output_min.
 *    Per-op notes: hardswish, gelu and silu give -0 at -inf (their limit); sigmoid gives 1 / 0
 *    and tanh +-1 at +-inf; exp(-inf) = +0; leaky relu gives -inf * slope at -inf (NaN for a
 *    slope of 0); elu gives -alpha at -inf; sqrt of x < 0 is NaN; softmax turns a row holding a
 *    NaN or +inf, or made only of -inf, into NaN (the formula read literally), while -inf entries
 *    next to finite ones give exactly 0; max pooling never lets padding win; average pooling
 *    of +inf and -inf in one window is NaN.
 *  - Lifecycle errors the library detects: calls on NULL (invalid_parameter, for
 *    pnn_run_operator and every reshape and setup; a failed create leaves NULL in *op_out),
 *    calls on an operator of another type (invalid_parameter), and calls out of order on a live
 *    operator (invalid_state).
 *  - What it cannot detect (undefined behaviour, not reported): any use of an operator after
 *    pnn_delete_operator (including a second delete), of a thread pool after
 *    pnn_threadpool_destroy, or of a pointer that is not a live portnn object; one operator used
 *    from two threads at once; buffers bound at setup that are freed, resized or (for inputs)
 *    written by another thread before a run that reads them. The caller keeps the buffers bound
 *    at setup alive until the next successful setup, reshape or delete.
 *  - Buffers must not overlap except as each setup allows: convolution, fully connected, batch
 *    matmul, pooling, global average pooling and binary (except output == an operand of the
 *    output's shape) and reduce reject overlapping buffers with invalid_parameter; unary,
 *    softmax, layer / RMS / batch norm and prelu allow output == input exactly and reject
 *    partial overlap.
 *  - Row strides (fully connected, unary, softmax, global average pooling, batch norm, prelu):
 *    their `pnn_reshape_<op>_strided` variants take `input_stride` and `output_stride`, the distance
 *    in floats (not bytes) from one row to the next (for global average pooling's input, from
 *    one pixel to the next), so an operator can read or write rows of a larger tensor (a view
 *    of a concatenation or a slice) without a copy. The plain reshape is the strided one with
 *    each stride equal to its row length. Rules:
 *      - each stride must be >= its row length (input_channels / output_channels / channels);
 *        the elements between the end of one row and the start of the next are neither read
 *        nor written;
 *      - a buffer spans (rows - 1) * stride + row length floats, and that many bytes must fit
 *        a size_t (invalid_parameter otherwise);
 *      - overlap is judged on those spans: buffers whose spans share memory count as
 *        overlapping even when their rows interleave without touching;
 *      - in place (unary, softmax, batch norm, prelu) means input == output with
 *        input_stride == output_stride; equal pointers with different strides are a partial
 *        overlap (invalid_parameter);
 *      - a single row never takes its stride: any stride >= the row length is accepted, and
 *        input == output is in place whatever the strides.
 *    Strides are part of the shape: they hold until the next successful reshape.
 */
#ifndef PORTNN_H_
#define PORTNN_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Version of this header and library. */
#define PNN_VERSION_MAJOR 0
#define PNN_VERSION_MINOR 1
#define PNN_VERSION_PATCH 0

/** Largest thread count pnn_threadpool_create() accepts. */
#define PNN_MAX_THREADS 1024

/** Largest number of dimensions of a broadcasting binary operand or batch-matmul batch shape. */
#define PNN_MAX_DIMS 6

/** Status codes returned by every fallible portnn function. */
enum pnn_status {
  /** The call succeeded. */
  pnn_status_success = 0,
  /** A parameter was invalid: NULL pointer, zero or overflowing size, min > max, ... */
  pnn_status_invalid_parameter = 1,
  /** The parameters are valid in general but this build does not support them. */
  pnn_status_unsupported_parameter = 2,
  /** The call came out of lifecycle order (e.g. setup before reshape, run before setup). */
  pnn_status_invalid_state = 3,
  /** A memory allocation failed. */
  pnn_status_out_of_memory = 4,
  /** pnn_initialize() has not been called (or pnn_deinitialize() was). */
  pnn_status_uninitialized = 5,
  /** The CPU lacks the instructions this build requires. */
  pnn_status_unsupported_hardware = 6,
};

/**
 * A human-readable, static, NUL-terminated name for `status` ("success", "invalid parameter"...).
 * Unknown values give "unknown status". Never returns NULL.
 */
const char* pnn_status_string(enum pnn_status status);

/**
 * Why the last portnn call on the calling thread failed, as "<function>: <reason>", naming the
 * argument and the rule it broke, e.g. "pnn_create_fully_connected_nc_f32: input_channels is 0;
 * it must be >= 1". Every function that returns an `enum pnn_status` clears the message when it
 * starts and sets it when it fails, so after a successful call it is "" (empty). The string is
 * thread-local and owned by the library: it stays valid, unchanged, until the calling thread's
 * next portnn call. Never returns NULL. Messages are for people; their wording may change
 * between versions, so programs should branch on the status, not on the text.
 */
const char* pnn_last_error_message(void);

/**
 * Initializes the library: detects the CPU and selects the microkernels. Idempotent and
 * thread-safe; must be called before any operator is created.
 * @return pnn_status_success; pnn_status_unsupported_hardware when the CPU cannot run any kernel
 *         level compiled into this build, or when the PORTNN_ISA environment variable forces a
 *         level that this build or CPU lacks; pnn_status_invalid_parameter when PORTNN_ISA names
 *         no known level. The environment is read once per process.
 */
enum pnn_status pnn_initialize(void);

/**
 * Marks the library as uninitialized: later create calls return pnn_status_uninitialized until
 * pnn_initialize() is called again. Existing operators stay valid. Always succeeds.
 */
enum pnn_status pnn_deinitialize(void);

/**
 * The kernel level that runs: "scalar", "sse2", "avx2", "avx512", "neon", "wasmsimd" or
 * "wasmrelaxed" (the relaxed-SIMD WebAssembly builds; their other families run wasmsimd kernels).
 * The environment variable PORTNN_ISA (read once, at the first pnn_initialize()) can force a
 * lower compiled level, e.g. PORTNN_ISA=scalar; "auto" or unset picks the best.
 * Returns "uninitialized" before a successful pnn_initialize().
 */
const char* pnn_isa_name(void);

/** The library version, "MAJOR.MINOR.PATCH". */
const char* pnn_version_string(void);

/* ----------------------------------------------------------------------------------------- */
/* Thread pools                                                                                */
/* ----------------------------------------------------------------------------------------- */

/** Opaque thread pool. A NULL pool is valid everywhere and runs work on the caller's thread. */
typedef struct pnn_threadpool* pnn_threadpool_t;

/**
 * Creates a pool of `threads` threads (the caller's thread counts as one of them); 0 means one
 * per logical processor.
 * @return pnn_status_invalid_parameter if pool_out is NULL or threads > PNN_MAX_THREADS;
 *         pnn_status_out_of_memory if the threads could not be created.
 */
enum pnn_status pnn_threadpool_create(size_t threads, pnn_threadpool_t* pool_out);

/** Number of threads of `pool` (1 for a NULL pool) into `*threads_out`. */
enum pnn_status pnn_threadpool_threads_count(pnn_threadpool_t pool, size_t* threads_out);

/** Destroys a pool; NULL is accepted and ignored. Must not be called while the pool runs work. */
enum pnn_status pnn_threadpool_destroy(pnn_threadpool_t pool);

/* ----------------------------------------------------------------------------------------- */
/* Operators: common                                                                           */
/* ----------------------------------------------------------------------------------------- */

/** Opaque operator. */
typedef struct pnn_operator* pnn_operator_t;

/**
 * Runs a set-up operator on `threadpool` (NULL: the caller's thread). The results do not depend
 * on the number of threads. Allocates nothing.
 * @return pnn_status_invalid_parameter for a NULL op; pnn_status_invalid_state if op was not
 *         set up since its last reshape.
 */
enum pnn_status pnn_run_operator(pnn_operator_t op, pnn_threadpool_t threadpool);

/** Frees an operator and its packed weights. NULL is accepted and ignored. */
enum pnn_status pnn_delete_operator(pnn_operator_t op);

/**
 * Name of the main microkernel the operator runs (e.g. "pnn_f32_gemm_minmax_ukernel_4x4__scalar"),
 * for reports and benchmarks. Some operators know it at create, others only after reshape (it may
 * depend on the shape); "none" until it is known and for a NULL op. Never returns NULL.
 */
const char* pnn_operator_kernel_name(pnn_operator_t op);

/** Flags (bitwise-or them into the `flags` argument of the functions that take one). */

/**
 * Convolution / pooling: TensorFlow "SAME" padding (ONNX auto_pad SAME_UPPER: the odd padding
 * pixel goes after); the explicit paddings must then be 0.
 */
#define PNN_FLAG_TENSORFLOW_SAME_PADDING 0x00000001u
/** Fully connected: weights are `[input channels][output channels]` instead of `[out][in]`. */
#define PNN_FLAG_TRANSPOSE_WEIGHTS 0x00000002u
/** Batch matmul: A is given as `[..., K, M]` (transposed). */
#define PNN_FLAG_TRANSPOSE_A 0x00000004u
/** Batch matmul: B is given as `[..., N, K]` (transposed). */
#define PNN_FLAG_TRANSPOSE_B 0x00000008u
/** Average pooling: padded positions count in the divisor (default: they do not). */
#define PNN_FLAG_COUNT_INCLUDE_PAD 0x00000010u
/** GELU: use the tanh approximation instead of the exact erf form. */
#define PNN_FLAG_GELU_TANH_APPROXIMATION 0x00000020u
/**
 * Convolution / pooling: ONNX auto_pad SAME_LOWER: SAME output size and total padding, the odd
 * pixel goes before; the explicit paddings must then be 0. Exclusive with
 * PNN_FLAG_TENSORFLOW_SAME_PADDING.
 */
#define PNN_FLAG_SAME_LOWER_PADDING 0x00000040u
/** Pooling: ONNX ceil_mode (round the output size up; see struct pnn_pooling2d_params). */
#define PNN_FLAG_CEIL_MODE 0x00000080u

/* ----------------------------------------------------------------------------------------- */
/* 2-D convolution, NHWC                                                                       */
/* ----------------------------------------------------------------------------------------- */

/**
 * Parameters of a 2-D convolution. Depthwise convolution is `groups` = channels with
 * group_input_channels = 1 (and group_output_channels = channel multiplier).
 *
 * Output size per spatial axis, with extent = dilation * (kernel - 1) + 1 (the library computes
 * it in one place, src/window.h; the WebAssembly build exports it as pnnw_window_output_size):
 *   explicit padding:  out = floor((in + pad_before + pad_after - extent) / stride) + 1,
 *                      which must be >= 1 (the padded input must hold one window);
 *   PNN_FLAG_TENSORFLOW_SAME_PADDING (TensorFlow SAME, ONNX SAME_UPPER) or
 *   PNN_FLAG_SAME_LOWER_PADDING (ONNX SAME_LOWER): out = ceil(in / stride), total padding
 *                      max((out - 1) * stride + extent - in, 0), split at reshape with the odd
 *                      pixel after (SAME) or before (SAME_LOWER); the explicit paddings must be 0.
 * Windows may lie entirely in padding (they read zeros).
 */
struct pnn_convolution2d_params {
  uint32_t padding_top, padding_right, padding_bottom, padding_left;
  uint32_t kernel_height, kernel_width;     /**< >= 1 */
  uint32_t stride_height, stride_width;     /**< >= 1 */
  uint32_t dilation_height, dilation_width; /**< >= 1 */
  uint32_t groups;                          /**< >= 1 */
  size_t group_input_channels;              /**< >= 1 */
  size_t group_output_channels;             /**< >= 1 */
  float output_min;                         /**< fused clamp; -INFINITY for none */
  float output_max;                         /**< fused clamp; +INFINITY for none; >= output_min */
  uint32_t flags; /**< 0, PNN_FLAG_TENSORFLOW_SAME_PADDING or PNN_FLAG_SAME_LOWER_PADDING */
};

/**
 * Creates a 2-D convolution:
 *   for n, oy, ox, g, oc:
 *     out[n][oy][ox][g*GOC+oc] = clamp(bias[g*GOC+oc] + sum_{ky,kx,ic}
 *         in[n][oy*sh+ky*dh-pad_top][ox*sw+kx*dw-pad_left][g*GIC+ic] * kernel[g*GOC+oc][ky][kx][ic])
 * with out-of-range input positions reading 0. A 3x3, stride-1, undilated, one-group
 * convolution of at least 32 input and 32 output channels runs Winograd F(2x2, 3x3): 2.25x
 * fewer multiply-adds, rounding errors within a small factor of the direct sum's (the bound is
 * derived in tests/reference/conv-reference.h), 16/9 of the packed weights of the direct path,
 * and a workspace allocated at reshape of at most 4 MB per planned thread (up to 8192 input
 * plus output channels; MR tiles of 64 bytes per channel beyond).
 * @param params  the parameters above; must not be NULL.
 * @param kernel  weights `[groups*GOC][kh][kw][GIC]`; copied and packed, not retained.
 * @param bias    `[groups*GOC]`, or NULL for no bias; copied.
 * @return pnn_status_invalid_parameter for NULL pointers, zero sizes, sizes whose products
 *         overflow (the packed weights' bytes included: weights that fit size_t but whose
 *         packed, tile-padded layout does not are invalid_parameter, not out_of_memory), min >
 *         max or NaN bounds, unknown flags, both SAME flags, SAME padding combined with
 *         explicit padding; pnn_status_uninitialized before pnn_initialize();
 *         pnn_status_out_of_memory when the allocation of a size that fits fails.
 *         pnn_last_error_message() names the argument and the rule.
 */
enum pnn_status pnn_create_convolution2d_nhwc_f32(const struct pnn_convolution2d_params* params,
                                                  const float* kernel, const float* bias,
                                                  pnn_operator_t* op_out);

/**
 * Sets the input shape `[batch][input_height][input_width][groups*GIC]`; writes the output
 * height and width (the output is `[batch][oh][ow][groups*GOC]`). Output pointers may be NULL.
 * @return pnn_status_invalid_parameter if a dim is 0, a size overflows, the operator is not a
 *         convolution, or the output would be empty; pnn_status_out_of_memory. Does work
 *         bounded by the sizes it has validated and allocated (the indirection buffer), whatever
 *         the arguments.
 */
enum pnn_status pnn_reshape_convolution2d_nhwc_f32(pnn_operator_t op, size_t batch,
                                                   size_t input_height, size_t input_width,
                                                   size_t* output_height, size_t* output_width,
                                                   pnn_threadpool_t threadpool);

/** Binds the input and output buffers (they must not overlap). */
enum pnn_status pnn_setup_convolution2d_nhwc_f32(pnn_operator_t op, const float* input,
                                                 float* output);

/* ----------------------------------------------------------------------------------------- */
/* 2-D deconvolution (transposed convolution), NHWC                                            */
/* ----------------------------------------------------------------------------------------- */

/**
 * Parameters of a 2-D deconvolution (ONNX ConvTranspose, TensorFlow conv2d_transpose): each
 * input pixel scatters kernel-sized patches into the output. Output size per spatial axis, with
 * extent = dilation * (kernel - 1) + 1:
 *   out = stride * (in - 1) + adjustment + extent - pad_before - pad_after, which must be >= 1.
 * The paddings crop the full output (ONNX pads); the adjustment (ONNX output_padding) adds
 * outputs at the end (bottom, right) and must be smaller than the stride or the dilation.
 */
struct pnn_deconvolution2d_params {
  uint32_t padding_top, padding_right, padding_bottom, padding_left; /**< crop the full output */
  uint32_t adjustment_height, adjustment_width; /**< < stride or < dilation of the axis */
  uint32_t kernel_height, kernel_width, stride_height, stride_width; /**< each >= 1 */
  uint32_t dilation_height, dilation_width, groups;                  /**< each >= 1 */
  size_t group_input_channels, group_output_channels;                /**< each >= 1 */
  float output_min, output_max; /**< fused clamp, -INFINITY / +INFINITY for none; min <= max */
  uint32_t flags;               /**< 0 (no flags yet) */
};

/**
 * Creates a 2-D deconvolution:
 *   for n, oy, ox, g, oc:
 *     out[n][oy][ox][g*GOC+oc] = clamp(bias[g*GOC+oc] + sum over iy, ix, ky, kx, ic with
 *         iy*sh + ky*dh - pad_top == oy and ix*sw + kx*dw - pad_left == ox of
 *         in[n][iy][ix][g*GIC+ic] * kernel[g*GOC+oc][ky][kx][ic])
 * Output pixels no tap reaches (the adjustment, or strides larger than the kernel) hold
 * clamp(bias). The weight layout is convolution's, `[groups*GOC][kh][kw][GIC]` (ONNX
 * ConvTranspose's `[groups*GIC][GOC][kh][kw]` transposed per group); NaN and infinity as for
 * convolution. Runs one GEMM per kernel tap when stride == kernel, dilation 1 and no padding or
 * adjustment (upsampling), an indirect GEMM otherwise.
 * @param params  the parameters above; must not be NULL.
 * @param kernel  weights `[groups*GOC][kh][kw][GIC]`; copied and packed, not retained.
 * @param bias    `[groups*GOC]`, or NULL for no bias; copied.
 * @return pnn_status_invalid_parameter for NULL params, kernel or op_out, zero sizes, sizes
 *         whose products overflow, an adjustment not smaller than its stride or dilation, min >
 *         max or NaN bounds, any flag; pnn_status_uninitialized before pnn_initialize();
 *         pnn_status_out_of_memory. pnn_last_error_message() names the argument and the rule.
 */
enum pnn_status pnn_create_deconvolution2d_nhwc_f32(
    const struct pnn_deconvolution2d_params* params, const float* kernel, const float* bias,
    pnn_operator_t* op_out);

/**
 * As pnn_reshape_convolution2d_nhwc_f32 (same arguments, shapes and statuses), with the output
 * size of struct pnn_deconvolution2d_params; the output is empty, and rejected, when the
 * paddings crop all of it. The upsampling path allocates nothing here.
 */
enum pnn_status pnn_reshape_deconvolution2d_nhwc_f32(pnn_operator_t op, size_t batch,
                                                     size_t input_height, size_t input_width,
                                                     size_t* output_height, size_t* output_width,
                                                     pnn_threadpool_t threadpool);
/** Binds the input and output buffers (invalid_parameter if they overlap). */
enum pnn_status pnn_setup_deconvolution2d_nhwc_f32(pnn_operator_t op, const float* input,
                                                   float* output);

/* ----------------------------------------------------------------------------------------- */
/* Fully connected, NC                                                                         */
/* ----------------------------------------------------------------------------------------- */

/**
 * Creates a fully connected layer: out[b][o] = clamp(bias[o] + sum_i in[b][i] * W[o][i]).
 * @param kernel  `[output_channels][input_channels]`, or `[input_channels][output_channels]` with
 *                PNN_FLAG_TRANSPOSE_WEIGHTS; copied and packed.
 * @param bias    `[output_channels]` or NULL.
 * @return pnn_status_invalid_parameter for zero channels, overflow (the packed weights' bytes
 *         included, as for convolution), NULL kernel/op_out, min > max or NaN bounds, unknown
 *         flags; pnn_status_out_of_memory when the allocation of a size that fits fails.
 */
enum pnn_status pnn_create_fully_connected_nc_f32(size_t input_channels, size_t output_channels,
                                                  const float* kernel, const float* bias,
                                                  float output_min, float output_max,
                                                  uint32_t flags, pnn_operator_t* op_out);

/** Sets the number of rows: input `[batch_size][input_channels]`, output `[batch_size][output_channels]`. */
enum pnn_status pnn_reshape_fully_connected_nc_f32(pnn_operator_t op, size_t batch_size,
                                                   pnn_threadpool_t threadpool);

/**
 * Like pnn_reshape_fully_connected_nc_f32, with row strides (see "Row strides" at the top): row b
 * of the input starts at input + b * input_stride, row b of the output at
 * output + b * output_stride.
 * @return pnn_status_invalid_parameter for batch_size 0, input_stride < input_channels,
 *         output_stride < output_channels, or a span whose bytes overflow size_t.
 */
enum pnn_status pnn_reshape_fully_connected_nc_f32_strided(pnn_operator_t op, size_t batch_size,
                                                           size_t input_stride,
                                                           size_t output_stride,
                                                           pnn_threadpool_t threadpool);

/** Binds the input and output buffers; invalid_parameter if their spans overlap. */
enum pnn_status pnn_setup_fully_connected_nc_f32(pnn_operator_t op, const float* input,
                                                 float* output);

/* ----------------------------------------------------------------------------------------- */
/* Batched matrix multiplication                                                               */
/* ----------------------------------------------------------------------------------------- */

/**
 * Creates a batched matmul of two activations (attention-style: both operands at setup):
 *   out[batch...][m][n] = sum_k A[batch_a...][m][k] * B[batch_b...][k][n]
 * A is `[..., K, M]` with PNN_FLAG_TRANSPOSE_A; B is `[..., N, K]` with PNN_FLAG_TRANSPOSE_B.
 * @param flags  0 or a combination of PNN_FLAG_TRANSPOSE_A / PNN_FLAG_TRANSPOSE_B.
 */
enum pnn_status pnn_create_batch_matmul_f32(uint32_t flags, pnn_operator_t* op_out);

/**
 * Sets the shapes. The batch shapes of A and B (each of `num_batch_dims` <= PNN_MAX_DIMS dims,
 * 0 allowed) broadcast NumPy-style (each pair of dims equal, or one of them 1); the output batch
 * shape is their broadcast. Every dim, m, k and n must be >= 1.
 * @param output_batch_dims  if not NULL, receives the `num_batch_dims` output batch dims.
 */
enum pnn_status pnn_reshape_batch_matmul_f32(pnn_operator_t op, size_t num_batch_dims,
                                             const size_t* batch_dims_a, const size_t* batch_dims_b,
                                             size_t m, size_t k, size_t n,
                                             size_t* output_batch_dims,
                                             pnn_threadpool_t threadpool);

/** Binds A, B and the output (which must not overlap A or B). */
enum pnn_status pnn_setup_batch_matmul_f32(pnn_operator_t op, const float* a, const float* b,
                                           float* output);

/* ----------------------------------------------------------------------------------------- */
/* Pooling                                                                                      */
/* ----------------------------------------------------------------------------------------- */

/**
 * Parameters of 2-D max and average pooling over NHWC `[N][H][W][channels]`. Output size as for
 * convolution (explicit, PNN_FLAG_TENSORFLOW_SAME_PADDING, PNN_FLAG_SAME_LOWER_PADDING), or with
 * PNN_FLAG_CEIL_MODE (ONNX ceil_mode, explicit padding only):
 *   out = ceil((in + pad_before + pad_after - extent) / stride) + 1, minus 1 when that last
 *   window would start at or past in + pad_before (it must start inside the input or the
 *   leading padding); its taps past the padded input are padding.
 * Padded positions never win a max; for average pooling they are excluded from the divisor
 * unless PNN_FLAG_COUNT_INCLUDE_PAD is set, which counts the taps inside the input and its
 * padding (with ceil mode, as ONNX: not the taps past pad_after). Average pooling requires
 * dilation 1. Every pooling window must overlap the input: padding must be smaller than the
 * kernel extent, and at reshape a shape where some (dilated) window covers only padding is
 * rejected with pnn_status_invalid_parameter (a closed-form check: reshape does work bounded by
 * the sizes it has validated and allocated, whatever the arguments).
 */
struct pnn_pooling2d_params {
  uint32_t padding_top, padding_right, padding_bottom, padding_left;
  uint32_t pooling_height, pooling_width;   /**< >= 1 */
  uint32_t stride_height, stride_width;     /**< >= 1 */
  uint32_t dilation_height, dilation_width; /**< >= 1 */
  size_t channels;                          /**< >= 1 */
  float output_min, output_max;             /**< fused clamp */
  uint32_t flags; /**< PNN_FLAG_TENSORFLOW_SAME_PADDING or PNN_FLAG_SAME_LOWER_PADDING,
                     PNN_FLAG_CEIL_MODE, PNN_FLAG_COUNT_INCLUDE_PAD (average) */
};

/** Creates a max pooling operator (see struct pnn_pooling2d_params). */
enum pnn_status pnn_create_max_pooling2d_nhwc_f32(const struct pnn_pooling2d_params* params,
                                                  pnn_operator_t* op_out);
/** Sets the input shape and reports the output height/width (pointers may be NULL). */
enum pnn_status pnn_reshape_max_pooling2d_nhwc_f32(pnn_operator_t op, size_t batch,
                                                   size_t input_height, size_t input_width,
                                                   size_t* output_height, size_t* output_width,
                                                   pnn_threadpool_t threadpool);
/** Binds input and output; invalid_parameter if they overlap. */
enum pnn_status pnn_setup_max_pooling2d_nhwc_f32(pnn_operator_t op, const float* input,
                                                 float* output);

/**
 * Creates an argmax pooling operator: max pooling (struct pnn_pooling2d_params, the same flags
 * and rules) that also reports where each maximum came from. For output element
 * [n][oy][ox][c] it writes the window's maximum (the fused clamp applies to it, not to the
 * index) and index[n][oy][ox][c] = iy * input_width + ix, the input pixel of that window holding
 * the maximum: an index into the H x W plane of image n and channel c (uint32), which does not
 * depend on the layout. ONNX MaxPool's Indices (storage_order 0, NCHW) are
 * (n * channels + c) * input_height * input_width + index; PyTorch's max_pool2d(return_indices)
 * and MaxUnpool use the plane index itself. Ties and NaN: the taps are compared in the window's
 * row-major order (ky, then kx) as max pooling folds them, acc = acc < x ? x : acc, and the
 * index is the first tap holding the value kept: the first of equal maxima; a NaN is kept (and
 * its index reported) only when it is the window's first valid tap, and no later tap replaces
 * it. Padded positions never win. Values and indices are the same on every kernel level and
 * thread count (max pooling's values are these too, except for NaN on levels whose max
 * propagates NaN).
 */
enum pnn_status pnn_create_argmax_pooling2d_nhwc_f32(const struct pnn_pooling2d_params* params,
                                                     pnn_operator_t* op_out);
/**
 * As pnn_reshape_max_pooling2d_nhwc_f32; also invalid_parameter when input_height *
 * input_width exceeds 2^32 (indices past uint32).
 */
enum pnn_status pnn_reshape_argmax_pooling2d_nhwc_f32(pnn_operator_t op, size_t batch,
                                                      size_t input_height, size_t input_width,
                                                      size_t* output_height,
                                                      size_t* output_width,
                                                      pnn_threadpool_t threadpool);
/**
 * Binds the input, the output values and the output indices (`[N][OH][OW][channels]` uint32,
 * the output's shape); invalid_parameter if any two of the three overlap or one is NULL.
 */
enum pnn_status pnn_setup_argmax_pooling2d_nhwc_f32(pnn_operator_t op, const float* input,
                                                    float* output, uint32_t* index);

/** Creates an average pooling operator (see struct pnn_pooling2d_params). */
enum pnn_status pnn_create_average_pooling2d_nhwc_f32(const struct pnn_pooling2d_params* params,
                                                      pnn_operator_t* op_out);
/** Sets the input shape and reports the output height/width (pointers may be NULL). */
enum pnn_status pnn_reshape_average_pooling2d_nhwc_f32(pnn_operator_t op, size_t batch,
                                                       size_t input_height, size_t input_width,
                                                       size_t* output_height, size_t* output_width,
                                                       pnn_threadpool_t threadpool);
/** Binds input and output; invalid_parameter if they overlap. */
enum pnn_status pnn_setup_average_pooling2d_nhwc_f32(pnn_operator_t op, const float* input,
                                                     float* output);

/**
 * Creates a global average pooling over the W axis of `[N][W][channels]` (for an image, pass
 * W = H*W): out[n][c] = clamp(mean_w in[n][w][c]).
 */
enum pnn_status pnn_create_global_average_pooling_nwc_f32(size_t channels, float output_min,
                                                          float output_max, uint32_t flags,
                                                          pnn_operator_t* op_out);
/** Sets the batch and width (both >= 1). Output is `[batch][channels]`. */
enum pnn_status pnn_reshape_global_average_pooling_nwc_f32(pnn_operator_t op, size_t batch,
                                                           size_t width,
                                                           pnn_threadpool_t threadpool);
/**
 * Like pnn_reshape_global_average_pooling_nwc_f32, with strides (see "Row strides" at the top):
 * pixel w of image n starts at input + (n * width + w) * input_stride (input_stride >= channels),
 * output row n at output + n * output_stride (output_stride >= channels).
 */
enum pnn_status pnn_reshape_global_average_pooling_nwc_f32_strided(pnn_operator_t op,
                                                                   size_t batch, size_t width,
                                                                   size_t input_stride,
                                                                   size_t output_stride,
                                                                   pnn_threadpool_t threadpool);
/** Binds input and output; invalid_parameter if their spans overlap. */
enum pnn_status pnn_setup_global_average_pooling_nwc_f32(pnn_operator_t op, const float* input,
                                                         float* output);

/* ----------------------------------------------------------------------------------------- */
/* 2-D resize, NHWC                                                                             */
/* ----------------------------------------------------------------------------------------- */

/** Resize interpolation (ONNX Resize mode). */
enum pnn_resize_mode {
  pnn_resize_nearest = 0,  /**< the nearest input pixel, rounded by pnn_resize_nearest_mode */
  pnn_resize_bilinear = 1, /**< ONNX "linear" over H and W */
};

/**
 * How an output coordinate x (per axis, scale = out / in) maps to an input coordinate
 * (ONNX coordinate_transformation_mode).
 */
enum pnn_resize_coordinate_mode {
  pnn_resize_half_pixel = 0,         /**< (x + 0.5) / scale - 0.5 */
  pnn_resize_pytorch_half_pixel = 1, /**< out > 1 ? (x + 0.5) / scale - 0.5 : 0 */
  pnn_resize_align_corners = 2,      /**< out > 1 ? x * (in - 1) / (out - 1) : 0 */
  pnn_resize_asymmetric = 3,         /**< x / scale */
};

/** Nearest mode: how an input coordinate rounds to a pixel (ONNX nearest_mode). */
enum pnn_resize_nearest_mode {
  pnn_resize_round_prefer_floor = 0, /**< to nearest, halves down */
  pnn_resize_round_prefer_ceil = 1,  /**< to nearest, halves up */
  pnn_resize_floor = 2,
  pnn_resize_ceil = 3,
};

/**
 * Parameters of a 2-D resize over NHWC `[N][H][W][channels]` to `[N][OH][OW][channels]`, the
 * output size given at reshape. Per axis the output coordinate maps to an input coordinate c by
 * coordinate_mode (in double precision, at reshape); then
 *   nearest:  the pixel round(c) by nearest_mode, clamped to [0, in - 1];
 *   bilinear: c clamped to [0, in - 1], i0 = floor(c), i1 = min(i0 + 1, in - 1), t = c - i0;
 *             out = top + ty * (bottom - top) with top = in[y0][x0] + tx * (in[y0][x1] -
 *             in[y0][x0]) and bottom likewise on row y1 (each step rounded in float, or fused).
 * NaN and infinity: nearest copies the bits; bilinear follows that formula, so an infinite
 * input next to the sampled pixel gives NaN (inf - inf, or 0 * inf) even where its weight is 0.
 */
struct pnn_resize2d_params {
  size_t channels;                             /**< >= 1 */
  enum pnn_resize_mode mode;                   /**< nearest or bilinear */
  enum pnn_resize_coordinate_mode coordinate_mode;
  enum pnn_resize_nearest_mode nearest_mode;   /**< nearest only (ignored for bilinear) */
  uint32_t flags;                              /**< 0 */
};

/**
 * Creates a 2-D resize (see struct pnn_resize2d_params).
 * @return pnn_status_invalid_parameter for NULL params or op_out, channels 0, an unknown mode,
 *         coordinate mode or nearest mode, any flag; pnn_status_uninitialized;
 *         pnn_status_out_of_memory.
 */
enum pnn_status pnn_create_resize2d_nhwc_f32(const struct pnn_resize2d_params* params,
                                             pnn_operator_t* op_out);

/**
 * Sets the input shape `[batch][input_height][input_width][channels]` and the output size
 * `output_height` x `output_width` (each >= 1; up- and down-sampling, the axes independently).
 * Precomputes the per-row and per-column sources and weights: work and memory O(output_height +
 * output_width).
 * @return pnn_status_invalid_parameter if a dim is 0, a size overflows size_t, or the operator is
 *         not a resize; pnn_status_out_of_memory.
 */
enum pnn_status pnn_reshape_resize2d_nhwc_f32(pnn_operator_t op, size_t batch, size_t input_height,
                                              size_t input_width, size_t output_height,
                                              size_t output_width, pnn_threadpool_t threadpool);

/** Binds input and output; invalid_parameter if they overlap. */
enum pnn_status pnn_setup_resize2d_nhwc_f32(pnn_operator_t op, const float* input, float* output);
/* Reductions                                                                                  */
/* ----------------------------------------------------------------------------------------- */

/** Reductions: each output element is the op over the input elements it gathers. */
enum pnn_reduce_op {
  pnn_reduce_sum = 0,  /**< sum */
  pnn_reduce_mean = 1, /**< sum / (number of elements reduced) */
  pnn_reduce_max = 2,  /**< maximum */
  pnn_reduce_min = 3,  /**< minimum */
};

/** Reduce: keep the reduced dims (as size 1) in the output shape (ONNX keepdims = 1). */
#define PNN_FLAG_KEEP_DIMS 0x00010000u

/**
 * Creates a reduction over a set of axes of an N-D tensor (ONNX ReduceSum / ReduceMean /
 * ReduceMax / ReduceMin).
 * @param num_axes  0 to PNN_MAX_DIMS. 0 reduces nothing: the output equals the input (ONNX
 *                  noop_with_empty_axes = 1); to reduce every dim, list them all.
 * @param axes      `num_axes` axes (copied; NULL only when num_axes is 0), each in
 *                  [-PNN_MAX_DIMS, PNN_MAX_DIMS); negative ones count from the end. They are
 *                  checked against the rank at reshape (in range, no dim named twice).
 * @param flags     PNN_FLAG_KEEP_DIMS or 0.
 * @return pnn_status_invalid_parameter for an unknown op, too many axes, NULL axes, an axis out
 *         of [-PNN_MAX_DIMS, PNN_MAX_DIMS) or unknown flags.
 * NaN and infinity: sum and mean follow IEEE (a NaN, or +inf with -inf, gives NaN; finite sums
 * may overflow to +-inf and are taken in an unspecified but fixed order); max and min with a NaN
 * element give NaN or one of the elements (as minimum / maximum).
 */
enum pnn_status pnn_create_reduce_nd_f32(enum pnn_reduce_op op_type, size_t num_axes,
                                         const int32_t* axes, uint32_t flags,
                                         pnn_operator_t* op_out);
/**
 * Sets the input shape: rank 0 to PNN_MAX_DIMS (rank 0: one element, no axes allowed), every
 * dim >= 1 (the library has no empty tensors), element count's bytes within size_t. The output
 * shape is the input's without the reduced dims (with them as 1 under PNN_FLAG_KEEP_DIMS); a
 * reduction of every dim without the flag has rank 0 (one element).
 * @param num_output_dims  if not NULL, receives the output rank.
 * @param output_shape     if not NULL, receives the output shape (room for PNN_MAX_DIMS dims).
 * @return pnn_status_invalid_parameter for a bad shape, an axis out of range for its rank or
 *         two axes naming one dim.
 */
enum pnn_status pnn_reshape_reduce_nd_f32(pnn_operator_t op, size_t num_dims, const size_t* shape,
                                          size_t* num_output_dims, size_t* output_shape,
                                          pnn_threadpool_t threadpool);
/** Binds input and output; invalid_parameter if they overlap. */
enum pnn_status pnn_setup_reduce_nd_f32(pnn_operator_t op, const float* input, float* output);

/* ----------------------------------------------------------------------------------------- */
/* Layer normalization, RMS normalization, batch normalization (inference), PRelu             */
/* ----------------------------------------------------------------------------------------- */

/**
 * Creates a layer normalization (ONNX LayerNormalization, stash_type float) over the trailing
 * axes of an N-D tensor, `norm_size` elements per row (the product of the normalized dims):
 *   mean = sum_i x[i] / n,  var = sum_i (x[i] - mean)^2 / n,
 *   y[i] = (x[i] - mean) / sqrt(var + epsilon) * gamma[i] + beta[i].
 * @param gamma    `norm_size` floats (copied), required.
 * @param beta     `norm_size` floats (copied), or NULL for zeros.
 * @param epsilon  finite and >= 0.
 * @param flags    must be 0.
 * @return pnn_status_invalid_parameter for norm_size 0 (or too large), NULL gamma, a NaN,
 *         infinite or negative epsilon, or unknown flags. gamma and beta may hold any floats.
 * NaN and infinity: a row holding NaN or +-inf gives NaN everywhere in that row (its mean or
 * variance is NaN or inf); a constant row with epsilon = 0 gives 0 * inf = NaN (the formula
 * read literally).
 */
enum pnn_status pnn_create_layer_norm_nd_f32(size_t norm_size, const float* gamma,
                                             const float* beta, float epsilon, uint32_t flags,
                                             pnn_operator_t* op_out);
/**
 * Sets the shape: rank 1 to PNN_MAX_DIMS, every dim >= 1; `axis` (in [-rank, rank)) is the first
 * normalized dim, and shape[axis] * ... * shape[rank - 1] must equal norm_size. The output has
 * the input's shape.
 */
enum pnn_status pnn_reshape_layer_norm_nd_f32(pnn_operator_t op, size_t num_dims,
                                              const size_t* shape, int32_t axis,
                                              pnn_threadpool_t threadpool);
/** Binds input and output; they may be the same buffer (in place), but not partially overlap. */
enum pnn_status pnn_setup_layer_norm_nd_f32(pnn_operator_t op, const float* input, float* output);

/**
 * Creates an RMS normalization over the trailing axes (`norm_size` elements per row):
 *   y[i] = x[i] / sqrt(sum_i x[i]^2 / n + epsilon) * gamma[i].
 * Arguments, errors and NaN/inf rules as for pnn_create_layer_norm_nd_f32 (no beta).
 */
enum pnn_status pnn_create_rms_norm_nd_f32(size_t norm_size, const float* gamma, float epsilon,
                                           uint32_t flags, pnn_operator_t* op_out);
/**
 * Sets the shape and the first normalized axis, with the rules of pnn_reshape_layer_norm_nd_f32
 * (the dims from `axis` on must hold norm_size elements; errors alike).
 */
enum pnn_status pnn_reshape_rms_norm_nd_f32(pnn_operator_t op, size_t num_dims,
                                            const size_t* shape, int32_t axis,
                                            pnn_threadpool_t threadpool);
/** Binds input and output (the input's shape each); output == input runs in place. */
enum pnn_status pnn_setup_rms_norm_nd_f32(pnn_operator_t op, const float* input, float* output);

/**
 * Creates a batch normalization in inference form (ONNX BatchNormalization, training_mode = 0)
 * over the channels of `[batch][channels]` (NHWC: batch = N*H*W):
 *   y[b][c] = (x[b][c] - mean[c]) / sqrt(var[c] + epsilon) * gamma[c] + beta[c].
 * It is folded at create, in double precision, into scale[c] = gamma[c] / sqrt(var[c] + epsilon)
 * and shift[c] = beta[c] - mean[c] * scale[c] (each rounded once to float), and runs as
 * y = x * scale[c] + shift[c]. A caller may fold it into a preceding convolution (or fully
 * connected layer) instead: multiply that layer's weights of output channel c by scale[c] and
 * set its bias to bias[c] * scale[c] + shift[c].
 * @param mean, var, gamma, beta  `channels` floats each (copied), all required.
 * @param epsilon  finite and >= 0.
 * @param flags    must be 0.
 * @return pnn_status_invalid_parameter for channels 0, a NULL array, a NaN, infinite or negative
 *         epsilon, or unknown flags. The arrays may hold any floats: a channel whose var + epsilon
 *         is negative or NaN, or whose parameters are not finite, gives what its folded
 *         scale / shift give (IEEE: NaN or inf).
 */
enum pnn_status pnn_create_batch_norm_nc_f32(size_t channels, const float* mean, const float* var,
                                             const float* gamma, const float* beta, float epsilon,
                                             uint32_t flags, pnn_operator_t* op_out);
/**
 * Sets the rows with their strides (see "Row strides" at the top): a view
 * of a wider tensor's channels, e.g. one input of a concatenation, normalized without a copy.
 */
enum pnn_status pnn_reshape_batch_norm_nc_f32_strided(pnn_operator_t op, size_t batch_size,
                                                      size_t input_stride, size_t output_stride,
                                                      pnn_threadpool_t threadpool);
/** The dense form: `batch_size` rows (>= 1; N*H*W for an NHWC tensor), strides = channels. */
enum pnn_status pnn_reshape_batch_norm_nc_f32(pnn_operator_t op, size_t batch_size,
                                              pnn_threadpool_t threadpool);
/** Binds input and output rows; output == input (same stride) is in place, other overlap fails. */
enum pnn_status pnn_setup_batch_norm_nc_f32(pnn_operator_t op, const float* input, float* output);

/**
 * Creates a PRelu (ONNX PRelu) over the channels of `[batch][channels]` (NHWC: batch = N*H*W):
 *   y[b][c] = x[b][c] < 0 ? x[b][c] * slope[c] : x[b][c].
 * A slope of another broadcastable shape (one value for all) is expanded by the caller to
 * `channels` floats.
 * @param slope  `channels` floats (copied), required; any floats.
 * @param flags  must be 0.
 * NaN and infinity: NaN stays NaN; -inf gives -inf * slope (NaN for a slope of 0).
 */
enum pnn_status pnn_create_prelu_nc_f32(size_t channels, const float* slope, uint32_t flags,
                                        pnn_operator_t* op_out);
/** Sets how many rows of `channels` floats the input holds (>= 1). */
enum pnn_status pnn_reshape_prelu_nc_f32(pnn_operator_t op, size_t batch_size,
                                         pnn_threadpool_t threadpool);
/** Binds the buffers; in place (output == input) allowed, partial overlap rejected. */
enum pnn_status pnn_setup_prelu_nc_f32(pnn_operator_t op, const float* input, float* output);
/** The strided form of pnn_reshape_prelu_nc_f32: strides >= channels ("Row strides", top). */
enum pnn_status pnn_reshape_prelu_nc_f32_strided(pnn_operator_t op, size_t batch_size,
                                                 size_t input_stride, size_t output_stride,
                                                 pnn_threadpool_t threadpool);

/* ----------------------------------------------------------------------------------------- */
/* Unary elementwise                                                                           */
/* ----------------------------------------------------------------------------------------- */

/** Unary operations. Each line gives y = f(x). */
enum pnn_unary_op {
  pnn_unary_clamp = 0,      /**< min(max(x, params.min), params.max); relu = [0, inf], relu6 = [0, 6] */
  pnn_unary_leaky_relu = 1, /**< x >= 0 ? x : params.negative_slope * x */
  pnn_unary_elu = 2,        /**< x >= 0 ? x : params.alpha * (exp(x) - 1) */
  pnn_unary_sigmoid = 3,    /**< 1 / (1 + exp(-x)) */
  pnn_unary_tanh = 4,       /**< tanh(x) */
  pnn_unary_hardswish = 5,  /**< x * min(max(x + 3, 0), 6) / 6 */
  pnn_unary_gelu = 6,       /**< x/2 * (1 + erf(x/sqrt 2)); tanh form with PNN_FLAG_GELU_TANH_APPROXIMATION */
  pnn_unary_silu = 7,       /**< x * sigmoid(x) */
  pnn_unary_abs = 8,        /**< |x| */
  pnn_unary_negate = 9,     /**< -x */
  pnn_unary_square = 10,    /**< x * x */
  pnn_unary_sqrt = 11,      /**< sqrt(x); NaN for x < 0 */
  pnn_unary_exp = 12,       /**< exp(x) */
  pnn_unary_hard_sigmoid = 13, /**< max(0, min(1, params.alpha * x + params.beta)) (ONNX HardSigmoid) */
  pnn_unary_erf = 14,       /**< erf(x) */
  pnn_unary_log = 15,       /**< ln(x); -inf for +-0, NaN for x < 0 */
  pnn_unary_reciprocal = 16, /**< 1 / x (IEEE: +-inf for +-0, +-0 for +-inf) */
  pnn_unary_rsqrt = 17,     /**< 1 / sqrt(x); +inf for +0, -inf for -0, NaN for x < 0 */
  pnn_unary_floor = 18,     /**< largest integer <= x */
  pnn_unary_ceil = 19,      /**< smallest integer >= x */
  pnn_unary_round = 20,     /**< nearest integer, halves to even (ONNX Round) */
  pnn_unary_sin = 21,       /**< sin(x) */
  pnn_unary_cos = 22,       /**< cos(x) */
  pnn_unary_softplus = 23,  /**< ln(1 + exp(x)) */
};

/** Parameters of unary ops; fields an op does not use are ignored. */
struct pnn_unary_params {
  float min, max;       /**< clamp bounds: min <= max, neither NaN */
  float negative_slope; /**< leaky relu: finite */
  float alpha;          /**< elu, hard sigmoid: finite */
  float beta;           /**< hard sigmoid: finite */
};

/**
 * Creates a unary elementwise operator.
 * @param params  required for clamp, leaky relu, elu and hard sigmoid; may be NULL otherwise.
 *
 * Results of the ops added for whole models (hard sigmoid to softplus):
 *  - hard sigmoid, reciprocal, rsqrt, floor, ceil and round are exact or correctly rounded per
 *    operation (reciprocal one rounding, rsqrt two: sqrt then 1 / that, hard sigmoid two: the
 *    multiply-add, fused or not, then the clamp to [0, 1]). floor, ceil and round keep the sign
 *    of zero (round(-0.25) = -0, ceil(-0.5) = -0) and return +-inf and NaN unchanged. Hard
 *    sigmoid keeps NaN and gives NaN for alpha = 0 at +-inf (0 * inf).
 *  - erf, log, sin, cos and softplus are approximations whose error bounds are documented in
 *    kernels/math-constants.h and tested on every kernel level: erf(+-inf) = +-1, erf keeps
 *    the sign of zero; log(+inf) = +inf, log(+-0) = -inf, log(x < 0) = NaN (-inf included);
 *    sin and cos of +-inf are NaN, sin keeps the sign of zero, and the bound holds for every
 *    finite x (arguments of any size are reduced exactly, see math-constants.h);
 *    softplus(+inf) = +inf, softplus(-inf) = +0. NaN in gives NaN out for all of them.
 * @param flags   PNN_FLAG_GELU_TANH_APPROXIMATION for gelu; otherwise 0.
 * @return pnn_status_invalid_parameter for an unknown op, a missing or invalid params struct,
 *         or unknown flags.
 */
enum pnn_status pnn_create_unary_elementwise_nc_f32(enum pnn_unary_op op_type,
                                                    const struct pnn_unary_params* params,
                                                    uint32_t flags, pnn_operator_t* op_out);
/** Sets the shape `[batch_size][channels]` (contiguous; both >= 1). */
enum pnn_status pnn_reshape_unary_elementwise_nc_f32(pnn_operator_t op, size_t batch_size,
                                                     size_t channels, pnn_threadpool_t threadpool);
/**
 * Like pnn_reshape_unary_elementwise_nc_f32, with row strides (see "Row strides" at the top):
 * row b of the input starts at input + b * input_stride, of the output at
 * output + b * output_stride; both strides >= channels. Dense rows (both strides == channels)
 * run exactly as the plain reshape's.
 */
enum pnn_status pnn_reshape_unary_elementwise_nc_f32_strided(pnn_operator_t op, size_t batch_size,
                                                             size_t channels, size_t input_stride,
                                                             size_t output_stride,
                                                             pnn_threadpool_t threadpool);
/**
 * Binds input and output; they may be the same buffer (in place: same pointer, and with strides
 * the same stride), but not partially overlap.
 */
enum pnn_status pnn_setup_unary_elementwise_nc_f32(pnn_operator_t op, const float* input,
                                                   float* output);

/* ----------------------------------------------------------------------------------------- */
/* Binary elementwise with broadcasting                                                        */
/* ----------------------------------------------------------------------------------------- */

/** Binary operations: y = f(a, b). */
enum pnn_binary_op {
  pnn_binary_add = 0,
  pnn_binary_subtract = 1,           /**< a - b */
  pnn_binary_multiply = 2,
  pnn_binary_divide = 3,             /**< a / b (IEEE: x/0 = +-inf, 0/0 = NaN) */
  pnn_binary_minimum = 4,
  pnn_binary_maximum = 5,
  pnn_binary_squared_difference = 6, /**< (a - b)^2 */
  pnn_binary_pow = 7,                /**< a^b, see below */
};
/*
 * pnn_binary_pow follows ONNX Pow (NumPy / C pow): a negative base with an integer exponent
 * gives a real result, negative for odd exponents (pow(-2, 3) = -8); a negative finite base with
 * a finite non-integer exponent gives NaN. pow(a, +-0) = 1 and pow(1, b) = 1 for every a and b,
 * NaN included; otherwise NaN in gives NaN out. Zeros and infinities follow C99 Annex F:
 * pow(+-0, b < 0) = +inf (-inf for -0 and an odd integer b), pow(+-0, b > 0) = +0 (-0 for -0
 * and an odd integer b), pow(-1, +-inf) = 1, pow(|a| < 1, -inf) = +inf, pow(|a| > 1, -inf) = +0,
 * pow(+-inf, b) = pow(+-0, -b) with the same sign rule, every integer of magnitude >= 2^24 (and
 * +-inf) counting as even. Accuracy: computed as exp(b * ln|a|), it is within
 * (1.2e-7 + 1.5e-7 * |ln|pow(a, b)||) * |pow(a, b)| + 2 denormal steps
 * (kernels/math-constants.h, kPowError): the relative error grows with the magnitude of ln of the
 * result, up to about 1.6e-5 for results near the ends of the float range. Unlike the other
 * binary ops, pow is not bit-identical across kernel levels (levels with fused multiply-add
 * round differently, within the same bound).
 */

/**
 * Creates a binary elementwise operator with a fused output clamp
 * (-INFINITY, +INFINITY for none). flags must be 0.
 */
enum pnn_status pnn_create_binary_elementwise_nd_f32(enum pnn_binary_op op_type, float output_min,
                                                     float output_max, uint32_t flags,
                                                     pnn_operator_t* op_out);

/**
 * Sets the shapes of A and B (1 to PNN_MAX_DIMS dims each, every dim >= 1) which broadcast
 * NumPy-style: shapes are aligned at the last dim, missing leading dims count as 1, and each
 * pair of dims must be equal or one of them 1.
 * @param num_output_dims  if not NULL, receives max(num_dims_a, num_dims_b).
 * @param output_shape     if not NULL, receives the output shape (room for PNN_MAX_DIMS dims).
 * Binary elementwise takes no row strides: its operands are N-D and broadcast, and reshape
 * folds their dims into the fewest loops, which a single row stride would not describe.
 * @return pnn_status_invalid_parameter for incompatible shapes, zero dims, too many dims.
 */
enum pnn_status pnn_reshape_binary_elementwise_nd_f32(pnn_operator_t op, size_t num_dims_a,
                                                      const size_t* shape_a, size_t num_dims_b,
                                                      const size_t* shape_b, size_t* num_output_dims,
                                                      size_t* output_shape,
                                                      pnn_threadpool_t threadpool);
/** Binds A, B and the output; the output may be A or B itself when it has the output's shape. */
enum pnn_status pnn_setup_binary_elementwise_nd_f32(pnn_operator_t op, const float* a,
                                                    const float* b, float* output);

/* ----------------------------------------------------------------------------------------- */
/* Softmax                                                                                      */
/* ----------------------------------------------------------------------------------------- */

/** Softmax: compute log-softmax instead, y = (x - max) - log(sum exp(x - max)). */
#define PNN_FLAG_LOG_SOFTMAX 0x00020000u

/**
 * Creates a softmax over the channel dimension of `[batch][channels]` (or, with
 * pnn_reshape_softmax_nd_f32, over any axis of an N-D tensor whose dim there is `channels`):
 *   out[b][c] = exp(in[b][c] - max_c in[b]) / sum_c exp(in[b][c] - max_c in[b]);
 * with PNN_FLAG_LOG_SOFTMAX (ONNX LogSoftmax) the logarithm of that,
 *   out[b][c] = (in[b][c] - max_c in[b]) - log(sum_c exp(in[b][c] - max_c in[b])).
 * flags: 0 or PNN_FLAG_LOG_SOFTMAX. NaN and infinity: as softmax (see the conventions at the
 * top); log-softmax gives -inf for -inf entries next to finite ones, and NaN for rows softmax
 * makes NaN.
 */
enum pnn_status pnn_create_softmax_nc_f32(size_t channels, uint32_t flags, pnn_operator_t* op_out);
/**
 * Sets a dense N-D shape (rank 1 to PNN_MAX_DIMS, every dim >= 1, element count's bytes within
 * size_t) and the axis the softmax runs along (in [-rank, rank); negative counts from the end),
 * whose dim must equal `channels`. The output has the input's shape. The last axis of
 * `[batch][channels]` is exactly pnn_reshape_softmax_nc_f32(batch); another axis walks elements
 * that are the product of the later dims apart.
 */
enum pnn_status pnn_reshape_softmax_nd_f32(pnn_operator_t op, size_t num_dims, const size_t* shape,
                                           int32_t axis, pnn_threadpool_t threadpool);
/** Sets the batch size (>= 1). */
enum pnn_status pnn_reshape_softmax_nc_f32(pnn_operator_t op, size_t batch_size,
                                           pnn_threadpool_t threadpool);
/**
 * Like pnn_reshape_softmax_nc_f32, with row strides (see "Row strides" at the top): row b of the
 * input starts at input + b * input_stride, of the output at output + b * output_stride; both
 * strides >= channels.
 */
enum pnn_status pnn_reshape_softmax_nc_f32_strided(pnn_operator_t op, size_t batch_size,
                                                   size_t input_stride, size_t output_stride,
                                                   pnn_threadpool_t threadpool);
/**
 * Binds input and output; they may be the same buffer (in place: same pointer, and with strides
 * the same stride), but not partially overlap.
 */
enum pnn_status pnn_setup_softmax_nc_f32(pnn_operator_t op, const float* input, float* output);

/* ----------------------------------------------------------------------------------------- */
/* Data movement: transpose, depth-to-space, space-to-depth, pad, concatenate, split, slice      */
/* ----------------------------------------------------------------------------------------- */

/*
 * These operators move 32-bit elements (`_x32`) without interpreting them: every output element
 * is a bit-exact copy of one input element (or of the pad value), so NaN payloads, signed zeros
 * and infinities pass through unchanged, and any float value (NaN included) is a valid pad
 * value. Tensors are dense and row-major, of 1 to PNN_MAX_DIMS dims with every dim >= 1: rank 0
 * (a scalar: use a 1-D shape of [1]) and zero-size dims are invalid_parameter, as is a shape
 * whose element count in bytes overflows size_t. The input and output buffers (all of them, for
 * concatenate and split) must not overlap: setup returns invalid_parameter when their spans share
 * memory (inputs of a concatenate may overlap each other; they are only read). Results do not
 * depend on the thread count. Shapes, permutations, axes, paddings and slice bounds are given at
 * reshape, and on any error nothing is written (not even the optional output-shape
 * out-parameters).
 */

/** Largest number of inputs of a concatenate or outputs of a split. */
#define PNN_MAX_CONCAT_PARTS 64

/** Creates a transpose. flags must be 0. */
enum pnn_status pnn_create_transpose_nd_x32(uint32_t flags, pnn_operator_t* op_out);
/**
 * Sets the input shape (`num_dims` in [1, PNN_MAX_DIMS]) and the permutation: output dim j is
 * input dim perm[j], i.e. output[i_perm[0]]...[i_perm[n-1]] = input[i_0]...[i_{n-1}].
 * Dims of size 1 are dropped and dims that stay adjacent are merged before running, so a
 * permutation that is the identity after that is a plain copy.
 * @param output_shape  if not NULL, receives shape[perm[j]] for each j (num_dims values).
 * @return pnn_status_invalid_parameter for a bad rank or shape, a NULL shape or perm, a perm
 *         entry >= num_dims or a repeated one.
 */
enum pnn_status pnn_reshape_transpose_nd_x32(pnn_operator_t op, size_t num_dims,
                                             const size_t* shape, const size_t* perm,
                                             size_t* output_shape, pnn_threadpool_t threadpool);
/** Binds input and output (not NULL, not overlapping). */
enum pnn_status pnn_setup_transpose_nd_x32(pnn_operator_t op, const void* input, void* output);

/** Depth-to-space channel orders (ONNX DepthToSpace `mode`). */
enum pnn_depth_to_space_mode {
  /** Depth-column-row: input channel (by * block + bx) * C' + c goes to output channel c. */
  pnn_depth_to_space_dcr = 0,
  /** Column-row-depth: input channel (c * block + by) * block + bx goes to output channel c. */
  pnn_depth_to_space_crd = 1,
};

/**
 * Creates a depth-to-space of NHWC images, block size `block_size` (>= 1):
 * input [N][H][W][block * block * C'] -> output [N][H * block][W * block][C'], output pixel
 * (h * block + by, w * block + bx) channel c taking input pixel (h, w) at the channel the mode
 * names. It runs as the transpose it is. flags must be 0.
 * @return pnn_status_invalid_parameter for block_size 0, an unknown mode or flags.
 */
enum pnn_status pnn_create_depth_to_space_nhwc_x32(uint32_t block_size,
                                                   enum pnn_depth_to_space_mode mode,
                                                   uint32_t flags, pnn_operator_t* op_out);
/**
 * Sets the input shape [batch][height][width][channels]; channels must be a multiple of
 * block_size^2, and the output's element count (the input's) within the bound. The optional
 * out-parameters receive height * block, width * block and channels / block^2.
 */
enum pnn_status pnn_reshape_depth_to_space_nhwc_x32(pnn_operator_t op, size_t batch,
                                                    size_t height, size_t width, size_t channels,
                                                    size_t* output_height, size_t* output_width,
                                                    size_t* output_channels,
                                                    pnn_threadpool_t threadpool);
/** Binds input and output (not NULL, not overlapping). */
enum pnn_status pnn_setup_depth_to_space_nhwc_x32(pnn_operator_t op, const void* input,
                                                  void* output);

/**
 * Creates a space-to-depth of NHWC images (ONNX SpaceToDepth), block size `block_size` (>= 1):
 * input [N][H][W][C] -> output [N][H / block][W / block][block * block * C], output channel
 * (by * block + bx) * C + c of pixel (h, w) taking input pixel (h * block + by, w * block + bx)
 * channel c. flags must be 0.
 */
enum pnn_status pnn_create_space_to_depth_nhwc_x32(uint32_t block_size, uint32_t flags,
                                                   pnn_operator_t* op_out);
/**
 * Sets the input shape [batch][input_height][input_width][input_channels]; the height and width
 * must be multiples of block_size (the element count within the bound, as for depth-to-space).
 * The optional out-parameters receive the height / block, width / block and channels * block^2.
 */
enum pnn_status pnn_reshape_space_to_depth_nhwc_x32(
    pnn_operator_t op, size_t batch, size_t input_height, size_t input_width,
    size_t input_channels, size_t* output_height, size_t* output_width, size_t* output_channels,
    pnn_threadpool_t threadpool);
/** Binds input and output (not NULL, not overlapping). */
enum pnn_status pnn_setup_space_to_depth_nhwc_x32(pnn_operator_t op, const void* input, void* output);

/** Pad modes (ONNX Pad `mode`). */
enum pnn_pad_mode {
  /** Padded elements are padding_value. */
  pnn_pad_constant = 0,
  /** Mirror without repeating the edge: index -1 reads 1, index dim reads dim - 2. */
  pnn_pad_reflect = 1,
  /** Repeat the edge element: indices below 0 read 0, indices >= dim read dim - 1. */
  pnn_pad_edge = 2,
};

/**
 * Creates a pad. `padding_value` (constant mode; ignored otherwise) is stored by its bits: any
 * value, NaN included, is written as given. flags must be 0.
 * @return pnn_status_invalid_parameter for an unknown mode or flags.
 */
enum pnn_status pnn_create_pad_nd_x32(enum pnn_pad_mode mode, float padding_value,
                                      uint32_t flags, pnn_operator_t* op_out);
/**
 * Sets the input shape (`num_dims` in [1, PNN_MAX_DIMS]) and the paddings: output dim i is
 * pre_paddings[i] + shape[i] + post_paddings[i] (paddings are >= 0; crop with a slice). In
 * reflect mode each padding must be < shape[i] (ONNX); edge and constant take any padding.
 * @param output_shape  if not NULL, receives the output shape (num_dims values).
 * @return pnn_status_invalid_parameter for a bad shape, NULL paddings, a reflect padding >= its
 *         dim, or an output dim or element count that overflows.
 */
enum pnn_status pnn_reshape_pad_nd_x32(pnn_operator_t op, size_t num_dims, const size_t* shape,
                                       const size_t* pre_paddings, const size_t* post_paddings,
                                       size_t* output_shape, pnn_threadpool_t threadpool);
/** Binds input and output (not NULL, not overlapping). */
enum pnn_status pnn_setup_pad_nd_x32(pnn_operator_t op, const void* input, void* output);

/**
 * Creates a concatenate of `num_inputs` tensors (2 to PNN_MAX_CONCAT_PARTS) along dim `axis`
 * (counted from 0; a negative ONNX axis is num_dims + axis, converted by the caller; checked
 * against num_dims at reshape). flags must be 0.
 */
enum pnn_status pnn_create_concatenate_nd_x32(size_t num_inputs, size_t axis, uint32_t flags,
                                              pnn_operator_t* op_out);
/**
 * Sets the input shapes: `input_shapes` holds num_inputs shapes of `num_dims` dims each, one
 * after the other (input k's dim i at input_shapes[k * num_dims + i]). axis < num_dims; all
 * shapes agree on every dim but the axis. The output shape is theirs with the axis dims summed.
 * @param output_shape  if not NULL, receives the output shape (num_dims values).
 */
enum pnn_status pnn_reshape_concatenate_nd_x32(pnn_operator_t op, size_t num_dims,
                                               const size_t* input_shapes, size_t* output_shape,
                                               pnn_threadpool_t threadpool);
/**
 * Binds `inputs` (an array of num_inputs pointers, none NULL; read at setup only) and the
 * output; the output must not overlap any input.
 */
enum pnn_status pnn_setup_concatenate_nd_x32(pnn_operator_t op, const void* const* inputs,
                                             void* output);

/**
 * Creates a split into `num_outputs` tensors (2 to PNN_MAX_CONCAT_PARTS) along dim `axis`
 * (as for concatenate). flags must be 0.
 */
enum pnn_status pnn_create_split_nd_x32(size_t num_outputs, size_t axis, uint32_t flags,
                                        pnn_operator_t* op_out);
/**
 * Sets the input shape and the sizes of the parts along the axis: `split_sizes` holds
 * num_outputs values, each >= 1, summing to shape[axis] (an even split is shape[axis] /
 * num_outputs each). Output k has the input's shape with split_sizes[k] at the axis.
 */
enum pnn_status pnn_reshape_split_nd_x32(pnn_operator_t op, size_t num_dims, const size_t* shape,
                                         const size_t* split_sizes, pnn_threadpool_t threadpool);
/**
 * Binds the input and `outputs` (an array of num_outputs pointers, none NULL; read at setup
 * only); no output may overlap the input or another output.
 */
enum pnn_status pnn_setup_split_nd_x32(pnn_operator_t op, const void* input,
                                       void* const* outputs);

/** Creates a slice. flags must be 0. */
enum pnn_status pnn_create_slice_nd_x32(uint32_t flags, pnn_operator_t* op_out);
/**
 * Sets the input shape and, per dim, begins[i], ends[i] and steps[i] as ONNX Slice does for
 * steps >= 1: a negative begin or end counts from the end (adds shape[i]), then both are
 * clamped to [0, shape[i]]; the slice takes begin, begin + step, ... below end. Any int64 value
 * is accepted for begins and ends (INT64_MIN / INT64_MAX mean from the start / to the end);
 * ONNX's `axes` are the caller's to expand (a dim not sliced is begin 0, end INT64_MAX, step 1).
 * @param steps         NULL for all 1; otherwise each >= 1 (negative steps are unsupported:
 *                      invalid_parameter).
 * @param output_shape  if not NULL, receives the output shape (num_dims values).
 * @return pnn_status_invalid_parameter for a bad shape, NULL begins or ends, a step < 1, or a
 *         dim where the slice keeps no element (there are no empty tensors).
 */
enum pnn_status pnn_reshape_slice_nd_x32(pnn_operator_t op, size_t num_dims, const size_t* shape,
                                         const int64_t* begins, const int64_t* ends,
                                         const int64_t* steps, size_t* output_shape,
                                         pnn_threadpool_t threadpool);
/** Binds input and output (not NULL, not overlapping). */
enum pnn_status pnn_setup_slice_nd_x32(pnn_operator_t op, const void* input, void* output);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* PORTNN_H_ */
