// The `highlight` section of a search body → the engine's HighlightRequest: the top-level options
// are defaults each field's own options override, as in Elasticsearch.
#pragma once

#include <boost/json.hpp>

#include "ultrasearch/analysis.h"
#include "ultrasearch/query.h"

namespace ultrasearch::server {

// Throws EsError as Elasticsearch answers: x_content_parse_exception naming an unknown option or
// a value of the wrong kind, illegal_argument_exception for unknown highlighter types and orders
// and for Elasticsearch options this server does not implement (boundary_scanner other than
// sentence, matched_fields).
HighlightRequest ParseHighlight(const boost::json::value& v, const AnalyzerRegistry& analyzers);

}  // namespace ultrasearch::server
