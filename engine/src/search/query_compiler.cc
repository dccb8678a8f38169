#include "search/query_compiler.h"

#include "mapping/keyword_normalizer.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <map>

#include "common/xapian_status.h"
#include "facets/column_query.h"
#include "index/shingles.h"
#include "index/term_scheme.h"
#include "mapping/document_parser.h"
#include "mapping/keyword_normalizer.h"
#include "search/accessory_source.h"
#include "search/fuzzy.h"
#include "search/prefix_expansion.h"
#include "search/word_statistics.h"
#include "ultrasearch/limits.h"
#include "ultrasearch/utf8.h"
#include "ultrasearch/wildcard.h"

namespace ultrasearch {

namespace {

using XQ = Xapian::Query;

XQ Scale(XQ q, double factor) { return factor == 1.0 ? q : XQ(XQ::OP_SCALE_WEIGHT, q, factor); }
// Documents with a value in the field: text fields carry a marker term, the others a value slot.
// A set value is never empty, so ">= \0" matches exactly the documents that have one.
XQ ExistsQueryFor(const FieldMapping& field) {
  if (!HasValueSlot(field.type)) return XQ(terms::ExistsTerm(field.ordinal));
  return XQ(XQ::OP_VALUE_GE, terms::ValueSlot(field.ordinal), std::string(1, '\0'));
}

XQ Combine(XQ::op op, const std::vector<XQ>& parts) {
  if (parts.empty()) return XQ::MatchNothing;
  if (parts.size() == 1) return parts.front();
  return XQ(op, parts.begin(), parts.end());
}

// Elasticsearch's dis_max over fields (best_fields; one word across fields in cross_fields).
//
// Not Xapian's OP_MAX: in Xapian 1.4.22, when every child of a MaxPostList ends in the same step
// (two per-field ANDs pruned together, or both at the shard's last match) it frees them and keeps
// a dangling pointer; over a sharded database (add_database) the next maximum-weight recalculation,
// triggered from a later shard, walks the finished shard's tree and reads freed memory: SIGSEGV in
// Enquire::get_mset on a common storefront query (tests/engine/sharded_search_test.cc). No
// query shape around OP_MAX avoids it (every parent either keeps the ended child or turns into an
// AND that does), so the fields are summed: a document matching in several fields ranks as with
// tie_breaker 1, the matching set is exactly dis_max's.
XQ BestOf(const std::vector<XQ>& parts) { return Combine(XQ::OP_OR, parts); }

// How much a word counts where it names what an accessory is for, against the same word in the
// product's own name: enough that a query naming the accessory and its product ranks that
// accessory first, little enough that the product itself outranks it.
constexpr double kAccessoryTargetWeight = 0.5;
// Past this many words the accessory terms (quadratic in the words) are left out.
constexpr size_t kMaxAccessoryQueryWords = 8;
// What words side by side and in order add to their own weight, and the longest query that gets it
// (past six words a storefront query is a pasted title, and its phrase rarely occurs).
constexpr double kProximityWeight = 0.5;
constexpr size_t kMaxProximityWords = 6;

// The most k-subsets AtLeast spells out; beyond it the request is refused, never truncated.
constexpr size_t kMaxSubsets = 512;

// Requires at least `k` of `parts` to match while scoring like OR over all of them.
Result<XQ> AtLeast(const std::vector<XQ>& parts, int k) {
  const int n = static_cast<int>(parts.size());
  if (k <= 1) return Combine(XQ::OP_OR, parts);
  if (k >= n) return Combine(XQ::OP_AND, parts);
  // Xapian has no "k of n" operator: the requirement is the OR of every k-subset, applied as a
  // boolean filter on the scored OR (a zero-weight query must not drive the match; see searcher.cc).
  double subsets_needed = 1;
  for (int i = 0; i < k; ++i) subsets_needed = subsets_needed * (n - i) / (i + 1);
  if (subsets_needed > kMaxSubsets) {
    return Status::InvalidArgument("minimum_should_match of " + std::to_string(k) + " out of " + std::to_string(n) +
                                   " clauses is too many combinations (more than " + std::to_string(kMaxSubsets) + ")");
  }
  std::vector<XQ> subsets;
  std::vector<int> pick(static_cast<size_t>(k));
  for (int i = 0; i < k; ++i) pick[static_cast<size_t>(i)] = i;
  for (;;) {
    std::vector<XQ> chosen;
    for (int i : pick) chosen.push_back(parts[static_cast<size_t>(i)]);
    subsets.push_back(Combine(XQ::OP_AND, chosen));
    int i = k - 1;
    while (i >= 0 && pick[static_cast<size_t>(i)] == n - k + i) --i;
    if (i < 0) break;
    ++pick[static_cast<size_t>(i)];
    for (int j = i + 1; j < k; ++j) pick[static_cast<size_t>(j)] = pick[static_cast<size_t>(j - 1)] + 1;
  }
  return XQ(XQ::OP_FILTER, Combine(XQ::OP_OR, parts), Combine(XQ::OP_OR, subsets));
}

std::optional<double> ParseNumber(const std::string& text) {
  double v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty() || !std::isfinite(v)) return std::nullopt;
  return v;
}

// A field bound or term value as the number stored in the field's value slot.
Result<double> NumericValue(const FieldMapping& field, const std::string& text) {
  if (field.type == FieldType::kDate) {
    if (auto millis = ParseDateOrEpochMillis(text)) return static_cast<double>(*millis);
  } else if (field.type == FieldType::kBoolean) {
    if (text == "true" || text == "false") return text == "true" ? 1.0 : 0.0;
  } else if (auto number = ParseNumber(text)) {
    return *number;
  }
  return Status::InvalidArgument("failed to parse [" + text + "] as a value of field [" + field.name + "] of type [" +
                                 std::string(FieldTypeName(field.type)) + "]");
}

// Simple case folding for wildcard patterns: ASCII, Latin-1, Cyrillic and Uzbek letters.
std::u32string FoldCase(std::u32string text) {
  for (char32_t& c : text) {
    if ((c >= U'A' && c <= U'Z') || (c >= 0xC0 && c <= 0xDE && c != 0xD7)) c += 0x20;
    else if (c >= 0x410 && c <= 0x42F) c += 0x20;      // А..Я
    else if (c >= 0x400 && c <= 0x40F) c += 0x50;      // Ѐ..Џ (Ё, Ў)
    else if (c >= 0x490 && c <= 0x4FF && c % 2 == 0) c += 1;  // Ғ, Қ, Ҳ and the other paired letters
  }
  return text;
}

// Elasticsearch's wildcard syntax over code points: '*' any run, '?' exactly one.
bool WildcardCodePoints(const std::u32string& pattern, const std::u32string& text) {
  size_t p = 0, t = 0, star = std::u32string::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == U'*') {
      star = p++;
      mark = t;
    } else if (p < pattern.size() && (pattern[p] == U'?' || pattern[p] == text[t])) {
      ++p;
      ++t;
    } else if (star != std::u32string::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == U'*') ++p;
  return p == pattern.size();
}

