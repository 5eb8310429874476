// Aligned, non-throwing buffers for packed weights and workspaces.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>

namespace pnn {

// 64-byte alignment suits every vector width portnn targets (up to AVX-512).
constexpr size_t kBufferAlignment = 64;

// Owns one aligned allocation. Never throws; allocate() reports failure.
template <typename T>
class AlignedBuffer {
 public:
  AlignedBuffer() = default;
  AlignedBuffer(const AlignedBuffer&) = delete;
  AlignedBuffer& operator=(const AlignedBuffer&) = delete;
  ~AlignedBuffer() { std::free(data_); }

  // Replaces the contents with `count` zeroed elements (plus `extra_bytes` of slack that SIMD
  // kernels may read past the end). Returns false when out of memory; the old buffer is kept then.
  bool allocate(size_t count, size_t extra_bytes = kBufferAlignment) {
    if (count > (SIZE_MAX - extra_bytes - kBufferAlignment) / sizeof(T)) return false;
    size_t bytes = count * sizeof(T) + extra_bytes;
    bytes = (bytes + kBufferAlignment - 1) / kBufferAlignment * kBufferAlignment;
    void* p = std::aligned_alloc(kBufferAlignment, bytes);
    if (p == nullptr) return false;
    std::memset(p, 0, bytes);
    std::free(data_);
    data_ = static_cast<T*>(p);
    size_ = count;
    return true;
  }
  // Grows only: keeps the allocation when it is already large enough.
  bool reserve(size_t count) { return count <= size_ && data_ != nullptr ? true : allocate(count); }

  void swap(AlignedBuffer& other) {
    T* d = data_;
    data_ = other.data_;
    other.data_ = d;
    const size_t n = size_;
    size_ = other.size_;
    other.size_ = n;
  }
  // True when the buffer already holds at least `count` elements.
  bool holds(size_t count) const { return data_ != nullptr && count <= size_; }

  T* data() { return data_; }
  const T* data() const { return data_; }
  size_t size() const { return size_; }

 private:
  T* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace pnn
