// Runs a request's aggregations over the documents a query matched, reading the value columns.
//
// Input is the match set as ascending docids; counts are exact over all of it. Bucket
// aggregations with sub-aggregations collect each returned bucket's docids and recurse.
// filter/filters/global need other match sets, which the caller supplies (they run a query on
// the same reader as the search).
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "facets/column_store.h"
#include "mapping/mapping.h"
#include "ultrasearch/query.h"
#include "ultrasearch/status.h"

namespace ultrasearch::facets {

// Ascending docids matching `query`; nullptr asks for every document of the index.
using QueryDocids = std::function<Result<std::vector<uint32_t>>(const Query* query)>;

class Aggregator {
 public:
  Aggregator(const ColumnSnapshot& columns, const Mapping& mapping, QueryDocids query_docids, uint32_t max_buckets)
      : columns_(columns), mapping_(mapping), query_docids_(std::move(query_docids)), max_buckets_(max_buckets) {}

  // InvalidArgument for aggregations that cannot run (text fields, bad intervals, bounds that do
  // not parse) and when more than max_buckets buckets would be returned (kTooManyBucketsReason).
  Result<std::vector<AggregationResult>> Run(const std::vector<Aggregation>& aggs, const std::vector<uint32_t>& docs,
                                             bool top_level = true);

 private:
  Result<AggregationResult> RunOne(const Aggregation& agg, const std::vector<uint32_t>& docs, bool top_level);

  // The field an aggregation reads: its mapping and column (column null when no values yet).
  struct FieldRef {
    const FieldMapping* mapping = nullptr;
    const Column* column = nullptr;
  };
  Result<FieldRef> ResolveField(const Aggregation& agg) const;

  Status Terms(const Aggregation& agg, const std::vector<uint32_t>& docs, AggregationResult* out);
  Status Ranges(const Aggregation& agg, const std::vector<uint32_t>& docs, AggregationResult* out);
  Status Histogram(const Aggregation& agg, const std::vector<uint32_t>& docs, AggregationResult* out);
  Status Metric(const Aggregation& agg, const std::vector<uint32_t>& docs, AggregationResult* out);
  Status Filters(const Aggregation& agg, const std::vector<uint32_t>& docs, AggregationResult* out);

  // Counts `n` more buckets; InvalidArgument once the total passes max_buckets.
  Status AddBuckets(uint64_t n);
  // Fills bucket sub-aggregations from per-bucket docids.
  Status RunSubs(const Aggregation& agg, std::vector<std::vector<uint32_t>>* bucket_docs, AggregationResult* out);

  const ColumnSnapshot& columns_;
  const Mapping& mapping_;
  QueryDocids query_docids_;
  uint32_t max_buckets_;
  uint64_t buckets_ = 0;
};

// Intersection of two ascending docid lists.
std::vector<uint32_t> IntersectDocids(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b);

}  // namespace ultrasearch::facets
