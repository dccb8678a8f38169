// The monitoring endpoints ops tooling reads (elasticsearch_exporter, Kibana's stack monitoring,
// people at a terminal): GET /_cat/health, /_cat/count[/INDEX], /_stats, /INDEX/_stats and
// /_nodes[/NODE]/stats, in Elasticsearch 8's shapes. Only figures this server knows truthfully are
// reported (documents and store from the engine, operation counts from IndexActivity); the rest of
// Elasticsearch's sections (jvm, thread pools, merges...) are left out rather than filled with zeros.
#include <fmt/format.h>
#include <sys/resource.h>

#include <boost/json.hpp>
#include <chrono>
#include <ctime>
#include <filesystem>

#include "cat_table.h"
#include "es_errors.h"
#include "handler_util.h"
#include "handlers.h"
#include "json_util.h"

namespace ultrasearch::server {
namespace {

struct IndexFigures {
  std::string name;
  IndexStats stats;
  IndexActivity::Totals activity;
};

// Sums over indices, for _all and the node.
struct Sums {
  uint64_t docs = 0, bytes = 0;
  IndexActivity::Totals activity;

  void Add(const IndexFigures& f) {
    docs += f.stats.documents;
    bytes += f.stats.size_on_disk_bytes;
    activity.index_total += f.activity.index_total;
    activity.delete_total += f.activity.delete_total;
    activity.query_total += f.activity.query_total;
  }
};

// Stats of the indices `expression` names (404 for a missing concrete name, as Elasticsearch).
std::vector<IndexFigures> StatsOf(ServerContext& ctx, std::string_view expression, const Request& req) {
  std::vector<IndexFigures> out;
  for (const ResolvedIndex& r :
       ResolveIndexExpression(ctx, expression, req.BoolParam("ignore_unavailable", false), req.index_visible)) {
    auto stats = r.index->Stats();
    if (!stats.ok()) throw FromStatus(stats.status(), ErrorScope::kIndex, r.name);
    out.push_back({r.name, *stats, ctx.activity.Read(r.name)});
  }
  return out;
}

// The _cat endpoints' epoch (seconds) and timestamp (HH:MM:SS, UTC) columns.
struct CatTime {
  std::string epoch, timestamp;
};

CatTime Now() {
  std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  return {std::to_string(static_cast<int64_t>(t)), fmt::format("{:02}:{:02}:{:02}", tm.tm_hour, tm.tm_min, tm.tm_sec)};
}

int64_t NowMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// One copy of each index (a primary, no replicas), so primaries and total are the same figures.
json::object ShardLevelStats(uint64_t docs, uint64_t bytes, const IndexActivity::Totals& activity) {
  return json::object{
      {"docs", json::object{{"count", docs}, {"deleted", 0}}},
      {"store", json::object{{"size_in_bytes", bytes}, {"total_data_set_size_in_bytes", bytes}, {"reserved_in_bytes", 0}}},
      {"indexing", json::object{{"index_total", activity.index_total}, {"delete_total", activity.delete_total}}},
      {"search", json::object{{"query_total", activity.query_total}}}};
}

// Entries of /proc/self/fd, less the one the listing itself holds open.
int64_t OpenFileDescriptors() {
  std::error_code ec;
  int64_t n = 0;
  for (std::filesystem::directory_iterator it("/proc/self/fd", ec), end; !ec && it != end; it.increment(ec)) ++n;
  if (ec) return -1;  // Elasticsearch's value when the figure is unavailable
  return n > 0 ? n - 1 : 0;
}

int64_t MaxFileDescriptors() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return -1;
  return static_cast<int64_t>(limit.rlim_cur);
}

std::string NodeId(const ServerContext& ctx) { return StableUuid(ctx.cluster_uuid + "/node"); }

// Elasticsearch's node filters this single node answers to: _all, _local, _master, *, its id or name.
bool NodeMatches(const ServerContext& ctx, std::string_view filter) {
  std::string_view rest = filter;
  while (!rest.empty()) {
    auto comma = rest.find(',');
    std::string_view part = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    if (part == "_all" || part == "_local" || part == "_master" || part == "*" || part == NodeId(ctx) ||
        part == ctx.node_name) {
      return true;
    }
  }
  return false;
}

}  // namespace

