// Search and count, with the query-rewrite retry (wrong keyboard layout) when too little matches.
#include "api/index_impl.h"
#include "api/point_in_time.h"
#include "highlight/highlighter.h"
#include "search/aggregate_search.h"
#include "search/searcher.h"
#include "search/completion_suggester.h"
#include "search/term_suggester.h"

namespace ultrasearch {

namespace {

// Applies `rewrite` to the text of every match clause; returns false when the query has none.
bool RewriteMatchText(Query* query, const std::function<std::string(const std::string&)>& rewrite) {
  bool any = false;
  if (auto* match = std::get_if<MatchQuery>(&query->node)) {
    match->text = rewrite(match->text);
    return true;
  }
  if (auto* b = std::get_if<BoolQuery>(&query->node)) {
    for (auto* clauses : {&b->must, &b->should}) {
      for (auto& clause : *clauses) any |= RewriteMatchText(&clause, rewrite);
    }
  }
  return any;
}

// The match text the user typed: the first match clause's text.
const std::string* FirstMatchText(const Query& query) {
  if (const auto* match = std::get_if<MatchQuery>(&query.node)) return &match->text;
  if (const auto* b = std::get_if<BoolQuery>(&query.node)) {
    for (const auto* clauses : {&b->must, &b->should}) {
      for (const auto& clause : *clauses) {
        if (const std::string* text = FirstMatchText(clause)) return text;
      }
    }
  }
  return nullptr;
}

// Adds the highlights `ran` asks for to its result; `ran` is the request whose query produced
// the hits (the rewritten one when a rewrite won), so the marked terms are the ones that matched.
Result<SearchResult> WithHighlights(Result<SearchResult> result, const SearchRequest& ran, const SearchRequest& asked,
                                    const HighlightContext& ctx) {
  if (!result.ok() || !asked.highlight) return result;
  Status s = HighlightHits(ran, ctx, &result->hits);
  if (!s.ok()) return s;
  if (!asked.fetch_source) {
    for (Hit& hit : result->hits) hit.source_json.clear();
  }
  return result;
}

}  // namespace

Result<std::shared_ptr<PointInTime>> Index::Impl::OpenPointInTime() const {
  std::shared_lock<std::shared_mutex> life(lifecycle_mu_);
  if (Status s = UnavailableIfClosed(); !s.ok()) return s;
  auto pit = std::make_shared<PointInTime>();
  pit->owner = this;
  pit->mapping = mapping();
  pit->readers = std::make_unique<ReaderPool>(readers_->paths());
  {
    // No commit lands while the handles open and the columns are read: all show one commit.
    auto between_commits = readers_->HoldOpens();
    pit->columns = columns_->Current();
    std::vector<ReaderPool::Lease> leases;
    for (int i = 0; i < PointInTime::kHandles; ++i) {
      auto lease = pit->readers->Acquire();
      if (!lease.ok()) return lease.status();
      leases.push_back(std::move(lease.value()));
    }
  }  // the leases go back to the pool idle, open at that commit
  pit->readers->Freeze();
  return pit;
}

Result<SuggestResult> Index::Impl::Suggest(const SuggestRequest& request) const {
  std::shared_lock<std::shared_mutex> life(lifecycle_mu_);
  if (Status s = UnavailableIfClosed(); !s.ok()) return s;
  auto current = mapping();
  SearchContext ctx{*current, *params_.analyzers, *readers_, *catalog_, columns_->Current()};
  if (request.type == SuggestRequest::Type::kCompletion) return SuggestCompletions(request, ctx);
  return SuggestTerms(request, ctx);
}

Result<SearchResult> Index::Impl::Search(const SearchRequest& asked) const {
  auto result = SearchHits(asked);
  if (!result.ok()) return result;
  for (const SuggestRequest& suggester : asked.suggest) {
    auto suggested = Suggest(suggester);
    if (!suggested.ok()) return suggested.status();
    result->suggest.push_back(std::move(suggested).value());
  }
  return result;
}

Result<SearchResult> Index::Impl::SearchHits(const SearchRequest& asked) const {
  std::shared_lock<std::shared_mutex> life(lifecycle_mu_);
  if (Status s = UnavailableIfClosed(); !s.ok()) return s;
  PointInTime* pit = asked.point_in_time.get();
  if (pit != nullptr && pit->owner != this) {
    return Status::InvalidArgument("the point in time was opened on another index");
  }
  std::unique_lock<std::mutex> pit_turn;
  if (pit != nullptr) pit_turn = std::unique_lock<std::mutex>(pit->mu);
  auto current = pit != nullptr ? pit->mapping : mapping();
  ReaderPool& readers = pit != nullptr ? *pit->readers : *readers_;
  SearchContext ctx{*current, *params_.analyzers, readers, *catalog_, pit != nullptr ? pit->columns : columns_->Current()};
  const HighlightContext highlight_ctx{*current, *params_.analyzers, readers};
  // Highlighting reads the stored documents, wanted in the response or not.
  std::optional<SearchRequest> with_source;
  if (asked.highlight && !asked.fetch_source) {
    with_source = asked;
    with_source->fetch_source = true;
  }
  const SearchRequest& request = with_source ? *with_source : asked;
  auto result = ExecuteColumnSearch(request, ctx);
  if (!result.ok() || result->total >= request.rewrite_when_fewer_than) {
    return WithHighlights(std::move(result), request, asked, highlight_ctx);
  }
  const std::string* typed = FirstMatchText(request.query);
  if (typed == nullptr) return WithHighlights(std::move(result), request, asked, highlight_ctx);

  // Too little matched: try each rewriter's spellings and keep the one that finds the most.
  std::optional<SearchResult> best;
  std::optional<SearchRequest> best_request;
  for (const auto& rewriter : params_.analyzers->query_rewriters()) {
    for (const std::string& candidate : rewriter(*typed)) {
      if (candidate == *typed) continue;
      if (Status s = CheckCancelled(request); !s.ok()) return s;
      SearchRequest retry = request;
      retry.rewrite_when_fewer_than = 0;
      const std::string original = *typed;
      RewriteMatchText(&retry.query, [&](const std::string& text) { return text == original ? candidate : text; });
      auto attempt = ExecuteColumnSearch(retry, ctx);
      if (!attempt.ok()) continue;  // a rewrite that cannot run is simply not used
      if (attempt->total > (best ? best->total : result->total)) {
        best = std::move(attempt.value());
        best->rewritten_query = candidate;
        best_request = std::move(retry);
      }
    }
  }
  if (best) return WithHighlights(std::move(*best), *best_request, asked, highlight_ctx);
  return WithHighlights(std::move(result), request, asked, highlight_ctx);
}

Result<uint64_t> Index::Impl::Count(const Query& query) const {
  std::shared_lock<std::shared_mutex> life(lifecycle_mu_);
  if (Status s = UnavailableIfClosed(); !s.ok()) return s;
  auto current = mapping();
  SearchContext ctx{*current, *params_.analyzers, *readers_, *catalog_, columns_->Current()};
  return ExecuteCount(query, ctx);
}

}  // namespace ultrasearch
