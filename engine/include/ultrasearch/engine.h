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
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ultrasearch/aliases.h"
#include "ultrasearch/analysis.h"
#include "ultrasearch/backup.h"
#include "ultrasearch/query.h"
#include "ultrasearch/status.h"

namespace ultrasearch {

// Settings and mappings applied to new indices whose name matches, as Elasticsearch's composable
// index templates are: of the templates matching a new index, the one with the highest priority
// (the first listed on a tie) applies; the creation request's mappings and settings are merged over
// it (objects merge key by key, the request winning; other values, arrays included, replace).
// Indices that exist keep what they were created with.
// One rule of a synonyms set (PUT /_synonyms/ID), in Solr format ("a, b, c" or "a => b").
struct SynonymRule {
  std::string id;
  std::string synonyms;
};

struct SynonymSetSummary {
  std::string id;
  size_t count = 0;  // rules
};

struct IndexTemplate {
  std::string name;                         // for messages
  std::vector<std::string> index_patterns;  // index names, '*' matching any run: "products", "logs-*"
  std::string mappings_json;                // Elasticsearch mappings ({"properties":{...}}); may be empty
  // Elasticsearch index settings; `analysis.analyzer.default.type` names the analyzer of text
  // fields that declare none (Elasticsearch's `standard` when absent). May be empty.
  std::string settings_json;
  int priority = 0;
};

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
  // Run a reindex's build at low CPU priority (nice 10), so the searches and writes of a server
  // come first and the build takes the CPU they leave. For programs that serve searches beside
  // maintenance (`ultrasearch serve` turns it on); off, the build runs at the caller's priority.
  bool maintenance_at_low_priority = false;
  // Applied when an index is created (see IndexTemplate). Engine::Open fails with InvalidArgument
  // when one does not parse or names an unknown analyzer. The engine has no built-in schema.
  std::vector<IndexTemplate> index_templates;
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

// How a write's `version` is checked (Elasticsearch's version_type). kInternal: the engine numbers
// versions itself (each successful write adds one) and `WriteOp::version` must be 0.
// kExternal / kExternalGte: the caller owns the numbers; the write applies only when its version is
// greater than (kExternal) or at least (kExternalGte) the current one, and stores it.
enum class VersionType { kInternal, kExternal, kExternalGte };

// One operation of a write batch (the _bulk API, catalog import). Operations of one batch apply in
// order, each seeing the effects of the ones before it, exactly as if issued one after another.
struct WriteOp {
  enum class Type { kIndex, kCreate, kUpdate, kDelete };
  WriteOp() = default;
  WriteOp(Type op_type, std::string op_id, std::string op_json = {})
      : type(op_type), id(std::move(op_id)), json(std::move(op_json)) {}

  Type type = Type::kIndex;
  std::string id;    // empty for kIndex/kCreate: the engine assigns one
  std::string json;  // the document (kIndex/kCreate) or the partial document (kUpdate)

  // kUpdate of a missing id: create it from `upsert_json` when set (not merged with `json`), or
  // from `json` itself when `doc_as_upsert` (which wins over upsert_json). Otherwise NotFound.
  std::optional<std::string> upsert_json;
  bool doc_as_upsert = false;
  // kUpdate: when merging `json` changes nothing, answer kNoop and write nothing (no new version or
  // seq_no). When false, such an update is stored as a new version anyway.
  bool detect_noop = true;

  // Compare-and-write (Elasticsearch's if_seq_no / if_primary_term; the primary term is always 1):
  // the operation applies only when the document exists with this seq_no, else Conflict. Not for
  // kCreate, nor together with an upsert or with external versions (see ValidateWriteOp).
  std::optional<uint64_t> if_seq_no;
  std::optional<uint64_t> if_primary_term;
  // External versioning (kIndex, kDelete only): see VersionType. Required with kExternal and
  // kExternalGte, refused with kInternal.
  VersionType version_type = VersionType::kInternal;
  std::optional<uint64_t> version;
};

// Elasticsearch's longest document id, in bytes.
inline constexpr size_t kMaxDocumentIdBytes = 512;

// Checks the id and option combination of `op` the way Index::Write does before applying it, so a
// front can refuse a request before writing anything. InvalidArgument with Elasticsearch's
// validation message (e.g. "compare and write operations can not use versioning"); an empty id
// is accepted for kIndex/kCreate (the engine assigns one).
Status ValidateWriteOp(const WriteOp& op);

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
  // Elasticsearch-style mappings ({"properties":{...}}) and settings JSON; empty for defaults:
  // those of the matching index template (EngineOptions::index_templates), else an empty mapping
  // that maps fields dynamically with text analysed by `standard`.
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
  // replace). NotFound when there is no document with this id; kNoop when nothing changes.
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
  // succeeds or fails on its own (see WriteOpResult) and sees the batch's earlier operations, as
  // if they had run one after another under the writer lock. Per-operation errors:
  // InvalidArgument (bad id, JSON, mapping, or option combination), NotFound (kUpdate of a missing
  // id without upsert), Conflict (kCreate of an existing id, a failed if_seq_no or external
  // version check). Ids are at most 512 bytes (Elasticsearch's limit). Versions follow
  // Elasticsearch: each applied write adds one (kCreated starts at 1, or one past a delete of the
  // last 60 s); a kDelete of a missing id answers kNotFound and still takes a seq_no; a kNoop
  // takes neither. The returned vector matches `ops` in order. Fails as a whole only on I/O
  // errors, in which case nothing was written.
  Result<std::vector<WriteOpResult>> Write(const std::vector<WriteOp>& ops);

