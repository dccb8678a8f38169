// Elasticsearch's partial update: merge a partial document into the stored one.
#pragma once

#include <string>
#include <string_view>

#include "ultrasearch/status.h"

namespace ultrasearch {

// Objects merge key by key, recursively; any other value (arrays included) replaces the old one.
// `*changed` tells whether the result differs from `stored` (Elasticsearch's "noop").
// InvalidArgument when `partial` is not a JSON object.
Result<std::string> MergePartialDocument(std::string_view stored, std::string_view partial, bool* changed);

}  // namespace ultrasearch
