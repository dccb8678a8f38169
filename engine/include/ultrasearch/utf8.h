// UTF-8 decoding and encoding shared by the engine, the analyzers and the fronts, so that every
// layer reads text with one implementation (ICU's U8_* macros behind this header) and treats
// ill-formed input the same way.
//
// Ill-formed input: a maximal ill-formed subsequence (Unicode 15, §3.9, "U+FFFD Substitution of
// Maximal Subparts") counts as one unit. Decoding gives U+FFFD for it; validation reports where it
// starts. Overlong forms, surrogates (U+D800..U+DFFF) and values above U+10FFFF are ill-formed.
//
// All functions are pure and thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace ultrasearch {

inline constexpr char32_t kReplacementCharacter = 0xFFFD;

// Decodes the code point that starts at text[*i] and advances *i past it; for an ill-formed
// subsequence advances past it and returns U+FFFD. Requires *i < text.size().
char32_t NextCodePoint(std::string_view text, std::size_t* i);

// The code points of `text`, each ill-formed subsequence replaced by U+FFFD.
std::u32string DecodeUtf8(std::string_view text);

// Appends the UTF-8 form of `code_point`; a surrogate or a value above U+10FFFF appends U+FFFD.
void AppendUtf8(char32_t code_point, std::string* out);

// Byte offset at which the first ill-formed subsequence starts, or nullopt when `text` is
// well-formed UTF-8.
std::optional<std::size_t> FindInvalidUtf8(std::string_view text);

inline bool IsValidUtf8(std::string_view text) { return !FindInvalidUtf8(text).has_value(); }

// `text` with each ill-formed subsequence replaced by U+FFFD; well-formed input comes back as is.
std::string ToValidUtf8(std::string_view text);

// The longest prefix of `text` of at most `max_bytes` bytes that ends on a code point boundary
// (never inside a sequence), as a byte length.
std::size_t TruncateToCodePoint(std::string_view text, std::size_t max_bytes);

// Number of UTF-16 code units `text` takes (as Java's String.length(), which Elasticsearch's
// offsets count in); an ill-formed subsequence counts as the one unit of its U+FFFD.
std::size_t Utf16Length(std::string_view text);

}  // namespace ultrasearch
