// Parallel loops over the thread pool. Operators use only these, so the web build can put its
// own pool behind them. A NULL pool runs the loop on the caller's thread. Each pool implements
// the loops, threads_count, new_threadpool and delete_threadpool.
#pragma once

#include <cstddef>

#include "portnn.h"

namespace pnn {

// for (i = 0; i < range; i += tile) task(ctx, i, min(tile, range - i));
using Task1DTile = void (*)(void* ctx, size_t start, size_t count);
void parallelize_1d_tile(pnn_threadpool_t pool, Task1DTile task, void* ctx, size_t range,
                         size_t tile);

// for i, j tiles: task(ctx, i, j, count_i, count_j)
using Task2DTile = void (*)(void* ctx, size_t i, size_t j, size_t count_i, size_t count_j);
void parallelize_2d_tile(pnn_threadpool_t pool, Task2DTile task, void* ctx, size_t range_i,
                         size_t range_j, size_t tile_i, size_t tile_j);

// for b, then i, j tiles: task(ctx, b, i, j, count_i, count_j)
using Task3DTile2D = void (*)(void* ctx, size_t b, size_t i, size_t j, size_t count_i,
                              size_t count_j);
void parallelize_3d_tile_2d(pnn_threadpool_t pool, Task3DTile2D task, void* ctx, size_t range_b,
                            size_t range_i, size_t range_j, size_t tile_i, size_t tile_j);

// Threads of a pool (1 for NULL).
size_t threads_count(pnn_threadpool_t pool);

// The pool behind pnn_threadpool_create / _destroy (src/threadpool-api.cc), one per build:
// `threads` threads counting the caller (0: one per logical core), or NULL when the pool could
// not be allocated or its threads not started.
pnn_threadpool* new_threadpool(size_t threads);
void delete_threadpool(pnn_threadpool* pool);  // not NULL

// Tiles of an elementwise loop over rows of `row_length` elements, for parallelize_2d_tile:
// about `task_elements` per tile. Long rows are cut into near-equal tiles (so a single long row
// still feeds every thread), rounded up to `align` elements so that tiles start on cache lines;
// short rows are grouped whole.
struct RowTiles {
  size_t rows, cols;
};
inline RowTiles plan_row_tiles(size_t row_length, size_t task_elements, size_t align) {
  const size_t pieces = (row_length + task_elements - 1) / task_elements;  // per row
  if (pieces <= 1) {
    const size_t rows = task_elements / row_length;
    return {rows > 1 ? rows : 1, row_length};
  }
  const size_t piece = (row_length + pieces - 1) / pieces;
  const size_t aligned = (piece + align - 1) / align * align;
  return {1, aligned < row_length ? aligned : row_length};
}

}  // namespace pnn
