// Search requests and results as plain structs.
//
// Fronts (the HTTP server's Elasticsearch DSL, the CLI) translate their input into a Query tree and
// a SearchRequest; the engine plans and executes it. Nothing here knows HTTP or JSON trees.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace ultrasearch {

struct Query;

struct MatchAllQuery {};
struct MatchNoneQuery {};

struct FieldBoost {
  std::string field;
  double boost = 1.0;
};

// Typo tolerance. kAuto is Elasticsearch's AUTO: 0 edits up to 2 letters, 1 up to 5, 2 beyond.
struct Fuzziness {
  enum class Mode { kNone, kAuto, kFixed };
  Mode mode = Mode::kNone;
  int edits = 0;  // for kFixed: 0, 1 or 2
  int prefix_length = 0;
  int max_expansions = 50;
};

// match, multi_match, match_phrase, match_phrase_prefix and bool_prefix in one: text is analysed
// with each field's analyzer and the words are combined per `type` and `op`.
struct MatchQuery {
  // kCrossFields is term-centric: each word may match in any of the fields (the CLI's default).
  enum class Type { kBestFields, kMostFields, kCrossFields, kBoolPrefix, kPhrase, kPhrasePrefix };
  enum class Operator { kOr, kAnd };
  std::vector<FieldBoost> fields;  // empty: the index's default search fields
  std::string text;
  Type type = Type::kBestFields;
  Operator op = Operator::kOr;
  Fuzziness fuzziness;
  std::string minimum_should_match;  // "2", "75%", "-1"... empty for none
  std::string analyzer;              // overrides the field's search analyzer when set
  int slop = 0;                      // for phrases
};

// term / terms: exact values of a keyword, numeric, boolean or date field (any of `values`).
struct TermQuery {
  std::string field;
  std::vector<std::string> values;  // numbers and dates as text; parsed per field type
};

// Bounds as text, parsed per field type (numbers, ISO 8601 dates, epoch millis, or keywords).
struct RangeQuery {
  std::string field;
  std::optional<std::string> gt, gte, lt, lte;
};

struct PrefixQuery {
  std::string field;
  std::string prefix;
};

struct ExistsQuery {
  std::string field;
};

struct IdsQuery {
  std::vector<std::string> ids;
};

struct BoolQuery {
  std::vector<Query> must;
  std::vector<Query> filter;  // must match, does not score
  std::vector<Query> should;
  std::vector<Query> must_not;
  std::string minimum_should_match;  // empty: 1 if no must/filter, else 0 (Elasticsearch's rule)
};

struct Query {
  std::variant<MatchAllQuery, MatchNoneQuery, MatchQuery, TermQuery, RangeQuery, PrefixQuery,
               ExistsQuery, IdsQuery, BoolQuery>
      node = MatchAllQuery{};
  double boost = 1.0;
};

struct SortField {
  std::string field;  // a numeric/date/boolean/keyword field, "_score" or "_doc"
  bool descending = false;
};

struct SearchRequest {
  Query query;
  std::optional<Query> post_filter;  // narrows hits after scoring (and, later, after facets)
  uint32_t from = 0;
  uint32_t size = 10;
  std::vector<SortField> sort;  // empty: by score, best first
  // Count hits exactly up to this number; larger totals are reported as a lower bound.
  uint64_t track_total_hits_up_to = 10000;
  bool fetch_source = true;
  // When the query as typed matches fewer than this many documents, the registry's query rewriters
  // (wrong keyboard layout) are tried and the best-matching rewrite is used. 0 disables.
  uint32_t rewrite_when_fewer_than = 1;
};

// A value a hit was sorted by: number (double), text (keyword) or null.
using SortValue = std::variant<std::monostate, double, std::string>;

struct Hit {
  std::string id;
  double score = 0.0;  // 0 when sorted by a field without _score
  std::string source_json;  // the stored document; empty when fetch_source is false
  std::vector<SortValue> sort_values;  // one per SortField, when sort was given
  uint64_t seq_no = 0;
  uint64_t version = 0;
};

struct SearchResult {
  uint64_t total = 0;
  bool total_is_lower_bound = false;
  double max_score = 0.0;
  std::vector<Hit> hits;
  uint64_t took_micros = 0;
  // Set when a query rewriter's spelling was used instead of the query as typed.
  std::optional<std::string> rewritten_query;
};

}  // namespace ultrasearch
