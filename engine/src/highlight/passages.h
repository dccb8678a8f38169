// From a field's values and the matches in them to Elasticsearch's fragments, as its unified
// highlighter builds them: passages are sentences (ICU's sentence BreakIterator, root locale),
// joined while they fit fragment_size and cut at word boundaries near it when one sentence is
// longer; each is scored like Lucene's PassageScorer (BM25 over the passage, earlier passages
// slightly preferred); the best number_of_fragments are kept, in text order unless ordered by
// score. Overlapping matches share one pair of tags; adjacent ones each get their own.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "highlight/field_matches.h"
#include "ultrasearch/query.h"

namespace ultrasearch::highlight {

// The matches of one value of the field, in start order.
struct ValueMatches {
  std::string_view text;
  std::vector<TermMatch> matches;
};

// The fragments of one field (its values in document order), formatted with the field's tags and
// encoder. Empty when no value has a match, unless options.no_match_size > 0, which gives the
// start of the first non-empty value. Thread-safe (break iterators are per thread).
std::vector<std::string> BuildFragments(const std::vector<ValueMatches>& values, const HighlightField& options);

}  // namespace ultrasearch::highlight
