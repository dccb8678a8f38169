// `ultrasearch search QUERY`: the storefront's query, from the command line.
#include <boost/json.hpp>
#include <cstdio>
#include <iostream>

#include "commands.h"

namespace json = boost::json;

namespace ultrasearch::cli {

namespace {

SearchRequest BuildRequest(const SearchOptions& options, MatchQuery::Operator op) {
  MatchQuery match;
  match.text = options.query;
  match.type = MatchQuery::Type::kCrossFields;  // each word may match in name or description
  match.op = op;
  if (options.fuzzy) match.fuzziness.mode = Fuzziness::Mode::kAuto;
  SearchRequest request;
  request.query.node = std::move(match);
  request.size = static_cast<uint32_t>(options.size);
  return request;
}

std::string FieldText(const json::object& doc, const char* key) {
  const json::value* v = doc.if_contains(key);
  if (v == nullptr) return "";
  if (v->is_string()) return std::string(v->as_string());
  if (v->is_number()) return json::serialize(*v);
  return "";
}

void PrintTable(const SearchResult& result, const std::string& index) {
  std::printf("%llu%s hits in [%s] (%.2f ms)%s%s\n", (unsigned long long)result.total,
              result.total_is_lower_bound ? "+" : "", index.c_str(), result.took_micros / 1000.0,
              result.rewritten_query ? ", searched as: " : "",
              result.rewritten_query ? result.rewritten_query->c_str() : "");
  int rank = 0;
  for (const auto& hit : result.hits) {
    boost::system::error_code ec;
    json::value doc = json::parse(hit.source_json, ec);
    json::object empty;
    const json::object& obj = !ec && doc.is_object() ? doc.as_object() : empty;
    std::string price = FieldText(obj, "price");
    std::string suffix = price.empty() ? "" : "  [" + price + " " + FieldText(obj, "currency") + "]";
    std::printf("%3d. %7.3f  %-12s %s%s\n", ++rank, hit.score, hit.id.c_str(), FieldText(obj, "name").c_str(),
                suffix.c_str());
  }
}

void PrintJson(const SearchResult& result, const std::string& index) {
  json::object out;
  out["took"] = result.took_micros / 1000;
  out["timed_out"] = false;
  json::array hits;
  for (const auto& hit : result.hits) {
    json::object h;
    h["_index"] = index;
    h["_id"] = hit.id;
    h["_score"] = hit.score;
    boost::system::error_code ec;
    h["_source"] = json::parse(hit.source_json, ec);
    hits.push_back(std::move(h));
  }
  json::object total{{"value", result.total}, {"relation", result.total_is_lower_bound ? "gte" : "eq"}};
  out["hits"] = json::object{{"total", std::move(total)},
                             {"max_score", result.hits.empty() ? json::value(nullptr) : json::value(result.max_score)},
                             {"hits", std::move(hits)}};
  std::cout << json::serialize(out) << "\n";
}

}  // namespace

int RunSearch(const CommonOptions& common, const SearchOptions& options) {
  auto opened = OpenIndexOrReport(common, /*create=*/false);
  if (!opened) return 2;
  Index& index = *opened.index;
  // All words first; when that finds nothing, any word (ranked by how many match).
  auto result = index.Search(BuildRequest(options, MatchQuery::Operator::kAnd));
  if (result.ok() && result->total == 0) {
    result = index.Search(BuildRequest(options, MatchQuery::Operator::kOr));
  }
  if (!result.ok()) {
    std::cerr << "ultrasearch: " << result.status().ToString() << "\n";
    return 2;
  }
  if (options.json) {
    PrintJson(result.value(), common.index);
  } else {
    PrintTable(result.value(), common.index);
  }
  return 0;
}

}  // namespace ultrasearch::cli
