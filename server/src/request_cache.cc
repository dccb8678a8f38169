#include "request_cache.h"

namespace ultrasearch::server {

namespace {

void MakeKey(std::string_view index, std::string_view request, std::string* key) {
  key->clear();
  key->reserve(index.size() + 1 + request.size());
  key->append(index).push_back('\0');
  key->append(request);
}

}  // namespace

void RequestCache::Stats::Add(const Stats& o) {
  memory_bytes += o.memory_bytes;
  evictions += o.evictions;
  hits += o.hits;
  misses += o.misses;
}

RequestCache::IndexState& RequestCache::StateOf(std::string_view index) {
  auto it = indices_.find(index);
  if (it == indices_.end()) it = indices_.emplace(std::string(index), IndexState{}).first;
  return it->second;
}

void RequestCache::Advance(IndexState& state, uint64_t generation) {
  if (generation <= state.generation) return;
  state.generation = generation;
  while (!state.entries.empty()) Erase(state.entries.front(), /*evicted=*/false);
}

void RequestCache::Erase(Lru::iterator it, bool evicted) {
  IndexState& state = StateOf(it->index);
  state.entries.erase(it->in_index);
  state.stats.memory_bytes -= it->bytes;
  if (evicted) ++state.stats.evictions;
  bytes_ -= it->bytes;
  map_.erase(std::string_view(it->key));
  lru_.erase(it);
}

RequestCache::Value RequestCache::Get(std::string_view index, uint64_t generation, std::string_view request) {
  if (!enabled()) return nullptr;
  thread_local std::string key;  // built outside the lock, without an allocation per lookup
  MakeKey(index, request, &key);
  std::lock_guard lock(mu_);
  IndexState& state = StateOf(index);
  Advance(state, generation);
  auto it = map_.find(std::string_view(key));
  if (it == map_.end() || it->second->generation != generation) {
    ++state.stats.misses;
    return nullptr;
  }
  lru_.splice(lru_.begin(), lru_, it->second);
  ++state.stats.hits;
  return it->second->answer;
}

void RequestCache::Put(std::string_view index, uint64_t generation, std::string_view request, std::string answer) {
  if (!enabled()) return;
  std::string key;
  MakeKey(index, request, &key);
  const std::size_t bytes = key.size() + index.size() + answer.size() + kEntryOverhead;
  if (bytes > max_bytes_) return;
  auto value = std::make_shared<const std::string>(std::move(answer));
  std::lock_guard lock(mu_);
  IndexState& state = StateOf(index);
  if (generation < state.generation) return;  // a refresh overtook this search: its answer is stale
  Advance(state, generation);
  if (auto old = map_.find(std::string_view(key)); old != map_.end()) Erase(old->second, /*evicted=*/false);
  lru_.push_front(Entry{std::move(key), std::string(index), generation, std::move(value), bytes, {}});
  auto entry = lru_.begin();
  map_.emplace(std::string_view(entry->key), entry);
  entry->in_index = state.entries.insert(state.entries.end(), entry);
  state.stats.memory_bytes += bytes;
  bytes_ += bytes;
  while (bytes_ > max_bytes_) Erase(std::prev(lru_.end()), /*evicted=*/true);
}

void RequestCache::Forget(std::string_view index) {
  std::lock_guard lock(mu_);
  auto it = indices_.find(index);
  if (it == indices_.end()) return;
  while (!it->second.entries.empty()) Erase(it->second.entries.front(), /*evicted=*/false);
  indices_.erase(it);
}

RequestCache::Stats RequestCache::StatsOf(std::string_view index) const {
  std::lock_guard lock(mu_);
  auto it = indices_.find(index);
  return it == indices_.end() ? Stats{} : it->second.stats;
}

}  // namespace ultrasearch::server
