// The HTTP front: a faithful subset of the Elasticsearch 8 REST API over an Engine, plus /health
// and Prometheus /metrics. Thin: it translates requests into engine calls and results back into
// Elasticsearch-shaped JSON.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "ultrasearch/engine.h"
#include "ultrasearch/status.h"

namespace ultrasearch::server {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 3010;
  int threads = 0;                 // 0: one per core
  std::string api_keys_file;       // empty: no authentication, and only loopback addresses
  bool insecure_bind = false;      // allow a non-loopback address without api keys
  double rate_limit = 0;           // requests per second per key unless the key says; 0: none
  size_t max_body_bytes = 100 << 20;  // Elasticsearch's http.max_content_length default
  // _bulk bodies (catalog loads) may be larger; past either limit the answer is 413. Both count
  // the body as received and again once inflated (Content-Encoding: gzip).
  size_t max_bulk_body_bytes = size_t{512} << 20;
  // The limit for a request target: max_bulk_body_bytes for `_bulk`, max_body_bytes otherwise.
  size_t BodyLimitFor(std::string_view target) const;
  // Memory for cached search answers (see the request cache in docs/performance.md); 0 disables it.
  size_t request_cache_bytes = 64 << 20;
  // Called once the listener is bound (with the actual port, useful when port is 0).
  std::function<void(uint16_t port)> on_listening;
};

// Serves until SIGINT or SIGTERM, then drains connections and returns. Fails with IOError when the
// address cannot be bound, InvalidArgument for a bad host, an unreadable api-keys file, or a
// non-loopback address without api keys (unless insecure_bind); Corruption when the stored API
// keys (DATA/security/api_keys.json) cannot be read.
Status RunServer(Engine& engine, const ServerOptions& options);

}  // namespace ultrasearch::server
