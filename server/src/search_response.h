// Renders search results in Elasticsearch's response shape. Stored sources are embedded as the
// engine returns them (no re-parse) unless _source filtering asks for less.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "search_request.h"
#include "ultrasearch/query.h"

namespace ultrasearch::server {

struct MergedSuggestion;  // suggest_response.h

struct IndexedHit {
  const std::string* index;
  const Hit* hit;
};

struct MergedResult {
  uint64_t total = 0;
  bool total_is_lower_bound = false;
  bool timed_out = false;  // an index's search passed the request's timeout: results may be partial
  double max_score = 0;
  std::vector<IndexedHit> hits;
  const std::vector<AggregationResult>* aggregations = nullptr;  // rendered when the request had aggs
  const std::vector<MergedSuggestion>* suggest = nullptr;  // rendered when the request had suggesters
};

std::string RenderSearchResponse(const ParsedSearch& search, const MergedResult& result, int64_t took_ms);

// The response in two parts, so a cached answer gets the `took` of the request it answers:
// RenderSearchResponseAfterTook is everything after `{"took":N` (it starts with a comma), and
// WithTook puts the two together.
std::string RenderSearchResponseAfterTook(const ParsedSearch& search, const MergedResult& result);
std::string WithTook(int64_t took_ms, std::string_view after_took);

// {"count":N,"_shards":{...}}
std::string RenderCountResponse(uint64_t count, int indices);

// The JSON of one sort value: a number, a string or null.
std::string SortValueJson(const SortValue& v);

}  // namespace ultrasearch::server
