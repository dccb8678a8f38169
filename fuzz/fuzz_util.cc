#include "fuzz_util.h"

#include <simdjson.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace ultrasearch::fuzz {

bool IsValidUtf8(std::string_view text) { return simdjson::validate_utf8(text.data(), text.size()); }

void Fail(std::string_view what, std::string_view detail) {
  std::fprintf(stderr, "\n==fuzz invariant broken== %.*s\n%.*s\n", static_cast<int>(what.size()), what.data(),
               static_cast<int>(std::min<size_t>(detail.size(), 4000)), detail.data());
  std::fflush(stderr);
  std::abort();
}

}  // namespace ultrasearch::fuzz
