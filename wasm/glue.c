/*
 * C glue of the WebAssembly builds: entry points that take the public parameter structs as plain
 * arguments, so the JS side never depends on struct layout (padding, sizeof(size_t)). Everything
 * else is the public C API, exported as is (see CMakeLists.txt).
 */
#include <emscripten.h>
#include <emscripten/heap.h>
#include <malloc.h>
#include <stddef.h>
#include <stdint.h>

#include "portnn-graph.h"

/* Copies what the convolution and pooling parameter structs share, field by field from the
 * entry point's arguments of the same names: paddings, strides, dilations, clamp and flags. */
#define PNNW_COPY_WINDOW_PARAMS(p)          \
  do {                                      \
    (p).padding_top = padding_top;          \
    (p).padding_right = padding_right;      \
    (p).padding_bottom = padding_bottom;    \
    (p).padding_left = padding_left;        \
    (p).stride_height = stride_height;      \
    (p).stride_width = stride_width;        \
    (p).dilation_height = dilation_height;  \
    (p).dilation_width = dilation_width;    \
    (p).output_min = output_min;            \
    (p).output_max = output_max;            \
    (p).flags = flags;                      \
  } while (0)

/* The whole convolution / pooling / unary parameter struct from the arguments of those names
 * (create and define entry points take the same flattened arguments). */
#define PNNW_CONV_PARAMS(p)                                  \
  do {                                                       \
    PNNW_COPY_WINDOW_PARAMS(p);                              \
    (p).kernel_height = kernel_height;                       \
    (p).kernel_width = kernel_width;                         \
    (p).groups = groups;                                     \
    (p).group_input_channels = group_input_channels;         \
    (p).group_output_channels = group_output_channels;       \
  } while (0)
#define PNNW_POOLING_PARAMS(p)           \
  do {                                   \
    PNNW_COPY_WINDOW_PARAMS(p);          \
    (p).pooling_height = pooling_height; \
    (p).pooling_width = pooling_width;   \
    (p).channels = channels;             \
  } while (0)
#define PNNW_UNARY_PARAMS(p)               \
  do {                                     \
    (p).min = min;                         \
    (p).max = max;                         \
    (p).negative_slope = negative_slope;   \
    (p).alpha = alpha;                     \
    (p).beta = beta;                       \
  } while (0)

EMSCRIPTEN_KEEPALIVE enum pnn_status pnnw_create_convolution2d_nhwc_f32(
    uint32_t padding_top, uint32_t padding_right, uint32_t padding_bottom, uint32_t padding_left,
    uint32_t kernel_height, uint32_t kernel_width, uint32_t stride_height, uint32_t stride_width,
    uint32_t dilation_height, uint32_t dilation_width, uint32_t groups, size_t group_input_channels,
    size_t group_output_channels, float output_min, float output_max, uint32_t flags,
    const float* kernel, const float* bias, pnn_operator_t* op_out) {
  struct pnn_convolution2d_params p;
  PNNW_CONV_PARAMS(p);
  return pnn_create_convolution2d_nhwc_f32(&p, kernel, bias, op_out);
}

/* kind: 1 max pooling, 2 argmax pooling, else average pooling. */
EMSCRIPTEN_KEEPALIVE enum pnn_status pnnw_create_pooling2d_nhwc_f32(
    int kind, uint32_t padding_top, uint32_t padding_right, uint32_t padding_bottom,
    uint32_t padding_left, uint32_t pooling_height, uint32_t pooling_width, uint32_t stride_height,
    uint32_t stride_width, uint32_t dilation_height, uint32_t dilation_width, size_t channels,
    float output_min, float output_max, uint32_t flags, pnn_operator_t* op_out) {
  struct pnn_pooling2d_params p;
  PNNW_POOLING_PARAMS(p);
  return kind == 1   ? pnn_create_max_pooling2d_nhwc_f32(&p, op_out)
         : kind == 2 ? pnn_create_argmax_pooling2d_nhwc_f32(&p, op_out)
                     : pnn_create_average_pooling2d_nhwc_f32(&p, op_out);
}

/* has_params = 0 passes NULL params (the ops that need none). */
EMSCRIPTEN_KEEPALIVE enum pnn_status pnnw_create_unary_elementwise_nc_f32(
    int op_type, int has_params, float min, float max, float negative_slope, float alpha,
    float beta, uint32_t flags, pnn_operator_t* op_out) {
  struct pnn_unary_params p;
  PNNW_UNARY_PARAMS(p);
  return pnn_create_unary_elementwise_nc_f32((enum pnn_unary_op)op_type, has_params ? &p : NULL,
                                             flags, op_out);
}

