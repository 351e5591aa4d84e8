// common/result.h: expected failures as values. Shaped like std::expected (C++23) so it can
// become it; g++ 12 has no std::expected in C++20 mode. A Result must be looked at
// ([[nodiscard]]): a failure dropped on the floor is a bug. Each boundary maps an Error's code
// in one place (sip/session/sip_status.h: code -> SIP status; later the API: code -> HTTP).
#pragma once

#include <cassert>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace sb {

// What kind of failure, for the boundary that must answer it (a SIP status, an HTTP status,
// an exit code). The message says what exactly; the code never carries a status number.
enum class ErrorCode : uint8_t {
  Invalid,      // the input is malformed or breaks a rule (400, 422)
  NotFound,     // the thing named does not exist (any more) (404, 481)
  Conflict,     // the current state does not allow it now (409, 491)
  Unsupported,  // understood but not offered (415, 420, 488)
  Unavailable,  // cannot be served now, try later (480, 503)
  Timeout,      // nobody answered in time (408, 504)
  Io,           // a file, socket or database failed
  Internal,     // a bug of ours (500); logged and counted where it happens
};

std::string_view error_code_name(ErrorCode code);  // "invalid", "not-found", ...

struct Error {
  std::string message;
  std::string where = {};  // "file:line:col", a field name, or empty
  ErrorCode code = ErrorCode::Invalid;

  std::string to_string() const { return where.empty() ? message : where + ": " + message; }
};

template <typename T>
class [[nodiscard]] Result {
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

// Success with nothing to return (`return {};`), or an Error.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), failed_(true) {}  // NOLINT
  bool has_value() const { return !failed_; }
  explicit operator bool() const { return has_value(); }
  const Error& error() const { assert(failed_); return error_; }

 private:
  Error error_;
  bool failed_ = false;
};

}  // namespace sb
