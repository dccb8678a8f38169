// Points in time: POST /INDEX/_pit?keep_alive= pins the index's searchable state (the engine's
// Index::OpenPointInTime), `pit: {id, keep_alive}` in a /_search body searches it, DELETE /_pit
// frees it. Open ones are bounded and expire like scrolls (scroll_store.h).
#include <fmt/format.h>

#include "es_errors.h"
#include "handler_util.h"
#include "handlers.h"
#include "json_util.h"
#include "search_request.h"
#include "search_response.h"

namespace ultrasearch::server {
namespace {

std::chrono::milliseconds KeepAlive(std::string_view text) {
  int64_t ms = ParseTimeValueMs(text, "keep_alive");
  if (ms <= 0 || ms > PitStore::kMaxKeepAlive.count()) {
    throw IllegalArgument(fmt::format("[keep_alive] must be a positive time value of at most 1d, found [{}]", text));
  }
  return std::chrono::milliseconds(ms);
}

}  // namespace

Reply HandleOpenPit(ServerContext& ctx, const Request& req) {
  auto keep_alive = req.Param("keep_alive");
  if (!keep_alive) throw ValidationError("1: [keep_alive] is not set;");
  const std::chrono::milliseconds ttl = KeepAlive(*keep_alive);
  ResolvedIndex target = RequireIndex(ctx, req.segments[0]);
  auto pit = target.index->OpenPointInTime();
  if (!pit.ok()) throw FromStatus(pit.status(), ErrorScope::kSearch, target.name);
  auto context = std::make_shared<PitContext>(PitContext{target.name, target.index, std::move(pit.value())});
  std::string id = ctx.pits.Open(std::move(context), ttl);
  return JsonReply(200, fmt::format(R"({{"id":{},"_shards":{{"total":1,"successful":1,"skipped":0,"failed":0}}}})",
                                    Quote(id)));
}

Reply HandleClosePit(ServerContext& ctx, const Request& req) {
  if (!req.has_body()) throw ValidationError("1: point in time id must be specified;");
  json::value body = ParseJson(req.body);
  const json::object* o = body.if_object();
  if (o == nullptr) throw ParsingError("request body must be an object");
  std::string id;
  for (const auto& [key, v] : *o) {
    if (key == "id" && v.is_string()) id = std::string(v.get_string());
    else throw ParsingError(fmt::format("Unknown parameter [{}] in request body", std::string_view(key)));
  }
  if (id.empty()) throw ValidationError("1: point in time id must be specified;");
  const bool freed = ctx.pits.Clear(id);
  // Elasticsearch answers 404 with the same shape when nothing was freed.
  return JsonReply(freed ? 200 : 404, fmt::format(R"({{"succeeded":true,"num_freed":{}}})", freed ? 1 : 0));
}

Reply SearchPointInTime(ServerContext& ctx, const Request& req, ParsedSearch search,
                        std::chrono::steady_clock::time_point started) {
  if (req.segments.size() >= 2) {
    throw ValidationError(
        "1: [indices] cannot be used with point in time. Do not specify any index with point in time.;");
  }
  if (req.Param("scroll")) throw ValidationError("1: using [point in time] is not allowed in a scroll context;");
  auto context = ctx.pits.Find(search.pit_id, search.pit_keep_alive);
  if (context == nullptr) throw SearchContextMissing(search.pit_id);
  SearchRequest request = search.request;
  request.point_in_time = context->pit;
  auto result = context->index->Search(request);
  if (!result.ok()) {
    if (result.status().IsNotFound()) {
      ctx.pits.Clear(search.pit_id);  // its revision is gone for good
      EsError e(404, "search_context_missing_exception",
                fmt::format("No search context found for id [{}]: {}", search.pit_id, result.status().message()));
      e.WrapIn("search_phase_execution_exception", "all shards failed");
      throw e;
    }
    if (result.status().message().rfind(kTooManyBucketsReason, 0) == 0) {
      EsError e(400, "too_many_buckets_exception", result.status().message());
      e.extra()["max_buckets"] = search.request.max_buckets;
      e.WrapIn("search_phase_execution_exception", "all shards failed");
      throw e;
    }
    throw FromStatus(result.status(), ErrorScope::kSearch, context->index_name);
  }
  ctx.activity.For(context->index_name).query_total.fetch_add(1, std::memory_order_relaxed);
  MergedResult merged;
  merged.total = result->total;
  merged.total_is_lower_bound = result->total_is_lower_bound;
  merged.timed_out = result->timed_out;
  merged.max_score = result->max_score;
  merged.aggregations = &result->aggregations;
  for (const Hit& h : result->hits) merged.hits.push_back({&context->index_name, &h});
  // Elasticsearch answers pit_id first, then took.
  std::string body = WithTook(MillisSince(started), RenderSearchResponseAfterTook(search, merged));
  return JsonReply(200, fmt::format(R"({{"pit_id":{},{})", Quote(search.pit_id), std::string_view(body).substr(1)));
}

}  // namespace ultrasearch::server
