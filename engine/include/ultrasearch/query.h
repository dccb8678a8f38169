// Search requests and results as plain structs.
//
// Fronts (the HTTP server's Elasticsearch DSL, the CLI) translate their input into a Query tree and
// a SearchRequest; the engine plans and executes it. Nothing here knows HTTP or JSON trees.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
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
  // Elasticsearch's zero_terms_query "all": when analysis leaves no word (only stop words or
  // punctuation), match every document instead of none.
  bool zero_terms_all = false;
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

// wildcard: `*` (any run of characters) and `?` (one character) over the field's indexed terms
// (a keyword's whole value, a text field's analysed words).
struct WildcardQuery {
  std::string field;
  std::string pattern;
  bool case_insensitive = false;
};

// --- queries that combine their children's scores --------------------------------------------
// Their matching runs in Xapian; their scores are computed by the engine from Xapian's weights of
// the children (engine/src/search/rescorer.h says how and over which documents).

// Matches what any child matches; scores the best child's score plus tie_breaker times the others'.
struct DisMaxQuery {
  std::vector<Query> queries;
  double tie_breaker = 0.0;
};

// Matches what `filter` (one query) matches, every document scoring the query's boost.
struct ConstantScoreQuery {
  std::vector<Query> filter;  // exactly one
};

// Matches what `positive` matches; documents also matching `negative` score times negative_boost.
struct BoostingQuery {
  std::vector<Query> positive;  // exactly one
  std::vector<Query> negative;  // exactly one
  double negative_boost = 1.0;
};

// One function of a function_score query (Elasticsearch's formulas).
struct ScoreFunction {
  std::vector<Query> filter;  // empty: applies to every document; else exactly one
  double weight = 1.0;        // multiplies the function's value (alone: the value is the weight)
  enum class Kind { kWeight, kFieldValueFactor, kGauss, kLinear, kExp };
  Kind kind = Kind::kWeight;
  std::string field;
  // field_value_factor: modifier(factor * value); `missing` stands in for documents without one.
  enum class Modifier { kNone, kLog, kLog1p, kLog2p, kLn, kLn1p, kLn2p, kSquare, kSqrt, kReciprocal };
  Modifier modifier = Modifier::kNone;
  double factor = 1.0;
  std::optional<double> missing;
  // Decay functions: numbers for numeric fields; for dates the origin is a date (ISO 8601, epoch
  // millis or "now") and scale/offset durations ("10d", "12h", "30m", "5s", "100ms", "2w").
  // Documents without a value score 1. An empty origin: 0, or now for dates.
  std::string origin, scale, offset = "0";
  double decay = 0.5;
};

struct FunctionScoreQuery {
  std::vector<Query> query;  // exactly one (match_all when the request has none)
  std::vector<ScoreFunction> functions;
  enum class ScoreMode { kMultiply, kSum, kAvg, kFirst, kMax, kMin };
  enum class BoostMode { kMultiply, kReplace, kSum, kAvg, kMax, kMin };
  ScoreMode score_mode = ScoreMode::kMultiply;
  BoostMode boost_mode = BoostMode::kMultiply;
  double max_boost = 3.4028234663852886e38;  // Float.MAX_VALUE, Elasticsearch's default
  std::optional<double> min_score;           // documents scoring less (before boost) do not match
};

struct Query {
  std::variant<MatchAllQuery, MatchNoneQuery, MatchQuery, TermQuery, RangeQuery, PrefixQuery,
               ExistsQuery, IdsQuery, BoolQuery, WildcardQuery, DisMaxQuery, ConstantScoreQuery,
               BoostingQuery, FunctionScoreQuery>
      node = MatchAllQuery{};
  double boost = 1.0;
};

struct SortField {
  std::string field;  // a numeric/date/boolean/keyword field, "_score" or "_doc"
  bool descending = false;
  // Which value of a multi-valued field sorts the document (Elasticsearch's `mode`); kDefault is
  // the smallest value ascending and the largest descending.
  enum class Mode { kDefault, kMin, kMax, kSum, kAvg, kMedian };
  Mode mode = Mode::kDefault;
  bool missing_first = false;  // documents without a value: first instead of last
};

