// Metrics (min, max, avg, sum, stats, value_count, cardinality) and filters.
#include <algorithm>
#include <cmath>
#include <unordered_set>

#include "facets/agg_util.h"
#include "facets/aggregator.h"

namespace ultrasearch::facets {

Status Aggregator::Metric(const Aggregation& agg, const std::vector<uint32_t>& docs, AggregationResult* out) {
  auto ref = ResolveField(agg);
  if (!ref.ok()) return ref.status();
  const FieldMapping* field = ref->mapping;
  const Column* column = ref->column;
  const bool keyword = field != nullptr && field->type == FieldType::kKeyword;
  const bool counts_only = agg.type == Aggregation::Type::kValueCount || agg.type == Aggregation::Type::kCardinality;
  if (keyword && !counts_only) {
    return Status::InvalidArgument("Field [" + agg.field + "] of type [keyword] is not supported for aggregation [" +
                                   agg.name + "]");
  }
  std::optional<double> missing_number;
  std::optional<uint64_t> missing_ordinal;
  if (agg.missing && field != nullptr) {
    if (keyword) {
      if (column != nullptr) missing_ordinal = column->FindTerm(*agg.missing);
      if (!missing_ordinal) missing_ordinal = UINT64_MAX - 1;  // a value no document has
    } else {
      auto v = ParseFieldNumber(*field, *agg.missing);
      if (!v.ok()) return v.status();
      missing_number = *v;
    }
  }

  uint64_t count = 0;
  double sum = 0, min = INFINITY, max = -INFINITY;
  std::unordered_set<uint64_t> distinct;
  std::vector<bool> seen_ordinals(keyword && column != nullptr ? column->dict_size : 0);
  uint64_t distinct_ordinals = 0;
  auto add = [&](uint64_t raw) {
    ++count;
    if (agg.type == Aggregation::Type::kCardinality) {
      if (keyword && raw < seen_ordinals.size()) {
        if (!seen_ordinals[raw]) seen_ordinals[raw] = true, ++distinct_ordinals;
      } else {
        distinct.insert(raw);
      }
      return;
    }
    if (keyword) return;
    double v = BitsNumber(raw);
    sum += v;
    min = std::min(min, v);
    max = std::max(max, v);
  };
  for (uint32_t d : docs) {
    bool any = false;
    if (column != nullptr) column->ForEach(d, [&](uint64_t raw) { any = true, add(raw); });
    if (!any && missing_number) add(NumberBits(*missing_number));
    if (!any && missing_ordinal) add(*missing_ordinal);
  }

  auto as_string = [&](double v) -> std::optional<std::string> {
    return field != nullptr && field->type == FieldType::kDate ? std::optional(FormatIsoDate(static_cast<int64_t>(v)))
                                                               : std::nullopt;
  };
  switch (agg.type) {
    case Aggregation::Type::kMin:
      if (count > 0) out->value = min, out->value_as_string = as_string(min);
      break;
    case Aggregation::Type::kMax:
      if (count > 0) out->value = max, out->value_as_string = as_string(max);
      break;
    case Aggregation::Type::kSum: out->value = sum; break;
    case Aggregation::Type::kAvg:
      if (count > 0) out->value = sum / static_cast<double>(count), out->value_as_string = as_string(*out->value);
      break;
    case Aggregation::Type::kValueCount: out->value = static_cast<double>(count); break;
    case Aggregation::Type::kCardinality:
      out->value = static_cast<double>(distinct.size() + distinct_ordinals);
      break;
    case Aggregation::Type::kStats:
      out->count = count;
      out->sum = sum;
      if (count > 0) out->min = min, out->max = max, out->avg = sum / static_cast<double>(count);
      break;
    default: return Status::Internal("not a metric aggregation");
  }
  return Status::OK();
}

Status Aggregator::Filters(const Aggregation& agg, const std::vector<uint32_t>& docs, AggregationResult* out) {
  out->keyed = agg.filters_keyed;
  if (Status s = AddBuckets(agg.filters.size() + (agg.other_bucket ? 1 : 0)); !s.ok()) return s;
  std::vector<std::vector<uint32_t>> bucket_docs;
  std::vector<bool> in_any(agg.other_bucket ? docs.size() : 0);
  for (const auto& [name, query] : agg.filters) {
    auto matched = query_docids_(&query);
    if (!matched.ok()) return matched.status();
    std::vector<uint32_t> in = IntersectDocids(docs, matched.value());
    if (agg.other_bucket) {
      size_t j = 0;
      for (size_t i = 0; i < docs.size() && j < in.size(); ++i) {
        if (docs[i] == in[j]) in_any[i] = true, ++j;
      }
    }
    AggregationBucket b;
    b.key = name;
    b.doc_count = in.size();
    out->buckets.push_back(std::move(b));
    bucket_docs.push_back(std::move(in));
  }
  if (agg.other_bucket) {
    std::vector<uint32_t> other;
    for (size_t i = 0; i < docs.size(); ++i) {
      if (!in_any[i]) other.push_back(docs[i]);
    }
    AggregationBucket b;
    b.key = agg.other_bucket_key;
    b.doc_count = other.size();
    out->buckets.push_back(std::move(b));
    bucket_docs.push_back(std::move(other));
  }
  return RunSubs(agg, &bucket_docs, out);
}

}  // namespace ultrasearch::facets
