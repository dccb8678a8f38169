// GET|POST /_search, /INDEX/_search, /_count, /INDEX/_count. INDEX may be a comma-separated list
// with wildcards or _all; results of several indices are merged by the requested order.
#include <fmt/format.h>

#include <algorithm>

#include "es_errors.h"
#include "handler_util.h"
#include "handlers.h"
#include "json_util.h"
#include "search_request.h"
#include "search_response.h"
#include "source_filter.h"

namespace ultrasearch::server {
namespace {

using Target = ResolvedIndex;

std::vector<Target> ResolveIndices(ServerContext& ctx, const Request& req) {
  std::string expr = req.segments.size() >= 2 ? req.segments[0] : "_all";
  return ResolveIndexExpression(ctx, expr, req.BoolParam("ignore_unavailable", false), req.index_visible);
}

// ES order across indices: sort values per field (missing last), then score, then index order.
bool Before(const ParsedSearch& s, const IndexedHit& a, const IndexedHit& b) {
  const auto& sort = s.request.sort;
  if (sort.empty()) return a.hit->score > b.hit->score;
  for (std::size_t i = 0; i < sort.size(); ++i) {
    const SortValue* va = i < a.hit->sort_values.size() ? &a.hit->sort_values[i] : nullptr;
    const SortValue* vb = i < b.hit->sort_values.size() ? &b.hit->sort_values[i] : nullptr;
    bool ma = !va || std::holds_alternative<std::monostate>(*va);
    bool mb = !vb || std::holds_alternative<std::monostate>(*vb);
    if (ma || mb) {
      if (ma != mb) return mb;  // missing values sort last in either direction
      continue;
    }
    if (*va == *vb) continue;
    bool less = *va < *vb;
    return sort[i].descending ? !less : less;
  }
  return false;
}

// Elasticsearch's answer when aggregations make more than search.max_buckets buckets.
EsError TooManyBuckets(const std::string& reason, uint32_t max_buckets) {
  EsError e(400, "too_many_buckets_exception", reason);
  e.extra()["max_buckets"] = max_buckets;
  e.WrapIn("search_phase_execution_exception", "all shards failed");
  return e;
}

}  // namespace

Reply HandleSearch(ServerContext& ctx, const Request& req) {
  auto start = std::chrono::steady_clock::now();
  ParsedSearch search = ParseSearchRequest(req, ctx.engine.analyzers());
  std::vector<Target> targets = ResolveIndices(ctx, req);

  // Each index returns its first from+size hits; the merged page is cut from those.
  SearchRequest per_index = search.request;
  if (targets.size() > 1) {
    per_index.size = search.request.from + search.request.size;
    per_index.from = 0;
  }
  if (!search.request.aggregations.empty() && targets.size() > 1) {
    throw IllegalArgument("aggregations over more than one index are not supported yet by this server");
  }
  std::vector<SearchResult> results;
  results.reserve(targets.size());
  MergedResult merged;
  for (const Target& t : targets) {
    auto r = t.index->Search(per_index);
    if (!r.ok()) {
      if (r.status().message().rfind(kTooManyBucketsReason, 0) == 0) throw TooManyBuckets(r.status().message(), search.request.max_buckets);
      throw FromStatus(r.status(), ErrorScope::kSearch, t.name);
    }
    ctx.activity.For(t.name).query_total.fetch_add(1, std::memory_order_relaxed);
    results.push_back(std::move(r).value());
  }
  static const std::vector<AggregationResult> kNoAggregations;
  merged.aggregations = results.empty() ? &kNoAggregations : &results.front().aggregations;
  for (std::size_t i = 0; i < results.size(); ++i) {
    const SearchResult& r = results[i];
    merged.total += r.total;
    merged.total_is_lower_bound |= r.total_is_lower_bound;
    if (!r.hits.empty()) merged.max_score = std::max(merged.max_score, r.max_score);
    for (const Hit& h : r.hits) merged.hits.push_back({&targets[i].name, &h});
  }
  if (targets.size() > 1) {
    std::stable_sort(merged.hits.begin(), merged.hits.end(),
                     [&](const IndexedHit& a, const IndexedHit& b) { return Before(search, a, b); });
    std::size_t from = std::min<std::size_t>(search.request.from, merged.hits.size());
    std::size_t end = std::min<std::size_t>(from + search.request.size, merged.hits.size());
    merged.hits = std::vector<IndexedHit>(merged.hits.begin() + from, merged.hits.begin() + end);
  }
  // Elasticsearch reports exactly the threshold as a lower bound once the total passes it.
  if (merged.total > search.request.track_total_hits_up_to) {
    merged.total = search.request.track_total_hits_up_to;
    merged.total_is_lower_bound = true;
  }
  return JsonReply(200, RenderSearchResponse(search, merged, MillisSince(start)));
}

Reply HandleCount(ServerContext& ctx, const Request& req) {
  Query query = ParseCountRequest(req, ctx.engine.analyzers());
  std::vector<Target> targets = ResolveIndices(ctx, req);
  uint64_t total = 0;
  for (const Target& t : targets) {
    auto n = t.index->Count(query);
    if (!n.ok()) throw FromStatus(n.status(), ErrorScope::kSearch, t.name);
    ctx.activity.For(t.name).query_total.fetch_add(1, std::memory_order_relaxed);
    total += *n;
  }
  return JsonReply(200, RenderCountResponse(total, static_cast<int>(targets.size())));
}

}  // namespace ultrasearch::server
