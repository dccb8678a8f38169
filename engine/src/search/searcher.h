// Executes a search against one reader lease: plan, rank or sort, page, then fetch the stored
// documents of the page from the catalog.
#pragma once

#include <memory>

#include "facets/column_store.h"
#include "mapping/mapping.h"
#include "search/reader_pool.h"
#include "store/catalog_store.h"
#include "ultrasearch/analysis.h"
#include "ultrasearch/query.h"
#include "ultrasearch/status.h"

namespace ultrasearch {

struct SearchContext {
  const Mapping& mapping;
  const AnalyzerRegistry& analyzers;
  ReaderPool& readers;
  const CatalogStore& catalog;
  // The value columns published with the readers' refresh (aggregations, column filters, sort).
  std::shared_ptr<const facets::ColumnSnapshot> columns = nullptr;
};

Result<SearchResult> ExecuteSearch(const SearchRequest& request, const SearchContext& ctx);

// The _id of a matched document: from the value columns published with `db`'s refresh when they
// hold it (an in-memory read), else from the text index's document data (a B-tree lookup).
std::string HitId(const facets::ColumnSnapshot* columns, const Xapian::Database& db, Xapian::docid docid);

// Status::Cancelled once request.cancelled says so; OK otherwise. Searches call it between phases.
inline Status CheckCancelled(const SearchRequest& request) {
  if (request.cancelled && request.cancelled()) return Status::Cancelled("the search was cancelled by its caller");
  return Status::OK();
}
Result<uint64_t> ExecuteCount(const Query& query, const SearchContext& ctx);

}  // namespace ultrasearch
