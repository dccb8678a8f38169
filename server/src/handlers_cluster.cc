// GET /, /health, /_cluster/health, /_cat/indices, /metrics, /_alias.
#include <fmt/format.h>

#include <boost/json.hpp>

#include "cat_table.h"
#include "es_errors.h"
#include "handler_util.h"
#include "handlers.h"
#include "json_util.h"

namespace ultrasearch::server {
Reply HandleRoot(ServerContext& ctx, const Request&) {
  json::object version{{"number", "8.11.0"},
                       {"build_flavor", "default"},
                       {"build_type", "tar"},
                       {"build_hash", "ultrasearch"},
                       {"build_date", "2023-11-04T10:04:57.184859352Z"},
                       {"build_snapshot", false},
                       {"lucene_version", "9.8.0"},
                       {"minimum_wire_compatibility_version", "7.17.0"},
                       {"minimum_index_compatibility_version", "7.0.0"}};
  json::object body{{"name", ctx.node_name},
                    {"cluster_name", "ultrasearch"},
                    {"cluster_uuid", ctx.cluster_uuid},
                    {"version", std::move(version)},
                    {"tagline", "You Know, for Search"}};
  return JsonReply(200, json::serialize(body));
}

// For load balancers and orchestrators: 200 when every index can serve, else 503 naming the ones
// that cannot (an index whose stores fail to open or to report their state).
Reply HandleHealth(ServerContext& ctx, const Request&) {
  std::vector<std::string> names = ctx.engine.ListIndices();
  json::object states;
  bool all_serving = true;
  for (const std::string& name : names) {
    json::object state;
    auto index = ctx.engine.GetIndex(name);
    Result<IndexStats> stats = index.ok() ? (*index)->Stats() : Result<IndexStats>(index.status());
    if (stats.ok()) {
      state["status"] = "ok";
      state["documents"] = stats->documents;
      // Writes acknowledged but not yet searchable (the text index trails the catalog).
      state["pending_writes"] = stats->last_sequence - std::min(stats->last_sequence, stats->last_indexed_sequence);
    } else if (stats.status().IsNotFound()) {
      continue;  // deleted since it was listed
    } else {
      all_serving = false;
      state["status"] = "unavailable";
      state["reason"] = stats.status().ToString();
    }
    states[name] = std::move(state);
  }
  json::object body{{"status", all_serving ? "ok" : "unavailable"},
                    {"indices", states.size()},
                    {"index_health", std::move(states)}};
  return JsonReply(all_serving ? 200 : 503, json::serialize(body));
}

Reply HandleClusterHealth(ServerContext& ctx, const Request& req) {
  std::size_t shards = ctx.engine.ListIndices().size();
  if (req.segments.size() > 2) {
    RequireIndex(ctx, req.segments[2]);
    shards = 1;
  }
  json::object body{{"cluster_name", "ultrasearch"},
                    {"status", "green"},
                    {"timed_out", false},
                    {"number_of_nodes", 1},
                    {"number_of_data_nodes", 1},
                    {"active_primary_shards", shards},
                    {"active_shards", shards},
                    {"relocating_shards", 0},
                    {"initializing_shards", 0},
                    {"unassigned_shards", 0},
                    {"delayed_unassigned_shards", 0},
                    {"number_of_pending_tasks", 0},
                    {"number_of_in_flight_fetch", 0},
                    {"task_max_waiting_in_queue_millis", 0},
                    {"active_shards_percent_as_number", 100.0}};
  return JsonReply(200, json::serialize(body));
}

Reply HandleCatIndices(ServerContext& ctx, const Request& req) {
  std::vector<std::string> names;
  if (req.segments.size() > 2) {
    for (ResolvedIndex& t : ResolveIndexExpression(ctx, req.segments[2], IndexOptions::FromRequest(req))) {
      names.push_back(std::move(t.name));
    }
  } else {
    names = ctx.engine.ListIndices();
  }
  bool raw_bytes = req.Param("bytes") == std::optional<std::string_view>("b");
  CatTable table;
  table.columns = {"health", "status", "index", "uuid", "pri", "rep", "docs.count", "docs.deleted", "store.size",
                   "pri.store.size", "dataset.size"};
  for (const std::string& name : names) {
    auto index = ctx.engine.GetIndex(name);
    if (!index.ok()) continue;  // deleted meanwhile
    auto stats = (*index)->Stats();
    if (!stats.ok()) throw FromStatus(stats.status(), ErrorScope::kIndex, name);
    std::string size =
        raw_bytes ? std::to_string(stats->size_on_disk_bytes) : HumanBytes(stats->size_on_disk_bytes);
    table.rows.push_back({"green", "open", name, StableUuid(ctx.cluster_uuid + "/" + name), "1", "0",
                          std::to_string(stats->documents), "0", size, size, size});
  }
  return CatReply(req, table);
}

Reply HandleMetrics(ServerContext& ctx, const Request&) {
  Reply r = JsonReply(200, ctx.metrics.Render(ctx.engine, ctx.request_cache));
  r.content_type = "text/plain; version=0.0.4; charset=utf-8";
  return r;
}

}  // namespace ultrasearch::server
