// What every kernel tester under tests/kernels/ shares: buffers sized exactly with guard regions,
// a call wrapper that turns a guard-page fault into a test failure, and the plumbing that makes
// each registry line its own gtest case.
//
// Guards. A kernel may touch exactly the elements its contract names (kernels/README.md), so the
// testers size every caller buffer exactly, with no slack. Natively (mmap available) each buffer
// ends right before an inaccessible page: a read or write one float past the end faults.
// RunGuarded() catches that fault (SIGSEGV / SIGBUS, restored afterwards) and the case fails with
// "out-of-bounds access" instead of the whole binary dying, so a broken kernel fails only its own
// case. The floats before the start are canaries (a NaN sentinel) checked after the call. Where
// there is no mmap/mprotect (WebAssembly: Emscripten's linear memory has no page protection), a
// canary region follows the buffer too: writes past the end are still caught, reads are caught
// only when the value read reaches the output (the canary is NaN).
//
// One case per registry line. Each family's tester header turns its registry (kernels/*.inc)
// into an array of entries {arch, kernel, name, tile…}; its -test.cc instantiates a
// value-parameterized test over them (PNN_REGISTRY_TEST), named after the kernel, so
// `--gtest_filter='*8x32__avx512f*'` runs one line. A line this CPU cannot run is skipped with
// "skipping <kernel>: <reason>" (scripts/test-wasm-kernels.sh greps that line).
#pragma once

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <ostream>
#include <string>
#include <type_traits>

#include "hardware-config.h"
#include "test-utils.h"

#if !defined(__EMSCRIPTEN__) && (defined(__unix__) || defined(__APPLE__))
#define PNN_TEST_GUARD_PAGES 1
#include <setjmp.h>
#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>
#else
#define PNN_TEST_GUARD_PAGES 0
#endif

namespace pnn_test {

// `n` floats (n may be 0) preceded by kCanary sentinel floats and, natively, followed by an
// inaccessible page; elsewhere by kCanary sentinels. Every float starts as the sentinel.
class ExactBuffer {
 public:
  static constexpr size_t kCanary = 16;

  explicit ExactBuffer(size_t n) : n_(n) {
#if PNN_TEST_GUARD_PAGES
    const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
    const size_t body = (n + kCanary) * sizeof(float);
    const Mapping m = TakeMapping(body, page);
    if (m.map == nullptr) return;
    map_ = m.map;
    bytes_ = m.bytes;
    data_ = reinterpret_cast<float*>(map_ + bytes_ - page) - n;
    first_ = data_ - kCanary;
    count_ = kCanary + n;
#else
    map_ = reinterpret_cast<char*>(new float[2 * kCanary + n]);
    first_ = reinterpret_cast<float*>(map_);
    data_ = first_ + kCanary;
    count_ = 2 * kCanary + n;
#endif
    for (size_t i = 0; i < count_; i++) first_[i] = GuardedBuffer::Sentinel();
  }
  ~ExactBuffer() {
#if PNN_TEST_GUARD_PAGES
    if (map_ != nullptr) GiveMapping(Mapping{map_, bytes_});
#else
    delete[] reinterpret_cast<float*>(map_);
#endif
  }
  ExactBuffer(const ExactBuffer&) = delete;
  ExactBuffer& operator=(const ExactBuffer&) = delete;

  bool ok() const { return data_ != nullptr; }
  float* data() { return data_; }
  const float* data() const { return data_; }
  size_t size() const { return n_; }
  float& operator[](size_t i) { return data_[i]; }
  const float& operator[](size_t i) const { return data_[i]; }
  void assign(const float* values) {
    for (size_t i = 0; i < n_; i++) data_[i] = values[i];
  }
  void fill(float v) {
    for (size_t i = 0; i < n_; i++) data_[i] = v;
  }

  // True when no canary changed (the ones before the start, and after the end where there is
  // no guard page).
  bool CheckGuards() const {
    for (size_t i = 0; i < count_; i++) {
      const bool inside = first_ + i >= data_ && first_ + i < data_ + n_;
      if (!inside && !GuardedBuffer::IsSentinel(first_[i])) return false;
    }
    return true;
  }
  // True when every float, the buffer's own included, still holds the sentinel.
  bool Untouched() const {
    for (size_t i = 0; i < count_; i++)
      if (!GuardedBuffer::IsSentinel(first_[i])) return false;
    return true;
  }

 private:
#if PNN_TEST_GUARD_PAGES
  // Mappings whose last page is PROT_NONE. Freed ones are kept (a few, per thread) for the next
  // buffer that fits: the testers create hundreds of thousands of buffers, and an mmap, mprotect
  // and munmap each would cost more than the kernels they test.
  struct Mapping {
    char* map;
    size_t bytes;
  };
  static constexpr size_t kKeptMappings = 16;
  struct Cache {
    Mapping kept[kKeptMappings];
    size_t count = 0;
    ~Cache() {
      for (size_t i = 0; i < count; i++) munmap(kept[i].map, kept[i].bytes);
    }
  };
  static Cache& cache() {
    thread_local Cache c;
    return c;
  }
  static Mapping TakeMapping(size_t body, size_t page) {
    Cache& c = cache();
    for (size_t i = 0; i < c.count; i++) {
      if (c.kept[i].bytes - page >= body) {
        const Mapping m = c.kept[i];
        c.kept[i] = c.kept[--c.count];
        return m;
      }
    }
    const size_t bytes = (body + page - 1) / page * page + page;
    void* m = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED) return Mapping{nullptr, 0};
    char* map = static_cast<char*>(m);
    if (mprotect(map + bytes - page, page, PROT_NONE) != 0) {
      munmap(map, bytes);
      return Mapping{nullptr, 0};
    }
    return Mapping{map, bytes};
  }
  static void GiveMapping(Mapping m) {
    Cache& c = cache();
    if (c.count == kKeptMappings) {
      // Replace the smallest kept one if this one is larger, so large buffers stay cached.
      size_t smallest = 0;
      for (size_t i = 1; i < c.count; i++)
        if (c.kept[i].bytes < c.kept[smallest].bytes) smallest = i;
      if (c.kept[smallest].bytes >= m.bytes) {
        munmap(m.map, m.bytes);
        return;
      }
      munmap(c.kept[smallest].map, c.kept[smallest].bytes);
      c.kept[smallest] = m;
      return;
    }
    c.kept[c.count++] = m;
  }
#endif

