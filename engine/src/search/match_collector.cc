#include "search/match_collector.h"

#include <algorithm>
#include <iterator>
#include <memory>

#include "search/query_compiler.h"

namespace ultrasearch {

namespace {

// Records the local docid of every match Xapian's matcher finds in one shard.
class LocalDocidSpy : public Xapian::MatchSpy {
 public:
  explicit LocalDocidSpy(std::vector<Xapian::docid>* out) : out_(out) {}
  void operator()(const Xapian::Document& doc, double) override { out_->push_back(doc.get_docid()); }

 private:
  std::vector<Xapian::docid>* out_;
};

// A fixed ascending list of local docids as a posting source: restricts Xapian's matcher to the
// candidates a node's siblings left.
class CandidateSource : public Xapian::PostingSource {
 public:
  explicit CandidateSource(std::shared_ptr<const std::vector<Xapian::docid>> docids) : docids_(std::move(docids)) {}
  void init(const Xapian::Database&) override { at_ = 0, started_ = false; }
  Xapian::doccount get_termfreq_min() const override { return static_cast<Xapian::doccount>(docids_->size()); }
  Xapian::doccount get_termfreq_est() const override { return get_termfreq_min(); }
  Xapian::doccount get_termfreq_max() const override { return get_termfreq_min(); }
  void next(double) override {
    if (started_) ++at_;
    started_ = true;
  }
  void skip_to(Xapian::docid did, double) override {
    started_ = true;
    at_ = static_cast<size_t>(std::lower_bound(docids_->begin() + static_cast<ptrdiff_t>(at_), docids_->end(), did) -
                              docids_->begin());
  }
  bool at_end() const override { return started_ && at_ >= docids_->size(); }
  Xapian::docid get_docid() const override { return (*docids_)[at_]; }
  PostingSource* clone() const override { return new CandidateSource(docids_); }
  std::string get_description() const override { return "CandidateSource"; }

