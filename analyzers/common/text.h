// Shared text plumbing for the ICU based analyzers: UTF-8 → UTF-16, ICU word segmentation
// (per-thread BreakIterator), NFKC case folding (one shared immutable Normalizer2) and the
// folding of the many apostrophes Uzbek writers use. Code-point level UTF-8 (NextCodePoint,
// AppendUtf8) comes from ultrasearch/utf8.h, shared with the engine.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <unicode/unistr.h>

namespace ultrasearch::analyzers {

// UTF-8 to ICU's UTF-16 string; invalid sequences become U+FFFD. Never fails.
icu::UnicodeString FromUtf8(std::string_view text);

// One word found by the ICU word break rules (UAX #29), in UTF-16 code units of the input.
struct Segment {
  int32_t start = 0;
  int32_t end = 0;
  int32_t rule_status = 0;  // UBRK_WORD_NUMBER, UBRK_WORD_LETTER, ...
};

// Appends the word segments of `text` (segments of punctuation and spaces are skipped).
// Thread-safe: uses a BreakIterator private to the calling thread.
void SegmentWords(const icu::UnicodeString& text, std::vector<Segment>* out);

// Elasticsearch's token type for an ICU word rule status: <NUM>, <ALPHANUM>, <IDEOGRAPHIC>...
const char* TokenTypeForStatus(int32_t rule_status);

// NFKC_Casefold of text[start, end) as UTF-8 (ASCII takes a fast path). Thread-safe.
std::string CaseFoldUtf8(const icu::UnicodeString& text, int32_t start, int32_t end);

// Plain lowercasing (as Lucene's LowerCaseFilter) of text[start, end) as UTF-8.
std::string LowerUtf8(const icu::UnicodeString& text, int32_t start, int32_t end);

// The Uzbek oʻ/gʻ mark and the tutuq belgisi after folding.
inline constexpr char16_t kTurnedComma = 0x02BB;  // ʻ as in oʻ, gʻ
inline constexpr char16_t kApostrophe = 0x02BC;   // ʼ tutuq belgisi

// True for the characters Uzbek writers use as oʻ/gʻ marks or tutuq: ʻ ʼ ' ’ ‘ ` ´ ʹ.
bool IsApostropheLike(char16_t c);

// Rewrites in place (same length, so offsets stay valid) every apostrophe-like character that
// follows a letter and precedes a letter — or ends a word after o/g — into ʻ (after o/g) or ʼ
// (elsewhere). Both are letters for the word breaker, so "o'zbek" and "o`zbek" stay one word.
void FoldApostrophes(icu::UnicodeString* text);

// True when the UTF-8 word contains a Cyrillic letter (U+0400..U+04FF: Russian and Uzbek).
bool HasCyrillic(std::string_view word);

}  // namespace ultrasearch::analyzers
