// Helpers every libFuzzer target in this folder uses: the input as text, a UTF-8 check and a way
// to report a broken invariant. Kept apart from fuzz_world.h so the analyzer targets compile
// without the server's headers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace ultrasearch::fuzz {

// The bytes libFuzzer hands a target, as text.
inline std::string_view AsText(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Whether `text` is well-formed UTF-8 (simdjson's validator).
bool IsValidUtf8(std::string_view text);

// Reports a broken invariant with the input that broke it, then aborts so libFuzzer saves the
// input as a crash.
[[noreturn]] void Fail(std::string_view what, std::string_view detail);

}  // namespace ultrasearch::fuzz
