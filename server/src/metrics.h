// Request counters and latency histograms, rendered in the Prometheus text exposition format
// (version 0.0.4). Thread-safe: sessions record from every I/O thread.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>

#include "ultrasearch/engine.h"

namespace ultrasearch::server {

class Metrics {
 public:
  Metrics();

  // One finished request: `route` is the route kind ("search", "doc_get"...), not the raw path.
  void Record(std::string_view route, std::string_view method, unsigned status, double seconds);
  void ConnectionOpened();
  void ConnectionClosed();

  // The whole exposition, including per-index document counts read from `engine` now.
  std::string Render(Engine& engine) const;

  static constexpr std::array<double, 14> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                      0.1,    0.25,  0.5,    1,     2.5,   5,     10};

 private:
  struct Histogram {
    std::array<uint64_t, kBuckets.size()> counts{};  // non-cumulative; cumulated when rendered
    uint64_t count = 0;
    double sum = 0;
  };

  mutable std::mutex mu_;
  std::map<std::tuple<std::string, std::string, unsigned>, uint64_t> requests_;  // GUARDED_BY(mu_)
  std::map<std::string, Histogram> latency_;                                     // GUARDED_BY(mu_)
  int64_t open_connections_ = 0;                                                 // GUARDED_BY(mu_)
  std::chrono::steady_clock::time_point start_;
};

}  // namespace ultrasearch::server
