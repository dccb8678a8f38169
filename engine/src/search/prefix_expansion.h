// The last, partial word of a search-as-you-type query (match_bool_prefix, multi_match bool_prefix,
// match_phrase_prefix): which indexed terms it stands for.
//
// Elasticsearch rewrites the partial word to a prefix query capped at max_expansions terms. Typed
// one keystroke at a time, the first letters are the expensive ones: a one-letter prefix is a
// sizeable share of the vocabulary, and OR-ing thousands of terms costs more than the keystroke
// budget. So short prefixes get a smaller cap, filled with the field's most frequent terms (what
// a shopper who typed one letter most likely means), and every prefix is expanded from the cached
// per-field TermDictionary (search/term_dictionary.h), not by walking Xapian's term list.
#pragma once

#include <xapian.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ultrasearch {

// Terms kept for a prefix of one code point and of two; longer prefixes keep max_expansions.
inline constexpr int kOneLetterPrefixExpansions = 10;
inline constexpr int kTwoLetterPrefixExpansions = 25;

// How many terms a prefix of `prefix_length` code points expands to, given the request's
// max_expansions (at least 1).
int PrefixExpansionCap(size_t prefix_length, int max_expansions);

// The terms of `db` under `field_prefix` that start with `prefix`, at most `limit`, most frequent
// first; returned with field_prefix. Uses TermDictionaryCache::Global() (`reader_version`: see
// TermDictionaryCache::Get). Throws Xapian::Error (DatabaseModifiedError: reopen and retry).
std::vector<std::string> ExpandPrefix(const Xapian::Database& db, const std::string& field_prefix,
                                      std::string_view prefix, int limit, uint64_t reader_version = 0);

// The partial word's expansion when the analyzer gives it several forms (Latin, Cyrillic, the
// Russian key): the at most `limit` most frequent terms starting with any of `prefixes`, once each,
// most frequent first (ties by term bytes). One cap for the word, not one per form: a keystroke
// ORs a word's `limit` likeliest completions, as Elasticsearch's max_expansions caps one prefix,
// instead of up to `limit` per form. Throws as ExpandPrefix.
std::vector<std::string> ExpandPrefixes(const Xapian::Database& db, const std::string& field_prefix,
                                        const std::vector<std::string>& prefixes, int limit,
                                        uint64_t reader_version = 0);

}  // namespace ultrasearch