/* The graph's define calls that take the same parameter structs, flattened the same way. */
EMSCRIPTEN_KEEPALIVE enum pnn_status pnnw_define_convolution2d(
    uint32_t padding_top, uint32_t padding_right, uint32_t padding_bottom, uint32_t padding_left,
    uint32_t kernel_height, uint32_t kernel_width, uint32_t stride_height, uint32_t stride_width,
    uint32_t dilation_height, uint32_t dilation_width, uint32_t groups, size_t group_input_channels,
    size_t group_output_channels, float output_min, float output_max, uint32_t flags,
    pnn_graph_t graph, uint32_t input_id, uint32_t filter_id, uint32_t bias_id,
    uint32_t output_id) {
  struct pnn_convolution2d_params p;
  PNNW_CONV_PARAMS(p);
  return pnn_define_convolution2d(graph, &p, input_id, filter_id, bias_id, output_id);
}

EMSCRIPTEN_KEEPALIVE enum pnn_status pnnw_define_pooling2d(
    int is_max, uint32_t padding_top, uint32_t padding_right, uint32_t padding_bottom,
    uint32_t padding_left, uint32_t pooling_height, uint32_t pooling_width, uint32_t stride_height,
    uint32_t stride_width, uint32_t dilation_height, uint32_t dilation_width, size_t channels,
    float output_min, float output_max, uint32_t flags, pnn_graph_t graph, uint32_t input_id,
    uint32_t output_id) {
  struct pnn_pooling2d_params p;
  PNNW_POOLING_PARAMS(p);
  return is_max ? pnn_define_max_pooling2d(graph, &p, input_id, output_id)
                : pnn_define_average_pooling2d(graph, &p, input_id, output_id);
}

EMSCRIPTEN_KEEPALIVE enum pnn_status pnnw_define_unary(int op_type, int has_params, float min,
                                                       float max, float negative_slope,
                                                       float alpha, float beta, uint32_t flags,
                                                       pnn_graph_t graph, uint32_t input_id,
                                                       uint32_t output_id) {
  struct pnn_unary_params p;
  PNNW_UNARY_PARAMS(p);
  return pnn_define_unary(graph, (enum pnn_unary_op)op_type, has_params ? &p : NULL, input_id,
                          output_id, flags);
}

/* pnn_get_runtime_node_info into out[6] (uint32): name, operator name and kernel name pointers,
 * time in nanoseconds (low and high halves), fused_into (as int32). */
EMSCRIPTEN_KEEPALIVE enum pnn_status pnnw_runtime_node_info(pnn_runtime_t runtime, uint32_t index,
                                                            uint32_t* out) {
  struct pnn_node_info info;
  const enum pnn_status s = pnn_get_runtime_node_info(runtime, index, &info);
  if (s != pnn_status_success) return s;
  out[0] = (uint32_t)(uintptr_t)info.name;
  out[1] = (uint32_t)(uintptr_t)info.operator_name;
  out[2] = (uint32_t)(uintptr_t)info.kernel_name;
  out[3] = (uint32_t)info.time_ns;
  out[4] = (uint32_t)(info.time_ns >> 32);
  out[5] = (uint32_t)info.fused_into;
  return s;
}

/* sizeof(size_t) of this build, so the JS side reads size_t out-parameters correctly. */
EMSCRIPTEN_KEEPALIVE size_t pnnw_sizeof_size_t(void) { return sizeof(size_t); }

/* Bytes of the module heap held by live malloc allocations (library and JS glue alike), so that
 * tests can check that failed calls and dispose() return to a baseline. */
EMSCRIPTEN_KEEPALIVE size_t pnnw_heap_in_use(void) { return (size_t)mallinfo().uordblks; }

/* The most bytes the module's memory can grow to (the cap of this build, at most 4 GB). */
EMSCRIPTEN_KEEPALIVE size_t pnnw_heap_max(void) { return emscripten_get_heap_max(); }

/* One axis's output size, computed by the library's window module (src/window.h) so that the
 * JS package never copies the arithmetic:
 *   enum pnn_status pnnw_window_output_size(size_t input_size, uint32_t kernel, uint32_t stride,
 *       uint32_t dilation, uint32_t pad_before, uint32_t pad_after, int padding_mode,
 *       int ceil_mode, size_t* output_size);
 * padding_mode: 0 explicit (pad_before/pad_after), 1 SAME_UPPER (PNN_FLAG_TENSORFLOW_SAME_PADDING),
 * 2 SAME_LOWER (PNN_FLAG_SAME_LOWER_PADDING); with 1 or 2 the paddings must be 0. ceil_mode: 0 or
 * 1 (PNN_FLAG_CEIL_MODE, explicit padding only). On success writes *output_size; on failure
 * returns pnn_status_invalid_parameter and pnn_last_error_message() names the argument and the
 * rule ("pnnw_window_output_size: input size 3 with kernel 5 ..."). Pooling's extra rule (no
 * window may read padding only) is checked by its reshape, not here. */
