#include "search/reader_pool.h"

#include "common/xapian_status.h"

namespace ultrasearch {

Result<ReaderPool::Lease> ReaderPool::Acquire() {
  Handle handle;
  std::vector<std::string> paths;
  uint64_t epoch;
  {
    std::lock_guard<std::mutex> lock(mu_);
    paths = paths_;
    epoch = epoch_;
    ++leased_[epoch];  // counted before opening, so the paths stay while they are being opened
    if (!idle_.empty()) {
      handle = std::move(idle_.back());
      idle_.pop_back();
    }
  }
  struct Unreserve {
    ReaderPool* pool;
    uint64_t epoch;
    bool armed = true;
    ~Unreserve() {
      if (!armed) return;
      std::lock_guard<std::mutex> lock(pool->mu_);
      if (--pool->leased_[epoch] == 0) pool->leased_.erase(epoch);
    }
  } unreserve_on_failure{this, epoch};
  if (frozen()) {
    if (!handle.db) return Status::Busy("every reader of this point in time is in use");
    unreserve_on_failure.armed = false;
    return Lease(this, std::move(handle));
  }
  // A handle at the current epoch and generation shows that commit exactly: no lock needed.
  if (handle.db && handle.epoch == epoch && handle.generation == generation_.load(std::memory_order_acquire)) {
    unreserve_on_failure.armed = false;
    return Lease(this, std::move(handle));
  }
  for (int attempt = 0;; ++attempt) {
    try {
      std::shared_lock<std::shared_mutex> between_commits(open_mu_);
      const uint64_t generation = generation_.load(std::memory_order_acquire);
      if (!handle.db || handle.epoch != epoch) {
        handle.db = std::make_unique<Xapian::Database>();
        handle.shards.clear();
        for (const auto& path : paths) {
          handle.shards.emplace_back(path);
          handle.db->add_database(handle.shards.back());
        }
        handle.epoch = epoch;
      } else if (handle.generation != generation) {
        handle.db->reopen();  // the shard handles share its tables, so they move with it
      }
      handle.generation = generation;
      break;
    } catch (const Xapian::DatabaseModifiedError& e) {
      // A commit landed while opening; the next attempt sees it whole.
      if (attempt >= 5) return FromXapian(e, "opening the text index for search");
      handle.db.reset();
      handle.shards.clear();
    } catch (const Xapian::DatabaseCorruptError& e) {
      // Opening while a commit rewrites the blocks of the revision being opened can read a block of
      // each ("Expected block N to be level 1, not 0"); a fresh open sees one revision. Only an
      // error that persists is real corruption.
      if (attempt >= 5) return FromXapian(e, "opening the text index for search");
      handle.db.reset();
      handle.shards.clear();
    } catch (const Xapian::Error& e) {
      return FromXapian(e, "opening the text index for search");
    }
  }
  unreserve_on_failure.armed = false;
  return Lease(this, std::move(handle));
}

bool ReaderPool::OldPathsInUse() {
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [epoch, count] : leased_) {
    if (epoch != epoch_ && count > 0) return true;
  }
  return false;
}

void ReaderPool::SwitchPaths(std::vector<std::string> shard_paths) {
  std::lock_guard<std::mutex> lock(mu_);
  paths_ = std::move(shard_paths);
  ++epoch_;
  idle_.clear();
}

void ReaderPool::Reopen(Handle* handle) {
  std::shared_lock<std::shared_mutex> between_commits(open_mu_);
  const uint64_t generation = generation_.load(std::memory_order_acquire);
  handle->db->reopen();  // the shard handles share its tables, so they move with it
  handle->generation = generation;
}

void ReaderPool::Return(Handle handle) {
  std::lock_guard<std::mutex> lock(mu_);
  if (auto it = leased_.find(handle.epoch); it != leased_.end() && --it->second == 0) leased_.erase(it);
  if (handle.epoch == epoch_ && idle_.size() < 64) idle_.push_back(std::move(handle));
}

}  // namespace ultrasearch
