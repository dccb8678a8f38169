// Word lists that guide the Uzbek stemmer. Words are in the stemmer's working alphabet: lowercase
// ASCII with ` for the oʻ/gʻ mark and ' for the tutuq (oʻ → o`, maʼno → ma'no).
#pragma once

#include <string_view>

namespace ultrasearch::analyzers::uzlex {

// Roots that look suffixed and must not be cut (kiyim is not kiy + -im).
bool IsProtectedRoot(std::string_view word);

// Stems whose last vowel drops before a vowel-initial possessive (og`z → og`iz). Returns the
// full root, or an empty view when `stem` is not one of them.
std::string_view RestoreDroppedVowel(std::string_view stem);

// Roots the stemmer knows (catalog vocabulary and common words, plus the protected roots).
bool IsKnownRoot(std::string_view word);

// The full root when `word` starts with a vowel-dropping stem followed by i (burni, burnidan,
// og`zimiz → burun, og`iz); else an empty view.
std::string_view RootWithDroppedVowel(std::string_view word);

}  // namespace ultrasearch::analyzers::uzlex
