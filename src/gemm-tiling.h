// Column-tile planning shared by the operators that run the GEMM microkernels over an M x N
// output (fully connected, batch matmul).
#pragma once

#include <cstddef>

#include "common.h"

namespace pnn {

// Aim for a few tiles per thread so that unequal tiles (the last row or column tile is partial)
// still balance, and plan for at least two threads: a pool passed only at run time should not
// find a single tile.
constexpr size_t kGemmTilesPerThread = 4;
constexpr size_t kGemmMinPlannedThreads = 2;
// A tile below this many multiply-adds costs about as much to dispatch as to compute.
constexpr size_t kGemmMinTileMacs = 2048;

// Columns per parallel tile: a multiple of nr (so a tile starts on a packed block), or all of n.
inline size_t plan_gemm_column_tile(size_t row_tiles, size_t rows_per_tile, size_t n, size_t k,
                                    size_t nr, size_t threads) {
  const size_t target_tiles = kGemmTilesPerThread * max_size(threads, kGemmMinPlannedThreads);
  if (row_tiles >= target_tiles) return n;
  const size_t blocks = divide_round_up(n, nr);
  size_t tile_blocks = divide_round_up(blocks, divide_round_up(target_tiles, row_tiles));
  // Work of one nr-column block; k is capped so the product cannot overflow (a block with k
  // above kGemmMinTileMacs is big enough on its own).
  const size_t block_macs = nr * min_size(k, kGemmMinTileMacs) * rows_per_tile;
  tile_blocks = max_size(tile_blocks, divide_round_up(kGemmMinTileMacs, block_macs));
  return tile_blocks >= blocks ? n : tile_blocks * nr;
}

}  // namespace pnn
