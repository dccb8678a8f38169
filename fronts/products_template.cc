#include "ultrasearch_fronts/products_template.h"

namespace ultrasearch::fronts {

namespace {

// Products are searched by name first; descriptions are long and mention other products, so the
// name weighs three times as much. Free-form attributes are filters, never analysed text.
constexpr const char* kProductsMappings = R"({
  "dynamic_templates": [
    {"attributes_as_keywords": {"path_match": "attributes.*",
                                "mapping": {"type": "keyword", "ignore_above": 256}}}
  ],
  "properties": {
    "id":            {"type": "keyword"},
    "name":          {"type": "text", "analyzer": "catalog", "boost": 3.0},
    "description":   {"type": "text", "analyzer": "catalog"},
    "category":      {"type": "keyword"},
    "category_path": {"type": "keyword"},
    "brand":         {"type": "keyword"},
    "tags":          {"type": "keyword"},
    "currency":      {"type": "keyword"},
    "lang":          {"type": "keyword"},
    "price":         {"type": "double"},
    "rating":        {"type": "double"},
    "reviews":       {"type": "integer"},
    "in_stock":      {"type": "boolean"},
    "created_at":    {"type": "date"},
    "attributes":    {"type": "object"}
  }
})";

// New text fields (a catalog feed's extra descriptions) are in the same three languages. The
// bilingual vocabulary lets an Uzbek word find products listed in Russian and back.
constexpr const char* kProductsSettings =
    R"({"analysis": {"analyzer": {"default": {"type": "catalog"}}}, "ultrasearch": {"bilingual_vocabulary": true}})";

}  // namespace

IndexTemplate ProductsIndexTemplate() {
  IndexTemplate t;
  t.name = "products";
  t.index_patterns = {"products"};
  t.mappings_json = kProductsMappings;
  t.settings_json = kProductsSettings;
  t.priority = 100;
  return t;
}

std::vector<IndexTemplate> DefaultIndexTemplates() { return {ProductsIndexTemplate()}; }

}  // namespace ultrasearch::fronts
