// Index::Impl: one index's two stores and the protocol that keeps them consistent.
//
// Writers serialise on write_mu_: parse and analyse outside it, then under it resolve the batch's
// operations in order (upserts, conditions, versions), assign sequence numbers and docids, commit
// one RocksDB batch durably, and apply the documents to the Xapian writer (uncommitted). Refresh commits Xapian with the last applied sequence and lets readers
// reopen. Open replays the change log past Xapian's sequence (see engine.h).
#pragma once

#include <xapian.h>

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "api/delete_tombstones.h"
#include "synonyms/synonym_sets.h"
#include "facets/column_store.h"
#include "index/text_index.h"
#include "mapping/document_parser.h"
#include "mapping/mapping.h"
#include "mapping/mapping_codec.h"
#include "search/reader_pool.h"
#include "store/catalog_store.h"
#include "ultrasearch/engine.h"

namespace ultrasearch {

// Names the live text directory of an index (reindex and rebuilds switch it atomically).
inline constexpr const char* kTextCurrentFile = "TEXT_CURRENT";

class Index::Impl {
 public:
  struct OpenParams {
    std::string name;
    std::string dir;  // DATA/indices/NAME
    // The engine's analyzers; at open, replaced by the index's own (its settings' custom
    // analyzers and bilingual vocabulary over the engine's).
    std::shared_ptr<const AnalyzerRegistry> analyzers;
    std::shared_ptr<SynonymSets> synonym_sets;  // for analyzers using a synonyms_set
    std::chrono::milliseconds refresh_interval{1000};
    bool sync_writes = true;
    int text_shards = 1;  // for a new text index
    bool maintenance_at_low_priority = false;  // EngineOptions::maintenance_at_low_priority
    const IndexSettings* create_settings = nullptr;  // set when creating: the initial mappings
  };
  static Result<std::unique_ptr<Impl>> Open(const OpenParams& params);
  ~Impl();

  const std::string& name() const { return params_.name; }

  Result<std::vector<WriteOpResult>> Write(const std::vector<WriteOp>& ops);
  Result<Document> Get(std::string_view id) const;
  Status Refresh();
  Result<SearchResult> Search(const SearchRequest& request) const;
  // Search without the suggesters.
  Result<SearchResult> SearchHits(const SearchRequest& request) const;
  Result<uint64_t> Count(const Query& query) const;
  Result<std::shared_ptr<PointInTime>> OpenPointInTime() const;
  Result<SuggestResult> Suggest(const SuggestRequest& request) const;
  Result<IndexStats> Stats() const;
  uint64_t SearchGeneration() const { return search_generation_.load(std::memory_order_acquire); }
  std::string MappingsJson() const;
  Result<std::string> SearchAnalyzerOf(std::string_view field) const;
  Status Reindex(const std::function<void(uint64_t, uint64_t)>& progress);
  Status ForceMerge();  // index_force_merge.cc
  // Mapping and settings updates (index_admin.cc).
  Status PutMapping(std::string_view mappings_json);
  Status UpdateSettings(std::string_view settings_json);
  std::string SettingsJson() const;

  // Stops the refresh thread, commits what is pending and closes both stores.
  void Close();

  // Writes a consistent checkpoint of the catalog into `dest` (Engine::Backup); writers go on.
  // Unavailable when closed.
  Status CheckpointCatalog(const std::string& dest) const;

 private:
  explicit Impl(OpenParams params) : params_(std::move(params)) {}

  // The write path's steps (index_write.cc) work on the members below under write_mu_.
  friend class BatchWriter;

  Status LoadState();
  // Recovery (index_recovery.cc).
  Result<std::string> ReadTextCurrent() const;  // the live text directory's name
  // Value columns (index_values.cc): loaded at open from the catalog's "values" records (written
  // first for indices that predate them), staged with each durable write, published on refresh.
  Status LoadColumns();
  struct ValueChange {
    uint32_t docid;
    std::optional<DocValues> values;  // nullopt: the document was deleted
  };
  // Adds the values of a stored (parsed != nullptr) or deleted document to `batch`.
  static void AddValuesToBatch(CatalogStore::Batch* batch, uint32_t docid, std::string_view id,
                               const ParsedDocument* parsed, const Mapping& mapping,
                               std::vector<ValueChange>* changes);
  Status OpenTextIndex();
  Status Recover();
  Status ReplayLog(TextIndex* text, uint64_t after);  // requires write_mu_
  Result<Xapian::Document> BuildFromSource(std::string_view id, std::string_view source, const Mapping& mapping) const;
  Status CommitText();  // requires write_mu_
  // Rebuilds the text index from the catalog into a new directory and switches to it; requires
  // write_mu_ and no readers yet (used at open). A crash part way leaves the old one live.
  Status RebuildTextIndex();
  // "text.N+1" for the live "text.N": where a rebuild or reindex writes. Requires write_mu_.
  std::string NextTextDirName() const;