class Compiler {
 public:
  explicit Compiler(const CompileContext& ctx) : ctx_(ctx), stats_(ctx.db, ctx.reader_version) {}

  Result<XQ> Compile(const Query& q) {
    if (clauses_ > limits::kMaxClauseCount) return TooManyNestedClauses();
    Result<XQ> inner = std::visit([this](const auto& node) { return CompileNode(node); }, q.node);
    if (inner.ok() && clauses_ > limits::kMaxClauseCount) return TooManyNestedClauses();
    if (!inner.ok() || q.boost == 1.0) return inner;
    return Scale(inner.value(), q.boost);
  }

 private:
  Result<XQ> CompileNode(const MatchAllQuery&) { return XapianMatchAll(); }
  Result<XQ> CompileNode(const MatchNoneQuery&) { return XQ::MatchNothing; }

  // --- match / multi_match -------------------------------------------------------------------
  Result<XQ> CompileNode(const MatchQuery& m) {
    std::vector<FieldBoost> fields = ExpandFieldPatterns(m.fields.empty() ? ctx_.mapping.DefaultSearchFields() : m.fields);
    if (m.type == MatchQuery::Type::kCrossFields) return CompileCrossFields(m, fields);
    const double proximity_boost = ProximityFieldBoost(fields);
    std::vector<XQ> per_field;
    bool any_words = false;
    for (const auto& fb : fields) {
      const FieldMapping* field = ctx_.mapping.Find(fb.field);
      if (field == nullptr) continue;
      auto words = AnalyzeWords(m, *field);
      if (!words.ok()) return words.status();
      if (words->empty()) continue;
      any_words = true;
      std::vector<QueryExpansion> expansions = Expansions(m, *field, *words);
      if (!expansions.empty()) {
        auto expanded = CompileExpanded(m, *field, *words, std::move(expansions));
        if (!expanded.ok()) return expanded.status();
        // The words as typed still rank as without synonyms: accessory targets, adjacency.
        XQ scored = WithAccessoryTargets(expanded.value(), *field, *words);
        if (fb.boost == proximity_boost) scored = WithProximity(scored, m, *field, *words);
        per_field.push_back(Scale(scored, fb.boost));
        continue;
      }
      std::vector<XQ> word_queries;
      // A phrase's words are highlighted only where they stand in the phrase (CombineWords).
      const bool phrase = IsPhrase(m, *field, words->size());
      RecordingPaused pause(this, phrase);
      for (size_t i = 0; i < words->size(); ++i) {
        word_queries.push_back(WordQuery(m, *field, (*words)[i], i + 1 == words->size()));
        if (clauses_ > limits::kMaxClauseCount) return TooManyNestedClauses();
      }
      pause.Resume();
      auto combined = CombineWords(m, word_queries, *words, *field);
      if (!combined.ok()) return combined.status();
      XQ scored = WithAccessoryTargets(combined.value(), *field, *words);
      if (fb.boost == proximity_boost) scored = WithProximity(scored, m, *field, *words);
      per_field.push_back(Scale(scored, fb.boost));
    }
    if (!any_words && m.zero_terms_all) return XapianMatchAll();
    bool summed = m.type == MatchQuery::Type::kMostFields || m.type == MatchQuery::Type::kBoolPrefix;
    return summed ? Combine(XQ::OP_OR, per_field) : BestOf(per_field);
  }

  // Term-centric: each word may match in any field; the words are then combined by the operator.
  Result<XQ> CompileCrossFields(const MatchQuery& m, const std::vector<FieldBoost>& fields) {
    std::map<size_t, std::vector<XQ>> by_word;
    std::vector<XQ> accessory_weights;  // per text field, as in CompileNode(MatchQuery)
    size_t word_count = 0;
    for (const auto& fb : fields) {
      const FieldMapping* field = ctx_.mapping.Find(fb.field);
      if (field == nullptr) continue;
      auto words = AnalyzeWords(m, *field);
      if (!words.ok()) return words.status();
      word_count = std::max(word_count, words->size());
      for (size_t i = 0; i < words->size(); ++i) {
        by_word[i].push_back(Scale(WordQuery(m, *field, (*words)[i], i + 1 == words->size()), fb.boost));
      }
      if (field->type == FieldType::kText && !words->empty() && words->size() <= kMaxAccessoryQueryWords) {
        XQ weights = AccessoryTargetWeights(*field, *words);
        if (!weights.empty()) accessory_weights.push_back(Scale(weights, fb.boost));
      }
    }
    std::vector<XQ> word_queries;
    for (auto& [index, alternatives] : by_word) word_queries.push_back(BestOf(alternatives));
    if (word_queries.empty()) return m.zero_terms_all ? XapianMatchAll() : XQ::MatchNothing;
    auto with_accessories = [&](XQ q) {
      return accessory_weights.empty() ? q : XQ(XQ::OP_AND_MAYBE, q, Combine(XQ::OP_OR, accessory_weights));
    };
    if (m.op == MatchQuery::Operator::kAnd) return with_accessories(Combine(XQ::OP_AND, word_queries));
    auto k = ResolveMinimumShouldMatch(m.minimum_should_match, static_cast<int>(word_queries.size()));
    if (!k.ok()) return k.status();
    auto matched = AtLeast(word_queries, std::max(1, *k));
    if (!matched.ok()) return matched.status();
    return with_accessories(matched.value());
  }

  std::vector<FieldBoost> ExpandFieldPatterns(const std::vector<FieldBoost>& fields) const {
    std::vector<FieldBoost> out;
    for (const auto& fb : fields) {
      if (fb.field.find('*') == std::string::npos) {
        out.push_back(fb);
        continue;
      }
      for (const FieldMapping* f : ctx_.mapping.AllFields()) {
        if (f->type == FieldType::kText && WildcardMatch(fb.field, f->name)) out.push_back({f->name, fb.boost * f->boost});
      }
    }
    return out;
  }

  // The query's words for one field: each word is the list of alternative terms at one position.
  Result<std::vector<std::vector<std::string>>> AnalyzeWords(const MatchQuery& m, const FieldMapping& field) {
    std::vector<std::vector<std::string>> words;
    if (field.type != FieldType::kText) {
      // Elasticsearch matches non-text fields against the whole query text as one value.
      words.push_back({m.text});
      return words;
    }
    const std::string& name = m.analyzer.empty() ? field.EffectiveSearchAnalyzer() : m.analyzer;
    const Analyzer* analyzer = ctx_.analyzers.Find(name);
    if (analyzer == nullptr) return Status::InvalidArgument("analyzer [" + name + "] not found");
    std::vector<Token> tokens;
    analyzer->Analyze(m.text, AnalysisMode::kQuery, &tokens);
    std::map<uint32_t, std::vector<std::string>> by_position;
    for (auto& t : tokens) {
      auto& alternatives = by_position[t.position];
      if (std::find(alternatives.begin(), alternatives.end(), t.term) == alternatives.end()) {
        alternatives.push_back(std::move(t.term));
      }
    }
    for (auto& [pos, alternatives] : by_position) words.push_back(std::move(alternatives));
    // A search_as_you_type shingle sub-field holds runs of words: the query is read as the same runs.
    if (field.shingle_size > 0) return Shingles(words, field.shingle_size);
    return words;
  }

