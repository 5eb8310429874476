// Thread pool of the WebAssembly builds, which have no pthreadpool. It implements the loops and
// the pool functions of parallel.h (the pnn_threadpool_* calls over them are
// src/threadpool-api.cc).
//
// Every parallel loop is cut into the same tiles whatever the thread count (the tiles the caller
// asked for, numbered row-major), and every tile is computed by exactly one thread, so results do
// not depend on the number of threads. Threads claim tile numbers from one atomic counter; the
// caller claims too, so a loop completes even if no worker ever joins it.
//
// Without -pthread (the scalar and SIMD builds) a pool is a token that reports one thread and
// every loop runs on the caller's thread.
#if defined(__EMSCRIPTEN__)

#include <atomic>
#include <cstdint>
#include <new>

#include "parallel.h"
#include "portnn.h"

#if defined(__EMSCRIPTEN_PTHREADS__)
#include <emscripten.h>
#include <emscripten/threading.h>
#include <pthread.h>

#include <condition_variable>
#include <mutex>
#endif

namespace {

// One parallel loop flattened into `tiles` numbered tiles; run(job, t) computes tile t.
struct Job {
  void (*run)(const Job& job, size_t t);
  union {
    pnn::Task1DTile t1;
    pnn::Task2DTile t2;
    pnn::Task3DTile2D t3;
  } task;
  void* ctx;
  size_t range_i, range_j;
  size_t tile_i, tile_j;
  size_t tiles_i, tiles_j;  // tiles per axis
  size_t tiles;             // total
};

size_t divide_round_up(size_t n, size_t d) { return n / d + (n % d != 0); }
size_t min_size(size_t a, size_t b) { return a < b ? a : b; }

// A loop over range_i x range_j in tiles of tile_i x tile_j (a tile of 0 counts as 1), without
// its task; no tiles when a range is 0. A 1-D loop is one row of tiles: range_i = tile_i = 1.
Job tiled_job(void (*run)(const Job& job, size_t t), void* ctx, size_t range_i, size_t range_j,
              size_t tile_i, size_t tile_j) {
  Job job{};
  job.run = run;
  job.ctx = ctx;
  job.range_i = range_i;
  job.range_j = range_j;
  job.tile_i = tile_i == 0 ? 1 : tile_i;
  job.tile_j = tile_j == 0 ? 1 : tile_j;
  job.tiles_i = divide_round_up(range_i, job.tile_i);
  job.tiles_j = divide_round_up(range_j, job.tile_j);
  job.tiles = job.tiles_i * job.tiles_j;
  return job;
}

void run_1d_tile(const Job& job, size_t t) {
  const size_t start = t * job.tile_j;
  job.task.t1(job.ctx, start, min_size(job.tile_j, job.range_j - start));
}

void run_2d_tile(const Job& job, size_t t) {
  const size_t i = t / job.tiles_j * job.tile_i;
  const size_t j = t % job.tiles_j * job.tile_j;
  job.task.t2(job.ctx, i, j, min_size(job.tile_i, job.range_i - i),
              min_size(job.tile_j, job.range_j - j));
}

void run_3d_tile_2d(const Job& job, size_t t) {
  const size_t per_b = job.tiles_i * job.tiles_j;
  const size_t b = t / per_b;
  const size_t rest = t % per_b;
  const size_t i = rest / job.tiles_j * job.tile_i;
  const size_t j = rest % job.tiles_j * job.tile_j;
  job.task.t3(job.ctx, b, i, j, min_size(job.tile_i, job.range_i - i),
              min_size(job.tile_j, job.range_j - j));
}

}  // namespace

#if defined(__EMSCRIPTEN_PTHREADS__)

// Workers of the JS runtime that have loaded the module and host no thread. Only these can start
// a thread while the main thread blocks: a fresh worker needs the main thread's event loop to
// finish loading, so a pool made on the main thread takes at most this many (the portnn loader
// preloads threads - 1 of them).
EM_JS(int, pnn_web_idle_loaded_workers, (), {
  var n = 0;
  for (var i = 0; i < PThread.unusedWorkers.length; i++) {
    if (PThread.unusedWorkers[i].loaded) n++;
  }
  return n;
});

struct pnn_threadpool {
  size_t threads = 1;  // the caller plus the workers
  size_t num_workers = 0;
  pthread_t* workers = nullptr;

  std::mutex run_mutex;  // one loop at a time on a pool, as with pthreadpool

  std::mutex mutex;
  std::condition_variable wake;  // a new generation, or stop
  std::condition_variable done;  // active dropped to 0
  uint64_t generation = 0;
  size_t registered = 0;  // workers that have started and wait for jobs
  size_t active = 0;      // workers that have not finished the current job
  bool stop = false;
  const Job* job = nullptr;
  std::atomic<size_t> next_tile{0};

  void work(const Job& j) {
    for (size_t t; (t = next_tile.fetch_add(1, std::memory_order_relaxed)) < j.tiles;) j.run(j, t);
  }
};

