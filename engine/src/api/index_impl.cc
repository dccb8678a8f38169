// Opening, recovery, refresh and stats of an index. The write path is in index_write.cc, search
// in index_search.cc, reindex in index_reindex.cc.
#include "api/index_impl.h"

#include <filesystem>
#include <fstream>

#include "common/coding.h"
#include "common/file_util.h"
#include "index/document_builder.h"

namespace fs = std::filesystem;

namespace ultrasearch {

namespace {

constexpr const char* kFirstTextDir = "text.1";

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
  impl->readers_ = std::make_unique<ReaderPool>(TextIndex::ShardPaths(impl->TextDirPath(impl->text_dir_name_)));
  if (params.refresh_interval.count() > 0) {
    impl->refresh_thread_ = std::thread([raw = impl.get()] { raw->RefreshLoop(); });
  }
  return impl;
}

Index::Impl::~Impl() { Close(); }

Status Index::Impl::LoadState() {
  auto stored_mapping = catalog_->GetMeta(kMetaMapping);
  if (!stored_mapping.ok()) return stored_mapping.status();
  Mapping mapping;
  if (stored_mapping->has_value()) {
    auto parsed = Mapping::Deserialize(**stored_mapping);
    if (!parsed.ok()) return parsed.status();
    mapping = std::move(parsed.value());
  } else {
    // A new index: its mappings come from the creation request, or the defaults.
    const IndexSettings* settings = params_.create_settings;
    if (settings != nullptr && !settings->mappings_json.empty()) {
      auto parsed = Mapping::FromElasticsearchJson(settings->mappings_json, *params_.analyzers);
      if (!parsed.ok()) return parsed.status();
      mapping = std::move(parsed.value());
    } else if (params_.name == "products") {
      mapping = Mapping::ProductsDefault();
    }
    auto batch = catalog_->NewBatch();
    batch.PutMeta(kMetaMapping, mapping.Serialize());
    batch.PutMeta(kMetaSettings, settings != nullptr ? settings->settings_json : std::string());
    Status s = catalog_->Commit(&batch);
    if (!s.ok()) return s;
  }
  mapping_ = std::make_shared<const Mapping>(std::move(mapping));

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

Status Index::Impl::OpenTextIndex() {
  // TEXT_CURRENT names the live Xapian directory; reindex swaps it by rewriting this file.
  text_dir_name_ = kFirstTextDir;
  std::ifstream current(params_.dir + "/" + kTextCurrentFile);
  std::string name;
  if (current && std::getline(current, name) && !name.empty()) text_dir_name_ = name;
  // Directories of an unfinished or superseded reindex are garbage.
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(params_.dir, ec)) {
    std::string entry_name = entry.path().filename().string();
    if (entry_name.rfind("text.", 0) == 0 && entry_name != text_dir_name_) fs::remove_all(entry.path(), ec);
  }
  auto text = TextIndex::Open(TextDirPath(text_dir_name_), params_.text_shards);
  if (!text.ok()) return text.status();
  text_ = std::move(text.value());
  return Status::OK();
}

Status Index::Impl::Recover() {
  std::lock_guard<std::mutex> lock(write_mu_);
  auto committed = text_->CommittedSequence();
  if (!committed.ok()) return committed.status();
  auto highest = text_->HighestCommittedSequence();
  if (!highest.ok()) return highest.status();
  if (*highest > last_seq_) {
    // The text index has writes the catalog lacks (say, a catalog restored from an older backup).
    // The catalog is the source of truth and the text index is derived: rebuild it.
    return RebuildTextIndex();
  }
  committed_seq_ = applied_seq_ = *committed;
  if (*committed == last_seq_) return Status::OK();
  // The log must continue right after the text index's sequence; if it does not (the text
  // directory was lost or replaced by an older one), replaying cannot catch up: rebuild.
  uint64_t first_logged = 0;
  Status scan = catalog_->ForEachLogEntry(*committed, [&](const LogEntry& entry) {
    first_logged = entry.seq;
    return false;
  });
  if (!scan.ok()) return scan;
  if (first_logged != *committed + 1) return RebuildTextIndex();
  Status s = ReplayLog(text_.get(), *committed);
  if (!s.ok()) return s;
  return CommitText();
}

Result<Xapian::Document> Index::Impl::BuildFromSource(std::string_view id, std::string_view source,
                                                      const Mapping& mapping) const {
  auto parsed = ParseDocument(source, mapping, id);
  if (parsed.ok() && !parsed->new_fields.empty()) {
    // Stored after `mapping` was taken (a reindex snapshot races dynamic mapping): the fields are
    // in the current mapping, which every stored document fits.
    auto latest = this->mapping();
    parsed = ParseDocument(source, *latest, id);
    if (parsed.ok()) return BuildXapianDocument(id, parsed.value(), *latest, *params_.analyzers);
  }
  if (!parsed.ok()) return Status::Corruption("stored document [" + std::string(id) + "] no longer parses: " +
                                              parsed.status().message());
  return BuildXapianDocument(id, parsed.value(), mapping, *params_.analyzers);
}

std::string Index::Impl::NextTextDirName() const {
  return "text." + std::to_string(std::atoi(text_dir_name_.c_str() + 5) + 1);  // "text.N"
}

Status Index::Impl::RebuildTextIndex() {
  const std::string new_name = NextTextDirName();
  const std::string new_path = TextDirPath(new_name);
  std::error_code ec;
  std::filesystem::remove_all(new_path, ec);
  auto fresh = TextIndex::Open(new_path, params_.text_shards);
  if (!fresh.ok()) return fresh.status();
  auto current = mapping();
  uint64_t snapshot_seq = 0;
  Status failure;
  Status s = catalog_->ForEachDoc(
      [&](std::string_view id, const StoredDoc& doc) {
        auto xdoc = BuildFromSource(id, doc.source, *current);
        failure = xdoc.ok() ? fresh.value()->Replace(doc.docid, xdoc.value()) : xdoc.status();
        return failure.ok();
      },
      &snapshot_seq);
  if (s.ok()) s = failure;
  if (s.ok()) s = fresh.value()->Commit(last_seq_);
  if (s.ok()) s = WriteFileAtomically(params_.dir, kTextCurrentFile, new_name + "\n");
  if (!s.ok()) {
    fresh.value()->Close();
    std::filesystem::remove_all(new_path, ec);
    return s;
  }
  const std::string old_path = TextDirPath(text_dir_name_);
  text_->Close();
  std::filesystem::remove_all(old_path, ec);  // no readers exist yet
  text_ = std::move(fresh.value());
  text_dir_name_ = new_name;
  applied_seq_ = committed_seq_ = last_seq_;
  pending_text_changes_ = 0;
  catalog_->TrimLog(committed_seq_).PermitUncheckedError();
  return Status::OK();
}

Status Index::Impl::ReplayLog(TextIndex* text, uint64_t after) {
  auto current_mapping = mapping();
  Status failure;
  Status s = catalog_->ForEachLogEntry(after, [&](const LogEntry& entry) {
    if (entry.is_delete) {
      failure = text->Delete(entry.docid);
    } else {
      // Apply the document's current state; if it changed again later, a later entry covers it.
      auto stored = catalog_->GetDoc(entry.id);
      if (!stored.ok()) {
        failure = stored.status();
      } else if (stored->has_value() && (*stored)->docid == entry.docid) {
        auto xdoc = BuildFromSource(entry.id, (*stored)->source, *current_mapping);
        failure = xdoc.ok() ? text->Replace(entry.docid, xdoc.value()) : xdoc.status();
      }
    }
    if (failure.ok() && text == text_.get()) applied_seq_ = entry.seq;
    return failure.ok();
  });
  if (!failure.ok()) return failure;
  if (!s.ok()) return s;
  if (text == text_.get()) applied_seq_ = last_seq_;
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
  if (applied_seq_ == committed_seq_) return Status::OK();
  Status s = text_->Commit(applied_seq_);
  if (!s.ok()) return s;
  committed_seq_ = applied_seq_;
  pending_text_changes_ = 0;
  uint64_t trim_to = log_trim_floor_ ? std::min(*log_trim_floor_, committed_seq_) : committed_seq_;
  catalog_->TrimLog(trim_to).PermitUncheckedError();  // a leftover entry only costs a replay
  if (columns_->HasStaged()) columns_->Publish();  // with the readers: searches see both at once
  if (readers_) readers_->Publish();
  return Status::OK();
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

void Index::Impl::RefreshLoop() {
  std::unique_lock<std::mutex> lock(refresh_mu_);
  while (!stopping_) {
    refresh_cv_.wait_for(lock, params_.refresh_interval);
    if (stopping_) break;
    lock.unlock();
    Refresh().PermitUncheckedError();  // retried on the next tick; writes stay durable meanwhile
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
  text_.reset();
  catalog_.reset();
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

std::string Index::Impl::MappingsJson() const { return mapping()->ToElasticsearchJson(); }

// --- the public handle forwards to Impl -----------------------------------------------------------

Index::Index(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Index::~Index() = default;
const std::string& Index::name() const { return impl_->name(); }

Result<WriteResult> Index::Put(std::string_view id, std::string_view json, PutMode mode) {
  WriteOp op{mode == PutMode::kCreate ? WriteOp::Type::kCreate : WriteOp::Type::kIndex, std::string(id),
             std::string(json)};
  if (id.empty()) return Status::InvalidArgument("a document id must not be empty");
  auto results = impl_->Write({op});
  if (!results.ok()) return results.status();
  auto& r = results->front();
  if (!r.status.ok()) return r.status;
  return r.result;
}

Result<WriteResult> Index::Update(std::string_view id, std::string_view partial_json) {
  auto results = impl_->Write({WriteOp{WriteOp::Type::kUpdate, std::string(id), std::string(partial_json)}});
  if (!results.ok()) return results.status();
  auto& r = results->front();
  if (!r.status.ok()) return r.status;
  return r.result;
}

Result<WriteResult> Index::Delete(std::string_view id) {
  auto results = impl_->Write({WriteOp{WriteOp::Type::kDelete, std::string(id), {}}});
  if (!results.ok()) return results.status();
  auto& r = results->front();
  if (!r.status.ok()) return r.status;
  return r.result;
}

Result<Index::Document> Index::Get(std::string_view id) const { return impl_->Get(id); }
Result<std::vector<WriteOpResult>> Index::Write(const std::vector<WriteOp>& ops) { return impl_->Write(ops); }
Status Index::Refresh() { return impl_->Refresh(); }
Result<SearchResult> Index::Search(const SearchRequest& request) const { return impl_->Search(request); }
Result<uint64_t> Index::Count(const Query& query) const { return impl_->Count(query); }
Result<IndexStats> Index::Stats() const { return impl_->Stats(); }
std::string Index::MappingsJson() const { return impl_->MappingsJson(); }
void Index::Close() { impl_->Close(); }
Status Index::Reindex(const std::function<void(uint64_t, uint64_t)>& progress) { return impl_->Reindex(progress); }

}  // namespace ultrasearch
