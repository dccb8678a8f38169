// The analyzer interface: text in, tokens out.
//
// The engine turns text fields and query text into terms through an Analyzer chosen by name in the
// index mapping. Implementations live in analyzers/ (ICU based) and are handed to the engine in an
// AnalyzerRegistry, so the engine itself depends on no analyzer and analyzers depend on no storage.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ultrasearch/status.h"

namespace ultrasearch {

// One token, as Elasticsearch's _analyze reports it.
struct Token {
  std::string term;           // the indexed form (UTF-8)
  uint32_t start_offset = 0;  // in UTF-16 code units of the input, as Elasticsearch counts them
  uint32_t end_offset = 0;
  uint32_t position = 0;      // tokens sharing a position are alternatives (like synonyms)
  std::string type = "<ALPHANUM>";
};

// A query's analysed words: per position, the alternative terms there (best first).
using AnalyzedWords = std::vector<std::vector<std::string>>;

// Other ways of saying a span of a query's words (synonyms, the bilingual vocabulary): the words
// [start, end) may also match any of `phrases`, each a sequence of analysed words matched as a
// phrase. `weight` scales the score of those matches (below 1 ranks them under the query's own
// words); without `keep_original` the span matches only the phrases (Solr's `a => b`).
struct QueryExpansion {
  uint32_t start = 0;
  uint32_t end = 0;
  std::shared_ptr<const std::vector<AnalyzedWords>> phrases;  // shared with the rule: never copied per query
  double weight = 1.0;
  bool keep_original = true;
  // How the span's own words match beside the expansion: together as a phrase (false, as
  // Elasticsearch's multi-word synonym rules: auto_generate_synonyms_phrase_query), or one by
  // one as without the expansion (true, the bilingual vocabulary: `choy va qahva` still finds
  // tea or coffee, and the concept adds `чай и кофе`).
  bool words_match_alone = false;
};

enum class AnalysisMode {
  kIndex,  // analysing a document field
  kQuery,  // analysing query text; analyzers may emit fewer or other alternatives
};

class Analyzer {
 public:
  virtual ~Analyzer() = default;

  // Appends the tokens of `text` to `*out` in order. Positions start at 0 for each call.
  // Invalid UTF-8 is replaced by U+FFFD and never fails. Thread-safe: one Analyzer is shared by
  // every thread of the process.
  virtual void Analyze(std::string_view text, AnalysisMode mode, std::vector<Token>* out) const = 0;

  // Convenience wrapper returning a fresh vector.
  std::vector<Token> Analyze(std::string_view text,
                             AnalysisMode mode = AnalysisMode::kIndex) const {
    std::vector<Token> tokens;
    Analyze(text, mode, &tokens);
    return tokens;
  }

  // Appends the expansions of the analysed query `words` (their positions index `words`) to
  // `*out`. Called at query time only, so what it adds changes without a reindex. None by default.
  // Thread-safe, as Analyze.
  virtual void ExpandQuery(const AnalyzedWords& words, std::vector<QueryExpansion>* out) const {
    (void)words;
    (void)out;
  }
};

// The rules of one synonym filter as Elasticsearch writes them (Solr format: `a, b, c` and
// `a, b => c`), with a version that changes whenever they do.
struct SynonymRuleList {
  std::vector<std::string> rules;
  uint64_t version = 0;
};

// A synonym filter of an index's custom analyzer. `rules` is read at each query, so a filter over
// a synonyms set follows PUT /_synonyms at once; it must be thread-safe.
struct SynonymFilterSpec {
  std::string name;
  std::function<std::shared_ptr<const SynonymRuleList>()> rules;
  bool expand = true;   // `a, b, c` maps each to all (true) or all to the first (false)
  bool lenient = false; // skip rules that fail to parse instead of failing
};

// Builds analyzers out of synonym filters (supplied by the analyzer library, used by the engine
// for the custom analyzers of index settings). Thread-safe.
class SynonymSupport {
 public:
  virtual ~SynonymSupport() = default;
  // InvalidArgument naming the first rule that is not valid Solr synonym syntax.
  virtual Status Validate(const std::vector<std::string>& rules) const = 0;
  // An analyzer that analyses as `base` and expands queries by `filters`, in order. Rules that
  // fail to parse at query time (a set changed under it) are skipped.
  virtual std::shared_ptr<const Analyzer> Make(std::shared_ptr<const Analyzer> base,
                                               std::vector<SynonymFilterSpec> filters) const = 0;
};

// Rewrites a whole query into other spellings that search may try when the query as typed finds
// little (for example the same keys typed on the other keyboard layout). Returns candidates, best
// first; empty when none applies. Must be thread-safe.
using QueryRewriter = std::function<std::vector<std::string>(std::string_view query)>;

// A keyword field's normalizer (Elasticsearch's `normalizer` mapping parameter): the whole value in,
// one normalized term out, applied to indexed keyword terms and to the values of queries on the
// field alike. Must be thread-safe.
using Normalizer = std::function<std::string(std::string_view value)>;

// Analyzers by name plus the query rewriters. Built once at start-up, then read-only and shared.
class AnalyzerRegistry {
 public:
  void Add(std::string name, std::shared_ptr<const Analyzer> analyzer) {
    analyzers_[std::move(name)] = std::move(analyzer);
  }
  void AddQueryRewriter(QueryRewriter rewriter) { rewriters_.push_back(std::move(rewriter)); }
  void AddNormalizer(std::string name, Normalizer normalizer) { normalizers_[std::move(name)] = std::move(normalizer); }
  // nullptr when no normalizer has this name.
  const Normalizer* FindNormalizer(std::string_view name) const {
    auto it = normalizers_.find(name);
    return it == normalizers_.end() ? nullptr : &it->second;
  }
  void SetSynonymSupport(std::shared_ptr<const SynonymSupport> support) { synonyms_ = std::move(support); }
  // `variant` replaces analyzer `name` in indices that turn the bilingual vocabulary on
  // (index.ultrasearch.bilingual_vocabulary).
  void AddVocabularyVariant(std::string name, std::shared_ptr<const Analyzer> variant) {
    vocabulary_variants_[std::move(name)] = std::move(variant);
  }

  // nullptr when no analyzer has this name.
  const Analyzer* Find(std::string_view name) const {
    auto it = analyzers_.find(name);
    return it == analyzers_.end() ? nullptr : it->second.get();
  }
  std::vector<std::string> Names() const {
    std::vector<std::string> names;
    for (const auto& [name, analyzer] : analyzers_) names.push_back(name);
    return names;
  }
  const std::vector<QueryRewriter>& query_rewriters() const { return rewriters_; }
  // nullptr when the registry has no synonym support.
  const SynonymSupport* synonym_support() const { return synonyms_.get(); }
  std::shared_ptr<const Analyzer> FindShared(std::string_view name) const {
    auto it = analyzers_.find(name);
    return it == analyzers_.end() ? nullptr : it->second;
  }
  const std::map<std::string, std::shared_ptr<const Analyzer>, std::less<>>& vocabulary_variants() const {
    return vocabulary_variants_;
  }

 private:
  std::map<std::string, std::shared_ptr<const Analyzer>, std::less<>> analyzers_;
  std::vector<QueryRewriter> rewriters_;
  std::map<std::string, Normalizer, std::less<>> normalizers_;
  std::shared_ptr<const SynonymSupport> synonyms_;
  std::map<std::string, std::shared_ptr<const Analyzer>, std::less<>> vocabulary_variants_;
};

}  // namespace ultrasearch
