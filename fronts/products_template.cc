#include "ultrasearch_fronts/products_template.h"

namespace ultrasearch::fronts {

namespace {

// Products are searched by name first; descriptions are long and mention other products, so the
// name weighs three times as much. Free-form attributes are filters, never analysed text.
// Category, brand and tags are exact keywords for filters and facets (buckets show them as
// written), matched through the `catalog` normalizer so that a multi_match naming them finds a
// value typed in another case, script or apostrophe, with a `text` view analysed like names so
// that a multi_match over `category.text` also finds its words' other forms (`shirinlik` for
// `Shirinliklar`). Queries without fields keep to name and description: a category word there
// would pull in every product of the category, accessories included.
constexpr const char* kProductsMappings = R"({
  "dynamic_templates": [
    {"attributes_as_keywords": {"path_match": "attributes.*",
                                "mapping": {"type": "keyword", "ignore_above": 256}}}
  ],
  "properties": {
    "id":            {"type": "keyword"},
    "name":          {"type": "text", "analyzer": "catalog", "boost": 3.0},
    "description":   {"type": "text", "analyzer": "catalog"},
    "category":      {"type": "keyword", "normalizer": "catalog",
                      "fields": {"text": {"type": "text", "analyzer": "catalog", "boost": 0.5}}},
    "category_path": {"type": "keyword", "normalizer": "catalog",
                      "fields": {"text": {"type": "text", "analyzer": "catalog", "boost": 0.25}}},
    "brand":         {"type": "keyword", "normalizer": "catalog",
                      "fields": {"text": {"type": "text", "analyzer": "catalog", "boost": 1.0}}},
    "tags":          {"type": "keyword", "normalizer": "catalog",
                      "fields": {"text": {"type": "text", "analyzer": "catalog", "boost": 0.5}}},
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

// New text fields (a catalog feed's extra descriptions) are in the same three languages, and the
// shoppers write in either language: the bilingual vocabulary is on, so `холодильник` finds a
// product listed as `muzlatgich` (issue 17). An index can turn it off in its settings.
constexpr const char* kProductsSettings =
    R"({"analysis": {"analyzer": {"default": {"type": "catalog"}}}, "index.ultrasearch.bilingual_vocabulary": true})";

}  // namespace

IndexTemplate ProductsIndexTemplate() {
  IndexTemplate t;
  t.name = "products";
  // `products-*` too: the concrete indices that `import --replace` and reindex-and-swap create
  // behind the `products` alias.
  t.index_patterns = {"products", "products-*"};
  t.mappings_json = kProductsMappings;
  t.settings_json = kProductsSettings;
  t.priority = 100;
  return t;
}

std::vector<IndexTemplate> DefaultIndexTemplates() { return {ProductsIndexTemplate()}; }

}  // namespace ultrasearch::fronts
