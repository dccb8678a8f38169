#include "search/aggregate_search.h"

#include <algorithm>
#include <chrono>
#include <future>
#include <optional>
#include <string>
#include <system_error>
#include <numeric>
#include <variant>

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
  // _doc alone is cheaper in Xapian, unless search_after must filter on it (done here only).
  if (request.sort.size() == 1 && request.sort[0].field == "_doc" && request.search_after.empty()) return false;
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

// How a document's value for one sort field compares with search_after's (-1, 0, 1) in the
// page's order: missing values first or last whatever the direction, as ColumnSortKeys orders.
Result<int> CompareToAfter(const SortValue& doc, const SortValue& after, const SortField& sort) {
  const bool doc_missing = std::holds_alternative<std::monostate>(doc);
  const bool after_missing = std::holds_alternative<std::monostate>(after);
  if (doc_missing || after_missing) {
    if (doc_missing == after_missing) return 0;
    const int missing_side = sort.missing_first ? -1 : 1;
    return doc_missing ? missing_side : -missing_side;
  }
  if (doc.index() != after.index()) {
    return Status::InvalidArgument("search_after value of type [" +
                                   std::string(std::holds_alternative<double>(after) ? "number" : "string") +
                                   "] does not fit the sort on [" + sort.field + "]");
  }
  int cmp = doc < after ? -1 : (after < doc ? 1 : 0);
  return sort.descending ? -cmp : cmp;
}

// Drops the matches that do not come strictly after `request.search_after`. The page order is the
// fields' keys, then docid ascending (where a _doc sort lands, as TopByKey ties by docid).
Status KeepAfter(const SearchRequest& request, const facets::ColumnSortKeys& keys,
                 const std::vector<const FieldMapping*>& fields, std::vector<uint32_t>* matches) {
  std::optional<double> after_docid;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (fields[i] != nullptr) continue;
    const double* d = std::get_if<double>(&request.search_after[i]);
    if (d == nullptr) return Status::InvalidArgument("search_after value for [_doc] must be a number");
    after_docid = *d;
  }
  Status error;
  auto after = [&](uint32_t docid) {
    for (size_t i = 0; i < fields.size(); ++i) {
      if (fields[i] == nullptr) continue;
      auto cmp = CompareToAfter(keys.SortValueOf(docid, i), request.search_after[i], request.sort[i]);
      if (!cmp.ok()) {
        error = cmp.status();
        return false;
      }
      if (cmp.value() != 0) return cmp.value() > 0;
    }
    return after_docid.has_value() && static_cast<double>(docid) > *after_docid;
  };
  std::erase_if(*matches, [&](uint32_t d) { return !error.ok() || !after(d); });
  return error;
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
  result->total = matches.size();  // Elasticsearch counts every match, search_after or not
  CapTotal(request, result);
  if (!request.search_after.empty()) {
    Status kept = KeepAfter(request, keys, fields, &matches);
    if (!kept.ok()) return kept;
  }
  const size_t end = std::min<size_t>(matches.size(), size_t{request.from} + request.size);
  if (request.from >= end) return Status::OK();
  if (keys.SortsByOneNumber()) {  // the common case (price): numbers, no key strings
    *page_docids = TopByKey(matches, end, [&](uint32_t d) { return keys.NumberKeyOf(d); });
  } else {
    *page_docids = TopByKey(matches, end, [&](uint32_t d) { return keys.KeyOf(d); });
  }
  page_docids->erase(page_docids->begin(), page_docids->begin() + static_cast<ptrdiff_t>(request.from));
  for (uint32_t d : *page_docids) page_ids->push_back(HitId(ctx.columns.get(), lease.db(), d));
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

// Runs `fn` on a thread of its own, or when no thread is to be had, when its result is asked for.
template <typename Fn>
auto RunBeside(Fn fn) {
  try {
    return std::async(std::launch::async, std::move(fn));
  } catch (const std::system_error&) {
    return std::async(std::launch::deferred, std::move(fn));
  }
}

// min_score and collapse work on the relevance ranking (searcher.cc); other orders refuse them.
Status CheckScoreOptions(const SearchRequest& request, const Mapping& mapping) {
  const bool by_score = request.sort.empty() || (request.sort.size() == 1 && request.sort[0].field == "_score" &&
                                                 request.sort[0].descending);
  if (request.min_score) {
    if (!by_score) return Status::InvalidArgument("min_score is supported only when sorting by _score");
    if (!request.aggregations.empty()) {
      return Status::InvalidArgument("min_score together with aggregations is not supported by this server");
    }
  }
  if (!request.collapse_field.empty()) {
    const FieldMapping* field = mapping.Find(request.collapse_field);
    if (field == nullptr) {
      return Status::InvalidArgument("no mapping found for `" + request.collapse_field + "` in order to collapse on");
    }
    if (field->type != FieldType::kKeyword) {
      return Status::InvalidArgument("unknown type for collapse field `" + request.collapse_field +
                                     "`, only keywords are accepted by this server");
    }
    if (!by_score) return Status::InvalidArgument("collapse is supported only when sorting by _score");
    if (!request.search_after.empty()) {
      return Status::InvalidArgument("cannot use `collapse` in conjunction with `search_after`");
    }
  }
  return Status::OK();
}

}  // namespace

Result<SearchResult> ExecuteColumnSearch(const SearchRequest& request, const SearchContext& ctx) {
  if (Status s = CheckScoreOptions(request, ctx.mapping); !s.ok()) return s;
  const bool column_sort = SortsByColumns(request, ctx);
  if (!request.search_after.empty()) {
    if (request.search_after.size() != request.sort.size()) {
      return Status::InvalidArgument("search_after has " + std::to_string(request.search_after.size()) +
                                     " value(s) but sort has " + std::to_string(request.sort.size()) + ".");
    }
    if (request.from != 0) {
      return Status::InvalidArgument("`from` parameter must be set to 0 when `search_after` is used.");
    }
    if (!column_sort) {
      return Status::InvalidArgument(
          "search_after is supported only with a sort on numeric, date, keyword or boolean fields and _doc");
    }
  }
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
      page_request.reread_in_other_layout = false;
      page_request.timeout = request.timeout;
      page_request.cancelled = request.cancelled;
      page_request.collapse_field = request.collapse_field;
      page_request.explain = request.explain;
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
      if (Status s = CheckCancelled(request); !s.ok()) return s;
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
  // The ranking pass's timeout cut its counting short; the match set's size is still exact.
  if (exact_total) {
    result.total = *exact_total;
    result.total_is_lower_bound = false;
    CapTotal(request, &result);
  }
  result.took_micros = took();
  return result;
}

}  // namespace ultrasearch
