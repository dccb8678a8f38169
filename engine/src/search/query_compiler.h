// Plans a Query tree into a Xapian::Query: analyses match text per field, expands prefixes and
// typos against the term dictionary, and maps filters onto boolean terms and value ranges.
#pragma once

#include <xapian.h>

#include <string>

#include "mapping/mapping.h"
#include "ultrasearch/analysis.h"
#include "ultrasearch/query.h"
#include "ultrasearch/status.h"

namespace ultrasearch {

// A query matching every document. Never Xapian::Query::MatchAll: that is one static object whose
// reference count is not atomic, so copying it from concurrent searches corrupts the count and
// frees it under a running search (xapian/query.h says so; ConcurrencyTest crashed on it).
inline Xapian::Query XapianMatchAll() { return Xapian::Query(std::string()); }

struct CompileContext {
  const Mapping& mapping;
  const AnalyzerRegistry& analyzers;
  const Xapian::Database& db;  // the reader's database, for prefix and fuzzy expansion
  uint64_t reader_version = 0;  // identifies db's state for cached term dictionaries; 0: unknown
};

// InvalidArgument for requests that cannot run (a range on a text field, an unknown analyzer, a
// malformed bound or minimum_should_match). Unknown fields match nothing, as in Elasticsearch.
Result<Xapian::Query> CompileQuery(const Query& query, const CompileContext& ctx);

// How many of `clauses` optional clauses must match for an Elasticsearch minimum_should_match
// spec ("2", "-1", "75%", "-25%"); InvalidArgument when malformed.
Result<int> ResolveMinimumShouldMatch(const std::string& spec, int clauses);

}  // namespace ultrasearch
