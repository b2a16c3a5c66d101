// Status and Result<T>: expected failures as values.
//
// Codes follow LevelDB's: invalid input (reject with a reason), not found,
// corruption (a broken invariant on disk), I/O (storage trouble, sticky), and
// retryable (operating trouble such as a broker that is down).
// Thread-safety: plain values, no shared state.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>

namespace safetynet {

class [[nodiscard]] Status {
 public:
  enum class Code { kOk, kInvalid, kNotFound, kCorruption, kIo, kRetryable };

  Status() = default;
  static Status Ok() { return {}; }
  static Status Invalid(std::string msg) { return {Code::kInvalid, std::move(msg)}; }
  static Status NotFound(std::string msg) { return {Code::kNotFound, std::move(msg)}; }
  static Status Corruption(std::string msg) { return {Code::kCorruption, std::move(msg)}; }
  static Status Io(std::string msg) { return {Code::kIo, std::move(msg)}; }
  static Status Retryable(std::string msg) { return {Code::kRetryable, std::move(msg)}; }

  bool ok() const { return code_ == Code::kOk; }
  bool IsNotFound() const { return code_ == Code::kNotFound; }
  bool IsInvalid() const { return code_ == Code::kInvalid; }
  Code code() const { return code_; }
  const std::string& message() const { return msg_; }
  std::string ToString() const;

 private:
  Status(Code code, std::string msg) : code_(code), msg_(std::move(msg)) {}
  Code code_ = Code::kOk;
  std::string msg_;
};

// A value or the Status that explains its absence.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}         // NOLINT(google-explicit-constructor)
  Result(Status status) : status_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    assert(!status_.ok());
  }
  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }
  T& value() { return *value_; }
  const T& value() const { return *value_; }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() { return *value_; }
  const T& operator*() const { return *value_; }

 private:
  Status status_;
  std::optional<T> value_;
};

inline std::string Status::ToString() const {
  switch (code_) {
    case Code::kOk: return "ok";
    case Code::kInvalid: return "invalid: " + msg_;
    case Code::kNotFound: return "not found: " + msg_;
    case Code::kCorruption: return "corruption: " + msg_;
    case Code::kIo: return "io: " + msg_;
    case Code::kRetryable: return "retryable: " + msg_;
  }
  return msg_;
}

}  // namespace safetynet
