// The `products` index template: the catalog document of DESIGN.md as Elasticsearch mappings and
// settings. The CLI hands it to the engine for every command, `serve` included, so an index named
// `products` created without mappings (by `import`, a first `_bulk`, or `PUT /products`) gets it.
#pragma once

#include <vector>

#include "ultrasearch/engine.h"

namespace ultrasearch::fronts {

// Pattern "products"; text fields analysed by `catalog` (name boosted 3×), keyword filters,
// numeric and date fields, and `attributes.*` mapped dynamically as keywords.
IndexTemplate ProductsIndexTemplate();

// The templates every front opens the engine with.
std::vector<IndexTemplate> DefaultIndexTemplates();

}  // namespace ultrasearch::fronts
