// State shared by every connection of one running server.
#pragma once

#include <string>

#include "auth.h"
#include "index_activity.h"
#include "metrics.h"
#include "request_cache.h"
#include "scroll_store.h"
#include "snapshot_service.h"
#include "tasks.h"
#include "write_executor.h"
#include "ultrasearch/engine.h"
#include "ultrasearch_server/http_server.h"

namespace ultrasearch::server {

struct ServerContext {
  ServerContext(Engine& e, ServerOptions o)
      : engine(e), options(std::move(o)), request_cache(options.request_cache_bytes) {}

  Engine& engine;
  const ServerOptions options;
  Metrics metrics;
  IndexActivity activity;  // per-index operation counts for _stats
  RequestCache request_cache;  // whole search answers by index state and request
  ScrollStore scrolls;         // open `?scroll=` searches
  PitStore pits;               // open points in time (POST /INDEX/_pit)
  Authenticator auth;          // loaded before the first connection, then thread-safe
  SnapshotService snapshots{engine};  // fs repositories and their snapshots
  std::string node_name;     // the host name, as ES reports its node
  std::string cluster_uuid;  // stable per data directory
  // Long-running requests (tasks.h). Destroyed after `writes`: a write-pool thread may be waiting
  // for a task to finish.
  TaskManager tasks{TaskManager::Options{}};
  // Declared last: destroyed (joined) first, while everything its tasks use still exists.
  WriteExecutor writes{2, 256};
};

}  // namespace ultrasearch::server
