// Native thread pool: a thin wrapper over pthreadpool (the public calls are in
// src/threadpool-api.cc). The WebAssembly builds have no pthreadpool and use their own pool
// instead (src/threadpool-web.cc).
#if !defined(__EMSCRIPTEN__)

#include <pthreadpool.h>

#include <new>

#include "parallel.h"
#include "portnn.h"

struct pnn_threadpool {
  pthreadpool_t pool;
};

namespace pnn {

static pthreadpool_t raw(pnn_threadpool_t pool) { return pool != nullptr ? pool->pool : nullptr; }

pnn_threadpool* new_threadpool(size_t threads) {
  pnn_threadpool* p = new (std::nothrow) pnn_threadpool;
  if (p == nullptr) return nullptr;
  p->pool = pthreadpool_create(threads);
  if (p->pool == nullptr) {
    delete p;
    return nullptr;
  }
  return p;
}

void delete_threadpool(pnn_threadpool* pool) {
  pthreadpool_destroy(pool->pool);
  delete pool;
}

size_t threads_count(pnn_threadpool_t pool) {
  return pool != nullptr ? pthreadpool_get_threads_count(pool->pool) : 1;
}

void parallelize_1d_tile(pnn_threadpool_t pool, Task1DTile task, void* ctx, size_t range,
                         size_t tile) {
  pthreadpool_parallelize_1d_tile_1d(raw(pool), task, ctx, range, tile, 0);
}

void parallelize_2d_tile(pnn_threadpool_t pool, Task2DTile task, void* ctx, size_t range_i,
                         size_t range_j, size_t tile_i, size_t tile_j) {
  pthreadpool_parallelize_2d_tile_2d(raw(pool), task, ctx, range_i, range_j, tile_i, tile_j, 0);
}

void parallelize_3d_tile_2d(pnn_threadpool_t pool, Task3DTile2D task, void* ctx, size_t range_b,
                            size_t range_i, size_t range_j, size_t tile_i, size_t tile_j) {
  pthreadpool_parallelize_3d_tile_2d(raw(pool), task, ctx, range_b, range_i, range_j, tile_i,
                                     tile_j, 0);
}

}  // namespace pnn

#endif  // !defined(__EMSCRIPTEN__)
