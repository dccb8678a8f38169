// PUT|HEAD|DELETE|GET /INDEX, GET /INDEX/_mapping, POST /_refresh and /INDEX/_refresh.
#include <fmt/format.h>

#include "es_errors.h"
#include "handler_util.h"
#include "handlers.h"
#include "json_util.h"

namespace ultrasearch::server {
namespace {

// The `aliases` of a create-index body: {"ALIAS": {"is_write_index": true}, ...}.
std::vector<AliasAction> ParseCreateIndexAliases(const std::string& index, const json::value& v) {
  if (!v.is_object()) throw ParsingError("[aliases] must be an object");
  std::vector<AliasAction> actions;
  for (const auto& [alias, props] : v.get_object()) {
    AliasAction add;
    add.indices = {index};
    add.aliases = {std::string(alias)};
    if (!props.is_object()) throw ParsingError(fmt::format("[aliases] [{}] must be an object", std::string_view(alias)));
    for (const auto& [key, value] : props.get_object()) {
      if (key == "is_write_index" && value.is_bool()) {
        add.is_write_index = value.get_bool();
      } else if (key == "filter") {
        throw IllegalArgument("alias filters are not supported by this server");
      } else if (key != "routing" && key != "index_routing" && key != "search_routing" &&
                 !(key == "is_hidden" && value.is_bool() && !value.get_bool())) {
        throw ParsingError(fmt::format("[aliases] unknown field [{}]", std::string_view(key)));
      }
    }
    actions.push_back(std::move(add));
  }
  return actions;
}

}  // namespace

Reply HandleCreateIndex(ServerContext& ctx, const Request& req) {
  const std::string& name = req.segments[0];
  CheckIndexName(name);
  if (!ctx.engine.IndicesOfAlias(name).empty()) throw InvalidIndexName(name, "already exists as alias");
  IndexSettings settings;
  std::vector<AliasAction> aliases;
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
        aliases = ParseCreateIndexAliases(name, v);
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
  if (!aliases.empty()) {
    if (Status s = ctx.engine.UpdateAliases(aliases); !s.ok()) {
      (void)ctx.engine.DeleteIndex(name);  // an index is created with its aliases or not at all
      if (s.message().rfind("Invalid alias name [", 0) == 0) throw EsError(400, "invalid_alias_name_exception", s.message());
      throw IllegalArgument(s.message());
    }
  }
  json::object out{{"acknowledged", true}, {"shards_acknowledged", true}, {"index", name}};
  return JsonReply(200, json::serialize(out));
}

Reply HandleIndexExists(ServerContext& ctx, const Request& req) {
  if (ResolveIndexExpression(ctx, req.segments[0], IndexOptions::FromRequest(req)).empty()) {
    throw IndexNotFound(req.segments[0]);
  }
  return JsonReply(200, "");
}

Reply HandleDeleteIndex(ServerContext& ctx, const Request& req) {
  const std::string& name = req.segments[0];
  // ignore_unavailable=true: a missing index is not an error, so "make sure it is gone" succeeds
  // whether or not it was there (the official clients' idiom).
  bool ignore_unavailable = req.BoolParam("ignore_unavailable", false);
  Reply acknowledged = JsonReply(200, R"({"acknowledged":true})");
  if (!ctx.engine.IndicesOfAlias(name).empty()) {
    throw IllegalArgument(fmt::format(
        "The provided expression [{}] matches an alias, specify the corresponding concrete indices instead.", name));
  }
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

namespace {

// {"ALIAS":{...}} of one index, as GET /INDEX shows them.
json::object AliasesOf(ServerContext& ctx, std::string_view index) {
  json::object out;
  for (const AliasEntry& e : ctx.engine.ListAliases()) {
    if (e.index != index) continue;
    json::object props;
    if (e.is_write_index) props["is_write_index"] = *e.is_write_index;
    out[e.alias] = std::move(props);
  }
  return out;
}

}  // namespace

Reply HandleGetIndex(ServerContext& ctx, const Request& req) {
  std::string out = "{";
  for (const auto& [name, index] : ResolveIndexExpression(ctx, req.segments[0], IndexOptions::FromRequest(req))) {
    if (out.size() > 1) out += ',';
    out += fmt::format(R"({}:{{"aliases":{},"mappings":{},"settings":{}}})", Quote(name),
                       json::serialize(AliasesOf(ctx, name)), index->MappingsJson(),
                       json::serialize(IndexSettingsJson(ctx, name, *index, req.BoolParam("flat_settings", false))));
  }
  out += '}';
  return JsonReply(200, std::move(out));
}

Reply HandleGetMapping(ServerContext& ctx, const Request& req) {
  std::string out = "{";
  for (const auto& [name, index] : ResolveIndexExpression(ctx, req.segments[0], IndexOptions::FromRequest(req))) {
    std::string mappings = index->MappingsJson();
    if (mappings.empty()) mappings = "{}";
    if (out.size() > 1) out += ',';
    out += fmt::format(R"({}:{{"mappings":{}}})", Quote(name), mappings);
  }
  out += '}';
  return JsonReply(200, std::move(out));
}

std::vector<std::shared_ptr<Index>> IndicesOfAdminRequest(ServerContext& ctx, const Request& req) {
  std::vector<std::shared_ptr<Index>> indices;
  if (!req.segments.empty() && req.segments[0].front() != '_') {
    for (ResolvedIndex& t : ResolveIndexExpression(ctx, req.segments[0], IndexOptions::FromRequest(req))) {
      indices.push_back(std::move(t.index));
    }
  } else {
    for (const std::string& name : ctx.engine.ListIndices()) {
      auto index = ctx.engine.GetIndex(name);
      if (index.ok()) indices.push_back(std::move(index).value());
    }
  }
  return indices;
}

Reply HandleRefresh(ServerContext& ctx, const Request& req) {
  std::vector<std::shared_ptr<Index>> indices = IndicesOfAdminRequest(ctx, req);
  for (const auto& index : indices) {
    Status s = index->Refresh();
    if (!s.ok()) throw FromStatus(s, ErrorScope::kIndex, index->name());
  }
  std::size_t n = indices.size();
  return JsonReply(200, fmt::format(R"({{"_shards":{{"total":{},"successful":{},"failed":0}}}})", n, n));
}

}  // namespace ultrasearch::server
