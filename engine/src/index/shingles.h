// Word shingles for search_as_you_type's NAME._2gram / NAME._3gram sub-fields: each run of n
// consecutive words becomes one term, the words joined by a space, as Elasticsearch's shingle
// filter makes them. A word here is the list of alternative terms the analyzer gives one
// position (stems, cross-script forms); a shingle takes the same alternative slot from each of
// its words (the first forms together, the second forms together, …; a word with fewer forms
// repeats its last): the forms of one script stay together without multiplying every
// combination of forms.
#pragma once

#include <string>
#include <vector>

#include "ultrasearch/analysis.h"

namespace ultrasearch {

// The analyzer's tokens as words: the distinct alternative terms of each position, in order.
std::vector<std::vector<std::string>> WordsOfTokens(const std::vector<Token>& tokens);

// Alternatives per shingle are at most this many (the widest analyzer gives three per word).
inline constexpr size_t kMaxShingleForms = 4;

// The shingles of `words` (in position order) of exactly `size` words, one list of alternative
// terms per starting word; empty when there are fewer than `size` words.
std::vector<std::vector<std::string>> Shingles(const std::vector<std::vector<std::string>>& words, size_t size);

}  // namespace ultrasearch
