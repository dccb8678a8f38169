#include "aggs_request.h"

#include <fmt/format.h>

#include <cmath>
#include <set>

#include "es_errors.h"
#include "json_util.h"
#include "query_dsl.h"

namespace ultrasearch::server {
namespace {

using Type = Aggregation::Type;

std::optional<Type> TypeOf(std::string_view name) {
  static const std::pair<std::string_view, Type> kTypes[] = {
      {"terms", Type::kTerms},           {"range", Type::kRange},
      {"date_range", Type::kDateRange},  {"histogram", Type::kHistogram},
      {"date_histogram", Type::kDateHistogram}, {"min", Type::kMin},
      {"max", Type::kMax},               {"avg", Type::kAvg},
      {"sum", Type::kSum},               {"stats", Type::kStats},
      {"value_count", Type::kValueCount}, {"cardinality", Type::kCardinality},
      {"filter", Type::kFilter},         {"filters", Type::kFilters},
      {"global", Type::kGlobal},
  };
  for (const auto& [n, t] : kTypes) {
    if (n == name) return t;
  }
  return std::nullopt;
}

bool KnownElsewhere(std::string_view name) {
  static const std::set<std::string_view> kOthers = {
      "avg_bucket", "bucket_script", "bucket_selector", "bucket_sort", "composite", "cumulative_sum",
      "derivative", "extended_stats", "geo_bounds", "geo_distance", "geohash_grid", "ip_range", "max_bucket",
      "median_absolute_deviation", "min_bucket", "missing", "multi_terms", "nested", "percentile_ranks",
      "percentiles", "rare_terms", "reverse_nested", "sampler", "scripted_metric", "significant_terms",
      "significant_text", "stats_bucket", "sum_bucket", "top_hits", "top_metrics", "variable_width_histogram",
      "weighted_avg", "adjacency_matrix", "auto_date_histogram", "boxplot", "string_stats", "t_test", "rate"};
  return kOthers.count(name) > 0;
}

const json::object& Object(const json::value& v, std::string_view what) {
  if (!v.is_object()) {
    throw ParsingError(fmt::format("[{}] expected an object but found [{}]", what, TokenName(v)));
  }
  return v.get_object();
}

std::string Text(const json::value& v, std::string_view agg, std::string_view key) {
  auto s = ScalarToString(v);
  if (!s) throw ParsingError(fmt::format("[{}] [{}] must be a value, found [{}]", agg, key, TokenName(v)));
  return *s;
}

int64_t Integer(const json::value& v, std::string_view agg, std::string_view key) {
  auto i = ToInt64(v);
  if (!i) throw ParsingError(fmt::format("[{}] [{}] must be an integer, found [{}]", agg, key, TokenName(v)));
  return *i;
}

double Number(const json::value& v, std::string_view agg, std::string_view key) {
  auto d = ToDouble(v);
  if (!d) throw ParsingError(fmt::format("[{}] [{}] must be a number, found [{}]", agg, key, TokenName(v)));
  return *d;
}

bool Bool(const json::value& v, std::string_view agg, std::string_view key) {
  auto b = ToBool(v);
  if (!b) throw ParsingError(fmt::format("[{}] [{}] must be a boolean, found [{}]", agg, key, TokenName(v)));
  return *b;
}

// "1d", "12h", "30m", "10s", "250ms" → milliseconds.
std::optional<int64_t> DurationMillis(std::string_view t) {
  static const std::pair<std::string_view, int64_t> kUnits[] = {
      {"ms", 1}, {"s", 1000}, {"m", 60000}, {"h", 3600000}, {"d", 86400000}};
  for (const auto& [unit, factor] : kUnits) {
    if (t.size() > unit.size() && t.substr(t.size() - unit.size()) == unit) {
      std::string_view digits = t.substr(0, t.size() - unit.size());
      if (unit == "s" && digits.back() == 'm') continue;  // "ms" is handled first
      int64_t n = 0;
      for (char c : digits) {
        if (c < '0' || c > '9') return std::nullopt;
        n = n * 10 + (c - '0');
      }
      return n * factor;
    }
  }
  return std::nullopt;
}

Aggregation::Order ParseOrder(const json::value& v, std::string_view agg) {
  const json::value* entry = &v;
  if (v.is_array()) {
    if (v.get_array().size() != 1) throw IllegalArgument(fmt::format("[{}] only a single order is supported", agg));
    entry = &v.get_array()[0];
  }
  const json::object& o = Object(*entry, "order");
  if (o.size() != 1) throw ParsingError(fmt::format("[{}] order must have exactly one key", agg));
  const auto& [key, dir] = *o.begin();
  std::string direction = Text(dir, agg, "order");
  bool asc = direction == "asc";
  if (!asc && direction != "desc") throw ParsingError(fmt::format("Unknown order direction [{}]", direction));
  if (key == "_count") return asc ? Aggregation::Order::kCountAsc : Aggregation::Order::kCountDesc;
  if (key == "_key" || key == "_term") return asc ? Aggregation::Order::kKeyAsc : Aggregation::Order::kKeyDesc;
  throw IllegalArgument(
      fmt::format("[{}] ordering by [{}] is not supported yet by this server (only _count and _key)", agg,
                  std::string_view(key)));
}

void ParseIncludeExclude(const json::value& v, std::vector<std::string>* values, std::string* regex,
                         std::string_view agg, std::string_view key) {
  if (v.is_string()) {
    *regex = std::string(v.get_string());
    return;
  }
  if (v.is_array()) {
    for (const auto& item : v.get_array()) values->push_back(Text(item, agg, key));
    return;
  }
  throw IllegalArgument(fmt::format("[{}] [{}] partitions are not supported by this server", agg, key));
}

void ParseRanges(const json::value& v, Aggregation* a) {
  if (!v.is_array()) throw ParsingError(fmt::format("[{}] [ranges] must be an array", a->name));
  for (const auto& item : v.get_array()) {
    Aggregation::Range r;
    for (const auto& [key, value] : Object(item, "ranges")) {
      if (value.is_null()) continue;
      if (key == "key") r.key = Text(value, a->name, key);
      else if (key == "from") r.from = Text(value, a->name, key);
      else if (key == "to") r.to = Text(value, a->name, key);
      else throw ParsingError(fmt::format("[range] unknown field [{}]", std::string_view(key)));
    }
    a->ranges.push_back(std::move(r));
  }
}

void ParseParams(const json::object& params, Aggregation* a, const AnalyzerRegistry& analyzers,
                 std::string_view type_name) {
  const std::string& n = a->name;
  for (const auto& [key, v] : params) {
    if (key == "field") {
      if (!v.is_string()) throw ParsingError(fmt::format("[{}] [field] must be a string", type_name));
      a->field = std::string(v.get_string());
    } else if (key == "size" && a->type == Type::kTerms) {
      int64_t size = Integer(v, n, key);
      if (size < 1) throw IllegalArgument(fmt::format("[size] must be greater than 0. Found [{}] in [{}]", size, n));
      a->size = static_cast<uint32_t>(std::min<int64_t>(size, UINT32_MAX));
    } else if (key == "order") {
      a->order = ParseOrder(v, n);
    } else if (key == "min_doc_count") {
      int64_t m = Integer(v, n, key);
      if (m < 0) throw IllegalArgument(fmt::format("[min_doc_count] must be greater than or equal to 0. Found [{}] in [{}]", m, n));
      a->min_doc_count = static_cast<uint64_t>(m);
    } else if (key == "missing") {
      a->missing = Text(v, n, key);
    } else if (key == "include") {
      ParseIncludeExclude(v, &a->include, &a->include_regex, n, key);
    } else if (key == "exclude") {
      ParseIncludeExclude(v, &a->exclude, &a->exclude_regex, n, key);
    } else if (key == "ranges") {
      ParseRanges(v, a);
    } else if (key == "keyed") {
      a->keyed = Bool(v, n, key);
    } else if (key == "interval" && a->type == Type::kHistogram) {
      a->interval = Number(v, n, key);
    } else if (key == "offset" && a->type == Type::kHistogram) {
      a->offset = Number(v, n, key);
    } else if (key == "calendar_interval" || (key == "interval" && a->type == Type::kDateHistogram)) {
      std::string text = Text(v, n, key);
      auto fixed = DurationMillis(text);
      static const std::set<std::string_view> kCalendar = {"minute", "1m", "hour", "1h", "day", "1d", "week", "1w",
                                                           "month", "1M", "quarter", "1q", "year", "1y"};
      if (kCalendar.count(text) > 0) a->calendar_interval = text;
      else if (key == "interval" && fixed) a->fixed_interval_millis = *fixed;
      else throw IllegalArgument(fmt::format("The supplied interval [{}] could not be parsed as a calendar interval.", text));
    } else if (key == "fixed_interval") {
      std::string text = Text(v, n, key);
      auto fixed = DurationMillis(text);
      if (!fixed || *fixed <= 0) {
        throw IllegalArgument(fmt::format("failed to parse setting [date_histogram.fixedInterval] with value [{}] as a time value: unit is missing or unrecognized", text));
      }
      a->fixed_interval_millis = *fixed;
    } else if (key == "time_zone") {
      std::string tz = Text(v, n, key);
      if (tz != "UTC" && tz != "Z" && tz != "+00:00" && tz != "Etc/UTC" && tz != "GMT") {
        throw IllegalArgument(fmt::format("[{}] time_zone [{}] is not supported by this server (UTC only)", n, tz));
      }
    } else if (key == "format") {
      a->format = Text(v, n, key);
    } else if (key == "precision_threshold") {
      a->precision_threshold = static_cast<uint64_t>(std::max<int64_t>(0, Integer(v, n, key)));
    } else if (key == "filters" && a->type == Type::kFilters) {
      if (v.is_object()) {
        a->filters_keyed = true;
        for (const auto& [name, q] : v.get_object()) a->filters.emplace_back(std::string(name), ParseQuery(q, analyzers));
      } else if (v.is_array()) {
        a->filters_keyed = false;
        size_t i = 0;
        for (const auto& q : v.get_array()) a->filters.emplace_back(std::to_string(i++), ParseQuery(q, analyzers));
      } else {
        throw ParsingError(fmt::format("[filters] must be an object or an array in [{}]", n));
      }
    } else if (key == "other_bucket" && a->type == Type::kFilters) {
      a->other_bucket = Bool(v, n, key);
    } else if (key == "other_bucket_key" && a->type == Type::kFilters) {
      a->other_bucket = true;
      a->other_bucket_key = Text(v, n, key);
    } else if (key == "shard_size" || key == "show_term_doc_count_error" || key == "execution_hint" ||
               key == "collect_mode" || key == "value_type" || key == "shard_min_doc_count") {
      // Single-shard execution: these change nothing.
    } else if (key == "extended_bounds" || key == "hard_bounds" || key == "script") {
      throw IllegalArgument(fmt::format("[{}] [{}] is not supported yet by this server", n, std::string_view(key)));
    } else {
      throw ParsingError(fmt::format("[{}] unknown field [{}]", type_name, std::string_view(key)));
    }
  }
  if (a->type == Type::kDateHistogram && a->calendar_interval.empty() && a->fixed_interval_millis == 0) {
    throw IllegalArgument("Required one of fields [fixed_interval, calendar_interval], but none were specified.");
  }
  if (a->type == Type::kHistogram && !(a->interval > 0)) {
    throw IllegalArgument(fmt::format("[interval] must be >0 for histogram aggregation [{}]", n));
  }
  if ((a->type == Type::kRange || a->type == Type::kDateRange) && a->ranges.empty()) {
    throw IllegalArgument(fmt::format("No [ranges] specified for the [{}] aggregation", n));
  }
  if (a->type != Type::kFilter && a->type != Type::kFilters && a->type != Type::kGlobal && a->field.empty()) {
    throw IllegalArgument(fmt::format("Required one of fields [field, script], but none were specified. in [{}]", n));
  }
}

Aggregation ParseOne(std::string name, const json::value& v, const AnalyzerRegistry& analyzers, int depth) {
  if (depth > 16) throw IllegalArgument("aggregations are nested too deeply");
  Aggregation a;
  a.name = std::move(name);
  const json::object& def = Object(v, a.name);
  bool typed = false;
  for (const auto& [key, value] : def) {
    if (key == "aggs" || key == "aggregations") {
      for (const auto& [sub_name, sub] : Object(value, key)) {
        a.subs.push_back(ParseOne(std::string(sub_name), sub, analyzers, depth + 1));
      }
      continue;
    }
    if (key == "meta") continue;
    auto type = TypeOf(key);
    if (!type) {
      if (KnownElsewhere(key)) {
        throw IllegalArgument(fmt::format("[{}] aggregations are not supported yet by this server", std::string_view(key)));
      }
      throw ParsingError(fmt::format("Unknown aggregation type [{}]", std::string_view(key)));
    }
    if (typed) {
      throw ParsingError(fmt::format("Found two aggregation type definitions in [{}]: [{}] and [{}]", a.name,
                                     std::string_view(key), "another"));
    }
    typed = true;
    a.type = *type;
    if (a.type == Type::kHistogram || a.type == Type::kDateHistogram) a.order = Aggregation::Order::kKeyAsc;
    if (a.type == Type::kFilter) {
      a.filter = ParseQuery(value, analyzers);
    } else if (a.type == Type::kGlobal) {
      Object(value, key);
    } else {
      ParseParams(Object(value, key), &a, analyzers, key);
    }
  }
  if (!typed) throw ParsingError(fmt::format("Missing definition for aggregation [{}]", a.name));
  return a;
}

}  // namespace

std::vector<Aggregation> ParseAggregations(const json::value& v, const AnalyzerRegistry& analyzers) {
  std::vector<Aggregation> out;
  for (const auto& [name, def] : Object(v, "aggregations")) out.push_back(ParseOne(std::string(name), def, analyzers, 0));
  return out;
}

}  // namespace ultrasearch::server
