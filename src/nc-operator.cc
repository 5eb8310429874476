// The NC operators' shared reshape and create checks (see nc-operator.h).
#include "nc-operator.h"

#include <cstdint>

namespace pnn {

pnn_status plan_nc_rows(const NcRows& in, const NcRows& out, const NcStrides& strides,
                        RowLayout* layout) {
  // The plain reshape's strides are the row lengths, named as such in reasons.
  const RowsArg input = {in.rows_name,
                         in.rows,
                         in.length_name,
                         in.length,
                         strides.given ? "input_stride" : in.length_name,
                         strides.given ? strides.input : in.length};
  const RowsArg output = {out.rows_name,
                          out.rows,
                          out.length_name,
                          out.length,
                          strides.given ? "output_stride" : out.length_name,
                          strides.given ? strides.output : out.length};
  return plan_rows(input, output, layout);
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
