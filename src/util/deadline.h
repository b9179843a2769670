// A point in time after which cooperative work gives up: long loops (trace engines, the
// server's store reads) check Expired() now and then and return Status::DeadlineExceeded.
// A default Deadline never expires. Copyable; reading it is thread-safe.
#pragma once

#include <chrono>
#include <optional>

namespace fundtrace {

class Deadline {
 public:
  using Clock = std::chrono::steady_clock;

  Deadline() = default;  // never expires
  // Expires `budget` from now; a budget <= 0 means no deadline.
  static Deadline After(std::chrono::nanoseconds budget) {
    Deadline d;
    if (budget > std::chrono::nanoseconds::zero()) d.at_ = Clock::now() + budget;
    return d;
  }

  bool set() const { return at_.has_value(); }
  bool Expired() const { return at_ && Clock::now() >= *at_; }

 private:
  std::optional<Clock::time_point> at_;
};

}  // namespace fundtrace
