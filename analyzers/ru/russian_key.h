// The spelling-tolerant "Russian key" of a word: how catalog lets Russian written in Latin letters
// (holodilnik, xolodilnik, kholodilnik; stiralnaya; pylesos) meet Russian written in Cyrillic.
//
// Both scripts are first brought to a reduced Cyrillic alphabet that forgets what the Latin
// conventions cannot tell apart (ь ъ dropped; ё э → е; щ → ш; й ы → и; Uzbek ў қ ғ ҳ → у к г х),
// then stemmed with Snowball Russian, then spelled in plain Latin (х → h, ж → zh, ц → c, ч → ch,
// ш → sh, ю → yu, я → ya), with т+с spelled c as well. So холодильник, holodilnik, xolodilnik
// and kholodilnik all give "holodilnik", and холодильники / holodilniki give it too; Latin ts is
// read as т+с and c as ц, so детская/detskaya/deckaya and цирк/tsirk/cirk meet.
#pragma once

#include <string>
#include <string_view>

namespace ultrasearch::analyzers {

// Key of a lowercase Cyrillic word; empty when it has characters other than Cyrillic letters.
// `initial_e_is_ye`: the word's initial е is read as Latin ye- (an Uzbek word such as ер, earth,
// whose Latin spelling is yer), so its key meets Latin yer but not er; by default an initial е
// is read as Russian typed in Latin writes it (ель → el).
std::string RussianKeyFromCyrillic(std::string_view lower_word, bool initial_e_is_ye = false);

// Key of a lowercase Latin word read as Russian in any common convention (sh/ch/zh/kh/x/h, ts
// or c for ц, ya/yu/yo/ye, y for ы/й, ' for ь; oʻ/gʻ marks ignored). A word-initial ye keeps
// its y (yer ≠ er). Empty when the word has characters other than Latin letters and marks.
std::string RussianKeyFromLatin(std::string_view lower_word);

}  // namespace ultrasearch::analyzers
