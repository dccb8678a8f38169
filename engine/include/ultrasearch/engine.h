// The engine: a data directory of named indices, each a RocksDB catalog (the source of truth) and a
// Xapian text index derived from it.
//
// Layout: DATA/indices/NAME/{catalog,text}. A write is one durable RocksDB WriteBatch holding the
// documents and a change-log entry under a new sequence number; only then is it acknowledged. The
// indexer applies log entries to Xapian and records the last applied sequence in the same Xapian
// commit; opening an index replays the log past that sequence, so a crash loses no acknowledged
// write. See docs/architecture.md and docs/storage-format.md.
//
// Thread safety: Engine and Index are safe to use from many threads. Writes to one index are
// serialised; searches run concurrently with writes and see the state of the last refresh.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ultrasearch/analysis.h"
#include "ultrasearch/query.h"
#include "ultrasearch/status.h"

namespace ultrasearch {

struct EngineOptions {
  std::string data_dir = "./ultrasearch-data";
  // Analyzers available to mappings. Required: Engine::Open fails without one.
  std::shared_ptr<const AnalyzerRegistry> analyzers;
  // Period of the background refresh that makes writes searchable. Zero disables it (writes then
  // become visible only on Index::Refresh()).
  std::chrono::milliseconds refresh_interval{1000};
  // fsync each acknowledged write. Turn off only for throwaway data (benchmarks of other parts).
  bool sync_writes = true;
  // Shards of a new text index, written in parallel and searched as one. 0: one per core (at
  // most 4). Existing indices keep the count they were built with until a reindex.
  int text_shards = 0;
};

// How Put treats an existing document with the same id.
enum class PutMode {
  kUpsert,  // create or replace (PUT /index/_doc/id)
  kCreate,  // fail with Conflict if it exists (PUT /index/_create/id)
};

// Outcome of one document write.
struct WriteResult {
  enum class Kind { kCreated, kUpdated, kDeleted, kNotFound, kNoop };
  Kind kind = Kind::kCreated;
  std::string id;
  uint64_t version = 0;  // per-document version, starting at 1
  uint64_t seq_no = 0;   // the index-wide sequence number of this write
};

// One operation of a write batch (the _bulk API, catalog import).
struct WriteOp {
  enum class Type { kIndex, kCreate, kUpdate, kDelete };
  Type type = Type::kIndex;
  std::string id;    // empty for kIndex/kCreate: the engine assigns one
  std::string json;  // the document (kIndex/kCreate) or the partial document (kUpdate)
};

// Per-operation outcome of a batch: either a WriteResult or the error that rejected the operation.
// A rejected operation changes nothing; the others in the batch still apply.
struct WriteOpResult {
  Status status;
  WriteResult result;
};

struct IndexStats {
  uint64_t documents = 0;          // live documents in the catalog (RocksDB)
  uint64_t indexed_documents = 0;  // documents in the searchable text index (Xapian)
  uint64_t size_on_disk_bytes = 0;
  uint64_t last_sequence = 0;          // last acknowledged write
  uint64_t last_indexed_sequence = 0;  // last write committed to the text index
  uint64_t value_columns_bytes = 0;    // memory of the in-memory value columns (facets, filters, sort)
};

struct IndexSettings {
  // Elasticsearch-style mappings ({"properties":{...}}) and settings JSON; empty for defaults.
  // Index `products` defaults to the catalog schema of DESIGN.md; others map fields dynamically.
  std::string mappings_json;
  std::string settings_json;
};

class Index {
 public:
  class Impl;
  explicit Index(std::unique_ptr<Impl> impl);
  ~Index();
  Index(const Index&) = delete;
  Index& operator=(const Index&) = delete;

  const std::string& name() const;

  // Stores `json` (a JSON object) under `id`. Fails with InvalidArgument when the JSON is malformed,
  // not an object, or a field does not fit its mapping; with Conflict for kCreate on an existing id.
  // On failure nothing changes. Unknown fields are added to the mapping (dynamic mapping).
  Result<WriteResult> Put(std::string_view id, std::string_view json, PutMode mode = PutMode::kUpsert);

  // Merges `partial_json` into the stored document (objects merge recursively, other values
  // replace). NotFound when there is no document with this id.
  Result<WriteResult> Update(std::string_view id, std::string_view partial_json);

  // Removes a document. Returns kind kNotFound (not an error) when there was none.
  Result<WriteResult> Delete(std::string_view id);

  // The stored document; NotFound when absent. Real time: sees every acknowledged write.
  struct Document {
    std::string id;
    std::string source_json;
    uint64_t version = 0;
    uint64_t seq_no = 0;
  };
  Result<Document> Get(std::string_view id) const;

  // Applies the operations as one durable group: one RocksDB batch, one fsync. Each operation
  // succeeds or fails on its own (see WriteOpResult). The returned vector matches `ops` in order.
  // Fails as a whole only on I/O errors, in which case nothing was written.
  Result<std::vector<WriteOpResult>> Write(const std::vector<WriteOp>& ops);

  // Makes every acknowledged write searchable (commits the text index).
  Status Refresh();

  Result<SearchResult> Search(const SearchRequest& request) const;
  Result<uint64_t> Count(const Query& query) const;

  Result<IndexStats> Stats() const;

  // The current mappings as Elasticsearch shows them: {"properties":{...}}.
  std::string MappingsJson() const;

  // Stops background work, commits what is pending and closes both stores. Later calls fail with
  // Unavailable. Called by Engine::DeleteIndex and on destruction; idempotent.
  void Close();

  // Rebuilds the text index from the catalog beside the live one and swaps it in atomically;
  // searches keep using the old one until the swap. `progress` (may be empty) gets documents done.
  Status Reindex(const std::function<void(uint64_t done, uint64_t total)>& progress = {});

 private:
  std::unique_ptr<Impl> impl_;
};

class Engine {
 public:
  class Impl;
  // Opens (creating if needed) the data directory. Indices open lazily on first use. Fails with
  // InvalidArgument when options lack analyzers, IOError when the directory cannot be used, Busy
  // when another process holds it.
  static Result<std::unique_ptr<Engine>> Open(EngineOptions options);
  ~Engine();

  // Creates an index. Conflict if it exists; InvalidArgument for a bad name or mappings.
  Result<std::shared_ptr<Index>> CreateIndex(std::string_view name, const IndexSettings& settings);
  // An existing index; NotFound otherwise.
  Result<std::shared_ptr<Index>> GetIndex(std::string_view name);
  // An existing index, or a new one with default settings (Elasticsearch's auto-create on write).
  Result<std::shared_ptr<Index>> GetOrCreateIndex(std::string_view name);
  // Closes and removes an index and its files. NotFound if absent.
  Status DeleteIndex(std::string_view name);
  std::vector<std::string> ListIndices() const;

  const AnalyzerRegistry& analyzers() const;
  const std::string& data_dir() const;

  // Valid index names follow Elasticsearch: lowercase, no \ / * ? " < > | , # : or space, not
  // starting with - _ +, not . or .., at most 255 bytes.
  static Status ValidateIndexName(std::string_view name);

 private:
  explicit Engine(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace ultrasearch
