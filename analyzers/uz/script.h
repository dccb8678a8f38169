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

// Rewrites the other Latin spellings Uzbek text uses in one lowercase word into the 1995 forms:
// the letters of the 1993 alphabet and of the reform drafts (ş ç ğ ḡ õ ō ö ŋ → sh ch gʻ gʻ oʻ
// oʻ oʻ ng) and the letter-by-letter spellings of the loans the rules write with a plain vowel
// (sentyabr → sentabr, byudjet → budjet). Returns whether the word changed.
bool FoldUzLatinSpelling(std::string* lower_word);

// True when a lowercase Cyrillic word starts with one of those loans (сентябрь, бюджет): an
// Uzbek word too, whatever its ending suggests.
bool IsUzLoanWithOwnSpelling(std::string_view lower_cyrillic);

}  // namespace ultrasearch::analyzers
