// The highlight step of a search: after the page of hits is known, finds the query's terms per
// field (compiling the query, or each field's highlight_query, with the compiler recording its
// terms), re-analyses the stored values of the requested fields of each hit and builds the
// fragments (see field_matches.h, passages.h).
#pragma once

#include <vector>

#include "mapping/mapping.h"
#include "search/reader_pool.h"
#include "ultrasearch/analysis.h"
#include "ultrasearch/query.h"
#include "ultrasearch/status.h"

namespace ultrasearch {

struct HighlightContext {
  const Mapping& mapping;
  const AnalyzerRegistry& analyzers;
  ReaderPool& readers;  // for planning the queries (fuzzy and prefix expansion)
};

// Fills Hit::highlight of every hit from its source_json (which must be present) for
// request.highlight, whose terms come from request.query unless a field has a highlight_query.
// Fields that match no text or keyword field are skipped, as Elasticsearch skips them.
// InvalidArgument when a highlight_query cannot be planned; Busy/IOError from the reader.
Status HighlightHits(const SearchRequest& request, const HighlightContext& ctx, std::vector<Hit>* hits);

}  // namespace ultrasearch
