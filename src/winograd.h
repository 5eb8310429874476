// Winograd F(2x2, 3x3) for 3x3 stride-1 convolutions (Lavin & Gray, "Fast Algorithms for
// Convolutional Neural Networks", 2015): an output tile of 2x2 pixels is computed from the 4x4
// input patch under it as
//   Y = A^T [ sum over input channels of (G g G^T) .* (B^T d B) ] A
// with g the 3x3 filter, d the 4x4 patch and .* an element-wise product over the 16 "points" of
// the transformed domain. Summed over the input channels, each point is one GEMM:
//   M[e] (tiles x GOC) = V[e] (tiles x GIC) * U[e] (GIC x GOC),  e = 0..15,
// which takes 16 * GIC * GOC multiply-adds per 4 output pixels instead of 36 * GIC * GOC: the
// convolution's multiply-adds drop 2.25x, and they run on the same GEMM microkernels (and
// packing) as every other convolution, so the level and tile choice stay the config's.
//
// Why F(2x2, 3x3) and not a larger tile: its transforms use only 0, +-1 and +-1/2, the input and
// output transforms are additions (exact up to one rounding per addition), and its error stays
// within a small factor of the direct sum's (the operators' tests hold it to the same tolerance
// as direct convolution: tests/reference/). F(4x4, 3x3) saves 4x but its transforms carry
// factors up to 8 and lose about two more decimal digits.
//
// Layouts (floats):
//   U (weights, packed at create): for e = 0..15, pack_gemm of U[e][oc][ic] for the config's NR,
//     no bias (the bias is added in the output transform);
//   V (input transform of a block of T tiles): [16][T][GIC], point-major, so each point's rows
//     are one GEMM's A with a_stride GIC;
//   M (GEMM results): [16][T][GOC], so each point's rows are one GEMM's C with cm_stride GOC.
// The input and output transforms are microkernels (kernels/f32-winograd.inc, one per level,
// chosen with the GEMM tile in GemmConfig): they walk the channels, contiguous in NHWC, one
// vector at a time. This file owns the weight transform, done once at create in double.
#pragma once

#include <cstddef>

namespace pnn {

constexpr size_t kWinogradPoints = 16;  // 4x4 transformed points per tile

// u[e][oc][ic] (e = 0..15) of kernel[oc][3][3][ic] (one group), computed in double and rounded
// once to float.
void winograd_transform_weights(size_t goc, size_t gic, const float* kernel, float* u);

}  // namespace pnn
