// GET|POST /_search, /INDEX/_search, /_count, /INDEX/_count. INDEX may be a comma-separated list
// with wildcards or _all; results of several indices are merged by the requested order.
// Searches of one index are answered from the request cache when that index's current state
// answered the same request before (request_cache.h); `?request_cache=false` skips it.
#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "es_errors.h"
#include "handler_util.h"
#include "handlers.h"
#include "json_util.h"
#include "scroll_pages.h"
#include "search_request.h"
#include "search_response.h"
#include "source_filter.h"
#include "suggest_response.h"

namespace ultrasearch::server {
namespace {

using Target = ResolvedIndex;

std::vector<Target> ResolveIndices(ServerContext& ctx, const Request& req) {
  std::string expr = req.segments.size() >= 2 ? req.segments[0] : "_all";
  return ResolveIndexExpression(ctx, expr, IndexOptions::FromRequest(req));
}

// Searches that meet an index deleted by an alias swap resolve their targets again, this often.
constexpr int kResolveAttempts = 4;

// The targets, or nullopt when resolving fails: the error is then raised where it always was,
// after the body's own errors.
std::optional<std::vector<Target>> TryResolveIndices(ServerContext& ctx, const Request& req) {
  try {
    return ResolveIndices(ctx, req);
  } catch (const EsError&) {
    return std::nullopt;
  }
}

// Query-string parameters applied to the finished reply (protocol.cc), or naming the cache: they
// do not change the answer, so requests differing only in them share an entry.
bool ShapesOnlyTheReply(std::string_view param) {
  return param == "request_cache" || param == "pretty" || param == "filter_path";
}

void AppendPart(std::string_view part, std::string* key) {
  fmt::format_to(std::back_inserter(*key), "{}:", part.size());  // length-prefixed: unambiguous
  key->append(part);
}

// Everything of a search request that shapes its answer, as Elasticsearch keys its request cache
// by the request bytes: the path after the index, the other query-string parameters, the body
// (decoded). The index and its state are the cache's own key parts.
std::string SearchCacheKey(const Request& req) {
  std::string key;
  key.reserve(64 + req.body.size());
  for (std::size_t i = 1; i < req.segments.size(); ++i) AppendPart(req.segments[i], &key);
  key += '?';
  for (const auto& [name, value] : req.params) {
    if (ShapesOnlyTheReply(name)) continue;
    AppendPart(name, &key);
    AppendPart(value, &key);
  }
  key += '\n';
  key += req.body;
  return key;
}

// Where a search's answer is cached: one index at the generation read before searching.
struct CacheSlot {
  std::string index;
  uint64_t generation;
  std::string key;
};

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

// Keeps every hit of a `?scroll=` search (in order, without sources) and answers its first page.
Reply StartScroll(ServerContext& ctx, ScrollStart start_request, const std::vector<Target>& targets,
                  const MergedResult& merged, std::chrono::steady_clock::time_point started) {
  if (merged.hits.size() > ScrollStore::kMaxHits) {
    throw IllegalArgument(fmt::format("a scroll may hold at most {} hits and this one matches {}: narrow the query, "
                                      "or page with search_after",
                                      ScrollStore::kMaxHits, merged.total));
  }
  auto scroll = std::make_shared<ScrollContext>();
  scroll->page_size = start_request.as_sent.request.size;
  scroll->search = std::move(start_request.as_sent);
  scroll->search.request.cancelled = nullptr;  // the connection that began it is not the one that continues it
  for (const Target& t : targets) {
    scroll->index_names.push_back(t.name);
    scroll->indices.push_back(t.index);
  }
  scroll->entries.reserve(merged.hits.size());
  for (const IndexedHit& h : merged.hits) {
    uint32_t index = 0;
    while (index < targets.size() && &targets[index].name != h.index) ++index;
    scroll->entries.push_back({index, *h.hit});
  }
  scroll->total = merged.total;
  scroll->total_is_lower_bound = merged.total_is_lower_bound;
  scroll->max_score = merged.max_score;
  std::string id = ctx.scrolls.Open(scroll, start_request.keep_alive);
  return JsonReply(200, NextScrollPage(id, *scroll, started, merged.aggregations));
}

}  // namespace

Reply HandleSearch(ServerContext& ctx, const Request& req) {
  auto start = std::chrono::steady_clock::now();
  std::optional<std::vector<Target>> early_targets;
  std::optional<CacheSlot> slot;
  // A scroll's answer carries a new scroll id each time: never one to cache.
  // Nor is a point in time's (the cache is keyed by the index's current state); the body is
  // looked at before parsing, so a body merely mentioning "pit" skips the cache too.
  const bool may_name_pit = req.body.find("\"pit\"") != std::string::npos;
  if (req.BoolParam("request_cache", true) && ctx.request_cache.enabled() && !req.Param("scroll") && !may_name_pit) {
    early_targets = TryResolveIndices(ctx, req);
    if (early_targets && early_targets->size() == 1) {
      const Target& t = early_targets->front();
      // Read before searching: a state that changes meanwhile has a newer generation.
      slot = CacheSlot{t.name, t.index->SearchGeneration(), SearchCacheKey(req)};
      if (RequestCache::Value answer = ctx.request_cache.Get(slot->index, slot->generation, slot->key)) {
        ctx.activity.For(t.name).query_total.fetch_add(1, std::memory_order_relaxed);
        return JsonReply(200, WithTook(MillisSince(start), *answer));
      }
    }
  }
  ParsedSearch search = ParseSearchRequest(req, ctx.engine.analyzers());
  if (!search.pit_id.empty()) return SearchPointInTime(ctx, req, std::move(search), start);
  std::optional<ScrollStart> scroll = BeginScroll(req, &search);
  std::vector<Target> targets;
  std::vector<SearchResult> results;
  for (int attempt = 1; results.empty(); ++attempt) {
    targets = attempt == 1 && early_targets ? std::move(*early_targets) : ResolveIndices(ctx, req);
    if (!search.request.aggregations.empty() && targets.size() > 1) {
      throw IllegalArgument("aggregations over more than one index are not supported yet by this server");
    }
    // Each index returns its first from+size hits; the merged page is cut from those.
    SearchRequest per_index = search.request;
    if (targets.size() > 1) {
      per_index.size = search.request.from + search.request.size;
      per_index.from = 0;
    }
    bool retry = false;
    for (const Target& t : targets) {
      auto r = t.index->Search(per_index);
      if (!r.ok()) {
        if (r.status().message().rfind(kTooManyBucketsReason, 0) == 0) throw TooManyBuckets(r.status().message(), search.request.max_buckets);
        // An alias swap deleted the index under this search: resolve again (bounded).
        if (attempt < kResolveAttempts && IndexWasRemoved(ctx, t)) {
          retry = true;
          break;
        }
        throw FromStatus(r.status(), ErrorScope::kSearch, t.name);
      }
      ctx.activity.For(t.name).query_total.fetch_add(1, std::memory_order_relaxed);
      results.push_back(std::move(r).value());
    }
    if (retry) {
      results.clear();
      slot.reset();  // the cache slot named the index that went away
      continue;
    }
    if (targets.empty()) break;
  }
  MergedResult merged;
  static const std::vector<AggregationResult> kNoAggregations;
  merged.aggregations = results.empty() ? &kNoAggregations : &results.front().aggregations;
  std::vector<const std::vector<SuggestResult>*> per_index_suggestions;
  std::vector<const std::string*> index_names;
  for (std::size_t i = 0; i < results.size(); ++i) {
    per_index_suggestions.push_back(&results[i].suggest);
    index_names.push_back(&targets[i].name);
  }
  const std::vector<MergedSuggestion> suggestions =
      MergeSuggestions(search.request.suggest, per_index_suggestions, index_names);
  merged.suggest = &suggestions;
  for (std::size_t i = 0; i < results.size(); ++i) {
    const SearchResult& r = results[i];
    merged.total += r.total;
    merged.total_is_lower_bound |= r.total_is_lower_bound;
    merged.timed_out |= r.timed_out;
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
  if (scroll) return StartScroll(ctx, std::move(*scroll), targets, merged, start);
  std::string after_took = RenderSearchResponseAfterTook(search, merged);
  Reply reply = JsonReply(200, WithTook(MillisSince(start), after_took));
  // A partial answer is not one to repeat.
  if (slot && !merged.timed_out) ctx.request_cache.Put(slot->index, slot->generation, slot->key, std::move(after_took));
  return reply;
}

Reply HandleCount(ServerContext& ctx, const Request& req) {
  Query query = ParseCountRequest(req, ctx.engine.analyzers());
  std::vector<Target> targets;
  uint64_t total = 0;
  for (int attempt = 1;; ++attempt) {
    targets = ResolveIndices(ctx, req);
    total = 0;
    bool retry = false;
    for (const Target& t : targets) {
      auto n = t.index->Count(query);
      if (!n.ok()) {
        if (attempt < kResolveAttempts && IndexWasRemoved(ctx, t)) {
          retry = true;
          break;
        }
        throw FromStatus(n.status(), ErrorScope::kSearch, t.name);
      }
      ctx.activity.For(t.name).query_total.fetch_add(1, std::memory_order_relaxed);
      total += *n;
    }
    if (!retry) break;
  }
  return JsonReply(200, RenderCountResponse(total, static_cast<int>(targets.size())));
}

}  // namespace ultrasearch::server
