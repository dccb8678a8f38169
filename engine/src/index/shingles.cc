#include "index/shingles.h"

#include <algorithm>
#include <cstdint>

namespace ultrasearch {

std::vector<std::vector<std::string>> WordsOfTokens(const std::vector<Token>& tokens) {
  std::vector<std::vector<std::string>> words;
  uint32_t last_position = 0;
  for (const auto& token : tokens) {
    if (token.term.empty()) continue;
    if (words.empty() || token.position != last_position) words.emplace_back();
    last_position = token.position;
    auto& word = words.back();
    if (std::find(word.begin(), word.end(), token.term) == word.end()) word.push_back(token.term);
  }
  return words;
}

std::vector<std::vector<std::string>> Shingles(const std::vector<std::vector<std::string>>& words, size_t size) {
  std::vector<std::vector<std::string>> out;
  if (size == 0 || words.size() < size) return out;
  for (size_t start = 0; start + size <= words.size(); ++start) {
    size_t forms = 1;
    for (size_t j = start; j < start + size; ++j) forms = std::max(forms, words[j].size());
    forms = std::min(forms, kMaxShingleForms);
    std::vector<std::string> alternatives;
    for (size_t slot = 0; slot < forms; ++slot) {
      std::string shingle;
      for (size_t j = start; j < start + size; ++j) {
        const auto& word = words[j];
        if (word.empty()) continue;
        if (!shingle.empty()) shingle += ' ';
        shingle += word[std::min(slot, word.size() - 1)];
      }
      if (std::find(alternatives.begin(), alternatives.end(), shingle) == alternatives.end()) {
        alternatives.push_back(std::move(shingle));
      }
    }
    out.push_back(std::move(alternatives));
  }
  return out;
}

}  // namespace ultrasearch
