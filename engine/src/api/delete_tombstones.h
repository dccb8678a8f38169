// Versions of recently deleted ids, as Elasticsearch keeps them for `index.gc_deletes` (60 s): a
// write to an id deleted within that window continues its version numbers (index, delete, index
// gives versions 1, 2, 3) and external versions are checked against it. Like Elasticsearch's
// version map they live in memory only, so a restart forgets them.
//
// Not thread-safe: the index's writer lock guards every call.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace ultrasearch {

class DeleteTombstones {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr std::chrono::seconds kRetention{60};

  // The version the id was deleted at, when that was within the retention window.
  std::optional<uint64_t> Find(const std::string& id, Clock::time_point now) const {
    auto it = entries_.find(id);
    if (it == entries_.end() || it->second.deleted_at + kRetention < now) return std::nullopt;
    return it->second.version;
  }
  void Put(const std::string& id, uint64_t version, Clock::time_point now) {
    entries_[id] = {version, now};
    order_.emplace_back(now, id);
  }
  // The id holds a live document again.
  void Erase(const std::string& id) { entries_.erase(id); }
  // Forgets deletes older than the retention window.
  void Prune(Clock::time_point now) {
    while (!order_.empty() && order_.front().first + kRetention < now) {
      auto it = entries_.find(order_.front().second);
      if (it != entries_.end() && it->second.deleted_at == order_.front().first) entries_.erase(it);
      order_.pop_front();
    }
  }

 private:
  struct Entry {
    uint64_t version = 0;
    Clock::time_point deleted_at;
  };
  std::unordered_map<std::string, Entry> entries_;
  std::deque<std::pair<Clock::time_point, std::string>> order_;  // oldest first, for Prune
};

}  // namespace ultrasearch