  // Synonym and vocabulary expansions of a text field's words by its search analyzer. Phrase
  // queries take the words as typed (their positions must line up with the document's).
  std::vector<QueryExpansion> Expansions(const MatchQuery& m, const FieldMapping& field,
                                         const std::vector<std::vector<std::string>>& words) const {
    std::vector<QueryExpansion> expansions;
    if (field.type != FieldType::kText || m.type == MatchQuery::Type::kPhrase ||
        m.type == MatchQuery::Type::kPhrasePrefix) {
      return expansions;
    }
    const Analyzer* analyzer = ctx_.analyzers.Find(m.analyzer.empty() ? field.EffectiveSearchAnalyzer() : m.analyzer);
    if (analyzer != nullptr) analyzer->ExpandQuery(words, &expansions);
    if (m.type == MatchQuery::Type::kBoolPrefix) {
      // The last word is still being typed: `конст` is no brand `Konti`, only the start of a word.
      std::erase_if(expansions, [&](const QueryExpansion& x) { return x.end == words.size(); });
    }
    return expansions;
  }

  // The words of a match query with expansions: each expanded span is one unit matching either
  // its own words or any of its expansions' phrases, at their weights; the units then combine as
  // words do (operator, minimum_should_match). A span's own words match as a phrase for
  // synonym rules (Elasticsearch's behaviour), and as words do, each with its own one-word
  // expansions, for the vocabulary (QueryExpansion::words_match_alone: `choy va qahva` finds tea
  // or coffee as without the concept `choy va qahva` ⇄ `чай и кофе`, which adds the products
  // under the other name).
  Result<XQ> CompileExpanded(const MatchQuery& m, const FieldMapping& field,
                             const std::vector<std::vector<std::string>>& words,
                             std::vector<QueryExpansion> expansions) {
    std::vector<XQ> units;
    size_t i = 0;
    while (i < words.size()) {
      size_t end = i + 1;
      for (const auto& x : expansions) {
        if (x.start == i && x.end > end && x.end <= words.size()) end = x.end;
      }
      bool keep_original = true, words_alone = true;
      for (const auto& x : expansions) {
        if (x.start != i || x.end != end) continue;
        keep_original = keep_original && x.keep_original;
        words_alone = words_alone && x.words_match_alone;
      }
      std::vector<std::vector<std::string>> own(words.begin() + static_cast<std::ptrdiff_t>(i),
                                                words.begin() + static_cast<std::ptrdiff_t>(end));
      std::vector<XQ> parts;
      if (keep_original && end > i + 1 && !words_alone) {
        parts.push_back(PhraseOf(field, own));
      } else if (keep_original) {
        std::vector<XQ> own_words;
        for (size_t j = i; j < end; ++j) {
          own_words.push_back(WordWithExpansions(m, field, words, expansions, j));
          if (clauses_ > limits::kMaxClauseCount) return TooManyNestedClauses();
        }
        parts.push_back(Combine(m.op == MatchQuery::Operator::kAnd ? XQ::OP_AND : XQ::OP_OR, own_words));
      }
      if (end > i + 1 || !keep_original) ExpansionParts(field, own, expansions, i, end, &parts);
      if (clauses_ > limits::kMaxClauseCount) return TooManyNestedClauses();
      units.push_back(Combine(XQ::OP_OR, parts));
      i = end;
    }
    if (m.op == MatchQuery::Operator::kAnd) return Combine(XQ::OP_AND, units);
    auto k = ResolveMinimumShouldMatch(m.minimum_should_match, static_cast<int>(units.size()));
    if (!k.ok()) return k.status();
    return AtLeast(units, std::max(1, *k));
  }

  // Word `j` of the query with its one-word expansions (those whose span is that word alone,
  // unless they replace it).
  XQ WordWithExpansions(const MatchQuery& m, const FieldMapping& field, const std::vector<std::vector<std::string>>& words,
                        const std::vector<QueryExpansion>& expansions, size_t j) {
    std::vector<XQ> parts{WordQuery(m, field, words[j], j + 1 == words.size())};
    ExpansionParts(field, {words[j]}, expansions, j, j + 1, &parts);
    return Combine(XQ::OP_OR, parts);
  }

  // The expansions of the span [start, end) of the query's words (`own`), each weighing its
  // weight's share of what the span's own words weigh (WordStatistics), whatever the expansion's
  // own frequency: a vocabulary translation or a synonym then ranks below the word typed, as
  // `weight` says, never above it because it is rarer. Terms the expansion shares with the span's
  // own forms are left out (the span already scores them: a brand's Cyrillic spelling analyses to
  // the Latin brand too); one-word expansions of one weight are one group, so a document that has
  // several of them counts once; a longer expansion containing one of them adds nothing that
  // one-word expansion does not find, and is left out.
  void ExpansionParts(const FieldMapping& field, const std::vector<std::vector<std::string>>& own,
                      const std::vector<QueryExpansion>& expansions, size_t start, size_t end, std::vector<XQ>* parts) {
    const std::string prefix = terms::TextPrefix(field.ordinal);
    std::vector<std::string> own_terms;
    double own_idf = 0;  // what the span's words weigh together
    bool own_indexed = true;
    for (const auto& word : own) {
      std::vector<std::string> forms;
      bool indexed = false;
      for (const auto& alt : word) {
        forms.push_back(prefix + alt);
        indexed = indexed || stats_.TermFrequency(forms.back()) > 0;
      }
      own_indexed = own_indexed && indexed;
      own_idf += stats_.WordIdf(forms);
      own_terms.insert(own_terms.end(), forms.begin(), forms.end());
    }
    // A word no document has (a partial word, a typo) has no weight to share: its expansions
    // then weigh `weight` of their own.
    auto scale_to = [&](const std::vector<std::string>& terms, double weight, double share) {
      return own_indexed ? stats_.ScaleTo(terms, weight * own_idf * share) : weight;
    };
    auto is_own = [&](const std::string& term) {
      return std::find(own_terms.begin(), own_terms.end(), term) != own_terms.end();
    };
    std::map<double, std::vector<std::string>, std::greater<>> one_word;  // weight → terms
    for (const auto& x : expansions) {
      if (x.start != start || x.end != end || !x.phrases) continue;
      for (const auto& phrase : *x.phrases) {
        if (phrase.size() != 1) continue;
        auto& group = one_word[x.weight];
        for (const auto& alt : phrase.front()) {
          std::string term = prefix + alt;
          if (!is_own(term) && std::find(group.begin(), group.end(), term) == group.end()) group.push_back(std::move(term));
        }
      }
    }
    FieldTerms* record = Record(field);
    for (auto& [weight, group] : one_word) {
      if (group.empty()) continue;
      std::vector<XQ> leaves(group.begin(), group.end());
      if (record != nullptr) {
        for (const auto& term : group) record->exact.insert(term.substr(prefix.size()));
      }
      clauses_ += static_cast<int64_t>(leaves.size());
      XQ word = leaves.size() == 1 ? leaves.front() : XQ(XQ::OP_SYNONYM, leaves.begin(), leaves.end());
      parts->push_back(Scale(word, scale_to(group, weight, 1.0)));
    }
    auto found_by_one_word = [&](const std::vector<std::string>& word, double weight) {
      for (const auto& [w, group] : one_word) {
        if (w < weight) break;
        for (const auto& alt : word) {
          if (std::find(group.begin(), group.end(), prefix + alt) != group.end()) return true;
        }
      }
      return false;
    };
    for (const auto& x : expansions) {
      if (x.start != start || x.end != end || !x.phrases) continue;
      for (const auto& phrase : *x.phrases) {
        if (phrase.size() < 2) continue;
        bool subsumed = false;
        for (const auto& word : phrase) subsumed = subsumed || found_by_one_word(word, x.weight);
        if (subsumed) continue;
        // Each of its words carries its share of the span's weight.
        const double words_in_phrase = static_cast<double>(phrase.size());
        const ExpansionScoring scoring{
            own_indexed ? x.weight * own_idf / words_in_phrase : -1.0,
            x.weight * std::min(1.0, static_cast<double>(own.size()) / words_in_phrase), &own_terms};
        parts->push_back(PhraseOf(field, phrase, &scoring));
      }
    }
  }

