// Searches that read the value columns:
// - aggregations, computed over every document the query matches (before post_filter); a size-0
//   search without post_filter fetches no documents: the match set alone gives hits.total and
//   the aggregations;
// - sorting by fields, done over the whole match set with Elasticsearch's multi-valued rules
//   (facets/column_query.h) instead of Xapian's single-valued value slots.
// Everything else goes to ExecuteSearch unchanged.
#pragma once

#include <vector>

#include <xapian.h>

#include "search/searcher.h"

namespace ultrasearch {

Result<SearchResult> ExecuteColumnSearch(const SearchRequest& request, const SearchContext& ctx);

}  // namespace ultrasearch
