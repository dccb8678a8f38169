// The `aggs` / `aggregations` section of a search body → engine Aggregation structs.
#pragma once

#include <boost/json.hpp>
#include <vector>

#include "ultrasearch/analysis.h"
#include "ultrasearch/query.h"

namespace ultrasearch::server {

// `v` is the object of named aggregations. Throws EsError as Elasticsearch answers: parsing_exception
// for unknown aggregation types and malformed definitions, illegal_argument_exception for types
// Elasticsearch has that this server does not.
std::vector<Aggregation> ParseAggregations(const boost::json::value& v, const AnalyzerRegistry& analyzers);

}  // namespace ultrasearch::server