Reply HandleCatHealth(ServerContext& ctx, const Request& req) {
  std::string shards = std::to_string(ctx.engine.ListIndices().size());
  CatTable table;
  table.columns = {"cluster", "status", "node.total", "node.data", "shards", "pri", "relo", "init", "unassign",
                   "pending_tasks", "max_task_wait_time", "active_shards_percent"};
  table.rows.push_back({"ultrasearch", "green", "1", "1", shards, shards, "0", "0", "0", "0", "-", "100.0%"});
  if (req.BoolParam("ts", true)) {
    CatTime now = Now();
    table.columns.insert(table.columns.begin(), {"epoch", "timestamp"});
    table.rows[0].insert(table.rows[0].begin(), {now.epoch, now.timestamp});
  }
  return CatReply(req, table);
}

Reply HandleCatCount(ServerContext& ctx, const Request& req) {
  std::string_view expression = req.segments.size() > 2 ? std::string_view(req.segments[2]) : "_all";
  // A count search, as Elasticsearch runs it: documents visible to searches (refreshed).
  uint64_t total = 0;
  for (const ResolvedIndex& r :
       ResolveIndexExpression(ctx, expression, req.BoolParam("ignore_unavailable", false), req.index_visible)) {
    auto n = r.index->Count(Query{});
    if (!n.ok()) throw FromStatus(n.status(), ErrorScope::kSearch, r.name);
    ctx.activity.For(r.name).query_total.fetch_add(1, std::memory_order_relaxed);
    total += *n;
  }
  CatTime now = Now();
  CatTable table;
  table.columns = {"epoch", "timestamp", "count"};
  table.rows.push_back({now.epoch, now.timestamp, std::to_string(total)});
  return CatReply(req, table);
}

Reply HandleIndexStats(ServerContext& ctx, const Request& req) {
  std::string_view expression = req.segments.size() > 1 ? std::string_view(req.segments[0]) : "_all";
  std::vector<IndexFigures> figures = StatsOf(ctx, expression, req);
  Sums all;
  json::object indices;
  for (const IndexFigures& f : figures) {
    all.Add(f);
    json::object level = ShardLevelStats(f.stats.documents, f.stats.size_on_disk_bytes, f.activity);
    indices[f.name] = json::object{{"uuid", StableUuid(ctx.cluster_uuid + "/" + f.name)},
                                   {"health", "green"},
                                   {"status", "open"},
                                   {"primaries", level},
                                   {"total", level}};
  }
  json::object all_level = ShardLevelStats(all.docs, all.bytes, all.activity);
  json::object body{
      {"_shards", json::object{{"total", figures.size()}, {"successful", figures.size()}, {"failed", 0}}},
      {"_all", json::object{{"primaries", all_level}, {"total", all_level}}},
      {"indices", std::move(indices)}};
  return JsonReply(200, json::serialize(body));
}

Reply HandleNodesStats(ServerContext& ctx, const Request& req) {
  json::object nodes;
  if (req.segments.size() < 3 || NodeMatches(ctx, req.segments[1])) {
    Sums all;
    for (const IndexFigures& f : StatsOf(ctx, "_all", req)) all.Add(f);
    int64_t now = NowMillis();
    nodes[NodeId(ctx)] = json::object{
        {"timestamp", now},
        {"name", ctx.node_name},
        {"host", ctx.options.host},
        {"ip", ctx.options.host},
        {"roles", json::array{"data", "data_content", "ingest", "master"}},
        {"indices", ShardLevelStats(all.docs, all.bytes, all.activity)},
        {"process", json::object{{"timestamp", now},
                                 {"open_file_descriptors", OpenFileDescriptors()},
                                 {"max_file_descriptors", MaxFileDescriptors()}}},
        {"http", json::object{{"current_open", ctx.metrics.open_connections()},
                              {"total_opened", ctx.metrics.connections_opened()}}}};
  }
  std::size_t n = nodes.size();
  json::object body{{"_nodes", json::object{{"total", n}, {"successful", n}, {"failed", 0}}},
                    {"cluster_name", "ultrasearch"},
                    {"nodes", std::move(nodes)}};
  return JsonReply(200, json::serialize(body));
}

}  // namespace ultrasearch::server
