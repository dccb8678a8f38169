// Our own ICU transliteration rules for Uzbek Cyrillic ⇄ Latin (lowercase words in, lowercase out).
// ICU's built-in uz_Latn-uz_Cyrl / uz_Cyrl-uz_Latn get mid-word e, ц, ъ and ASCII apostrophes wrong.
#pragma once

namespace ultrasearch::analyzers {

// Rules for one lowercase Uzbek Cyrillic word → Latin with ʻ (U+02BB) and ʼ (U+02BC).
extern const char16_t kUzCyrlToLatnRules[];
// Rules for one lowercase Uzbek Latin word (apostrophes already folded to ʻ / ʼ) → Cyrillic.
extern const char16_t kUzLatnToCyrlRules[];

}  // namespace ultrasearch::analyzers