namespace {

void* worker_main(void* arg) {
  auto* pool = static_cast<pnn_threadpool*>(arg);
  std::unique_lock<std::mutex> lock(pool->mutex);
  pool->registered++;
  // A worker that starts while a job runs was not counted in it and skips it.
  uint64_t seen = pool->generation;
  for (;;) {
    pool->wake.wait(lock, [&] { return pool->stop || pool->generation != seen; });
    if (pool->stop) break;
    seen = pool->generation;
    const Job* job = pool->job;
    lock.unlock();
    pool->work(*job);
    lock.lock();
    if (--pool->active == 0) pool->done.notify_one();
  }
  return nullptr;
}

void run_job(pnn_threadpool_t pool, const Job& job) {
  if (pool == nullptr || pool->num_workers == 0 || job.tiles <= 1) {
    for (size_t t = 0; t < job.tiles; t++) job.run(job, t);
    return;
  }
  std::lock_guard<std::mutex> serial(pool->run_mutex);
  size_t participants;
  {
    std::lock_guard<std::mutex> lock(pool->mutex);
    pool->job = &job;
    pool->next_tile.store(0, std::memory_order_relaxed);
    participants = pool->registered;
    pool->active = participants;
    pool->generation++;
  }
  if (participants != 0) pool->wake.notify_all();
  pool->work(job);
  std::unique_lock<std::mutex> lock(pool->mutex);
  pool->done.wait(lock, [&] { return pool->active == 0; });
  pool->job = nullptr;
}

}  // namespace

namespace pnn {

void delete_threadpool(pnn_threadpool* pool) {
  {
    std::lock_guard<std::mutex> lock(pool->mutex);
    pool->stop = true;
  }
  pool->wake.notify_all();
  for (size_t i = 0; i < pool->num_workers; i++) pthread_join(pool->workers[i], nullptr);
  delete[] pool->workers;
  delete pool;
}

pnn_threadpool* new_threadpool(size_t threads) {
  if (threads == 0) {
    const int cores = emscripten_num_logical_cores();
    threads = cores > 0 ? static_cast<size_t>(cores) : 1;
  }
  size_t workers = threads - 1;
  if (emscripten_is_main_runtime_thread()) {
    const size_t idle = static_cast<size_t>(pnn_web_idle_loaded_workers());
    if (workers > idle) workers = idle;
  }
  pnn_threadpool* pool = new (std::nothrow) pnn_threadpool;
  if (pool == nullptr) return nullptr;
  if (workers != 0) {
    pool->workers = new (std::nothrow) pthread_t[workers];
    if (pool->workers == nullptr) {
      delete pool;
      return nullptr;
    }
  }
  for (size_t i = 0; i < workers; i++) {
    if (pthread_create(&pool->workers[i], nullptr, worker_main, pool) != 0) {
      pool->num_workers = i;
      delete_threadpool(pool);
      return nullptr;
    }
  }
  pool->num_workers = workers;
  pool->threads = workers + 1;
  return pool;
}

size_t threads_count(pnn_threadpool_t pool) { return pool != nullptr ? pool->threads : 1; }

}  // namespace pnn

#else  // !defined(__EMSCRIPTEN_PTHREADS__)

// A token: every loop runs on the caller's thread.
struct pnn_threadpool {
  char unused;
};

namespace {
void run_job(pnn_threadpool_t, const Job& job) {
  for (size_t t = 0; t < job.tiles; t++) job.run(job, t);
}
}  // namespace

namespace pnn {
pnn_threadpool* new_threadpool(size_t) { return new (std::nothrow) pnn_threadpool; }
void delete_threadpool(pnn_threadpool* pool) { delete pool; }
size_t threads_count(pnn_threadpool_t) { return 1; }
}  // namespace pnn

#endif  // defined(__EMSCRIPTEN_PTHREADS__)

namespace pnn {

void parallelize_1d_tile(pnn_threadpool_t pool, Task1DTile task, void* ctx, size_t range,
                         size_t tile) {
  Job job = tiled_job(run_1d_tile, ctx, 1, range, 1, tile);
  job.task.t1 = task;
  run_job(pool, job);
}

void parallelize_2d_tile(pnn_threadpool_t pool, Task2DTile task, void* ctx, size_t range_i,
                         size_t range_j, size_t tile_i, size_t tile_j) {
  Job job = tiled_job(run_2d_tile, ctx, range_i, range_j, tile_i, tile_j);
  job.task.t2 = task;
  run_job(pool, job);
}

void parallelize_3d_tile_2d(pnn_threadpool_t pool, Task3DTile2D task, void* ctx, size_t range_b,
                            size_t range_i, size_t range_j, size_t tile_i, size_t tile_j) {
  Job job = tiled_job(run_3d_tile_2d, ctx, range_i, range_j, tile_i, tile_j);
  job.task.t3 = task;
  job.tiles *= range_b;  // range_b planes of tiles_i x tiles_j
  run_job(pool, job);
}

}  // namespace pnn

#endif  // defined(__EMSCRIPTEN__)
