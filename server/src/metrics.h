// Request counters, latency histograms and connection figures kept with prometheus-cpp, and the
// Prometheus text exposition (format 0.0.4) of them plus per-index gauges read at scrape time.
// Thread-safe: sessions record from every I/O and write thread. Recording takes no lock shared by
// all requests: each thread caches the metric objects of the (route, method, status) series it has
// seen, and prometheus-cpp's counters and gauges are atomics (a histogram locks only its own series).
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include "request_cache.h"
#include "ultrasearch/engine.h"

namespace ultrasearch::server {

class Metrics {
 public:
  Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // One finished request: `route` is the route kind ("search", "doc_get"...), not the raw path, so
  // the number of series stays bounded.
  void Record(std::string_view route, std::string_view method, unsigned status, double seconds);
  void ConnectionOpened();
  void ConnectionClosed();

  int64_t open_connections() const;
  uint64_t connections_opened() const;  // since start, the connections open now included
  double uptime_seconds() const;

  // The whole exposition, including per-index gauges read from `engine` now.
  // Per-index request cache figures come from `cache`.
  std::string Render(Engine& engine, const RequestCache& cache) const;

  static constexpr std::array<double, 14> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                      0.1,    0.25,  0.5,    1,     2.5,   5,     10};

 private:
  struct Series {
    prometheus::Counter* requests;
    prometheus::Histogram* latency;
  };
  // The series of this key, from the calling thread's cache (registered on first use).
  const Series& SeriesFor(std::string_view route, std::string_view method, unsigned status);

  // Distinguishes instances in the thread-local caches, so that a later Metrics at the same
  // address never sees the series of a destroyed one.
  const uint64_t instance_id_;
  const std::chrono::steady_clock::time_point start_;
  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Family<prometheus::Counter>& requests_;
  prometheus::Family<prometheus::Histogram>& latency_;
  prometheus::Gauge& open_connections_;
  prometheus::Counter& connections_opened_;
  prometheus::Gauge& uptime_;
};

}  // namespace ultrasearch::server
