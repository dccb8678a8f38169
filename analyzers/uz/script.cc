#include "uz/script.h"

#include <memory>
#include <unordered_map>

#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/locid.h>

#include "common/text.h"
#include "uz/translit_rules.h"
#include "ultrasearch_analyzers/uzbek_script.h"

namespace ultrasearch::analyzers {
namespace {

std::unique_ptr<icu::Transliterator> Build(const char* id, const char16_t* rules) {
  UErrorCode status = U_ZERO_ERROR;
  UParseError parse_error;
  std::unique_ptr<icu::Transliterator> t(icu::Transliterator::createFromRules(
      icu::UnicodeString(id), icu::UnicodeString(rules), UTRANS_FORWARD, parse_error, status));
  if (U_FAILURE(status)) return nullptr;
  return t;
}

// The prototypes are built once (parsing rules is slow); each thread clones its own.
icu::Transliterator* ThreadCyrlToLatn() {
  static const std::unique_ptr<icu::Transliterator> prototype =
      Build("ultrasearch-uz_Cyrl-uz_Latn", kUzCyrlToLatnRules);
  thread_local std::unique_ptr<icu::Transliterator> mine(prototype ? prototype->clone() : nullptr);
  return mine.get();
}

icu::Transliterator* ThreadLatnToCyrl() {
  static const std::unique_ptr<icu::Transliterator> prototype =
      Build("ultrasearch-uz_Latn-uz_Cyrl", kUzLatnToCyrlRules);
  thread_local std::unique_ptr<icu::Transliterator> mine(prototype ? prototype->clone() : nullptr);
  return mine.get();
}

void Apply(icu::Transliterator* t, icu::UnicodeString* s) {
  if (t != nullptr) t->transliterate(*s);
}

std::string Convert(icu::Transliterator* t, std::string_view word) {
  icu::UnicodeString s = FromUtf8(word);
  Apply(t, &s);
  std::string out;
  s.toUTF8String(out);
  return out;
}

// Bounded per-thread memo: catalog vocabularies repeat, ICU transliteration is slow.
using Memo = std::unordered_map<std::string, std::string>;
constexpr size_t kMemoLimit = 1 << 16;

const std::string& Memoized(Memo* memo, icu::Transliterator* t, std::string_view word) {
  if (memo->size() >= kMemoLimit) memo->clear();
  auto [it, inserted] = memo->try_emplace(std::string(word));
  if (inserted) it->second = Convert(t, word);
  return it->second;
}

enum class Casing { kLower, kTitle, kUpper };

// Converts every word of `text` (runs of letters and in-word apostrophes) with `t`, keeping the
// word's case pattern. Word starts are string starts, so the rules' `^` sees them.
std::string ConvertText(std::string_view text, icu::Transliterator* t, bool fold_apostrophes) {
  icu::UnicodeString in = FromUtf8(text);
  if (fold_apostrophes) FoldApostrophes(&in);
  icu::UnicodeString out;
  const int32_t n = in.length();
  int32_t i = 0;
  while (i < n) {
    UChar32 c = in.char32At(i);
    if (!u_isalpha(c)) {
      out.append(c);
      i = in.moveIndex32(i, 1);
      continue;
    }
    int32_t start = i;
    int upper = 0, letters = 0;
    bool first_upper = u_isupper(c);
    while (i < n) {
      UChar32 d = in.char32At(i);
      if (!u_isalpha(d)) break;
      if (u_isupper(d)) ++upper;
      if (d != kTurnedComma && d != kApostrophe) ++letters;
      i = in.moveIndex32(i, 1);
    }
    Casing casing = (upper == letters && letters > 1) ? Casing::kUpper
                    : first_upper                    ? Casing::kTitle
                                                     : Casing::kLower;
    icu::UnicodeString word(in, start, i - start);
    word.toLower(icu::Locale::getRoot());
    Apply(t, &word);
    if (casing == Casing::kUpper) {
      word.toUpper(icu::Locale::getRoot());
    } else if (casing == Casing::kTitle && word.length() > 0) {
      UChar32 head = word.char32At(0);
      word.replace(0, U16_LENGTH(head), u_toupper(head));
    }
    out.append(word);
  }
  std::string result;
  out.toUTF8String(result);
  return result;
}

}  // namespace

std::string UzCyrlWordToLatn(std::string_view lower_word) {
  thread_local Memo memo;
  return Memoized(&memo, ThreadCyrlToLatn(), lower_word);
}

std::string UzLatnWordToCyrl(std::string_view lower_word) {
  thread_local Memo memo;
  return Memoized(&memo, ThreadLatnToCyrl(), lower_word);
}

std::string UzCyrillicToLatin(std::string_view text) {
  return ConvertText(text, ThreadCyrlToLatn(), /*fold_apostrophes=*/false);
}

std::string UzLatinToCyrillic(std::string_view text) {
  return ConvertText(text, ThreadLatnToCyrl(), /*fold_apostrophes=*/true);
}

}  // namespace ultrasearch::analyzers
