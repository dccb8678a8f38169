#include "search_response.h"

#include <fmt/format.h>

#include <cmath>
#include <iterator>
#include <string_view>

#include "aggs_response.h"
#include "json_util.h"
#include "suggest_response.h"

namespace ultrasearch::server {

std::string SortValueJson(const SortValue& v) {
  if (const double* d = std::get_if<double>(&v)) return std::isfinite(*d) ? FormatNumber(*d) : "null";
  if (const std::string* s = std::get_if<std::string>(&v)) return Quote(*s);
  return "null";
}

static std::string Score(double s) { return std::isfinite(s) ? fmt::format("{}", s) : "0.0"; }

// Elasticsearch's _explanation: {"value", "description", "details": [...]}.
static void RenderExplanation(const Explanation& e, std::string* out) {
  *out += R"({"value":)";
  *out += Score(e.value);
  *out += R"(,"description":)";
  *out += Quote(e.description);
  *out += R"(,"details":[)";
  for (std::size_t i = 0; i < e.details.size(); ++i) {
    if (i) *out += ',';
    RenderExplanation(e.details[i], out);
  }
  *out += "]}";
}

std::string WithTook(int64_t took_ms, std::string_view after_took) {
  std::string out;
  out.reserve(32 + after_took.size());
  out += R"({"took":)";
  fmt::format_to(std::back_inserter(out), "{}", took_ms);
  out += after_took;
  return out;
}

std::string RenderSearchResponse(const ParsedSearch& search, const MergedResult& result, int64_t took_ms) {
  return WithTook(took_ms, RenderSearchResponseAfterTook(search, result));
}

std::string RenderSearchResponseAfterTook(const ParsedSearch& search, const MergedResult& result) {
  std::string out;
  out.reserve(256 + result.hits.size() * 512);
  out += result.timed_out ? R"(,"timed_out":true)" : R"(,"timed_out":false)";
  out += R"(,"_shards":{"total":1,"successful":1,"skipped":0,"failed":0},"hits":{)";
  if (search.report_total) {
    out += fmt::format(R"("total":{{"value":{},"relation":"{}"}},)", result.total,
                       result.total_is_lower_bound ? "gte" : "eq");
  }
  out += R"("max_score":)";
  out += (search.track_scores && !result.hits.empty()) ? Score(result.max_score) : "null";
  out += R"(,"hits":[)";
  bool first = true;
  for (const IndexedHit& ih : result.hits) {
    const Hit& h = *ih.hit;
    if (!first) out += ',';
    first = false;
    out += R"({"_index":)";
    out += Quote(*ih.index);
    out += R"(,"_id":)";
    out += Quote(h.id);
    out += R"(,"_score":)";
    out += search.track_scores ? Score(h.score) : "null";
    if (h.explanation) {
      out += R"(,"_shard":)";
      out += Quote("[" + *ih.index + "][0]");
      out += R"(,"_node":"ultrasearch","_explanation":)";
      RenderExplanation(*h.explanation, &out);
    }
    if (search.version) out += fmt::format(R"(,"_version":{})", h.version);
    if (search.seq_no_primary_term) out += fmt::format(R"(,"_seq_no":{},"_primary_term":1)", h.seq_no);
    if (search.source.fetch && !h.source_json.empty()) {
      out += R"(,"_source":)";
      out += search.source.Apply(h.source_json);
    }
    if (!h.highlight.empty()) {
      out += R"(,"highlight":{)";
      for (std::size_t i = 0; i < h.highlight.size(); ++i) {
        if (i) out += ',';
        out += Quote(h.highlight[i].field);
        out += ":[";
        for (std::size_t j = 0; j < h.highlight[i].fragments.size(); ++j) {
          if (j) out += ',';
          out += Quote(h.highlight[i].fragments[j]);
        }
        out += ']';
      }
      out += '}';
    }
    if (!search.request.collapse_field.empty()) {
      // Elasticsearch shows each collapsed hit's group value under `fields`.
      out += R"(,"fields":{)";
      out += Quote(search.request.collapse_field);
      out += ":[";
      if (h.collapse_value) out += Quote(*h.collapse_value);
      out += "]}";
    }
    if (!search.request.sort.empty()) {
      out += R"(,"sort":[)";
      for (std::size_t i = 0; i < h.sort_values.size(); ++i) {
        if (i) out += ',';
        out += SortValueJson(h.sort_values[i]);
      }
      out += ']';
    }
    out += '}';
  }
  out += "]}";
  if (!search.request.aggregations.empty() && result.aggregations != nullptr) {
    out += R"(,"aggregations":)";
    RenderAggregations(*result.aggregations, &out);
  }
  if (!search.request.suggest.empty() && result.suggest != nullptr) RenderSuggest(search, *result.suggest, &out);
  out += '}';
  return out;
}

std::string RenderCountResponse(uint64_t count, int indices) {
  return fmt::format(R"({{"count":{},"_shards":{{"total":{},"successful":{},"skipped":0,"failed":0}}}})", count,
                     indices, indices);
}

}  // namespace ultrasearch::server
