#pragma once
// Failures in the core API are values, never exceptions or crashes: every fallible call returns a
// Status or an Expected<T> whose message names the file and the problem in words a user can act on.

#include <optional>
#include <string>
#include <utility>

namespace attrscope {

class Status {
public:
    Status() = default;
    static Status success() { return Status(); }
    static Status error(std::string message) { return Status(std::move(message), false); }
    static Status cancelled() { return Status("cancelled by the user", true); }

    bool ok() const { return message_.empty() && !cancelled_; }
    bool isCancelled() const { return cancelled_; }
    const std::string& message() const { return message_; }
    explicit operator bool() const { return ok(); }

private:
    Status(std::string message, bool cancelled)
        : message_(std::move(message)), cancelled_(cancelled) {}
    std::string message_;
    bool cancelled_ = false;
};

// A value or the Status that explains why there is none.
template <typename T>
class Expected {
public:
    Expected(T value) : value_(std::move(value)) {}
    Expected(Status status) : status_(std::move(status)) {}

    bool ok() const { return value_.has_value(); }
    explicit operator bool() const { return ok(); }
    const Status& status() const { return status_; }
    const std::string& error() const { return status_.message(); }

    T& value() & { return *value_; }
    const T& value() const& { return *value_; }
    T&& value() && { return std::move(*value_); }
    T* operator->() { return &*value_; }
    const T* operator->() const { return &*value_; }
    T& operator*() { return *value_; }
    const T& operator*() const { return *value_; }

private:
    std::optional<T> value_;
    Status status_;
};

}  // namespace attrscope
