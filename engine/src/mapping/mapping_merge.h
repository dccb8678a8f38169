// PUT /INDEX/_mapping: merging a mapping update into the mapping in force, as Elasticsearch does.
// New fields and objects are added; a field given again must keep its type and analyzers
// (Elasticsearch's "cannot be changed from type" and "Cannot update parameter" conflicts).
#pragma once

#include <string_view>

#include "mapping/mapping.h"
#include "ultrasearch/analysis.h"
#include "ultrasearch/status.h"

namespace ultrasearch {

// The mapping `current` becomes with `update_json` (Elasticsearch mappings JSON) merged in, or
// InvalidArgument with Elasticsearch's reason when the update is malformed or conflicts; `current`
// itself is never changed. Fields already mapped keep their ordinals; `dynamic`, `date_detection`
// and `dynamic_templates` (merged by name) change only when the update names them. Adding
// multi-fields to an existing field is refused (InvalidArgument) rather than half applied.
Result<Mapping> MergeMappingUpdate(const Mapping& current, std::string_view update_json,
                                   const AnalyzerRegistry& analyzers);

}  // namespace ultrasearch
