// GEMM and IGEMM microkernels as templates over a vector wrapper W (kernels/simd/vec-*.h) and
// the register tile MR x NR (NR a multiple of W::N). Contracts: kernels/ukernels.h.
//
// Two ways to feed A into the tile, both accumulating in one order (acc = bias, then
// acc += a[k] * w[k] for k = 0, 1, ...), so with a mul-add wrapper the results are bit-identical
// to the scalar kernels (kernels/scalar/scalar.cc: this template over vec-scalar.h):
//  - loadsplat: one broadcast load of a[i][k] per row and k (load-splat instructions are cheap
//    where the ISA has them: WebAssembly on ARM hosts, NEON ld1r, AVX broadcast);
//  - splat: one vector load of N consecutive a[i][k..k+N) per row, then a lane broadcast per k
//    (fewer loads; the better choice where a broadcast load costs a load plus a shuffle, as
//    WebAssembly on x86 hosts without AVX2). k % N tail steps fall back to loadsplat.
//
// Rows past mr alias row mr-1 (for both A and C): they compute and store the same values as
// that row, so the inner loop never branches on mr.
#pragma once

#include <cstddef>

#include "params.h"
#include "simd/common-template.h"

namespace pnn {
namespace simd {

enum class GemmLoad { kLoadSplat, kSplat };

template <class W, size_t MR, size_t NR>
struct GemmTile {
  using V = typename W::V;
  static constexpr size_t N = W::N;
  static constexpr size_t NV = NR / N;
  static_assert(NR % W::N == 0, "NR must be a multiple of the vector width");

  V acc[MR][NV];

  // acc[i] = the NR biases at w, for every row.
  PNN_SIMD_INLINE void init(const float* w) {
    static_for<NV>([&](auto j) PNN_SIMD_LAMBDA_INLINE { acc[0][j] = W::load(w + j * N); });
    static_for<MR - 1>([&](auto i) PNN_SIMD_LAMBDA_INLINE {
      static_for<NV>([&](auto j) PNN_SIMD_LAMBDA_INLINE { acc[i + 1][j] = acc[0][j]; });
    });
  }

  // acc[i] += a[i][k] * w[0, NR) for one k, with a[i][k] = *arow[i] (broadcast loads).
  PNN_SIMD_INLINE void step_loadsplat(const float* const* arow, size_t k, const float* w) {
    V wv[NV];
    static_for<NV>([&](auto j) PNN_SIMD_LAMBDA_INLINE { wv[j] = W::load(w + j * N); });
    static_for<MR>([&](auto i) PNN_SIMD_LAMBDA_INLINE {
      const V av = W::load_splat(arow[i] + k);
      static_for<NV>([&](auto j)
                         PNN_SIMD_LAMBDA_INLINE { acc[i][j] = W::muladd(av, wv[j], acc[i][j]); });
    });
  }

  // N consecutive k from vector loads of A; w advances by N * NR.
  PNN_SIMD_INLINE void step_splat(const float* const* arow, size_t k, const float* w) {
    V av[MR];
    static_for<MR>([&](auto i) PNN_SIMD_LAMBDA_INLINE { av[i] = W::loadu(arow[i] + k); });
    static_for<N>([&](auto l) PNN_SIMD_LAMBDA_INLINE {
      V wv[NV];
      static_for<NV>([&](auto j) PNN_SIMD_LAMBDA_INLINE { wv[j] = W::load(w + l * NR + j * N); });
      static_for<MR>([&](auto i) PNN_SIMD_LAMBDA_INLINE {
        const V as = W::template dup_lane<static_cast<int>(decltype(l)::value)>(av[i]);
        static_for<NV>([&](auto j)
                           PNN_SIMD_LAMBDA_INLINE { acc[i][j] = W::muladd(as, wv[j], acc[i][j]); });
      });
    });
  }

  // Walks kc values of k over rows arow; returns w advanced past kc groups of NR weights.
  template <GemmLoad LOAD>
  PNN_SIMD_INLINE const float* accumulate(const float* const* arow, size_t kc, const float* w) {
    size_t k = 0;
    if constexpr (LOAD == GemmLoad::kSplat && N > 1) {
      for (; k + N <= kc; k += N) {
        step_splat(arow, k, w);
        w += N * NR;
      }
    }
    for (; k < kc; k++) {
      step_loadsplat(arow, k, w);
      w += NR;
    }
    return w;
  }

