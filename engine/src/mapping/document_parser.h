// Turns a JSON document into typed field values checked against the mapping, finding the fields
// dynamic mapping must add. Runs outside the writer lock; rejects bad documents before anything
// is written.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "mapping/mapping.h"
#include "ultrasearch/status.h"

namespace ultrasearch {

// One leaf value as the document wrote it.
struct RawValue {
  JsonKind kind = JsonKind::kString;
  std::string text;    // strings as written; numbers and booleans in their JSON spelling
  double number = 0;   // for kLong / kDouble
  bool boolean = false;
  uint32_t weight = 1;  // a completion input's weight ({"input":…,"weight":N}); 1 otherwise
};

// All values of one leaf path (arrays flattened), in document order.
struct ExtractedField {
  std::string path;
  std::vector<RawValue> values;
};

struct ParsedDocument {
  std::vector<ExtractedField> fields;
  // Fields dynamic mapping adds for this document (no ordinals yet), one per new path.
  std::vector<FieldMapping> new_fields;
};


// Parses `json` (must be a JSON object) against `mapping`. InvalidArgument with an Elasticsearch
// style reason ("failed to parse field [price] of type [double] ...") when the document is
// malformed or a value does not fit its field; `id` only appears in messages.
Result<ParsedDocument> ParseDocument(std::string_view json, const Mapping& mapping, std::string_view id);

// The values of the leaf `paths` of `json` (a JSON object), one list per path in document order
// (arrays flattened, nulls left out; a completion object's inputs in order, with their weights),
// with the same text ParseDocument gives them; a dotted path
// matches nested objects and dotted keys alike. Reads nothing else and checks no mapping, so it
// is cheap enough for stored documents read at search time. InvalidArgument for malformed JSON.
Status ExtractPaths(std::string_view json, const std::vector<std::string_view>& paths,
                    std::vector<std::vector<RawValue>>* out);

// A value coerced to a field's type, as Elasticsearch coerces: numbers from numeric strings,
// booleans from "true"/"false", dates from ISO 8601 or epoch millis, keywords from any scalar.
// Returns false when the value does not fit.
bool CoerceToNumber(const RawValue& value, FieldType type, double* out);

}  // namespace ultrasearch
