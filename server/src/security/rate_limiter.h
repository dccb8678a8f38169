// A per-key token bucket, lock-free: the Generic Cell Rate Algorithm keeps one atomic "theoretical
// arrival time" instead of a token count and a timestamp, so admitting a request is one
// compare-and-swap on the search path and needs no lock.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace ultrasearch::server::security {

class TokenBucket {
 public:
  // `per_second` requests per second on average, bursts of up to max(1, per_second) requests.
  // per_second <= 0 means no limit.
  explicit TokenBucket(double per_second);
  TokenBucket(const TokenBucket&) = delete;
  TokenBucket& operator=(const TokenBucket&) = delete;

  bool limited() const { return interval_ns_ > 0; }
  double per_second() const { return per_second_; }

  // Takes one token at `now`. Returns 0 when admitted, else how long until a token is free
  // (the request is not counted). Thread-safe.
  std::chrono::nanoseconds Acquire(std::chrono::steady_clock::time_point now);

 private:
  double per_second_;
  int64_t interval_ns_ = 0;  // time one token takes to come back
  int64_t burst_ns_ = 0;     // how far ahead of now the arrival time may run: the burst
  std::atomic<int64_t> tat_ns_{0};
};

}  // namespace ultrasearch::server::security
