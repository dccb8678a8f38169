#include "search/searcher.h"

#include <algorithm>
#include <chrono>
#include <set>

#include "common/xapian_status.h"
#include "facets/column_store.h"
#include "index/term_scheme.h"
#include "search/bm25.h"
#include "search/match_collector.h"
#include "search/query_compiler.h"
#include "search/reader_retry.h"
#include "search/rescorer.h"

namespace ultrasearch {

namespace {

struct SortPlan {
  std::unique_ptr<Xapian::MultiValueKeyMaker> keys;
  enum class Mode { kRelevance, kKey, kKeyThenRelevance, kRelevanceThenKey, kDocid } mode = Mode::kRelevance;
  std::vector<const FieldMapping*> fields;  // per SortField; nullptr for _score / _doc / unknown
};

Result<SortPlan> PlanSort(const std::vector<SortField>& sort, const Mapping& mapping) {
  SortPlan plan;
  if (sort.empty()) return plan;
  bool score_first = sort.front().field == "_score";
  bool has_score = false;
  plan.keys = std::make_unique<Xapian::MultiValueKeyMaker>();
  size_t key_count = 0;
  for (const auto& s : sort) {
    if (s.field == "_score") {
      has_score = true;
      plan.fields.push_back(nullptr);
      continue;
    }
    if (s.field == "_doc") {
      plan.fields.push_back(nullptr);
      if (sort.size() == 1) plan.mode = SortPlan::Mode::kDocid;
      continue;
    }
    const FieldMapping* field = mapping.Find(s.field);
    if (field == nullptr) {
      return Status::InvalidArgument("No mapping found for [" + s.field + "] in order to sort on");
    }
    if (field->type == FieldType::kText) {
      return Status::InvalidArgument("Text fields are not optimised for sorting: use a keyword field instead of [" +
                                     s.field + "]");
    }
    // Documents without a value sort last in both directions, as in Elasticsearch.
    std::string missing = s.descending ? std::string() : std::string(16, '\xff');
    plan.keys->add_value(terms::ValueSlot(field->ordinal), s.descending, missing);
    plan.fields.push_back(field);
    ++key_count;
  }
  if (plan.mode == SortPlan::Mode::kDocid) return plan;
  if (key_count == 0) {
    plan.mode = SortPlan::Mode::kRelevance;
  } else if (score_first) {
    plan.mode = SortPlan::Mode::kRelevanceThenKey;
  } else {
    plan.mode = has_score ? SortPlan::Mode::kKeyThenRelevance : SortPlan::Mode::kKey;
  }
  return plan;
}

SortValue DecodeSortValue(const Xapian::Document& doc, const FieldMapping& field) {
  std::string raw = doc.get_value(terms::ValueSlot(field.ordinal));
  if (raw.empty()) return std::monostate{};
  if (field.type == FieldType::kKeyword) return raw;
  return Xapian::sortable_unserialise(raw);
}

// A query whose weights do not matter. Xapian 1.4.22 throws "Unexpected end of posting list"
// when a zero-weight leaf (BoolWeight, or scaled by 0) drives the match for a term present in
// every document after deletions (see SearchXapianQuirkTest.TermInEveryDocumentAfterDeletes); filtering
// MatchAll by the query avoids that code path and is as fast.
Xapian::Query UnscoredForXapian(const Xapian::Query& q) {
  return Xapian::Query(Xapian::Query::OP_FILTER, XapianMatchAll(), q);
}

struct PageHit {
  Xapian::docid docid;
  double score;
  std::string id;
  std::vector<SortValue> sort_values;
  std::optional<Explanation> explanation;
  std::optional<std::string> collapse_value;
};

// How many of the best matches (by Xapian's weights) the rescorer and collapse look at: every
// match up to Elasticsearch's index.max_result_window, so results are exact below it.
constexpr Xapian::doccount kRescoreWindow = 10000;
// Searches whose scores the rescorer computes look at every match up to this many.
constexpr size_t kMaxRescoredMatches = 50000;

Explanation XapianExplanation(double weight) {
  return Explanation{weight,
                     "sum of the BM25 weights (k1=1.2, b=0.75) of the query's matching terms, times their boosts, as "
                     "Xapian computes them",
                     {}};
}

// The page of a relevance-ranked search whose scores are computed after matching (rescorer.h)
// or that keeps one hit per value of a field (collapse). Throws Xapian::Error like MatchPage.
Status WindowPage(Xapian::Database& db, const std::vector<Xapian::Database>& shards, const Xapian::Query& final_query,
                  const SearchRequest& request, const CompileContext& cc, SearchResult* result,
                  std::vector<PageHit>* page) {
  const bool rescore = NeedsRescoring(request.query);
  std::vector<PageHit> ranked;
  std::vector<Rescorer::Candidate> candidates;
  bool whole = false;         // every match is a candidate: scores, total and groups are exact
  uint64_t lower_bound = 0;  // the total's lower bound otherwise
  // Xapian's weights need not rank by the combinators' scores (function_score over match_all
  // weighs 0 everywhere), so up to kMaxRescoredMatches every match is rescored: the match set
  // from MatchCollector is cheap (posting lists, no weights). Past it, Xapian's best window.
  if (rescore) {
    std::vector<uint32_t> all = MatchCollector(shards, nullptr).Collect(final_query);
    if (all.size() <= kMaxRescoredMatches) {
      whole = true;
      ranked.reserve(all.size());
      for (uint32_t d : all) {
        ranked.push_back(PageHit{d, 0.0, {}, {}, {}, {}});
        candidates.push_back({d});
      }
    }
  }
  if (!whole) {
    Xapian::Enquire enquire(db);
    enquire.set_query(final_query);
    enquire.set_weighting_scheme(EsBm25());
    if (!rescore && request.min_score) enquire.set_cutoff(0, *request.min_score);
    const double limit_seconds = std::chrono::duration<double>(request.timeout).count();
    if (limit_seconds > 0) enquire.set_time_limit(limit_seconds);
    const Xapian::doccount window =
        static_cast<Xapian::doccount>(std::max<uint64_t>(kRescoreWindow, uint64_t{request.from} + request.size));
    const Xapian::doccount check_at_least = static_cast<Xapian::doccount>(std::min<uint64_t>(
        std::max<uint64_t>(request.track_total_hits_up_to, window), db.get_doccount()));
    auto match_started = std::chrono::steady_clock::now();
    Xapian::MSet mset = enquire.get_mset(0, window, check_at_least);
    if (limit_seconds > 0 && std::chrono::steady_clock::now() - match_started >= request.timeout) {
      result->timed_out = true;
    }
    whole = mset.size() == mset.get_matches_upper_bound();
    lower_bound = mset.get_matches_lower_bound();
    ranked.reserve(mset.size());
    // Ids (the documents' data) are read for the page only: reading them for every match cost
    // more than the rescoring.
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      ranked.push_back(PageHit{*it, it.get_weight(), {}, {}, {}, {}});
      if (rescore) candidates.push_back({*it});
    }
  }
  if (rescore) {
    const int64_t now_millis = std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count();
    Rescorer rescorer(request.query, cc, now_millis);
    auto scored = rescorer.Score(candidates, request.explain, final_query);
    if (!scored.ok()) return scored.status();
    std::vector<PageHit> kept;
    for (size_t i = 0; i < ranked.size(); ++i) {
      auto& s = (*scored)[i];
      if (!s.matched || (request.min_score && s.score < *request.min_score)) continue;
      ranked[i].score = s.score;
      ranked[i].explanation = std::move(s.explanation);
      kept.push_back(std::move(ranked[i]));
    }
    std::stable_sort(kept.begin(), kept.end(), [](const PageHit& a, const PageHit& b) {
      return a.score != b.score ? a.score > b.score : a.docid < b.docid;
    });
    ranked = std::move(kept);
  } else if (request.explain) {
    for (auto& hit : ranked) hit.explanation = XapianExplanation(hit.score);
  }
  if (whole) {
    result->total = ranked.size();
    result->total_is_lower_bound = false;
  } else {
    result->total = std::max<uint64_t>(lower_bound, ranked.size());
    result->total_is_lower_bound = true;
  }
  if (result->total > request.track_total_hits_up_to) {
    result->total = request.track_total_hits_up_to;
    result->total_is_lower_bound = true;
  }
  result->max_score = ranked.empty() ? 0.0 : ranked.front().score;
  if (!request.collapse_field.empty()) {
    const FieldMapping* field = cc.mapping.Find(request.collapse_field);
    std::set<std::optional<std::string>> seen;
    std::vector<PageHit> groups;
    const facets::Column* column = cc.columns != nullptr ? cc.columns->Find(field->ordinal) : nullptr;
    for (auto& hit : ranked) {
      std::optional<std::string> value;
      if (cc.columns != nullptr) {
        // The in-memory column (the smallest of several values), not a value-stream seek per hit.
        if (column != nullptr) {
          column->ForEach(hit.docid, [&](uint64_t ordinal) {
            std::string_view term = column->Term(static_cast<uint32_t>(ordinal));
            if (!value || term < *value) value = std::string(term);
          });
        }
      } else if (std::string raw = db.get_document(hit.docid, Xapian::DOC_ASSUME_VALID).get_value(terms::ValueSlot(field->ordinal));
                 !raw.empty()) {
        value = std::move(raw);
      }
      if (!seen.insert(value).second) continue;  // a better hit of this value came first
      hit.collapse_value = std::move(value);
      groups.push_back(std::move(hit));
    }
    ranked = std::move(groups);
  }
  page->clear();
  for (size_t i = request.from; i < ranked.size() && i < size_t{request.from} + request.size; ++i) {
    ranked[i].id = HitId(cc.columns.get(), db, ranked[i].docid);
    page->push_back(std::move(ranked[i]));
  }
  return Status::OK();
}

// Ranks or sorts the matches of `final_query` and keeps the requested page. Throws Xapian::Error
// (the caller retries a DatabaseModifiedError on a reopened reader).
Status MatchPage(Xapian::Database& db, const std::vector<Xapian::Database>& shards, const Xapian::Query& final_query,
                 const SearchRequest& request, const SortPlan& sort, const CompileContext& cc, SearchResult* result,
                 std::vector<PageHit>* page) {
  const bool by_relevance = sort.mode == SortPlan::Mode::kRelevance;
  if (by_relevance && (NeedsRescoring(request.query) || !request.collapse_field.empty())) {
    return WindowPage(db, shards, final_query, request, cc, result, page);
  }
  Xapian::Enquire enquire(db);
  enquire.set_query(final_query);
  enquire.set_weighting_scheme(EsBm25());
  switch (sort.mode) {
    // Equal scores keep docid order: the catalog's number for the document, stable across updates
    // and reindexing (docs/architecture.md, "Ranking beyond BM25"). Xapian's default, made explicit.
    case SortPlan::Mode::kRelevance: enquire.set_docid_order(Xapian::Enquire::ASCENDING); break;
    case SortPlan::Mode::kKey: enquire.set_sort_by_key(sort.keys.get(), false); break;
    case SortPlan::Mode::kKeyThenRelevance: enquire.set_sort_by_key_then_relevance(sort.keys.get(), false); break;
    case SortPlan::Mode::kRelevanceThenKey: enquire.set_sort_by_relevance_then_key(sort.keys.get(), false); break;
    case SortPlan::Mode::kDocid:
      enquire.set_query(UnscoredForXapian(final_query));
      enquire.set_docid_order(Xapian::Enquire::ASCENDING);
      break;
  }
  if (request.min_score) {
    // Xapian weighs match_all 0 where Elasticsearch scores it its boost (see ExecuteSearch).
    if (!std::holds_alternative<MatchAllQuery>(request.query.node)) {
      enquire.set_cutoff(0, *request.min_score);
    } else if (request.query.boost < *request.min_score) {
      enquire.set_query(Xapian::Query::MatchNothing);
    }
  }
  const Xapian::doccount doccount = db.get_doccount();
  Xapian::doccount check_at_least = static_cast<Xapian::doccount>(
      std::min<uint64_t>(std::max<uint64_t>(request.track_total_hits_up_to, request.from + request.size), doccount));
  // Xapian's time limit stops the matcher's counting past the page once it passes (the page is
  // still the best found); over time, the total and hits may be partial, as Elasticsearch's are.
  const double limit_seconds = std::chrono::duration<double>(request.timeout).count();
  if (limit_seconds > 0) enquire.set_time_limit(limit_seconds);
  auto match_started = std::chrono::steady_clock::now();
  Xapian::MSet mset = enquire.get_mset(request.from, request.size, check_at_least);
  if (limit_seconds > 0 && std::chrono::steady_clock::now() - match_started >= request.timeout) {
    result->timed_out = true;
  }
  result->total = mset.get_matches_lower_bound();
  result->total_is_lower_bound = mset.get_matches_lower_bound() != mset.get_matches_upper_bound();
  if (result->total > request.track_total_hits_up_to) {
    // Elasticsearch reports exactly the tracking limit with relation "gte".
    result->total = request.track_total_hits_up_to;
    result->total_is_lower_bound = true;
  } else if (result->total_is_lower_bound) {
    result->total = std::max<uint64_t>(result->total, request.track_total_hits_up_to);
  }
  page->clear();
  for (auto it = mset.begin(); it != mset.end(); ++it) {
    PageHit hit{*it, it.get_weight(), HitId(cc.columns.get(), db, *it), {}, {}, {}};
    if (request.explain) hit.explanation = XapianExplanation(it.get_weight());
    // The document only for the sort values read from its value slots.
    const Xapian::Document doc = sort.fields.empty() ? Xapian::Document() : it.get_document();
    for (const FieldMapping* f : sort.fields) {
      hit.sort_values.push_back(f == nullptr ? SortValue(it.get_weight()) : DecodeSortValue(doc, *f));
    }
    page->push_back(std::move(hit));
  }
  bool by_score = sort.mode == SortPlan::Mode::kRelevance || sort.mode == SortPlan::Mode::kRelevanceThenKey;
  result->max_score = by_score && !mset.empty() ? mset.get_max_attained() : 0.0;
  return Status::OK();
}

}  // namespace

