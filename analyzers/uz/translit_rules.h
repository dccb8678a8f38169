// Our own ICU transliteration rules for Uzbek Cyrillic ⇄ Latin (lowercase words in, lowercase out).
// ICU's built-in uz_Latn-uz_Cyrl / uz_Cyrl-uz_Latn get mid-word e, ц, ъ and ASCII apostrophes wrong.
#pragma once

#include <span>

namespace ultrasearch::analyzers {

// Rules for one lowercase Uzbek Cyrillic word → Latin with ʻ (U+02BB) and ʼ (U+02BC).
extern const char16_t kUzCyrlToLatnRules[];
// Rules for one lowercase Uzbek Latin word (apostrophes already folded to ʻ / ʼ) → Cyrillic:
// the whole-word rules first, then the loans (UzLoanSpellings), then the letter rules.
extern const char16_t kUzLatnToCyrlWordRules[];
extern const char16_t kUzLatnToCyrlRules[];

// A Russian loan whose ё/ю/я after a consonant only marks the consonant soft, which the 1995
// rules' appendix (rule 1.2a) writes as a plain o/u/a: бюджет → budjet, сентябрь → sentabr.
// The rules leave the other such loans to the spelling dictionary (плёнка → plyonka, бюрократ →
// byurokrat), and native words always read y + vowel (дунё → dunyo), so the default stays
// yo/yu/ya and these stems are listed. Lowercase UTF-8; the stems start a word.
struct UzLoanSpelling {
  const char* cyrillic;          // stem as Cyrillic writes it
  const char* latin;             // the rules' Latin spelling
  const char* letter_by_letter;  // the Latin spelling a letter-by-letter transliteration gives
};
std::span<const UzLoanSpelling> UzLoanSpellings();

}  // namespace ultrasearch::analyzers
