// The skeleton shared by the language analyzers: ICU word break, NFKC case folding, optional
// apostrophe folding, then a per-word hook that returns the word's terms (alternatives at one
// position).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ultrasearch/analysis.h"

namespace ultrasearch::analyzers {

class WordAnalyzer : public Analyzer {
 public:
  explicit WordAnalyzer(bool fold_apostrophes);

  void Analyze(std::string_view text, AnalysisMode mode, std::vector<Token>* out) const override;
  using Analyzer::Analyze;

  // Longest term emitted, in bytes; longer ones are cut at a code point boundary.
  static constexpr size_t kMaxTermBytes = 100;

 protected:
  // `word` is NFKC-casefolded UTF-8 (apostrophes folded to ʻ U+02BB / ʼ U+02BC when enabled).
  // Appends the word's terms to `*terms`, best first; duplicates and empty terms are dropped by
  // the caller. Must be thread-safe and deterministic: results are memoised per thread.
  virtual void AnalyzeWord(const std::string& word, AnalysisMode mode,
                           std::vector<std::string>* terms) const = 0;

 private:
  // Terms of one word, from the calling thread's memo or computed.
  const std::vector<std::string>& WordTerms(const std::string& word, AnalysisMode mode) const;

  bool fold_apostrophes_;
  uint64_t id_;  // distinguishes analyzers in the per-thread memo (never reused, unlike `this`)
};

}  // namespace ultrasearch::analyzers
