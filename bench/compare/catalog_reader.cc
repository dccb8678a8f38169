#include "catalog_reader.h"

#include <boost/json.hpp>
#include <sstream>

namespace ultrasearch::bench {

namespace json = boost::json;

const char* QueryKindName(QueryKind kind) {
  switch (kind) {
    case QueryKind::kText: return "text";
    case QueryKind::kFacet: return "facet";
    case QueryKind::kSort: return "sort";
  }
  return "?";
}

namespace {
std::string StringOf(const json::object& o, const char* key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}
}  // namespace

bool CatalogReader::Next(Product* product) {
  for (std::string line; std::getline(in_, line);) {
    if (line.empty()) continue;
    boost::system::error_code ec;
    json::value v = json::parse(line, ec);
    if (ec || !v.is_object()) continue;
    const json::object& o = v.as_object();
    product->id = StringOf(o, "id");
    product->name = StringOf(o, "name");
    product->description = StringOf(o, "description");
    product->brand = StringOf(o, "brand");
    product->category = StringOf(o, "category");
    const json::value* price = o.if_contains("price");
    product->price = price != nullptr && price->is_number() ? price->to_number<double>() : 0.0;
    product->json = std::move(line);
    return true;
  }
  return false;
}

std::vector<std::string> QueryWords(const std::string& line) {
  std::vector<std::string> words;
  std::istringstream in(line);
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

}  // namespace ultrasearch::bench
