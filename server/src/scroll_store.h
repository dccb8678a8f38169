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

class ScrollStore {
 public:
  // Elasticsearch's search.max_open_scroll_context and search.max_keep_alive.
  static constexpr std::size_t kMaxOpen = 500;
  static constexpr std::chrono::milliseconds kMaxKeepAlive{24 * 3600 * 1000};
  // Hits one scroll may hold (about 100 bytes each without sources).
  static constexpr std::size_t kMaxHits = 2'000'000;

  // Stores `context` for `keep_alive` and returns its id. Throws EsError when kMaxOpen are open.
  std::string Open(std::shared_ptr<ScrollContext> context, std::chrono::milliseconds keep_alive);
  // The context of `id`, its keep-alive renewed (replaced first by `keep_alive` when given);
  // nullptr when unknown or expired.
  std::shared_ptr<ScrollContext> Find(const std::string& id, std::optional<std::chrono::milliseconds> keep_alive);
  // Frees `id`; false when it was not open.
  bool Clear(const std::string& id);
  // Frees every context; returns how many.
  std::size_t ClearAll();
  std::size_t open() const;

 private:
  struct Slot {
    std::shared_ptr<ScrollContext> context;
    std::chrono::milliseconds keep_alive;
    std::chrono::steady_clock::time_point expires;
  };
  void ReapLocked(std::chrono::steady_clock::time_point now);

  mutable std::mutex mu_;
  std::map<std::string, Slot, std::less<>> slots_;
};

}  // namespace ultrasearch::server
