// The terms a compiled query matches, per field, as the highlighter needs them: recorded by the
// query compiler while it plans (so fuzzy expansions are the ones the search used) rather than
// re-derived from the query tree.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <unordered_set>
#include <vector>

namespace ultrasearch {

// Words that must stand in order, within `window` positions of the first (Xapian's OP_PHRASE
// window: words + slop), for any of them to be marked.
struct PhraseTerms {
  std::vector<std::string> words;  // one analysed term per word, as the positional check uses
  uint32_t window = 0;
  bool last_is_prefix = false;     // match_phrase_prefix: the last word is a prefix
};

// The terms of one field (by mapping ordinal). Text fields hold analysed terms; keyword fields
// hold whole values in `exact`.
struct FieldTerms {
  std::unordered_set<std::string> exact;
  std::vector<std::string> prefixes;  // the partial last word of bool_prefix / phrase_prefix
  std::vector<PhraseTerms> phrases;

  bool empty() const { return exact.empty() && prefixes.empty() && phrases.empty(); }
};

struct HighlightTerms {
  std::map<uint32_t, FieldTerms> by_ordinal;
};

}  // namespace ultrasearch
