// Plans a Query tree into a Xapian::Query: analyses match text per field, expands prefixes and
// typos against the term dictionary, and maps filters onto boolean terms and value ranges.
#pragma once

#include <xapian.h>

#include <memory>
#include <string>

#include "facets/column_query.h"
#include "facets/column_store.h"

#include "mapping/mapping.h"
#include "search/highlight_terms.h"
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
  // When set, numeric/date term and range filters (and keyword ranges) read the value columns and
  // match any value of a multi-valued field (facets/column_query.h); otherwise value slots.
  std::shared_ptr<const facets::ColumnSnapshot> columns = nullptr;
  // When set, the column filters compiled are recorded here, for MatchCollector.
  facets::ColumnFilterTable* column_filters = nullptr;
  // When set, the terms each field's clauses match (outside must_not) are recorded here, with
  // fuzzy expansions, prefixes and phrases, for the highlighter.
  HighlightTerms* highlight_terms = nullptr;
};

// InvalidArgument for requests that cannot run (a range on a text field, an unknown analyzer, a
// malformed bound or minimum_should_match). Unknown fields match nothing, as in Elasticsearch.
// Throws Xapian::DatabaseModifiedError (only that) when the reader moved on during a fuzzy or
// prefix expansion: the caller owns the reader, so it reopens and compiles again.
Result<Xapian::Query> CompileQuery(const Query& query, const CompileContext& ctx);

// How many of `clauses` optional clauses must match for an Elasticsearch minimum_should_match
// spec ("2", "-1", "75%", "-25%"); InvalidArgument when malformed.
Result<int> ResolveMinimumShouldMatch(const std::string& spec, int clauses);

}  // namespace ultrasearch
