// Engine aggregation results → the "aggregations" object of an Elasticsearch search response.
#pragma once

#include <string>
#include <vector>

#include "ultrasearch/query.h"

namespace ultrasearch::server {

// Appends {"name":{...},...} to `out`.
void RenderAggregations(const std::vector<AggregationResult>& results, std::string* out);

}  // namespace ultrasearch::server
