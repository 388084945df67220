// meshrt/box.h: an optional value held on the heap, for an optional field
// whose record contains the field's own record (`next: Node?` in `Node`),
// where std::optional would need a complete type. Copies deeply.
//
// C++17: generated code includes this header.
#pragma once

#include <memory>
#include <utility>

namespace meshrt {

template <typename T>
class Box {
 public:
  Box() = default;
  Box(const Box& other) : p_(other.p_ ? std::make_unique<T>(*other.p_) : nullptr) {}
  Box(Box&&) noexcept = default;
  Box& operator=(const Box& other) {
    if (this != &other) p_ = other.p_ ? std::make_unique<T>(*other.p_) : nullptr;
    return *this;
  }
  Box& operator=(Box&&) noexcept = default;
  Box& operator=(T value) {
    p_ = std::make_unique<T>(std::move(value));
    return *this;
  }
  bool has_value() const { return p_ != nullptr; }
  explicit operator bool() const { return has_value(); }
  T& operator*() { return *p_; }
  const T& operator*() const { return *p_; }
  T* operator->() { return p_.get(); }
  const T* operator->() const { return p_.get(); }
  void reset() { p_.reset(); }
  T& emplace() {
    p_ = std::make_unique<T>();
    return *p_;
  }

 private:
  std::unique_ptr<T> p_;
};

}  // namespace meshrt
