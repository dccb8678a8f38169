#include "security/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace ultrasearch::server::security {

TokenBucket::TokenBucket(double per_second) : per_second_(per_second) {
  if (per_second > 0) {
    interval_ns_ = std::max<int64_t>(1, static_cast<int64_t>(std::llround(1e9 / per_second)));
    burst_ns_ = interval_ns_ * std::max<int64_t>(1, static_cast<int64_t>(std::floor(per_second)));
  }
}

std::chrono::nanoseconds TokenBucket::Acquire(std::chrono::steady_clock::time_point now) {
  if (interval_ns_ == 0) return std::chrono::nanoseconds(0);
  int64_t now_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch()).count();
  int64_t tat = tat_ns_.load(std::memory_order_relaxed);
  while (true) {
    int64_t next = std::max(tat, now_ns) + interval_ns_;
    if (next - now_ns > burst_ns_) return std::chrono::nanoseconds(next - now_ns - burst_ns_);
    if (tat_ns_.compare_exchange_weak(tat, next, std::memory_order_relaxed)) return std::chrono::nanoseconds(0);
  }
}

}  // namespace ultrasearch::server::security
