// Typo tolerance: which indexed terms of a field lie within a few edits of a query term.
#pragma once

#include <xapian.h>

#include <string>
#include <string_view>
#include <vector>

#include "ultrasearch/query.h"

namespace ultrasearch {

// Edits allowed for a term of `length` code points (Elasticsearch's AUTO: 0 up to 2 letters,
// 1 up to 5, 2 beyond; kFixed is capped at 2).
int AllowedEdits(const Fuzziness& fuzziness, size_t length);

// Levenshtein distance between two code-point sequences, or max_edits + 1 when it exceeds max_edits.
int BoundedEditDistance(const std::u32string& a, const std::u32string& b, int max_edits);

std::u32string DecodeUtf8(std::string_view text);

// Terms of `db` starting with `field_prefix` whose remainder is within `max_edits` of `term`
// (sharing its first `prefix_length` code points), closest and most frequent first, at most
// `max_expansions`. Returned terms include field_prefix. The term itself is included if indexed.
std::vector<std::string> ExpandFuzzy(const Xapian::Database& db, const std::string& field_prefix,
                                     std::string_view term, int max_edits, int prefix_length, int max_expansions);

}  // namespace ultrasearch
