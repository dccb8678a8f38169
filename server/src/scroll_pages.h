// Scroll searches: starting one from a `_search?scroll=` request, and rendering its pages.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "http_types.h"
#include "scroll_store.h"
#include "search_request.h"

namespace ultrasearch::server {

struct ScrollStart {
  std::chrono::milliseconds keep_alive;
  ParsedSearch as_sent;  // the request before it was widened to every hit
};

// For a request with `?scroll=`: validates it as Elasticsearch does (a keep-alive within
// search.max_keep_alive, no `from`, no `search_after`, a page size above 0) and widens `search`
// to the whole ordered list of hits without sources. nullopt without `?scroll=`. Throws EsError.
std::optional<ScrollStart> BeginScroll(const Request& req, ParsedSearch* search);

// The next page of `scroll` as a search response led by `_scroll_id` (aggregations, when given,
// only on the first page, as Elasticsearch sends them). Advances the scroll.
std::string NextScrollPage(const std::string& id, ScrollContext& scroll,
                           std::chrono::steady_clock::time_point started,
                           const std::vector<AggregationResult>* aggregations);

}  // namespace ultrasearch::server
