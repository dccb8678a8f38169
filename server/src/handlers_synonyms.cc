// Synonyms sets, as Elasticsearch 8 serves them: PUT|GET|DELETE /_synonyms/ID, GET /_synonyms,
// PUT|GET|DELETE /_synonyms/ID/RULE_ID. The engine holds and persists them; indices whose search
// analyzers use a set see each change on their next search (reload_analyzers_details reports no
// reload because none is needed).
#include <fmt/format.h>

#include "es_errors.h"
#include "handlers.h"
#include "json_util.h"

namespace ultrasearch::server {
namespace {

EsError ResourceNotFound(const std::string& reason) { return EsError(404, "resource_not_found_exception", reason); }

[[noreturn]] void ThrowSynonymError(const Status& s) {
  if (s.IsNotFound()) throw ResourceNotFound(s.message());
  if (s.IsInvalidArgument()) throw IllegalArgument(s.message());
  throw FromStatus(s, ErrorScope::kOther);
}

std::string_view SetId(const Request& req) { return req.segments.at(1); }

std::string RuleText(const json::object& rule, std::string_view what) {
  const json::value* syn = rule.if_contains("synonyms");
  if (syn == nullptr || !syn->is_string()) throw ParsingError(fmt::format("[{}] requires a [synonyms] string", what));
  for (const auto& [key, value] : rule) {
    if (key != "synonyms" && key != "id") throw ParsingError(fmt::format("[{}] unknown field [{}]", what, std::string_view(key)));
  }
  return std::string(syn->as_string());
}

// Elasticsearch's answer to a change: no analyzer needs reloading here.
json::object ChangeReply(std::string_view result) {
  return json::object{{"result", result},
                      {"reload_analyzers_details",
                       json::object{{"_shards", json::object{{"total", 0}, {"successful", 0}, {"failed", 0}}},
                                    {"reload_details", json::array()}}}};
}

// Cached search answers were computed with the old rules (the request cache keys on an index's
// generation, which synonyms do not move): drop them all, as Elasticsearch's analyzer reload does.
void ForgetCachedSearches(ServerContext& ctx) {
  for (const auto& name : ctx.engine.ListIndices()) ctx.request_cache.Forget(name);
}

// from/size paging as the GET endpoints take it (default 10 of each).
std::pair<size_t, size_t> Page(const Request& req, size_t total) {
  int64_t from = req.IntParam("from").value_or(0);
  int64_t size = req.IntParam("size").value_or(10);
  if (from < 0) throw ValidationError("[from] parameter cannot be negative but was [" + std::to_string(from) + "]");
  if (size < 0) throw ValidationError("[size] parameter cannot be negative but was [" + std::to_string(size) + "]");
  size_t begin = std::min(total, static_cast<size_t>(from));
  return {begin, std::min(total, begin + static_cast<size_t>(size))};
}

}  // namespace

Reply HandlePutSynonymSet(ServerContext& ctx, const Request& req) {
  json::value body = ParseJson(req.body);
  const json::object* root = body.if_object();
  const json::value* list = root ? root->if_contains("synonyms_set") : nullptr;
  if (list == nullptr) throw ValidationError("1: synonyms_set is required;");
  std::vector<SynonymRule> rules;
  auto add = [&](const json::value& item) {
    const json::object* rule = item.if_object();
    if (rule == nullptr) throw ParsingError("[synonyms_set] each rule must be an object");
    SynonymRule r;
    if (const json::value* id = rule->if_contains("id")) {
      if (!id->is_string()) throw ParsingError("[synonyms_set] rule [id] must be a string");
      r.id = std::string(id->as_string());
    }
    r.synonyms = RuleText(*rule, "synonyms_set");
    rules.push_back(std::move(r));
  };
  if (list->is_array()) {
    for (const auto& item : list->as_array()) add(item);
  } else {
    add(*list);
  }
  auto created = ctx.engine.PutSynonymSet(SetId(req), std::move(rules));
  if (!created.ok()) ThrowSynonymError(created.status());
  ForgetCachedSearches(ctx);
  return JsonReply(200, json::serialize(ChangeReply(*created ? "created" : "updated")));
}

Reply HandleGetSynonymSet(ServerContext& ctx, const Request& req) {
  auto rules = ctx.engine.GetSynonymSet(SetId(req));
  if (!rules.ok()) ThrowSynonymError(rules.status());
  auto [begin, end] = Page(req, rules->size());
  json::array list;
  for (size_t i = begin; i < end; ++i) {
    list.push_back(json::object{{"id", (*rules)[i].id}, {"synonyms", (*rules)[i].synonyms}});
  }
  return JsonReply(200, json::serialize(json::object{{"count", rules->size()}, {"synonyms_set", std::move(list)}}));
}

Reply HandleListSynonymSets(ServerContext& ctx, const Request& req) {
  auto sets = ctx.engine.ListSynonymSets();
  auto [begin, end] = Page(req, sets.size());
  json::array results;
  for (size_t i = begin; i < end; ++i) {
    results.push_back(json::object{{"synonyms_set", sets[i].id}, {"count", sets[i].count}});
  }
  return JsonReply(200, json::serialize(json::object{{"count", sets.size()}, {"results", std::move(results)}}));
}

Reply HandleDeleteSynonymSet(ServerContext& ctx, const Request& req) {
  if (Status s = ctx.engine.DeleteSynonymSet(SetId(req)); !s.ok()) ThrowSynonymError(s);
  ForgetCachedSearches(ctx);
  return JsonReply(200, R"({"acknowledged":true})");
}

Reply HandlePutSynonymRule(ServerContext& ctx, const Request& req) {
  json::value body = ParseJson(req.body);
  const json::object* root = body.if_object();
  if (root == nullptr) throw ParsingError("request body must be an object");
  SynonymRule rule{req.segments.at(2), RuleText(*root, "synonym_rule")};
  auto added = ctx.engine.PutSynonymRule(SetId(req), std::move(rule));
  if (!added.ok()) ThrowSynonymError(added.status());
  ForgetCachedSearches(ctx);
  return JsonReply(200, json::serialize(ChangeReply(*added ? "created" : "updated")));
}

Reply HandleGetSynonymRule(ServerContext& ctx, const Request& req) {
  auto rule = ctx.engine.GetSynonymRule(SetId(req), req.segments.at(2));
  if (!rule.ok()) ThrowSynonymError(rule.status());
  return JsonReply(200, json::serialize(json::object{{"id", rule->id}, {"synonyms", rule->synonyms}}));
}

Reply HandleDeleteSynonymRule(ServerContext& ctx, const Request& req) {
  if (Status s = ctx.engine.DeleteSynonymRule(SetId(req), req.segments.at(2)); !s.ok()) ThrowSynonymError(s);
  ForgetCachedSearches(ctx);
  return JsonReply(200, json::serialize(ChangeReply("deleted")));
}

}  // namespace ultrasearch::server
