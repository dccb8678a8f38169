#include "uz/stemmer.h"

#include <iterator>
#include <string>
#include <unordered_map>
#include <vector>

#include "uz/lexicon.h"

namespace ultrasearch::analyzers {
namespace {

// Working alphabet: ASCII lowercase, ` for ʻ (U+02BB, UTF-8 CA BB), ' for ʼ (U+02BC, CA BC).
// Returns false when the word has anything else (digits, other scripts): no stemming then.
bool ToWorking(std::string_view word, std::string* out) {
  out->clear();
  for (size_t i = 0; i < word.size(); ++i) {
    auto c = static_cast<unsigned char>(word[i]);
    if (c >= 'a' && c <= 'z') {
      out->push_back(static_cast<char>(c));
    } else if (c == 0xCA && i + 1 < word.size() &&
               (static_cast<unsigned char>(word[i + 1]) == 0xBB ||
                static_cast<unsigned char>(word[i + 1]) == 0xBC)) {
      out->push_back(static_cast<unsigned char>(word[i + 1]) == 0xBB ? '`' : '\'');
      ++i;
    } else {
      return false;
    }
  }
  return true;
}

bool IsVowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }

bool EndsWith(std::string_view s, std::string_view tail) {
  return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail;
}

// Letters, not bytes of marks: o`zbek has five.
size_t Letters(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (c != '`' && c != '\'');
  return n;
}

size_t Vowels(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += IsVowel(c);
  return n;
}

// The last real letter (skipping marks): a vowel for "bola", a consonant for "tog`".
char LastLetter(std::string_view s) {
  for (size_t i = s.size(); i > 0; --i) {
    if (s[i - 1] != '`' && s[i - 1] != '\'') {
      // o` is a vowel, g` a consonant: both end in their base letter here.
      return s[i - 1];
    }
  }
  return 0;
}

enum class After { kAny, kVowel, kConsonant, kK, kQ };

struct Suffix {
  std::string_view text;
  After after;
  size_t min_stem;  // letters left at least
  // kNever: stripped only when that leaves a known root (kitobim → kitob), never by the greedy
  // rules, because more nouns end in these letters than in "my"/"your" (bayram, yordam, raqam
  // are roots, not bayra + -m). kPolysyllabic: greedily only from stems of two syllables or more:
  // nouns in -im/-ing are mostly one-syllable verb roots plus -im (bosim, yechim, oqim, xodim,
  // miting), while aytishim, bolganim, atrofim are possessives.
  // kLong: greedily only from stems of three syllables or more (tajribam, respublikam).
  enum class Greedy { kAlways, kPolysyllabic, kLong, kNever } greedy = Greedy::kAlways;
};

// Longest first within a slot.
constexpr Suffix kParticles[] = {
    {"gina", After::kAny, 4}, {"kina", After::kAny, 4}, {"qina", After::kAny, 4},
    {"dir", After::kConsonant, 4}, {"mi", After::kConsonant, 4},
};
// Bare -gi (kechagi) is on the protected list instead: as a suffix it eats voiced possessives
// (tilagi is tilak + -i, not tila + -gi).
constexpr Suffix kAttributive[] = {{"dagi", After::kAny, 2}};
constexpr Suffix kCases[] = {
    {"gacha", After::kAny, 3}, {"ning", After::kAny, 2}, {"dan", After::kAny, 2},
    {"ni", After::kAny, 3},    {"ga", After::kAny, 3},   {"ka", After::kK, 3},
    {"qa", After::kQ, 3},      {"da", After::kAny, 3},
};
constexpr Suffix kPossessives[] = {
    {"ingiz", After::kConsonant, 3}, {"imiz", After::kConsonant, 3}, {"ngiz", After::kVowel, 3},
    {"lari", After::kAny, 2},        {"miz", After::kVowel, 3},
    {"ing", After::kConsonant, 3, Suffix::Greedy::kPolysyllabic},
    {"im", After::kConsonant, 3, Suffix::Greedy::kPolysyllabic},
    {"si", After::kVowel, 3},        {"ng", After::kVowel, 4, Suffix::Greedy::kNever},
    {"i", After::kConsonant, 3},     {"m", After::kVowel, 4, Suffix::Greedy::kLong},
};
// A bare word ending in consonant + i loses the -i as a possessive (kishi → kish, elchi → elch:
// without a dictionary a root and its possessive look alike). Its other forms must land there too
// (kishisi, kishilar, kishilari → kish), so after -si, -lari and -lar this -i is stripped again.
constexpr Suffix kPossessiveI[] = {{"i", After::kConsonant, 3}};
constexpr Suffix kPlural[] = {{"lar", After::kAny, 2}};
constexpr Suffix kDerivations[] = {
    {"chilik", After::kAny, 3}, {"siz", After::kAny, 2}, {"lik", After::kAny, 3},
    {"chi", After::kAny, 3},    {"li", After::kAny, 3},
};

bool Fits(std::string_view stem, const Suffix& s) {
  if (Letters(stem) < s.min_stem || Vowels(stem) == 0) return false;
  char last = LastLetter(stem);
  bool vowel_end = IsVowel(last) && !EndsWith(stem, "g`");
  switch (s.after) {
    case After::kAny: return true;
    // Not after u: -usi is far more often -us + -i (virusi, korpusi, avtobusi, bonusi) than
    // -u + -si (mavzusi).
    case After::kVowel: return vowel_end && last != 'u';
    case After::kConsonant: return !vowel_end;
    case After::kK: return EndsWith(stem, "k");
    case After::kQ: return EndsWith(stem, "q");
  }
  return false;
}

// Undoes what a vowel-initial possessive did to the stem: k → g and q → gʻ voicing in
// polysyllabic stems (tilagi → tilak, o`yinchog`i → o`yinchoq), dropped vowels (og`zi → og`iz).
void RepairStem(std::string* stem) {
  std::string_view full = uzlex::RestoreDroppedVowel(*stem);
  if (!full.empty()) {
    *stem = std::string(full);
    return;
  }
  if (Vowels(*stem) < 2 || EndsWith(*stem, "log") || EndsWith(*stem, "gog")) return;
  if (EndsWith(*stem, "g`") && stem->size() >= 3 && IsVowel((*stem)[stem->size() - 3])) {
    stem->resize(stem->size() - 2);
    stem->push_back('q');
  } else if (EndsWith(*stem, "g") && stem->size() >= 2 && IsVowel((*stem)[stem->size() - 2])) {
    stem->back() = 'k';
  }
}

// -i after ...l or ...ch is usually the derivational -li / -chi (kamerali, sifatli, sotuvchi),
// which the derivation slot strips; but not after -gich (muzlatgichi is muzlatgich + -i).
bool LeaveForDerivation(std::string_view stem) {
  if (uzlex::IsProtectedRoot(stem)) return false;
  if (EndsWith(stem, "l") && stem.size() >= 4) {
    char before = stem[stem.size() - 2];
    return (!IsVowel(before) || before == 'a') && Letters(stem) >= 4;
  }
  if (EndsWith(stem, "ch") && stem.size() >= 5) {
    return !EndsWith(stem, "gich") && !EndsWith(stem, "kich") && !EndsWith(stem, "qich");
  }
  return false;
}

// Strips at most one suffix of `slot`; returns the suffix stripped or an empty view.
template <size_t N>
std::string_view StripOne(std::string* word, const Suffix (&slot)[N]) {
  for (const Suffix& s : slot) {
    if (!EndsWith(*word, s.text)) continue;
    std::string_view stem(word->data(), word->size() - s.text.size());
    if (stem.empty() || stem.back() == '\'' || !Fits(stem, s)) continue;
    if (s.greedy == Suffix::Greedy::kNever ||
        (s.greedy == Suffix::Greedy::kPolysyllabic && Vowels(stem) < 2) ||
        (s.greedy == Suffix::Greedy::kLong && Vowels(stem) < 3)) {
      continue;
    }
    if (s.text == "i" && LeaveForDerivation(stem)) continue;
    // After u, -uni is read as -un + -i (kuni, tuni, shampuni; the dictionary's menyuni and
    // mavzuni weigh as much the other way). After o the accusative wins (havoni, dunyoni, jazoni:
    // hunspell-uz measured); telefoni is still telefon + -i, by the known roots.
    if (s.text == "ni" && !stem.empty() && stem.back() == 'u') continue;
    // bergani, aytgani: participle -gan + -i, not berga + -ni (sovg`ani keeps its mark: g`a).
    if (s.text == "ni" && EndsWith(stem, "ga")) continue;
    // qoida, iroda, ifoda, aqida: a three-letter stem ending in a vowel is rarely a root before
    // -da/-ga/-ni (the ones that are, ona, ota, aka, are known roots, split before this).
    if ((s.text == "da" || s.text == "ga" || s.text == "ni") && Letters(stem) == 3 &&
        IsVowel(LastLetter(stem))) {
      continue;
    }
    word->resize(stem.size());
    return s.text;
  }
  return {};
}

struct Slot {
  const Suffix* begin;
  const Suffix* end;
};
constexpr Slot kSlots[] = {
    {std::begin(kParticles), std::end(kParticles)},
    {std::begin(kAttributive), std::end(kAttributive)},
    {std::begin(kCases), std::end(kCases)},
    {std::begin(kPossessives), std::end(kPossessives)},
    {std::begin(kPlural), std::end(kPlural)},
    {std::begin(kDerivations), std::end(kDerivations)},
};
constexpr size_t kPossessiveSlot = 3;

// Every split the suffix grammar allows (stems of at least two letters), for the dictionary to
// choose from. Protected roots are never cut further.
void Enumerate(const std::string& w, size_t slot, std::vector<std::string>* out) {
  out->push_back(w);
  if (uzlex::IsProtectedRoot(w)) return;
  for (size_t k = slot; k < std::size(kSlots); ++k) {
    for (const Suffix* s = kSlots[k].begin; s != kSlots[k].end; ++s) {
      if (!EndsWith(w, s->text)) continue;
      std::string stem = w.substr(0, w.size() - s->text.size());
      Suffix relaxed = *s;
      relaxed.min_stem = 2;
      if (stem.empty() || stem.back() == '\'' || !Fits(stem, relaxed)) continue;
      if (k == kPossessiveSlot && IsVowel(s->text[0])) RepairStem(&stem);
      Enumerate(stem, k + 1, out);
    }
  }
}

// The longest known root among the possible splits (least stripped), or empty.
std::string KnownRootSplit(const std::string& w) {
  thread_local std::vector<std::string> splits;
  splits.clear();
  Enumerate(w, 0, &splits);
  const std::string* best = nullptr;
  for (const std::string& s : splits) {
    if (uzlex::IsKnownRoot(s) && (best == nullptr || Letters(s) > Letters(*best))) best = &s;
  }
  return best == nullptr ? std::string() : *best;
}

std::string Stem(std::string w) {
  if (uzlex::IsProtectedRoot(w)) return w;
  std::string known = KnownRootSplit(w);
  if (!known.empty()) return known;
  // burni, burnimiz, burnidan: a vowel-dropping root followed by a vowel-initial possessive.
  std::string_view full = uzlex::RootWithDroppedVowel(w);
  if (!full.empty()) return std::string(full);
  auto done = [&w] { return uzlex::IsProtectedRoot(w); };
  StripOne(&w, kParticles);
  if (done()) return w;
  StripOne(&w, kAttributive);
  if (done()) return w;
  StripOne(&w, kCases);
  if (done()) return w;
  std::string_view poss = StripOne(&w, kPossessives);
  const bool possessive = !poss.empty();
  if ((poss == "si" || poss == "lari") && !done()) {
    std::string_view again = StripOne(&w, kPossessiveI);
    if (!again.empty()) poss = again;
  }
  if (possessive && IsVowel(poss[0])) RepairStem(&w);
  if (done()) return w;
  if (!StripOne(&w, kPlural).empty() && !possessive && !done() &&
      !StripOne(&w, kPossessiveI).empty()) {
    RepairStem(&w);
  }
  if (done()) return w;
  StripOne(&w, kDerivations);
  return w;
}

}  // namespace

std::string UzbekCanonicalLatin(std::string_view word) {
  std::string out;
  out.reserve(word.size());
  for (size_t i = 0; i < word.size(); ++i) {
    if (static_cast<unsigned char>(word[i]) == 0xCA && i + 1 < word.size() &&
        (static_cast<unsigned char>(word[i + 1]) == 0xBB ||
         static_cast<unsigned char>(word[i + 1]) == 0xBC)) {
      ++i;
      continue;
    }
    out.push_back(word[i]);
  }
  return out;
}

std::string UzbekStem(std::string_view word) {
  thread_local std::string working;
  if (!ToWorking(word, &working)) return UzbekCanonicalLatin(word);
  // Bounded per-thread memo: catalog text repeats its words.
  thread_local std::unordered_map<std::string, std::string> memo;
  if (auto it = memo.find(working); it != memo.end()) return it->second;
  if (memo.size() >= (1u << 16)) memo.clear();
  std::string stem = Stem(working);
  std::string out;
  out.reserve(stem.size());
  for (char c : stem) {
    if (c != '`' && c != '\'') out.push_back(c);
  }
  memo.emplace(working, out);
  return out;
}

}  // namespace ultrasearch::analyzers
