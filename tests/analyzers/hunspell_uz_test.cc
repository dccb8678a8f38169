// The Uzbek stemmer against an outside reference: every noun form Debian's hunspell-uz dictionary
// attests for the common paradigms (plural, possessives, cases and their combinations) should
// reduce to the stem of its base form, in both scripts, and different base words should not
// collapse into one stem. scripts/install-deps installs the dictionary, so a missing one fails.
//
// Measure: build/tests/analyzer_tests --gtest_filter='HunspellUz*' prints the agreement per
// suffix class; ULTRASEARCH_HUNSPELL_MISSES=FILE also writes the disagreements of the tuning half.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "analyzers/hunspell_uz_paradigms.h"
#include "ultrasearch_analyzers/builtin.h"
#include "ultrasearch_analyzers/uzbek_script.h"

namespace ultrasearch::analyzers {
namespace {

using testing::HunspellUzNouns;
using testing::LoadHunspellUzNouns;

constexpr const char* kDic = "/usr/share/hunspell/uz_UZ.dic";
constexpr const char* kAff = "/usr/share/hunspell/uz_UZ.aff";

const AnalyzerRegistry& Registry() {
  static const auto registry = MakeBuiltinAnalyzers();
  return *registry;
}

const HunspellUzNouns& Nouns() {
  static const HunspellUzNouns nouns = [] {
    HunspellUzNouns n;
    std::string error = LoadHunspellUzNouns(kDic, kAff, &n);
    EXPECT_EQ(error, "");
    return n;
  }();
  return nouns;
}

std::set<std::string> Terms(const std::string& analyzer, const std::string& word) {
  std::set<std::string> out;
  for (const Token& t : Registry().Find(analyzer)->Analyze(word)) out.insert(t.term);
  return out;
}

std::string UzStem(const std::string& word) {
  auto tokens = Registry().Find("uz")->Analyze(word);
  return tokens.size() == 1 ? tokens[0].term : "<" + std::to_string(tokens.size()) + " tokens>";
}

// Stemmer changes were tuned on the disagreements of half the bases (even FNV-1a hash); the
// other half is reported on its own as a held-out figure.
bool TuningHalf(const std::string& base) {
  uint32_t h = 2166136261u;
  for (unsigned char c : base) h = (h ^ c) * 16777619u;
  return h % 2 == 0;
}

struct Tally {
  int total = 0;
  int agree = 0;
  void Add(bool ok) {
    ++total;
    agree += ok;
  }
  double Share() const { return total == 0 ? 0 : static_cast<double>(agree) / total; }
};

struct Agreement {
  Tally all, tuning, held_out, latin, catalog;
  std::map<std::string, Tally> by_class;  // Cyrillic through `uz`
};

const Agreement& Measure() {
  static const Agreement result = [] {
    Agreement a;
    const char* misses_path = std::getenv("ULTRASEARCH_HUNSPELL_MISSES");
    std::ofstream misses;
    if (misses_path != nullptr) misses.open(misses_path);
    for (const auto& noun : Nouns().nouns) {
      std::string base_stem = UzStem(noun.base);
      std::string base_latin = UzCyrillicToLatin(noun.base);
      std::string base_latin_stem = UzStem(base_latin);
      bool tuning = TuningHalf(noun.base);
      for (const auto& f : noun.forms) {
        std::string stem = UzStem(f.form);
        bool ok = stem == base_stem;
        a.all.Add(ok);
        (tuning ? a.tuning : a.held_out).Add(ok);
        a.by_class[f.suffix_class].Add(ok);
        a.latin.Add(UzStem(UzCyrillicToLatin(f.form)) == base_latin_stem);
        a.catalog.Add(Terms("catalog", f.form).count(base_stem) != 0);
        if (!ok && tuning && misses.is_open()) {
          misses << f.suffix_class << '\t' << noun.base << '\t' << base_stem << '\t' << f.form
                 << '\t' << stem << '\n';
        }
      }
    }
    return a;
  }();
  return result;
}

TEST(HunspellUzTest, DictionaryIsInstalledAndReadable) {
  const HunspellUzNouns& n = Nouns();
  // uzbek-wordlist 0.6 lists about 97,000 forms; thousands of them are noun bases.
  EXPECT_GT(n.dictionary_words, 90000u);
  EXPECT_GT(n.nouns.size(), 3000u);
  // Paradigms found as a grammar book writes them, voicing included.
  std::map<std::string, std::set<std::string>> forms;
  for (const auto& noun : n.nouns) {
    for (const auto& f : noun.forms) forms[noun.base].insert(f.suffix_class + ":" + f.form);
  }
  EXPECT_TRUE(forms["китоб"].count("pl+poss3:китоблари"));
  EXPECT_TRUE(forms["китоб"].count("poss3+gen:китобининг"));
  EXPECT_TRUE(forms["китоб"].count("dat:китобга"));
  EXPECT_TRUE(forms["бола"].count("poss3:боласи"));
  EXPECT_TRUE(forms["чўнтак"].count("poss3:чўнтаги"));
  EXPECT_TRUE(forms["бола"].count("pl+acc:болаларни"));
  // қалам is a word of its own, so it is not counted as қала + -м.
  EXPECT_TRUE(forms.count("қалам"));
  EXPECT_FALSE(forms["қала"].count("poss1sg:қалам"));
}

TEST(HunspellUzTest, InflectedNounFormsShareTheirBaseStem) {
  const Agreement& a = Measure();
  std::printf("hunspell-uz: %zu nouns, %d attested forms (%zu ambiguous left out)\n",
              Nouns().nouns.size(), a.all.total, Nouns().ambiguous_forms);
  std::printf("  uz, Cyrillic        %6.2f%%  (tuning half %.2f%%, held-out half %.2f%%)\n",
              100 * a.all.Share(), 100 * a.tuning.Share(), 100 * a.held_out.Share());
  std::printf("  uz, Latin           %6.2f%%\n", 100 * a.latin.Share());
  std::printf("  catalog, Cyrillic   %6.2f%%  (form carries the base's Uzbek stem)\n",
              100 * a.catalog.Share());
  std::map<std::string, Tally> by_last;  // by the outermost suffix
  for (const auto& [cls, t] : a.by_class) {
    std::string last = cls.substr(cls.rfind('+') + 1);
    by_last[last].total += t.total;
    by_last[last].agree += t.agree;
    if (t.total >= 100) std::printf("  %-16s %5d  %6.2f%%\n", cls.c_str(), t.total, 100 * t.Share());
  }
  std::printf("  by outermost suffix:\n");
  for (const auto& [last, t] : by_last) {
    std::printf("  %-16s %5d  %6.2f%%\n", last.c_str(), t.total, 100 * t.Share());
  }
  ASSERT_GT(a.all.total, 20000);
  // Floors just under the measured figures (analyzers/README.md: 98.3% overall, 98.1% on the
  // held-out half; 96.3% before the stemmer was tuned on the other half).
  EXPECT_GE(a.all.Share(), 0.98);
  EXPECT_GE(a.held_out.Share(), 0.978);
  EXPECT_GE(a.latin.Share(), 0.98);
  EXPECT_GE(a.catalog.Share(), 0.982);
  // The common paradigms one by one (each measured at 92.9-100%).
  for (const char* cls : {"pl", "acc", "gen", "dat", "loc", "abl", "pl+poss3", "pl+acc", "pl+gen",
                          "pl+dat", "pl+loc", "pl+abl", "pl+poss3+acc", "poss3+acc", "poss3+dat",
                          "poss3+loc", "poss3+abl", "poss3+gen"}) {
    EXPECT_GE(a.by_class.at(cls).Share(), 0.95) << cls;
  }
  EXPECT_GE(a.by_class.at("poss3").Share(), 0.92);
  // "my"/"your" forms trade against roots ending in the same letters (bayram, yordam, bosim,
  // miting): -m/-ng/-im/-ing are stripped only onto known roots or longer stems.
  EXPECT_GE(a.by_class.at("poss1pl").Share(), 0.95);
  EXPECT_GE(a.by_class.at("poss1sg").Share(), 0.80);
}

// Over-stemming: different base words should keep different stems. Bases where one is the other
// plus letters (абижан, абижанлик; сотув, сотувчи) may meet by design: derivation is stripped.
// The 35 pairs left (measured) are spelling variants (айова/аёва), the dropped oʻ mark (бошлиқ/
// бўшлиқ) and forms the dictionary lists as bases (ўғли/ўғиллари).
TEST(HunspellUzTest, DifferentBaseWordsKeepDifferentStems) {
  std::map<std::string, std::vector<std::string>> by_stem;
  for (const auto& noun : Nouns().nouns) by_stem[UzStem(noun.base)].push_back(noun.base);
  int collapsed = 0;
  std::string examples;
  for (const auto& [stem, bases] : by_stem) {
    for (size_t i = 0; i < bases.size(); ++i) {
      for (size_t j = i + 1; j < bases.size(); ++j) {
        if (bases[j].rfind(bases[i], 0) == 0 || bases[i].rfind(bases[j], 0) == 0) continue;
        ++collapsed;
        if (collapsed <= 15) examples += " " + bases[i] + "/" + bases[j];
      }
    }
  }
  std::printf("hunspell-uz: %d pairs of unrelated bases share a stem:%s...\n", collapsed,
              examples.c_str());
  EXPECT_LE(collapsed, 40) << examples;
}

}  // namespace
}  // namespace ultrasearch::analyzers
