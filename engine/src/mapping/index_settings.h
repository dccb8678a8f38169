// What a new index is created with: the creation request merged over the best matching index
// template (engine.h, IndexTemplate), and the analysis defaults its settings give the mapping.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ultrasearch/analysis.h"
#include "ultrasearch/engine.h"
#include "ultrasearch/status.h"

namespace ultrasearch {

// The settings index `name` is created with: `request` merged over the highest-priority template
// whose patterns match `name` (objects merge key by key, the request winning; other values replace).
// `request` itself when no template matches. InvalidArgument when either side is not a JSON object.
Result<IndexSettings> ApplyIndexTemplates(std::string_view name, const IndexSettings& request,
                                          const std::vector<IndexTemplate>& templates);

// The analyzer of text fields that declare none: Elasticsearch's `analysis.analyzer.default`
// (nested, flat dotted or under `index.`), whose `type` must name an analyzer of `analyzers`;
// `standard` when the settings give none. InvalidArgument for a custom (tokenizer/filter) default,
// an unknown analyzer, or settings that are not a JSON object.
Result<std::string> DefaultAnalyzerFromSettings(std::string_view settings_json, const AnalyzerRegistry& analyzers);

// Checks that each template's patterns, settings and mappings parse (run once at Engine::Open).
Status ValidateIndexTemplates(const std::vector<IndexTemplate>& templates, const AnalyzerRegistry& analyzers);

}  // namespace ultrasearch
