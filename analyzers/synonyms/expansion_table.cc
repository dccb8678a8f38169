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

std::string ExpansionTable::PairKey(const std::string& first, const std::string& second) {
  std::string key = first;
  key.push_back('\x1f');
  key += second;
  return key;
}

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
    auto others = std::make_shared<std::vector<AnalyzedWords>>();
    for (const auto& r : right_words) {
      if (!SamePhrase(r, entry.left)) others->push_back(r);
    }
    // An explicit mapping onto itself still replaces (and so keeps) the word: nothing to add.
    if (others->empty()) continue;
    entry.right = std::move(others);
    entry.weight = weight;
    entry.keep_original = keep_original;
    const auto index = static_cast<uint32_t>(entries_.size());
    if (entry.left.size() == 1) {
      for (const auto& term : entry.left.front()) by_first_term_[term].singles.push_back(index);
    } else {
      for (const auto& first : entry.left[0]) {
        by_first_term_[first].starts_phrase = true;
        for (const auto& second : entry.left[1]) by_first_pair_[PairKey(first, second)].push_back(index);
      }
    }
    entries_.push_back(std::move(entry));
  }
}

bool ExpansionTable::Matches(const Entry& entry, const AnalyzedWords& words, size_t start) const {
  if (start + entry.left.size() > words.size()) return false;
  // The first word (and the second of a phrase) were found by shared terms.
  for (size_t k = entry.left.size() == 1 ? 1 : 2; k < entry.left.size(); ++k) {
    if (!Shares(words[start + k], entry.left[k])) return false;
  }
  return true;
}

void ExpansionTable::Expand(const AnalyzedWords& words, std::vector<QueryExpansion>* out) const {
  if (entries_.empty()) return;
  std::vector<uint32_t> candidates, matched;
  std::vector<const std::string*> phrase_starts;
  size_t i = 0;
  while (i < words.size()) {
    // Entries whose first word shares a term with this word, each once (a word's alternatives
    // often all belong to the same rule word).
    candidates.clear();
    phrase_starts.clear();
    for (const auto& term : words[i]) {
      auto it = by_first_term_.find(term);
      if (it == by_first_term_.end()) continue;
      candidates.insert(candidates.end(), it->second.singles.begin(), it->second.singles.end());
      if (it->second.starts_phrase) phrase_starts.push_back(&term);
    }
    if (i + 1 < words.size()) {
      std::string key;
      for (const std::string* first : phrase_starts) {
        for (const auto& second : words[i + 1]) {
          key.assign(*first).push_back('\x1f');
          key.append(second);
          auto it = by_first_pair_.find(key);
          if (it != by_first_pair_.end()) candidates.insert(candidates.end(), it->second.begin(), it->second.end());
        }
      }
    }
    if (candidates.size() > 1) {
      std::sort(candidates.begin(), candidates.end());
      candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
    }
    matched.clear();
    size_t longest = 0;
    for (uint32_t index : candidates) {
      const Entry& entry = entries_[index];
      if (entry.left.size() < longest || !Matches(entry, words, i)) continue;
      if (entry.left.size() > longest) {
        longest = entry.left.size();
        matched.clear();
      }
      matched.push_back(index);
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
