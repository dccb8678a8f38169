// The `suggest` section of a _search body → engine SuggestRequests (Elasticsearch's suggesters).
#pragma once

#include <boost/json.hpp>

#include <vector>

#include "ultrasearch/query.h"

namespace ultrasearch::server {

// Throws EsError for a malformed section, a suggester without text or field, and suggesters this
// server does not run (phrase, regex completion, contexts).
std::vector<SuggestRequest> ParseSuggest(const boost::json::value& v);

}  // namespace ultrasearch::server
