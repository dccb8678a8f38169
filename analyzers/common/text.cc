#include "common/text.h"

#include <memory>
#include <mutex>

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/ubrk.h>

#include "ultrasearch/utf8.h"

namespace ultrasearch::analyzers {
namespace {

const icu::Normalizer2* NfkcCasefold() {
  static const icu::Normalizer2* normalizer = [] {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* n = icu::Normalizer2::getNFKCCasefoldInstance(status);
    return U_SUCCESS(status) ? n : nullptr;
  }();
  return normalizer;
}

// The prototype is created once; every thread clones its own (BreakIterator is stateful).
icu::BreakIterator* ThreadWordBreaker() {
  static const std::unique_ptr<icu::BreakIterator> prototype = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::BreakIterator> bi(
        icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
    if (U_FAILURE(status)) bi.reset();
    return bi;
  }();
  thread_local std::unique_ptr<icu::BreakIterator> mine(prototype ? prototype->clone() : nullptr);
  return mine.get();
}

bool IsOorG(char16_t c) { return c == u'o' || c == u'O' || c == u'g' || c == u'G'; }

}  // namespace

icu::UnicodeString FromUtf8(std::string_view text) {
  return icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
}

void SegmentWords(const icu::UnicodeString& text, std::vector<Segment>* out) {
  icu::BreakIterator* bi = ThreadWordBreaker();
  if (bi == nullptr) return;
  bi->setText(text);
  int32_t start = bi->first();
  for (int32_t end = bi->next(); end != icu::BreakIterator::DONE; start = end, end = bi->next()) {
    int32_t status = bi->getRuleStatus();
    if (status == UBRK_WORD_NONE) continue;
    out->push_back(Segment{start, end, status});
  }
  // Drop the iterator's alias to the caller's string.
  bi->setText(icu::UnicodeString());
}

const char* TokenTypeForStatus(int32_t rule_status) {
  if (rule_status >= UBRK_WORD_NUMBER && rule_status < UBRK_WORD_NUMBER_LIMIT) return "<NUM>";
  if (rule_status >= UBRK_WORD_KANA && rule_status < UBRK_WORD_KANA_LIMIT) return "<HIRAGANA>";
  if (rule_status >= UBRK_WORD_IDEO && rule_status < UBRK_WORD_IDEO_LIMIT) return "<IDEOGRAPHIC>";
  return "<ALPHANUM>";
}

std::string CaseFoldUtf8(const icu::UnicodeString& text, int32_t start, int32_t end) {
  std::string out;
  const char16_t* p = text.getBuffer();
  bool ascii = true;
  for (int32_t i = start; i < end; ++i) {
    if (p[i] >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) {
    out.reserve(end - start);
    for (int32_t i = start; i < end; ++i) {
      char c = static_cast<char>(p[i]);
      out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c);
    }
    return out;
  }
  icu::UnicodeString piece(text, start, end - start);
  const icu::Normalizer2* n = NfkcCasefold();
  if (n != nullptr) {
    UErrorCode status = U_ZERO_ERROR;
    icu::UnicodeString folded = n->normalize(piece, status);
    if (U_SUCCESS(status)) piece = std::move(folded);
  }
  piece.toUTF8String(out);
  return out;
}

std::string LowerUtf8(const icu::UnicodeString& text, int32_t start, int32_t end) {
  icu::UnicodeString piece(text, start, end - start);
  piece.toLower(icu::Locale::getRoot());
  std::string out;
  piece.toUTF8String(out);
  return out;
}

bool IsApostropheLike(char16_t c) {
  switch (c) {
    case 0x0027: case 0x0060: case 0x00B4: case 0x02B9: case 0x02BB: case 0x02BC:
    case 0x02BD: case 0x2018: case 0x2019: case 0x02C8:
      return true;
    default:
      return false;
  }
}

void FoldApostrophes(icu::UnicodeString* text) {
  const int32_t n = text->length();
  for (int32_t i = 1; i < n; ++i) {
    char16_t c = text->charAt(i);
    if (!IsApostropheLike(c)) continue;
    char16_t prev = text->charAt(i - 1);
    if (!u_isalpha(prev)) continue;
    bool next_letter = i + 1 < n && u_isalpha(text->charAt(i + 1)) && !IsApostropheLike(text->charAt(i + 1));
    if (!next_letter && !IsOorG(prev)) continue;
    text->setCharAt(i, IsOorG(prev) ? kTurnedComma : kApostrophe);
  }
}

bool HasCyrillic(std::string_view word) {
  for (size_t i = 0; i < word.size();) {
    const char32_t c = NextCodePoint(word, &i);
    if (c >= 0x0400 && c <= 0x04FF) return true;
  }
  return false;
}

}  // namespace ultrasearch::analyzers
