// Word-level Uzbek script conversion used by the analyzers (lowercase in, lowercase out), cached
// per thread. The public, case-preserving text API is ultrasearch_analyzers/uzbek_script.h.
#pragma once

#include <string>
#include <string_view>

namespace ultrasearch::analyzers {

// One lowercase Uzbek Cyrillic word (may contain other letters, left alone) → Latin with ʻ and ʼ.
std::string UzCyrlWordToLatn(std::string_view lower_word);

// One lowercase Uzbek Latin word with apostrophes folded to ʻ/ʼ → Cyrillic.
std::string UzLatnWordToCyrl(std::string_view lower_word);

}  // namespace ultrasearch::analyzers
