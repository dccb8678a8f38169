#include "metrics.h"

#include <fmt/format.h>

#include "json_util.h"

namespace ultrasearch::server {
namespace {

// Label values escape backslash, double quote and newline (exposition format 0.0.4).
std::string Escape(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

std::string Le(double bound) { return FormatNumber(bound); }

}  // namespace

Metrics::Metrics() : start_(std::chrono::steady_clock::now()) {}

void Metrics::Record(std::string_view route, std::string_view method, unsigned status, double seconds) {
  std::lock_guard lock(mu_);
  ++requests_[{std::string(route), std::string(method), status}];
  Histogram& h = latency_[std::string(route)];
  std::size_t i = 0;
  while (i < kBuckets.size() && seconds > kBuckets[i]) ++i;
  if (i < kBuckets.size()) ++h.counts[i];
  ++h.count;
  h.sum += seconds;
}

void Metrics::ConnectionOpened() {
  std::lock_guard lock(mu_);
  ++open_connections_;
}

void Metrics::ConnectionClosed() {
  std::lock_guard lock(mu_);
  --open_connections_;
}

std::string Metrics::Render(Engine& engine) const {
  std::string out;
  {
    std::lock_guard lock(mu_);
    out += "# HELP ultrasearch_http_requests_total HTTP requests by route kind, method and status.\n";
    out += "# TYPE ultrasearch_http_requests_total counter\n";
    for (const auto& [key, n] : requests_) {
      const auto& [route, method, status] = key;
      out += fmt::format("ultrasearch_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{}\"}} {}\n",
                         Escape(route), Escape(method), status, n);
    }
    out += "# HELP ultrasearch_http_request_duration_seconds Time from a request's arrival to its reply.\n";
    out += "# TYPE ultrasearch_http_request_duration_seconds histogram\n";
    for (const auto& [route, h] : latency_) {
      std::string label = Escape(route);
      uint64_t cumulative = 0;
      for (std::size_t i = 0; i < kBuckets.size(); ++i) {
        cumulative += h.counts[i];
        out += fmt::format("ultrasearch_http_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n",
                           label, Le(kBuckets[i]), cumulative);
      }
      out += fmt::format("ultrasearch_http_request_duration_seconds_bucket{{route=\"{}\",le=\"+Inf\"}} {}\n",
                         label, h.count);
      out += fmt::format("ultrasearch_http_request_duration_seconds_sum{{route=\"{}\"}} {}\n", label,
                         FormatNumber(h.sum));
      out += fmt::format("ultrasearch_http_request_duration_seconds_count{{route=\"{}\"}} {}\n", label,
                         h.count);
    }
    out += "# HELP ultrasearch_http_open_connections Client connections currently open.\n";
    out += "# TYPE ultrasearch_http_open_connections gauge\n";
    out += fmt::format("ultrasearch_http_open_connections {}\n", open_connections_);
  }
  double uptime = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  out += "# HELP ultrasearch_uptime_seconds Seconds since the server started.\n";
  out += "# TYPE ultrasearch_uptime_seconds gauge\n";
  out += fmt::format("ultrasearch_uptime_seconds {}\n", FormatNumber(uptime));

  std::string docs, indexed, bytes;
  for (const std::string& name : engine.ListIndices()) {
    auto index = engine.GetIndex(name);
    if (!index.ok()) continue;
    auto stats = (*index)->Stats();
    if (!stats.ok()) continue;
    std::string label = Escape(name);
    docs += fmt::format("ultrasearch_index_documents{{index=\"{}\"}} {}\n", label, stats->documents);
    indexed += fmt::format("ultrasearch_index_indexed_documents{{index=\"{}\"}} {}\n", label,
                           stats->indexed_documents);
    bytes += fmt::format("ultrasearch_index_size_bytes{{index=\"{}\"}} {}\n", label, stats->size_on_disk_bytes);
  }
  out += "# HELP ultrasearch_index_documents Live documents per index.\n";
  out += "# TYPE ultrasearch_index_documents gauge\n" + docs;
  out += "# HELP ultrasearch_index_indexed_documents Documents searchable in the text index.\n";
  out += "# TYPE ultrasearch_index_indexed_documents gauge\n" + indexed;
  out += "# HELP ultrasearch_index_size_bytes Size of the index on disk.\n";
  out += "# TYPE ultrasearch_index_size_bytes gauge\n" + bytes;
  return out;
}

}  // namespace ultrasearch::server
