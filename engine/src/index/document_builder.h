// Builds the Xapian document for one catalog document: analysed text terms with positions,
// keyword and boolean terms, exists terms, sort/range values, and the id.
#pragma once

#include <xapian.h>

#include <string_view>

#include "mapping/document_parser.h"
#include "mapping/mapping.h"
#include "ultrasearch/analysis.h"
#include "ultrasearch/status.h"

namespace ultrasearch {

// `mapping` must contain every field of `doc` (new dynamic fields already added). Fails only when
// a field names an analyzer the registry lacks.
Result<Xapian::Document> BuildXapianDocument(std::string_view id, const ParsedDocument& doc, const Mapping& mapping,
                                             const AnalyzerRegistry& analyzers);

}  // namespace ultrasearch