// --- aggregations (Elasticsearch's `aggs`) --------------------------------------------------

// One aggregation of a request, with its sub-aggregations. Fields are the mapping's field names.
struct Aggregation {
  enum class Type {
    kTerms, kRange, kDateRange, kHistogram, kDateHistogram,
    kMin, kMax, kAvg, kSum, kStats, kValueCount, kCardinality,
    kFilter, kFilters, kGlobal,
  };
  std::string name;
  Type type = Type::kTerms;
  std::string field;

  // terms
  uint32_t size = 10;
  // terms default to kCountDesc (ties by key); histograms want kKeyAsc, Elasticsearch's default
  // for them, which the HTTP front sets.
  enum class Order { kCountDesc, kCountAsc, kKeyAsc, kKeyDesc };
  Order order = Order::kCountDesc;
  std::optional<uint64_t> min_doc_count;  // default 1 (terms), 0 (histograms)
  std::optional<std::string> missing;     // terms/metrics: the value documents without one get
  std::vector<std::string> include, exclude;  // exact values
  std::string include_regex, exclude_regex;   // Lucene-style regular expressions (whole value)

  // range, date_range (from inclusive, to exclusive; numbers as text for dates: ISO or millis)
  struct Range {
    std::optional<std::string> key;
    std::optional<std::string> from, to;
  };
  std::vector<Range> ranges;
  bool keyed = false;

  // histogram: interval and offset in field units; date_histogram: fixed_interval in millis or a
  // calendar_interval (minute, hour, day, week, month, quarter, year or 1m, 1h, 1d, 1w, 1M, 1q, 1y)
  double interval = 0;
  double offset = 0;
  std::string calendar_interval;
  int64_t fixed_interval_millis = 0;
  std::optional<std::string> format;  // date format for key_as_string (only the ISO default)

  // filter / filters
  std::optional<Query> filter;
  std::vector<std::pair<std::string, Query>> filters;  // named, in request order
  bool filters_keyed = true;        // filters given as an object (keyed) or an array
  bool other_bucket = false;
  std::string other_bucket_key = "_other_";

  // cardinality: counts are exact below this many distinct values (Elasticsearch's default 3000)
  uint64_t precision_threshold = 3000;

  std::vector<Aggregation> subs;
};

struct AggregationResult;

struct AggregationBucket {
  // The key: a string (terms on keywords, filters, ranges' generated keys) or a number.
  std::variant<std::string, double> key;
  std::optional<std::string> key_as_string;  // dates, booleans
  std::optional<double> from, to;            // range buckets
  std::optional<std::string> from_as_string, to_as_string;
  uint64_t doc_count = 0;
  std::vector<AggregationResult> subs;
};

struct AggregationResult {
  std::string name;
  Aggregation::Type type = Aggregation::Type::kTerms;
  // Metrics: value (min, max, avg, sum, value_count, cardinality); null when no document had one.
  std::optional<double> value;
  std::optional<std::string> value_as_string;  // min/max of dates
  // stats
  uint64_t count = 0;
  double sum = 0;
  std::optional<double> min, max, avg;
  // Bucket aggregations.
  std::vector<AggregationBucket> buckets;
  bool keyed = false;
  bool keys_are_integers = false;  // numeric keys of long, date and boolean fields print as integers
  uint64_t doc_count_error_upper_bound = 0;
  uint64_t sum_other_doc_count = 0;
  // Single-bucket aggregations (filter, global): doc_count and subs.
  uint64_t doc_count = 0;
  std::vector<AggregationResult> subs;
};

// The reason of the error a search fails with when its aggregations make too many buckets
// (InvalidArgument; fronts map it to Elasticsearch's too_many_buckets_exception).
inline constexpr const char* kTooManyBucketsReason = "Trying to create too many buckets. Must be less than or equal to: [";

// --- highlighting (Elasticsearch's `highlight`) ----------------------------------------------

