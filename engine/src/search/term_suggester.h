// Elasticsearch's term suggester ("did you mean"): for each word of a text, the field's indexed
// terms within a few edits, from the cached fuzzy term dictionary (search/term_dictionary.h).
#pragma once

#include "search/searcher.h"
#include "ultrasearch/query.h"
#include "ultrasearch/status.h"

namespace ultrasearch {

// The entries for request.text over request.field (see SuggestRequest). InvalidArgument for an
// unknown analyzer or a field that is neither text nor keyword; a field missing from the mapping
// gives every word an entry without options (no document has it).
Result<SuggestResult> SuggestTerms(const SuggestRequest& request, const SearchContext& ctx);

}  // namespace ultrasearch
