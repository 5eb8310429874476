// Parameter structs passed to microkernels. Plain C-compatible structs: kernels read them, never
// write them.
#pragma once

struct pnn_f32_minmax_params {
  float min;
  float max;
};

struct pnn_f32_unary_params {
  float min, max;  // clamp
  float slope;     // leaky relu
  float alpha;     // elu, hard sigmoid
  float beta;      // hard sigmoid
};
