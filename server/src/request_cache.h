// Whole search answers kept in memory, after Elasticsearch's shard request cache: an entry is keyed
// by the index, the canonical request (see SearchCacheKey) and the index's search generation
// (Index::SearchGeneration), so an answer is only ever served for the exact state of the index it
// was computed on. When an index's generation moves (a refresh, an acknowledged write, a reindex)
// its entries are dropped at the next lookup, as Elasticsearch empties the cache of a shard whose
// reader a refresh replaced. Bounded in bytes (keys, answers and bookkeeping); the least recently
// used entries are evicted first.
//
// Thread-safe: every call takes one mutex, held only for hash lookups and list splices; the
// answers are shared immutable strings, copied by callers outside the lock.
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace ultrasearch::server {

class RequestCache {
 public:
  using Value = std::shared_ptr<const std::string>;

  // Hits, misses and evictions since start; memory of the entries held now. Elasticsearch's
  // `request_cache` section of _stats.
  struct Stats {
    uint64_t memory_bytes = 0;
    uint64_t evictions = 0;  // entries dropped to stay within the size (not invalidations)
    uint64_t hits = 0;
    uint64_t misses = 0;
    void Add(const Stats& o);
  };

  // `max_bytes` 0 disables the cache: Get always misses (uncounted) and Put stores nothing.
  explicit RequestCache(std::size_t max_bytes) : max_bytes_(max_bytes) {}
  RequestCache(const RequestCache&) = delete;
  RequestCache& operator=(const RequestCache&) = delete;

  bool enabled() const { return max_bytes_ > 0; }
  std::size_t max_bytes() const { return max_bytes_; }

  // The answer stored for `request` on `index` at `generation`, or null (counted as a miss).
  // A generation newer than the index's entries drops them all first.
  Value Get(std::string_view index, uint64_t generation, std::string_view request);

  // Stores `answer`, computed on `index` at `generation` (read before the search ran). Ignored
  // when the index has since moved past `generation` or the entry alone exceeds the capacity.
  void Put(std::string_view index, uint64_t generation, std::string_view request, std::string answer);

  // Drops every entry and the figures of `index` (deleted).
  void Forget(std::string_view index);

  Stats StatsOf(std::string_view index) const;

  // Bookkeeping counted per entry besides the key and answer bytes (list and hash nodes, strings).
  static constexpr std::size_t kEntryOverhead = 192;

 private:
  struct Entry;
  using Lru = std::list<Entry>;  // most recently used first
  struct Entry {
    std::string key;  // index '\0' request: unique over the whole cache
    std::string index;
    uint64_t generation;
    Value answer;
    std::size_t bytes;
    std::list<Lru::iterator>::iterator in_index;  // its place in IndexState::entries
  };

  struct IndexState {
    uint64_t generation = 0;  // of the entries held; older lookups are misses and not stored
    Stats stats;
    std::list<Lru::iterator> entries;  // this index's entries, for invalidation
  };

  // Requires mu_. The state of `index`, created on first use.
  IndexState& StateOf(std::string_view index);
  // Requires mu_. Moves `state` to `generation`, dropping older entries, when it is newer.
  void Advance(IndexState& state, uint64_t generation);
  // Requires mu_. Removes one entry; `evicted` counts it against its index.
  void Erase(Lru::iterator it, bool evicted);

  const std::size_t max_bytes_;
  mutable std::mutex mu_;
  Lru lru_;                                                  // guarded by mu_
  std::unordered_map<std::string_view, Lru::iterator> map_;  // guarded by mu_; keys view Entry::key
  std::map<std::string, IndexState, std::less<>> indices_;  // guarded by mu_
  std::size_t bytes_ = 0;                                   // guarded by mu_
};

}  // namespace ultrasearch::server
