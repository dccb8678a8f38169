// Synonym rules compiled over an analyzer: each side analysed into the terms the analyzer emits at
// query time, so a rule written in one spelling (Latin) matches the query's other spellings
// (Cyrillic, inflected) wherever the analyzer gives them a common term.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <boost/unordered/unordered_flat_map.hpp>

#include "ultrasearch/analysis.h"

namespace ultrasearch::analyzers {

class ExpansionTable {
 public:
  // Words `left` (each a word or phrase) may also be found as `right`, at `weight`; without
  // `keep_original` they are found only as `right`. Phrases that analyse to nothing are skipped,
  // and so are right phrases equal to the left one.
  void Add(const Analyzer& analyzer, const std::vector<std::string>& left, const std::vector<std::string>& right,
           double weight, bool keep_original);

  // Appends, for each span of `words` matching some entry's left side, one expansion per entry;
  // spans are the longest at each start, left to right, and never overlap. A query word matches
  // a rule word when they share a term.
  void Expand(const AnalyzedWords& words, std::vector<QueryExpansion>* out) const;

  size_t size() const { return entries_.size(); }

  // The analysed words of `text` (alternatives per position) at query time.
  static AnalyzedWords AnalyzePhrase(const Analyzer& analyzer, const std::string& text);

 private:
  struct Entry {
    AnalyzedWords left;
    std::shared_ptr<const std::vector<AnalyzedWords>> right;
    double weight = 1.0;
    bool keep_original = true;
  };

  bool Matches(const Entry& entry, const AnalyzedWords& words, size_t start) const;
  static std::string PairKey(const std::string& first, const std::string& second);

  std::vector<Entry> entries_;
  // Entries of one word by each term of it; phrases by each pair of terms of their first two
  // words, so a common first word (elektr, детская) does not make every query check them all.
  struct FirstTerm {
    std::vector<uint32_t> singles;  // entries of one word
    bool starts_phrase = false;     // some phrase's first word has this term
  };
  // Open addressing: every query term is looked up, and most are in no rule, so a miss must be
  // one probe of a flat array rather than a bucket chain (it was most of the vocabulary's cost).
  boost::unordered_flat_map<std::string, FirstTerm> by_first_term_;
  boost::unordered_flat_map<std::string, std::vector<uint32_t>> by_first_pair_;
};

}  // namespace ultrasearch::analyzers
