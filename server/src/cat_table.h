// The _cat endpoints' two renderings of one table: aligned text for people (`?v` adds the header
// line) and, with `?format=json`, an array of objects whose values are all strings, as
// Elasticsearch prints them.
#pragma once

#include <string>
#include <vector>

#include "http_types.h"

namespace ultrasearch::server {

struct CatTable {
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;  // each as long as `columns`
};

Reply CatReply(const Request& req, const CatTable& table);

// Elasticsearch's human-readable sizes: 225b, 4.5kb, 1.2mb, 3gb.
std::string HumanBytes(uint64_t bytes);

}  // namespace ultrasearch::server
