#include "search/prefix_expansion.h"

#include <algorithm>

#include "search/term_dictionary.h"

namespace ultrasearch {

int PrefixExpansionCap(size_t prefix_length, int max_expansions) {
  const int requested = std::max(1, max_expansions);
  if (prefix_length <= 1) return std::min(requested, kOneLetterPrefixExpansions);
  if (prefix_length == 2) return std::min(requested, kTwoLetterPrefixExpansions);
  return requested;
}

std::vector<std::string> ExpandPrefix(const Xapian::Database& db, const std::string& field_prefix,
                                      std::string_view prefix, int limit, uint64_t reader_version) {
  auto dict = TermDictionaryCache::Global().Get(db, field_prefix, reader_version);
  std::vector<std::string> out;
  for (auto& match : dict->MostFrequentWithPrefix(prefix, static_cast<size_t>(std::max(0, limit)))) {
    out.push_back(field_prefix + match.term);
  }
  return out;
}

}  // namespace ultrasearch
