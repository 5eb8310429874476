// Per-family kernel selection. Each getter builds its table once (thread-safe function-local
// static) from the family's registry: the first entry whose ISA level is usable wins, so the
// registries list the best kernels first.
#pragma once

#include <cstddef>

#include "portnn.h"
#include "ukernels.h"

namespace pnn {

struct GemmConfig {
  pnn_f32_gemm_ukernel_fn gemm;
  pnn_f32_igemm_ukernel_fn igemm;
  size_t mr, nr;
  const char* gemm_name;
  const char* igemm_name;
  // For a single row of A (a batch-1 fully connected layer): the first usable registry line with
  // MR == 1 and this config's NR (same weight packing), else `gemm` itself. Its results equal
  // gemm's bit for bit (the registry's one-row kernels keep the accumulation order).
  pnn_f32_gemm_ukernel_fn gemm1;
  const char* gemm1_name;
  // Winograd F(2x2, 3x3) transforms (kernels/f32-winograd.inc), the first usable pair: the
  // convolution's 3x3 stride-1 path runs them around `gemm` (src/winograd.h).
  pnn_f32_winograd_input_ukernel_fn winograd_input;
  pnn_f32_winograd_output_ukernel_fn winograd_output;
  const char* winograd_input_name;
};
const GemmConfig* get_gemm_config();

struct UnaryConfig {
  pnn_f32_vunary_ukernel_fn fn;  // NULL when no kernel is registered for the op
  size_t tile;
  const char* name;
};
// Unary kernel slots: the public ops, plus GELU's tanh approximation in a slot of its own.
constexpr int kUnaryLastOp = pnn_unary_softplus;  // the last public op
constexpr int kUnaryGeluTanh = kUnaryLastOp + 1;
constexpr int kUnarySlots = kUnaryGeluTanh + 1;
// NULL for a slot outside [0, kUnarySlots).
const UnaryConfig* get_unary_config(int slot);

// Selects every family's kernels now (called from pnn_initialize so runs never pay for it).
void init_configs();

}  // namespace pnn