  // How PhraseOf weighs an expansion's words: each word's group weighs `idf_per_word` (see
  // WordStatistics), or when that is negative its own weight times `scale`; without the terms of
  // the query's own words (`own_terms`, with the prefix).
  struct ExpansionScoring {
    double idf_per_word;
    double scale;
    const std::vector<std::string>* own_terms;
  };

  // Analysed words matched exactly, in order and adjacent when several (no fuzziness, no prefix).
  // The query's own words (no `expansion`) weigh as words (WordStatistics); an expansion's as
  // `expansion` says.
  XQ PhraseOf(const FieldMapping& field, const std::vector<std::vector<std::string>>& phrase,
              const ExpansionScoring* expansion = nullptr) {
    const std::string prefix = terms::TextPrefix(field.ordinal);
    FieldTerms* record = Record(field);
    std::vector<XQ> groups;
    for (const auto& alternatives : phrase) {
      std::vector<std::string> scored;
      for (const auto& alt : alternatives) {
        std::string term = prefix + alt;
        if (record != nullptr && phrase.size() == 1) record->exact.insert(alt);
        bool own = expansion != nullptr && std::find(expansion->own_terms->begin(), expansion->own_terms->end(),
                                                     term) != expansion->own_terms->end();
        if (!own && std::find(scored.begin(), scored.end(), term) == scored.end()) scored.push_back(std::move(term));
      }
      if (scored.empty()) {
        // Every form is one of the query's own, which score it already: it only has to match.
        std::vector<XQ> terms;
        for (const auto& alt : alternatives) terms.emplace_back(prefix + alt);
        clauses_ += static_cast<int64_t>(terms.size());
        groups.push_back(Scale(XQ(XQ::OP_OR, terms.begin(), terms.end()), 0.0));
        continue;
      }
      double scale = stats_.ScaleTo(scored, stats_.WordIdf(scored));
      if (expansion != nullptr) {
        scale = expansion->idf_per_word >= 0 ? stats_.ScaleTo(scored, expansion->idf_per_word) : expansion->scale;
      }
      std::vector<XQ> terms(scored.begin(), scored.end());
      clauses_ += static_cast<int64_t>(terms.size());
      groups.push_back(Scale(terms.size() == 1 ? terms.front() : XQ(XQ::OP_SYNONYM, terms.begin(), terms.end()), scale));
    }
    if (groups.size() == 1) return groups.front();
    // A field indexed without positions (index_options docs or freqs): an expansion's phrase
    // matches its words anywhere in the field rather than failing the whole query.
    if (!field.IndexesPositions()) return XQ(XQ::OP_AND, groups.begin(), groups.end());
    std::vector<XQ> leaves;
    for (const auto& alternatives : phrase) leaves.push_back(AlternativesUnder(prefix, alternatives));
    if (record != nullptr) {
      PhraseTerms recorded;
      for (const auto& word : phrase) recorded.words.push_back(word.front());
      recorded.window = static_cast<uint32_t>(phrase.size());
      record->phrases.push_back(std::move(recorded));
    }
    XQ positional(XQ::OP_PHRASE, leaves.begin(), leaves.end(), static_cast<Xapian::termcount>(leaves.size()));
    return XQ(XQ::OP_FILTER, XQ(XQ::OP_AND, groups.begin(), groups.end()), positional);
  }

  static bool IsPhrase(const MatchQuery& m, const FieldMapping& field, size_t words) {
    return (m.type == MatchQuery::Type::kPhrase || m.type == MatchQuery::Type::kPhrasePrefix) &&
           field.type == FieldType::kText && words > 1;
  }

  // Where highlighting terms go, or nullptr when they are not wanted here (no sink, under
  // must_not, or inside a phrase whose words are recorded as the phrase).
  FieldTerms* Record(const FieldMapping& field) {
    if (ctx_.highlight_terms == nullptr || record_paused_ > 0) return nullptr;
    return &ctx_.highlight_terms->by_ordinal[field.ordinal];
  }

  // Pauses recording for a scope (must_not clauses, a phrase's single words).
  class RecordingPaused {
   public:
    RecordingPaused(Compiler* compiler, bool pause) : compiler_(pause ? compiler : nullptr) {
      if (compiler_ != nullptr) ++compiler_->record_paused_;
    }
    ~RecordingPaused() { Resume(); }
    void Resume() {
      if (compiler_ != nullptr) --compiler_->record_paused_;
      compiler_ = nullptr;
    }
    RecordingPaused(const RecordingPaused&) = delete;
    RecordingPaused& operator=(const RecordingPaused&) = delete;

   private:
    Compiler* compiler_;
  };

