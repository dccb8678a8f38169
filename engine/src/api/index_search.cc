// Search and count, with the query-rewrite retry (wrong keyboard layout) when too little matches.
#include "api/index_impl.h"
#include "search/aggregate_search.h"
#include "search/searcher.h"

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

}  // namespace

Result<SearchResult> Index::Impl::Search(const SearchRequest& request) const {
  std::shared_lock<std::shared_mutex> life(lifecycle_mu_);
  if (Status s = UnavailableIfClosed(); !s.ok()) return s;
  auto current = mapping();
  SearchContext ctx{*current, *params_.analyzers, *readers_, *catalog_, columns_->Current()};
  auto result = ExecuteColumnSearch(request, ctx);
  if (!result.ok() || result->total >= request.rewrite_when_fewer_than) return result;
  const std::string* typed = FirstMatchText(request.query);
  if (typed == nullptr) return result;

  // Too little matched: try each rewriter's spellings and keep the one that finds the most.
  std::optional<SearchResult> best;
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
      }
    }
  }
  if (best) return std::move(*best);
  return result;
}

Result<uint64_t> Index::Impl::Count(const Query& query) const {
  std::shared_lock<std::shared_mutex> life(lifecycle_mu_);
  if (Status s = UnavailableIfClosed(); !s.ok()) return s;
  auto current = mapping();
  SearchContext ctx{*current, *params_.analyzers, *readers_, *catalog_, columns_->Current()};
  return ExecuteCount(query, ctx);
}

}  // namespace ultrasearch
