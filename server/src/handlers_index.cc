// PUT|HEAD|DELETE|GET /INDEX, GET /INDEX/_mapping, POST /_refresh and /INDEX/_refresh.
#include <fmt/format.h>

#include "es_errors.h"
#include "handler_util.h"
#include "handlers.h"
#include "json_util.h"

namespace ultrasearch::server {

Reply HandleCreateIndex(ServerContext& ctx, const Request& req) {
  const std::string& name = req.segments[0];
  CheckIndexName(name);
  IndexSettings settings;
  bool has_mappings = false;
  if (req.has_body()) {
    json::value body = ParseJson(req.body);
    if (!body.is_object()) throw ParsingError("request body must be an object");
    for (const auto& [key, v] : body.get_object()) {
      if (key == "mappings") {
        if (!v.is_object()) throw EsError(400, "mapper_parsing_exception", "Failed to parse mapping: [mappings] must be an object");
        settings.mappings_json = Dump(v);
        has_mappings = !v.get_object().empty();
      } else if (key == "settings") {
        if (!v.is_object()) throw IllegalArgument("[settings] must be an object");
        settings.settings_json = Dump(v);
      } else if (key == "aliases") {
        if (!v.is_object() || !v.get_object().empty()) throw IllegalArgument("aliases are not supported yet by this server");
      } else {
        throw ParsingError(fmt::format("unknown key [{}] for create index", std::string_view(key)));
      }
    }
  }
  auto created = ctx.engine.CreateIndex(name, settings);
  if (!created.ok()) {
    const Status& s = created.status();
    if (s.IsInvalidArgument() && !has_mappings) throw IllegalArgument(s.message());
    throw FromStatus(s, ErrorScope::kCreateIndex, name);
  }
  json::object out{{"acknowledged", true}, {"shards_acknowledged", true}, {"index", name}};
  return JsonReply(200, json::serialize(out));
}

Reply HandleIndexExists(ServerContext& ctx, const Request& req) {
  RequireIndex(ctx, req.segments[0]);
  return JsonReply(200, "");
}

Reply HandleDeleteIndex(ServerContext& ctx, const Request& req) {
  const std::string& name = req.segments[0];
  // ignore_unavailable=true: a missing index is not an error, so "make sure it is gone" succeeds
  // whether or not it was there (the official clients' idiom).
  bool ignore_unavailable = req.BoolParam("ignore_unavailable", false);
  Reply acknowledged = JsonReply(200, R"({"acknowledged":true})");
  if (!Engine::ValidateIndexName(name).ok()) {
    if (ignore_unavailable) return acknowledged;
    throw IndexNotFound(name);
  }
  Status s = ctx.engine.DeleteIndex(name);
  if (!s.ok()) {
    if (s.IsNotFound() && ignore_unavailable) return acknowledged;
    throw FromStatus(s, ErrorScope::kIndex, name);
  }
  ctx.activity.Forget(name);
  ctx.request_cache.Forget(name);
  return acknowledged;
}

Reply HandleGetIndex(ServerContext& ctx, const Request& req) {
  const std::string& name = req.segments[0];
  auto index = RequireIndex(ctx, name);
  std::string uuid = StableUuid(ctx.cluster_uuid + "/" + name);
  std::string out = fmt::format(
      R"({{{}:{{"aliases":{{}},"mappings":{},"settings":{{"index":{{"number_of_shards":"1","number_of_replicas":"0","uuid":{},"provided_name":{}}}}}}}}})",
      Quote(name), index->MappingsJson(), Quote(uuid), Quote(name));
  return JsonReply(200, std::move(out));
}

Reply HandleGetMapping(ServerContext& ctx, const Request& req) {
  const std::string& name = req.segments[0];
  auto index = RequireIndex(ctx, name);
  std::string mappings = index->MappingsJson();
  if (mappings.empty()) mappings = "{}";
  return JsonReply(200, fmt::format(R"({{{}:{{"mappings":{}}}}})", Quote(name), mappings));
}

Reply HandleRefresh(ServerContext& ctx, const Request& req) {
  std::vector<std::shared_ptr<Index>> indices;
  if (req.segments.size() >= 2) {
    indices.push_back(RequireIndex(ctx, req.segments[0]));
  } else {
    for (const std::string& name : ctx.engine.ListIndices()) {
      auto index = ctx.engine.GetIndex(name);
      if (index.ok()) indices.push_back(std::move(index).value());
    }
  }
  for (const auto& index : indices) {
    Status s = index->Refresh();
    if (!s.ok()) throw FromStatus(s, ErrorScope::kIndex, index->name());
  }
  std::size_t n = indices.size();
  return JsonReply(200, fmt::format(R"({{"_shards":{{"total":{},"successful":{},"failed":0}}}})", n, n));
}

}  // namespace ultrasearch::server
