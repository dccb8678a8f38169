// The catalog: the RocksDB database that is the source of truth for one index.
//
// On-disk layout (docs/storage-format.md mirrors this; bump kFormatVersion on any change):
//   column family "default" (meta):
//     "format_version" -> decimal text, currently "2" (1: before the "values" column family; such
//                         a catalog opens, gets its values records, and becomes 2)
//     "last_seq"       -> fixed64 BE: sequence number of the last acknowledged write
//     "next_docid"     -> fixed32 BE: next internal document number to hand out (never reused)
//     "doc_count"      -> fixed64 BE: live documents
//     "mapping"        -> the mapping in its storage form (versioned JSON, mapping/mapping_codec.h)
//     "settings"       -> the index settings JSON as given at creation
//   column family "docs":  key = document id (UTF-8 bytes)
//     value = fixed32 BE docid | varint64 version | varint64 seq_no | source JSON bytes
//   column family "log":   key = fixed64 BE sequence number
//     value = op byte ('P' put, 'D' delete) | fixed32 BE docid | document id bytes
//   column family "values": key = fixed32 BE docid
//     value = the document's keyword/numeric/boolean/date values (facets/doc_values.h)
//   meta "values_complete" -> "1" once every stored document has its "values" record (indices
//     written before the values column family existed get them at their next open)
// A write is one WriteBatch over all four; the log holds entries not yet committed to the text
// index and is trimmed after each text-index commit.
#pragma once

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ultrasearch/status.h"

namespace ultrasearch {

inline constexpr int kFormatVersion = 2;
// The oldest format this build opens (and upgrades; see kMetaValuesComplete).
inline constexpr int kOldestReadableFormatVersion = 1;

struct StoredDoc {
  uint32_t docid = 0;
  uint64_t version = 0;
  uint64_t seq_no = 0;
  std::string source;
};

struct LogEntry {
  uint64_t seq = 0;
  bool is_delete = false;
  uint32_t docid = 0;
  std::string id;
};

class CatalogStore {
 public:
  // Opens or creates the catalog in `dir`. Corruption when the format version is unknown.
  static Result<std::unique_ptr<CatalogStore>> Open(const std::string& dir, bool sync_writes);
  // Opens the catalog in `dir` for reading only: writes nothing to it (a backup's checkpoint is
  // read this way before its files are checksummed). NotFound when `dir` does not exist.
  static Result<std::unique_ptr<CatalogStore>> OpenReadOnly(const std::string& dir);

  // Writes a consistent copy of the catalog into `dest` (which must not exist): hard links to the
  // table files when on the same filesystem, copies otherwise. Safe beside writers.
  Status CreateCheckpoint(const std::string& dest) const;
  ~CatalogStore();

  // Accumulates one atomic write.
  class Batch {
   public:
    void PutDoc(std::string_view id, const StoredDoc& doc);
    void DeleteDoc(std::string_view id);
    void AppendLog(const LogEntry& entry);
    void PutMeta(std::string_view key, std::string_view value);
    // The document's filter/sort/facet values (facets/doc_values.h), keyed by docid.
    void PutValues(uint32_t docid, std::string_view encoded);
    void DeleteValues(uint32_t docid);
    bool empty() const { return batch_.Count() == 0; }

   private:
    friend class CatalogStore;
    explicit Batch(CatalogStore* store) : store_(store) {}
    CatalogStore* store_;
    rocksdb::WriteBatch batch_;
  };
  Batch NewBatch() { return Batch(this); }
  // Writes the batch durably (fsync when sync_writes). Nothing is applied on failure.
  Status Commit(Batch* batch);

  Result<std::optional<std::string>> GetMeta(std::string_view key) const;
  Result<std::optional<StoredDoc>> GetDoc(std::string_view id) const;
  // Looks up many ids at once; (*out)[i] is empty where ids[i] is absent.
  Status MultiGetDocs(const std::vector<std::string>& ids, std::vector<std::optional<StoredDoc>>* out) const;

  // Calls fn for each log entry with seq > after, in order; stops early when fn returns false.
  Status ForEachLogEntry(uint64_t after, const std::function<bool(const LogEntry&)>& fn) const;
  // Removes log entries with seq <= up_to (they are in the committed text index).
  Status TrimLog(uint64_t up_to);
  // Flushes the memtables into compressed table files (so the write-ahead logs of a bulk load go)
  // and compacts every family down to its last level, dropping deleted and overwritten records
  // and the trimmed log's tombstones. Writers may go on meanwhile.
  Status Compact();

  // Iterates every stored document of a consistent snapshot, in id order. `snapshot_seq` receives
  // the last_seq of that snapshot.
  Status ForEachDoc(const std::function<bool(std::string_view id, const StoredDoc& doc)>& fn,
                    uint64_t* snapshot_seq) const;

  // Calls fn for every "values" record in docid order (a sequential scan, used at open).
  Status ForEachValues(const std::function<bool(uint32_t docid, std::string_view encoded)>& fn) const;

  uint64_t ApproximateSizeBytes() const;

  static std::string EncodeDoc(const StoredDoc& doc);
  static bool DecodeDoc(std::string_view value, StoredDoc* doc);

 private:
  CatalogStore() = default;
  static Result<std::unique_ptr<CatalogStore>> OpenImpl(const std::string& dir, bool sync_writes, bool read_only);

  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;  // owned by db_ until destroyed in ~CatalogStore
  rocksdb::ColumnFamilyHandle* meta_ = nullptr;
  rocksdb::ColumnFamilyHandle* docs_ = nullptr;
  rocksdb::ColumnFamilyHandle* log_ = nullptr;
  rocksdb::ColumnFamilyHandle* values_ = nullptr;
  rocksdb::WriteOptions write_options_;
  // Writes serialise here (the index's writer lock already does; this guards write_blocked_).
  std::mutex write_mu_;
  rocksdb::Status write_blocked_;  // guarded by write_mu_: the failure that stopped writes, or OK
};

// Meta keys.
inline constexpr std::string_view kMetaFormatVersion = "format_version";
inline constexpr std::string_view kMetaLastSeq = "last_seq";
inline constexpr std::string_view kMetaNextDocid = "next_docid";
inline constexpr std::string_view kMetaDocCount = "doc_count";
inline constexpr std::string_view kMetaMapping = "mapping";
inline constexpr std::string_view kMetaSettings = "settings";
inline constexpr std::string_view kMetaValuesComplete = "values_complete";

}  // namespace ultrasearch
