// Opening, refresh and stats of an index. Recovery and the build-and-swap routine are in
// index_recovery.cc, the write path in index_write.cc, search in index_search.cc, reindex in
// index_reindex.cc.
#include "api/index_impl.h"

#include "mapping/index_analysis.h"

#include <filesystem>
#include <shared_mutex>
#include <fstream>

#include "common/api_guard.h"
#include "common/coding.h"
#include "common/file_util.h"
#include "index/document_builder.h"
#include "mapping/index_settings.h"
#include "mapping/mapping_codec.h"
#include "mapping/mapping_json.h"

namespace fs = std::filesystem;

namespace ultrasearch {

namespace {

uint64_t DecodeFixed(const std::optional<std::string>& value, uint64_t fallback) {
  if (!value) return fallback;
  std::string_view v = *value;
  if (v.size() == 8) return coding::GetFixedBE<uint64_t>(&v).value_or(fallback);
  if (v.size() == 4) return coding::GetFixedBE<uint32_t>(&v).value_or(fallback);
  return fallback;
}

uint64_t DirectorySize(const fs::path& dir) {
  uint64_t total = 0;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    std::error_code size_ec;
    if (it->is_regular_file(size_ec)) total += it->file_size(size_ec);
  }
  return total;
}

// One operation through the batch path; its own error becomes the call's error.
Result<WriteResult> SingleWrite(Index::Impl& impl, WriteOp op) {
  auto results = impl.Write({std::move(op)});
  if (!results.ok()) return results.status();
  auto& r = results->front();
  if (!r.status.ok()) return r.status;
  return r.result;
}

}  // namespace

std::string Index::Impl::TextDirPath(const std::string& dir_name) const { return params_.dir + "/" + dir_name; }

Result<std::unique_ptr<Index::Impl>> Index::Impl::Open(const OpenParams& params) {
  std::unique_ptr<Impl> impl(new Impl(params));
  std::error_code ec;
  fs::create_directories(params.dir, ec);
  if (ec) return Status::IOError("cannot create " + params.dir + ": " + ec.message());
  auto catalog = CatalogStore::Open(params.dir + "/catalog", params.sync_writes);
  if (!catalog.ok()) return catalog.status();
  impl->catalog_ = std::move(catalog.value());
  Status s = impl->LoadState();
  if (s.ok()) s = impl->LoadColumns();
  if (s.ok()) s = impl->OpenTextIndex();
  if (s.ok()) s = impl->Recover();
  if (!s.ok()) return s;
  impl->BumpSearchGeneration();  // a state no earlier index of this name had
  impl->readers_ = std::make_unique<ReaderPool>(TextIndex::ShardPaths(impl->TextDirPath(impl->text_dir_name_)));
  // Without the engine's background refresh (the CLI) no index refreshes on its own, whatever its
  // settings say; with it, the thread runs for the index's life and follows its refresh_interval.
  if (params.refresh_interval.count() > 0) {
    impl->refresh_thread_ = std::thread([raw = impl.get()] { raw->RefreshLoop(); });
  }
  return impl;
}

Index::Impl::~Impl() { Close(); }

