#include "analyzers/hunspell_uz_paradigms.h"

#include <unicode/locid.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

namespace ultrasearch::analyzers::testing {
namespace {

std::string Lower(const std::string& word) {
  static const icu::Locale kUzbek("uz");
  std::string out;
  icu::UnicodeString::fromUTF8(word).toLower(kUzbek).toUTF8String(out);
  return out;
}

bool EndsWithVowel(const std::string& word) {
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(word);
  if (u.isEmpty()) return false;
  static const icu::UnicodeString kVowels = icu::UnicodeString::fromUTF8("аеиоуўэюяё");
  return kVowels.indexOf(u.char32At(u.length() - 1)) >= 0;
}

bool EndsWith(std::string_view s, std::string_view tail) {
  return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail;
}

// The dative after the stem's last letter: -ка after к, -қа after қ, else -га (тилакка,
// қишлоққа, китобга). Locative and ablative are -да/-дан everywhere in the standard spelling.
std::string Dative(const std::string& stem) {
  if (EndsWith(stem, "к")) return "ка";
  if (EndsWith(stem, "қ")) return "қа";
  return "га";
}

// The stem with its final к/қ voiced to г/ғ when it has two vowels or more, else "".
std::string Voiced(const std::string& stem) {
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(stem);
  static const icu::UnicodeString kVowels = icu::UnicodeString::fromUTF8("аеиоуўэюяё");
  int vowels = 0;
  for (int32_t i = 0; i < u.length(); ++i) vowels += kVowels.indexOf(u.charAt(i)) >= 0;
  if (vowels < 2 || u.isEmpty()) return {};
  char16_t last = u.charAt(u.length() - 1);
  if (last != u'к' && last != u'қ') return {};
  u.setCharAt(u.length() - 1, last == u'к' ? u'г' : u'ғ');
  std::string out;
  u.toUTF8String(out);
  return out;
}

struct Suffix {
  std::string_view name;
  std::string_view after_consonant;
  std::string_view after_vowel;
};

constexpr Suffix kPossessives[] = {
    {"poss1sg", "им", "м"},     {"poss2sg", "инг", "нг"}, {"poss3", "и", "си"},
    {"poss1pl", "имиз", "миз"}, {"poss2pl", "ингиз", "нгиз"},
};
// The dative's spelling depends on the stem; "" marks it.
constexpr Suffix kCases[] = {
    {"acc", "ни", "ни"}, {"gen", "нинг", "нинг"}, {"dat", "", ""},
    {"loc", "да", "да"}, {"abl", "дан", "дан"},
};

// Every paradigm form of `base`: [-лар] [possessive] [case], at least one of them.
std::vector<ParadigmForm> Generate(const std::string& base) {
  std::vector<ParadigmForm> out;
  for (bool plural : {false, true}) {
    std::string with_plural = plural ? base + "лар" : base;
    bool vowel = EndsWithVowel(with_plural);
    for (int p = -1; p < static_cast<int>(std::size(kPossessives)); ++p) {
      std::string cls = plural ? "pl" : "";
      std::vector<std::string> with_poss = {with_plural};
      if (p >= 0) {
        const Suffix& s = kPossessives[p];
        with_poss[0] += vowel ? s.after_vowel : s.after_consonant;
        cls += (cls.empty() ? "" : "+") + std::string(s.name);
        // Polysyllables voice a final к/қ before a vowel (чўнтак → чўнтаги, бошлиқ → бошлиғи);
        // not every word does (the dictionary keeps the ones it spells).
        std::string voiced = Voiced(with_plural);
        if (!vowel && !voiced.empty()) with_poss.push_back(voiced + std::string(s.after_consonant));
      }
      for (const std::string& stem : with_poss) {
        for (int c = -1; c < static_cast<int>(std::size(kCases)); ++c) {
          if (!plural && p < 0 && c < 0) continue;
          std::string form = stem;
          std::string form_cls = cls;
          if (c >= 0) {
            const Suffix& s = kCases[c];
            form += s.after_consonant.empty() ? Dative(stem) : std::string(s.after_consonant);
            form_cls += (form_cls.empty() ? "" : "+") + std::string(s.name);
          }
          out.push_back({std::move(form), std::move(form_cls)});
        }
      }
    }
  }
  return out;
}

// A noun (or a word declined like one) shows itself by its case forms: at least three of the
// five, or the plural and one. Verbs, adverbs and particles take none of them.
bool LooksLikeNoun(const std::string& w, const std::unordered_set<std::string>& words) {
  if (w.size() < 4) return false;  // two Cyrillic letters at least
  int cases = 0;
  for (const std::string& tail : {std::string("ни"), std::string("нинг"), Dative(w),
                                  std::string("да"), std::string("дан")}) {
    cases += words.count(w + tail) != 0;
  }
  return cases >= 3 || (cases >= 1 && words.count(w + "лар") != 0);
}

}  // namespace

std::string LoadHunspellUzNouns(const std::string& dic_path, const std::string& aff_path,
                                HunspellUzNouns* out) {
  std::ifstream aff(aff_path);
  if (!aff) return "cannot read " + aff_path + " (install hunspell-uz: scripts/install-deps)";
  for (std::string line; std::getline(aff, line);) {
    // Debian's uz_UZ.aff has no affix classes; a dictionary that brings them needs an expander.
    if (line.rfind("SFX", 0) == 0 || line.rfind("PFX", 0) == 0) {
      return aff_path + " defines affix classes; this reader expects the fully expanded list";
    }
  }
  std::ifstream dic(dic_path);
  if (!dic) return "cannot read " + dic_path + " (install hunspell-uz: scripts/install-deps)";
  std::unordered_set<std::string> words;
  std::string line;
  std::getline(dic, line);  // the word count
  while (std::getline(dic, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    line = line.substr(0, line.find('/'));
    if (line.empty()) continue;
    words.insert(Lower(line));
    ++out->dictionary_words;
  }

  std::vector<std::string> candidates;
  for (const std::string& w : words) {
    if (LooksLikeNoun(w, words)) candidates.push_back(w);
  }
  std::sort(candidates.begin(), candidates.end());
  std::map<std::string, std::vector<ParadigmForm>> attested;
  std::unordered_map<std::string, int> generated_by;
  for (const std::string& base : candidates) {
    auto& forms = attested[base];
    for (ParadigmForm& f : Generate(base)) {
      if (words.count(f.form) != 0) forms.push_back(std::move(f));
    }
    for (const ParadigmForm& f : forms) ++generated_by[f.form];
  }
  // A candidate that is itself a form of another (китоби, китоблар, -даги adjectives) is not a
  // base of its own, unless it has a plural: possessives never precede -лар, so қаламлар shows
  // that қалам is a noun and not only қала + -м.
  std::unordered_set<std::string> bases;
  for (const std::string& w : candidates) {
    if (EndsWith(w, "даги")) continue;
    if (generated_by.count(w) == 0 || words.count(w + "лар") != 0) bases.insert(w);
  }
  std::unordered_map<std::string, int> base_count;
  for (const auto& [base, forms] : attested) {
    if (bases.count(base) == 0) continue;
    for (const ParadigmForm& f : forms) ++base_count[f.form];
  }
  for (auto& [base, forms] : attested) {
    if (bases.count(base) == 0) continue;
    NounParadigm noun{base, {}};
    for (ParadigmForm& f : forms) {
      if (bases.count(f.form) != 0 || base_count[f.form] > 1) {
        ++out->ambiguous_forms;
      } else {
        noun.forms.push_back(std::move(f));
      }
    }
    out->nouns.push_back(std::move(noun));
  }
  return {};
}

}  // namespace ultrasearch::analyzers::testing
