// Comma-separated lists of names as Elasticsearch's paths and parameters carry them ("a,b*,_all").
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ultrasearch::server {

// The non-empty items of `text`, in order ("a,,b" gives a and b).
inline std::vector<std::string> SplitCommaList(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    auto comma = text.find(',');
    if (comma != 0) out.emplace_back(text.substr(0, comma));
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
  }
  return out;
}

// Whether a name in such a list stands for several (`_all`, or a `*` pattern).
inline bool IsNamePattern(std::string_view name) { return name == "_all" || name.find('*') != std::string_view::npos; }

}  // namespace ultrasearch::server
