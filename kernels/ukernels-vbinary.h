// vbinary microkernel types and declarations (see kernels/ukernels.h for the conventions).
//
// Binary elementwise kernels come in three forms over the same signature:
//   vop   (form pnn_vbinary_vop):   y[i] = clamp(f(a[i], b[i]))   for i < n
//   vopc  (form pnn_vbinary_vopc):  y[i] = clamp(f(a[i], b[0]))   b is one scalar for the row
//   vropc (form pnn_vbinary_vropc): y[i] = clamp(f(b[0], a[i]))   reversed: lets a broadcast A
//                                   be the scalar of a non-commutative op (subtract, divide)
// clamp(v) = min(max(v, params->min), params->max), written so that a NaN v stays NaN.
// n >= 0; y may equal a (and, for vop, b): every output element is written only after the inputs
// at the same index have been read. Partial overlap is not allowed.
#pragma once

#include <cstddef>
#include <cstdint>

#include "params.h"

// The three kernel forms; registry lines name one each.
enum pnn_vbinary_form {
  pnn_vbinary_vop = 0,
  pnn_vbinary_vopc = 1,
  pnn_vbinary_vropc = 2,
};

// One signature for the three forms: in the *c forms, b points at the single scalar.
typedef void (*pnn_f32_vbinary_ukernel_fn)(size_t n, const float* a, const float* b, float* y,
                                           const struct pnn_f32_minmax_params* params);

// PNN_VBINARY(arch flag, pnn_binary_op, pnn_vbinary_form, kernel, elements per main-loop iteration)
#define PNN_VBINARY(arch, op, form, fn, tile)                    \
  extern "C" void fn(size_t, const float*, const float*, float*, \
                     const struct pnn_f32_minmax_params*);
#include "f32-vbinary.inc"
#undef PNN_VBINARY
