#include "synonyms/expansion_table.h"

#include <algorithm>
#include <map>

namespace ultrasearch::analyzers {
namespace {

bool Shares(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  for (const auto& x : a) {
    if (std::find(b.begin(), b.end(), x) != b.end()) return true;
  }
  return false;
}

// Two phrases are the same when every word shares a term (one spelling of the other).
bool SamePhrase(const AnalyzedWords& a, const AnalyzedWords& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (!Shares(a[i], b[i])) return false;
  }
  return true;
}

}  // namespace

AnalyzedWords ExpansionTable::AnalyzePhrase(const Analyzer& analyzer, const std::string& text) {
  std::vector<Token> tokens;
  analyzer.Analyze(text, AnalysisMode::kQuery, &tokens);
  std::map<uint32_t, std::vector<std::string>> by_position;
  for (auto& t : tokens) {
    auto& alternatives = by_position[t.position];
    if (std::find(alternatives.begin(), alternatives.end(), t.term) == alternatives.end()) {
      alternatives.push_back(std::move(t.term));
    }
  }
  AnalyzedWords words;
  for (auto& [position, alternatives] : by_position) words.push_back(std::move(alternatives));
  return words;
}

void ExpansionTable::Add(const Analyzer& analyzer, const std::vector<std::string>& left,
                         const std::vector<std::string>& right, double weight, bool keep_original) {
  std::vector<AnalyzedWords> right_words;
  for (const auto& text : right) {
    AnalyzedWords words = AnalyzePhrase(analyzer, text);
    if (!words.empty()) right_words.push_back(std::move(words));
  }
  for (const auto& text : left) {
    Entry entry;
    entry.left = AnalyzePhrase(analyzer, text);
    if (entry.left.empty()) continue;
    for (const auto& r : right_words) {
      if (!SamePhrase(r, entry.left)) entry.right.push_back(r);
    }
    // An explicit mapping onto itself still replaces (and so keeps) the word: nothing to add.
    if (entry.right.empty()) continue;
    entry.weight = weight;
    entry.keep_original = keep_original;
    const auto index = static_cast<uint32_t>(entries_.size());
    for (const auto& term : entry.left.front()) by_first_term_[term].push_back(index);
    entries_.push_back(std::move(entry));
  }
}

bool ExpansionTable::Matches(const Entry& entry, const AnalyzedWords& words, size_t start) const {
  if (start + entry.left.size() > words.size()) return false;
  for (size_t k = 0; k < entry.left.size(); ++k) {
    if (!Shares(words[start + k], entry.left[k])) return false;
  }
  return true;
}

void ExpansionTable::Expand(const AnalyzedWords& words, std::vector<QueryExpansion>* out) const {
  if (entries_.empty()) return;
  std::vector<uint32_t> matched;
  size_t i = 0;
  while (i < words.size()) {
    matched.clear();
    size_t longest = 0;
    for (const auto& term : words[i]) {
      auto it = by_first_term_.find(term);
      if (it == by_first_term_.end()) continue;
      for (uint32_t index : it->second) {
        const Entry& entry = entries_[index];
        if (entry.left.size() < longest || !Matches(entry, words, i)) continue;
        if (entry.left.size() > longest) {
          longest = entry.left.size();
          matched.clear();
        }
        if (std::find(matched.begin(), matched.end(), index) == matched.end()) matched.push_back(index);
      }
    }
    if (longest == 0) {
      ++i;
      continue;
    }
    for (uint32_t index : matched) {
      const Entry& entry = entries_[index];
      QueryExpansion expansion;
      expansion.start = static_cast<uint32_t>(i);
      expansion.end = static_cast<uint32_t>(i + longest);
      expansion.phrases = entry.right;
      expansion.weight = entry.weight;
      expansion.keep_original = entry.keep_original;
      out->push_back(std::move(expansion));
    }
    i += longest;
  }
}

}  // namespace ultrasearch::analyzers
