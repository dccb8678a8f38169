// API-key authentication: `Authorization: ApiKey <key>` against the keys of a file, one per line.
#pragma once

#include <set>
#include <string>
#include <string_view>

#include "ultrasearch/status.h"

namespace ultrasearch::server {

class ApiKeys {
 public:
  // Reads the keys (non-empty lines, surrounding whitespace trimmed; lines starting with '#' are
  // comments). InvalidArgument when the file cannot be read or holds no key.
  Status Load(const std::string& path);

  bool enabled() const { return !keys_.empty(); }
  // True when `authorization` (the header value) carries a known key, or when auth is disabled.
  bool Allows(std::string_view authorization) const;

 private:
  std::set<std::string, std::less<>> keys_;
};

}  // namespace ultrasearch::server