Status Index::Impl::LoadState() {
  auto stored_mapping = catalog_->GetMeta(kMetaMapping);
  if (!stored_mapping.ok()) return stored_mapping.status();
  // The index's own analyzers come first: its mapping may name them.
  {
    std::string settings_json;
    if (stored_mapping->has_value()) {
      auto stored_settings = catalog_->GetMeta(kMetaSettings);
      if (!stored_settings.ok()) return stored_settings.status();
      settings_json = stored_settings->value_or("");
    } else if (params_.create_settings != nullptr) {
      settings_json = params_.create_settings->settings_json;
    }
    auto analyzers = BuildIndexAnalyzers(params_.analyzers, settings_json, params_.synonym_sets);
    if (!analyzers.ok()) return analyzers.status();
    params_.analyzers = std::move(analyzers.value());
  }
  Mapping mapping;
  if (stored_mapping->has_value()) {
    auto decoded = DecodeMapping(**stored_mapping);
    if (!decoded.ok()) return decoded.status();
    mapping = std::move(decoded.value());
  } else {
    // A new index: its mappings and settings come from the creation request over the matching
    // index template (merged by the Engine), else an empty dynamic mapping.
    IndexSettings none;
    const IndexSettings& settings = params_.create_settings != nullptr ? *params_.create_settings : none;
    auto default_analyzer = DefaultAnalyzerFromSettings(settings.settings_json, *params_.analyzers);
    if (!default_analyzer.ok()) return default_analyzer.status();
    auto parsed = ParseMappingJson(settings.mappings_json, *params_.analyzers, default_analyzer.value());
    if (!parsed.ok()) return parsed.status();
    mapping = std::move(parsed.value());
    auto batch = catalog_->NewBatch();
    batch.PutMeta(kMetaMapping, EncodeMapping(mapping));
    batch.PutMeta(kMetaSettings, settings.settings_json);
    Status s = catalog_->Commit(&batch);
    if (!s.ok()) return s;
  }
  mapping_ = std::make_shared<const Mapping>(std::move(mapping));
  auto stored_settings = catalog_->GetMeta(kMetaSettings);
  if (!stored_settings.ok()) return stored_settings.status();
  settings_json_ = stored_settings->value_or("");
  {
    std::lock_guard<std::mutex> lock(mapping_mu_);
    ApplyRefreshInterval();
  }

  for (auto [key, target, fallback] : {std::tuple{kMetaLastSeq, &last_seq_, uint64_t{0}},
                                       std::tuple{kMetaDocCount, &doc_count_, uint64_t{0}}}) {
    auto value = catalog_->GetMeta(key);
    if (!value.ok()) return value.status();
    *target = DecodeFixed(*value, fallback);
  }
  auto next = catalog_->GetMeta(kMetaNextDocid);
  if (!next.ok()) return next.status();
  next_docid_ = static_cast<uint32_t>(DecodeFixed(*next, 1));
  return Status::OK();
}

Status Index::Impl::CommitText() {
  if (text_needs_replay_) {
    // An apply failed earlier: rebuild Xapian's view from the durable log before committing.
    text_->Close();
    auto reopened = TextIndex::Open(TextDirPath(text_dir_name_), params_.text_shards);
    if (!reopened.ok()) return reopened.status();
    text_ = std::move(reopened.value());
    auto committed = text_->CommittedSequence();
    if (!committed.ok()) return committed.status();
    Status s = ReplayLog(text_.get(), *committed);
    if (!s.ok()) return s;
    text_needs_replay_ = false;
  }
  RemoveRetiredTextDirs();  // refreshes come often: the first after the last old search ends
  if (applied_seq_ == committed_seq_) return Status::OK();
  // A force merge is copying the committed state: a commit now would make it start over. The
  // changes stay applied (and durable in the catalog); the swap after the copy commits them.
  if (text_commits_paused_) return Status::OK();
  std::unique_lock<std::shared_mutex> no_reader_opens;  // until the commit is published
  if (readers_) no_reader_opens = readers_->HoldOpens();
  Status s = text_->Commit(applied_seq_);
  if (!s.ok()) {
    // A failed commit (a full disk, say) leaves the writer's state uncertain: reopen and replay
    // from the durable log on the next refresh. Some shards may have committed: handles opened
    // from now on are labelled apart from those opened before.
    text_needs_replay_ = true;
    if (readers_) readers_->Publish();
    BumpSearchGeneration();
    return s;
  }
  committed_seq_ = applied_seq_;
  pending_text_changes_ = 0;
  uint64_t trim_to = log_trim_floor_ ? std::min(*log_trim_floor_, committed_seq_) : committed_seq_;
  catalog_->TrimLog(trim_to).PermitUncheckedError();  // a leftover entry only costs a replay
  if (columns_->HasStaged()) columns_->Publish();  // with the readers: searches see both at once
  if (readers_) readers_->Publish();
  BumpSearchGeneration();
  return Status::OK();
}

namespace {
// Process-wide, so that no two states of any index (nor of an index recreated under an old name)
// ever share a generation.
std::atomic<uint64_t> next_search_generation{1};
}  // namespace

void Index::Impl::BumpSearchGeneration() {
  search_generation_.store(next_search_generation.fetch_add(1, std::memory_order_relaxed),
                           std::memory_order_release);
}

Status Index::Impl::UnavailableIfClosed() const {
  return closed_ ? Status::Unavailable("index [" + params_.name + "] is closed") : Status::OK();
}