  // Clamps and stores the first nc (<= NR) columns of every row, then advances the rows.
  PNN_SIMD_INLINE void store(float** crow, size_t nc, size_t cn_stride, V vmin, V vmax) {
    static_for<MR>([&](auto i) PNN_SIMD_LAMBDA_INLINE {
      static_for<NV>([&](auto j) PNN_SIMD_LAMBDA_INLINE {
        acc[i][j] = W::min(W::max(acc[i][j], vmin), vmax);
      });
    });
    if (nc >= NR) {
      static_for<MR>([&](auto i) PNN_SIMD_LAMBDA_INLINE {
        static_for<NV>([&](auto j)
                           PNN_SIMD_LAMBDA_INLINE { W::storeu(crow[i] + j * N, acc[i][j]); });
        crow[i] += cn_stride;
      });
    } else {
      static_for<MR>([&](auto i) PNN_SIMD_LAMBDA_INLINE {
        static_for<NV>([&](auto j) PNN_SIMD_LAMBDA_INLINE {
          store_tail<W>(crow[i] + j * N, acc[i][j],
                        static_cast<ptrdiff_t>(nc) - static_cast<ptrdiff_t>(j * N));
        });
      });
    }
  }
};

template <class W, size_t MR, size_t NR, GemmLoad LOAD>
void gemm(size_t mr, size_t nc, size_t kc, const float* a, size_t a_stride, const float* w,
          float* c, size_t cm_stride, size_t cn_stride, const pnn_f32_minmax_params* params) {
  const float* arow[MR];
  float* crow[MR];
  for (size_t i = 0; i < MR; i++) {
    const size_t r = i < mr ? i : mr - 1;
    arow[i] = a + r * a_stride;
    crow[i] = c + r * cm_stride;
  }
  const typename W::V vmin = W::splat(params->min);
  const typename W::V vmax = W::splat(params->max);
  while (nc != 0) {
    GemmTile<W, MR, NR> tile;
    tile.init(w);
    w = tile.template accumulate<LOAD>(arow, kc, w + NR);
    const size_t nb = nc < NR ? nc : NR;
    tile.store(crow, nb, cn_stride, vmin, vmax);
    nc -= nb;
  }
}

// One row of A (mr == 1) against BLOCKS packed NR-column blocks at a time. A 1 x NR tile holds
// only NR / N accumulators, each a chain of dependent adds over k, so it runs at the engine's add
// latency, not at its throughput (a batch-1 fully connected layer then takes as long as four
// rows). Interleaving BLOCKS blocks gives BLOCKS * NR / N independent chains while every column
// still accumulates bias, then k = 0, 1, ... in order: the results equal those of the MR x NR
// kernels bit for bit. The last nc % (BLOCKS * NR) columns go one block at a time.
template <class W, size_t NR, size_t BLOCKS, GemmLoad LOAD>
void gemm_1row(size_t mr, size_t nc, size_t kc, const float* a, size_t a_stride, const float* w,
               float* c, size_t cm_stride, size_t cn_stride, const pnn_f32_minmax_params* params) {
  using V = typename W::V;
  constexpr size_t N = W::N;
  constexpr size_t NV = NR / N;
  static_assert(NR % W::N == 0, "NR must be a multiple of the vector width");
  (void)mr;
  (void)a_stride;
  (void)cm_stride;
  const V vmin = W::splat(params->min);
  const V vmax = W::splat(params->max);
  const size_t block = NR * (1 + kc);  // floats of one packed block: NR biases, kc groups of NR
  for (; nc >= BLOCKS * NR; nc -= BLOCKS * NR) {
    V acc[BLOCKS][NV];
    const float* wb[BLOCKS];
    static_for<BLOCKS>([&](auto b) PNN_SIMD_LAMBDA_INLINE {
      wb[b] = w + b * block;
      static_for<NV>([&](auto j) PNN_SIMD_LAMBDA_INLINE { acc[b][j] = W::load(wb[b] + j * N); });
      wb[b] += NR;
    });
    size_t k = 0;
    if constexpr (LOAD == GemmLoad::kSplat && N > 1) {
      for (; k + N <= kc; k += N) {
        const V av = W::loadu(a + k);
        static_for<N>([&](auto l) PNN_SIMD_LAMBDA_INLINE {
          const V as = W::template dup_lane<static_cast<int>(decltype(l)::value)>(av);
          static_for<BLOCKS>([&](auto b) PNN_SIMD_LAMBDA_INLINE {
            static_for<NV>([&](auto j) PNN_SIMD_LAMBDA_INLINE {
              acc[b][j] = W::muladd(as, W::load(wb[b] + l * NR + j * N), acc[b][j]);
            });
          });
        });
        static_for<BLOCKS>([&](auto b) PNN_SIMD_LAMBDA_INLINE { wb[b] += N * NR; });
      }
    }
    for (; k < kc; k++) {
      const V as = W::load_splat(a + k);
      static_for<BLOCKS>([&](auto b) PNN_SIMD_LAMBDA_INLINE {
        static_for<NV>([&](auto j) PNN_SIMD_LAMBDA_INLINE {
          acc[b][j] = W::muladd(as, W::load(wb[b] + j * N), acc[b][j]);
        });
        wb[b] += NR;
      });
    }
    static_for<BLOCKS>([&](auto b) PNN_SIMD_LAMBDA_INLINE {
      static_for<NV>([&](auto j) PNN_SIMD_LAMBDA_INLINE {
        W::storeu(c + j * N, W::min(W::max(acc[b][j], vmin), vmax));
      });
      c += cn_stride;
    });
    w += BLOCKS * block;
  }
  while (nc != 0) {
    GemmTile<W, 1, NR> tile;
    tile.init(w);
    const float* arow[1] = {a};
    w = tile.template accumulate<LOAD>(arow, kc, w + NR);
    const size_t nb = nc < NR ? nc : NR;
    float* crow[1] = {c};
    tile.store(crow, nb, cn_stride, vmin, vmax);
    c = crow[0];
    nc -= nb;
  }
}

// FULL: mr == MR, so every row reads its own pointer; otherwise rows past mr read row mr - 1's
// (the indirection holds MR valid pointers per tap either way, but only rows < mr are promised
// to be the caller's). Full tiles, nearly all of a convolution's, so skip a select per row and
// tap, which matters when the per-tap k loop is short (3-channel stems).
// STRIDE: pointers per tap in the indirection buffer, MR unless a smaller tile serves the last
// rows of a kernel with a taller one (igemm_rows).
template <class W, size_t MR, size_t NR, GemmLoad LOAD, bool FULL, size_t STRIDE = MR>
PNN_SIMD_INLINE void igemm_tiles(size_t mr, size_t nc, size_t kc, size_t ks, const float** a,
                                 const float* w, float* c, size_t cm_stride, size_t cn_stride,
                                 size_t a_offset, const float* zero,
                                 const pnn_f32_minmax_params* params) {
  float* crow[MR];
  for (size_t i = 0; i < MR; i++) crow[i] = c + (FULL || i < mr ? i : mr - 1) * cm_stride;
  const typename W::V vmin = W::splat(params->min);
  const typename W::V vmax = W::splat(params->max);
  while (nc != 0) {
    GemmTile<W, MR, NR> tile;
    tile.init(w);
    w += NR;
    const float** ap = a;
    for (size_t p = 0; p < ks; p++) {
      const float* arow[MR];
      static_for<MR>([&](auto i) PNN_SIMD_LAMBDA_INLINE {
        const float* r = ap[FULL || i < mr ? size_t{i} : mr - 1];
        arow[i] = r == zero ? r : r + a_offset;
      });
      ap += STRIDE;
      w = tile.template accumulate<LOAD>(arow, kc, w);
    }
    const size_t nb = nc < NR ? nc : NR;
    tile.store(crow, nb, cn_stride, vmin, vmax);
    nc -= nb;
  }
}

template <class W, size_t MR, size_t NR, GemmLoad LOAD>
void igemm(size_t mr, size_t nc, size_t kc, size_t ks, const float** a, const float* w, float* c,
           size_t cm_stride, size_t cn_stride, size_t a_offset, const float* zero,
           const pnn_f32_minmax_params* params) {
  if (mr == MR) {
    igemm_tiles<W, MR, NR, LOAD, true>(mr, nc, kc, ks, a, w, c, cm_stride, cn_stride, a_offset,
                                       zero, params);
  } else {
    igemm_tiles<W, MR, NR, LOAD, false>(mr, nc, kc, ks, a, w, c, cm_stride, cn_stride, a_offset,
                                        zero, params);
  }
}

// IGEMM over an indirection buffer of MR pointers per tap that runs m < MR rows with the
// smallest tile holding them (R = m) instead of MR aliased rows: a short last pixel tile then
// costs what its rows need. Results equal igemm<W, MR, NR, LOAD>'s bit for bit (every row
// accumulates in the same order whatever the tile).
template <class W, size_t MR, size_t NR, GemmLoad LOAD, size_t R = MR>
void igemm_rows(size_t mr, size_t nc, size_t kc, size_t ks, const float** a, const float* w,
                float* c, size_t cm_stride, size_t cn_stride, size_t a_offset, const float* zero,
                const pnn_f32_minmax_params* params) {
  if constexpr (R > 1) {
    if (mr < R) {
      igemm_rows<W, MR, NR, LOAD, R - 1>(mr, nc, kc, ks, a, w, c, cm_stride, cn_stride, a_offset,
                                         zero, params);
      return;
    }
  }
  igemm_tiles<W, R, NR, LOAD, true, MR>(R, nc, kc, ks, a, w, c, cm_stride, cn_stride, a_offset,
                                        zero, params);
}

// GEMM over m <= MR rows with the smallest tile that holds them, the GEMM twin of igemm_rows: the
// MR x NR tile computes all MR rows whatever m (rows past m alias row m - 1), which would cost a
// full tile for the last rows of an M that is not a multiple of MR (pw_7: 49 rows). Results equal
// gemm<W, MR, NR, LOAD>'s bit for bit (every row accumulates in the same order whatever the tile).
template <class W, size_t MR, size_t NR, GemmLoad LOAD>
void gemm_rows(size_t m, size_t nc, size_t kc, const float* a, size_t a_stride, const float* w,
               float* c, size_t cm_stride, size_t cn_stride, const pnn_f32_minmax_params* params) {
  if constexpr (MR > 1) {
    if (m < MR) {
      gemm_rows<W, MR - 1, NR, LOAD>(m, nc, kc, a, a_stride, w, c, cm_stride, cn_stride, params);
      return;
    }
  }
  gemm<W, MR, NR, LOAD>(m, nc, kc, a, a_stride, w, c, cm_stride, cn_stride, params);
}

}  // namespace simd
}  // namespace pnn
