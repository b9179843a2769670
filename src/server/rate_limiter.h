// Per-key token buckets: a key with rate r may make r requests per second on average and up to
// max(r, 1) at once. Thread-safe (one mutex; a check is a few arithmetic operations).
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

namespace fundtrace {

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  // Takes one token of bucket `id` (created full with rate `rate`; a changed rate applies at
  // once). Returns 0 when the request may go ahead, else the seconds until a token is free.
  double Take(const std::string& id, double rate, Clock::time_point now = Clock::now());

 private:
  struct Bucket {
    double tokens = 0;
    double rate = 0;
    Clock::time_point last;
  };
  std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace fundtrace
