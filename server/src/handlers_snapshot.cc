// Elasticsearch's snapshot API over `fs` repositories: PUT|GET|DELETE /_snapshot/REPO,
// PUT|POST|GET|DELETE /_snapshot/REPO/SNAP, POST /_snapshot/REPO/SNAP/_restore. The repositories
// and snapshots are SnapshotService's; this file reads requests and writes Elasticsearch's shapes.
// wait_for_completion=false is accepted: the work is done before the answer ({"accepted":true}).
#include <fmt/format.h>

#include <ctime>

#include "es_errors.h"
#include "handler_util.h"
#include "handlers.h"
#include "json_util.h"
#include "snapshot_service.h"

namespace ultrasearch::server {
namespace {

// The version this server reports at GET / (handlers_cluster.cc), as Elasticsearch's version_id.
constexpr const char* kVersion = "8.11.0";
constexpr int64_t kVersionId = 8110099;

std::string IsoTime(int64_t millis) {
  std::time_t seconds = static_cast<std::time_t>(millis / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &tm);
  return fmt::format("{}.{:03d}Z", text, static_cast<int>(millis % 1000));
}

json::object SnapshotJson(const SnapshotInfo& info) {
  json::array indices;
  for (const std::string& index : info.indices) indices.push_back(json::string(index));
  const int64_t shards = static_cast<int64_t>(info.indices.size());  // one shard per index
  json::object o{{"snapshot", info.name},
                 {"uuid", info.uuid},
                 {"repository", info.repository},
                 {"version_id", kVersionId},
                 {"version", kVersion},
                 {"indices", std::move(indices)},
                 {"data_streams", json::array()},
                 {"include_global_state", info.include_global_state}};
  if (!info.metadata.empty()) o["metadata"] = info.metadata;
  o["state"] = "SUCCESS";
  o["start_time"] = IsoTime(info.start_time_ms);
  o["start_time_in_millis"] = info.start_time_ms;
  o["end_time"] = IsoTime(info.end_time_ms);
  o["end_time_in_millis"] = info.end_time_ms;
  o["duration_in_millis"] = info.end_time_ms - info.start_time_ms;
  o["failures"] = json::array();
  o["shards"] = json::object{{"total", shards}, {"failed", 0}, {"successful", shards}};
  o["feature_states"] = json::array();
  return o;
}

Reply Acknowledged() { return JsonReply(200, R"({"acknowledged":true})"); }

json::object BodyObject(const Request& req) {
  if (!req.has_body()) return {};
  json::value body = ParseJson(req.body);
  if (!body.is_object()) throw ParsingError("request body must be an object");
  return body.get_object();
}

// "a,b" or ["a","b"], as Elasticsearch takes `indices`.
std::string IndicesExpression(const json::object& body, std::string_view action) {
  const json::value* v = body.if_contains("indices");
  if (v == nullptr || v->is_null()) return "_all";
  if (v->is_string()) return std::string(v->get_string());
  if (v->is_array()) {
    std::string joined;
    for (const json::value& item : v->get_array()) {
      if (!item.is_string()) throw ParsingError(fmt::format("[{}] failed to parse field [indices]", action));
      if (!joined.empty()) joined += ',';
      joined += std::string_view(item.get_string());
    }
    return joined;
  }
  throw ParsingError(fmt::format("[{}] failed to parse field [indices]", action));
}

bool BoolField(const json::object& body, std::string_view key, bool fallback, std::string_view action) {
  const json::value* v = body.if_contains(key);
  if (v == nullptr || v->is_null()) return fallback;
  if (auto b = ToBool(*v)) return *b;
  throw ParsingError(fmt::format("[{}] failed to parse field [{}]", action, key));
}

std::string StringField(const json::object& body, std::string_view key, std::string_view action) {
  const json::value* v = body.if_contains(key);
  if (v == nullptr || v->is_null()) return {};
  if (!v->is_string()) throw ParsingError(fmt::format("[{}] failed to parse field [{}]", action, key));
  return std::string(v->get_string());
}

}  // namespace

Reply HandlePutRepository(ServerContext& ctx, const Request& req) {
  json::value body = req.has_body() ? ParseJson(req.body) : json::value(json::object());
  ctx.snapshots.PutRepository(req.segments[1], body);
  return Acknowledged();
}

Reply HandleGetRepositories(ServerContext& ctx, const Request& req) {
  std::string_view expression = req.segments.size() > 1 ? std::string_view(req.segments[1]) : "_all";
  json::object out;
  for (const SnapshotRepository& repo : ctx.snapshots.GetRepositories(expression)) {
    out[repo.name] = json::object{{"type", repo.type}, {"settings", repo.settings}};
  }
  return JsonReply(200, Dump(out));
}

Reply HandleDeleteRepository(ServerContext& ctx, const Request& req) {
  ctx.snapshots.DeleteRepository(req.segments[1]);
  return Acknowledged();
}

Reply HandleCreateSnapshot(ServerContext& ctx, const Request& req) {
  const json::object body = BodyObject(req);
  IndexOptions options = IndexOptions::FromRequest(req);
  options.ignore_unavailable = BoolField(body, "ignore_unavailable", false, "snapshot");
  std::vector<std::string> indices;
  for (const ResolvedIndex& r : ResolveIndexExpression(ctx, IndicesExpression(body, "snapshot"), options)) {
    indices.push_back(r.name);
  }
  json::object metadata;
  if (const json::value* m = body.if_contains("metadata"); m != nullptr && m->is_object()) metadata = m->get_object();
  const bool include_global_state = BoolField(body, "include_global_state", true, "snapshot");
  SnapshotInfo info =
      ctx.snapshots.CreateSnapshot(req.segments[1], req.segments[2], indices, include_global_state, metadata);
  if (!req.BoolParam("wait_for_completion", false)) return JsonReply(200, R"({"accepted":true})");
  return JsonReply(200, Dump(json::object{{"snapshot", SnapshotJson(info)}}));
}

Reply HandleGetSnapshots(ServerContext& ctx, const Request& req) {
  auto snapshots =
      ctx.snapshots.GetSnapshots(req.segments[1], req.segments[2], req.BoolParam("ignore_unavailable", false));
  json::array list;
  for (const SnapshotInfo& info : snapshots) list.push_back(SnapshotJson(info));
  const int64_t total = static_cast<int64_t>(list.size());
  return JsonReply(200, Dump(json::object{{"snapshots", std::move(list)}, {"total", total}, {"remaining", 0}}));
}

Reply HandleDeleteSnapshot(ServerContext& ctx, const Request& req) {
  ctx.snapshots.DeleteSnapshots(req.segments[1], req.segments[2]);
  return Acknowledged();
}

Reply HandleRestoreSnapshot(ServerContext& ctx, const Request& req) {
  const json::object body = BodyObject(req);
  SnapshotRestoreRequest restore;
  std::string expression = IndicesExpression(body, "restore_snapshot");
  if (expression != "_all") {
    std::string_view rest = expression;
    while (!rest.empty()) {
      auto comma = rest.find(',');
      if (comma != 0) restore.indices.emplace_back(rest.substr(0, comma));
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    }
  }
  restore.rename_pattern = StringField(body, "rename_pattern", "restore_snapshot");
  restore.rename_replacement = StringField(body, "rename_replacement", "restore_snapshot");
  restore.include_aliases = BoolField(body, "include_aliases", true, "restore_snapshot");
  // Accepted as Elasticsearch takes them; a restore here never touches cluster settings.
  BoolField(body, "include_global_state", false, "restore_snapshot");
  BoolField(body, "ignore_unavailable", false, "restore_snapshot");
  BoolField(body, "partial", false, "restore_snapshot");
  RestoreResult result = ctx.snapshots.Restore(req.segments[1], req.segments[2], restore);
  if (!req.BoolParam("wait_for_completion", false)) return JsonReply(200, R"({"accepted":true})");
  json::array indices;
  for (const RestoredIndex& index : result.indices) indices.push_back(json::string(index.name));
  const int64_t shards = static_cast<int64_t>(indices.size());
  json::object snapshot{{"snapshot", req.segments[2]},
                        {"indices", std::move(indices)},
                        {"shards", json::object{{"total", shards}, {"failed", 0}, {"successful", shards}}}};
  return JsonReply(200, Dump(json::object{{"snapshot", std::move(snapshot)}}));
}

}  // namespace ultrasearch::server
