#include <iostream>

#include "commands.h"
#include "ultrasearch_server/http_server.h"

namespace ultrasearch::cli {

int RunServe(const CommonOptions& common, const ServeOptions& options) {
  auto engine = OpenEngineOrReport(common, /*background_refresh=*/true);
  if (!engine) return 2;
  server::ServerOptions server_options;
  server_options.host = options.host;
  server_options.port = static_cast<uint16_t>(options.port);
  server_options.threads = options.threads;
  server_options.api_keys_file = options.api_keys_file;
  server_options.request_cache_bytes = options.request_cache_bytes;
  server_options.max_body_bytes = options.max_body_bytes;
  server_options.max_bulk_body_bytes = options.max_bulk_body_bytes;
  server_options.rate_limit = options.rate_limit;
  server_options.insecure_bind = options.insecure_bind;
  server_options.on_listening = [&](uint16_t port) {
    // Tests and scripts parse this line to find the port (with --port 0).
    std::cout << "listening on " << options.host << ":" << port << std::endl;
  };
  Status s = server::RunServer(*engine, server_options);
  if (!s.ok()) {
    std::cerr << "ultrasearch: " << s.ToString() << "\n";
    return 2;
  }
  return 0;
}

}  // namespace ultrasearch::cli
