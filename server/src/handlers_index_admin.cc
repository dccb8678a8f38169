// Index administration while serving: PUT /INDEX/_mapping (adding fields), GET|PUT /INDEX/_settings
// (refresh_interval and number_of_replicas are dynamic), as Elasticsearch answers them.
#include <fmt/format.h>

#include "es_errors.h"
#include "handler_util.h"
#include "handlers.h"
#include "json_util.h"

namespace ultrasearch::server {
namespace {

// Settings are strings in Elasticsearch's answers, whatever JSON type they were given as.
json::value AsSettingValue(const json::value& v) {
  if (v.is_string()) return v;
  if (v.is_array()) {
    json::array out;
    for (const auto& item : v.get_array()) out.push_back(AsSettingValue(item));
    return out;
  }
  return json::value(json::serialize(v));
}

// "index.x.y" keys of `obj` (with or without the index. prefix as given).
void Flatten(const json::object& obj, const std::string& prefix, json::object* out) {
  for (const auto& [key, value] : obj) {
    std::string name = prefix + std::string(key);
    if (value.is_object()) {
      Flatten(value.as_object(), name + ".", out);
    } else {
      if (name.rfind("index.", 0) != 0) name = "index." + name;
      (*out)[name] = AsSettingValue(value);
    }
  }
}

json::object Nest(const json::object& flat) {
  json::object root;
  for (const auto& [key, value] : flat) {
    json::object* at = &root;
    std::string_view rest = key;
    for (size_t dot = rest.find('.'); dot != std::string_view::npos; dot = rest.find('.')) {
      json::value& next = (*at)[rest.substr(0, dot)];
      if (!next.is_object()) next = json::object();
      at = &next.as_object();
      rest.remove_prefix(dot + 1);
    }
    (*at)[rest] = value;
  }
  return root;
}

bool IsMappingConflict(const std::string& reason) {
  return reason.rfind("Mapper for [", 0) == 0 || reason.find("cannot be changed from type") != std::string::npos ||
         reason.rfind("can't merge", 0) == 0 || reason.rfind("adding the multi-field", 0) == 0;
}

}  // namespace

json::object IndexSettingsJson(ServerContext& ctx, const std::string& name, const Index& index, bool flat) {
  json::object settings;
  json::value stored = ParseJson(index.SettingsJson(), "index settings");
  if (stored.is_object()) Flatten(stored.get_object(), "", &settings);
  auto set_default = [&](const char* key, json::value value) {
    if (!settings.contains(key)) settings[key] = std::move(value);
  };
  set_default("index.number_of_shards", "1");
  set_default("index.number_of_replicas", "0");
  settings["index.uuid"] = StableUuid(ctx.cluster_uuid + "/" + name);
  settings["index.provided_name"] = name;
  return flat ? settings : Nest(settings);
}

Reply HandlePutMapping(ServerContext& ctx, const Request& req) {
  if (!req.has_body()) throw ValidationError("1: mapping source is missing;");
  json::value body = ParseJson(req.body);
  if (!body.is_object()) throw EsError(400, "mapper_parsing_exception", "Failed to parse mapping: the mapping must be an object");
  std::string mappings = Dump(body);
  for (const auto& [name, index] : ResolveIndexExpression(ctx, req.segments[0], IndexOptions::FromRequest(req))) {
    Status s = index->PutMapping(mappings);
    if (s.ok()) continue;
    if (s.IsInvalidArgument()) {
      if (IsMappingConflict(s.message())) throw IllegalArgument(s.message());
      throw EsError(400, "mapper_parsing_exception", s.message());
    }
    throw FromStatus(s, ErrorScope::kIndex, name);
  }
  return JsonReply(200, R"({"acknowledged":true})");
}

Reply HandleGetSettings(ServerContext& ctx, const Request& req) {
  const bool flat = req.BoolParam("flat_settings", false);
  json::object out;
  for (const auto& [name, index] : ResolveIndexExpression(ctx, req.segments[0], IndexOptions::FromRequest(req))) {
    out[name] = json::object{{"settings", IndexSettingsJson(ctx, name, *index, flat)}};
  }
  return JsonReply(200, json::serialize(out));
}

Reply HandlePutSettings(ServerContext& ctx, const Request& req) {
  if (!req.has_body()) throw ValidationError("1: no settings to update;");
  json::value body = ParseJson(req.body);
  if (!body.is_object()) throw ParsingError("request body must be an object");
  // Elasticsearch takes {"settings":{...}} as well as the settings themselves.
  const json::value* settings = &body;
  if (const json::value* inner = body.get_object().if_contains("settings"); inner != nullptr && body.get_object().size() == 1) {
    settings = inner;
  }
  if (!settings->is_object()) throw ParsingError("[settings] must be an object");
  std::string update = Dump(*settings);
  auto targets = ResolveIndexExpression(ctx, req.segments[0], IndexOptions::FromRequest(req));
  for (const auto& [name, index] : targets) {
    Status s = index->UpdateSettings(update);
    if (s.ok()) continue;
    if (s.IsInvalidArgument()) throw IllegalArgument(s.message());
    throw FromStatus(s, ErrorScope::kIndex, name);
  }
  return JsonReply(200, R"({"acknowledged":true})");
}

}  // namespace ultrasearch::server
