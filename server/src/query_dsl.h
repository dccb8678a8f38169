// The Elasticsearch query DSL → ultrasearch::Query. Supports match_all, match_none, match,
// match_bool_prefix, multi_match, match_phrase, match_phrase_prefix, bool, constant_score, term,
// terms, range, prefix, exists, ids, fuzzy, wildcard, dis_max, boosting, function_score,
// combined_fields, query_string and simple_query_string (query_dsl_scoring.h). Unknown query names fail with parsing_exception
// "unknown query [x]"; queries Elasticsearch has but the engine lacks fail with
// illegal_argument_exception; malformed ones with parsing_exception, as Elasticsearch answers.
#pragma once

#include <boost/json.hpp>
#include <string_view>

#include "ultrasearch/analysis.h"
#include "ultrasearch/query.h"

namespace ultrasearch::server {

// `v` is the value of "query" (or "post_filter", "filter"...): an object with one query name.
// An empty object means match_all. Throws EsError on any error.
Query ParseQuery(const boost::json::value& v, const AnalyzerRegistry& analyzers);

// The `q=` URL parameter: "*" or "*:*" match everything, "field:text" matches one field, anything
// else matches the default search fields.
Query ParseQueryStringParam(std::string_view q);

}  // namespace ultrasearch::server
