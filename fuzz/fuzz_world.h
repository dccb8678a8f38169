// Shared set-up for the libFuzzer targets in this folder: a private data directory, the built-in
// analyzers, an engine over that directory and, for the targets that go through the server's
// handlers, a ServerContext. Everything is built once per process on first use and torn down at
// exit, so the shutdown path runs under the sanitizers too.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "fuzz_util.h"
#include "server_context.h"
#include "ultrasearch/engine.h"

namespace ultrasearch::fuzz {

// One engine over a fresh directory under $TMPDIR (removed when the process exits), with index
// `products` holding the fixture catalog (data/fixtures/products.ndjson), refreshed.
class World {
 public:
  // The process-wide world; built on first call.
  static World& Get();
  ~World();

  Engine& engine() { return *engine_; }
  Index& products() { return *products_; }
  const AnalyzerRegistry& analyzers() const { return *analyzers_; }
  // The server's shared state over engine(), for calling its handlers without the HTTP stack.
  server::ServerContext& server() { return *server_; }

  // Deletes every index but `products`, so targets that may create indices keep a bounded world.
  void DropOtherIndices();

 private:
  World();
  std::string dir_;
  std::shared_ptr<AnalyzerRegistry> analyzers_;
  std::unique_ptr<Engine> engine_;
  std::shared_ptr<Index> products_;
  std::unique_ptr<server::ServerContext> server_;
};

}  // namespace ultrasearch::fuzz
