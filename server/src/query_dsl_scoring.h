// The query DSL's score-combining queries (dis_max, constant_score, boosting, function_score) and
// the text-syntax ones (query_string, simple_query_string, combined_fields, wildcard). Split from
// query_dsl.cc, which dispatches to them and hands in its recursive parser. Throw EsError.
#pragma once

#include <boost/json.hpp>
#include <functional>

#include "ultrasearch/query.h"

namespace ultrasearch::server::dsl {

// Parses a nested query; an empty object is match_all.
using ParseFn = std::function<Query(const boost::json::value&)>;

Query ParseDisMax(const boost::json::value& body, const ParseFn& parse);
Query ParseConstantScore(const boost::json::value& body, const ParseFn& parse);
Query ParseBoosting(const boost::json::value& body, const ParseFn& parse);
Query ParseFunctionScore(const boost::json::value& body, const ParseFn& parse);

Query ParseWildcard(const boost::json::value& body);
Query ParseCombinedFields(const boost::json::value& body);
// `simple`: simple_query_string's syntax (+ | - as operators, never AND/OR/NOT words).
Query ParseQueryString(const boost::json::value& body, bool simple);

}  // namespace ultrasearch::server::dsl
