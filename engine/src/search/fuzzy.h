// Typo tolerance: which indexed terms of a field lie within a few edits of a query term.
// The search runs over a cached per-field TermDictionary (search/term_dictionary.h); the
// brute-force scan of the field's terms is kept as the reference it is tested and measured against.
#pragma once

#include <xapian.h>

#include <string>
#include <string_view>
#include <vector>

#include "search/term_dictionary.h"
#include "ultrasearch/query.h"

namespace ultrasearch {

// Edits allowed for a term of `length` code points (Elasticsearch's AUTO: 0 up to 2 letters,
// 1 up to 5, 2 beyond; kFixed is capped at 2).
int AllowedEdits(const Fuzziness& fuzziness, size_t length);

// Edit distance between two code-point sequences (Levenshtein, plus adjacent transpositions as one
// edit when `transpositions`: optimal string alignment), or max_edits + 1 when it exceeds max_edits.
int BoundedEditDistance(std::u32string_view a, std::u32string_view b, int max_edits, bool transpositions = false);

// Terms of `db` starting with `field_prefix` whose remainder is within options.max_edits of `term`
// (sharing its first options.prefix_length code points), closest and most frequent first, at most
// options.max_expansions. Returned terms include field_prefix; the term itself is included if
// indexed. Uses TermDictionaryCache::Global(), so the first call at a new reader revision pays the
// dictionary build or update. Throws Xapian::Error (DatabaseModifiedError: reopen and retry).
// `reader_version`: see TermDictionaryCache::Get.
std::vector<std::string> ExpandFuzzy(const Xapian::Database& db, const std::string& field_prefix,
                                     std::string_view term, const FuzzyOptions& options,
                                     uint64_t reader_version = 0);

// The same matches found by scanning every term of the field (O(vocabulary), no cache): what
// expansion cost before the dictionary, kept as the peer in bench/fuzzy_bench.cc. Terms are
// returned without field_prefix.
std::vector<FuzzyMatch> ExpandFuzzyByScan(const Xapian::Database& db, const std::string& field_prefix,
                                          std::string_view term, const FuzzyOptions& options);

}  // namespace ultrasearch
