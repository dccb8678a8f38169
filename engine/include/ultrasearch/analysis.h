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

namespace ultrasearch {

// One token, as Elasticsearch's _analyze reports it.
struct Token {
  std::string term;           // the indexed form (UTF-8)
  uint32_t start_offset = 0;  // in UTF-16 code units of the input, as Elasticsearch counts them
  uint32_t end_offset = 0;
  uint32_t position = 0;      // tokens sharing a position are alternatives (like synonyms)
  std::string type = "<ALPHANUM>";
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

 private:
  std::map<std::string, std::shared_ptr<const Analyzer>, std::less<>> analyzers_;
  std::vector<QueryRewriter> rewriters_;
  std::map<std::string, Normalizer, std::less<>> normalizers_;
};

}  // namespace ultrasearch