 private:
  std::shared_ptr<const std::vector<Xapian::docid>> docids_;
  size_t at_ = 0;
  bool started_ = false;
};

// Child evaluation order inside an AND: cheap generators first (rarest term first), so that the
// nodes that only test candidates (column filters, nodes left to Xapian) see the fewest.
enum class Cost { kTerm, kTree, kColumnFilter, kMatcher };

}  // namespace

std::vector<uint32_t> MatchCollector::Collect(const Xapian::Query& query) const {
  std::vector<uint32_t> out;
  for (size_t k = 0; k < shards_.size(); ++k) {
    const Shard shard{shards_[k], k};
    Docids local = Evaluate(query, shard, nullptr);
    std::vector<uint32_t> engine;
    engine.reserve(local.size());
    for (Xapian::docid d : local) engine.push_back(EngineDocid(d, shard));
    if (out.empty()) {
      out = std::move(engine);
      continue;
    }
    std::vector<uint32_t> merged;
    merged.reserve(out.size() + engine.size());
    std::merge(out.begin(), out.end(), engine.begin(), engine.end(), std::back_inserter(merged));
    out = std::move(merged);
  }
  return out;
}

MatchCollector::Docids MatchCollector::Evaluate(const Xapian::Query& query, const Shard& shard,
                                                const Docids* within) const {
  switch (query.get_type()) {
    case Xapian::Query::LEAF_MATCH_NOTHING:
      return {};
    case Xapian::Query::LEAF_MATCH_ALL:
      return within != nullptr ? *within : Postings(std::string(), shard, nullptr);
    case Xapian::Query::LEAF_TERM: {
      auto term = query.get_terms_begin();  // the empty term (match all) is not listed
      return Postings(term == query.get_terms_end() ? std::string() : *term, shard, within);
    }
    case Xapian::Query::LEAF_POSTING_SOURCE:
      if (filters_ != nullptr) {
        if (const auto* predicate = filters_->FromLeaf(query)) return Filter(*predicate, shard, within);
      }
      return Match(query, shard, within);
    case Xapian::Query::OP_AND:
    case Xapian::Query::OP_FILTER:
      return EvaluateAnd(query, shard, within);
    case Xapian::Query::OP_OR:
    case Xapian::Query::OP_SYNONYM:
    case Xapian::Query::OP_MAX:
      return EvaluateOr(query, shard, within);
    case Xapian::Query::OP_AND_NOT:
      return EvaluateAndNot(query, shard, within);
    case Xapian::Query::OP_AND_MAYBE:  // the optional side only weighs
    case Xapian::Query::OP_SCALE_WEIGHT:
      return Evaluate(query.get_subquery(0), shard, within);
    default:
      return Match(query, shard, within);
  }
}

MatchCollector::Docids MatchCollector::EvaluateAnd(const Xapian::Query& query, const Shard& shard,
                                                   const Docids* within) const {
  struct Child {
    Xapian::Query query;
    Cost cost;
    Xapian::doccount termfreq;
  };
  std::vector<Child> children;
  for (size_t i = 0; i < query.get_num_subqueries(); ++i) {
    Xapian::Query sub = query.get_subquery(i);
    switch (sub.get_type()) {
      case Xapian::Query::LEAF_MATCH_ALL:
        continue;  // restricts nothing
      case Xapian::Query::LEAF_MATCH_NOTHING:
        return {};
      case Xapian::Query::LEAF_TERM: {
        auto term = sub.get_terms_begin();
        if (term == sub.get_terms_end()) continue;  // the empty term: match all
        children.push_back({sub, Cost::kTerm, shard.db.get_termfreq(*term)});
        break;
      }
      case Xapian::Query::LEAF_POSTING_SOURCE:
        children.push_back({sub, filters_ != nullptr && filters_->FromLeaf(sub) ? Cost::kColumnFilter : Cost::kMatcher, 0});
        break;
      case Xapian::Query::OP_AND:
      case Xapian::Query::OP_FILTER:
      case Xapian::Query::OP_OR:
      case Xapian::Query::OP_SYNONYM:
      case Xapian::Query::OP_MAX:
      case Xapian::Query::OP_AND_NOT:
      case Xapian::Query::OP_AND_MAYBE:
      case Xapian::Query::OP_SCALE_WEIGHT:
        children.push_back({sub, Cost::kTree, 0});
        break;
      default:
        children.push_back({sub, Cost::kMatcher, 0});
    }
  }
  if (children.empty()) return within != nullptr ? *within : Postings(std::string(), shard, nullptr);
  std::stable_sort(children.begin(), children.end(), [](const Child& a, const Child& b) {
    return a.cost != b.cost ? a.cost < b.cost : a.termfreq < b.termfreq;
  });
  Docids current = Evaluate(children[0].query, shard, within);
  for (size_t i = 1; i < children.size() && !current.empty(); ++i) {
    current = Evaluate(children[i].query, shard, &current);
  }
  return current;
}

MatchCollector::Docids MatchCollector::EvaluateOr(const Xapian::Query& query, const Shard& shard,
                                                  const Docids* within) const {
  std::vector<Docids> parts;
  size_t total = 0;
  for (size_t i = 0; i < query.get_num_subqueries(); ++i) {
    Docids part = Evaluate(query.get_subquery(i), shard, within);
    if (part.empty()) continue;
    total += part.size();
    parts.push_back(std::move(part));
  }
  if (parts.empty()) return {};
  if (parts.size() == 1) return std::move(parts[0]);
  if (parts.size() == 2) {
    Docids out;
    out.reserve(total);
    std::set_union(parts[0].begin(), parts[0].end(), parts[1].begin(), parts[1].end(), std::back_inserter(out));
    return out;
  }
  // Many runs: mark them in a bitmap over the shard's docids and read it back in order.
  Xapian::docid last = 0;
  for (const Docids& part : parts) last = std::max(last, part.back());
  std::vector<uint64_t> bits(last / 64 + 1);
  for (const Docids& part : parts) {
    for (Xapian::docid d : part) bits[d / 64] |= uint64_t{1} << (d % 64);
  }
  Docids out;
  out.reserve(total);
  for (size_t w = 0; w < bits.size(); ++w) {
    for (uint64_t word = bits[w]; word != 0; word &= word - 1) {
      out.push_back(static_cast<Xapian::docid>(w * 64 + static_cast<size_t>(__builtin_ctzll(word))));
    }
  }
  return out;
}

MatchCollector::Docids MatchCollector::EvaluateAndNot(const Xapian::Query& query, const Shard& shard,
                                                      const Docids* within) const {
  Docids left = Evaluate(query.get_subquery(0), shard, within);
  for (size_t i = 1; i < query.get_num_subqueries() && !left.empty(); ++i) {
    Docids right = Evaluate(query.get_subquery(i), shard, &left);
    Docids kept;
    kept.reserve(left.size() - right.size());
    std::set_difference(left.begin(), left.end(), right.begin(), right.end(), std::back_inserter(kept));
    left = std::move(kept);
  }
  return left;
}

MatchCollector::Docids MatchCollector::Postings(const std::string& term, const Shard& shard,
                                                const Docids* within) const {
  Docids out;
  if (within == nullptr) {
    out.reserve(term.empty() ? shard.db.get_doccount() : shard.db.get_termfreq(term));
    for (auto it = shard.db.postlist_begin(term), end = shard.db.postlist_end(term); it != end; ++it) {
      out.push_back(*it);
    }
    return out;
  }
  if (within->empty()) return out;
  if (term.empty()) return *within;
  const Xapian::doccount termfreq = shard.db.get_termfreq(term);
  auto it = shard.db.postlist_begin(term);
  const auto end = shard.db.postlist_end(term);
  if (within->size() * 16 < termfreq) {
    // Few candidates in a long list: skip to each.
    for (Xapian::docid d : *within) {
      it.skip_to(d);
      if (it == end) break;
      if (*it == d) out.push_back(d);
    }
    return out;
  }
  auto candidate = within->begin();
  for (; it != end && candidate != within->end(); ++it) {
    const Xapian::docid d = *it;
    while (candidate != within->end() && *candidate < d) ++candidate;
    if (candidate != within->end() && *candidate == d) out.push_back(d);
  }
  return out;
}

MatchCollector::Docids MatchCollector::Filter(const facets::ColumnFilterTable::Predicate& matches,
                                              const Shard& shard, const Docids* within) const {
  Docids out;
  if (within != nullptr) {
    for (Xapian::docid d : *within) {
      if (matches(EngineDocid(d, shard))) out.push_back(d);
    }
    return out;
  }
  for (auto it = shard.db.postlist_begin(std::string()), end = shard.db.postlist_end(std::string()); it != end; ++it) {
    if (matches(EngineDocid(*it, shard))) out.push_back(*it);
  }
  return out;
}

MatchCollector::Docids MatchCollector::Match(const Xapian::Query& query, const Shard& shard,
                                             const Docids* within) const {
  Docids out;
  if (within != nullptr && within->empty()) return out;
  Xapian::Query restricted = query;
  if (within != nullptr) {
    auto* candidates = new CandidateSource(std::make_shared<const Docids>(*within));
    restricted = Xapian::Query(Xapian::Query::OP_FILTER, query, Xapian::Query(candidates->release()));
  }
  Xapian::Enquire enquire(shard.db);
  // Filtering match-all keeps Xapian 1.4.22 off its zero-weight path (see searcher.cc).
  enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER, XapianMatchAll(), restricted));
  enquire.set_weighting_scheme(Xapian::BoolWeight());
  enquire.set_docid_order(Xapian::Enquire::ASCENDING);
  LocalDocidSpy spy(&out);
  enquire.add_matchspy(&spy);
  enquire.get_mset(0, 0, shard.db.get_doccount());
  std::sort(out.begin(), out.end());  // the spy sees matches in the matcher's order
  return out;
}

}  // namespace ultrasearch
