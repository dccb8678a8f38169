// Request limits, as Elasticsearch 8 sets them by default, in one place: the engine enforces the
// ones that need the index (clauses after prefix and fuzzy expansion), the HTTP front the ones it
// can see in the request (result window, terms count), both from these constants.
#pragma once

#include <cstdint>

namespace ultrasearch::limits {

// index.max_result_window: from + size of one search.
inline constexpr int64_t kMaxResultWindow = 10000;

// index.max_terms_count: values of one `terms` query (which counts as a single clause).
inline constexpr int64_t kMaxTermsCount = 65536;

// indices.query.bool.max_clause_count: leaf clauses of the whole query after prefix and fuzzy
// expansion (Lucene 9 counts nested clauses across the tree). Elasticsearch 8.0 documents 4096;
// later 8.x derive it from heap and thread pool with 1024 as the floor, which a fixed server
// cannot mirror, so the documented 8.0 value is kept.
inline constexpr int64_t kMaxClauseCount = 4096;

// max_expansions (fuzzy, match_phrase_prefix, match_bool_prefix) is per request; its default, 50
// as in Elasticsearch, is Fuzziness::max_expansions in ultrasearch/query.h.

// The reasons of the InvalidArgument errors the engine answers past kMaxClauseCount, worded as
// Lucene's IndexSearcher.TooManyClauses and TooManyNestedClauses; fronts recognise them by prefix
// and answer Elasticsearch's too_many_clauses / too_many_nested_clauses.
inline constexpr const char* kTooManyClausesReason = "maxClauseCount is set to ";
inline constexpr const char* kTooManyNestedClausesReason = "Query contains too many nested clauses; maxClauseCount is set to ";

}  // namespace ultrasearch::limits
