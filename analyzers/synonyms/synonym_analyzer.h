// Elasticsearch's `synonym` / `synonym_graph` token filters, applied at query time only: an
// analyzer that indexes exactly as its base and expands query words by the filters' rules.
#pragma once

#include <memory>
#include <vector>

#include "ultrasearch/analysis.h"

namespace ultrasearch::analyzers {

// The registry's synonym support (SynonymSupport in analysis.h).
std::shared_ptr<const SynonymSupport> MakeSynonymSupport();

}  // namespace ultrasearch::analyzers
