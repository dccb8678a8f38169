#include "search/aggregate_search.h"

#include <algorithm>
#include <chrono>
#include <future>
#include <optional>
#include <system_error>
#include <numeric>

#include "common/xapian_status.h"
#include "facets/aggregator.h"
#include "facets/column_query.h"
#include "search/match_collector.h"
#include "search/query_compiler.h"
#include "search/reader_retry.h"

namespace ultrasearch {

namespace {

bool SortsByColumns(const SearchRequest& request, const SearchContext& ctx) {
  if (ctx.columns == nullptr || request.sort.empty()) return false;
  if (request.sort.size() == 1 && request.sort[0].field == "_doc") return false;
  for (const auto& s : request.sort) {
    if (s.field == "_score") return false;  // relevance needs Xapian's weights: value slots then
  }
  return true;
}

void CapTotal(const SearchRequest& request, SearchResult* result) {
  if (result->total > request.track_total_hits_up_to) {
    result->total = request.track_total_hits_up_to;
    result->total_is_lower_bound = true;
  }
}

// The first `end` of `docids` by (key, docid).
template <typename KeyFn>
std::vector<uint32_t> TopByKey(const std::vector<uint32_t>& docids, size_t end, KeyFn key_of) {
  using Key = decltype(key_of(uint32_t{}));
  std::vector<std::pair<Key, uint32_t>> keyed;
  keyed.reserve(docids.size());
  for (uint32_t d : docids) keyed.emplace_back(key_of(d), d);
  std::partial_sort(keyed.begin(), keyed.begin() + static_cast<ptrdiff_t>(end), keyed.end());
  std::vector<uint32_t> top;
  top.reserve(end);
  for (size_t i = 0; i < end; ++i) top.push_back(keyed[i].second);
  return top;
}

// The page of a field-sorted search: every match keyed from the columns, ties by docid.
Status SortedPage(const SearchRequest& request, const SearchContext& ctx, ReaderPool::Lease& lease,
                  const Xapian::Query& query, const facets::ColumnFilterTable& filters, SearchResult* result, std::vector<std::string>* page_ids,
                  std::vector<uint32_t>* page_docids) {
  std::vector<const FieldMapping*> fields;
  for (const auto& s : request.sort) {
    if (s.field == "_doc") {
      fields.push_back(nullptr);
      continue;
    }
    const FieldMapping* field = ctx.mapping.Find(s.field);
    if (field == nullptr) return Status::InvalidArgument("No mapping found for [" + s.field + "] in order to sort on");
    if (field->type == FieldType::kText) {
      return Status::InvalidArgument("Text fields are not optimised for sorting: use a keyword field instead of [" +
                                     s.field + "]");
    }
    fields.push_back(field);
  }
  facets::ColumnSortKeys keys(ctx.columns, fields, request.sort);
  std::vector<uint32_t> matches = MatchCollector(lease.shards(), &filters).Collect(query);
  result->total = matches.size();
  CapTotal(request, result);
  const size_t end = std::min<size_t>(matches.size(), size_t{request.from} + request.size);
  if (request.from >= end) return Status::OK();
  if (keys.SortsByOneNumber()) {  // the common case (price): numbers, no key strings
    *page_docids = TopByKey(matches, end, [&](uint32_t d) { return keys.NumberKeyOf(d); });
  } else {
    *page_docids = TopByKey(matches, end, [&](uint32_t d) { return keys.KeyOf(d); });
  }
  page_docids->erase(page_docids->begin(), page_docids->begin() + static_cast<ptrdiff_t>(request.from));
  for (uint32_t d : *page_docids) page_ids->push_back(lease.db().get_document(d).get_data());
  return Status::OK();
}

Status SortedHits(const SearchRequest& request, const SearchContext& ctx, SearchResult* result) {
  auto lease = ctx.readers.Acquire();
  if (!lease.ok()) return lease.status();
  std::vector<std::string> ids;
  std::vector<uint32_t> docids;
  Status found = RunOnReader(*lease, "sorting", [&](Xapian::Database& db) -> Status {
    facets::ColumnFilterTable filters;
    CompileContext cc{ctx.mapping, ctx.analyzers, db, lease->version(), ctx.columns, &filters};
    auto final_query = CompileHitsQuery(request, cc);
    if (!final_query.ok()) return final_query.status();
    ids.clear(), docids.clear();
    return SortedPage(request, ctx, *lease, final_query.value(), filters, result, &ids, &docids);
  });
  if (!found.ok()) return found;
  std::vector<std::optional<StoredDoc>> stored;
  Status s = ctx.catalog.MultiGetDocs(ids, &stored);
  if (!s.ok()) return s;
  std::vector<const FieldMapping*> fields;
  for (const auto& sf : request.sort) fields.push_back(sf.field == "_doc" ? nullptr : ctx.mapping.Find(sf.field));
  facets::ColumnSortKeys keys(ctx.columns, fields, request.sort);
  for (size_t i = 0; i < ids.size(); ++i) {
    if (!stored[i]) continue;  // deleted since the last refresh
    Hit hit;
    hit.id = std::move(ids[i]);
    if (request.fetch_source) hit.source_json = std::move(stored[i]->source);
    hit.version = stored[i]->version;
    hit.seq_no = stored[i]->seq_no;
    for (size_t f = 0; f < request.sort.size(); ++f) {
      hit.sort_values.push_back(fields[f] == nullptr ? SortValue(static_cast<double>(docids[i]))
                                                     : keys.SortValueOf(docids[i], f));
    }
    result->hits.push_back(std::move(hit));
  }
  return Status::OK();
}

}  // namespace

// Runs `fn` on a thread of its own, or when no thread is to be had, when its result is asked for.
template <typename Fn>
auto RunBeside(Fn fn) {
  try {
    return std::async(std::launch::async, std::move(fn));
  } catch (const std::system_error&) {
    return std::async(std::launch::deferred, std::move(fn));
  }
}

Result<SearchResult> ExecuteColumnSearch(const SearchRequest& request, const SearchContext& ctx) {
  const bool column_sort = SortsByColumns(request, ctx);
  if (!column_sort && request.aggregations.empty()) return ExecuteSearch(request, ctx);
  auto started = std::chrono::steady_clock::now();
  auto took = [&] {
    return static_cast<uint64_t>(
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started).count());
  };
  SearchResult result;
  if (column_sort) {
    Status s = SortedHits(request, ctx, &result);
    if (!s.ok()) return s;
    if (request.aggregations.empty()) {
      result.took_micros = took();
      return result;
    }
  }

