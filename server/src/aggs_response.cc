#include "aggs_response.h"

#include <fmt/format.h>

#include <cmath>

#include "json_util.h"

namespace ultrasearch::server {
namespace {

using Type = Aggregation::Type;

// Elasticsearch prints double values with a fraction ("10.0") and longs without.
std::string Double(double v) {
  if (!std::isfinite(v)) return "null";
  std::string s = FormatNumber(v);
  if (s.find_first_of(".eE") == std::string::npos) s += ".0";
  return s;
}
std::string Long(double v) { return fmt::format("{}", static_cast<int64_t>(v)); }
std::string OptionalDouble(const std::optional<double>& v) { return v ? Double(*v) : "null"; }

void RenderOne(const AggregationResult& r, std::string* out);

void RenderSubs(const std::vector<AggregationResult>& subs, std::string* out) {
  for (const auto& sub : subs) {
    *out += ',';
    *out += Quote(sub.name);
    *out += ':';
    RenderOne(sub, out);
  }
}

std::string KeyText(const AggregationBucket& b) {
  if (const auto* s = std::get_if<std::string>(&b.key)) return *s;
  return b.key_as_string ? *b.key_as_string : FormatNumber(std::get<double>(b.key));
}

void RenderBucket(const AggregationResult& r, const AggregationBucket& b, std::string* out) {
  *out += '{';
  bool first = true;
  auto field = [&](std::string_view name, const std::string& value) {
    if (!first) *out += ',';
    first = false;
    *out += Quote(name);
    *out += ':';
    *out += value;
  };
  const bool filters = r.type == Type::kFilters;
  // Keyed range buckets carry their key only as the object's name, as Elasticsearch prints them.
  const bool range = r.type == Type::kRange || r.type == Type::kDateRange;
  if (!filters) {
    if (r.type == Type::kDateHistogram && b.key_as_string) field("key_as_string", Quote(*b.key_as_string));
    if (const auto* s = std::get_if<std::string>(&b.key)) {
      if (!(range && r.keyed)) field("key", Quote(*s));
    } else {
      double k = std::get<double>(b.key);
      field("key", r.keys_are_integers ? Long(k) : Double(k));
      if (r.type == Type::kTerms && b.key_as_string) field("key_as_string", Quote(*b.key_as_string));
    }
    if (b.from) field("from", Double(*b.from));
    if (b.from_as_string) field("from_as_string", Quote(*b.from_as_string));
    if (b.to) field("to", Double(*b.to));
    if (b.to_as_string) field("to_as_string", Quote(*b.to_as_string));
  }
  field("doc_count", fmt::format("{}", b.doc_count));
  RenderSubs(b.subs, out);
  *out += '}';
}

void RenderBuckets(const AggregationResult& r, std::string* out) {
  *out += R"("buckets":)";
  *out += r.keyed ? '{' : '[';
  for (size_t i = 0; i < r.buckets.size(); ++i) {
    if (i) *out += ',';
    if (r.keyed) {
      *out += Quote(KeyText(r.buckets[i]));
      *out += ':';
    }
    RenderBucket(r, r.buckets[i], out);
  }
  *out += r.keyed ? '}' : ']';
}

void RenderOne(const AggregationResult& r, std::string* out) {
  *out += '{';
  switch (r.type) {
    case Type::kTerms:
      *out += fmt::format(R"("doc_count_error_upper_bound":{},"sum_other_doc_count":{},)",
                          r.doc_count_error_upper_bound, r.sum_other_doc_count);
      RenderBuckets(r, out);
      break;
    case Type::kRange:
    case Type::kDateRange:
    case Type::kHistogram:
    case Type::kDateHistogram:
    case Type::kFilters:
      RenderBuckets(r, out);
      break;
    case Type::kFilter:
    case Type::kGlobal:
      *out += fmt::format(R"("doc_count":{})", r.doc_count);
      RenderSubs(r.subs, out);
      break;
    case Type::kValueCount:
    case Type::kCardinality:
      *out += fmt::format(R"("value":{})", static_cast<uint64_t>(r.value.value_or(0)));
      break;
    case Type::kStats:
      *out += fmt::format(R"("count":{},"min":{},"max":{},"avg":{},"sum":{})", r.count, OptionalDouble(r.min),
                          OptionalDouble(r.max), OptionalDouble(r.avg), Double(r.sum));
      break;
    default:
      *out += R"("value":)";
      *out += OptionalDouble(r.value);
      if (r.value_as_string) {
        *out += R"(,"value_as_string":)";
        *out += Quote(*r.value_as_string);
      }
      break;
  }
  *out += '}';
}

}  // namespace

void RenderAggregations(const std::vector<AggregationResult>& results, std::string* out) {
  *out += '{';
  for (size_t i = 0; i < results.size(); ++i) {
    if (i) *out += ',';
    *out += Quote(results[i].name);
    *out += ':';
    RenderOne(results[i], out);
  }
  *out += '}';
}

}  // namespace ultrasearch::server
