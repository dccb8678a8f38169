// Filters and sorting read from the value columns, with Elasticsearch's semantics for
// multi-valued fields: a range or term filter matches when any value matches; sorting uses the
// smallest value ascending and the largest descending (or the requested mode).
//
// The filters are Xapian posting sources. In a combined (sharded) database Xapian 1.4 hands a
// posting source each shard separately with shard-local docids, so the source finds which shard
// it has (by UUID: a combined database's UUID lists its shards' in order) and maps local docids
// to the engine's: document d lives in shard (d-1) % n as local docid (d-1) / n + 1
// (index/text_index.h). `db` below is the database the query will run on.
#pragma once

#include <xapian.h>

#include <cmath>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "facets/column_store.h"
#include "mapping/mapping.h"
#include "ultrasearch/query.h"
#include "ultrasearch/status.h"

namespace ultrasearch::facets {

// The column filters compiled into one request's queries. Code that walks a compiled query itself
// (search/match_collector.h) finds them here and tests documents against the columns directly,
// where Xapian's matcher would go through the posting source one document at a time. A source
// registered here describes itself as "ColumnSource#<n>", n its place in the table.
class ColumnFilterTable {
 public:
  using Predicate = std::function<bool(uint32_t docid)>;  // docid: the engine's
  size_t Add(std::shared_ptr<const Predicate> predicate) {
    filters_.push_back(std::move(predicate));
    return filters_.size() - 1;
  }
  // The filter a posting-source leaf of a query compiled with this table stands for; nullptr for
  // any other leaf.
  const Predicate* FromLeaf(const Xapian::Query& leaf) const;

 private:
  std::vector<std::shared_ptr<const Predicate>> filters_;
};

// Numeric bounds (inclusive; use nextafter for exclusive ones).
struct NumberBounds {
  double low = -std::numeric_limits<double>::infinity(), high = std::numeric_limits<double>::infinity();
};

// Documents of `field` with any value inside `bounds`.
// `filters`, when given, records each filter built (see ColumnFilterTable).
Xapian::Query ColumnNumberQuery(std::shared_ptr<const ColumnSnapshot> columns, const FieldMapping& field,
                                std::vector<NumberBounds> bounds, const Xapian::Database& db,
                                ColumnFilterTable* filters = nullptr);
// Documents of keyword `field` with any value v where low <= v <= high (bytewise; an empty
// optional is unbounded).
Xapian::Query ColumnKeywordRangeQuery(std::shared_ptr<const ColumnSnapshot> columns, const FieldMapping& field,
                                      std::optional<std::string> low, bool low_inclusive,
                                      std::optional<std::string> high, bool high_inclusive,
                                      const Xapian::Database& db, ColumnFilterTable* filters = nullptr);

// A range query on a non-text field, bounds parsed per field type (InvalidArgument when one does
// not parse); with no bounds it matches documents with a value.
Result<Xapian::Query> ColumnRangeQuery(std::shared_ptr<const ColumnSnapshot> columns, const RangeQuery& r,
                                       const FieldMapping& field, const Xapian::Database& db,
                                       ColumnFilterTable* filters = nullptr);

// Sort keys from the columns: one component per SortField (fields only; no _score), encoded so
// that keys compare bytewise in the requested order, documents without a value first or last.
class ColumnSortKeys {
 public:
  ColumnSortKeys(std::shared_ptr<const ColumnSnapshot> columns, std::vector<const FieldMapping*> fields,
                 std::vector<SortField> sort);
  std::string KeyOf(uint32_t docid) const;

  // Whether the sort is one numeric or date field; then NumberKeyOf orders documents as KeyOf
  // does, without building a string per document.
  bool SortsByOneNumber() const;
  // The document's key for such a sort, ascending: the value by mode, negated when descending;
  // -inf/+inf for a document without one (first or last as asked).
  double NumberKeyOf(uint32_t docid) const;

  // The value a document sorts by for sort field i (null when it has none).
  SortValue SortValueOf(uint32_t docid, size_t i) const;

 private:
  std::optional<double> NumberOf(uint32_t docid, size_t i) const;
  std::optional<uint32_t> OrdinalOf(uint32_t docid, size_t i) const;

  std::shared_ptr<const ColumnSnapshot> columns_;
  std::vector<const FieldMapping*> fields_;  // null for _score/_doc
  std::vector<const Column*> column_of_;
  std::vector<SortField> sort_;
};

}  // namespace ultrasearch::facets