enum pnn_status pnn_internal_window_output_size(size_t input_size, uint32_t kernel,
                                                uint32_t stride, uint32_t dilation,
                                                uint32_t pad_before, uint32_t pad_after,
                                                int padding_mode, int ceil_mode,
                                                size_t* output_size);
EMSCRIPTEN_KEEPALIVE enum pnn_status pnnw_window_output_size(
    size_t input_size, uint32_t kernel, uint32_t stride, uint32_t dilation, uint32_t pad_before,
    uint32_t pad_after, int padding_mode, int ceil_mode, size_t* output_size) {
  return pnn_internal_window_output_size(input_size, kernel, stride, dilation, pad_before,
                                         pad_after, padding_mode, ceil_mode, output_size);
}

/* The deconvolution and resize parameter structs from the arguments of their names (create and
 * define take the same ones); designated, as the struct's field order is the header's business,
 * and without flags (0). */
#define PNNW_DECONV_PARAMS                                                                        \
  {.padding_top = padding_top, .padding_right = padding_right,                                    \
   .padding_bottom = padding_bottom, .padding_left = padding_left,                                \
   .adjustment_height = adjustment_height, .adjustment_width = adjustment_width,                  \
   .kernel_height = kernel_height, .kernel_width = kernel_width, .stride_height = stride_height,  \
   .stride_width = stride_width, .dilation_height = dilation_height,                              \
   .dilation_width = dilation_width, .groups = groups,                                            \
   .group_input_channels = group_input_channels,                                                  \
   .group_output_channels = group_output_channels, .output_min = output_min,                      \
   .output_max = output_max, .flags = 0}
#define PNNW_RESIZE_PARAMS                                                                       \
  {.channels = channels, .mode = (enum pnn_resize_mode)mode,                                      \
   .coordinate_mode = (enum pnn_resize_coordinate_mode)coordinate_mode,                           \
   .nearest_mode = (enum pnn_resize_nearest_mode)nearest_mode, .flags = 0}

/* Deconvolution: the window arguments in the order of pnnw_create_convolution2d_nhwc_f32's, the
 * adjustments after the paddings; no flags (0). */
EMSCRIPTEN_KEEPALIVE enum pnn_status pnnw_create_deconvolution2d_nhwc_f32(
    uint32_t padding_top, uint32_t padding_right, uint32_t padding_bottom, uint32_t padding_left,
    uint32_t adjustment_height, uint32_t adjustment_width, uint32_t kernel_height,
    uint32_t kernel_width, uint32_t stride_height, uint32_t stride_width, uint32_t dilation_height,
    uint32_t dilation_width, uint32_t groups, size_t group_input_channels,
    size_t group_output_channels, float output_min, float output_max, const float* kernel,
    const float* bias, pnn_operator_t* op_out) {
  const struct pnn_deconvolution2d_params p = PNNW_DECONV_PARAMS;
  return pnn_create_deconvolution2d_nhwc_f32(&p, kernel, bias, op_out);
}

/* Resize: the enums as plain ints (checked by the library, as from any C caller); no flags. */
EMSCRIPTEN_KEEPALIVE enum pnn_status pnnw_create_resize2d_nhwc_f32(size_t channels, int mode,
                                                                  int coordinate_mode,
                                                                  int nearest_mode,
                                                                  pnn_operator_t* op_out) {
  const struct pnn_resize2d_params p = PNNW_RESIZE_PARAMS;
  return pnn_create_resize2d_nhwc_f32(&p, op_out);
}

/* The graph's deconvolution and resize nodes: the create entry points' arguments, then the
 * define call's own. */
EMSCRIPTEN_KEEPALIVE enum pnn_status pnnw_define_deconvolution2d(
    uint32_t padding_top, uint32_t padding_right, uint32_t padding_bottom, uint32_t padding_left,
    uint32_t adjustment_height, uint32_t adjustment_width, uint32_t kernel_height,
    uint32_t kernel_width, uint32_t stride_height, uint32_t stride_width, uint32_t dilation_height,
    uint32_t dilation_width, uint32_t groups, size_t group_input_channels,
    size_t group_output_channels, float output_min, float output_max, pnn_graph_t graph,
    uint32_t input_id, uint32_t filter_id, uint32_t bias_id, uint32_t output_id) {
  const struct pnn_deconvolution2d_params p = PNNW_DECONV_PARAMS;
  return pnn_define_deconvolution2d(graph, &p, input_id, filter_id, bias_id, output_id);
}

EMSCRIPTEN_KEEPALIVE enum pnn_status pnnw_define_resize2d(
    size_t channels, int mode, int coordinate_mode, int nearest_mode, pnn_graph_t graph,
    size_t output_height, size_t output_width, float height_scale, float width_scale,
    uint32_t input_id, uint32_t output_id) {
  const struct pnn_resize2d_params p = PNNW_RESIZE_PARAMS;
  return pnn_define_resize2d(graph, &p, output_height, output_width, height_scale, width_scale,
                             input_id, output_id);
}
