// Aliases, as Elasticsearch 8 serves them: POST /_aliases (an atomic action list), GET|HEAD
// /_alias[/NAME], GET|HEAD /INDEX/_alias[/NAME], GET /_aliases, PUT|POST|DELETE
// /INDEX/_alias/NAME (and _aliases), GET /_cat/aliases[/NAME]. The engine holds and persists them.
#include <fmt/format.h>

#include <map>
#include <set>

#include "cat_table.h"
#include "es_errors.h"
#include "handler_util.h"
#include "name_lists.h"
#include "handlers.h"
#include "json_util.h"
#include "ultrasearch/wildcard.h"

namespace ultrasearch::server {
namespace {

bool AnyMatches(const std::vector<std::string>& patterns, std::string_view name) {
  for (const auto& p : patterns) {
    if (p == "_all" || WildcardMatch(p, name)) return true;
  }
  return false;
}

EsError AliasesMissing(const std::vector<std::string>& names) {
  std::string list;
  for (const auto& n : names) list += (list.empty() ? "" : ",") + n;
  EsError e(404, "aliases_not_found_exception", fmt::format("aliases [{}] missing", list));
  e.extra()["resource.type"] = "aliases";
  e.extra()["resource.id"] = list;
  return e;
}

// The engine's refusals as Elasticsearch words them.
[[noreturn]] void ThrowAliasError(const Status& s, const std::vector<std::string>& aliases) {
  const std::string& m = s.message();
  if (s.IsNotFound() && m.rfind("no such index [", 0) == 0) {
    throw IndexNotFound(std::string_view(m).substr(15, m.size() - 16));
  }
  if (s.IsNotFound()) throw AliasesMissing(aliases);
  if (m.rfind("Invalid alias name [", 0) == 0) {
    EsError e(400, "invalid_alias_name_exception", m);
    throw e;
  }
  if (s.IsInvalidArgument()) throw IllegalArgument(m);
  throw FromStatus(s, ErrorScope::kOther);
}

std::vector<std::string> StringOrList(const json::value& v, std::string_view action, std::string_view key) {
  if (v.is_string()) return {std::string(v.get_string())};
  std::vector<std::string> out;
  if (v.is_array()) {
    for (const auto& item : v.get_array()) {
      if (!item.is_string()) break;
      out.emplace_back(item.get_string());
    }
    if (out.size() == v.get_array().size()) return out;
  }
  throw ParsingError(fmt::format("[{}] failed to parse field [{}]", action, key));
}

std::optional<bool> OptionalBool(const json::value& v, std::string_view action, std::string_view key) {
  if (v.is_null()) return std::nullopt;
  if (!v.is_bool()) throw ParsingError(fmt::format("[{}] failed to parse field [{}]", action, key));
  return v.get_bool();
}

// Keys of an add/remove body that only matter with several shards or hidden indices: routing
// has no effect on one shard, so they are accepted; a filter would change what the alias
// returns, so it is refused rather than ignored.
void CheckUnsupportedAliasKey(std::string_view action, std::string_view key, const json::value& v) {
  if (key == "routing" || key == "index_routing" || key == "search_routing") return;
  if (key == "is_hidden") {
    if (v.is_bool() && !v.get_bool()) return;
    throw IllegalArgument("hidden aliases are not supported by this server");
  }
  if (key == "filter") throw IllegalArgument("alias filters are not supported by this server");
  throw ParsingError(fmt::format("[{}] unknown field [{}]", action, key));
}

AliasAction ParseAction(std::string_view type, const json::value& body) {
  if (!body.is_object()) throw ParsingError(fmt::format("[{}] must be an object", type));
  AliasAction action;
  action.type = type == "add"      ? AliasAction::Type::kAdd
                : type == "remove" ? AliasAction::Type::kRemove
                                   : AliasAction::Type::kRemoveIndex;
  for (const auto& [key, v] : body.get_object()) {
    if (key == "index" || key == "indices") {
      for (auto& n : StringOrList(v, type, key)) action.indices.push_back(std::move(n));
    } else if ((key == "alias" || key == "aliases") && action.type != AliasAction::Type::kRemoveIndex) {
      for (auto& n : StringOrList(v, type, key)) action.aliases.push_back(std::move(n));
    } else if (key == "is_write_index" && action.type == AliasAction::Type::kAdd) {
      action.is_write_index = OptionalBool(v, type, key);
    } else if (key == "must_exist" && action.type != AliasAction::Type::kAdd) {
      action.must_exist = OptionalBool(v, type, key);
    } else if (action.type == AliasAction::Type::kAdd) {
      CheckUnsupportedAliasKey(type, key, v);
    } else {
      throw ParsingError(fmt::format("[{}] unknown field [{}]", type, std::string_view(key)));
    }
  }
  if (action.indices.empty()) throw ValidationError("1: One of [index] or [indices] is required;");
  if (action.type != AliasAction::Type::kRemoveIndex && action.aliases.empty()) {
    throw ValidationError("1: One of [alias] or [aliases] is required;");
  }
  return action;
}

void Apply(ServerContext& ctx, const std::vector<AliasAction>& actions) {
  Status s = ctx.engine.UpdateAliases(actions);
  if (s.ok()) return;
  std::vector<std::string> aliases;
  for (const auto& a : actions) aliases.insert(aliases.end(), a.aliases.begin(), a.aliases.end());
  ThrowAliasError(s, aliases);
}

// What GET /_alias/NAME and friends answer: {"INDEX":{"aliases":{"ALIAS":{...}}}} for the indices
// of `index_expression` (all when empty) and aliases matching `names` (all when empty); `missing`
// gets the names asked for by name that matched nothing.
json::object AliasListing(ServerContext& ctx, const Request& req, std::string_view index_expression,
                          const std::vector<std::string>& names, std::vector<std::string>* missing) {
  std::vector<std::string> indices;
  if (index_expression.empty()) {
    indices = ctx.engine.ListIndices();
  } else {
    for (auto& t : ResolveIndexExpression(ctx, index_expression, IndexOptions::FromRequest(req))) {
      indices.push_back(std::move(t.name));
    }
  }
  std::set<std::string> wanted(indices.begin(), indices.end());
  json::object out;
  if (names.empty()) {
    for (const auto& i : indices) out[i] = json::object{{"aliases", json::object{}}};
  }
  std::set<std::string> found;
  for (const AliasEntry& e : ctx.engine.ListAliases()) {
    if (!wanted.count(e.index) || (!names.empty() && !AnyMatches(names, e.alias))) continue;
    found.insert(e.alias);
    json::object props;
    if (e.is_write_index) props["is_write_index"] = *e.is_write_index;
    json::value& entry = out[e.index];
    if (!entry.is_object()) entry = json::object{{"aliases", json::object{}}};
    entry.as_object()["aliases"].as_object()[e.alias] = std::move(props);
  }
  for (const auto& n : names) {
    if (!IsNamePattern(n) && !found.count(n)) missing->push_back(n);
  }
  return out;
}

// The NAME segment of /_alias/NAME or /INDEX/_alias/NAME; empty when absent.
std::vector<std::string> AliasNamesOf(const Request& req) {
  const auto& seg = req.segments;
  if (seg.size() >= 2 && (seg[0] == "_alias" || seg[0] == "_aliases")) return SplitCommaList(seg[1]);
  if (seg.size() >= 3) return SplitCommaList(seg[2]);
  return {};
}

std::string_view IndexExpressionOf(const Request& req) {
  return req.segments.size() >= 2 && req.segments[0][0] != '_' ? std::string_view(req.segments[0]) : "";
}

}  // namespace

Reply HandleGetAliases(ServerContext& ctx, const Request& req) {
  std::vector<std::string> names = AliasNamesOf(req);
  std::vector<std::string> missing;
  json::object out = AliasListing(ctx, req, IndexExpressionOf(req), names, &missing);
  if (missing.empty()) return JsonReply(200, json::serialize(out));
  // Elasticsearch's own shape for this one: the error is a string beside what was found.
  std::string list;
  for (const auto& n : missing) list += (list.empty() ? "" : ",") + n;
  json::object body{{"error", fmt::format("alias{} [{}] missing", missing.size() > 1 ? "es" : "", list)},
                    {"status", 404}};
  for (auto& [index, entry] : out) body[index] = std::move(entry);
  return JsonReply(404, json::serialize(body));
}

Reply HandleAliasExists(ServerContext& ctx, const Request& req) {
  std::vector<std::string> names = AliasNamesOf(req);
  std::vector<std::string> missing;
  json::object out = AliasListing(ctx, req, IndexExpressionOf(req), names, &missing);
  return JsonReply(missing.empty() && !out.empty() ? 200 : 404, "");
}

Reply HandleUpdateAliases(ServerContext& ctx, const Request& req) {
  json::value body = ParseJson(req.body);
  const json::object* root = body.if_object();
  if (root == nullptr) throw ParsingError("request body must be an object");
  std::vector<AliasAction> actions;
  for (const auto& [key, v] : *root) {
    if (key != "actions") throw ParsingError(fmt::format("[aliases] unknown field [{}]", std::string_view(key)));
    if (!v.is_array()) throw ParsingError("[aliases] failed to parse field [actions]");
    for (const auto& item : v.get_array()) {
      const json::object* wrapper = item.if_object();
      if (wrapper == nullptr || wrapper->size() != 1) {
        throw ParsingError("[aliases] each action must be an object with one of [add], [remove], [remove_index]");
      }
      std::string_view type = wrapper->begin()->key();
      if (type != "add" && type != "remove" && type != "remove_index") {
        throw ParsingError(fmt::format("Unknown action [{}]", type));
      }
      actions.push_back(ParseAction(type, wrapper->begin()->value()));
    }
  }
  if (actions.empty()) throw ValidationError("1: Must specify at least one alias action;");
  Apply(ctx, actions);
  for (const auto& a : actions) {
    if (a.type == AliasAction::Type::kRemoveIndex) {
      for (const auto& i : a.indices) ctx.activity.Forget(i);
    }
  }
  return JsonReply(200, R"({"acknowledged":true,"errors":false})");
}

Reply HandlePutAlias(ServerContext& ctx, const Request& req) {
  AliasAction action;
  action.type = AliasAction::Type::kAdd;
  action.indices = SplitCommaList(req.segments[0]);
  action.aliases = SplitCommaList(req.segments[2]);
  if (req.has_body()) {
    json::value body = ParseJson(req.body);
    if (!body.is_object()) throw ParsingError("request body must be an object");
    for (const auto& [key, v] : body.get_object()) {
      if (key == "is_write_index") {
        action.is_write_index = OptionalBool(v, "alias", key);
      } else {
        CheckUnsupportedAliasKey("alias", key, v);
      }
    }
  }
  Apply(ctx, {action});
  return JsonReply(200, R"({"acknowledged":true})");
}

Reply HandleDeleteAlias(ServerContext& ctx, const Request& req) {
  AliasAction action;
  action.type = AliasAction::Type::kRemove;
  action.indices = SplitCommaList(req.segments[0]);
  action.aliases = SplitCommaList(req.segments[2]);
  Apply(ctx, {action});
  return JsonReply(200, R"({"acknowledged":true})");
}

Reply HandleCatAliases(ServerContext& ctx, const Request& req) {
  std::vector<std::string> names = req.segments.size() > 2 ? SplitCommaList(req.segments[2]) : std::vector<std::string>{};
  CatTable table;
  table.columns = {"alias", "index", "filter", "routing.index", "routing.search", "is_write_index"};
  for (const AliasEntry& e : ctx.engine.ListAliases()) {
    if (!names.empty() && !AnyMatches(names, e.alias)) continue;
    std::string is_write = e.is_write_index ? (*e.is_write_index ? "true" : "false") : "-";
    table.rows.push_back({e.alias, e.index, "-", "-", "-", is_write});
  }
  return CatReply(req, table);
}

}  // namespace ultrasearch::server
