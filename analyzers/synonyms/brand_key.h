// A phonetic Latin key for brand and model names, so a Cyrillic spelling no table lists still
// reaches the brand: самсунк, ксиоми, хуавея meet samsung, xiaomi, huawei.
//
// Both sides are brought to one rough Latin sound spelling: the brand's English-style spelling
// (ph → f, x → ks, w → v, y → i, c/q/ck → k, j → dzh, a silent final e dropped) and the Russian key
// of the Cyrillic word (already Latin: ya → ia, y → i, c (ц) → ts); doubled letters collapse.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ultrasearch::analyzers {

// Key of a Latin brand name (lower-case ASCII letters; anything else gives an empty key).
std::string BrandKeyFromLatin(std::string_view name);

// Key of a Russian key (ru/russian_key.h) of a Cyrillic word.
std::string BrandKeyFromRussianKey(std::string_view key);

// Whether a query word's key `query` reaches brand key `brand`: equal; the brand's start cut by
// stemming (at least 4 letters, at most 2 fewer); or, with at least 5 letters on both sides, one
// edit (substitution, insertion, deletion, transposition) from the brand or from such a start.
bool BrandKeysMeet(std::string_view query, std::string_view brand);

}  // namespace ultrasearch::analyzers