std::string HitId(const facets::ColumnSnapshot* columns, const Xapian::Database& db, Xapian::docid docid) {
  if (columns != nullptr) {
    if (auto id = columns->DocumentId(docid)) return std::string(*id);
  }
  // The docid comes from a match on this reader: Xapian need not check that it exists (a
  // document-length lookup).
  return db.get_document(docid, Xapian::DOC_ASSUME_VALID).get_data();
}

Result<SearchResult> ExecuteSearch(const SearchRequest& request, const SearchContext& ctx) {
  auto started = std::chrono::steady_clock::now();
  auto lease = ctx.readers.Acquire();
  if (!lease.ok()) return lease.status();
  auto sort = PlanSort(request.sort, ctx.mapping);
  if (!sort.ok()) return sort.status();

  SearchResult result;
  std::vector<PageHit> page;
  if (Status s = CheckCancelled(request); !s.ok()) return s;
  Status matched = RunOnReader(*lease, "searching", [&](Xapian::Database& db) -> Status {
    CompileContext cc{ctx.mapping, ctx.analyzers, db, lease->version(), ctx.columns};
    auto final_query = CompileHitsQuery(request, cc);
    if (!final_query.ok()) return final_query.status();
    return MatchPage(db, lease->shards(), final_query.value(), request, *sort, cc, &result, &page);
  });
  if (!matched.ok()) return matched;

  std::vector<std::string> ids;
  ids.reserve(page.size());
  for (const auto& h : page) ids.push_back(h.id);
  if (Status cancelled = CheckCancelled(request); !cancelled.ok()) return cancelled;
  std::vector<std::optional<StoredDoc>> stored;
  Status s = ctx.catalog.MultiGetDocs(ids, &stored);
  if (!s.ok()) return s;
  for (size_t i = 0; i < page.size(); ++i) {
    if (!stored[i]) continue;  // deleted since the last refresh
    Hit hit;
    hit.id = std::move(page[i].id);
    hit.score = page[i].score;
    if (request.fetch_source) hit.source_json = std::move(stored[i]->source);
    hit.version = stored[i]->version;
    hit.seq_no = stored[i]->seq_no;
    if (!request.sort.empty()) hit.sort_values = std::move(page[i].sort_values);
    hit.explanation = std::move(page[i].explanation);
    hit.collapse_value = std::move(page[i].collapse_value);
    result.hits.push_back(std::move(hit));
  }
  // Elasticsearch scores match_all with its boost (1.0 by default); Xapian's match-all weighs 0.
  bool by_score = sort->mode == SortPlan::Mode::kRelevance || sort->mode == SortPlan::Mode::kRelevanceThenKey;
  if (by_score && std::holds_alternative<MatchAllQuery>(request.query.node)) {
    for (Hit& hit : result.hits) {
      hit.score = request.query.boost;
      if (hit.explanation) *hit.explanation = Explanation{hit.score, "match_all: every document scores the query's boost", {}};
    }
    if (!result.hits.empty()) result.max_score = request.query.boost;
  }
  result.took_micros = static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started).count());
  return result;
}

Result<uint64_t> ExecuteCount(const Query& query, const SearchContext& ctx) {
  auto lease = ctx.readers.Acquire();
  if (!lease.ok()) return lease.status();
  uint64_t count = 0;
  Status counted = RunOnReader(*lease, "counting", [&](Xapian::Database& db) -> Status {
    CompileContext cc{ctx.mapping, ctx.analyzers, db, lease->version(), ctx.columns};
    auto compiled = CompileQuery(query, cc);
    if (!compiled.ok()) return compiled.status();
    Xapian::Enquire enquire(db);
    enquire.set_query(UnscoredForXapian(compiled.value()));
    enquire.set_docid_order(Xapian::Enquire::DONT_CARE);
    count = enquire.get_mset(0, 0, db.get_doccount()).get_matches_lower_bound();
    return Status::OK();
  });
  if (!counted.ok()) return counted;
  return count;
}

}  // namespace ultrasearch
