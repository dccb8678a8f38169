// The one place a keyword value becomes its indexed form: through the field's normalizer when it
// names one, else as written. Indexing and every query on keyword fields go through it, so the two
// sides always agree.
#pragma once

#include <string>
#include <string_view>

#include "mapping/mapping.h"
#include "ultrasearch/analysis.h"

namespace ultrasearch {

inline std::string KeywordTermValue(const FieldMapping& field, std::string_view value,
                                    const AnalyzerRegistry& analyzers) {
  if (field.normalizer.empty()) return std::string(value);
  const Normalizer* normalizer = analyzers.FindNormalizer(field.normalizer);
  // A mapping names only normalizers the registry had when it was parsed; one gone since (a
  // build without it) indexes the value as written rather than failing every write.
  return normalizer == nullptr ? std::string(value) : (*normalizer)(value);
}

}  // namespace ultrasearch
