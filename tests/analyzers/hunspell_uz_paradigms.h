// Uzbek noun paradigms taken from Debian's hunspell-uz dictionary (package `hunspell-uz`, source
// `uzbek-wordlist`), an outside reference for the Uzbek stemmer.
//
// That dictionary is written in Uzbek Cyrillic and is fully expanded: uz_UZ.aff declares only the
// encoding (no SFX/PFX classes), and uz_UZ.dic lists every word form it accepts (китоб, китобга,
// китоблари, китобларининг...). So the forms are generated here from the paradigm the grammar
// defines (plural, possessive, case and their combinations, with the alternations the spelling
// writes: -си/-м/-нг after a vowel, -ка/-қа after к/қ) and kept when the dictionary attests them.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace ultrasearch::analyzers::testing {

struct ParadigmForm {
  std::string form;          // lowercase Uzbek Cyrillic, UTF-8
  std::string suffix_class;  // "pl", "poss3", "pl+poss3+acc", "loc"...
};

struct NounParadigm {
  std::string base;  // lowercase Uzbek Cyrillic, UTF-8
  std::vector<ParadigmForm> forms;
};

struct HunspellUzNouns {
  size_t dictionary_words = 0;
  std::vector<NounParadigm> nouns;  // sorted by base
  // Attested forms left out because two bases generate them, or because the form is itself a
  // base (қалам is қала + -м "my city" and also "pen"): no stem can satisfy both readings.
  size_t ambiguous_forms = 0;
};

// Reads `dic_path` and `aff_path`. Returns an empty string on success, else what went wrong
// (missing file, affix classes this reader does not expand).
std::string LoadHunspellUzNouns(const std::string& dic_path, const std::string& aff_path,
                                HunspellUzNouns* out);

}  // namespace ultrasearch::analyzers::testing
