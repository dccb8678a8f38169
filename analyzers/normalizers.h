// Keyword normalizers (Elasticsearch's `normalizer` mapping parameter): `lowercase`, as
// Elasticsearch's built-in one, and `catalog`, which also folds what differs between spellings of
// one Uzbek or Russian value: the script (Uzbek Cyrillic and Russian are transliterated to Latin
// with the Uzbek 1995 rules), the apostrophes of oʻ/gʻ, ё, and runs of spaces.
#pragma once

#include <string>
#include <string_view>

namespace ultrasearch::analyzers {

std::string LowercaseNormalize(std::string_view value);
std::string CatalogNormalize(std::string_view value);

}  // namespace ultrasearch::analyzers
