// Elasticsearch's completion suggester over a `completion` field.
//
// Each input is indexed as boolean terms "C<ordinal>:" + key + weight + input index
// (index/completion_keys.h), so Xapian's sorted term list is the prefix-ordered structure: a typed
// prefix is a contiguous range of terms, read without touching any document until the best
// weights are known. Only then are the posting lists of the heaviest terms read (a term is shared
// by every document with the same key and weight) and the winners' sources fetched.
#pragma once

#include "search/searcher.h"
#include "ultrasearch/query.h"
#include "ultrasearch/status.h"

namespace ultrasearch {

// One entry (the whole prefix) with at most request.size options, heaviest first (ties: exact
// prefixes before fuzzy ones, then by input text, then id); one option per document, its
// heaviest matching input; with skip_duplicates one per input text. InvalidArgument when the
// field is not a completion field or the analyzer is unknown.
Result<SuggestResult> SuggestCompletions(const SuggestRequest& request, const SearchContext& ctx);

}  // namespace ultrasearch
