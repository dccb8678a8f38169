#include "catalog_analyzer.h"

#include "common/text.h"
#include "common/word_analyzer.h"
#include "ru/russian.h"
#include "ru/russian_key.h"
#include "uz/lexicon.h"
#include "uz/script.h"
#include "uz/stemmer.h"
#include "uz/uzbek.h"
#include "ultrasearch/utf8.h"

namespace ultrasearch::analyzers {
namespace {

enum class Language { kUzbek, kRussian, kEither };

bool EndsWith(std::string_view s, std::string_view tail) {
  return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail;
}

// Endings only Russian inflection produces (Uzbek Cyrillic words do not end so). Not -ция: the
// Uzbek loans станция, акция are written so too, and their Latin spelling (stansiya) must meet.
constexpr std::string_view kRussianEndings[] = {
    "ов", "ев", "ами", "ями", "ах", "ях", "ого", "его", "ому", "ему", "ый", "ая", "яя", "ое",
    "ее", "ые", "ых", "их", "ую", "юю", "ться", "ется", "ает", "ции", "ию", "ью", "ой",
    "ей", "ом", "ем", "ки", "ку", "ке", "ка", "ы", "ь"};
// Endings of Uzbek suffixes (plural, case, possessive, derivation).
constexpr std::string_view kUzbekEndings[] = {
    "лар", "ларни", "ларда", "нинг", "дан", "даги", "ни", "лари", "си", "лик", "сиз", "ли",
    "чи", "имиз", "ингиз", "га", "қа", "ка", "да", "ги", "чилик"};

// Decides, per Cyrillic word, which language's analysis applies: by letters first (ў қ ғ ҳ are
// Uzbek only; ы щ Russian only), then by the inflection it ends with. An Uzbek-looking ending
// alone does not make a word Uzbek only: many Russian words end the same way (вода, помада,
// кухни, стали, туфли, пельмени), and analysing them only as Uzbek would cut them off from their
// own inflected forms (воды, помаду, кухня, сталь). Such words get both analyses.
Language CyrillicLanguage(std::string_view w) {
  size_t i = 0;
  while (i < w.size()) {
    char32_t c = NextCodePoint(w, &i);
    if (c == U'ў' || c == U'қ' || c == U'ғ' || c == U'ҳ') return Language::kUzbek;
    if (c == U'ы' || c == U'щ') return Language::kRussian;
  }
  if (IsUzLoanWithOwnSpelling(w)) return Language::kEither;  // сентябрь: ь, yet Uzbek too
  bool ru = false, uz = false;
  for (std::string_view e : kRussianEndings) ru = ru || EndsWith(w, e);
  for (std::string_view e : kUzbekEndings) uz = uz || EndsWith(w, e);
  if (ru && !uz) return Language::kRussian;
  return Language::kEither;
}

// An Uzbek word written with a Cyrillic initial е (ер earth, енг sleeve: Latin yer, yeng) is
// not the Russian-typed-in-Latin word with initial e (er man, eng most): its Russian key keeps
// the y. Decided by the Uzbek lexicon, so Russian words (ель, евро) keep meeting el, evro.
bool IsUzbekYeWord(std::string_view cyrillic, const std::string& uz_stem) {
  return cyrillic.starts_with("е") && uz_stem.starts_with("ye") && uzlex::IsKnownRoot(uz_stem);
}

class CatalogAnalyzer : public WordAnalyzer {
 public:
  CatalogAnalyzer() : WordAnalyzer(/*fold_apostrophes=*/true) {}

 protected:
  void AnalyzeWord(const std::string& word, AnalysisMode,
                   std::vector<std::string>* terms) const override {
    if (!HasCyrillic(word)) {
      // Latin: Uzbek first; the Russian key lets Russian-in-Latin meet Cyrillic Russian.
      // Words with q or an oʻ/gʻ mark or tutuq are Uzbek: no Russian spelling uses them.
      // Older Uzbek Latin spellings (şahar, õzbek, sentyabr) are read as their 1995 forms.
      thread_local std::string latin;
      latin = word;
      FoldUzLatinSpelling(&latin);
      terms->push_back(UzbekStem(latin));
      if (latin.find('q') == std::string::npos && latin.find("\xCA") == std::string::npos) {
        terms->push_back(RussianKeyFromLatin(latin));
      }
      return;
    }
    switch (CyrillicLanguage(word)) {
      case Language::kUzbek:
        terms->push_back(UzbekStem(UzCyrlWordToLatn(word)));
        break;
      case Language::kRussian:
        terms->push_back(RussianStem(word));
        terms->push_back(RussianKeyFromCyrillic(word));
        break;
      case Language::kEither: {
        std::string uz = UzbekStem(UzCyrlWordToLatn(word));
        const bool ye = IsUzbekYeWord(word, uz);
        terms->push_back(RussianStem(word));
        terms->push_back(std::move(uz));
        terms->push_back(RussianKeyFromCyrillic(word, ye));
        break;
      }
    }
  }
};

}  // namespace

std::shared_ptr<const Analyzer> MakeCatalogAnalyzer() {
  return std::make_shared<CatalogAnalyzer>();
}

}  // namespace ultrasearch::analyzers