  XQ WordQuery(const MatchQuery& m, const FieldMapping& field, const std::vector<std::string>& alternatives,
               bool is_last) {
    FieldTerms* record = Record(field);
    if (field.type == FieldType::kKeyword) {
      std::string value = KeywordTermValue(field, alternatives.front(), ctx_.analyzers);
      if (record != nullptr) record->exact.insert(value);
      return XQ(terms::KeywordPrefix(field.ordinal) + value);
    }
    if (field.type != FieldType::kText) {
      auto value = NumericValue(field, alternatives.front());
      if (!value.ok()) return XQ::MatchNothing;  // lenient, as multi_match over mixed fields
      std::string v = Xapian::sortable_serialise(*value);
      return XQ(XQ::OP_VALUE_RANGE, terms::ValueSlot(field.ordinal), v, v);
    }
    const std::string prefix = terms::TextPrefix(field.ordinal);
    // A typo expansion includes the word itself: kept twice, the exact form weighs more than a
    // word a typo away (its wdf counts twice in the group), as Elasticsearch scores an exact
    // term above fuzzy ones.
    std::vector<std::string> terms;
    auto add = [&terms](std::string term) { terms.push_back(std::move(term)); };
    bool prefix_last = is_last && (m.type == MatchQuery::Type::kBoolPrefix || m.type == MatchQuery::Type::kPhrasePrefix);
    size_t shortest = std::numeric_limits<size_t>::max();  // the partial word's shortest form, in code points
    for (const auto& alt : alternatives) {
      add(prefix + alt);
      if (record != nullptr) record->exact.insert(alt);
      size_t length = DecodeUtf8(alt).size();
      // As Elasticsearch: the partial word is a prefix, never fuzzy (match_bool_prefix applies
      // fuzziness "to all terms except the final term").
      int edits = prefix_last ? 0 : AllowedEdits(m.fuzziness, length);
      if (edits > 0) {
        // Elasticsearch's defaults: transpositions count as one edit (fuzzy_transpositions).
        FuzzyOptions fuzzy{edits, m.fuzziness.prefix_length, m.fuzziness.max_expansions, true};
        for (auto& t : ExpandFuzzy(ctx_.db, prefix, alt, fuzzy, ctx_.reader_version)) {
          if (record != nullptr) record->exact.insert(t.substr(prefix.size()));
          add(std::move(t));
        }
      }
      if (prefix_last && record != nullptr) record->prefixes.push_back(alt);
      shortest = std::min(shortest, length);
    }
    if (prefix_last) {
      // Each alternative (the cross-script and stemmed forms the analyzer gives the partial word)
      // is a prefix of its own, so `muzl` completes музлатгич's Latin form and `холод`
      // holodilnik's Russian key; the word keeps the most frequent completions of them all, one
      // cap for the word (fewer for its first letters).
      const int cap = PrefixExpansionCap(shortest, m.fuzziness.max_expansions);
      for (auto& t : ExpandPrefixes(ctx_.db, prefix, alternatives, cap, ctx_.reader_version)) {
        const std::string_view body = std::string_view(t).substr(prefix.size());
        if (std::find(alternatives.begin(), alternatives.end(), body) == alternatives.end()) {
          terms.emplace_back(std::move(t));
        }
      }
    }
    // The word's own forms weigh as one word (WordStatistics); its typo and prefix expansions
    // join the group as Xapian weighs them.
    double scale = 1.0;
    if (terms.size() > 1) {
      std::vector<std::string> forms, in_group;  // the word's forms; as often as the group has them
      for (const auto& alt : alternatives) forms.push_back(prefix + alt);
      for (const auto& t : terms) {
        if (std::find(forms.begin(), forms.end(), t) != forms.end()) in_group.push_back(t);
      }
      scale = stats_.ScaleTo(in_group, stats_.WordIdf(forms));
    }
    clauses_ += static_cast<int64_t>(terms.size());
    // Alternatives of one word count as one term for scoring (like a synonym group).
    std::vector<XQ> leaves(terms.begin(), terms.end());
    return Scale(leaves.size() == 1 ? leaves.front() : XQ(XQ::OP_SYNONYM, leaves.begin(), leaves.end()), scale);
  }

  Result<XQ> CombineWords(const MatchQuery& m, const std::vector<XQ>& word_queries,
                          const std::vector<std::vector<std::string>>& words, const FieldMapping& field) {
    bool phrase = m.type == MatchQuery::Type::kPhrase || m.type == MatchQuery::Type::kPhrasePrefix;
    if (phrase && field.type == FieldType::kText && word_queries.size() > 1 && !field.IndexesPositions()) {
      // Elasticsearch's refusal, in its words.
      std::string text;
      for (const auto& word : words) text += (text.empty() ? "" : " ") + word.front();
      return Status::InvalidArgument("field:[" + field.name +
                                     "] was indexed without position data; cannot run PhraseQuery (phrase=" +
                                     field.name + ":\"" + text + "\")");
    }
    if (phrase && field.type == FieldType::kText && word_queries.size() > 1) {
      // Positions from any of a word's forms (a query form need not be indexed: `zaryadnoe` is
      // found through its key `zaryadn`); Xapian 1.4 phrases take terms or ORs of terms.
      bool prefix_last = m.type == MatchQuery::Type::kPhrasePrefix;
      size_t exact_words = prefix_last ? words.size() - 1 : words.size();
      std::vector<XQ> leaves;
      const std::string prefix = terms::TextPrefix(field.ordinal);
      for (size_t i = 0; i < exact_words; ++i) leaves.push_back(AlternativesUnder(prefix, words[i]));
      const auto window = static_cast<Xapian::termcount>(leaves.size() + static_cast<size_t>(std::max(0, m.slop)));
      if (FieldTerms* record = Record(field)) {
        PhraseTerms recorded;
        for (const auto& word : words) recorded.words.push_back(word.front());
        recorded.window = static_cast<uint32_t>(words.size() + static_cast<size_t>(std::max(0, m.slop)));
        recorded.last_is_prefix = prefix_last;
        record->phrases.push_back(std::move(recorded));
      }
      XQ positional = leaves.size() > 1 ? XQ(XQ::OP_PHRASE, leaves.begin(), leaves.end(), window) : leaves.front();
      // Scoring still comes from every alternative; the phrase only filters.
      XQ scored = XQ(XQ::OP_AND, word_queries.begin(), word_queries.end());
      return XQ(XQ::OP_FILTER, scored, positional);
    }
    if (m.op == MatchQuery::Operator::kAnd) return Combine(XQ::OP_AND, word_queries);
    auto k = ResolveMinimumShouldMatch(m.minimum_should_match, static_cast<int>(word_queries.size()));
    if (!k.ok()) return k.status();
    return AtLeast(word_queries, std::max(1, *k));
  }

  // --- ranking a shopper trusts ----------------------------------------------------------------

  // The word's form (with `prefix`) in the most documents; the first on ties.
  std::string MostFrequentForm(const std::string& prefix, const std::vector<std::string>& alternatives) {
    std::string best = prefix + alternatives.front();
    double most = stats_.TermFrequency(best);
    for (size_t i = 1; i < alternatives.size(); ++i) {
      std::string term = prefix + alternatives[i];
      double tf = stats_.TermFrequency(term);
      if (tf > most) {
        most = tf;
        best = std::move(term);
      }
    }
    return best;
  }

