#include "search_request.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <limits>

#include "aggs_request.h"
#include "es_errors.h"
#include "handler_util.h"
#include "highlight_request.h"
#include "json_util.h"
#include "query_dsl.h"
#include "suggest_request.h"
#include "ultrasearch/limits.h"

namespace ultrasearch::server {
namespace {

// A search's `timeout` (body or query string): an Elasticsearch time value; "-1" means none.
std::chrono::milliseconds SearchTimeout(std::string_view text) {
  if (text == "-1") return std::chrono::milliseconds{0};
  int64_t ms = ParseTimeValueMs(text, "timeout");
  // A sub-millisecond timeout still limits the search: round it up rather than to "none".
  return std::chrono::milliseconds{std::max<int64_t>(ms, 1)};
}

SortField SortOn(std::string_view field, std::optional<std::string_view> order) {
  SortField s;
  s.field = std::string(field);
  s.descending = field == "_score";
  if (order) {
    if (*order == "desc") s.descending = true;
    else if (*order == "asc") s.descending = false;
    else throw IllegalArgument(fmt::format("Unknown SortOrder [{}]", *order));
  }
  if (s.field.empty()) throw ParsingError("[sort] field name cannot be empty");
  return s;
}

void ParseSortEntry(const json::value& v, std::vector<SortField>* out) {
  if (v.is_string()) {
    out->push_back(SortOn(v.get_string(), std::nullopt));
    return;
  }
  if (!v.is_object()) throw ParsingError(fmt::format("[sort] unexpected token [{}]", TokenName(v)));
  for (const auto& [field, spec] : v.get_object()) {
    if (spec.is_string()) {
      out->push_back(SortOn(field, std::string_view(spec.get_string())));
    } else if (spec.is_object()) {
      std::optional<std::string_view> order;
      SortField::Mode mode = SortField::Mode::kDefault;
      bool missing_first = false;
      for (const auto& [key, value] : spec.get_object()) {
        if (key == "order") {
          if (!value.is_string()) throw ParsingError("[sort] [order] must be a string");
          order = std::string_view(value.get_string());
        } else if (key == "mode") {
          if (!value.is_string()) throw ParsingError("[sort] [mode] must be a string");
          std::string_view m = value.get_string();
          if (m == "min") mode = SortField::Mode::kMin;
          else if (m == "max") mode = SortField::Mode::kMax;
          else if (m == "sum") mode = SortField::Mode::kSum;
          else if (m == "avg") mode = SortField::Mode::kAvg;
          else if (m == "median") mode = SortField::Mode::kMedian;
          else throw IllegalArgument(fmt::format("Unknown SortMode [{}]", m));
        } else if (key == "unmapped_type" || key == "numeric_type" || key == "format") {
          // Accepted; they change nothing for the engine's columns.
        } else if (key == "missing") {
          if (value.is_string() && value.get_string() == "_last") {
            missing_first = false;
          } else if (value.is_string() && value.get_string() == "_first") {
            missing_first = true;
          } else {
            throw IllegalArgument("[sort] only \"missing\": \"_last\" or \"_first\" is supported");
          }
        } else {
          throw ParsingError(fmt::format("[field_sort] unknown field [{}]", std::string_view(key)));
        }
      }
      SortField sort_field = SortOn(field, order);
      sort_field.mode = mode;
      sort_field.missing_first = missing_first;
      out->push_back(std::move(sort_field));
    } else {
      throw ParsingError(fmt::format("[sort] unexpected token [{}] for [{}]", TokenName(spec),
                                     std::string_view(field)));
    }
  }
}

std::vector<SortField> ParseSort(const json::value& v) {
  std::vector<SortField> out;
  if (v.is_array()) {
    for (const auto& item : v.get_array()) ParseSortEntry(item, &out);
  } else {
    ParseSortEntry(v, &out);
  }
  return out;
}

// "price:desc,_score" as in ?sort=.
std::vector<SortField> ParseSortParam(std::string_view s) {
  std::vector<SortField> out;
  while (!s.empty()) {
    auto comma = s.find(',');
    std::string_view part = s.substr(0, comma);
    if (!part.empty()) {
      auto colon = part.rfind(':');
      if (colon == std::string_view::npos) out.push_back(SortOn(part, std::nullopt));
      else out.push_back(SortOn(part.substr(0, colon), part.substr(colon + 1)));
    }
    if (comma == std::string_view::npos) break;
    s.remove_prefix(comma + 1);
  }
  return out;
}

// search_after: the sort values of the last hit of the previous page, as hits report them.
std::vector<SortValue> ParseSearchAfter(const json::value& v) {
  if (!v.is_array()) throw ParsingError(fmt::format("[search_after] must be an array, found [{}]", TokenName(v)));
  std::vector<SortValue> out;
  for (const auto& item : v.get_array()) {
    if (item.is_string()) {
      out.emplace_back(std::string(item.get_string()));
    } else if (item.is_null()) {
      out.emplace_back(std::monostate{});
    } else if (item.is_bool()) {
      out.emplace_back(item.get_bool() ? 1.0 : 0.0);  // boolean columns sort as 0/1
    } else if (auto d = ToDouble(item); d && item.is_number()) {
      out.emplace_back(*d);
    } else {
      throw ParsingError(fmt::format("[search_after] values must be numbers, strings or null, found [{}]",
                                     TokenName(item)));
    }
  }
  return out;
}

int64_t PagingValue(const json::value& v, std::string_view name) {
  auto i = ToInt64(v);
  if (!i) {
    throw XContentError(fmt::format("[{}] failed to parse field [{}]: expected an integer, found [{}]", name, name,
                                    TokenName(v)));
  }
  return *i;
}

void ApplyTrackTotalHits(const json::value& v, ParsedSearch* out) {
  if (auto b = ToBool(v)) {
    out->report_total = *b;
    out->request.track_total_hits_up_to = *b ? std::numeric_limits<uint64_t>::max() : 0;
    return;
  }
  auto i = ToInt64(v);
  if (!i) throw XContentError("[track_total_hits] must be a boolean or an integer");
  if (*i < -1) throw IllegalArgument("[track_total_hits] parameter must be positive or equals to -1");
  out->report_total = true;
  out->request.track_total_hits_up_to = *i == -1 ? std::numeric_limits<uint64_t>::max() : static_cast<uint64_t>(*i);
}

bool BodyBool(const json::value& v, std::string_view name) {
  auto b = ToBool(v);
  if (!b) throw XContentError(fmt::format("[{}] failed to parse field [{}]: expected a boolean", name, name));
  return *b;
}

// pit: {"id": "...", "keep_alive": "1m"}.
void ParsePit(const json::value& v, ParsedSearch* out) {
  if (!v.is_object()) throw ParsingError("[pit] must be an object");
  for (const auto& [key, value] : v.get_object()) {
    if (key == "id" && value.is_string()) {
      out->pit_id = std::string(value.get_string());
    } else if (key == "keep_alive" && value.is_string()) {
      int64_t ms = ParseTimeValueMs(value.get_string(), "keep_alive");
      if (ms <= 0 || ms > 24 * 3600 * 1000) {
        throw IllegalArgument(fmt::format("[keep_alive] must be a positive time value of at most 1d, found [{}]",
                                          std::string_view(value.get_string())));
      }
      out->pit_keep_alive = std::chrono::milliseconds(ms);
    } else {
      throw ParsingError(fmt::format("[pit] unknown field [{}]", std::string_view(key)));
    }
  }
  if (out->pit_id.empty()) throw ParsingError("[pit] requires an [id]");
}

// collapse: {"field": "..."}; inner_hits and max_concurrent_group_searches are refused.
std::string ParseCollapse(const json::value& v) {
  if (!v.is_object()) throw ParsingError("[collapse] must be an object");
  std::string field;
  for (const auto& [key, value] : v.get_object()) {
    if (key == "field" && value.is_string()) {
      field = std::string(value.get_string());
    } else {
      throw IllegalArgument(fmt::format("[collapse] option [{}] is not supported by this server", std::string_view(key)));
    }
  }
  if (field.empty()) throw ParsingError("[collapse] requires a [field]");
  return field;
}

void ParseBody(const json::object& body, const AnalyzerRegistry& analyzers, ParsedSearch* out, int64_t* from,
               int64_t* size, bool* track_scores_flag) {
  for (const auto& [key, v] : body) {
    if (key == "query") {
      out->request.query = ParseQuery(v, analyzers);
    } else if (key == "post_filter") {
      out->request.post_filter = ParseQuery(v, analyzers);
    } else if (key == "from") {
      *from = PagingValue(v, key);
    } else if (key == "size") {
      *size = PagingValue(v, key);
    } else if (key == "sort") {
      out->request.sort = ParseSort(v);
    } else if (key == "search_after") {
      out->request.search_after = ParseSearchAfter(v);
    } else if (key == "track_total_hits") {
      ApplyTrackTotalHits(v, out);
    } else if (key == "_source") {
      out->source = SourceFilter::FromJson(v);
    } else if (key == "version") {
      out->version = BodyBool(v, key);
    } else if (key == "seq_no_primary_term") {
      out->seq_no_primary_term = BodyBool(v, key);
    } else if (key == "track_scores") {
      *track_scores_flag = BodyBool(v, key);
    } else if (key == "explain") {
      out->request.explain = BodyBool(v, key);
    } else if (key == "profile") {
      if (BodyBool(v, key)) throw IllegalArgument(fmt::format("[{}] is not supported by this server", std::string_view(key)));
    } else if (key == "min_score" && !v.is_null()) {
      auto min_score = ToDouble(v);
      if (!min_score) throw ParsingError("[min_score] must be a number");
      out->request.min_score = *min_score;
    } else if (key == "pit") {
      ParsePit(v, out);
    } else if (key == "collapse") {
      out->request.collapse_field = ParseCollapse(v);
    } else if (key == "timeout") {
      if (!v.is_string()) throw ParsingError("[timeout] must be a time value such as \"500ms\" or \"1s\"");
      out->request.timeout = SearchTimeout(v.get_string());
    } else if (key == "terminate_after" || key == "stats" || key == "stored_fields" ||
               key == "docvalue_fields" || key == "fields" || (key == "min_score" && v.is_null())) {
      // Accepted and ignored.
    } else if (key == "aggs" || key == "aggregations") {
      out->request.aggregations = ParseAggregations(v, analyzers);
    } else if (key == "highlight") {
      out->request.highlight = ParseHighlight(v, analyzers);
    } else if (key == "suggest") {
      out->request.suggest = ParseSuggest(v);
    } else if (key == "rescore" || key == "script_fields" ||
               key == "runtime_mappings" || key == "knn" || key == "indices_boost" ||
               key == "slice") {
      throw IllegalArgument(fmt::format("[{}] is not supported yet by this server", std::string_view(key)));
    } else {
      throw ParsingError(fmt::format("Unknown key for a {} in [{}].", TokenName(v), std::string_view(key)));
    }
  }
}

json::object BodyObject(const Request& req) {
  if (!req.has_body()) return {};
  json::value v = ParseJson(req.body);
  if (!v.is_object()) {
    throw ParsingError(fmt::format("Unknown key for a {} in [null]: the request body must be an object",
                                   TokenName(v)));
  }
  return std::move(v.get_object());
}

}  // namespace

ParsedSearch ParseSearchRequest(const Request& req, const AnalyzerRegistry& analyzers) {
  ParsedSearch out;
  int64_t from = 0, size = 10;
  bool track_scores_flag = false;
  json::object body = BodyObject(req);
  ParseBody(body, analyzers, &out, &from, &size, &track_scores_flag);

  if (auto q = req.Param("q")) out.request.query = ParseQueryStringParam(*q);
  if (auto v = req.IntParam("from")) from = *v;
  if (auto v = req.IntParam("size")) size = *v;
  if (auto s = req.Param("sort")) out.request.sort = ParseSortParam(*s);
  if (auto t = req.Param("track_total_hits")) ApplyTrackTotalHits(json::value(json::string_view(*t)), &out);
  if (auto t = req.Param("timeout")) out.request.timeout = SearchTimeout(*t);
  // Work stops when the client is gone: nobody would read the answer.
  out.request.cancelled = req.client_gone;
  out.version = req.BoolParam("version", out.version);
  out.seq_no_primary_term = req.BoolParam("seq_no_primary_term", out.seq_no_primary_term);
  out.source = SourceFilter::FromParams(req, out.source);

  if (from < 0) throw IllegalArgument(fmt::format("[from] parameter cannot be negative, found [{}]", from));
  if (size < 0) throw IllegalArgument(fmt::format("[size] parameter cannot be negative, found [{}]", size));
  if (from + size > limits::kMaxResultWindow) {
    // Elasticsearch checks the window on each shard, so it answers as a failed query phase.
    EsError e = IllegalArgument(fmt::format(
        "Result window is too large, from + size must be less than or equal to: [{}] but was [{}]. See the "
        "scroll api for a more efficient way to request large data sets. This limit can be set by changing "
        "the [index.max_result_window] index level setting.",
        limits::kMaxResultWindow, from + size));
    e.WrapIn("search_phase_execution_exception", "all shards failed");
    throw e;
  }
  // _shard_doc (a point in time's tie-break) is the engine's _doc: stable within the pinned reader.
  bool has_tiebreak = false;
  for (auto& s : out.request.sort) {
    if (s.field == "_shard_doc") {
      if (out.pit_id.empty()) throw IllegalArgument("[_shard_doc] sort field cannot be used without [point in time]");
      s.field = "_doc";
    }
    has_tiebreak |= s.field == "_doc" || s.field == "_score";
  }
  // Elasticsearch adds _shard_doc to a point in time's field sort so that search_after pages
  // never skip or repeat ties. (Not to a sort by _score: search_after does not page by score here.)
  if (!out.pit_id.empty() && !out.request.sort.empty() && !has_tiebreak) {
    SortField tiebreak;
    tiebreak.field = "_doc";
    out.request.sort.push_back(tiebreak);
  }
  if (!out.request.search_after.empty()) {
    if (from > 0) throw ValidationError("1: `from` parameter must be set to 0 when `search_after` is used.;");
    // Without `sort`, Elasticsearch sorts by _score alone: one value.
    std::size_t sorts = out.request.sort.empty() ? 1 : out.request.sort.size();
    if (out.request.search_after.size() != sorts) {
      throw IllegalArgument(fmt::format("search_after has {} value(s) but sort has {}.",
                                        out.request.search_after.size(), sorts));
    }
    if (out.request.sort.empty()) {
      throw IllegalArgument("[search_after] with the default sort by _score is not supported yet by this server");
    }
  }
  out.request.from = static_cast<uint32_t>(from);
  out.request.size = static_cast<uint32_t>(size);
  out.request.fetch_source = out.source.fetch;

  bool sorts_by_score = out.request.sort.empty();
  for (const auto& s : out.request.sort) sorts_by_score |= s.field == "_score";
  out.track_scores = sorts_by_score || track_scores_flag;
  return out;
}

Query ParseCountRequest(const Request& req, const AnalyzerRegistry& analyzers) {
  Query query;
  for (const auto& [key, v] : BodyObject(req)) {
    if (key == "query") query = ParseQuery(v, analyzers);
    else throw ParsingError(fmt::format("request does not support [{}]", std::string_view(key)));
  }
  if (auto q = req.Param("q")) query = ParseQueryStringParam(*q);
  return query;
}

}  // namespace ultrasearch::server
