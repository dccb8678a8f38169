#include "ultrasearch_analyzers/keyboard_layout.h"

#include <cctype>

#include <unicode/uchar.h>

#include "common/text.h"
#include "ultrasearch/utf8.h"

namespace ultrasearch::analyzers {
namespace {

// The same key on both layouts, unshifted, in keyboard order.
constexpr char kQwerty[] = "qwertyuiop[]asdfghjkl;'zxcvbnm,.`";
constexpr char32_t kJcuken[] = U"йцукенгшщзхъфывапролджэячсмитьбюё";
// Shifted punctuation keys and their capitals.
constexpr char kQwertyShift[] = "{}:\"<>~";
constexpr char32_t kJcukenShift[] = U"ХЪЖЭБЮЁ";

bool IsPunctKey(char c) {
  return c == '[' || c == ']' || c == ';' || c == '\'' || c == ',' || c == '.' || c == '`' ||
         c == '{' || c == '}' || c == ':' || c == '"' || c == '<' || c == '>' || c == '~';
}

// Cyrillic letter of a QWERTY key, or 0.
char32_t KeyToCyrillic(char c) {
  char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
  for (size_t k = 0; kQwerty[k] != 0; ++k) {
    if (kQwerty[k] == lower) {
      char32_t cy = kJcuken[k];
      return lower != c ? u_toupper(cy) : cy;
    }
  }
  for (size_t k = 0; kQwertyShift[k] != 0; ++k) {
    if (kQwertyShift[k] == c) return kJcukenShift[k];
  }
  return 0;
}

// QWERTY key of a Cyrillic letter, or 0.
char CyrillicToKey(char32_t c) {
  char32_t lower = u_tolower(c);
  for (size_t k = 0; kJcuken[k] != 0; ++k) {
    if (kJcuken[k] == lower) {
      char key = kQwerty[k];
      if (lower != c) {
        if (key >= 'a' && key <= 'z') return static_cast<char>(key - 32);
        for (size_t s = 0; kJcukenShift[s] != 0; ++s) {
          if (kJcukenShift[s] == c) return kQwertyShift[s];
        }
      }
      return key;
    }
  }
  return 0;
}

bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Keys that end a Cyrillic word far more often than they end a sentence: х ъ ж э (and capitals).
bool IsWordEndLetterKey(char c) {
  return c == '[' || c == ']' || c == ';' || c == '\'' || c == '{' || c == '}' || c == ':' || c == '"';
}

// Every word has a vowel and no run of five consonants (vowels per script given).
bool LooksLikeWords(std::string_view text, std::u32string_view vowels) {
  size_t i = 0, run = 0;
  bool word_has_vowel = false, in_word = false;
  while (i <= text.size()) {
    char32_t c = i < text.size() ? NextCodePoint(text, &i) : (++i, U' ');
    if (u_isalpha(c)) {
      in_word = true;
      if (vowels.find(u_tolower(c)) != std::u32string_view::npos) {
        word_has_vowel = true;
        run = 0;
      } else if (++run >= 5) {
        return false;
      }
    } else if (c == U' ' || c == U'\t' || u_isdigit(c)) {
      if (in_word && !word_has_vowel) return false;
      in_word = word_has_vowel = false;
      run = 0;
    }
  }
  return true;
}

// Cyrillic typed on the wrong layout gives QWERTY keys; the keys of х ъ ж э б ю ё are punctuation.
// A Latin word may hold an apostrophe (' or `, from э or ё) between letters (o'zbek typed as
// щэяиул) and end with , or . (б, ю before a space); any other punctuation key means the text
// was Cyrillic after all (кухня → re[yz, нож → yj;), so the conversion is no query.
bool PlausibleLatinPunctuation(std::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (!IsPunctKey(c)) continue;
    const bool letter_before = i > 0 && IsAsciiLetter(text[i - 1]);
    const bool letter_after = i + 1 < text.size() && IsAsciiLetter(text[i + 1]);
    const bool word_end = i + 1 == text.size() || std::isspace(static_cast<unsigned char>(text[i + 1]));
    if ((c == '\'' || c == '`') && letter_before && letter_after) continue;
    if ((c == ',' || c == '.') && letter_before && word_end) continue;
    return false;
  }
  return true;
}

// QwertyToJcuken; with `word_end_bu` a comma or full stop ending a word after a letter is read
// as б / ю too (клуб is rke,), which as punctuation is the likelier reading.
std::string QwertyToJcukenReading(std::string_view text, bool word_end_bu) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    bool inside = i > 0 && i + 1 < text.size() && !std::isspace(static_cast<unsigned char>(text[i - 1])) &&
                  !std::isspace(static_cast<unsigned char>(text[i + 1]));
    bool at_start = (i == 0 || std::isspace(static_cast<unsigned char>(text[i - 1]))) &&
                    i + 1 < text.size() && IsAsciiLetter(text[i + 1]);
    // After a word's last letter the keys of х ъ ж э are letters (нож is yj;, новых is yjds[);
    // a comma or full stop there stays punctuation unless `word_end_bu`.
    bool at_end = i > 0 && IsAsciiLetter(text[i - 1]) && !inside &&
                  (IsWordEndLetterKey(c) || (word_end_bu && (c == ',' || c == '.')));
    char32_t cy = (IsPunctKey(c) && !inside && !at_start && !at_end) ? 0 : KeyToCyrillic(c);
    if (cy != 0) {
      AppendUtf8(cy, &out);
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace

std::string QwertyToJcuken(std::string_view text) { return QwertyToJcukenReading(text, false); }

std::string JcukenToQwerty(std::string_view text) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    size_t at = i;
    char32_t c = NextCodePoint(text, &i);
    char key = CyrillicToKey(c);
    if (key != 0) {
      out.push_back(key);
    } else {
      out.append(text.substr(at, i - at));
    }
  }
  return out;
}

std::vector<std::string> WrongLayoutCandidates(std::string_view query) {
  bool latin = false, cyrillic = false, other = false;
  size_t i = 0;
  while (i < query.size()) {
    char32_t c = NextCodePoint(query, &i);
    if (c < 0x80) {
      if (IsAsciiLetter(static_cast<char>(c))) latin = true;
    } else if (CyrillicToKey(c) != 0) {
      cyrillic = true;
    } else if (!u_isWhitespace(c)) {
      other = true;
    }
  }
  std::vector<std::string> out;
  if (other || latin == cyrillic) return out;
  if (latin) {
    for (bool word_end_bu : {false, true}) {
      std::string converted = QwertyToJcukenReading(query, word_end_bu);
      if (converted == query || (!out.empty() && out.back() == converted)) continue;
      if (LooksLikeWords(converted, U"аеёиоуыэюяў")) out.push_back(std::move(converted));
    }
  } else {
    std::string converted = JcukenToQwerty(query);
    if (PlausibleLatinPunctuation(converted) && LooksLikeWords(converted, U"aeiouy")) out.push_back(converted);
  }
  return out;
}

}  // namespace ultrasearch::analyzers
