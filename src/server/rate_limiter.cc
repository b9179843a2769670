#include "server/rate_limiter.h"

#include <algorithm>

namespace fundtrace {

double RateLimiter::Take(const std::string& id, double rate, Clock::time_point now) {
  const double burst = std::max(rate, 1.0);
  std::lock_guard<std::mutex> lock(mu_);
  auto [it, fresh] = buckets_.try_emplace(id);
  Bucket& b = it->second;
  if (fresh || b.rate != rate) {
    b.tokens = fresh ? burst : std::min(b.tokens, burst);
    b.rate = rate;
    b.last = now;
  }
  double elapsed = std::chrono::duration<double>(now - b.last).count();
  if (elapsed > 0) {
    b.tokens = std::min(burst, b.tokens + elapsed * rate);
    b.last = now;
  }
  if (b.tokens >= 1) {
    b.tokens -= 1;
    return 0;
  }
  return (1 - b.tokens) / rate;
}

}  // namespace fundtrace
