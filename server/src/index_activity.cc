#include "index_activity.h"

namespace ultrasearch::server {
namespace {

std::atomic<uint64_t> next_instance_id{1};

}  // namespace

IndexActivity::IndexActivity() : instance_id_(next_instance_id.fetch_add(1)) {}

IndexActivity::Counters& IndexActivity::For(std::string_view name) {
  struct Cache {
    uint64_t instance_id = 0;
    uint64_t generation = 0;
    std::unordered_map<std::string, std::shared_ptr<Counters>> counters;
  };
  thread_local Cache cache;
  thread_local std::string key;
  uint64_t generation = generation_.load(std::memory_order_acquire);
  if (cache.instance_id != instance_id_ || cache.generation != generation) {
    cache.counters.clear();
    cache.instance_id = instance_id_;
    cache.generation = generation;
  }
  key.assign(name);
  if (auto it = cache.counters.find(key); it != cache.counters.end()) return *it->second;
  std::shared_ptr<Counters> counters;
  {
    std::lock_guard lock(mu_);
    auto& slot = counters_[key];
    if (!slot) slot = std::make_shared<Counters>();
    counters = slot;
  }
  // A Forget racing with this lookup at worst lets this thread count a few operations of the
  // deleted index into its old counters (kept alive by the shared_ptr), until its next lookup.
  return *cache.counters.emplace(key, std::move(counters)).first->second;
}

void IndexActivity::CountWrites(std::string_view index, const std::vector<WriteOp>& ops,
                                const std::vector<WriteOpResult>& results) {
  uint64_t indexed = 0, deleted = 0;
  for (std::size_t i = 0; i < results.size() && i < ops.size(); ++i) {
    if (!results[i].status.ok()) continue;
    switch (results[i].result.kind) {
      case WriteResult::Kind::kCreated:
      case WriteResult::Kind::kUpdated: ++indexed; break;
      case WriteResult::Kind::kDeleted: ++deleted; break;
      // Elasticsearch runs a delete of a missing id on the shard too, and counts it.
      case WriteResult::Kind::kNotFound: deleted += ops[i].type == WriteOp::Type::kDelete ? 1 : 0; break;
      case WriteResult::Kind::kNoop: break;  // nothing written
    }
  }
  if (indexed == 0 && deleted == 0) return;
  Counters& c = For(index);
  if (indexed != 0) c.index_total.fetch_add(indexed, std::memory_order_relaxed);
  if (deleted != 0) c.delete_total.fetch_add(deleted, std::memory_order_relaxed);
}

IndexActivity::Totals IndexActivity::Read(std::string_view name) const {
  std::lock_guard lock(mu_);
  auto it = counters_.find(std::string(name));
  if (it == counters_.end()) return {};
  const Counters& c = *it->second;
  return {c.index_total.load(std::memory_order_relaxed), c.delete_total.load(std::memory_order_relaxed),
          c.query_total.load(std::memory_order_relaxed)};
}

void IndexActivity::Forget(std::string_view name) {
  std::lock_guard lock(mu_);
  counters_.erase(std::string(name));
  generation_.fetch_add(1, std::memory_order_release);
}

}  // namespace ultrasearch::server
