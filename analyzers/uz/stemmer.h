// The Uzbek suffix-stripping stemmer.
#pragma once

#include <string>
#include <string_view>

namespace ultrasearch::analyzers {

// Stems one lowercase Uzbek Latin word whose oʻ/gʻ marks are ʻ (U+02BB) and tutuq is ʼ (U+02BC),
// as folded by FoldApostrophes, and returns the canonical form (marks removed, see README.md).
// Suffixes are stripped from the end in the reverse of the order Uzbek stacks them:
// particles, -dagi/-gi, case, possessive, plural -lar, derivation. Never -ta/-tan (not case
// suffixes in Uzbek: karta ≠ kar). A stem keeps at least three letters (two before -lar, -dagi,
// -ning, -dan, -siz), and roots on the exception list are never cut. Words with characters other
// than Latin letters and marks are only canonicalised. Thread-safe.
std::string UzbekStem(std::string_view word);

// Removes the oʻ/gʻ marks and the tutuq from `word` (oʻ → o, gʻ → g, maʼno → mano).
std::string UzbekCanonicalLatin(std::string_view word);

}  // namespace ultrasearch::analyzers