  // The ranked page (when one is wanted) is found on another core while this one aggregates:
  // the two passes read the same reader state and share nothing else. Without post_filter the
  // match set gives the exact total, so the ranking pass need not visit every match to count it.
  SearchRequest page_request;
  const bool rank_page = !column_sort && (request.size > 0 || request.post_filter.has_value());
  if (rank_page) {
    if (!request.post_filter) {
      page_request.query = request.query;
      page_request.from = request.from;
      page_request.size = request.size;
      page_request.sort = request.sort;
      page_request.fetch_source = request.fetch_source;
      page_request.track_total_hits_up_to = 0;
      page_request.rewrite_when_fewer_than = 0;
    } else {
      page_request = request;
      page_request.aggregations.clear();
    }
  }
  std::future<Result<SearchResult>> page;
  if (rank_page) page = RunBeside([&page_request, &ctx] { return ExecuteSearch(page_request, ctx); });

  std::optional<uint64_t> exact_total;  // the match set's size, when it is the hits' total
  std::vector<AggregationResult> aggregations;
  Status aggregated = [&]() -> Status {
    auto lease = ctx.readers.Acquire();
    if (!lease.ok()) return lease.status();
    return RunOnReader(*lease, "aggregating", [&](Xapian::Database& db) -> Status {
      facets::ColumnFilterTable filters;
      CompileContext cc{ctx.mapping, ctx.analyzers, db, lease->version(), ctx.columns, &filters};
      auto query = CompileQuery(request.query, cc);
      if (!query.ok()) return query.status();
      const MatchCollector collector(lease->shards(), &filters);
      std::vector<uint32_t> matches = collector.Collect(query.value());
      if (!column_sort && !request.post_filter) exact_total = matches.size();
      facets::QueryDocids query_docids = [&](const Query* q) -> Result<std::vector<uint32_t>> {
        if (q == nullptr) return collector.Collect(XapianMatchAll());
        auto compiled = CompileQuery(*q, cc);
        if (!compiled.ok()) return compiled.status();
        return collector.Collect(compiled.value());
      };
      facets::Aggregator aggregator(*ctx.columns, ctx.mapping, query_docids, request.max_buckets);
      auto aggs = aggregator.Run(request.aggregations, matches);
      if (!aggs.ok()) return aggs.status();
      aggregations = std::move(aggs.value());
      return Status::OK();
    });
  }();
  if (page.valid()) {
    auto hits = page.get();
    if (!hits.ok()) return hits.status();
    result = std::move(hits.value());
  }
  if (!aggregated.ok()) return aggregated;
  result.aggregations = std::move(aggregations);
  if (exact_total) {
    result.total = *exact_total;
    result.total_is_lower_bound = false;
    CapTotal(request, &result);
  }
  result.took_micros = took();
  return result;
}

}  // namespace ultrasearch
