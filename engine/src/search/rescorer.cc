#include "search/rescorer.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>
#include <variant>

#include "facets/column_block.h"
#include "facets/column_store.h"
#include "index/term_scheme.h"
#include "mapping/mapping.h"
#include "search/bm25.h"

namespace ultrasearch {

namespace {

using XQ = Xapian::Query;

template <class... Fs>
struct Overloaded : Fs... {
  using Fs::operator()...;
};
template <class... Fs>
Overloaded(Fs...) -> Overloaded<Fs...>;

const char* KindName(const Query& q) {
  static constexpr const char* kNames[] = {"match_all", "match_none", "match", "term", "range", "prefix", "exists",
                                           "ids", "bool", "wildcard", "dis_max", "constant_score", "boosting",
                                           "function_score"};
  static_assert(std::variant_size_v<decltype(Query::node)> == std::size(kNames));
  return kNames[q.node.index()];
}

std::optional<double> ParseDouble(const std::string& text) {
  double v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

// Elasticsearch's time units for decay scales and offsets on dates, in milliseconds.
std::optional<double> ParseDurationMillis(const std::string& text) {
  if (auto plain = ParseDouble(text)) return plain;
  static constexpr std::pair<const char*, double> kUnits[] = {
      {"ms", 1}, {"s", 1000}, {"m", 60'000}, {"h", 3'600'000}, {"d", 86'400'000}, {"w", 604'800'000}};
  for (const auto& [unit, millis] : kUnits) {
    const std::string_view u(unit);
    if (text.size() > u.size() && text.compare(text.size() - u.size(), u.size(), u) == 0) {
      // "ms" ends in "s" too: a number must stand before the unit.
      if (auto n = ParseDouble(text.substr(0, text.size() - u.size()))) return *n * millis;
    }
  }
  return std::nullopt;
}

// A number as Elasticsearch's explanations print them (0.5, not 0.500000).
std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%g", v);
  return buf;
}

Explanation Explain(double value, std::string description, std::vector<Explanation> details = {}) {
  return Explanation{value, std::move(description), std::move(details)};
}

}  // namespace

bool NeedsRescoring(const Query& query) {
  return std::visit(Overloaded{
                        [](const DisMaxQuery&) { return true; },
                        [](const BoostingQuery&) { return true; },
                        [](const FunctionScoreQuery&) { return true; },
                        [](const ConstantScoreQuery& c) {
                          return std::any_of(c.filter.begin(), c.filter.end(), NeedsRescoring);
                        },
                        [](const BoolQuery& b) {
                          for (const auto* clauses : {&b.must, &b.filter, &b.should, &b.must_not}) {
                            if (std::any_of(clauses->begin(), clauses->end(), NeedsRescoring)) return true;
                          }
                          return false;
                        },
                        [](const auto&) { return false; },
                    },
                    query.node);
}

Rescorer::Rescorer(const Query& query, const CompileContext& cc, int64_t now_millis)
    : query_(query), cc_(cc), now_millis_(now_millis) {}

Status Rescorer::CollectLeaves(const Query& q, const XQ& restrict) {
  if (std::holds_alternative<MatchAllQuery>(q.node)) return Status::OK();  // scored as its boost
  if (!NeedsRescoring(q)) {
    // Compiled alone: no column filter table (that belongs to the hits query) nor highlighting.
    CompileContext leaf_cc{cc_.mapping, cc_.analyzers, cc_.db, cc_.reader_version, cc_.columns};
    auto compiled = CompileQuery(q, leaf_cc);
    if (!compiled.ok()) return compiled.status();
    Xapian::Enquire enquire(cc_.db);
    enquire.set_query(XQ(XQ::OP_FILTER, compiled.value(), restrict));
    enquire.set_weighting_scheme(EsBm25());
    enquire.set_docid_order(Xapian::Enquire::ASCENDING);
    const Xapian::doccount n = cc_.db.get_doccount();
    Leaf& leaf = leaves_[&q];
    Xapian::MSet mset = enquire.get_mset(0, n, n);
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      if (candidates_.count(*it)) leaf.weights[*it] = it.get_weight();
    }
    return Status::OK();
  }
  auto all = [&](const std::vector<Query>& children) -> Status {
    for (const auto& c : children) {
      if (Status s = CollectLeaves(c, restrict); !s.ok()) return s;
    }
    return Status::OK();
  };
  return std::visit(Overloaded{
                        [&](const DisMaxQuery& d) { return all(d.queries); },
                        [&](const BoostingQuery& b) {
                          Status s = all(b.positive);
                          return s.ok() ? all(b.negative) : s;
                        },
                        [&](const FunctionScoreQuery& f) {
                          Status s = all(f.query);
                          for (const auto& fn : f.functions) {
                            if (s.ok()) s = all(fn.filter);
                          }
                          return s;
                        },
                        [&](const ConstantScoreQuery& c) { return all(c.filter); },
                        [&](const BoolQuery& b) {
                          for (const auto* clauses : {&b.must, &b.filter, &b.should, &b.must_not}) {
                            if (Status s = all(*clauses); !s.ok()) return s;
                          }
                          return Status::OK();
                        },
                        [&](const auto&) { return Status::OK(); },
                    },
                    q.node);
}

Result<std::vector<Rescorer::Scored>> Rescorer::Score(const std::vector<Candidate>& candidates, bool explain,
                                                      const Xapian::Query& matching) {
  std::vector<Scored> out(candidates.size());
  if (candidates.empty()) return out;
  // The parts run over the search's matches: as cheap as the search. Restricting them by the
  // candidates' ID terms instead (an OR of a B-tree lookup each) was measured here at 187 ms for
  // 1,100 candidates and one part.
  const XQ& restrict = matching;
  candidates_.clear();
  for (const auto& c : candidates) candidates_.insert(c.docid);
  leaves_.clear();
  documents_.clear();
  if (Status s = CollectLeaves(query_, restrict); !s.ok()) return s;
  for (size_t i = 0; i < candidates.size(); ++i) {
    Explanation explanation;
    auto eval = Evaluate(query_, candidates[i].docid, explain ? &explanation : nullptr);
    if (!eval.ok()) return eval.status();
    out[i].matched = eval->matched;
    out[i].score = eval->score;
    if (explain) out[i].explanation = std::move(explanation);
  }
  return out;
}

Result<Rescorer::Eval> Rescorer::Evaluate(const Query& q, Xapian::docid docid, Explanation* out) {
  if (std::holds_alternative<MatchAllQuery>(q.node)) {
    if (out != nullptr) *out = Explain(q.boost, "match_all: every document scores the query's boost");
    return Eval{true, q.boost};
  }
  if (auto leaf = leaves_.find(&q); leaf != leaves_.end()) {
    auto w = leaf->second.weights.find(docid);
    if (w == leaf->second.weights.end()) return Eval{};
    if (out != nullptr) {
      *out = Explain(w->second, std::string(KindName(q)) +
                                    " query: sum of the BM25 weights (k1=1.2, b=0.75) of its matching terms, "
                                    "times its boosts, as Xapian computes them");
    }
    return Eval{true, w->second};
  }
  // One child, explained into `details` when explaining.
  auto child = [&](const Query& c, std::vector<Explanation>* details) -> Result<Eval> {
    Explanation e;
    auto r = Evaluate(c, docid, out != nullptr ? &e : nullptr);
    if (r.ok() && r->matched && details != nullptr) details->push_back(std::move(e));
    return r;
  };
  std::vector<Explanation> details;
  std::vector<Explanation>* d = out != nullptr ? &details : nullptr;
  auto boosted = [&](double score, std::string description) -> Eval {
    if (out != nullptr) {
      if (q.boost != 1.0) {
        details.push_back(Explain(q.boost, "boost"));
        description += ", times boost";
      }
      *out = Explain(score * q.boost, std::move(description), std::move(details));
    }
    return Eval{true, score * q.boost};
  };

  if (const auto* dm = std::get_if<DisMaxQuery>(&q.node)) {
    double max = 0, sum = 0;
    bool any = false;
    for (const auto& c : dm->queries) {
      auto r = child(c, d);
      if (!r.ok()) return r.status();
      if (!r->matched) continue;
      max = any ? std::max(max, r->score) : r->score;
      sum += r->score;
      any = true;
    }
    if (!any) return Eval{};
    return boosted(max + dm->tie_breaker * (sum - max),
                   "max plus " + Num(dm->tie_breaker) + " times others of:");
  }
  if (const auto* b = std::get_if<BoostingQuery>(&q.node)) {
    auto positive = child(b->positive.front(), d);
    if (!positive.ok()) return positive.status();
    if (!positive->matched) return Eval{};
    auto negative = Evaluate(b->negative.front(), docid, nullptr);
    if (!negative.ok()) return negative.status();
    double score = positive->score;
    if (negative->matched) {
      score *= b->negative_boost;
      if (d != nullptr) d->push_back(Explain(b->negative_boost, "negative_boost: the negative query matches"));
    }
    return boosted(score, "product of:");
  }
  if (const auto* f = std::get_if<FunctionScoreQuery>(&q.node)) {
    return EvaluateFunctions(*f, q.boost, docid, out);
  }
  if (const auto* c = std::get_if<ConstantScoreQuery>(&q.node)) {
    auto filter = Evaluate(c->filter.front(), docid, nullptr);
    if (!filter.ok()) return filter.status();
    if (!filter->matched) return Eval{};
    if (out != nullptr) *out = Explain(q.boost, "constant_score: the filter matches, the score is the boost");
    return Eval{true, q.boost};
  }
  if (const auto* b = std::get_if<BoolQuery>(&q.node)) {
    double sum = 0;
    for (const auto& c : b->must) {
      auto r = child(c, d);
      if (!r.ok()) return r.status();
      if (!r->matched) return Eval{};
      sum += r->score;
    }
    for (const auto* clauses : {&b->filter, &b->must_not}) {
      const bool wanted = clauses == &b->filter;
      for (const auto& c : *clauses) {
        auto r = Evaluate(c, docid, nullptr);
        if (!r.ok()) return r.status();
        if (r->matched != wanted) return Eval{};
      }
    }
    int required = (b->must.empty() && b->filter.empty()) ? 1 : 0;
    if (!b->minimum_should_match.empty()) {
      auto k = ResolveMinimumShouldMatch(b->minimum_should_match, static_cast<int>(b->should.size()));
      if (!k.ok()) return k.status();
      required = (b->must.empty() && b->filter.empty()) ? std::max(*k, 1) : *k;
    }
    int matched_should = 0;
    for (const auto& c : b->should) {
      auto r = child(c, d);
      if (!r.ok()) return r.status();
      if (!r->matched) continue;
      ++matched_should;
      sum += r->score;
    }
    if (!b->should.empty() && matched_should < required) return Eval{};
    return boosted(sum, "sum of:");
  }
  return Status::Internal(std::string("rescoring has no rule for a [") + KindName(q) + "] query");
}

Result<Rescorer::Eval> Rescorer::EvaluateFunctions(const FunctionScoreQuery& f, double boost, Xapian::docid docid,
                                                   Explanation* out) {
  Explanation query_explanation;
  auto sub = Evaluate(f.query.front(), docid, out != nullptr ? &query_explanation : nullptr);
  if (!sub.ok()) return sub.status();
  if (!sub->matched) return Eval{};
  // Elasticsearch's FunctionScoreQuery: functions whose filter does not match are skipped, and
  // with none left the factor is 1.
  std::vector<Explanation> function_details;
  double factor = 1;
  double total = 0, weight_sum = 0;
  std::optional<double> best;
  bool first_taken = false;
  for (const auto& fn : f.functions) {
    if (!fn.filter.empty()) {
      auto filter = Evaluate(fn.filter.front(), docid, nullptr);
      if (!filter.ok()) return filter.status();
      if (!filter->matched) continue;
    }
    Explanation fe;
    auto value = FunctionValue(fn, docid, out != nullptr ? &fe : nullptr);
    if (!value.ok()) return value.status();
    if (out != nullptr) function_details.push_back(std::move(fe));
    switch (f.score_mode) {
      case FunctionScoreQuery::ScoreMode::kMultiply: factor *= *value; break;
      case FunctionScoreQuery::ScoreMode::kSum:
      case FunctionScoreQuery::ScoreMode::kAvg:
        total += *value;
        weight_sum += fn.weight;
        break;
      case FunctionScoreQuery::ScoreMode::kFirst:
        if (!first_taken) factor = *value;
        first_taken = true;
        break;
      case FunctionScoreQuery::ScoreMode::kMax: best = best ? std::max(*best, *value) : *value; break;
      case FunctionScoreQuery::ScoreMode::kMin: best = best ? std::min(*best, *value) : *value; break;
    }
  }
  using SM = FunctionScoreQuery::ScoreMode;
  if ((f.score_mode == SM::kSum || f.score_mode == SM::kAvg) && weight_sum != 0) {
    factor = f.score_mode == SM::kAvg ? total / weight_sum : total;
  }
  if ((f.score_mode == SM::kMax || f.score_mode == SM::kMin) && best) factor = *best;
  factor = std::min(factor, f.max_boost);
  const double q = sub->score;
  double combined = 0;
  const char* how = "";
  switch (f.boost_mode) {
    case FunctionScoreQuery::BoostMode::kMultiply: combined = q * factor, how = "product of:"; break;
    case FunctionScoreQuery::BoostMode::kReplace: combined = factor, how = "the functions' score (boost_mode replace):"; break;
    case FunctionScoreQuery::BoostMode::kSum: combined = q + factor, how = "sum of:"; break;
    case FunctionScoreQuery::BoostMode::kAvg: combined = (q + factor) / 2, how = "average of:"; break;
    case FunctionScoreQuery::BoostMode::kMax: combined = std::max(q, factor), how = "max of:"; break;
    case FunctionScoreQuery::BoostMode::kMin: combined = std::min(q, factor), how = "min of:"; break;
  }
  if (f.min_score && combined < *f.min_score) return Eval{};
  if (out != nullptr) {
    std::vector<Explanation> details;
    details.push_back(std::move(query_explanation));
    details.push_back(Explain(factor, "functions' score (score_mode, capped at max_boost " + Num(f.max_boost) +
                                          ") of:",
                              std::move(function_details)));
    if (boost != 1.0) details.push_back(Explain(boost, "boost"));
    *out = Explain(combined * boost, std::string("function score, ") + how, std::move(details));
  }
  return Eval{true, combined * boost};
}

Result<std::optional<double>> Rescorer::FieldNumber(const std::string& name, Xapian::docid docid) {
  const FieldMapping* field = cc_.mapping.Find(name);
  if (field == nullptr) return std::optional<double>();
  if (field->type == FieldType::kText || field->type == FieldType::kKeyword) {
    return Status::InvalidArgument("field [" + name + "] of type [" + std::string(FieldTypeName(field->type)) +
                                   "] cannot be used in a score function: it needs a numeric or date field");
  }
  // The value columns are in memory (a Xapian document's value costs a value-stream seek): the
  // smallest value of a multi-valued field, as the value slot holds.
  if (cc_.columns != nullptr) {
    const facets::Column* column = cc_.columns->Find(field->ordinal);
    std::optional<double> smallest;
    if (column != nullptr) {
      column->ForEach(docid, [&](uint64_t raw) {
        const double v = facets::BitsNumber(raw);
        if (!smallest || v < *smallest) smallest = v;
      });
    }
    return smallest;
  }
  auto doc = documents_.find(docid);
  if (doc == documents_.end()) doc = documents_.emplace(docid, cc_.db.get_document(docid, Xapian::DOC_ASSUME_VALID)).first;
  std::string raw = doc->second.get_value(terms::ValueSlot(field->ordinal));
  if (raw.empty()) return std::optional<double>();
  return std::optional<double>(Xapian::sortable_unserialise(raw));
}

Result<double> Rescorer::FunctionValue(const ScoreFunction& fn, Xapian::docid docid, Explanation* out) {
  using Kind = ScoreFunction::Kind;
  if (fn.kind == Kind::kWeight) {
    if (out != nullptr) *out = Explain(fn.weight, "weight");
    return fn.weight;
  }
  auto value = FieldNumber(fn.field, docid);
  if (!value.ok()) return value.status();
  if (fn.kind == Kind::kFieldValueFactor) {
    double v = 0;
    if (*value) {
      v = **value;
    } else if (fn.missing) {
      v = *fn.missing;
    } else {
      return Status::InvalidArgument("Missing value for field [" + fn.field + "]");
    }
    const double r = fn.factor * v;
    double result = r;
    using M = ScoreFunction::Modifier;
    switch (fn.modifier) {
      case M::kNone: break;
      case M::kLog: result = std::log10(r); break;
      case M::kLog1p: result = std::log10(r + 1); break;
      case M::kLog2p: result = std::log10(r + 2); break;
      case M::kLn: result = std::log(r); break;
      case M::kLn1p: result = std::log1p(r); break;
      case M::kLn2p: result = std::log(r + 2); break;
      case M::kSquare: result = r * r; break;
      case M::kSqrt: result = std::sqrt(r); break;
      case M::kReciprocal: result = 1.0 / r; break;
    }
    if (!std::isfinite(result) || result < 0) {
      return Status::InvalidArgument("field value function must not produce negative scores, but got: [" +
                                     Num(result) + "] for field value: [" + Num(v) + "]");
    }
    if (out != nullptr) {
      *out = Explain(result * fn.weight,
                     "field_value_factor: modifier(" + Num(fn.factor) + " * doc['" + fn.field +
                         "'] = " + Num(v) + "), times weight " + Num(fn.weight));
    }
    return result * fn.weight;
  }
  // Decay functions.
  if (!*value) {
    if (out != nullptr) *out = Explain(fn.weight, "decay: the document has no value in [" + fn.field + "], scores 1");
    return fn.weight;
  }
  const FieldMapping* field = cc_.mapping.Find(fn.field);
  const bool date = field != nullptr && field->type == FieldType::kDate;
  auto invalid = [&](const std::string& what, const std::string& text) {
    return Status::InvalidArgument("failed to parse decay " + what + " [" + text + "] for field [" + fn.field + "]");
  };
  double origin = 0;
  if (date) {
    if (fn.origin.empty() || fn.origin == "now") {
      origin = static_cast<double>(now_millis_);
    } else if (auto millis = ParseDateOrEpochMillis(fn.origin)) {
      origin = static_cast<double>(*millis);
    } else {
      return invalid("origin", fn.origin);
    }
  } else if (!fn.origin.empty()) {
    auto o = ParseDouble(fn.origin);
    if (!o) return invalid("origin", fn.origin);
    origin = *o;
  }
  auto scale = date ? ParseDurationMillis(fn.scale) : ParseDouble(fn.scale);
  if (!scale || *scale <= 0) return invalid("scale", fn.scale);
  auto offset = date ? ParseDurationMillis(fn.offset) : ParseDouble(fn.offset);
  if (!offset || *offset < 0) return invalid("offset", fn.offset);
  if (!(fn.decay > 0 && fn.decay < 1)) {
    return Status::InvalidArgument("decay must be in the range (0..1), got [" + Num(fn.decay) + "]");
  }
  const double distance = std::max(0.0, std::abs(**value - origin) - *offset);
  double result = 0;
  const char* name = "";
  switch (fn.kind) {
    case Kind::kGauss: {
      const double sigma2 = -(*scale) * (*scale) / (2 * std::log(fn.decay));
      result = std::exp(-distance * distance / (2 * sigma2));
      name = "gauss";
      break;
    }
    case Kind::kExp:
      result = std::exp(std::log(fn.decay) / *scale * distance);
      name = "exp";
      break;
    default: {
      const double s = *scale / (1 - fn.decay);
      result = std::max(0.0, (s - distance) / s);
      name = "linear";
    }
  }
  if (out != nullptr) {
    *out = Explain(result * fn.weight, std::string(name) + " decay of doc['" + fn.field + "'] = " +
                                           Num(**value) + " from origin " + Num(origin) +
                                           " (distance past offset " + Num(distance) + "), times weight " +
                                           Num(fn.weight));
  }
  return result * fn.weight;
}

}  // namespace ultrasearch
