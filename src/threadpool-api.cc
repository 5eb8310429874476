// The public pnn_threadpool_* calls, over whichever pool the build has (parallel.h:
// new_threadpool, delete_threadpool, threads_count): pthreadpool natively (src/threadpool.cc),
// the project's own pool in WebAssembly (src/threadpool-web.cc). The argument rules and their
// reasons are written once here; a pool only creates, counts and destroys threads.
#include "error.h"
#include "parallel.h"
#include "portnn.h"

extern "C" {

pnn_status pnn_threadpool_create(size_t threads, pnn_threadpool_t* pool_out) {
  PNN_API_SCOPE();
  if (pool_out == nullptr) return pnn::fail(pnn_status_invalid_parameter, "pool_out is NULL");
  if (threads > PNN_MAX_THREADS) {
    return pnn::fail(pnn_status_invalid_parameter, "threads is %zu; at most %d (PNN_MAX_THREADS)",
                     threads, PNN_MAX_THREADS);
  }
  pnn_threadpool* pool = pnn::new_threadpool(threads);
  if (pool == nullptr) {
    return pnn::fail(pnn_status_out_of_memory, "could not allocate the pool or start its threads");
  }
  *pool_out = pool;
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
  if (pool != nullptr) pnn::delete_threadpool(pool);
  return pnn_status_success;
}

}  // extern "C"
