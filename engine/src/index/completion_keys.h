// What a completion field indexes and how its suggester reads it back (term layout in
// index/term_scheme.h). An input's key is its analysed words joined by single spaces, one key per
// alternative slot of the analyzer (index/shingles.h: the first forms of every word together, the
// second together, …), so a catalog-analysed input gets its Latin and Cyrillic spellings as keys
// and a prefix typed in either script finds it. Keys are cut to kMaxCompletionKeyCodePoints, as
// Elasticsearch's max_input_length (50) cuts inputs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ultrasearch/analysis.h"

namespace ultrasearch {

inline constexpr size_t kMaxCompletionKeyCodePoints = 50;

// The keys of an analysed input (or of a typed prefix, analysed the same way).
std::vector<std::string> CompletionKeys(const std::vector<Token>& tokens);

// The term of one input: field prefix + key + "\0" + weight + "\0" + input index. Empty when even
// a cut key cannot fit Xapian's term length.
std::string CompletionTerm(const std::string& field_prefix, std::string_view key, uint32_t weight, uint32_t input);

struct CompletionEntry {
  std::string_view key;  // without the field prefix
  uint32_t weight = 0;
  uint32_t input = 0;
};

// Reads a term made by CompletionTerm (without the field prefix); nullopt if malformed.
std::optional<CompletionEntry> ParseCompletionTerm(std::string_view term);

}  // namespace ultrasearch
