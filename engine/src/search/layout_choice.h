// Which reading of a match query's text is searched: as typed, or as the registry's query
// rewriters read it (the other keyboard layout: `ntktajy` is `телефон`, `ьгядфепшср` is
// `muzlatgich`). Decided before searching, from the index's own terms, never from how many hits
// the typed text happens to find: a wrong-layout word fuzzy-matching some noise is still converted,
// and a short correct query that finds nothing is not turned into a Cyrillic one that finds
// everything.
//
// The evidence, per whitespace-separated word and per searched text field: the word is analysed
// with the field's search analyzer (so the analyzers' cross-script and stemmed forms count), and
// each analysed position is looked up in the field's terms. A reading is "known" in a field when
// every position has a term there; its strength is the least document frequency over the positions.
// A word is converted when its typed reading is unknown and a rewriter's reading is known, or when
// the typed reading is a rare term (noise) and the other reading is far more common (then both are
// searched). Words of one or two letters convert only on overwhelming evidence or when the
// query's longer words convert. A correctly typed word is a known term, so it is never converted.
// With fuzziness, a word neither reading knows exactly goes the way the fuzzy search would find
// something (the field's cached term dictionary, as the fuzzy expansion reads it).
//
// Cost: a few Xapian term-frequency lookups per word (one per field and analysed form until the
// typed word is found, which ends it for most queries); a dictionary search only for a fuzzy
// query's word that no reading knows exactly.
#pragma once

#include <string>

#include "search/searcher.h"
#include "ultrasearch/query.h"
#include "ultrasearch/status.h"

namespace ultrasearch {

// The weight of the other reading when both are searched.
inline constexpr double kOtherReadingWeight = 0.5;

struct LayoutChoice {
  std::string reading;      // the text to search instead of the typed one; empty: as typed
  bool with_typed = false;  // search the typed text too, `reading` weighted kOtherReadingWeight
};

// The reading of `match.text` to search, over the fields `match` searches.
Result<LayoutChoice> ChooseLayout(const MatchQuery& match, const SearchContext& ctx);

}  // namespace ultrasearch
