// Parallel loops over the thread pool. Operators use only these, so the web build can put its
// own pool behind them. A NULL pool runs the loop on the caller's thread.
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

}  // namespace pnn
