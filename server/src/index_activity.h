// Per-index operation counters for GET /_stats (indexing.index_total, indexing.delete_total,
// search.query_total), counted as Elasticsearch counts them on a shard: successful operations,
// since the server started or the index was created. Kept in memory only, as Elasticsearch keeps
// its shard statistics.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "ultrasearch/engine.h"

namespace ultrasearch::server {

class IndexActivity {
 public:
  struct Counters {
    std::atomic<uint64_t> index_total{0};   // documents indexed: created, replaced or updated
    std::atomic<uint64_t> delete_total{0};  // delete operations, of present and missing ids alike
    std::atomic<uint64_t> query_total{0};   // searches and counts that ran on the index
  };
  struct Totals {
    uint64_t index_total = 0, delete_total = 0, query_total = 0;
  };

  IndexActivity();
  IndexActivity(const IndexActivity&) = delete;
  IndexActivity& operator=(const IndexActivity&) = delete;

  // The counters of the index `name`, created at zero on first use. After a thread's first use of
  // a name this takes no lock: each thread caches the counters it has used.
  Counters& For(std::string_view name);

  // Counts the results of one write batch on `index`.
  void CountWrites(std::string_view index, const std::vector<WriteOp>& ops, const std::vector<WriteOpResult>& results);

  Totals Read(std::string_view name) const;  // zeros for an index never used

  // The index was deleted: one created later under the same name starts from zero.
  void Forget(std::string_view name);

 private:
  // Distinguishes instances in the thread-local caches (see Metrics).
  const uint64_t instance_id_;
  // Bumped by Forget: thread caches filled under an older generation are dropped.
  std::atomic<uint64_t> generation_{0};
  mutable std::mutex mu_;
  std::unordered_map<std::string, std::shared_ptr<Counters>> counters_;  // GUARDED_BY(mu_)
};

}  // namespace ultrasearch::server