  // Makes every acknowledged write searchable (commits the text index).
  Status Refresh();

  Result<SearchResult> Search(const SearchRequest& request) const;
  Result<uint64_t> Count(const Query& query) const;
  // One suggester on its own (Search runs SearchRequest::suggest through it). InvalidArgument for
  // an unknown analyzer or a field that is neither text nor keyword; a field not in the mapping
  // gives entries without options. Thread-safe.
  Result<SuggestResult> Suggest(const SuggestRequest& request) const;

  // Pins the searchable state of now (the text index's current commit, its value columns and the
  // mapping) for searches that name it in SearchRequest::point_in_time: later writes and
  // refreshes are invisible to them; hits read their sources from the catalog as it is when they
  // are fetched (a document deleted since is left out). Xapian keeps a commit readable only until
  // the index has committed twice more: past that, searches on the point in time fail with
  // NotFound (Elasticsearch's search_context_missing_exception) rather than show a newer state.
  // Holding one costs two open database handles.
  Result<std::shared_ptr<PointInTime>> OpenPointInTime() const;

  // Names the state searches of this index see. It changes (after the change is visible) whenever
  // a search could answer differently: a refresh that committed something, an acknowledged write
  // (hits read their source, version and liveness from the catalog in real time), a mapping
  // change, a reindex swap. Values are unique within the process, across indices and across an
  // index deleted and recreated under the same name, and grow for one index: two equal values mean
  // the same state, so a front can key cached answers by it (read it before searching). Never
  // fails; thread-safe and lock-free.
  uint64_t SearchGeneration() const;

  Result<IndexStats> Stats() const;

  // The current mappings as Elasticsearch shows them: {"properties":{...}}.
  std::string MappingsJson() const;

  // The analyzer that analyses query text for `field` (its search_analyzer, else its analyzer, the
  // index default when it declares none; "keyword" for keyword fields). NotFound when the field is
  // not mapped; InvalidArgument when it is neither text nor keyword.
  Result<std::string> SearchAnalyzerOf(std::string_view field) const;

  // Stops background work, commits what is pending and closes both stores. Later calls fail with
  // Unavailable. Called by Engine::DeleteIndex and on destruction; idempotent.
  void Close();

  // Rebuilds the text index from the catalog beside the live one and swaps it in atomically;
  // searches keep using the old one until the swap. `progress` (may be empty) gets documents done.
  // Busy when a reindex of this index is already running.
  Status Reindex(const std::function<void(uint64_t done, uint64_t total)>& progress = {});

  // Compacts both stores, as Elasticsearch's force merge does for segments: the text index is
  // copied with its tables rewritten full (about half the size after a bulk load) and swapped in
  // like a reindex, and the catalog's memtables and logs are flushed into compressed tables and
  // compacted. Commits pending writes first. Searches and writes go on meanwhile; refreshes make
  // nothing new visible until the swap. Busy while a reindex or another force merge runs.
  Status ForceMerge();

  // Adds the fields of `mappings_json` (Elasticsearch mappings: {"properties":{...}}, and
  // optionally dynamic, date_detection, dynamic_templates) to the mapping, durably, as
  // PUT /INDEX/_mapping does. Documents already stored are not re-analysed: a new field becomes
  // searchable in them when they are written again (an update_by_query, or a reindex into a new
  // index). Fields given again must keep their type and analyzers. InvalidArgument (Elasticsearch's
  // reason) for malformed JSON or a conflicting change, in which case nothing changes.
  Status PutMapping(std::string_view mappings_json);

