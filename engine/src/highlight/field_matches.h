// Where a query's terms occur in one stored value: the value is analysed again with the field's
// index analyzer, and a token is a match when one of the alternative terms the analyzer emitted at
// its position (stems, cross-script and transliterated forms) is among the query's terms for the
// field. The span marked is the token's offsets into the original text, so `holodilnik` marks
// `Холодильник` and a fuzzy expansion marks the word it came from.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "search/highlight_terms.h"
#include "ultrasearch/analysis.h"

namespace ultrasearch::highlight {

// One marked span, in UTF-16 code units of the value (the analyzers' offsets, as Elasticsearch
// counts them), with the query term it matched (passages are scored by distinct terms).
struct TermMatch {
  uint32_t start = 0;
  uint32_t end = 0;
  std::string term;
};

// Appends the matches of `terms` in `value` (a text field analysed by `analyzer`) to `*out`,
// ordered by start. Words of a phrase match only where the whole phrase stands. `tokens` is
// scratch space reused between calls.
void FindTextMatches(std::string_view value, const Analyzer& analyzer, const FieldTerms& terms,
                     std::vector<Token>* tokens, std::vector<TermMatch>* out);

// A keyword value matches as a whole when it is one of the terms.
// `indexed`: the value's indexed form (KeywordTermValue: through the field's normalizer).
void FindKeywordMatches(std::string_view value, const std::string& indexed, const FieldTerms& terms,
                        std::vector<TermMatch>* out);

}  // namespace ultrasearch::highlight