  size_t n_;
  char* map_ = nullptr;
  size_t bytes_ = 0;
  float* data_ = nullptr;
  float* first_ = nullptr;  // first canary
  size_t count_ = 0;        // canaries + data
};

#if PNN_TEST_GUARD_PAGES
namespace guard_detail {
inline sigjmp_buf& Jump() {
  static sigjmp_buf jump;
  return jump;
}
inline void OnFault(int) { siglongjmp(Jump(), 1); }
}  // namespace guard_detail
#endif

// Runs `call` (a kernel call on ExactBuffers). Returns false, after restoring the previous
// handlers, when it touched a guard page. Not reentrant; the testers call kernels on one thread.
template <typename Call>
bool RunGuarded(Call&& call) {
#if PNN_TEST_GUARD_PAGES
  struct sigaction action = {}, old_segv, old_bus;
  action.sa_handler = guard_detail::OnFault;
  sigemptyset(&action.sa_mask);
  sigaction(SIGSEGV, &action, &old_segv);
  sigaction(SIGBUS, &action, &old_bus);
  const bool ok = sigsetjmp(guard_detail::Jump(), 1) == 0;
  if (ok) call();
  sigaction(SIGSEGV, &old_segv, nullptr);
  sigaction(SIGBUS, &old_bus, nullptr);
  return ok;
#else
  call();
  return true;
#endif
}

// ASSERT that a kernel call stayed inside its buffers' pages.
#define PNN_ASSERT_IN_BOUNDS(call)                   \
  ASSERT_TRUE(::pnn_test::RunGuarded([&] { call; })) \
      << "out-of-bounds access: the kernel touched a guard page after a buffer (" << #call << ")"

// Failures recorded so far in the running test (sweeps stop at their first new one).
inline int FailureCount() {
  const ::testing::TestResult* r =
      ::testing::UnitTest::GetInstance()->current_test_info()->result();
  int failed = 0;
  for (int i = 0; i < r->total_part_count(); i++) failed += r->GetTestPartResult(i).failed();
  return failed;
}

// Whether this binary and CPU run `arch`; if not, prints the reason for the log and returns
// false (the caller then GTEST_SKIPs).
inline bool Runnable(uint32_t arch, const char* name) {
  const pnn::HardwareConfig* hw = pnn::get_hardware_config();
  if ((hw->compiled & hw->cpu & arch) != 0) return true;
  std::printf("skipping %s: %s\n", name,
              (hw->compiled & arch) == 0 ? "ISA not compiled in" : "CPU lacks its ISA");
  return false;
}

// Test-name generator for value-parameterized kernel tests: the entry's kernel name.
struct KernelName {
  template <typename Entry>
  std::string operator()(const ::testing::TestParamInfo<Entry>& info) const {
    return info.param.name;
  }
};

// One registry line of a single-kernel family: its ISA, kernel and name, its tile (elements per
// main-loop iteration, or channels per tile), and what else the family's lines carry: the op (a
// unary slot, a binary op), the binary form, the depthwise tap count; 0 where a family has none.
// Each tester header turns its registry into an array of these with an X-macro.
template <typename Fn>
struct KernelEntry {
  uint32_t arch;
  Fn fn;
  const char* name;
  size_t tile;
  int op;
  int form;
  size_t taps;
  // gtest prints the parameter as the kernel's name.
  friend void PrintTo(const KernelEntry& e, std::ostream* os) { *os << e.name; }
};

}  // namespace pnn_test

// Opening of each registry-line case: skips (with the printed reason) a line the CPU lacks.
#define PNN_SKIP_UNLESS_RUNNABLE(entry)                  \
  if (!::pnn_test::Runnable((entry).arch, (entry).name)) \
  GTEST_SKIP() << (entry).name << ": not runnable here"

// One gtest case per element of `entries` (an array of entries), named after its kernel
// (Registry/<Fixture>.Kernel/<kernel>): skipped when the line cannot run here, else
// test_fn(entry), a function that checks one line with gtest assertions.
#define PNN_REGISTRY_TEST(Fixture, entries, test_fn)                                        \
  class Fixture : public ::testing::TestWithParam<std::decay_t<decltype((entries)[0])>> {}; \
  TEST_P(Fixture, Kernel) {                                                                 \
    PNN_SKIP_UNLESS_RUNNABLE(GetParam());                                                   \
    test_fn(GetParam());                                                                    \
  }                                                                                         \
  INSTANTIATE_TEST_SUITE_P(Registry, Fixture, ::testing::ValuesIn(entries),                 \
                           ::pnn_test::KernelName())