// One field to highlight, with its options resolved (the request's defaults merged with the
// field's own). What is marked is the span of the stored text whose analysed form (any of the
// alternative terms the field's index analyzer emits at a position: cross-script forms, stems)
// is among the query's terms for the field, including its fuzzy and prefix expansions; phrase
// clauses mark only words that stand in the phrase. Terms under must_not are never marked.
struct HighlightField {
  std::string field;  // a field name, or a pattern with '*' matching text and keyword fields
  std::string pre_tag = "<em>";
  std::string post_tag = "</em>";
  uint32_t fragment_size = 100;       // in UTF-16 code units, as Elasticsearch counts; 0: whole sentences
  uint32_t number_of_fragments = 5;   // 0: each matching value whole, one fragment per value
  uint32_t no_match_size = 0;         // without a match: this much of the first value (cut at a word end)
  bool require_field_match = true;    // false: terms the query has for any field are marked here too
  bool order_by_score = false;        // fragments best first instead of in text order
  bool html_encode = false;           // escape the text (not the tags) as HTML
  std::optional<Query> highlight_query;  // marks this query's terms instead of the search query's
};

struct HighlightRequest {
  std::vector<HighlightField> fields;  // in request order; the hit's highlights keep it
};

// The highlighted fragments of one field of a hit.
struct HighlightedField {
  std::string field;
  std::vector<std::string> fragments;
};

// A point in time (Index::OpenPointInTime): the searchable state of an index at one moment.
class PointInTime;

// --- suggesters (Elasticsearch's `suggest`) --------------------------------------------------

// One named suggester of a request. kTerm is Elasticsearch's term suggester ("did you mean"):
// each word of `text`, analysed with the field's search analyzer, gets the field's indexed terms
// within max_edits of it (the fuzzy term dictionary), best first. kCompletion is the completion
// suggester over a `completion` field: `text` is the typed prefix, analysed as the field's inputs
// were; the options are the documents with an input starting with it, heaviest first.
struct SuggestRequest {
  enum class Type { kTerm, kCompletion };
  enum class Mode { kMissing, kPopular, kAlways };  // suggest_mode
  enum class Sort { kScore, kFrequency };
  std::string name;
  Type type = Type::kTerm;
  std::string field;
  std::string text;
  std::string analyzer;  // empty: the field's search analyzer
  uint32_t size = 5;     // options per word
  Mode mode = Mode::kMissing;  // kMissing: only words no document of the field has
  Sort sort = Sort::kScore;
  int max_edits = 2;        // 1 or 2
  int prefix_length = 1;    // leading code points a suggestion shares with the word
  int min_word_length = 4;  // shorter words get no suggestions
  uint64_t min_doc_freq = 0;  // suggestions in fewer documents are left out
  // completion
  bool skip_duplicates = false;  // one option per distinct input text
  // fuzzy: mode kNone for exact prefixes; else the prefix's last word may be `edits` (AUTO: by
  // its length) away from the start of an input's word, sharing its first prefix_length code
  // points, when it has at least fuzzy_min_length code points.
  Fuzziness fuzzy;
  int fuzzy_min_length = 3;
};

struct SuggestOption {
  std::string text;  // term: the indexed term suggested; completion: the input that matched
  // term: 1 - edits / (the shorter length), Lucene's internal Levenshtein similarity;
  // completion: the input's weight
  double score = 0;
  uint64_t freq = 0;  // term: documents of the field with the term
  // completion: the document
  std::string id;
  std::string source_json;  // empty when the request does not fetch sources
};

// One word of the suggest text with its options (empty when none, or the word needs none); the
// completion suggester gives one entry, the whole prefix.
struct SuggestEntry {
  std::string text;     // the word as analysed
  uint32_t offset = 0;  // where it stands in the text, in UTF-16 code units as Elasticsearch counts
  uint32_t length = 0;
  std::vector<SuggestOption> options;
};

struct SuggestResult {
  std::string name;
  SuggestRequest::Type type = SuggestRequest::Type::kTerm;
  std::vector<SuggestEntry> entries;  // in text order
};

// A value a hit was sorted by: number (double), text (keyword) or null.
using SortValue = std::variant<std::monostate, double, std::string>;

