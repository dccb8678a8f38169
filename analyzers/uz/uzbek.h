// Uzbek: script folding, apostrophe folding and the suffix-stripping stemmer, per word.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "ultrasearch/analysis.h"

namespace ultrasearch::analyzers {

// The `uz` term of one casefolded word (apostrophes folded to ʻ/ʼ): Cyrillic is transliterated
// with our 1995 rules, the word is stemmed and its marks removed (see README.md).
std::string UzbekTerm(std::string_view word);

// `uz`: ICU word break, NFKC case folding, apostrophe folding, Cyrillic → Latin, Uzbek stemmer,
// canonical form without oʻ/gʻ marks and tutuq.
std::shared_ptr<const Analyzer> MakeUzbekAnalyzer();

}  // namespace ultrasearch::analyzers
