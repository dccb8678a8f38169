#include "normalizers.h"

#include <unicode/unistr.h>

#include "common/text.h"
#include "ultrasearch_analyzers/uzbek_script.h"

namespace ultrasearch::analyzers {

std::string LowercaseNormalize(std::string_view value) {
  icu::UnicodeString text = icu::UnicodeString::fromUTF8(icu::StringPiece(value.data(), static_cast<int32_t>(value.size())));
  return LowerUtf8(text, 0, text.length());
}

std::string CatalogNormalize(std::string_view value) {
  icu::UnicodeString text = icu::UnicodeString::fromUTF8(icu::StringPiece(value.data(), static_cast<int32_t>(value.size())));
  text.findAndReplace(u"ё", u"е").findAndReplace(u"Ё", u"Е");
  std::string utf8;
  text.toUTF8String(utf8);
  // Latin first, then apostrophes (the transliteration writes oʻ; users type o', o`, o’...).
  icu::UnicodeString latin = icu::UnicodeString::fromUTF8(UzCyrillicToLatin(utf8));
  FoldApostrophes(&latin);
  std::string folded = CaseFoldUtf8(latin, 0, latin.length());
  // One space between words, none around: "Maishiy  texnika " is "maishiy texnika".
  std::string out;
  out.reserve(folded.size());
  bool pending_space = false;
  for (char c : folded) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(c);
  }
  return out;
}

}  // namespace ultrasearch::analyzers
