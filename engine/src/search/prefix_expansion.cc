#include "search/prefix_expansion.h"

#include <algorithm>
#include <unordered_set>

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

std::vector<std::string> ExpandPrefixes(const Xapian::Database& db, const std::string& field_prefix,
                                        const std::vector<std::string>& prefixes, int limit,
                                        uint64_t reader_version) {
  if (prefixes.size() == 1) return ExpandPrefix(db, field_prefix, prefixes.front(), limit, reader_version);
  auto dict = TermDictionaryCache::Global().Get(db, field_prefix, reader_version);
  const size_t cap = static_cast<size_t>(std::max(0, limit));
  // The union's top `cap` lies within the top `cap` of each form's own run; a term may start
  // with two forms (one a prefix of the other), so it is kept once.
  std::vector<FuzzyMatch> all;
  std::unordered_set<std::string> seen;
  for (const auto& prefix : prefixes) {
    for (auto& match : dict->MostFrequentWithPrefix(prefix, cap)) {
      if (seen.insert(match.term).second) all.push_back(std::move(match));
    }
  }
  std::sort(all.begin(), all.end(), [](const FuzzyMatch& a, const FuzzyMatch& b) {
    return a.freq != b.freq ? a.freq > b.freq : a.term < b.term;
  });
  if (all.size() > cap) all.resize(cap);
  std::vector<std::string> out;
  out.reserve(all.size());
  for (auto& match : all) out.push_back(field_prefix + match.term);
  return out;
}

}  // namespace ultrasearch
