// common/result.h: expected failures as values. Shaped like std::expected (C++23) so it can
// become it; g++ 12 has no std::expected in C++20 mode.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace sb {

struct Error {
  std::string message;
  std::string where;  // "file:line:col", a field name, or empty

  std::string to_string() const { return where.empty() ? message : where + ": " + message; }
};

template <typename T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}          // NOLINT: implicit like std::expected
  Result(Error error) : v_(std::move(error)) {}      // NOLINT
  bool has_value() const { return v_.index() == 0; }
  explicit operator bool() const { return has_value(); }
  T& value() & { assert(has_value()); return std::get<0>(v_); }
  const T& value() const& { assert(has_value()); return std::get<0>(v_); }
  T&& value() && { assert(has_value()); return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const Error& error() const { assert(!has_value()); return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

}  // namespace sb