  // One word's terms under `prefix`: a single term, or the OR of its alternatives.
  static XQ AlternativesUnder(const std::string& prefix, const std::vector<std::string>& alternatives) {
    std::vector<XQ> terms;
    for (const auto& alt : alternatives) terms.emplace_back(prefix + alt);
    return terms.size() == 1 ? terms.front() : XQ(XQ::OP_OR, terms.begin(), terms.end());
  }

  // Where a document names the query's words as what it is made for (index/accessory_targets.h),
  // those words weigh nothing as field words; this gives them back half their weight, or all of it
  // when the document also has another of the query's words outside such a run (the query names
  // the accessory too: `iPhone 15 gʻilof`, `чехол redmi note 13`), so a query for the product
  // ranks the product above its accessories and a query for the accessory finds the accessory.
  // A word is weighed as the field word (the synonym of its T and F terms: every F document also
  // has the T term, so its frequency is the field word's), never as the rare F term alone. Only
  // scores documents the query already matches: matching is unchanged.
  XQ WithAccessoryTargets(XQ scored, const FieldMapping& field, const std::vector<std::vector<std::string>>& words) {
    if (field.type != FieldType::kText || words.empty() || words.size() > kMaxAccessoryQueryWords) return scored;
    XQ weights = AccessoryTargetWeights(field, words);
    return weights.empty() ? scored : XQ(XQ::OP_AND_MAYBE, scored, weights);
  }

  // The weights WithAccessoryTargets adds, for a text field and at most kMaxAccessoryQueryWords.
  //
  // Only the F terms the index holds take part: a word no accessory names (most words) adds no
  // part and its "where it is no target" is its T terms. An F term with no postings weighs nothing
  // and matches nothing, so this changes no score; it spares Xapian opening and walking the
  // postings of several copies of every query term for parts that cannot match, which was more
  // than half of a storefront query's time (docs/performance.md, "Text query latency").
  XQ AccessoryTargetWeights(const FieldMapping& field, const std::vector<std::vector<std::string>>& words) {
    const std::string target_prefix = terms::AccessoryTargetPrefix(field.ordinal);
    const std::string text_prefix = terms::TextPrefix(field.ordinal);
    std::vector<std::vector<std::string>> named_as_target(words.size());  // per word: alternatives with F terms
    bool any_target = false;
    for (size_t i = 0; i < words.size(); ++i) {
      for (const auto& alt : words[i]) {
        if (stats_.TermFrequency(target_prefix + alt) > 0) named_as_target[i].push_back(alt);
      }
      any_target |= !named_as_target[i].empty();
    }
    if (!any_target) return XQ::MatchNothing;
    auto plan = std::make_shared<AccessoryPlan>();
    plan->share = kAccessoryTargetWeight;
    plan->average_length = std::max(1e-9, ctx_.db.get_avlength());
    plan->collection_size = static_cast<double>(ctx_.db.get_doccount());
    for (size_t i = 0; i < words.size(); ++i) {
      AccessoryWord word;
      for (const auto& alt : words[i]) word.text_terms.push_back(text_prefix + alt);
      for (const auto& alt : named_as_target[i]) {
        word.target_terms.push_back(target_prefix + alt);
        plan->target_postings += stats_.TermFrequency(word.target_terms.back());
      }
      // As the field word weighs (WordStatistics): its T and F terms are one word.
      if (!word.target_terms.empty()) word.idf = stats_.WordIdf(word.text_terms);
      plan->words.push_back(std::move(word));
    }
    return AccessoryTargetQuery(std::move(plan));
  }

  // The boost of the fields that get the proximity boost: the query's most boosted text fields
  // (`name` in the storefront's name^3 + description). Checking positions in long descriptions
  // would cost more than it tells.
  double ProximityFieldBoost(const std::vector<FieldBoost>& fields) const {
    double best = -1;
    for (const auto& fb : fields) {
      const FieldMapping* field = ctx_.mapping.Find(fb.field);
      if (field != nullptr && field->type == FieldType::kText) best = std::max(best, fb.boost);
    }
    return best;
  }

  // Multi-word best_fields/most_fields queries rank documents whose field has the words side by
  // side and in order above scattered matches: the phrase adds kProximityWeight of its words'
  // weight. Each word's most frequent form carries its position and weight (every form of a word
  // is indexed at its position, and a query form need not be indexed at all); a word that matched
  // only through a typo expansion gets no boost.
  XQ WithProximity(XQ scored, const MatchQuery& m, const FieldMapping& field,
                   const std::vector<std::vector<std::string>>& words) {
    if (field.type != FieldType::kText || !field.IndexesPositions() || words.size() < 2 || words.size() > kMaxProximityWords ||
        (m.type != MatchQuery::Type::kBestFields && m.type != MatchQuery::Type::kMostFields)) {
      return scored;
    }
    const std::string prefix = terms::TextPrefix(field.ordinal);
    std::vector<XQ> leaves;
    for (const auto& word : words) leaves.emplace_back(MostFrequentForm(prefix, word));
    XQ phrase(XQ::OP_PHRASE, leaves.begin(), leaves.end(), static_cast<Xapian::termcount>(leaves.size()));
    return XQ(XQ::OP_AND_MAYBE, scored, Scale(phrase, kProximityWeight));
  }

  // --- exact filters -------------------------------------------------------------------------
  Result<XQ> CompileNode(const TermQuery& t) {
    if (t.field == "_id") return CompileNode(IdsQuery{t.values});
    ++clauses_;  // a terms query is one clause whatever its values, as Lucene's TermInSetQuery
    const FieldMapping* field = ctx_.mapping.Find(t.field);
    if (field == nullptr) return XQ::MatchNothing;
    std::vector<XQ> parts;
    for (const auto& value : t.values) {
      switch (field->type) {
        case FieldType::kText:
        case FieldType::kKeyword: {
          // Values not in the index are left out: Xapian 1.4 builds its OR tree by term frequency,
          // and thousands of zero-frequency terms make it a chain as deep as their number, walked on
          // every match (65,536 values of a `terms` query ran for minutes).
          std::string indexed =
              field->type == FieldType::kKeyword ? KeywordTermValue(*field, value, ctx_.analyzers) : value;
          std::string term = (field->type == FieldType::kText ? terms::TextPrefix(field->ordinal)
                                                              : terms::KeywordPrefix(field->ordinal)) +
                             indexed;
          if (t.values.size() == 1 || ctx_.db.term_exists(term)) parts.emplace_back(std::move(term));
          if (FieldTerms* record = Record(*field)) record->exact.insert(std::move(indexed));
          break;
        }
        case FieldType::kBoolean: {
          auto v = NumericValue(*field, value);
          if (!v.ok()) return v.status();
          parts.emplace_back(terms::KeywordPrefix(field->ordinal) + (*v != 0 ? "true" : "false"));
          break;
        }
        default: {
          auto v = NumericValue(*field, value);
          if (!v.ok()) return v.status();
          if (ctx_.columns) {
            parts.push_back(facets::ColumnNumberQuery(ctx_.columns, *field, {{*v, *v}}, ctx_.db, ctx_.column_filters));
            break;
          }
          std::string s = Xapian::sortable_serialise(*v);
          parts.emplace_back(XQ::OP_VALUE_RANGE, terms::ValueSlot(field->ordinal), s, s);
        }
      }
    }
    return Combine(XQ::OP_OR, parts);
  }

