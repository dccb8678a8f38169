#include "router.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <array>
#include <chrono>
#include <initializer_list>
#include <optional>

#include "es_errors.h"
#include "handlers.h"
#include "protocol.h"
#include "security/authorize.h"

namespace ultrasearch::server {
namespace {

constexpr std::string_view kIndex = "{index}";
constexpr std::string_view kId = "{id}";

// kWrite routes change state (documents, indices, commits): they run on the bounded write pool so
// that a slow commit never stalls the I/O threads that answer searches. This table is the only
// place that says which requests write.
enum class Access { kRead, kWrite };

// What a route's action applies to, for authorization (security/privileges.h says which
// privileges grant each action).
enum class Scope {
  kOpen,           // no key needed
  kAuthenticated,  // any valid key
  kCluster,        // a cluster action
  kPathIndex,      // the index expression in the path; without one, _all (wildcards and _all
                   // expand only to the indices the key may act on, as in Elasticsearch)
  kEveryIndex,     // every existing index, each of which must be allowed
  kItems,          // checked per item by the handler (_bulk, _mget, _msearch)
};

struct Route {
  std::vector<std::string_view> pattern;
  std::vector<Method> methods;
  std::string_view kind;  // metrics label
  Handler handler;
  Scope scope;
  security::Action action;
  Access access = Access::kRead;
};

const std::vector<Route>& Routes() {
  using M = Method;
  using A = security::Action;
  using S = Scope;
  constexpr Access W = Access::kWrite;
  static const std::vector<Route> routes = {
      {{}, {M::kGet, M::kHead}, "root", HandleRoot, S::kCluster, A::kClusterMain},
      {{"health"}, {M::kGet}, "health", HandleHealth, S::kOpen, A::kAuthenticated},
      {{"metrics"}, {M::kGet}, "metrics", HandleMetrics, S::kCluster, A::kMetrics},
      {{"_cluster", "health"}, {M::kGet}, "cluster_health", HandleClusterHealth, S::kCluster, A::kClusterHealth},
      {{"_cluster", "health", kIndex}, {M::kGet}, "cluster_health", HandleClusterHealth, S::kCluster,
       A::kClusterHealth},
      {{"_cat", "indices"}, {M::kGet}, "cat_indices", HandleCatIndices, S::kCluster, A::kCat},
      {{"_cat", "indices", kIndex}, {M::kGet}, "cat_indices", HandleCatIndices, S::kCluster, A::kCat},
      {{"_cat", "health"}, {M::kGet}, "cat_health", HandleCatHealth, S::kCluster, A::kCat},
      {{"_cat", "count"}, {M::kGet}, "cat_count", HandleCatCount, S::kCluster, A::kCat},
      {{"_cat", "count", kId}, {M::kGet}, "cat_count", HandleCatCount, S::kCluster, A::kCat},
      {{"_stats"}, {M::kGet}, "stats", HandleIndexStats, S::kCluster, A::kClusterStats},
      {{"_nodes", "stats"}, {M::kGet}, "nodes_stats", HandleNodesStats, S::kCluster, A::kNodesStats},
      {{"_nodes", kId, "stats"}, {M::kGet}, "nodes_stats", HandleNodesStats, S::kCluster, A::kNodesStats},
      {{"_cat", "aliases"}, {M::kGet}, "cat_aliases", HandleCatAliases, S::kCluster, A::kCat},
      {{"_cat", "aliases", kId}, {M::kGet}, "cat_aliases", HandleCatAliases, S::kCluster, A::kCat},
      {{"_alias"}, {M::kGet}, "alias", HandleGetAliases, S::kEveryIndex, A::kViewMetadata},
      {{"_alias", kId}, {M::kHead}, "alias_exists", HandleAliasExists, S::kEveryIndex, A::kViewMetadata},
      {{"_alias", kId}, {M::kGet}, "alias", HandleGetAliases, S::kEveryIndex, A::kViewMetadata},
      {{"_aliases"}, {M::kGet}, "alias", HandleGetAliases, S::kEveryIndex, A::kViewMetadata},
      {{"_aliases"}, {M::kPost}, "aliases_update", HandleUpdateAliases, S::kEveryIndex, A::kManageAliases, W},
      {{"_bulk"}, {M::kPost, M::kPut}, "bulk", HandleBulk, S::kItems, A::kBulk, W},
      // Read on the sources and write on the destination are checked by the handler.
      {{"_reindex"}, {M::kPost}, "reindex", HandleReindex, S::kItems, A::kIndexDoc, W},
      // On the write pool although it writes nothing: with wait_for_completion=true it may wait
      // for a task, which must never hold an I/O thread.
      {{"_tasks", kId}, {M::kGet}, "tasks_get", HandleGetTask, S::kCluster, A::kTaskGet, W},
      {{"_mget"}, {M::kGet, M::kPost}, "mget", HandleMget, S::kItems, A::kMget},
      {{"_refresh"}, {M::kPost, M::kGet}, "refresh", HandleRefresh, S::kEveryIndex, A::kRefresh, W},
      {{"_forcemerge"}, {M::kPost}, "forcemerge", HandleForceMerge, S::kEveryIndex, A::kForceMerge, W},
      {{"_search"}, {M::kGet, M::kPost}, "search", HandleSearch, S::kPathIndex, A::kSearch},
      {{"_msearch"}, {M::kGet, M::kPost}, "msearch", HandleMsearch, S::kItems, A::kMsearch},
      // A scroll id is 192 random bits handed to the one who began the scroll with read access.
      {{"_search", "scroll"}, {M::kGet, M::kPost}, "scroll", HandleScroll, S::kAuthenticated, A::kAuthenticated},
      {{"_search", "scroll", kId}, {M::kGet, M::kPost}, "scroll", HandleScroll, S::kAuthenticated, A::kAuthenticated},
      {{"_search", "scroll"}, {M::kDelete}, "clear_scroll", HandleClearScroll, S::kAuthenticated, A::kAuthenticated},
      {{"_search", "scroll", kId}, {M::kDelete}, "clear_scroll", HandleClearScroll, S::kAuthenticated,
       A::kAuthenticated},
      {{"_count"}, {M::kGet, M::kPost}, "count", HandleCount, S::kPathIndex, A::kSearch},
      // A point in time id is 192 random bits handed to the one who opened it with read access.
      {{"_pit"}, {M::kDelete}, "close_point_in_time", HandleClosePit, S::kAuthenticated, A::kAuthenticated},
      {{"_analyze"}, {M::kGet, M::kPost}, "analyze", HandleAnalyze, S::kAuthenticated, A::kAuthenticated},
      {{"_security", "api_key"}, {M::kPost, M::kPut}, "security_api_key", HandleCreateApiKey, S::kCluster,
       A::kApiKeyCreate, W},
      {{"_security", "api_key"}, {M::kGet}, "security_api_key", HandleGetApiKeys, S::kCluster, A::kApiKeyGet},
      {{"_security", "api_key"}, {M::kDelete}, "security_api_key", HandleInvalidateApiKeys, S::kCluster,
       A::kApiKeyInvalidate, W},
      {{"_security", "_authenticate"}, {M::kGet}, "security_authenticate", HandleAuthenticate, S::kAuthenticated,
       A::kAuthenticated},
      // Snapshots are the cluster's `manage` privilege (admin keys), as in Elasticsearch.
      {{"_snapshot"}, {M::kGet}, "snapshot_repository", HandleGetRepositories, S::kCluster, A::kClusterManage},
      {{"_snapshot", kId}, {M::kGet}, "snapshot_repository", HandleGetRepositories, S::kCluster, A::kClusterManage},
      {{"_snapshot", kId}, {M::kPut, M::kPost}, "snapshot_repository", HandlePutRepository, S::kCluster,
       A::kClusterManage, W},
      {{"_snapshot", kId}, {M::kDelete}, "snapshot_repository", HandleDeleteRepository, S::kCluster,
       A::kClusterManage, W},
      {{"_snapshot", kId, kId}, {M::kGet}, "snapshot_get", HandleGetSnapshots, S::kCluster, A::kClusterManage},
      {{"_snapshot", kId, kId}, {M::kPut, M::kPost}, "snapshot_create", HandleCreateSnapshot, S::kCluster,
       A::kClusterManage, W},
      {{"_snapshot", kId, kId}, {M::kDelete}, "snapshot_delete", HandleDeleteSnapshot, S::kCluster,
       A::kClusterManage, W},
      {{"_snapshot", kId, kId, "_restore"}, {M::kPost}, "snapshot_restore", HandleRestoreSnapshot, S::kCluster,
       A::kClusterManage, W},
      // Synonyms sets: the cluster's `manage` privilege, as Elasticsearch's manage_search_synonyms.
      {{"_synonyms"}, {M::kGet}, "synonyms", HandleListSynonymSets, S::kCluster, A::kClusterManage},
      {{"_synonyms", kId}, {M::kGet}, "synonyms", HandleGetSynonymSet, S::kCluster, A::kClusterManage},
      {{"_synonyms", kId}, {M::kPut}, "synonyms_put", HandlePutSynonymSet, S::kCluster, A::kClusterManage, W},
      {{"_synonyms", kId}, {M::kDelete}, "synonyms_delete", HandleDeleteSynonymSet, S::kCluster, A::kClusterManage, W},
      {{"_synonyms", kId, kId}, {M::kGet}, "synonyms", HandleGetSynonymRule, S::kCluster, A::kClusterManage},
      {{"_synonyms", kId, kId}, {M::kPut}, "synonyms_put", HandlePutSynonymRule, S::kCluster, A::kClusterManage, W},
      {{"_synonyms", kId, kId}, {M::kDelete}, "synonyms_delete", HandleDeleteSynonymRule, S::kCluster,
       A::kClusterManage, W},
      {{kIndex}, {M::kPut}, "index_create", HandleCreateIndex, S::kPathIndex, A::kCreateIndex, W},
      {{kIndex}, {M::kHead}, "index_exists", HandleIndexExists, S::kPathIndex, A::kViewMetadata},
      {{kIndex}, {M::kGet}, "index_get", HandleGetIndex, S::kPathIndex, A::kViewMetadata},
      {{kIndex}, {M::kDelete}, "index_delete", HandleDeleteIndex, S::kPathIndex, A::kDeleteIndex, W},
      {{kIndex, "_mapping"}, {M::kGet}, "mapping", HandleGetMapping, S::kPathIndex, A::kViewMetadata},
      {{kIndex, "_mapping"}, {M::kPut, M::kPost}, "mapping_put", HandlePutMapping, S::kPathIndex, A::kPutMapping, W},
      {{kIndex, "_settings"}, {M::kGet}, "settings", HandleGetSettings, S::kPathIndex, A::kViewMetadata},
      {{kIndex, "_settings"}, {M::kPut}, "settings_put", HandlePutSettings, S::kPathIndex, A::kUpdateSettings, W},
      // Long-running requests start a task (tasks.h); the write pool only starts or awaits it.
      {{kIndex, "_delete_by_query"}, {M::kPost}, "delete_by_query", HandleDeleteByQuery, S::kPathIndex,
       A::kDeleteByQuery, W},
      {{kIndex, "_update_by_query"}, {M::kPost}, "update_by_query", HandleUpdateByQuery, S::kPathIndex,
       A::kUpdateByQuery, W},
      {{kIndex, "_ultrasearch", "reindex"}, {M::kPost}, "text_reindex", HandleTextReindex, S::kPathIndex,
       A::kReindexText, W},
      {{kIndex, "_stats"}, {M::kGet}, "stats", HandleIndexStats, S::kPathIndex, A::kMonitorIndex},
      {{kIndex, "_alias"}, {M::kGet}, "alias", HandleGetAliases, S::kPathIndex, A::kViewMetadata},
      {{kIndex, "_alias", kId}, {M::kGet}, "alias", HandleGetAliases, S::kPathIndex, A::kViewMetadata},
      {{kIndex, "_alias", kId}, {M::kHead}, "alias_exists", HandleAliasExists, S::kPathIndex, A::kViewMetadata},
      {{kIndex, "_alias", kId}, {M::kPut, M::kPost}, "alias_put", HandlePutAlias, S::kPathIndex, A::kManageAliases, W},
      {{kIndex, "_aliases", kId}, {M::kPut, M::kPost}, "alias_put", HandlePutAlias, S::kPathIndex, A::kManageAliases,
       W},
      {{kIndex, "_alias", kId}, {M::kDelete}, "alias_delete", HandleDeleteAlias, S::kPathIndex, A::kManageAliases, W},
      {{kIndex, "_aliases", kId}, {M::kDelete}, "alias_delete", HandleDeleteAlias, S::kPathIndex,
       A::kManageAliases, W},
      {{kIndex, "_doc"}, {M::kPost}, "doc_index", HandleAutoIdDoc, S::kPathIndex, A::kIndexDoc, W},
      {{kIndex, "_bulk"}, {M::kPost, M::kPut}, "bulk", HandleBulk, S::kItems, A::kBulk, W},
      {{kIndex, "_mget"}, {M::kGet, M::kPost}, "mget", HandleMget, S::kItems, A::kMget},
      {{kIndex, "_refresh"}, {M::kPost, M::kGet}, "refresh", HandleRefresh, S::kPathIndex, A::kRefresh, W},
      {{kIndex, "_forcemerge"}, {M::kPost}, "forcemerge", HandleForceMerge, S::kPathIndex, A::kForceMerge, W},
      {{kIndex, "_search"}, {M::kGet, M::kPost}, "search", HandleSearch, S::kPathIndex, A::kSearch},
      {{kIndex, "_pit"}, {M::kPost}, "open_point_in_time", HandleOpenPit, S::kPathIndex, A::kSearch},
      {{kIndex, "_msearch"}, {M::kGet, M::kPost}, "msearch", HandleMsearch, S::kItems, A::kMsearch},
      {{kIndex, "_count"}, {M::kGet, M::kPost}, "count", HandleCount, S::kPathIndex, A::kSearch},
      {{kIndex, "_analyze"}, {M::kGet, M::kPost}, "analyze", HandleAnalyze, S::kPathIndex, A::kAnalyze},
      {{kIndex, "_doc", kId}, {M::kPut, M::kPost}, "doc_index", HandlePutDoc, S::kPathIndex, A::kIndexDoc, W},
      {{kIndex, "_doc", kId}, {M::kGet, M::kHead}, "doc_get", HandleGetDoc, S::kPathIndex, A::kGet},
      {{kIndex, "_doc", kId}, {M::kDelete}, "doc_delete", HandleDeleteDoc, S::kPathIndex, A::kDeleteDoc, W},
      {{kIndex, "_create", kId}, {M::kPut, M::kPost}, "doc_create", HandleCreateDoc, S::kPathIndex, A::kCreateDoc, W},
      {{kIndex, "_update", kId}, {M::kPost}, "doc_update", HandleUpdateDoc, S::kPathIndex, A::kUpdateDoc, W},
      {{kIndex, "_source", kId}, {M::kGet, M::kHead}, "doc_source", HandleGetSource, S::kPathIndex, A::kGet},
  };
  return routes;
}

// -1 when the path does not fit; otherwise the number of literal segments (more wins).
int MatchScore(const Route& route, const std::vector<std::string>& segments) {
  if (route.pattern.size() != segments.size()) return -1;
  int literals = 0;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    std::string_view p = route.pattern[i];
    if (p == kIndex) {
      if (segments[i].empty() || segments[i][0] == '_') return -1;
    } else if (p != kId) {
      if (p != segments[i]) return -1;
      ++literals;
    }
  }
  return literals;
}

bool Allows(const Route& route, Method m) {
  for (Method allowed : route.methods) {
    if (allowed == m) return true;
  }
  return false;
}

Reply FromError(const EsError& e) {
  Reply r = JsonReply(e.status(), e.Body());
  r.error = true;
  if (e.status() == 401) r.headers.emplace_back("WWW-Authenticate", "ApiKey");
  return r;
}

EsError Unauthorized(const Request& req) {
  std::string reason =
      req.authorization.empty()
          ? fmt::format("missing authentication credentials for REST request [{}]", req.target)
          : "unable to authenticate with provided credentials and anonymous access is not allowed for this request";
  EsError e(401, "security_exception", reason);
  e.extra()["header"] = boost::json::object{{"WWW-Authenticate", boost::json::array{"ApiKey"}}};
  return e;
}


// Throws 403 unless the request's key may do what `route` does; for index routes also tells the
// handler which indices a wildcard may expand to.
void Authorize(ServerContext& ctx, const Route& route, Request& req) {
  switch (route.scope) {
    case Scope::kOpen:
    case Scope::kAuthenticated:
    case Scope::kItems:
      return;
    case Scope::kCluster:
      security::CheckCluster(req, route.action);
      return;
    case Scope::kEveryIndex:
      if (req.principal && !req.principal->Unrestricted()) {
        security::CheckIndices(req, route.action, ctx.engine.ListIndices());
      }
      return;
    case Scope::kPathIndex: {
      bool has_index = !route.pattern.empty() && route.pattern[0] == kIndex;
      security::CheckIndexExpression(req, route.action, has_index ? std::string_view(req.segments[0]) : "_all");
      req.index_visible = security::VisibleIndices(req, route.action);
      return;
    }
  }
}

// Authenticates the request and spends a token of its key's rate limit. Returns an error reply
// (401, 429) or nullopt to go on.
std::optional<Reply> Authenticate(ServerContext& ctx, Request& req) {
  req.principal = ctx.auth.Authenticate(req.authorization);
  if (!req.principal) return FromError(Unauthorized(req));
  auto wait = req.principal->bucket.Acquire(std::chrono::steady_clock::now());
  if (wait.count() > 0) {
    int64_t seconds = security::RetryAfterSeconds(wait);
    Reply reply = FromError(security::RateLimited(*req.principal, seconds));
    reply.headers.emplace_back("Retry-After", std::to_string(seconds));
    return reply;
  }
  return std::nullopt;
}
// `?error_trace=true`: Elasticsearch adds the Java stack of the error. This server keeps no
// native stacks; it names the error and where the request failed, in the same field.
EsError WithErrorTrace(const Request& req, std::string_view kind, const EsError& e) {
  auto trace = req.Param("error_trace");
  if (!trace || (!trace->empty() && *trace != "true")) return e;
  EsError traced = e;
  traced.extra()["stack_trace"] =
      fmt::format("{}: {}\n\tat {} {} [{}]", e.type(), e.reason(), MethodName(req.method),
                  std::string_view(req.target).substr(0, req.target.find('?')), kind);
  return traced;
}

}  // namespace

