// Elasticsearch's simple wildcard patterns ("attributes.*", "name*", "*_id"), used for field
// names in mappings, queries and _source filtering: '*' matches any run of bytes, dots included.
#pragma once

#include <string_view>

namespace ultrasearch {

inline bool WildcardMatch(std::string_view pattern, std::string_view text) {
  size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (p < pattern.size() && pattern[p] == text[t]) {
      ++p;
      ++t;
    } else if (star != std::string_view::npos) {
      p = star + 1;  // let the last '*' swallow one more byte
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

}  // namespace ultrasearch
