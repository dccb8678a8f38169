#include "uz/script.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <unordered_map>

#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/locid.h>

#include "common/text.h"
#include "uz/translit_rules.h"
#include "ultrasearch/utf8.h"
#include "ultrasearch_analyzers/uzbek_script.h"

namespace ultrasearch::analyzers {
namespace {

std::unique_ptr<icu::Transliterator> Build(const char* id, const icu::UnicodeString& rules) {
  UErrorCode status = U_ZERO_ERROR;
  UParseError parse_error;
  std::unique_ptr<icu::Transliterator> t(icu::Transliterator::createFromRules(
      icu::UnicodeString(id), rules, UTRANS_FORWARD, parse_error, status));
  if (U_FAILURE(status)) return nullptr;
  return t;
}

// One rule per listed loan stem, `from > to;`, tried before the letter rules.
icu::UnicodeString LoanRules(bool to_latin) {
  icu::UnicodeString rules;
  for (const UzLoanSpelling& loan : UzLoanSpellings()) {
    rules += FromUtf8(to_latin ? loan.cyrillic : loan.latin);
    rules += u" > ";
    rules += FromUtf8(to_latin ? loan.latin : loan.cyrillic);
    rules += u";\n";
  }
  return rules;
}

// The prototypes are built once (parsing rules is slow); each thread clones its own.
icu::Transliterator* ThreadCyrlToLatn() {
  static const std::unique_ptr<icu::Transliterator> prototype = Build(
      "ultrasearch-uz_Cyrl-uz_Latn", LoanRules(/*to_latin=*/true) + kUzCyrlToLatnRules);
  thread_local std::unique_ptr<icu::Transliterator> mine(prototype ? prototype->clone() : nullptr);
  return mine.get();
}

icu::Transliterator* ThreadLatnToCyrl() {
  static const std::unique_ptr<icu::Transliterator> prototype =
      Build("ultrasearch-uz_Latn-uz_Cyrl", icu::UnicodeString(kUzLatnToCyrlWordRules) +
                                               LoanRules(/*to_latin=*/false) + kUzLatnToCyrlRules);
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

// The letters of the 1993 alphabet and of the reform drafts, lowercase, with their 1995 spelling
// (ș, s with a comma, is typed for ş). ʻ is U+02BB, as folded apostrophes are.
struct VariantLetter {
  char32_t letter;
  const char* spelling;
};
constexpr VariantLetter kVariantLetters[] = {
    {U'ş', "sh"}, {U'ș', "sh"}, {U'ç', "ch"}, {U'ğ', "g\u02BB"}, {U'ḡ', "g\u02BB"},
    {U'õ', "o\u02BB"}, {U'ō', "o\u02BB"}, {U'ö', "o\u02BB"}, {U'ŋ', "ng"}};

const char* VariantSpelling(char32_t c) {
  for (const VariantLetter& v : kVariantLetters) {
    if (v.letter == c) return v.spelling;
  }
  return nullptr;
}

bool StartsWith(std::string_view s, std::string_view head) { return s.substr(0, head.size()) == head; }

}  // namespace

bool FoldUzLatinSpelling(std::string* word) {
  bool changed = false;
  // Non-ASCII letters: most words have none, so they cost one scan.
  if (std::any_of(word->begin(), word->end(), [](char c) { return (c & 0x80) != 0; })) {
    std::string out;
    out.reserve(word->size() + 4);
    size_t i = 0;
    while (i < word->size()) {
      size_t start = i;
      char32_t c = NextCodePoint(*word, &i);
      if (const char* spelling = VariantSpelling(c)) {
        out += spelling;
        changed = true;
      } else {
        out.append(*word, start, i - start);
      }
    }
    if (changed) *word = std::move(out);
  }
  // Every letter-by-letter loan spelling has a y (sentyabr, byudjet).
  if (word->find('y') != std::string::npos) {
    for (const UzLoanSpelling& loan : UzLoanSpellings()) {
      if (StartsWith(*word, loan.letter_by_letter)) {
        word->replace(0, std::strlen(loan.letter_by_letter), loan.latin);
        return true;
      }
    }
  }
  return changed;
}

bool IsUzLoanWithOwnSpelling(std::string_view lower_cyrillic) {
  return std::any_of(UzLoanSpellings().begin(), UzLoanSpellings().end(),
                     [&](const UzLoanSpelling& loan) { return StartsWith(lower_cyrillic, loan.cyrillic); });
}

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
