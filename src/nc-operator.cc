// The NC operators' shared reshape and create checks (see nc-operator.h).
#include "nc-operator.h"

#include <cstdint>

namespace pnn {

namespace {

// One operand's rows with its stride: the strided reshape's argument, or for the plain reshape
// the row length, named as such in reasons.
RowsArg rows_arg(const NcRows& r, const NcStrides& strides, const char* stride_name,
                 size_t stride) {
  return strides.given
             ? RowsArg{r.rows_name, r.rows, r.length_name, r.length, stride_name, stride}
             : RowsArg{r.rows_name, r.rows, r.length_name, r.length, r.length_name, r.length};
}

}  // namespace

pnn_status plan_nc_rows(const NcRows& input, const NcRows& output, const NcStrides& strides,
                        RowLayout* layout) {
  return plan_rows(rows_arg(input, strides, "input_stride", strides.input),
                   rows_arg(output, strides, "output_stride", strides.output), layout);
}

pnn_status check_channels(size_t channels) {
  if (channels == 0) return fail(pnn_status_invalid_parameter, "channels is 0; it must be >= 1");
  if (channels > SIZE_MAX / sizeof(float)) {
    return fail(pnn_status_invalid_parameter, "channels (%zu) floats overflow size_t bytes",
                channels);
  }
  return pnn_status_success;
}

}  // namespace pnn
