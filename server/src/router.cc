#include "router.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <array>
#include <chrono>
#include <initializer_list>

#include "es_errors.h"
#include "handlers.h"
#include "protocol.h"

namespace ultrasearch::server {
namespace {

constexpr std::string_view kIndex = "{index}";
constexpr std::string_view kId = "{id}";

// kWrite routes change state (documents, indices, commits): they run on the bounded write pool so
// that a slow commit never stalls the I/O threads that answer searches. This table is the only
// place that says which requests write.
enum class Access { kRead, kWrite };

struct Route {
  std::vector<std::string_view> pattern;
  std::vector<Method> methods;
  std::string_view kind;  // metrics label
  Handler handler;
  Access access = Access::kRead;
};

const std::vector<Route>& Routes() {
  using M = Method;
  static const std::vector<Route> routes = {
      {{}, {M::kGet, M::kHead}, "root", HandleRoot},
      {{"health"}, {M::kGet}, "health", HandleHealth},
      {{"metrics"}, {M::kGet}, "metrics", HandleMetrics},
      {{"_cluster", "health"}, {M::kGet}, "cluster_health", HandleClusterHealth},
      {{"_cluster", "health", kIndex}, {M::kGet}, "cluster_health", HandleClusterHealth},
      {{"_cat", "indices"}, {M::kGet}, "cat_indices", HandleCatIndices},
      {{"_cat", "indices", kIndex}, {M::kGet}, "cat_indices", HandleCatIndices},
      {{"_cat", "health"}, {M::kGet}, "cat_health", HandleCatHealth},
      {{"_cat", "count"}, {M::kGet}, "cat_count", HandleCatCount},
      {{"_cat", "count", kId}, {M::kGet}, "cat_count", HandleCatCount},
      {{"_stats"}, {M::kGet}, "stats", HandleIndexStats},
      {{"_nodes", "stats"}, {M::kGet}, "nodes_stats", HandleNodesStats},
      {{"_nodes", kId, "stats"}, {M::kGet}, "nodes_stats", HandleNodesStats},
      {{"_cat", "aliases"}, {M::kGet}, "cat_aliases", HandleCatAliases},
      {{"_cat", "aliases", kId}, {M::kGet}, "cat_aliases", HandleCatAliases},
      {{"_alias"}, {M::kGet}, "alias", HandleGetAliases},
      {{"_alias", kId}, {M::kGet}, "alias", HandleGetAliases},
      {{"_alias", kId}, {M::kHead}, "alias_exists", HandleAliasExists},
      {{"_aliases"}, {M::kGet}, "alias", HandleGetAliases},
      {{"_aliases"}, {M::kPost}, "aliases_update", HandleUpdateAliases, Access::kWrite},
      {{"_bulk"}, {M::kPost, M::kPut}, "bulk", HandleBulk, Access::kWrite},
      {{"_mget"}, {M::kGet, M::kPost}, "mget", HandleMget},
      {{"_refresh"}, {M::kPost, M::kGet}, "refresh", HandleRefresh, Access::kWrite},
      {{"_search"}, {M::kGet, M::kPost}, "search", HandleSearch},
      {{"_msearch"}, {M::kGet, M::kPost}, "msearch", HandleMsearch},
      {{"_count"}, {M::kGet, M::kPost}, "count", HandleCount},
      {{"_analyze"}, {M::kGet, M::kPost}, "analyze", HandleAnalyze},
      {{kIndex}, {M::kPut}, "index_create", HandleCreateIndex, Access::kWrite},
      {{kIndex}, {M::kHead}, "index_exists", HandleIndexExists},
      {{kIndex}, {M::kGet}, "index_get", HandleGetIndex},
      {{kIndex}, {M::kDelete}, "index_delete", HandleDeleteIndex, Access::kWrite},
      {{kIndex, "_mapping"}, {M::kGet}, "mapping", HandleGetMapping},
      {{kIndex, "_stats"}, {M::kGet}, "stats", HandleIndexStats},
      {{kIndex, "_alias"}, {M::kGet}, "alias", HandleGetAliases},
      {{kIndex, "_alias", kId}, {M::kGet}, "alias", HandleGetAliases},
      {{kIndex, "_alias", kId}, {M::kHead}, "alias_exists", HandleAliasExists},
      {{kIndex, "_alias", kId}, {M::kPut, M::kPost}, "alias_put", HandlePutAlias, Access::kWrite},
      {{kIndex, "_aliases", kId}, {M::kPut, M::kPost}, "alias_put", HandlePutAlias, Access::kWrite},
      {{kIndex, "_alias", kId}, {M::kDelete}, "alias_delete", HandleDeleteAlias, Access::kWrite},
      {{kIndex, "_aliases", kId}, {M::kDelete}, "alias_delete", HandleDeleteAlias, Access::kWrite},
      {{kIndex, "_doc"}, {M::kPost}, "doc_index", HandleAutoIdDoc, Access::kWrite},
      {{kIndex, "_bulk"}, {M::kPost, M::kPut}, "bulk", HandleBulk, Access::kWrite},
      {{kIndex, "_mget"}, {M::kGet, M::kPost}, "mget", HandleMget},
      {{kIndex, "_refresh"}, {M::kPost, M::kGet}, "refresh", HandleRefresh, Access::kWrite},
      {{kIndex, "_search"}, {M::kGet, M::kPost}, "search", HandleSearch},
      {{kIndex, "_msearch"}, {M::kGet, M::kPost}, "msearch", HandleMsearch},
      {{kIndex, "_count"}, {M::kGet, M::kPost}, "count", HandleCount},
      {{kIndex, "_analyze"}, {M::kGet, M::kPost}, "analyze", HandleAnalyze},
      {{kIndex, "_doc", kId}, {M::kPut, M::kPost}, "doc_index", HandlePutDoc, Access::kWrite},
      {{kIndex, "_doc", kId}, {M::kGet, M::kHead}, "doc_get", HandleGetDoc},
      {{kIndex, "_doc", kId}, {M::kDelete}, "doc_delete", HandleDeleteDoc, Access::kWrite},
      {{kIndex, "_create", kId}, {M::kPut, M::kPost}, "doc_create", HandleCreateDoc, Access::kWrite},
      {{kIndex, "_update", kId}, {M::kPost}, "doc_update", HandleUpdateDoc, Access::kWrite},
      {{kIndex, "_source", kId}, {M::kGet, M::kHead}, "doc_source", HandleGetSource},
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
    bool open_route = best && best->handler == HandleHealth;
    if (ctx.api_keys.enabled() && !open_route && !ctx.api_keys.Allows(req.authorization)) {
      throw Unauthorized(req);
    }
    if (!best && !allowed.empty()) {
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
      CheckCompatibleMediaTypes(req);
      DecodeRequestBody(ctx.options.max_body_bytes, &req);
      reply = best->handler(ctx, req);
    }
  } catch (const EsError& e) {
    reply = FromError(e);
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
