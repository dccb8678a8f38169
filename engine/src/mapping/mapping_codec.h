// The storage codec of a mapping: the model ⇄ the bytes of the catalog's meta key `mapping`.
// The layout and its versions are described at the top of mapping_codec.cc and in
// docs/storage-format.md.
#pragma once

#include <string>
#include <string_view>

#include "mapping/mapping.h"
#include "ultrasearch/status.h"

namespace ultrasearch {

// The newest format this engine reads and writes. EncodeMapping writes 3 only for mappings that
// declare index_options (docs/storage-format.md), 2 for the rest.
inline constexpr int kMappingFormatVersion = 3;

// The whole model, losslessly: DecodeMapping(EncodeMapping(m)) has the same fields, ordinals,
// objects, templates and defaults as m, and prints the same Elasticsearch JSON.
std::string EncodeMapping(const Mapping& mapping);

// Reads any format this engine ever wrote (1 and 2); Corruption when the bytes are not one, or
// come from a newer engine (a format above kMappingFormatVersion).
Result<Mapping> DecodeMapping(std::string_view data);

}  // namespace ultrasearch
