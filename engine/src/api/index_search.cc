// Search and count; a match query typed on the wrong keyboard layout is searched as meant (layout_choice.h).
#include "api/index_impl.h"
#include "api/point_in_time.h"
#include "highlight/highlighter.h"
#include "search/aggregate_search.h"
#include "search/searcher.h"
#include "search/completion_suggester.h"
#include "search/layout_choice.h"
#include "search/term_suggester.h"

namespace ultrasearch {

namespace {

// Searches `choice`'s reading wherever a match clause (in bool must/should, nested) has the
// typed text: instead of it, or beside it at kOtherReadingWeight.
void ApplyReading(Query* query, const std::string& typed, const LayoutChoice& choice) {
  if (auto* match = std::get_if<MatchQuery>(&query->node)) {
    if (match->text != typed) return;
    if (!choice.with_typed) {
      match->text = choice.reading;
      return;
    }
    MatchQuery other = *match;
    other.text = choice.reading;
    BoolQuery either;
    either.should.push_back(Query{std::move(*match)});
    either.should.push_back(Query{std::move(other), kOtherReadingWeight});
    query->node = std::move(either);
    return;
  }
  if (auto* b = std::get_if<BoolQuery>(&query->node)) {
    for (auto* clauses : {&b->must, &b->should}) {
      for (auto& clause : *clauses) ApplyReading(&clause, typed, choice);
    }
  }
}

// The match clause the user typed: the first one.
const MatchQuery* FirstMatch(const Query& query) {
  if (const auto* match = std::get_if<MatchQuery>(&query.node)) return match;
  if (const auto* b = std::get_if<BoolQuery>(&query.node)) {
    for (const auto* clauses : {&b->must, &b->should}) {
      for (const auto& clause : *clauses) {
        if (const MatchQuery* match = FirstMatch(clause)) return match;
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
  // The other keyboard layout's reading, when the index's terms say it is the one meant.
  std::optional<SearchRequest> reread;
  std::string reading;
  if (request.reread_in_other_layout) {
    if (const MatchQuery* typed = FirstMatch(request.query)) {
      auto choice = ChooseLayout(*typed, ctx);
      if (!choice.ok()) return choice.status();
      if (!choice->reading.empty()) {
        reread = request;
        ApplyReading(&reread->query, typed->text, *choice);
        reading = std::move(choice->reading);
      }
    }
  }
  if (Status s = CheckCancelled(request); !s.ok()) return s;
  const SearchRequest& ran = reread ? *reread : request;
  auto result = ExecuteColumnSearch(ran, ctx);
  if (result.ok() && reread) result->rewritten_query = std::move(reading);
  return WithHighlights(std::move(result), ran, asked, highlight_ctx);
}

Result<uint64_t> Index::Impl::Count(const Query& query) const {
  std::shared_lock<std::shared_mutex> life(lifecycle_mu_);
  if (Status s = UnavailableIfClosed(); !s.ok()) return s;
  auto current = mapping();
  SearchContext ctx{*current, *params_.analyzers, *readers_, *catalog_, columns_->Current()};
  return ExecuteCount(query, ctx);
}

}  // namespace ultrasearch
