// Scalar binary elementwise microkernels: one template over the op functor and the kernel form,
// instantiated once per registry line. Unrolled by 4 so the loads of a group are independent of
// its stores, with a remainder loop for n % 4.
#include <algorithm>

#include "ukernels-vbinary.h"

namespace {

struct AddOp {
  static float apply(float a, float b) { return a + b; }
};
struct SubOp {
  static float apply(float a, float b) { return a - b; }
};
struct MulOp {
  static float apply(float a, float b) { return a * b; }
};
struct DivOp {
  static float apply(float a, float b) { return a / b; }
};
struct MinOp {
  static float apply(float a, float b) { return std::min(a, b); }
};
struct MaxOp {
  static float apply(float a, float b) { return std::max(a, b); }
};
struct SqrDiffOp {
  static float apply(float a, float b) {
    const float d = a - b;
    return d * d;
  }
};

// std::max(v, lo) returns v when v is NaN (NaN < lo is false), and std::min(v, hi) likewise, so
// a NaN result survives the clamp; with infinite bounds the clamp is the identity.
inline float clamp(float v, float lo, float hi) { return std::min(std::max(v, lo), hi); }

// The second operand of element i for each form, and the operand order.
template <pnn_vbinary_form form>
struct Form;
template <>
struct Form<pnn_vbinary_vop> {
  template <class Op>
  static float apply(float a, const float* b, size_t i) {
    return Op::apply(a, b[i]);
  }
};
template <>
struct Form<pnn_vbinary_vopc> {
  template <class Op>
  static float apply(float a, const float* b, size_t) {
    return Op::apply(a, b[0]);
  }
};
template <>
struct Form<pnn_vbinary_vropc> {
  template <class Op>
  static float apply(float a, const float* b, size_t) {
    return Op::apply(b[0], a);
  }
};

template <class Op, pnn_vbinary_form form>
void vbinary_u4(size_t n, const float* a, const float* b, float* y,
                const pnn_f32_minmax_params* params) {
  using F = Form<form>;
  const float lo = params->min, hi = params->max;
  // b advances with a only in the vop form; the *c forms keep pointing at their scalar.
  const size_t b_step = form == pnn_vbinary_vop ? 4 : 0;
  for (; n >= 4; n -= 4, a += 4, b += b_step, y += 4) {
    const float a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3];
    const float v0 = F::template apply<Op>(a0, b, 0);
    const float v1 = F::template apply<Op>(a1, b, 1);
    const float v2 = F::template apply<Op>(a2, b, 2);
    const float v3 = F::template apply<Op>(a3, b, 3);
    y[0] = clamp(v0, lo, hi);
    y[1] = clamp(v1, lo, hi);
    y[2] = clamp(v2, lo, hi);
    y[3] = clamp(v3, lo, hi);
  }
  for (size_t i = 0; i < n; i++) y[i] = clamp(F::template apply<Op>(a[i], b, i), lo, hi);
}

}  // namespace

#define PNN_SCALAR_VBINARY(fn, Op, form)                                 \
  extern "C" void fn(size_t n, const float* a, const float* b, float* y, \
                     const pnn_f32_minmax_params* params) {              \
    vbinary_u4<Op, form>(n, a, b, y, params);                            \
  }

PNN_SCALAR_VBINARY(pnn_f32_vadd_minmax_ukernel__scalar_u4, AddOp, pnn_vbinary_vop)
PNN_SCALAR_VBINARY(pnn_f32_vaddc_minmax_ukernel__scalar_u4, AddOp, pnn_vbinary_vopc)
PNN_SCALAR_VBINARY(pnn_f32_vsub_minmax_ukernel__scalar_u4, SubOp, pnn_vbinary_vop)
PNN_SCALAR_VBINARY(pnn_f32_vsubc_minmax_ukernel__scalar_u4, SubOp, pnn_vbinary_vopc)
PNN_SCALAR_VBINARY(pnn_f32_vrsubc_minmax_ukernel__scalar_u4, SubOp, pnn_vbinary_vropc)
PNN_SCALAR_VBINARY(pnn_f32_vmul_minmax_ukernel__scalar_u4, MulOp, pnn_vbinary_vop)
PNN_SCALAR_VBINARY(pnn_f32_vmulc_minmax_ukernel__scalar_u4, MulOp, pnn_vbinary_vopc)
PNN_SCALAR_VBINARY(pnn_f32_vdiv_minmax_ukernel__scalar_u4, DivOp, pnn_vbinary_vop)
PNN_SCALAR_VBINARY(pnn_f32_vdivc_minmax_ukernel__scalar_u4, DivOp, pnn_vbinary_vopc)
PNN_SCALAR_VBINARY(pnn_f32_vrdivc_minmax_ukernel__scalar_u4, DivOp, pnn_vbinary_vropc)
PNN_SCALAR_VBINARY(pnn_f32_vmin_minmax_ukernel__scalar_u4, MinOp, pnn_vbinary_vop)
PNN_SCALAR_VBINARY(pnn_f32_vminc_minmax_ukernel__scalar_u4, MinOp, pnn_vbinary_vopc)
PNN_SCALAR_VBINARY(pnn_f32_vmax_minmax_ukernel__scalar_u4, MaxOp, pnn_vbinary_vop)
PNN_SCALAR_VBINARY(pnn_f32_vmaxc_minmax_ukernel__scalar_u4, MaxOp, pnn_vbinary_vopc)
PNN_SCALAR_VBINARY(pnn_f32_vsqrdiff_minmax_ukernel__scalar_u4, SqrDiffOp, pnn_vbinary_vop)
PNN_SCALAR_VBINARY(pnn_f32_vsqrdiffc_minmax_ukernel__scalar_u4, SqrDiffOp, pnn_vbinary_vopc)
