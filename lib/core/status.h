// Status and Result<T>: how lib/ reports operational failures (unreadable
// file, endpoint down, unparsable input). Findings about the user's config
// are diagnostics (lib/diag), never a Status.
//
// lib/ does not throw across its public headers: code that calls throwing
// libraries catches at the adapter and returns a Status.
#pragma once

#include <string>
#include <utility>
#include <variant>

#include "lib/core/exit_codes.h"

namespace meshctl::core {

enum class StatusCode {
  kOk,
  kInvalidArgument,  // a flag or argument the user gave is wrong      -> 64
  kDataError,        // input that cannot be parsed or decoded         -> 65
  kUnavailable,      // a server that cannot be reached or said no     -> 69
  kInternal,         // an invariant broke inside meshctl              -> 70
  kIoError,          // a file or directory that cannot be read/written -> 74
  kFailed,           // a generic failure istioctl reports with exit 1  -> 1
};

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // The process exit code that reports this status.
  int ExitCode() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

inline Status InvalidArgument(std::string m) { return {StatusCode::kInvalidArgument, std::move(m)}; }
inline Status DataError(std::string m) { return {StatusCode::kDataError, std::move(m)}; }
inline Status Unavailable(std::string m) { return {StatusCode::kUnavailable, std::move(m)}; }
inline Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }
inline Status IoError(std::string m) { return {StatusCode::kIoError, std::move(m)}; }
inline Status Failed(std::string m) { return {StatusCode::kFailed, std::move(m)}; }

// A value or the Status that explains why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}          // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {}   // NOLINT: implicit by design

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOkStatus;
    return ok() ? kOkStatus : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace meshctl::core

#define MESHCTL_CONCAT_INNER(a, b) a##b
#define MESHCTL_CONCAT(a, b) MESHCTL_CONCAT_INNER(a, b)

// Returns the Status from the enclosing function when `expr` is not ok.
#define RETURN_IF_ERROR(expr)                         \
  do {                                                \
    ::meshctl::core::Status _st = (expr);             \
    if (!_st.ok()) return _st;                        \
  } while (0)

// `ASSIGN_OR_RETURN(auto x, Foo());` binds the value or returns the Status.
#define ASSIGN_OR_RETURN(lhs, expr) \
  ASSIGN_OR_RETURN_IMPL(MESHCTL_CONCAT(_result_, __LINE__), lhs, expr)
#define ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                          \
  if (!tmp.ok()) return tmp.status();         \
  lhs = std::move(tmp).value()
