// ultrasearch/utf8.h over ICU's UTF-8 macros (header-only in ICU 72; linked against ICU's common
// library in case a future version moves them into functions). Built as its own small library,
// ultrasearch_utf8, so the analyzers and the fronts can use it without the engine's storage.
#include "ultrasearch/utf8.h"

#include <unicode/utf16.h>
#include <unicode/utf8.h>

namespace ultrasearch {

char32_t NextCodePoint(std::string_view text, std::size_t* i) {
  UChar32 c;
  U8_NEXT_OR_FFFD(text.data(), *i, text.size(), c);
  return static_cast<char32_t>(c);
}

std::u32string DecodeUtf8(std::string_view text) {
  std::u32string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) out.push_back(NextCodePoint(text, &i));
  return out;
}

void AppendUtf8(char32_t code_point, std::string* out) {
  constexpr std::size_t kCapacity = U8_MAX_LENGTH;
  uint8_t buffer[kCapacity];
  std::size_t length = 0;
  UBool error = false;
  U8_APPEND(buffer, length, kCapacity, code_point, error);
  if (error) {
    length = 0;
    U8_APPEND_UNSAFE(buffer, length, kReplacementCharacter);
  }
  out->append(reinterpret_cast<const char*>(buffer), length);
}

std::optional<std::size_t> FindInvalidUtf8(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t start = i;
    UChar32 c;
    U8_NEXT(text.data(), i, text.size(), c);
    if (c < 0) return start;
  }
  return std::nullopt;
}

std::string ToValidUtf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t start = i;
    UChar32 c;
    U8_NEXT(text.data(), i, text.size(), c);
    if (c < 0) {
      AppendUtf8(kReplacementCharacter, &out);
    } else {
      out.append(text.substr(start, i - start));
    }
  }
  return out;
}

std::size_t TruncateToCodePoint(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text.size();
  // Boundaries are where the decoder steps, so an ill-formed run is never split either.
  std::size_t boundary = 0;
  for (std::size_t i = 0; i <= max_bytes;) {
    boundary = i;
    NextCodePoint(text, &i);
  }
  return boundary;
}

std::size_t Utf16Length(std::string_view text) {
  std::size_t units = 0;
  for (std::size_t i = 0; i < text.size();) units += U16_LENGTH(NextCodePoint(text, &i));
  return units;
}

}  // namespace ultrasearch
