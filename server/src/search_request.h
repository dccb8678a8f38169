// The _search and _count request bodies and URL parameters → engine SearchRequest / Query.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "http_types.h"
#include "source_filter.h"
#include "ultrasearch/analysis.h"
#include "ultrasearch/query.h"

namespace ultrasearch::server {

struct ParsedSearch {
  SearchRequest request;
  SourceFilter source;
  bool report_total = true;   // track_total_hits: false omits hits.total
  bool track_scores = true;   // false when sorting by fields only: _score and max_score are null
  bool version = false;       // add _version to hits
  bool seq_no_primary_term = false;
  // `pit: {id, keep_alive}`: search the point in time `pit_id` (a sort gets the implicit
  // `_shard_doc` tie-break, the engine's _doc).
  std::string pit_id;
  std::optional<std::chrono::milliseconds> pit_keep_alive;
};

// Throws EsError for malformed bodies, unsupported features (suggest, collapse...) and
// out-of-range paging.
ParsedSearch ParseSearchRequest(const Request& req, const AnalyzerRegistry& analyzers);

// _count accepts only `query` in the body, or `q=`.
Query ParseCountRequest(const Request& req, const AnalyzerRegistry& analyzers);

}  // namespace ultrasearch::server
