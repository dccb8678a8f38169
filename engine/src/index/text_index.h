// The writable side of an index's Xapian text index, split into shards that are written in
// parallel and searched as one database (Xapian's Database::add_database).
//
// Layout: the text directory holds shard.0 ... shard.{n-1}, each a glass database. Document d
// (our docid, 1-based) lives in shard (d-1) % n as local docid (d-1) / n + 1, which is exactly
// how Xapian numbers documents of combined databases, so docids agree everywhere. Every shard
// stores the last applied change-log sequence as metadata "ultrasearch.seq" in each commit; the
// index's committed sequence is the smallest of them (recovery replays from there; applying an
// entry twice is harmless).
//
// Not thread-safe: the index's writer lock guards every call (ApplyBatch uses helper threads
// internally and joins them before returning).
#pragma once

#include <xapian.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "ultrasearch/status.h"

namespace ultrasearch {

class TextIndex {
 public:
  // Opens the text index at `path`, creating it with `shards_if_new` shards when absent.
  static Result<std::unique_ptr<TextIndex>> Open(const std::string& path, int shards_if_new);
  // The shard databases of the text index at `path`, in shard order (for readers).
  static std::vector<std::string> ShardPaths(const std::string& path);
  // Writes a compacted copy of the committed state of the text index at `source` to `dest` (which
  // must not exist): the same shards, the same docids, tables rewritten full and in order, as
  // after one bulk load (Xapian::Database::compact). Built beside `dest` and renamed into place, so
  // a crash leaves either nothing or a complete copy. A writer of `source` may go on applying
  // changes, but should not commit meanwhile: a shard whose revision moves on is copied again.
  static Status CompactCopy(const std::string& source, const std::string& dest);

  // The sequence every shard has committed (0 for a new index).
  Result<uint64_t> CommittedSequence() const;
  // The largest sequence any shard has committed (for detecting a text index ahead of its catalog).
  Result<uint64_t> HighestCommittedSequence() const;

  struct Change {
    Xapian::docid docid;
    const Xapian::Document* doc;  // nullptr: delete
  };
  // Applies changes in order per docid, shards in parallel. Deleting a document that is not there
  // is not an error (replay may repeat a delete).
  Status ApplyBatch(const std::vector<Change>& changes);
  Status Replace(Xapian::docid docid, const Xapian::Document& doc) { return ApplyBatch({{docid, &doc}}); }
  Status Delete(Xapian::docid docid) { return ApplyBatch({{docid, nullptr}}); }
  // Durably commits pending changes of every shard together with `seq`.
  Status Commit(uint64_t seq);
  uint64_t DocCount() const;
  size_t shard_count() const { return shards_.size(); }
  void Close();

 private:
  TextIndex() = default;
  Status ApplyToShard(size_t shard, const std::vector<Change>& changes);
  // Runs fn(shard) for every shard, shards past the first on helper threads; the first error wins.
  Status ForEachShardInParallel(const std::function<Status(size_t)>& fn);

  std::vector<Xapian::WritableDatabase> shards_;
};

inline constexpr const char* kSequenceMetadataKey = "ultrasearch.seq";

}  // namespace ultrasearch
