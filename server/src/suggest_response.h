// Elasticsearch's `suggest` section of a search response, merged over the indices searched.
#pragma once

#include <string>
#include <vector>

#include "search_request.h"
#include "ultrasearch/query.h"

namespace ultrasearch::server {

struct MergedSuggestOption {
  SuggestOption option;
  const std::string* index = nullptr;  // completion: the index of the document
};

struct MergedSuggestEntry {
  std::string text;
  uint32_t offset = 0;
  uint32_t length = 0;
  std::vector<MergedSuggestOption> options;
};

struct MergedSuggestion {
  std::string name;
  SuggestRequest::Type type = SuggestRequest::Type::kTerm;
  std::vector<MergedSuggestEntry> entries;
};

// One MergedSuggestion per suggester from the per-index results (each in request order, index
// i named index_names[i]), as Elasticsearch reduces its shards' suggestions: a term option found
// in several indices adds up its frequencies and keeps its best score; completion options are
// ranked together by score (skip_duplicates across indices too). Each entry is cut to the
// suggester's size.
std::vector<MergedSuggestion> MergeSuggestions(const std::vector<SuggestRequest>& requests,
                                               const std::vector<const std::vector<SuggestResult>*>& per_index,
                                               const std::vector<const std::string*>& index_names);

// Appends `,"suggest":{NAME:[{"text","offset","length","options":[…]}]}`: term options as
// {"text","score","freq"}, completion options as {"text","_index","_id","_score","_source"} with
// the request's _source filtering.
void RenderSuggest(const ParsedSearch& search, const std::vector<MergedSuggestion>& suggestions, std::string* out);

}  // namespace ultrasearch::server
