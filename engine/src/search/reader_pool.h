// Read-only Xapian handles for searches. Xapian::Database is not safe to share between threads,
// so each search leases its own handle; handles are reused and reopened when a refresh has
// published a newer commit (or reindex has swapped in a new directory).
#pragma once

#include <xapian.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "ultrasearch/status.h"

namespace ultrasearch {

class ReaderPool {
 public:
  // `shard_paths`: the databases searched together as one (TextIndex::ShardPaths).
  explicit ReaderPool(std::vector<std::string> shard_paths) : paths_(std::move(shard_paths)) {}

  struct Handle {
    std::unique_ptr<Xapian::Database> db;
    // The shards `db` combines, sharing its open tables (so always at its revision): matching a
    // shard alone gives its own docids to match spies and posting sources (Xapian 1.4).
    std::vector<Xapian::Database> shards;
    uint64_t generation = 0;
    uint64_t epoch = 0;
  };

  class Lease {
   public:
    Lease(ReaderPool* pool, Handle handle) : pool_(pool), handle_(std::move(handle)) {}
    Lease(Lease&& other) noexcept = default;
    ~Lease() {
      if (pool_ != nullptr && handle_.db) pool_->Return(std::move(handle_));
    }
    Xapian::Database& db() { return *handle_.db; }
    const std::vector<Xapian::Database>& shards() const { return handle_.shards; }
    // Identifies the published state this handle was opened at (ReaderPool::VersionOf).
    uint64_t version() const { return pool_->VersionOf(handle_); }
    // After DatabaseModifiedError: reopen at the newest published revision.
    void Reopen() { pool_->Reopen(&handle_); }
    // A frozen pool's handle must never move to another revision (see ReaderPool::Freeze).
    bool frozen() const { return pool_->frozen(); }

   private:
    ReaderPool* pool_;
    Handle handle_;
  };

  // A handle at the latest published revision. IOError if the database cannot be opened.
  Result<Lease> Acquire();
  // Readers reopen on their next Acquire (after a commit). Call while holding HoldOpens().
  void Publish() { generation_.fetch_add(1, std::memory_order_release); }

  // Held by the index from the start of a text commit until it has published it: handles open
  // and reopen only between commits, so every handle labelled with a generation shows exactly
  // that commit, never a newer one nor shards from two commits. Without it, a handle opened
  // during a commit showed more than another of the same generation, and a reader leasing them
  // in turn saw a refreshed document disappear.
  std::unique_lock<std::shared_mutex> HoldOpens() { return std::unique_lock<std::shared_mutex>(open_mu_); }
  // Points future handles at other shard databases and drops the idle ones (after reindex).
  void SwitchPaths(std::vector<std::string> shard_paths);
  // Whether a search still holds (or is opening) a handle on the paths before the last switch:
  // until it ends, the directories they name must stay.
  bool OldPathsInUse();

  std::vector<std::string> paths() const {
    std::lock_guard<std::mutex> lock(mu_);
    return paths_;
  }

  // For points in time: from now on Acquire only hands out the idle handles already open (Busy
  // when none is idle) and never opens or reopens one, so every search sees their revision.
  void Freeze() { frozen_.store(true, std::memory_order_release); }
  bool frozen() const { return frozen_.load(std::memory_order_acquire); }

  // The state a handle shows, as caches keyed by the database's UUID need it (TermDictionaryCache):
  // the pool (a directory reopened in the same process starts counting generations again), the
  // epoch and the generation; never 0 (which such caches read as "unknown") and never a Xapian
  // revision (bit 62).
  uint64_t VersionOf(const Handle& handle) const {
    return (uint64_t{1} << 62) | ((instance_ & 0x3FFF) << 48) | ((handle.epoch & 0xFF) << 40) |
           (handle.generation & ((uint64_t{1} << 40) - 1));
  }

 private:
  static uint64_t NextInstance() {
    static std::atomic<uint64_t> next{0};
    return next.fetch_add(1, std::memory_order_relaxed);
  }

  void Return(Handle handle);
  void Reopen(Handle* handle);

  mutable std::mutex mu_;
  std::atomic<bool> frozen_{false};
  std::vector<std::string> paths_;  // guarded by mu_
  std::vector<Handle> idle_;       // guarded by mu_
  // Leases out (and being opened) per epoch, so that retired directories go once nobody reads them.
  std::unordered_map<uint64_t, size_t> leased_;  // guarded by mu_
  uint64_t epoch_ = 0;             // guarded by mu_
  std::atomic<uint64_t> generation_{0};
  const uint64_t instance_ = NextInstance();
  std::shared_mutex open_mu_;  // see HoldOpens
};

}  // namespace ultrasearch
