// Uzbek script conversion with the official 1995 Latin alphabet and its context rules.
//
// Both functions take any UTF-8 text, convert the words written in the source script and copy
// everything else unchanged; letter case is preserved per word (Toshkent → Тошкент,
// ЎЗБЕКИСТОН → OʻZBEKISTON). Invalid UTF-8 becomes U+FFFD. Thread-safe (the ICU transliterators
// built from our own rules are cloned per thread).
#pragma once

#include <string>
#include <string_view>

namespace ultrasearch::analyzers {

// Uzbek Cyrillic → Latin with the official (1995) spelling: oʻ and gʻ with ʻ (U+02BB), the tutuq
// belgisi as ʼ (U+02BC). е → ye at word start and after a vowel, ъ or ь, else e; э → e; ц → ts
// after a vowel inside the word, else s (word start and end, after a consonant, after анти-);
// ъ → ʼ, but dropped before е/ё/ю/я and after ў; ь dropped, but ьо/ьи → yo/yi; сҳ → sʼh;
// ё/ю/я → yo/yu/ya, except the loans the rules write with a plain vowel (сентябрь → sentabr,
// бюджет → budjet). Examples: цирк → sirk, лицей → litsey, объект → obyekt, маъно → maʼno.
std::string UzCyrillicToLatin(std::string_view text);

// Uzbek Latin → Cyrillic. Accepts every apostrophe users type for oʻ/gʻ and the tutuq
// (ʻ ʼ ' ’ ‘ `) and the letters of the 1993 alphabet and the reform drafts (ş ç ğ ḡ õ ō ö ŋ).
// ye/yo/yu/ya → е/ё/ю/я (ъе, ьо after consonants: obyekt → объект, pavilyon → павильон);
// e → э at word start and after a vowel, else е; ts after a vowel → ц before e/o/u or i + vowel
// (litsey, militsiya; not ketsa, aytsin); month names get their ь (sentabr → сентябрь); sʼh → сҳ;
// ʼ → ъ. Examples: Toshkent → Тошкент, O'zbekiston → Ўзбекистон, yer → ер.
std::string UzLatinToCyrillic(std::string_view text);

}  // namespace ultrasearch::analyzers
