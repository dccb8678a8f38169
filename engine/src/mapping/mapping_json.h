// The Elasticsearch form of a mapping: the mappings JSON of `PUT /INDEX` and `GET /INDEX/_mapping`
// ({"dynamic":…,"date_detection":…,"dynamic_templates":[…],"properties":{…}}). Parsing checks it as
// Elasticsearch does; printing shows every parameter the mapping declared and nothing it did not
// (a text field's default analyzer is not shown, as in Elasticsearch).
#pragma once

#include <string>
#include <string_view>

#include "mapping/mapping.h"
#include "ultrasearch/analysis.h"
#include "ultrasearch/status.h"

namespace ultrasearch {

// Parses mappings JSON; empty text gives an empty dynamic mapping. Analyzer names are checked
// against `analyzers`; text fields that name none use `default_analyzer`. InvalidArgument with
// Elasticsearch's reason when the JSON is malformed or a parameter is unknown or ill-typed.
Result<Mapping> ParseMappingJson(std::string_view json, const AnalyzerRegistry& analyzers,
                                 const std::string& default_analyzer);

// The mapping as GET /INDEX/_mapping shows it under "mappings".
std::string MappingToJson(const Mapping& mapping);

}  // namespace ultrasearch
