// Wrong keyboard layout: text typed with the Latin (QWERTY) layout on while meaning Cyrillic
// (ЙЦУКЕН), or the reverse. `ntktajy` is `телефон`, `vepkfnubx` is `музлатгич`, `ьгядфепшср` is
// `muzlatgich`. All functions are pure and thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ultrasearch::analyzers {

// Maps each QWERTY key to the ЙЦУКЕН letter on the same key (q → й, [ → х, ; → ж, ' → э,
// , → б, . → ю, ` → ё; shifted keys to capitals). Punctuation keys map inside a word, at its
// start before a letter, and ([ ] ; ' and their shifted keys) at its end after a letter (нож is
// yj;); a trailing comma or full stop stays punctuation. Other characters are copied.
std::string QwertyToJcuken(std::string_view text);

// The reverse: ЙЦУКЕН letters to the QWERTY keys (й → q, х → [, ж → ;, э → ', б → ,, ю → .).
std::string JcukenToQwerty(std::string_view text);

// The query rewritten as if typed on the other layout, when that is plausible: the query is
// made only of one layout's letters (plus spaces, digits and the layout's punctuation keys) and
// every converted word has a vowel and no run of five consonants. Best first: for QWERTY text
// QwertyToJcuken's reading, then (when different) the one that also reads a word-final comma or
// full stop as б / ю (клуб is rke,). Empty when no conversion applies. This is the QueryRewriter
// MakeBuiltinAnalyzers() registers; the engine decides from the index's terms whether a
// candidate is searched (engine/src/search/layout_choice.h).
std::vector<std::string> WrongLayoutCandidates(std::string_view query);

}  // namespace ultrasearch::analyzers