  Result<XQ> CompileNode(const RangeQuery& r) {
    ++clauses_;
    const FieldMapping* field = ctx_.mapping.Find(r.field);
    if (field == nullptr) return XQ::MatchNothing;
    if (field->type == FieldType::kText) {
      return Status::InvalidArgument("range queries on text field [" + r.field + "] are not supported");
    }
    if (ctx_.columns) return facets::ColumnRangeQuery(ctx_.columns, r, *field, ctx_.db, ctx_.column_filters);
    const Xapian::valueno slot = terms::ValueSlot(field->ordinal);
    std::string low, high;
    bool have_low = false, have_high = false;
    auto bound = [&](const std::optional<std::string>& text, bool lower, bool exclusive) -> Status {
      if (!text) return Status::OK();
      std::string encoded;
      if (field->type == FieldType::kKeyword) {
        encoded = *text;
        if (exclusive && lower) encoded.push_back('\0');  // the next string after *text
        if (exclusive && !lower) {
          // Everything below *text: step back is awkward for strings; use a half-open bound.
          if (encoded.empty()) return Status::OK();
          encoded.back() = static_cast<char>(static_cast<unsigned char>(encoded.back()) - 1);
          encoded += "\xff\xff\xff\xff";
        }
      } else {
        auto v = NumericValue(*field, *text);
        if (!v.ok()) return v.status();
        double d = *v;
        if (exclusive) d = std::nextafter(d, lower ? std::numeric_limits<double>::infinity()
                                                   : -std::numeric_limits<double>::infinity());
        encoded = Xapian::sortable_serialise(d);
      }
      if (lower) {
        if (!have_low || encoded > low) low = encoded;
        have_low = true;
      } else {
        if (!have_high || encoded < high) high = encoded;
        have_high = true;
      }
      return Status::OK();
    };
    for (Status s : {bound(r.gte, true, false), bound(r.gt, true, true), bound(r.lte, false, false),
                     bound(r.lt, false, true)}) {
      if (!s.ok()) return s;
    }
    if (have_low && have_high) return XQ(XQ::OP_VALUE_RANGE, slot, low, high);
    if (have_low) return XQ(XQ::OP_VALUE_GE, slot, low);
    if (have_high) return XQ(XQ::OP_VALUE_LE, slot, high);
    return ExistsQueryFor(*field);
  }

  Result<XQ> CompileNode(const PrefixQuery& p) {
    const FieldMapping* field = ctx_.mapping.Find(p.field);
    if (field == nullptr || (field->type != FieldType::kKeyword && field->type != FieldType::kText)) {
      return XQ::MatchNothing;
    }
    const std::string typed =
        field->type == FieldType::kKeyword ? KeywordTermValue(*field, p.prefix, ctx_.analyzers) : p.prefix;
    std::string prefix =
        (field->type == FieldType::kKeyword ? terms::KeywordPrefix(field->ordinal) : terms::TextPrefix(field->ordinal)) +
        typed;
    // Expanded here, walking the term list only (no postings), so a one-letter prefix over a large
    // vocabulary is refused after kMaxClauseCount terms instead of OR-ing them all at search time.
    std::vector<XQ> parts;
    FieldTerms* record = Record(*field);
    const size_t field_prefix_size = prefix.size() - typed.size();
    for (auto it = ctx_.db.allterms_begin(prefix); it != ctx_.db.allterms_end(prefix); ++it) {
      if (++clauses_ > limits::kMaxClauseCount) return TooManyNestedClauses();
      parts.emplace_back(*it);
      if (record != nullptr) record->exact.insert((*it).substr(field_prefix_size));
    }
    return Combine(XQ::OP_OR, parts);
  }

  Result<XQ> CompileNode(const ExistsQuery& e) {
    ++clauses_;
    if (const FieldMapping* field = ctx_.mapping.Find(e.field)) return ExistsQueryFor(*field);
    // An object path: any field below it.
    std::vector<XQ> parts;
    const std::string below = e.field + ".";
    for (const FieldMapping* f : ctx_.mapping.AllFields()) {
      if (f->path.compare(0, below.size(), below) == 0 && f->name == f->path) parts.push_back(ExistsQueryFor(*f));
    }
    return Combine(XQ::OP_OR, parts);
  }

  Result<XQ> CompileNode(const IdsQuery& ids) {
    ++clauses_;
    std::vector<XQ> parts;
    for (const auto& id : ids.ids) parts.emplace_back(terms::IdTerm(id));
    return Combine(XQ::OP_OR, parts);
  }

  Result<XQ> CompileNode(const WildcardQuery& w) {
    ++clauses_;
    const FieldMapping* field = ctx_.mapping.Find(w.field);
    if (field == nullptr || (field->type != FieldType::kKeyword && field->type != FieldType::kText)) {
      return XQ::MatchNothing;
    }
    // Text fields hold lower-cased analysed words, so the pattern is lower-cased for them too
    // (Elasticsearch normalises it the same way).
    const bool fold = w.case_insensitive || field->type == FieldType::kText;
    // A keyword's normalizer applies to the pattern as to any value (`*` and `?` pass through it).
    std::u32string pattern = DecodeUtf8(
        field->type == FieldType::kKeyword ? KeywordTermValue(*field, w.pattern, ctx_.analyzers) : w.pattern);
    if (fold) pattern = FoldCase(std::move(pattern));
    std::string literal;  // the pattern's fixed start narrows the term walk
    for (char32_t c : pattern) {
      if (c == U'*' || c == U'?') break;
      AppendUtf8(c, &literal);
    }
    const std::string field_prefix =
        field->type == FieldType::kKeyword ? terms::KeywordPrefix(field->ordinal) : terms::TextPrefix(field->ordinal);
    // With case folding the stored terms' start may differ in case: walk the whole field then.
    const std::string walk = field_prefix + (w.case_insensitive && field->type == FieldType::kKeyword ? "" : literal);
    std::vector<XQ> parts;
    FieldTerms* record = Record(*field);
    for (auto it = ctx_.db.allterms_begin(walk); it != ctx_.db.allterms_end(walk); ++it) {
      const std::string value = (*it).substr(field_prefix.size());
      std::u32string text = DecodeUtf8(value);
      if (fold) text = FoldCase(std::move(text));
      if (!WildcardCodePoints(pattern, text)) continue;
      if (++clauses_ > limits::kMaxClauseCount) return TooManyNestedClauses();
      parts.emplace_back(*it);
      if (record != nullptr) record->exact.insert(value);
    }
    return Combine(XQ::OP_OR, parts);
  }