  // Build-and-swap, shared by RebuildTextIndex and Reindex. A build indexes a snapshot of the
  // catalog into a new text directory without the writer lock; the swap (under write_mu_) replays
  // the writes made since the snapshot, commits, switches TEXT_CURRENT atomically and installs it.
  // On any failure the new directory is removed and the live index is untouched.
  struct TextBuild {
    std::string dir_name;
    std::unique_ptr<TextIndex> text;
    uint64_t snapshot_seq = 0;
  };
  Result<TextBuild> BuildTextFromCatalog(std::string dir_name, const std::function<void(uint64_t, uint64_t)>& progress,
                                         uint64_t total) const;
  Status SwapInTextBuild(TextBuild build, bool remove_old_now);  // requires write_mu_
  void DiscardTextBuild(TextBuild* build) const;
  // Removes the text directories a swap retired once no search reads them (requires write_mu_).
  void RemoveRetiredTextDirs();
  void RefreshLoop();
  Status PeriodicRefresh();
  // Moves SearchGeneration to a value never used before, after a change searches can see.
  // Requires write_mu_ (or no readers yet), so one index's values only grow.
  void BumpSearchGeneration();
  std::shared_ptr<const Mapping> mapping() const;
  std::string TextDirPath(const std::string& dir_name) const;

  OpenParams params_;
  std::unique_ptr<CatalogStore> catalog_;
  std::unique_ptr<ReaderPool> readers_;
  std::unique_ptr<facets::ColumnStore> columns_;  // guarded by write_mu_ except Current()

  mutable std::mutex mapping_mu_;
  std::shared_ptr<const Mapping> mapping_;  // guarded by mapping_mu_; replaced, never mutated
  std::string settings_json_;               // guarded by mapping_mu_; written also under write_mu_

  // Every public operation holds this shared; Close holds it exclusively, so it waits for calls in
  // flight and later calls see closed_ (then Unavailable) instead of freed stores.
  mutable std::shared_mutex lifecycle_mu_;
  Status UnavailableIfClosed() const;  // requires lifecycle_mu_ (shared)

  mutable std::mutex write_mu_;
  std::unique_ptr<TextIndex> text_;  // guarded by write_mu_
  std::string text_dir_name_;        // guarded by write_mu_
  std::vector<std::string> retired_text_dirs_;  // guarded by write_mu_: swapped out, maybe still read
  uint64_t last_seq_ = 0;            // guarded by write_mu_
  uint64_t applied_seq_ = 0;         // guarded by write_mu_: last seq applied to text_
  uint64_t committed_seq_ = 0;       // guarded by write_mu_: last seq committed in text_
  uint32_t next_docid_ = 1;          // guarded by write_mu_
  uint64_t doc_count_ = 0;           // guarded by write_mu_
  bool text_needs_replay_ = false;   // guarded by write_mu_: a Xapian apply failed
  size_t pending_text_changes_ = 0;  // guarded by write_mu_: applied but not committed
  // Commit the text index once this many documents changed since the last commit.
  static constexpr size_t kMaxPendingTextChanges = 2000;
  std::optional<uint64_t> log_trim_floor_;  // guarded by write_mu_: a reindex needs the log past this
  // Guarded by write_mu_: a force merge is copying the committed text index; CommitText waits.
  bool text_commits_paused_ = false;
  DeleteTombstones tombstones_;             // guarded by write_mu_

  std::atomic<uint64_t> search_generation_{0};  // see Index::SearchGeneration

  // The period of the background refresh (index.refresh_interval over the engine's default); zero
  // stops periodic refreshes. Changed by UpdateSettings, which wakes the refresh thread.
  std::atomic<int64_t> refresh_interval_ms_{0};
  void ApplyRefreshInterval();  // from settings_json_ and params_; requires mapping_mu_

  std::mutex refresh_mu_;
  std::condition_variable refresh_cv_;
  bool stopping_ = false;  // guarded by refresh_mu_
  std::thread refresh_thread_;
  bool closed_ = false;  // written under lifecycle_mu_ (exclusive) and write_mu_
};

}  // namespace ultrasearch
