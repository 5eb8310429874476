// Native thread pool: a thin wrapper over pthreadpool. The WebAssembly builds have no pthreadpool
// and use their own pool instead (src/threadpool-web.cc).
#if !defined(__EMSCRIPTEN__)

#include <pthreadpool.h>

#include <new>

#include "error.h"
#include "parallel.h"
#include "portnn.h"

struct pnn_threadpool {
  pthreadpool_t pool;
};

extern "C" {

pnn_status pnn_threadpool_create(size_t threads, pnn_threadpool_t* pool_out) {
  PNN_API_SCOPE();
  if (pool_out == nullptr) return pnn::fail(pnn_status_invalid_parameter, "pool_out is NULL");
  if (threads > PNN_MAX_THREADS) {
    return pnn::fail(pnn_status_invalid_parameter, "threads is %zu; at most %d (PNN_MAX_THREADS)",
                     threads, PNN_MAX_THREADS);
  }
  pnn_threadpool* p = new (std::nothrow) pnn_threadpool;
  if (p == nullptr)
    return pnn::fail(pnn_status_out_of_memory, "could not allocate the pool or start its threads");
  p->pool = pthreadpool_create(threads);
  if (p->pool == nullptr) {
    delete p;
    return pnn::fail(pnn_status_out_of_memory, "could not allocate the pool or start its threads");
  }
  *pool_out = p;
  return pnn_status_success;
}

pnn_status pnn_threadpool_threads_count(pnn_threadpool_t pool, size_t* threads_out) {
  PNN_API_SCOPE();
  if (threads_out == nullptr) return pnn::fail(pnn_status_invalid_parameter, "threads_out is NULL");
  *threads_out = pnn::threads_count(pool);
  return pnn_status_success;
}

pnn_status pnn_threadpool_destroy(pnn_threadpool_t pool) {
  PNN_API_SCOPE();
  if (pool != nullptr) {
    pthreadpool_destroy(pool->pool);
    delete pool;
  }
  return pnn_status_success;
}

}  // extern "C"

namespace pnn {

static pthreadpool_t raw(pnn_threadpool_t pool) { return pool != nullptr ? pool->pool : nullptr; }

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