  // --- score combinators -----------------------------------------------------------------------
  // Only what they match is decided here; their scores are computed by the rescorer from the
  // children's Xapian weights (search/rescorer.h). The weights given to Xapian (the children's
  // sum) only pick which matches the rescorer sees when there are more than its window.
  Result<XQ> CompileNode(const DisMaxQuery& d) {
    std::vector<XQ> parts;
    for (const auto& child : d.queries) {
      auto q = Compile(child);
      if (!q.ok()) return q.status();
      parts.push_back(std::move(q.value()));
    }
    return Combine(XQ::OP_OR, parts);
  }

  // Scored in Xapian itself: a fixed weight of 1 on what the filter matches (the node's boost
  // scales it like any other), so it needs no rescoring.
  Result<XQ> CompileNode(const ConstantScoreQuery& c) {
    if (c.filter.size() != 1) return Status::InvalidArgument("[constant_score] requires one filter");
    auto filter = Compile(c.filter.front());
    if (!filter.ok()) return filter.status();
    XQ fixed((new Xapian::FixedWeightPostingSource(1.0))->release());
    return XQ(XQ::OP_FILTER, fixed, filter.value());
  }

  Result<XQ> CompileNode(const BoostingQuery& b) {
    if (b.positive.size() != 1 || b.negative.size() != 1) {
      return Status::InvalidArgument("[boosting] requires one positive and one negative query");
    }
    auto positive = Compile(b.positive.front());
    if (!positive.ok()) return positive.status();
    // Compiled for its errors (an unknown analyzer fails the request here, not mid-rescoring).
    RecordingPaused pause(this, true);
    auto negative = Compile(b.negative.front());
    if (!negative.ok()) return negative.status();
    return positive;
  }

  Result<XQ> CompileNode(const FunctionScoreQuery& f) {
    if (f.query.size() != 1) return Status::InvalidArgument("[function_score] requires one query");
    for (const auto& fn : f.functions) {
      if (fn.filter.empty()) continue;
      RecordingPaused pause(this, true);
      auto filter = Compile(fn.filter.front());
      if (!filter.ok()) return filter.status();
    }
    return Compile(f.query.front());
  }

  // --- bool ------------------------------------------------------------------------------------
  Result<XQ> CompileNode(const BoolQuery& b) {
    // Lucene's BooleanQuery refuses more direct clauses than the limit, before nesting counts.
    if (b.must.size() + b.filter.size() + b.should.size() + b.must_not.size() >
        static_cast<size_t>(limits::kMaxClauseCount)) {
      return Status::InvalidArgument(std::string(limits::kTooManyClausesReason) +
                                     std::to_string(limits::kMaxClauseCount));
    }
    auto compile_all = [this](const std::vector<Query>& clauses, std::vector<XQ>* out) -> Status {
      for (const auto& c : clauses) {
        auto q = Compile(c);
        if (!q.ok()) return q.status();
        out->push_back(std::move(q.value()));
      }
      return Status::OK();
    };
    std::vector<XQ> must, filter, should, must_not;
    for (Status s : {compile_all(b.must, &must), compile_all(b.filter, &filter), compile_all(b.should, &should)}) {
      if (!s.ok()) return s;
    }
    {
      // What a document must not contain is never what it is highlighted for.
      RecordingPaused pause(this, true);
      if (Status s = compile_all(b.must_not, &must_not); !s.ok()) return s;
    }
    int required_should = (must.empty() && filter.empty()) ? 1 : 0;
    if (!b.minimum_should_match.empty()) {
      auto k = ResolveMinimumShouldMatch(b.minimum_should_match, static_cast<int>(should.size()));
      if (!k.ok()) return k.status();
      required_should = *k;
      // Like Lucene: with nothing but should clauses, at least one must match whatever the spec.
      if (must.empty() && filter.empty()) required_should = std::max(required_should, 1);
    }
    XQ result = XapianMatchAll();
    bool have_scored = false;
    if (!must.empty()) {
      result = Combine(XQ::OP_AND, must);
      have_scored = true;
    }
    if (!should.empty()) {
      if (required_should > 0) {
        auto required = AtLeast(should, required_should);
        if (!required.ok()) return required.status();
        result = have_scored ? XQ(XQ::OP_AND, result, required.value()) : required.value();
        have_scored = true;
      } else if (have_scored) {
        result = XQ(XQ::OP_AND_MAYBE, result, Combine(XQ::OP_OR, should));
      } else {
        // Only filters: shoulds are optional and still add to the score.
        result = XQ(XQ::OP_AND_MAYBE, XapianMatchAll(), Combine(XQ::OP_OR, should));
        have_scored = true;
      }
    }
    if (!filter.empty()) result = XQ(XQ::OP_FILTER, result, Combine(XQ::OP_AND, filter));
    if (!must_not.empty()) result = XQ(XQ::OP_AND_NOT, result, Combine(XQ::OP_OR, must_not));
    return result;
  }

  Status TooManyNestedClauses() const {
    return Status::InvalidArgument(std::string(limits::kTooManyNestedClausesReason) +
                                   std::to_string(limits::kMaxClauseCount));
  }

  const CompileContext& ctx_;
  WordStatistics stats_;  // term frequencies of the words compiled, read once per query
  // Leaf clauses so far (words and their expansions, prefix expansions, term, range, exists and
  // ids queries), against limits::kMaxClauseCount.
  int64_t clauses_ = 0;
  int record_paused_ = 0;  // > 0: highlighting terms are not recorded (see RecordingPaused)
};

}  // namespace

Result<int> ResolveMinimumShouldMatch(const std::string& spec, int clauses) {
  if (spec.empty()) return 1;
  std::string s = spec;
  bool percent = !s.empty() && s.back() == '%';
  if (percent) s.pop_back();
  int value = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) {
    return Status::InvalidArgument("failed to parse minimum_should_match [" + spec + "]");
  }
  int k;
  if (percent) {
    int part = static_cast<int>(std::floor(std::abs(value) * clauses / 100.0));
    k = value < 0 ? clauses - part : part;
  } else {
    k = value < 0 ? clauses + value : value;
  }
  return std::clamp(k, 0, clauses);
}

Result<Xapian::Query> CompileQuery(const Query& query, const CompileContext& ctx) {
  try {
    Compiler compiler(ctx);
    return compiler.Compile(query);
  } catch (const Xapian::DatabaseModifiedError&) {
    throw;  // the reader moved on under a fuzzy or prefix expansion: the caller reopens and retries
  } catch (const Xapian::InvalidArgumentError& e) {
    return Status::InvalidArgument("cannot plan the query: " + e.get_msg());
  } catch (const Xapian::WildcardError& e) {
    return Status::InvalidArgument("cannot plan the query: " + e.get_msg());
  } catch (const Xapian::Error& e) {
    return FromXapian(e, "planning the query");
  }
}

}  // namespace ultrasearch
