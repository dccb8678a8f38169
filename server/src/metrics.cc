#include "metrics.h"

#include <prometheus/text_serializer.h>

#include <atomic>
#include <unordered_map>
#include <vector>

namespace ultrasearch::server {
namespace {

std::atomic<uint64_t> next_instance_id{1};

const prometheus::Histogram::BucketBoundaries& Buckets() {
  static const prometheus::Histogram::BucketBoundaries buckets(Metrics::kBuckets.begin(),
                                                               Metrics::kBuckets.end());
  return buckets;
}

}  // namespace

Metrics::Metrics()
    : instance_id_(next_instance_id.fetch_add(1)),
      start_(std::chrono::steady_clock::now()),
      registry_(std::make_shared<prometheus::Registry>()),
      requests_(prometheus::BuildCounter()
                    .Name("ultrasearch_http_requests_total")
                    .Help("HTTP requests by route kind, method and status.")
                    .Register(*registry_)),
      latency_(prometheus::BuildHistogram()
                   .Name("ultrasearch_http_request_duration_seconds")
                   .Help("Time from a request's arrival to its reply, by route kind, method and status.")
                   .Register(*registry_)),
      open_connections_(prometheus::BuildGauge()
                            .Name("ultrasearch_http_open_connections")
                            .Help("Client connections currently open.")
                            .Register(*registry_)
                            .Add({})),
      connections_opened_(prometheus::BuildCounter()
                              .Name("ultrasearch_http_connections_opened_total")
                              .Help("Client connections accepted since the server started.")
                              .Register(*registry_)
                              .Add({})),
      uptime_(prometheus::BuildGauge()
                  .Name("ultrasearch_uptime_seconds")
                  .Help("Seconds since the server started.")
                  .Register(*registry_)
                  .Add({})) {}

const Metrics::Series& Metrics::SeriesFor(std::string_view route, std::string_view method, unsigned status) {
  // Per thread: the few dozen series a server produces, keyed by instance, route, method and
  // status. Family::Add (which locks the family) runs once per thread and series.
  thread_local std::unordered_map<std::string, Series> cache;
  thread_local std::string key;
  key.clear();
  key.append(reinterpret_cast<const char*>(&instance_id_), sizeof(instance_id_));
  key.append(route).push_back('\0');
  key.append(method).push_back('\0');
  key.append(std::to_string(status));
  auto it = cache.find(key);
  if (it != cache.end()) return it->second;
  prometheus::Labels labels{{"route", std::string(route)},
                            {"method", std::string(method)},
                            {"status", std::to_string(status)}};
  // Add returns the existing metric when another thread registered these labels first.
  Series series{&requests_.Add(labels), &latency_.Add(labels, Buckets())};
  return cache.emplace(key, series).first->second;
}

void Metrics::Record(std::string_view route, std::string_view method, unsigned status, double seconds) {
  const Series& series = SeriesFor(route, method, status);
  series.requests->Increment();
  series.latency->Observe(seconds);
}

void Metrics::ConnectionOpened() {
  open_connections_.Increment();
  connections_opened_.Increment();
}

void Metrics::ConnectionClosed() { open_connections_.Decrement(); }

int64_t Metrics::open_connections() const { return static_cast<int64_t>(open_connections_.Value()); }

uint64_t Metrics::connections_opened() const { return static_cast<uint64_t>(connections_opened_.Value()); }

double Metrics::uptime_seconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

std::string Metrics::Render(Engine& engine, const RequestCache& cache) const {
  uptime_.Set(uptime_seconds());
  std::vector<prometheus::MetricFamily> families = registry_->Collect();

  // Index gauges live in a registry of this scrape alone: a deleted index leaves no stale series.
  prometheus::Registry scrape;
  auto& docs = prometheus::BuildGauge()
                   .Name("ultrasearch_index_documents")
                   .Help("Live documents per index.")
                   .Register(scrape);
  auto& indexed = prometheus::BuildGauge()
                      .Name("ultrasearch_index_indexed_documents")
                      .Help("Documents searchable in the text index (lags until the next refresh).")
                      .Register(scrape);
  auto& bytes = prometheus::BuildGauge()
                    .Name("ultrasearch_index_size_bytes")
                    .Help("Size of the index on disk.")
                    .Register(scrape);
  auto& columns = prometheus::BuildGauge()
                      .Name("ultrasearch_index_value_columns_bytes")
                      .Help("Memory of the index's in-memory value columns (facets, filters, sort).")
                      .Register(scrape);
  auto& cache_bytes = prometheus::BuildGauge()
                          .Name("ultrasearch_request_cache_memory_bytes")
                          .Help("Memory of the search answers cached per index.")
                          .Register(scrape);
  auto& cache_hits = prometheus::BuildCounter()
                         .Name("ultrasearch_request_cache_hits_total")
                         .Help("Searches answered from the request cache.")
                         .Register(scrape);
  auto& cache_misses = prometheus::BuildCounter()
                           .Name("ultrasearch_request_cache_misses_total")
                           .Help("Cacheable searches the request cache could not answer.")
                           .Register(scrape);
  auto& cache_evictions = prometheus::BuildCounter()
                              .Name("ultrasearch_request_cache_evictions_total")
                              .Help("Cached answers dropped to keep the cache within its size.")
                              .Register(scrape);
  for (const std::string& name : engine.ListIndices()) {
    auto index = engine.GetIndex(name);
    if (!index.ok()) continue;  // deleted meanwhile
    auto stats = (*index)->Stats();
    if (!stats.ok()) continue;
    prometheus::Labels labels{{"index", name}};
    docs.Add(labels).Set(static_cast<double>(stats->documents));
    indexed.Add(labels).Set(static_cast<double>(stats->indexed_documents));
    bytes.Add(labels).Set(static_cast<double>(stats->size_on_disk_bytes));
    columns.Add(labels).Set(static_cast<double>(stats->value_columns_bytes));
    RequestCache::Stats c = cache.StatsOf(name);
    cache_bytes.Add(labels).Set(static_cast<double>(c.memory_bytes));
    cache_hits.Add(labels).Increment(static_cast<double>(c.hits));
    cache_misses.Add(labels).Increment(static_cast<double>(c.misses));
    cache_evictions.Add(labels).Increment(static_cast<double>(c.evictions));
  }
  for (auto& family : scrape.Collect()) families.push_back(std::move(family));
  return prometheus::TextSerializer().Serialize(families);
}

}  // namespace ultrasearch::server
