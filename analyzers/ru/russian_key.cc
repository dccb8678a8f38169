#include "ru/russian_key.h"

#include <xapian.h>

#include "common/text.h"
#include "ultrasearch/utf8.h"

namespace ultrasearch::analyzers {
namespace {

// Reduced alphabet: а б в г д е ж з и к л м н о п р с т у ф х ц ч ш ю я.
char32_t ReduceCyrillic(char32_t c) {
  switch (c) {
    case U'ь': case U'ъ': return 0;
    case U'ё': case U'э': return U'е';
    case U'щ': return U'ш';
    case U'й': case U'ы': return U'и';
    case U'ў': return U'у';
    case U'қ': return U'к';
    case U'ғ': return U'г';
    case U'ҳ': return U'х';
    default: return c;
  }
}

bool IsReducedLetter(char32_t c) { return c >= U'а' && c <= U'я'; }

const char* SpellLatin(char32_t c) {
  static const char* const kSpelling[32] = {
      "a", "b", "v", "g", "d", "e", "zh", "z", "i", "i", "k", "l", "m", "n", "o", "p",
      "r", "s", "t", "u", "f", "h", "c", "ch", "sh", "sh", "", "i", "", "e", "yu", "ya"};
  return kSpelling[c - U'а'];
}

std::string StemAndSpell(const std::string& reduced) {
  if (reduced.empty()) return {};
  thread_local Xapian::Stem stemmer("russian");
  std::string stem = stemmer(reduced);
  std::string out;
  out.reserve(stem.size());
  size_t i = 0;
  while (i < stem.size()) {
    char32_t c = NextCodePoint(stem, &i);
    if (!IsReducedLetter(c)) continue;
    // т+с sounds and is typed as ц (детская: detskaya, deckaya): both are spelled c, as ц is.
    if (c == U'т' && stem.compare(i, 2, "с") == 0) {
      out += 'c';
      i += 2;
      continue;
    }
    out += SpellLatin(c);
  }
  return out;
}

}  // namespace

std::string RussianKeyFromCyrillic(std::string_view lower_word, bool initial_e_is_ye) {
  std::string reduced;
  if (initial_e_is_ye) AppendUtf8(U'и', &reduced);  // as Latin ye- reads (below)
  size_t i = 0;
  while (i < lower_word.size()) {
    char32_t c = ReduceCyrillic(NextCodePoint(lower_word, &i));
    if (c == 0) continue;
    if (!IsReducedLetter(c)) return {};
    AppendUtf8(c, &reduced);
  }
  return StemAndSpell(reduced);
}

std::string RussianKeyFromLatin(std::string_view w) {
  std::string reduced;
  auto put = [&reduced](char32_t c) { AppendUtf8(c, &reduced); };
  auto at = [&w](size_t k) { return k < w.size() ? w[k] : '\0'; };
  size_t i = 0;
  while (i < w.size()) {
    auto c = static_cast<unsigned char>(w[i]);
    if (c == 0xCA && (at(i + 1) == '\xBB' || at(i + 1) == '\xBC')) {  // ʻ ʼ
      i += 2;
      continue;
    }
    if (c == '\'' || c == '`') {
      ++i;
      continue;
    }
    if (c < 'a' || c > 'z') return {};
    std::string_view rest = w.substr(i);
    if (rest.starts_with("shch")) { put(U'ш'); i += 4; continue; }
    if (rest.starts_with("sch")) { put(U'ш'); i += 3; continue; }
    if (rest.starts_with("sh")) { put(U'ш'); i += 2; continue; }
    if (rest.starts_with("ch")) { put(U'ч'); i += 2; continue; }
    if (rest.starts_with("zh")) { put(U'ж'); i += 2; continue; }
    if (rest.starts_with("kh")) { put(U'х'); i += 2; continue; }
    // ts is read as т+с (детская is typed detskaya), which the key spells c, as it spells ц: so
    // tsirk, cirk and цирк meet too.
    if (c == 'y' && (at(i + 1) == 'a' || at(i + 1) == 'u' || at(i + 1) == 'o' || at(i + 1) == 'e')) {
      // ya → я, yu → ю; yo/ye → е, but after a consonant a separating ь/ъ (dropped anyway).
      // A word-initial ye keeps its y (и): Uzbek yer (earth) and er (man), yeng and eng are
      // different words, and Russian typed in Latin writes initial е as plain e.
      char v = at(i + 1);
      if (i == 0 && v == 'e') put(U'и');
      put(v == 'a' ? U'я' : v == 'u' ? U'ю' : U'е');
      i += 2;
      continue;
    }
    switch (c) {
      case 'a': put(U'а'); break;
      case 'b': put(U'б'); break;
      case 'c': put(U'ц'); break;
      case 'd': put(U'д'); break;
      case 'e': put(U'е'); break;
      case 'f': put(U'ф'); break;
      case 'g': put(U'г'); break;
      case 'h': case 'x': put(U'х'); break;
      case 'i': case 'y': put(U'и'); break;
      case 'j': put(U'ж'); break;
      case 'k': case 'q': put(U'к'); break;
      case 'l': put(U'л'); break;
      case 'm': put(U'м'); break;
      case 'n': put(U'н'); break;
      case 'o': put(U'о'); break;
      case 'p': put(U'п'); break;
      case 'r': put(U'р'); break;
      case 's': put(U'с'); break;
      case 't': put(U'т'); break;
      case 'u': put(U'у'); break;
      case 'v': case 'w': put(U'в'); break;
      case 'z': put(U'з'); break;
      default: return {};
    }
    ++i;
  }
  return StemAndSpell(reduced);
}

}  // namespace ultrasearch::analyzers
