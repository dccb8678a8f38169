// Every document a compiled query matches, unranked: what aggregations, column sorting and the
// exact hit count need. Xapian's matcher would build a document object for each match to hand it
// to a match spy, which dominates on broad queries (hundreds of thousands of matches); this walks
// the query tree instead: term posting lists, merged and intersected as sorted docid runs, and
// column filters (facets::ColumnFilterTable) tested against the columns for the candidates
// alone. A node it does not know (phrase, wildcard, value range, another posting source) is
// handed back to Xapian's matcher, restricted to the candidates its siblings left.
#pragma once

#include <xapian.h>

#include <cstdint>
#include <vector>

#include "facets/column_query.h"

namespace ultrasearch {

class MatchCollector {
 public:
  // `shards`: a reader's shards (ReaderPool::Lease::shards()); `filters`: the table the query
  // was compiled with, or nullptr.
  MatchCollector(const std::vector<Xapian::Database>& shards, const facets::ColumnFilterTable* filters)
      : shards_(shards), filters_(filters) {}

  // The engine docids `query` matches, ascending. Throws Xapian::Error.
  std::vector<uint32_t> Collect(const Xapian::Query& query) const;

 private:
  using Docids = std::vector<Xapian::docid>;  // shard-local, ascending

  struct Shard {
    const Xapian::Database& db;
    size_t index;
  };

  // The local docids of `shard` that `query` matches; when `within` is given, only those among it.
  Docids Evaluate(const Xapian::Query& query, const Shard& shard, const Docids* within) const;
  Docids EvaluateAnd(const Xapian::Query& query, const Shard& shard, const Docids* within) const;
  Docids EvaluateOr(const Xapian::Query& query, const Shard& shard, const Docids* within) const;
  Docids EvaluateAndNot(const Xapian::Query& query, const Shard& shard, const Docids* within) const;
  Docids Postings(const std::string& term, const Shard& shard, const Docids* within) const;
  Docids Filter(const facets::ColumnFilterTable::Predicate& matches, const Shard& shard, const Docids* within) const;
  // Xapian's matcher, for the nodes Evaluate does not know.
  Docids Match(const Xapian::Query& query, const Shard& shard, const Docids* within) const;

  uint32_t EngineDocid(Xapian::docid local, const Shard& shard) const {
    return static_cast<uint32_t>((local - 1) * shards_.size() + shard.index + 1);
  }

  const std::vector<Xapian::Database>& shards_;
  const facets::ColumnFilterTable* filters_;
};

}  // namespace ultrasearch