// The route for `req` (the most literal segments win), or nullptr; `allowed` (may be null) gets the
// methods of routes whose path fits.
const Route* FindRoute(const Request& req, std::vector<std::string_view>* allowed) {
  const Route* best = nullptr;
  int best_score = -1;
  for (const Route& route : Routes()) {
    int score = MatchScore(route, req.segments);
    if (score < 0) continue;
    if (Allows(route, req.method) && score > best_score) {
      best = &route;
      best_score = score;
    }
    if (allowed != nullptr) {
      for (Method m : route.methods) allowed->push_back(MethodName(m));
    }
  }
  return best;
}

Reply ErrorReply(unsigned status, const std::string& type, const std::string& reason) {
  return FromError(EsError(status, type, reason));
}

Reply HandleRequest(ServerContext& ctx, Request& req) {
  auto start = std::chrono::steady_clock::now();
  std::string_view kind = "unknown";
  Reply reply;
  try {
    std::vector<std::string_view> allowed;
    const Route* best = FindRoute(req, &allowed);
    bool open_route = best && best->scope == Scope::kOpen;
    std::optional<Reply> refused;
    if (ctx.auth.enabled() && !open_route) refused = Authenticate(ctx, req);
    if (refused) {
      reply = std::move(*refused);
    } else if (!best && !allowed.empty()) {
      std::string list;
      for (std::string_view m : allowed) {
        if (list.find(m) == std::string::npos) list += (list.empty() ? "" : ", ") + std::string(m);
      }
      EsError e(405, "method_not_allowed_exception",
                fmt::format("Incorrect HTTP method for uri [{}] and method [{}], allowed: [{}]", req.target,
                            MethodName(req.method), list));
      reply = FromError(e);
      reply.headers.emplace_back("Allow", list);
    } else if (!best) {
      throw IllegalArgument(
          fmt::format("no handler found for uri [{}] and method [{}]", req.target, MethodName(req.method)));
    } else {
      kind = best->kind;
      Authorize(ctx, *best, req);
      CheckCompatibleMediaTypes(req);
      CheckReplyParams(req);
      DecodeRequestBody(ctx.options.BodyLimitFor(req.target), &req);
      reply = best->handler(ctx, req);
    }
  } catch (const EsError& e) {
    reply = FromError(WithErrorTrace(req, kind, e));
  } catch (const std::bad_alloc&) {
    reply = ErrorReply(500, "out_of_memory_error", "not enough memory to handle the request");
  } catch (const std::exception& e) {
    spdlog::error("{} {}: unexpected exception: {}", MethodName(req.method), req.target, e.what());
    reply = ErrorReply(500, "exception", e.what());
  } catch (...) {
    // The last resort (a Xapian::Error is not a std::exception): answer and keep serving.
    spdlog::error("{} {}: unexpected exception of unknown type", MethodName(req.method), req.target);
    reply = ErrorReply(500, "exception", "internal error while handling the request");
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ctx.metrics.Record(kind, MethodName(req.method), reply.status, seconds);
  FinishReply(req, &reply);
  return reply;
}

bool IsWriteRequest(const Request& req) {
  const Route* route = FindRoute(req, nullptr);
  return route != nullptr && route->access == Access::kWrite;
}

}  // namespace ultrasearch::server
