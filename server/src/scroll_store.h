// Scroll contexts and points in time.
//
// Scroll contexts (Elasticsearch's `?scroll=` searches): a search's whole ordered list of hits,
// kept for the keep-alive it asked for, from which POST /_search/scroll hands out the next page.
// The match set and its order are fixed when the scroll starts; each page reads the documents'
// current sources from the catalog (a document deleted since is left out of its page).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "es_errors.h"
#include "search_request.h"
#include "ultrasearch/engine.h"

namespace ultrasearch::server {

struct ScrollContext {
  ParsedSearch search;  // as the client sent it: how pages are rendered
  std::vector<std::string> index_names;
  std::vector<std::shared_ptr<Index>> indices;  // parallel to index_names
  struct Entry {
    uint32_t index;  // into index_names
    Hit hit;         // without its source
  };
  std::vector<Entry> entries;  // every hit, in the search's order
  uint64_t total = 0;
  bool total_is_lower_bound = false;
  double max_score = 0;
  uint32_t page_size = 10;

  std::mutex mu;         // one page at a time
  std::size_t next = 0;  // guarded by mu: the first entry of the next page
};

// 24 random bytes, base64url: unguessable, so one client cannot read another's context.
std::string NewContextId();

// Contexts kept for a keep-alive under unguessable ids: scrolls (ScrollStore) and points in time
// (PitStore). Expired contexts are reaped on every call; a context in use stays alive through
// its shared_ptr until that use ends.
template <typename Context>
class KeepAliveStore {
 public:
  // Elasticsearch's search.max_open_scroll_context and search.max_keep_alive.
  static constexpr std::size_t kMaxOpen = 500;
  static constexpr std::chrono::milliseconds kMaxKeepAlive{24 * 3600 * 1000};
  // Hits one scroll may hold (about 100 bytes each without sources).
  static constexpr std::size_t kMaxHits = 2'000'000;

  // `too_many`: the reason of the error when kMaxOpen contexts are open.
  explicit KeepAliveStore(std::string too_many) : too_many_(std::move(too_many)) {}

  // Stores `context` for `keep_alive` and returns its id. Throws EsError when kMaxOpen are open.
  std::string Open(std::shared_ptr<Context> context, std::chrono::milliseconds keep_alive) {
    auto now = std::chrono::steady_clock::now();
    std::lock_guard<std::mutex> lock(mu_);
    ReapLocked(now);
    if (slots_.size() >= kMaxOpen) throw TooMany(too_many_);
    std::string id = NewContextId();
    slots_[id] = Slot{std::move(context), keep_alive, now + keep_alive};
    return id;
  }
  // The context of `id`, its keep-alive renewed (replaced first by `keep_alive` when given);
  // nullptr when unknown or expired.
  std::shared_ptr<Context> Find(const std::string& id, std::optional<std::chrono::milliseconds> keep_alive) {
    auto now = std::chrono::steady_clock::now();
    std::lock_guard<std::mutex> lock(mu_);
    ReapLocked(now);
    auto it = slots_.find(id);
    if (it == slots_.end()) return nullptr;
    if (keep_alive) it->second.keep_alive = *keep_alive;
    it->second.expires = now + it->second.keep_alive;
    return it->second.context;
  }
  // Frees `id`; false when it was not open.
  bool Clear(const std::string& id) {
    std::lock_guard<std::mutex> lock(mu_);
    ReapLocked(std::chrono::steady_clock::now());
    return slots_.erase(id) > 0;
  }
  // Frees every context; returns how many.
  std::size_t ClearAll() {
    std::lock_guard<std::mutex> lock(mu_);
    ReapLocked(std::chrono::steady_clock::now());
    std::size_t n = slots_.size();
    slots_.clear();
    return n;
  }
  std::size_t open() const {
    std::lock_guard<std::mutex> lock(mu_);
    return slots_.size();
  }

 private:
  struct Slot {
    std::shared_ptr<Context> context;
    std::chrono::milliseconds keep_alive;
    std::chrono::steady_clock::time_point expires;
  };
  static EsError TooMany(const std::string& reason);
  void ReapLocked(std::chrono::steady_clock::time_point now) {
    for (auto it = slots_.begin(); it != slots_.end();) {
      it = it->second.expires <= now ? slots_.erase(it) : std::next(it);
    }
  }

  const std::string too_many_;
  mutable std::mutex mu_;
  std::map<std::string, Slot, std::less<>> slots_;
};

template <typename Context>
EsError KeepAliveStore<Context>::TooMany(const std::string& reason) {
  return IllegalArgument(reason);
}

class ScrollStore : public KeepAliveStore<ScrollContext> {
 public:
  ScrollStore()
      : KeepAliveStore(fmt::format("Trying to create too many scroll contexts. Must be less than or equal to: [{}]. "
                                   "This limit can be set by changing the [search.max_open_scroll_context] setting.",
                                   kMaxOpen)) {}
};

// A point in time (POST /INDEX/_pit): the engine's pinned state of one index.
struct PitContext {
  std::string index_name;
  std::shared_ptr<Index> index;
  std::shared_ptr<PointInTime> pit;
};

class PitStore : public KeepAliveStore<PitContext> {
 public:
  PitStore()
      : KeepAliveStore(fmt::format("Trying to create too many Point in Time contexts. Must be less than or equal to: "
                                   "[{}]. This limit can be set by changing the [search.max_open_scroll_context] "
                                   "setting.",
                                   kMaxOpen)) {}
};

}  // namespace ultrasearch::server
