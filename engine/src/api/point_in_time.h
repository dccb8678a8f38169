// What Index::OpenPointInTime pins: a reader pool frozen at one commit, with the value columns and
// the mapping of that moment.
#pragma once

#include <memory>
#include <mutex>

#include "facets/column_store.h"
#include "mapping/mapping.h"
#include "search/reader_pool.h"
#include "ultrasearch/query.h"

namespace ultrasearch {

class PointInTime {
 public:
  const void* owner = nullptr;  // the Index::Impl that opened it
  std::unique_ptr<ReaderPool> readers;  // frozen, with kHandles idle handles at one revision
  std::shared_ptr<const facets::ColumnSnapshot> columns;
  std::shared_ptr<const Mapping> mapping;
  // One search at a time: a search leases at most kHandles readers at once (the ranked page and
  // the aggregations run side by side), and a frozen pool opens no more.
  std::mutex mu;
  static constexpr int kHandles = 2;
};

}  // namespace ultrasearch
