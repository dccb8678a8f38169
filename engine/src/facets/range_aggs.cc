// range, date_range, histogram and date_histogram.
#include <algorithm>
#include <cmath>
#include <map>

#include "facets/agg_util.h"
#include "facets/aggregator.h"

namespace ultrasearch::facets {

namespace {

// Calls fn(docid, key) once for each distinct bucket key (`bucket_of` a value) of each of `docs`,
// reading the column block by block. A document's values are ascending, so equal keys are adjacent.
template <typename BucketOf, typename Fn>
void ForEachBucketOf(const Column* column, const std::vector<uint32_t>& docs, BucketOf&& bucket_of, Fn&& fn) {
  if (column == nullptr || column->keyword) return;
  uint32_t last_doc = 0;  // docids start at 1
  double last_key = NAN;
  column->ForEachOf(docs, [&](uint32_t d, uint64_t bits) {
    const double key = bucket_of(BitsNumber(bits));
    if (d == last_doc && key == last_key) return;
    last_doc = d, last_key = key;
    fn(d, key);
  });
}

}  // namespace

Status Aggregator::Ranges(const Aggregation& agg, const std::vector<uint32_t>& docs, AggregationResult* out) {
  auto ref = ResolveField(agg);
  if (!ref.ok()) return ref.status();
  const bool dates = agg.type == Aggregation::Type::kDateRange;
  if (ref->mapping != nullptr && ref->mapping->type == FieldType::kKeyword) {
    return Status::InvalidArgument("Field [" + agg.field + "] of type [keyword] is not supported for aggregation [" +
                                   std::string(dates ? "date_range" : "range") + "]");
  }
  FieldMapping date_field;
  date_field.type = FieldType::kDate;
  date_field.name = agg.field;
  FieldMapping number_field;
  number_field.type = FieldType::kDouble;
  number_field.name = agg.field;
  const FieldMapping& parse_as = dates ? date_field : number_field;

  struct Bound {
    double from = -INFINITY, to = INFINITY;
    size_t request_index;
  };
  std::vector<Bound> bounds;
  for (size_t i = 0; i < agg.ranges.size(); ++i) {
    Bound b;
    b.request_index = i;
    const auto& r = agg.ranges[i];
    if (r.from) {
      auto v = ParseFieldNumber(parse_as, *r.from);
      if (!v.ok()) return v.status();
      b.from = *v;
    }
    if (r.to) {
      auto v = ParseFieldNumber(parse_as, *r.to);
      if (!v.ok()) return v.status();
      b.to = *v;
    }
    bounds.push_back(b);
  }
  if (bounds.empty()) return Status::InvalidArgument("No [ranges] specified for the [" + agg.name + "] aggregation");
  // Elasticsearch returns range buckets ordered by from, then to.
  std::stable_sort(bounds.begin(), bounds.end(), [](const Bound& a, const Bound& b) {
    return a.from != b.from ? a.from < b.from : a.to < b.to;
  });
  if (Status s = AddBuckets(bounds.size()); !s.ok()) return s;

  const bool collect = !agg.subs.empty();
  std::vector<std::vector<uint32_t>> bucket_docs(collect ? bounds.size() : 0);
  std::vector<uint64_t> counts(bounds.size());
  std::vector<uint32_t> seen(bounds.size(), UINT32_MAX);  // last docid counted per range
  if (ref->column != nullptr && !ref->column->keyword) {
    ref->column->ForEachOf(docs, [&](uint32_t d, uint64_t bits) {
      const double v = BitsNumber(bits);
      for (size_t i = 0; i < bounds.size(); ++i) {
        if (v >= bounds[i].from && v < bounds[i].to && seen[i] != d) {
          seen[i] = d;
          ++counts[i];
          if (collect) bucket_docs[i].push_back(d);
        }
      }
    });
  }
  out->keyed = agg.keyed;
  for (size_t i = 0; i < bounds.size(); ++i) {
    const Bound& b = bounds[i];
    const auto& r = agg.ranges[b.request_index];
    AggregationBucket bucket;
    bucket.doc_count = counts[i];
    auto text = [&](double v) { return dates ? FormatIsoDate(static_cast<int64_t>(v)) : JavaDoubleString(v); };
    if (std::isfinite(b.from)) {
      bucket.from = b.from;
      if (dates) bucket.from_as_string = text(b.from);
    }
    if (std::isfinite(b.to)) {
      bucket.to = b.to;
      if (dates) bucket.to_as_string = text(b.to);
    }
    bucket.key = r.key ? *r.key
                       : (std::isfinite(b.from) ? text(b.from) : std::string("*")) + "-" +
                             (std::isfinite(b.to) ? text(b.to) : std::string("*"));
    out->buckets.push_back(std::move(bucket));
  }
  return RunSubs(agg, &bucket_docs, out);
}

Status Aggregator::Histogram(const Aggregation& agg, const std::vector<uint32_t>& docs, AggregationResult* out) {
  auto ref = ResolveField(agg);
  if (!ref.ok()) return ref.status();
  const bool dates = agg.type == Aggregation::Type::kDateHistogram;
  if (ref->mapping != nullptr && ref->mapping->type == FieldType::kKeyword) {
    return Status::InvalidArgument("Field [" + agg.field + "] of type [keyword] is not supported for aggregation [" +
                                   std::string(dates ? "date_histogram" : "histogram") + "]");
  }
  std::optional<CalendarUnit> unit;
  double interval = agg.interval;
  if (dates) {
    if (!agg.calendar_interval.empty()) {
      unit = ParseCalendarUnit(agg.calendar_interval);
      if (!unit) {
        return Status::InvalidArgument("The supplied interval [" + agg.calendar_interval +
                                       "] could not be parsed as a calendar interval.");
      }
    } else {
      interval = static_cast<double>(agg.fixed_interval_millis);
    }
  }
  if (!unit && !(interval > 0)) {
    return Status::InvalidArgument(dates ? "Required one of fields [fixed_interval, calendar_interval], but none "
                                           "were specified."
                                         : "[interval] must be >0 for histogram aggregation [" + agg.name + "]");
  }
  const double offset = agg.offset;
  auto bucket_of = [&](double v) -> double {
    if (unit) return static_cast<double>(CalendarFloor(static_cast<int64_t>(v), *unit));
    return std::floor((v - offset) / interval) * interval + offset;
  };
  const uint64_t min_doc_count = agg.min_doc_count.value_or(0);

  std::map<double, uint64_t> counts;
  ForEachBucketOf(ref->column, docs, bucket_of, [&](uint32_t, double key) { ++counts[key]; });
  // With min_doc_count 0 the empty buckets between the first and last are returned too.
  std::vector<std::pair<double, uint64_t>> buckets;
  if (min_doc_count == 0 && !counts.empty()) {
    const double first = counts.begin()->first, last = counts.rbegin()->first;
    if (!unit) {
      double n = std::floor((last - first) / interval + 0.5) + 1;
      if (Status s = AddBuckets(static_cast<uint64_t>(std::min(n, 1e12))); !s.ok()) return s;
      for (double i = 0; i < n; ++i) {
        double key = first + i * interval;
        auto it = counts.find(key);
        buckets.push_back({key, it == counts.end() ? 0 : it->second});
      }
    } else {
      uint64_t n = 0;
      for (int64_t k = static_cast<int64_t>(first); k <= static_cast<int64_t>(last); k = CalendarNext(k, *unit)) {
        if (Status s = AddBuckets(1); !s.ok()) return s;
        auto it = counts.find(static_cast<double>(k));
        buckets.push_back({static_cast<double>(k), it == counts.end() ? 0 : it->second});
        ++n;
      }
    }
  } else {
    for (const auto& [key, count] : counts) {
      if (count >= min_doc_count) buckets.push_back({key, count});
    }
    if (Status s = AddBuckets(buckets.size()); !s.ok()) return s;
  }
  if (agg.order == Aggregation::Order::kKeyDesc) std::reverse(buckets.begin(), buckets.end());
  if (agg.order == Aggregation::Order::kCountDesc || agg.order == Aggregation::Order::kCountAsc) {
    // Histograms are in key order unless the request orders them by count (ties by key).
    const bool desc = agg.order == Aggregation::Order::kCountDesc;
    std::stable_sort(buckets.begin(), buckets.end(), [desc](const auto& a, const auto& b) {
      return desc ? a.second > b.second : a.second < b.second;
    });
  }
  out->keyed = agg.keyed;
  out->keys_are_integers = dates;
  std::map<double, size_t> index;
  for (const auto& [key, count] : buckets) {
    AggregationBucket b;
    b.key = key;
    if (dates) b.key_as_string = FormatIsoDate(static_cast<int64_t>(key));
    b.doc_count = count;
    index[key] = out->buckets.size();
    out->buckets.push_back(std::move(b));
  }
  if (agg.subs.empty()) return Status::OK();
  std::vector<std::vector<uint32_t>> bucket_docs(out->buckets.size());
  ForEachBucketOf(ref->column, docs, bucket_of, [&](uint32_t d, double key) {
    auto it = index.find(key);
    if (it != index.end()) bucket_docs[it->second].push_back(d);
  });
  return RunSubs(agg, &bucket_docs, out);
}

}  // namespace ultrasearch::facets
