// Binary elementwise kernel selection: per op, the best usable kernel of each form
// (see kernels/ukernels-vbinary.h for what the forms compute).
#pragma once

#include <cstddef>

#include "portnn.h"
#include "ukernels-vbinary.h"

namespace pnn {

struct VBinaryKernel {
  pnn_f32_vbinary_ukernel_fn fn;  // NULL when no usable kernel is registered
  size_t tile;
  const char* name;
};

struct VBinaryConfig {
  VBinaryKernel op;    // y[i] = f(a[i], b[i])
  VBinaryKernel opc;   // y[i] = f(a[i], b[0])
  VBinaryKernel ropc;  // y[i] = f(b[0], a[i]); a commutative op reuses its opc kernel here
};

// True when f(a, b) == f(b, a) for every float pair, up to the sign of a zero or NaN result
// of minimum/maximum (unspecified by the API).
bool binary_op_commutative(pnn_binary_op op);

// The kernels for `op`; NULL for a value outside enum pnn_binary_op. Built once, thread-safe.
const VBinaryConfig* get_vbinary_config(int op);

}  // namespace pnn
