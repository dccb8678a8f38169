#include "common/text.h"

#include <memory>
#include <mutex>

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/ubrk.h>

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

icu::UnicodeString DecodeUtf8(std::string_view text) {
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

char32_t NextCodePoint(std::string_view s, size_t* i) {
  auto b = static_cast<unsigned char>(s[*i]);
  if (b < 0x80) {
    ++*i;
    return b;
  }
  int len = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 0;
  if (len == 0 || *i + len > s.size()) {
    ++*i;
    return 0xFFFD;
  }
  char32_t cp = b & (0x7F >> len);
  for (int k = 1; k < len; ++k) {
    auto c = static_cast<unsigned char>(s[*i + k]);
    if ((c & 0xC0) != 0x80) {
      ++*i;
      return 0xFFFD;
    }
    cp = (cp << 6) | (c & 0x3F);
  }
  *i += len;
  return cp;
}

void AppendUtf8(char32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

bool HasCyrillic(std::string_view word) {
  for (unsigned char c : word) {
    if (c >= 0xD0 && c <= 0xD3) return true;  // lead bytes of U+0400..U+04FF
  }
  return false;
}

}  // namespace ultrasearch::analyzers
