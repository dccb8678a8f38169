#include "index/completion_keys.h"

#include <algorithm>
#include <charconv>

#include "index/shingles.h"
#include "index/term_scheme.h"
#include "ultrasearch/utf8.h"

namespace ultrasearch {

namespace {

// The first `max_code_points` code points of `s`, cut only between code points.
std::string_view CutToCodePoints(std::string_view s, size_t max_code_points) {
  size_t i = 0;
  for (size_t n = 0; n < max_code_points && i < s.size(); ++n) NextCodePoint(s, &i);
  return s.substr(0, i);
}

// Cuts `s` to at most `max_bytes` bytes between code points.
std::string_view CutToBytes(std::string_view s, size_t max_bytes) {
  size_t i = 0, end = 0;
  while (i < s.size()) {
    NextCodePoint(s, &i);
    if (i > max_bytes) break;
    end = i;
  }
  return s.substr(0, end);
}

}  // namespace

std::vector<std::string> CompletionKeys(const std::vector<Token>& tokens) {
  const auto words = WordsOfTokens(tokens);
  std::vector<std::string> keys;
  if (words.empty()) return keys;
  auto whole = Shingles(words, words.size());  // one "shingle" of every word: its forms are the keys
  for (auto& key : whole.front()) {
    std::string cut(CutToCodePoints(key, kMaxCompletionKeyCodePoints));
    if (std::find(keys.begin(), keys.end(), cut) == keys.end()) keys.push_back(std::move(cut));
  }
  return keys;
}

std::string CompletionTerm(const std::string& field_prefix, std::string_view key, uint32_t weight, uint32_t input) {
  char weight_digits[16];
  const std::string weight_text = std::to_string(weight);
  std::fill(weight_digits, weight_digits + 10, '0');
  std::copy(weight_text.begin(), weight_text.end(), weight_digits + 10 - weight_text.size());
  const std::string tail = std::string(1, '\0') + std::string(weight_digits, 10) + '\0' + std::to_string(input);
  if (field_prefix.size() + tail.size() >= terms::kMaxTermBytes) return {};
  std::string_view fitted = CutToBytes(key, terms::kMaxTermBytes - field_prefix.size() - tail.size());
  return field_prefix + std::string(fitted) + tail;
}

std::optional<CompletionEntry> ParseCompletionTerm(std::string_view term) {
  const size_t second = term.rfind('\0');
  if (second == std::string_view::npos || second < 11 || term[second - 11] != '\0') return std::nullopt;
  CompletionEntry e;
  e.key = term.substr(0, second - 11);
  std::string_view weight = term.substr(second - 10, 10);
  std::string_view input = term.substr(second + 1);
  if (std::from_chars(weight.data(), weight.data() + weight.size(), e.weight).ec != std::errc()) return std::nullopt;
  if (std::from_chars(input.data(), input.data() + input.size(), e.input).ec != std::errc()) return std::nullopt;
  return e;
}

}  // namespace ultrasearch