Status Index::Impl::Refresh() {
  std::shared_lock<std::shared_mutex> life(lifecycle_mu_);
  if (Status s = UnavailableIfClosed(); !s.ok()) return s;
  std::lock_guard<std::mutex> lock(write_mu_);
  return CommitText();
}

// A tick of RefreshLoop. The interval is read again under the write lock: a tick already under
// way when `refresh_interval` became -1 must not make visible a write acknowledged after that
// setting (bulk loaders set it, write, and expect nothing searchable until they refresh).
Status Index::Impl::PeriodicRefresh() {
  std::shared_lock<std::shared_mutex> life(lifecycle_mu_);
  if (Status s = UnavailableIfClosed(); !s.ok()) return s;
  std::lock_guard<std::mutex> lock(write_mu_);
  if (refresh_interval_ms_.load(std::memory_order_acquire) <= 0) return Status::OK();
  return CommitText();
}

void Index::Impl::RefreshLoop() {
  std::unique_lock<std::mutex> lock(refresh_mu_);
  while (!stopping_) {
    const int64_t interval_ms = refresh_interval_ms_.load(std::memory_order_acquire);
    if (interval_ms > 0) {
      // Woken early by a settings change: the next round waits the new interval.
      if (refresh_cv_.wait_for(lock, std::chrono::milliseconds(interval_ms)) == std::cv_status::no_timeout) continue;
    } else {
      refresh_cv_.wait(lock);  // index.refresh_interval -1: only explicit refreshes
      continue;
    }
    if (stopping_) break;
    lock.unlock();
    PeriodicRefresh().PermitUncheckedError();  // retried on the next tick; writes stay durable meanwhile
    lock.lock();
  }
}

void Index::Impl::Close() {
  {
    std::lock_guard<std::mutex> lock(refresh_mu_);
    stopping_ = true;
  }
  refresh_cv_.notify_all();
  if (refresh_thread_.joinable()) refresh_thread_.join();  // before the exclusive lock: it refreshes
  std::unique_lock<std::shared_mutex> life(lifecycle_mu_);
  std::lock_guard<std::mutex> lock(write_mu_);
  if (closed_) return;
  if (text_) {
    CommitText().PermitUncheckedError();  // on failure the log replays at the next open
    text_->Close();
  }
  closed_ = true;
  // Release the files now: an index created later under the same name reopens these paths, and
  // RocksDB refuses a LOCK its own process still holds.
  readers_.reset();
  RemoveRetiredTextDirs();  // no search runs any more
  text_.reset();
  catalog_.reset();
}

Status Index::Impl::CheckpointCatalog(const std::string& dest) const {
  std::shared_lock<std::shared_mutex> life(lifecycle_mu_);
  if (Status s = UnavailableIfClosed(); !s.ok()) return s;
  return catalog_->CreateCheckpoint(dest);
}

std::shared_ptr<const Mapping> Index::Impl::mapping() const {
  std::lock_guard<std::mutex> lock(mapping_mu_);
  return mapping_;
}

Result<Index::Document> Index::Impl::Get(std::string_view id) const {
  std::shared_lock<std::shared_mutex> life(lifecycle_mu_);
  if (Status s = UnavailableIfClosed(); !s.ok()) return s;
  auto stored = catalog_->GetDoc(id);
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) return Status::NotFound("document [" + std::string(id) + "] not found");
  Document doc;
  doc.id = std::string(id);
  doc.source_json = std::move((*stored)->source);
  doc.version = (*stored)->version;
  doc.seq_no = (*stored)->seq_no;
  return doc;
}

Result<IndexStats> Index::Impl::Stats() const {
  std::shared_lock<std::shared_mutex> life(lifecycle_mu_);
  if (Status s = UnavailableIfClosed(); !s.ok()) return s;
  IndexStats stats;
  {
    std::lock_guard<std::mutex> lock(write_mu_);
    stats.documents = doc_count_;
    stats.last_sequence = last_seq_;
    stats.last_indexed_sequence = committed_seq_;
  }
  auto lease = readers_->Acquire();
  if (!lease.ok()) return lease.status();
  try {
    stats.indexed_documents = lease->db().get_doccount();
  } catch (const Xapian::Error& e) {
    return Status::IOError("reading the text index: " + e.get_msg());
  }
  stats.size_on_disk_bytes = DirectorySize(params_.dir);
  stats.value_columns_bytes = columns_->Current()->MemoryBytes();
  return stats;
}

