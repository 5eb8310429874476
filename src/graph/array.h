// A growable array that never throws: the library is built without exceptions, so a failed
// std::vector growth would abort, and a graph's size is the caller's to choose. push() and
// resize() report allocation failure instead. For trivially copyable element types only (it moves
// elements with realloc).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <type_traits>

namespace pnn {

template <typename T>
class Array {
  static_assert(std::is_trivially_copyable<T>::value, "Array holds trivially copyable types");

 public:
  Array() = default;
  Array(const Array&) = delete;
  Array& operator=(const Array&) = delete;
  ~Array() { std::free(data_); }

  // Appends `v`; false when out of memory (the array is unchanged then).
  bool push(const T& v) {
    if (size_ == capacity_ && !grow(size_ + 1)) return false;
    data_[size_++] = v;
    return true;
  }
  // Sets the size to `n`; new elements are zero bytes. False when out of memory (unchanged).
  bool resize(size_t n) {
    if (n > capacity_ && !grow(n)) return false;
    if (n > size_) std::memset(static_cast<void*>(data_ + size_), 0, (n - size_) * sizeof(T));
    size_ = n;
    return true;
  }
  // Copies `other` into this array; false when out of memory (unchanged).
  bool assign(const Array& other) {
    if (other.size_ > capacity_ && !grow(other.size_)) return false;
    if (other.size_ != 0) std::memcpy(static_cast<void*>(data_), other.data_, other.size_ * sizeof(T));
    size_ = other.size_;
    return true;
  }

  T& operator[](size_t i) { return data_[i]; }
  const T& operator[](size_t i) const { return data_[i]; }
  size_t size() const { return size_; }
  T* begin() { return data_; }
  T* end() { return data_ + size_; }
  const T* begin() const { return data_; }
  const T* end() const { return data_ + size_; }

 private:
  bool grow(size_t at_least) {
    size_t cap = capacity_ < 8 ? 8 : capacity_;
    while (cap < at_least) {
      if (cap > SIZE_MAX / 2 / sizeof(T)) return false;
      cap *= 2;
    }
    if (cap > SIZE_MAX / sizeof(T)) return false;
    void* p = std::realloc(static_cast<void*>(data_), cap * sizeof(T));
    if (p == nullptr) return false;
    data_ = static_cast<T*>(p);
    capacity_ = cap;
    return true;
  }

  T* data_ = nullptr;
  size_t size_ = 0, capacity_ = 0;
};

}  // namespace pnn