struct SearchRequest {
  Query query;
  std::optional<Query> post_filter;  // narrows hits after scoring (and, later, after facets)
  uint32_t from = 0;
  uint32_t size = 10;
  std::vector<SortField> sort;  // empty: by score, best first
  // Elasticsearch's search_after: when not empty, only hits whose sort values (one per SortField,
  // as Hit::sort_values reports them) come strictly after these in the sort's order. Needs `sort`
  // of the same length and from == 0; sorts on columns (numeric, date, keyword, _doc) only.
  std::vector<SortValue> search_after;
  // Count hits exactly up to this number; larger totals are reported as a lower bound.
  uint64_t track_total_hits_up_to = 10000;
  bool fetch_source = true;
  // True (the default): the first match clause's text, word by word, is searched as the
  // registry's query rewriters read it (the other keyboard layout: `ntktajy` is `телефон`) when
  // the index's terms show that reading is the one meant: the typed word is no term of the
  // searched fields (or a rare one) and the other reading is. Decided before searching, not from
  // the hit count. False searches exactly what was typed.
  bool reread_in_other_layout = true;
  // Computed over every document `query` matches (post_filter narrows only the hits).
  std::vector<Aggregation> aggregations;
  // Elasticsearch's search.max_buckets: more buckets in one response fail the search.
  uint32_t max_buckets = 65536;
  // Elasticsearch's `timeout`, best effort as there: once it passes, the matcher stops looking and
  // the hits found so far are returned with SearchResult::timed_out. Zero: no limit.
  std::chrono::milliseconds timeout{0};
  // Polled between the phases of a search (rewrites, matching, aggregating, fetching): true stops
  // it with Status::Cancelled. The HTTP front sets it to "the client went away". May be empty.
  std::function<bool()> cancelled;
  // Fragments of the hits' stored text with the query's matches marked (see HighlightField). The
  // stored documents are read for it even when fetch_source is false.
  std::optional<HighlightRequest> highlight;
  // Elasticsearch's top-level min_score: hits scoring less are left out (and not counted).
  std::optional<double> min_score;
  // Elasticsearch's collapse: only the best hit of each value of this keyword field is returned
  // (documents without a value form one group). Relevance order only.
  std::string collapse_field;
  // Each hit gets an Explanation of its score.
  bool explain = false;
  // Search the index as it was when this point in time was opened, not as it is now. Opened by
  // the same index (Index::OpenPointInTime); searches on one point in time run one at a time.
  std::shared_ptr<PointInTime> point_in_time;
  // Suggestions computed beside the hits (SearchResult::suggest, in this order).
  std::vector<SuggestRequest> suggest;
};

// How a hit's score came about (Elasticsearch's `_explanation`).
struct Explanation {
  double value = 0;
  std::string description;
  std::vector<Explanation> details;
};

struct Hit {
  std::string id;
  double score = 0.0;  // 0 when sorted by a field without _score
  std::string source_json;  // the stored document; empty when fetch_source is false
  std::vector<SortValue> sort_values;  // one per SortField, when sort was given
  uint64_t seq_no = 0;
  uint64_t version = 0;
  // Fields of SearchRequest::highlight that have fragments, in request order (wildcard patterns
  // expanded in mapping order); fields without a match are absent unless no_match_size > 0.
  std::vector<HighlightedField> highlight;
  std::optional<std::string> collapse_value;  // with SearchRequest::collapse_field; nullopt: none
  std::optional<Explanation> explanation;     // with SearchRequest::explain
};

struct SearchResult {
  uint64_t total = 0;
  bool total_is_lower_bound = false;
  double max_score = 0.0;
  std::vector<Hit> hits;
  uint64_t took_micros = 0;
  // Set when a query rewriter's spelling was searched, instead of the query as typed or (when the
  // typed words are rare terms and the rewrite's common ones) beside it at a lower weight.
  std::optional<std::string> rewritten_query;
  std::vector<AggregationResult> aggregations;  // in request order
  // The request's timeout passed while matching: the hits (and total) may be partial.
  bool timed_out = false;
  std::vector<SuggestResult> suggest;  // one per SearchRequest::suggest, in request order
};

}  // namespace ultrasearch
