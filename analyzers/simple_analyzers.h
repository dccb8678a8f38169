// Elasticsearch's built-in analyzers: standard, keyword, whitespace.
#pragma once

#include <memory>

#include "ultrasearch/analysis.h"

namespace ultrasearch::analyzers {

// `standard`: Unicode word break (UAX #29, ICU BreakIterator), lowercased; types <ALPHANUM>, <NUM>...
std::shared_ptr<const Analyzer> MakeStandardAnalyzer();
// `keyword`: the whole input as one token (none for empty input), type "word".
std::shared_ptr<const Analyzer> MakeKeywordAnalyzer();
// `whitespace`: split on Unicode whitespace, no lowercasing, type "word".
std::shared_ptr<const Analyzer> MakeWhitespaceAnalyzer();

}  // namespace ultrasearch::analyzers
