// What an accessory is for. Sellers name accessories after the product they fit: "Spigen gʻilofi,
// iPhone 15 uchun", "Чехол для iPhone 15", "Ғилоф, Galaxy S24 учун". The Uzbek postposition
// `uchun`/`учун` marks the words before it, the Russian preposition `для` (`dlya` typed in Latin)
// the words after it, as the product the accessory is made for. Those words are indexed without
// weight in their field and once more under terms::ForPrefix, which queries weigh at a fraction
// (search/query_compiler.cc), so a query for the product ranks the product above its accessories,
// and a query naming the accessory ("iPhone 15 gʻilof") still finds the accessory first.
#pragma once

#include <string_view>
#include <vector>

#include "ultrasearch/analysis.h"

namespace ultrasearch {

// The most words one marker claims: "Galaxy S24 Ultra uchun" is 3, and a longer run is more
// often the accessory's own words than a model name ("Kundalik foydalanish uchun oddiy smartfon").
inline constexpr size_t kMaxAccessoryTargetWords = 4;

// For each token of `tokens` (the analysis of `text`, positions never going back), whether it
// stands in a run of words an accessory is for: after `для`/`dlya`, or before `uchun`/`учун`, up
// to kMaxAccessoryTargetWords word positions and never across punctuation (a comma, semicolon,
// colon, bracket, full stop, dash or slash between two words ends the run). The markers themselves are
// not targets. Thread-safe; allocates the result only.
std::vector<bool> MarkAccessoryTargets(std::string_view text, const std::vector<Token>& tokens);

}  // namespace ultrasearch
