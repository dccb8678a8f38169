// Russian: ё → е folding and the Snowball Russian stemmer (Xapian's).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "ultrasearch/analysis.h"

namespace ultrasearch::analyzers {

// Replaces ё/Ё by е/Е (UTF-8 in, UTF-8 out).
std::string FoldYo(std::string_view word);

// The Snowball Russian stem of a lowercase word, after ё → е. Words with no Cyrillic letter are
// returned unchanged. Thread-safe (one Xapian::Stem per thread).
std::string RussianStem(std::string_view word);

// `ru`: ICU word break, NFKC case folding, ё → е, Snowball Russian stem.
std::shared_ptr<const Analyzer> MakeRussianAnalyzer();

}  // namespace ultrasearch::analyzers