std::string Index::Impl::MappingsJson() const { return MappingToJson(*mapping()); }

Result<std::string> Index::Impl::SearchAnalyzerOf(std::string_view name) const {
  auto current = mapping();
  const FieldMapping* field = current->Find(name);
  if (field == nullptr) return Status::NotFound("field [" + std::string(name) + "] is not mapped");
  if (field->type == FieldType::kText) return field->EffectiveSearchAnalyzer();
  if (field->type == FieldType::kKeyword) return std::string("keyword");
  return Status::InvalidArgument("field [" + std::string(name) + "] of type [" +
                                 std::string(FieldTypeName(field->type)) + "] is not analysed");
}

// --- the public handle forwards to Impl -----------------------------------------------------------

Index::Index(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Index::~Index() = default;
const std::string& Index::name() const { return impl_->name(); }

Result<WriteResult> Index::Put(std::string_view id, std::string_view json, PutMode mode) {
  if (id.empty()) return Status::InvalidArgument("a document id must not be empty");
  WriteOp op{mode == PutMode::kCreate ? WriteOp::Type::kCreate : WriteOp::Type::kIndex, std::string(id),
             std::string(json)};
  return GuardApi("indexing a document", [&] { return SingleWrite(*impl_, std::move(op)); });
}

Result<WriteResult> Index::Update(std::string_view id, std::string_view partial_json) {
  return GuardApi("updating a document", [&] {
    return SingleWrite(*impl_, WriteOp{WriteOp::Type::kUpdate, std::string(id), std::string(partial_json)});
  });
}

Result<WriteResult> Index::Delete(std::string_view id) {
  return GuardApi("deleting a document",
                  [&] { return SingleWrite(*impl_, WriteOp{WriteOp::Type::kDelete, std::string(id), {}}); });
}

Result<Index::Document> Index::Get(std::string_view id) const {
  return GuardApi("reading a document", [&] { return impl_->Get(id); });
}
Result<std::vector<WriteOpResult>> Index::Write(const std::vector<WriteOp>& ops) {
  return GuardApi("writing documents", [&] { return impl_->Write(ops); });
}
Status Index::Refresh() {
  return GuardApi("refreshing", [&] { return impl_->Refresh(); });
}
Result<SearchResult> Index::Search(const SearchRequest& request) const {
  return GuardApi("searching", [&] { return impl_->Search(request); });
}
Result<uint64_t> Index::Count(const Query& query) const {
  return GuardApi("counting", [&] { return impl_->Count(query); });
}
Result<std::shared_ptr<PointInTime>> Index::OpenPointInTime() const {
  return GuardApi("opening a point in time", [&] { return impl_->OpenPointInTime(); });
}
Result<SuggestResult> Index::Suggest(const SuggestRequest& request) const {
  return GuardApi("suggesting", [&] { return impl_->Suggest(request); });
}
uint64_t Index::SearchGeneration() const { return impl_->SearchGeneration(); }
Result<IndexStats> Index::Stats() const {
  return GuardApi("reading index stats", [&] { return impl_->Stats(); });
}
std::string Index::MappingsJson() const { return impl_->MappingsJson(); }
Result<std::string> Index::SearchAnalyzerOf(std::string_view field) const { return impl_->SearchAnalyzerOf(field); }
void Index::Close() { impl_->Close(); }
Status Index::Reindex(const std::function<void(uint64_t, uint64_t)>& progress) {
  return GuardApi("reindexing", [&] { return impl_->Reindex(progress); });
}

Status Index::ForceMerge() {
  return GuardApi("force-merging", [&] { return impl_->ForceMerge(); });
}
Status Index::PutMapping(std::string_view mappings_json) {
  return GuardApi("updating the mapping", [&] { return impl_->PutMapping(mappings_json); });
}
Status Index::UpdateSettings(std::string_view settings_json) {
  return GuardApi("updating the settings", [&] { return impl_->UpdateSettings(settings_json); });
}
std::string Index::SettingsJson() const { return impl_->SettingsJson(); }

}  // namespace ultrasearch
