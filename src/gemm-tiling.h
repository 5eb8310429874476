// Tile planning shared by the operators that run the GEMM microkernels over an M x N output
// (fully connected, batch matmul, 1x1 convolution).
//
// A parallel task covers `row_tile` rows (a multiple of MR) by `column_tile` columns (a multiple
// of NR) and calls the kernel once per MR rows, each call sweeping the task's columns. Tasks are
// ordered columns outer, rows inner, so a thread keeps one panel of packed weights (k x
// column_tile) in L2 while it walks the rows: without that, a weight matrix larger than L2
// (gemm 1024: 4 MB of packed B) is streamed from L3 once per MR rows.
#pragma once

#include <cstddef>
#include <cstdint>

#include "common.h"

namespace pnn {

// Aim for several tasks per thread so that unequal tasks (the last row or column tile is
// partial) still balance: with 8, the threads finish within about one task, an eighth of their
// share (4 per thread left gemm_1024's 2-thread run at 6 tasks against 5). Plan for at least two
// threads: a pool passed only at run time should not find a single task.
constexpr size_t kGemmTilesPerThread = 8;
constexpr size_t kGemmMinPlannedThreads = 2;
// A task below this many multiply-adds costs about as much to dispatch as to compute.
constexpr size_t kGemmMinTileMacs = 2048;
// Bytes of packed weights one task keeps hot: half of a 1 MB L2 (Zen 4/5; 1.25-2 MB on recent
// Intel cores), leaving room for the A rows and C tile. gemm 1024, 8x32 tile, one thread, best
// of 15: 260 GF/s with 96- or 128-column panels, 252-254 with 256, 249 sweeping all 1024 columns
// per row tile (and 166 in a run where a neighbour process competed for L3).
constexpr size_t kGemmPanelBytes = 512 * 1024;

// Rows of the next GEMM kernel call when `remaining` rows of a task are left: the rows split
// evenly over the fewest calls of at most mr rows (17 rows at MR 8: 6, 6, 5 rather than 8, 8, 1;
// 49 rows: seven calls of 7). A nearly empty tile wastes its call: a 1-row tile holds NR / N
// accumulator chains and runs at the FMA latency, not its throughput (pw_7, 49 rows of K = 1024,
// spent about a sixth of its time on its last row). The number of calls does not change, and a
// row's result does not depend on the tile that computes it (kernels/ukernels.h: the row tail
// tiles accumulate in the same order), so neither do the outputs, at any thread count.
inline size_t gemm_call_rows(size_t remaining, size_t mr) {
  return divide_round_up(remaining, divide_round_up(remaining, mr));
}

struct GemmTiles {
  size_t row_tile;     // multiple of mr, or all of m
  size_t column_tile;  // multiple of nr, or all of n
};

// batches: independent M x N problems run by the same parallel loop (batch matmul, groups).
// panel_bytes: the weight panel budget (SIZE_MAX: no panels, as for a single row, which reads
// every weight once anyway).
inline GemmTiles plan_gemm_tiles(size_t batches, size_t m, size_t n, size_t k, size_t mr, size_t nr,
                                 size_t threads, size_t panel_bytes = kGemmPanelBytes) {
  const size_t target = kGemmTilesPerThread * max_size(threads, kGemmMinPlannedThreads);
  const size_t blocks = divide_round_up(n, nr);
  const size_t row_tiles = divide_round_up(m, mr);
  // Columns: the widest panel within panel_bytes, then evened out over the panels.
  const size_t block_bytes_per_k = sizeof(float) * nr;
  const size_t panel_k = panel_bytes / block_bytes_per_k;  // k + 1 rows of one block that fit
  const size_t panel_blocks = k >= panel_k ? 1 : panel_k / (k + 1);
  size_t column_splits = divide_round_up(blocks, panel_blocks);
  // Rows: split until there are enough tasks, then columns further if rows run out.
  size_t tasks = batches * column_splits;
  size_t row_splits = 1;
  if (tasks < target) row_splits = min_size(row_tiles, divide_round_up(target, tasks));
  tasks *= row_splits;
  if (tasks < target) {
    column_splits = min_size(blocks, column_splits * divide_round_up(target, tasks));
  }
  size_t tile_blocks = divide_round_up(blocks, column_splits);
  size_t tile_rows = divide_round_up(row_tiles, row_splits);
  // Never below kGemmMinTileMacs per task (k capped so that the product cannot overflow: a
  // block with k above kGemmMinTileMacs is big enough on its own).
  const size_t block_macs = nr * min_size(k, kGemmMinTileMacs) * min_size(m, mr);
  while (tile_blocks * tile_rows * block_macs < kGemmMinTileMacs) {
    if (tile_blocks < blocks) {
      tile_blocks = min_size(blocks, tile_blocks * 2);
    } else if (tile_rows < row_tiles) {
      tile_rows = min_size(row_tiles, tile_rows * 2);
    } else {
      break;
    }
  }
  GemmTiles t;
  t.column_tile = tile_blocks >= blocks ? n : tile_blocks * nr;
  t.row_tile = tile_rows >= row_tiles ? m : tile_rows * mr;
  return t;
}

}  // namespace pnn