  // Updates dynamic index settings, durably, as PUT /INDEX/_settings does: `settings_json` is
  // {"index":{"refresh_interval":"-1"}} or the flat form {"index.refresh_interval":"1s"}; a null
  // value restores the default. index.refresh_interval takes effect at once ("-1" stops periodic
  // refreshes; Refresh() still works) unless the engine runs without background refresh.
  // index.number_of_replicas is accepted and kept. InvalidArgument (Elasticsearch's reason) for
  // unknown settings, static ones (analysis, number_of_shards) or bad values; nothing changes then.
  Status UpdateSettings(std::string_view settings_json);

  // The index's settings as created and updated, nested under "index" for updated ones; "{}" when
  // none were given. Thread-safe.
  std::string SettingsJson() const;

 private:
  friend class Engine;  // backups checkpoint the catalog through impl_
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
  // Closes and removes an index and its files, and its aliases. NotFound if absent.
  Status DeleteIndex(std::string_view name);
  std::vector<std::string> ListIndices() const;

  // Applies the actions as one change (see AliasAction): durable in DATA/aliases.json before it
  // returns, all or nothing, and seen whole by concurrent readers. Errors: NotFound (an index or
  // alias that is not there), InvalidArgument (a bad alias name, one that names an index, two
  // write indices). An alias may not share a name with an index; CreateIndex refuses an alias's.
  Status UpdateAliases(const std::vector<AliasAction>& actions);
  // Every (alias, index) pair, by alias then index.
  std::vector<AliasEntry> ListAliases() const;
  // The indices `name` stands for, sorted; empty when it is not an alias.
  std::vector<std::string> IndicesOfAlias(std::string_view name) const;
  // Where writes to `name` go: `name` itself when it is not an alias, else the alias's write index;
  // InvalidArgument (Elasticsearch's reason) when the alias has none.
  Result<std::string> WriteIndexOf(std::string_view name) const;

  // Backs up the indices options.indices names (every index when unset) into `dest_dir`, which
  // must not exist or be empty: per index a checkpoint of its catalog (hard links to the live
  // files when on the same filesystem, copies otherwise) consistent at one sequence number, then
  // the manifest, written last and fsynced. Writes go on meanwhile; those after an index's
  // checkpoint are not in the backup. Returns the manifest. Errors: NotFound (an index), Conflict
  // (dest_dir is not empty), IOError. On failure dest_dir has no manifest and is not a backup.
  Result<BackupManifest> Backup(std::string_view dest_dir, const BackupOptions& options);

  // Restores indices of the backup in `src_dir`. First, before anything changes: reads the
  // manifest (NotFound when absent), checks every selected file's size and SHA-256 (Corruption),
  // resolves names (NotFound, InvalidArgument for a bad restored name) and refuses targets that
  // exist (Conflict, unless options.replace_existing; an alias's name always). Then copies each
  // catalog into a new directory beside the live indices, checking the checksums again, rebuilds
  // its text index there, and only then switches it in under its name. Searchable on return.
  Result<RestoreResult> Restore(std::string_view src_dir, const RestoreOptions& options);

  // Synonyms sets, Elasticsearch's /_synonyms API: named Solr-format rule lists that index
  // analyzers use through a synonym filter's `synonyms_set`. Every change is durable in
  // DATA/synonyms.json before it returns, and the next search of every index using the set sees
  // it (no reindex: synonyms apply at query time). Thread-safe.
  // PutSynonymSet replaces or creates (true) a set; rules without an id get one. InvalidArgument
  // for a rule that does not parse or a repeated id; IOError (nothing changed) when not saved.
  Result<bool> PutSynonymSet(std::string_view id, std::vector<SynonymRule> rules);
  Result<std::vector<SynonymRule>> GetSynonymSet(std::string_view id) const;  // NotFound
  std::vector<SynonymSetSummary> ListSynonymSets() const;                     // by id
  Status DeleteSynonymSet(std::string_view id);                              // NotFound, IOError
  // Adds (true) or replaces one rule. NotFound when the set does not exist; InvalidArgument.
  Result<bool> PutSynonymRule(std::string_view set_id, SynonymRule rule);
  Result<SynonymRule> GetSynonymRule(std::string_view set_id, std::string_view rule_id) const;  // NotFound
  Status DeleteSynonymRule(std::string_view set_id, std::string_view rule_id);                  // NotFound

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
