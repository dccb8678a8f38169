#include "store/catalog_store.h"

#include <rocksdb/filter_policy.h>
#include <rocksdb/table.h>
#include <rocksdb/utilities/checkpoint.h>

#include <cstdarg>
#include <filesystem>
#include <cstdio>
#include <cstring>

#include "common/coding.h"

namespace ultrasearch {

namespace {

Status FromRocks(const rocksdb::Status& s, std::string_view what) {
  if (s.ok()) return Status::OK();
  std::string msg = std::string(what) + ": " + s.ToString();
  if (s.IsNotFound()) return Status::NotFound(msg);
  if (s.IsCorruption()) return Status::Corruption(msg);
  if (s.IsNoSpace() || s.ToString().find("No space left") != std::string::npos) return Status::NoSpace(msg);
  if (s.IsIOError()) {
    // RocksDB reports a held LOCK file as an IOError; it means another process has the index open.
    if (s.ToString().find("lock") != std::string::npos) return Status::Busy(msg);
    return Status::IOError(msg);
  }
  if (s.IsBusy() || s.IsTryAgain()) return Status::Busy(msg);
  if (s.IsInvalidArgument()) return Status::InvalidArgument(msg);
  return Status::Internal(msg);
}

rocksdb::Slice ToSlice(std::string_view v) { return rocksdb::Slice(v.data(), v.size()); }

// RocksDB's info log, kept off the data directory. On a full disk RocksDB 7.8's file logger (the
// LOG file beside the data) fails one write and then asserts (sync_without_flush_called_) on the
// next, which is RocksDB logging that very error: the process aborts. Warnings and errors go to
// standard error instead, beside the fronts' own logs; the rest is dropped.
class StderrLogger : public rocksdb::Logger {
 public:
  StderrLogger() : rocksdb::Logger(rocksdb::InfoLogLevel::WARN_LEVEL) {}
  using rocksdb::Logger::Logv;
  void Logv(const char* format, va_list ap) override {
    char line[1024];
    std::vsnprintf(line, sizeof line, format, ap);
    // A checkpoint in RocksDB 7.8 disables file deletions twice (Checkpoint and
    // GetLiveFilesStorageInfo each do) and warns about its own counter: noise on every backup.
    if (std::strstr(line, "File Deletions") != nullptr) return;
    std::fprintf(stderr, "rocksdb: %s\n", line);
  }
};

}  // namespace

std::string CatalogStore::EncodeDoc(const StoredDoc& doc) {
  std::string out;
  out.reserve(doc.source.size() + 16);
  coding::PutFixed32BE(&out, doc.docid);
  coding::PutVarint64(&out, doc.version);
  coding::PutVarint64(&out, doc.seq_no);
  out += doc.source;
  return out;
}

bool CatalogStore::DecodeDoc(std::string_view value, StoredDoc* doc) {
  auto docid = coding::GetFixedBE<uint32_t>(&value);
  auto version = coding::GetVarint64(&value);
  auto seq = coding::GetVarint64(&value);
  if (!docid || !version || !seq) return false;
  doc->docid = *docid;
  doc->version = *version;
  doc->seq_no = *seq;
  doc->source.assign(value.data(), value.size());
  return true;
}

Result<std::unique_ptr<CatalogStore>> CatalogStore::Open(const std::string& dir, bool sync_writes) {
  // RocksDB would create it too, but logs an error about the missing directory first.
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status::IOError("cannot create " + dir + ": " + ec.message());
  return OpenImpl(dir, sync_writes, /*read_only=*/false);
}

Result<std::unique_ptr<CatalogStore>> CatalogStore::OpenReadOnly(const std::string& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return Status::NotFound("no catalog in " + dir);
  return OpenImpl(dir, /*sync_writes=*/false, /*read_only=*/true);
}

Status CatalogStore::CreateCheckpoint(const std::string& dest) const {
  rocksdb::Checkpoint* raw = nullptr;
  Status s = FromRocks(rocksdb::Checkpoint::Create(db_.get(), &raw), "checkpointing catalog");
  if (!s.ok()) return s;
  std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);
  // log_size_for_flush 0: flush the memtables first, so the checkpoint is mostly table files
  // (hard links) and little log. With several column families RocksDB adds the live write-ahead
  // logs as well, so the checkpoint is one consistent point of every family.
  return FromRocks(checkpoint->CreateCheckpoint(dest, /*log_size_for_flush=*/0), "checkpointing catalog into " + dest);
}

Result<std::unique_ptr<CatalogStore>> CatalogStore::OpenImpl(const std::string& dir, bool sync_writes,
                                                             bool read_only) {
  rocksdb::Options options;
  options.create_if_missing = !read_only;
  options.create_missing_column_families = !read_only;
  options.IncreaseParallelism(2);
  options.compression = rocksdb::kZSTD;
  options.bottommost_compression = rocksdb::kZSTD;
  // Documents and value records are small and alike (the same keys, the same words): a zstd
  // dictionary trained per table file lets each 4 KiB block compress like a large one. Only
  // for the bottommost level, where the data settles (and where a force merge puts all of it):
  // training costs about a second of CPU per table file, which memtable flushes and the
  // intermediate compactions of a bulk load would pay again and again for files soon rewritten.
  options.bottommost_compression_opts.max_dict_bytes = 16 * 1024;
  options.bottommost_compression_opts.zstd_max_train_bytes = 100 * 16 * 1024;
  options.bottommost_compression_opts.enabled = true;
  options.max_open_files = 256;
  options.keep_log_file_num = 3;
  // No preallocation: RocksDB would reserve 1.1 write buffers (70 MB) for each new write-ahead
  // log up front. After a full disk, that reservation takes the first 70 MB of whatever space an
  // operator frees, and the text index's commit, waiting for the same room, fails on (seen in
  // DiskFullTest). Imports time the same without it (40k products: 0.99x wall, farm-bench).
  options.allow_fallocate = false;
  static const auto logger = std::make_shared<StderrLogger>();
  options.info_log = logger;

  rocksdb::BlockBasedTableOptions table;
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  rocksdb::ColumnFamilyOptions docs_options(options);
  docs_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  docs_options.OptimizeForPointLookup(64);
  // A search page reads ten documents from ten different blocks, mostly not in the block cache
  // yet: each costs a whole block's decompression, and zstd's (its dictionary's entropy tables
  // rebuilt per block by this RocksDB build) was half of the page read. LZ4 with the same
  // dictionary decompresses in a fraction of that for a catalog a fifth larger (100k products:
  // 28 MiB against 23); Elasticsearch's default codec makes the same choice for stored fields.
  docs_options.bottommost_compression = rocksdb::kLZ4Compression;
  rocksdb::ColumnFamilyOptions log_options(options);
  log_options.compression = rocksdb::kNoCompression;  // short-lived entries

  std::vector<rocksdb::ColumnFamilyDescriptor> families = {
      {rocksdb::kDefaultColumnFamilyName, rocksdb::ColumnFamilyOptions(options)},
      {"docs", docs_options},
      {"log", log_options},
      {"values", rocksdb::ColumnFamilyOptions(options)},  // scanned in key order at open
  };
  auto store = std::unique_ptr<CatalogStore>(new CatalogStore());
  rocksdb::DB* raw = nullptr;
  Status s = FromRocks(read_only ? rocksdb::DB::OpenForReadOnly(options, dir, families, &store->handles_, &raw)
                                 : rocksdb::DB::Open(options, dir, families, &store->handles_, &raw),
                       "opening catalog " + dir);
  if (!s.ok()) return s;
  store->db_.reset(raw);
  store->meta_ = store->handles_[0];
  store->docs_ = store->handles_[1];
  store->log_ = store->handles_[2];
  store->values_ = store->handles_[3];
  store->write_options_.sync = sync_writes;

  auto version = store->GetMeta(kMetaFormatVersion);
  if (!version.ok()) return version.status();
  if (!version->has_value() && read_only) {
    return Status::Corruption("catalog " + dir + " has no format version");
  } else if (!version->has_value()) {
    std::string text = std::to_string(kFormatVersion);
    s = FromRocks(store->db_->Put(store->write_options_, store->meta_, ToSlice(kMetaFormatVersion), text),
                  "writing format version");
    if (!s.ok()) return s;
  } else if (**version != std::to_string(kFormatVersion) &&
             **version != std::to_string(kOldestReadableFormatVersion)) {
    return Status::Corruption("catalog " + dir + " has format version " + **version + ", this build reads " +
                              std::to_string(kFormatVersion));
  }
  return store;
}

CatalogStore::~CatalogStore() {
  if (db_) {
    for (auto* h : handles_) db_->DestroyColumnFamilyHandle(h).PermitUncheckedError();
    db_->Close().PermitUncheckedError();
  }
}

void CatalogStore::Batch::PutDoc(std::string_view id, const StoredDoc& doc) {
  batch_.Put(store_->docs_, ToSlice(id), EncodeDoc(doc)).PermitUncheckedError();
}

void CatalogStore::Batch::DeleteDoc(std::string_view id) {
  batch_.Delete(store_->docs_, ToSlice(id)).PermitUncheckedError();
}

void CatalogStore::Batch::AppendLog(const LogEntry& entry) {
  std::string value;
  value.push_back(entry.is_delete ? 'D' : 'P');
  coding::PutFixed32BE(&value, entry.docid);
  value += entry.id;
  batch_.Put(store_->log_, coding::EncodeFixed64BE(entry.seq), value).PermitUncheckedError();
}

void CatalogStore::Batch::PutMeta(std::string_view key, std::string_view value) {
  batch_.Put(store_->meta_, ToSlice(key), ToSlice(value)).PermitUncheckedError();
}

void CatalogStore::Batch::PutValues(uint32_t docid, std::string_view encoded) {
  std::string key;
  coding::PutFixed32BE(&key, docid);
  batch_.Put(store_->values_, key, ToSlice(encoded)).PermitUncheckedError();
}

void CatalogStore::Batch::DeleteValues(uint32_t docid) {
  std::string key;
  coding::PutFixed32BE(&key, docid);
  batch_.Delete(store_->values_, key).PermitUncheckedError();
}

Status CatalogStore::ForEachValues(const std::function<bool(uint32_t, std::string_view)>& fn) const {
  rocksdb::ReadOptions read;
  read.fill_cache = false;
  read.readahead_size = 2 << 20;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(read, values_));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    std::string_view key = it->key().ToStringView();
    auto docid = coding::GetFixedBE<uint32_t>(&key);
    if (!docid || !key.empty()) return Status::Corruption("damaged values key");
    if (!fn(*docid, it->value().ToStringView())) break;
  }
  return FromRocks(it->status(), "reading document values");
}

Status CatalogStore::Commit(Batch* batch) {
  std::lock_guard<std::mutex> lock(write_mu_);
  if (!write_blocked_.ok()) {
    // A write failed (a full disk, typically). RocksDB recovers by itself once there is room
    // again (its SstFileManager waits for free space, then flushes to a fresh write-ahead log);
    // until Resume() says it has, no write may reach the log file that failed: RocksDB 7.8
    // asserts (sync_without_flush_called_) on a write to a log writer that has seen an error.
    rocksdb::Status resumed = db_->Resume();
    if (!resumed.ok()) {
      return FromRocks(write_blocked_, "writing to the catalog (waiting for the store to recover: " +
                                           resumed.ToString() + ")");
    }
    write_blocked_ = rocksdb::Status::OK();
  }
  rocksdb::Status s = db_->Write(write_options_, &batch->batch_);
  // Nothing of a failed write reached the memtable; a later write after recovery cannot apply it twice.
  if (s.IsIOError() || s.IsNoSpace()) write_blocked_ = s;
  return FromRocks(s, "writing to the catalog");
}

Result<std::optional<std::string>> CatalogStore::GetMeta(std::string_view key) const {
  std::string value;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), meta_, ToSlice(key), &value);
  if (s.IsNotFound()) return std::optional<std::string>();
  if (!s.ok()) return FromRocks(s, "reading catalog metadata");
  return std::optional<std::string>(std::move(value));
}

Result<std::optional<StoredDoc>> CatalogStore::GetDoc(std::string_view id) const {
  rocksdb::PinnableSlice value;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), docs_, ToSlice(id), &value);
  if (s.IsNotFound()) return std::optional<StoredDoc>();
  if (!s.ok()) return FromRocks(s, "reading a document");
  StoredDoc doc;
  if (!DecodeDoc(value.ToStringView(), &doc)) return Status::Corruption("stored document " + std::string(id) + " is damaged");
  return std::optional<StoredDoc>(std::move(doc));
}

Status CatalogStore::MultiGetDocs(const std::vector<std::string>& ids, std::vector<std::optional<StoredDoc>>* out) const {
  out->assign(ids.size(), std::nullopt);
  if (ids.empty()) return Status::OK();
  std::vector<rocksdb::Slice> keys;
  keys.reserve(ids.size());
  for (const auto& id : ids) keys.emplace_back(id);
  std::vector<rocksdb::PinnableSlice> values(ids.size());
  std::vector<rocksdb::Status> statuses(ids.size());
  db_->MultiGet(rocksdb::ReadOptions(), docs_, keys.size(), keys.data(), values.data(), statuses.data());
  for (size_t i = 0; i < ids.size(); ++i) {
    if (statuses[i].IsNotFound()) continue;
    if (!statuses[i].ok()) return FromRocks(statuses[i], "reading documents");
    StoredDoc doc;
    if (!DecodeDoc(values[i].ToStringView(), &doc)) return Status::Corruption("stored document " + ids[i] + " is damaged");
    (*out)[i] = std::move(doc);
  }
  return Status::OK();
}

Status CatalogStore::ForEachLogEntry(uint64_t after, const std::function<bool(const LogEntry&)>& fn) const {
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), log_));
  std::string start = coding::EncodeFixed64BE(after + 1);
  for (it->Seek(start); it->Valid(); it->Next()) {
    std::string_view key = it->key().ToStringView();
    std::string_view value = it->value().ToStringView();
    auto seq = coding::GetFixedBE<uint64_t>(&key);
    if (!seq || value.size() < 5) return Status::Corruption("damaged change-log entry");
    LogEntry entry;
    entry.seq = *seq;
    entry.is_delete = value[0] == 'D';
    value.remove_prefix(1);
    entry.docid = *coding::GetFixedBE<uint32_t>(&value);
    entry.id.assign(value.data(), value.size());
    if (!fn(entry)) break;
  }
  return FromRocks(it->status(), "reading the change log");
}

Status CatalogStore::TrimLog(uint64_t up_to) {
  rocksdb::WriteOptions options;  // not synced: trimming again after a crash is harmless
  return FromRocks(db_->DeleteRange(options, log_, coding::EncodeFixed64BE(0), coding::EncodeFixed64BE(up_to + 1)),
                   "trimming the change log");
}

Status CatalogStore::Compact() {
  rocksdb::FlushOptions flush;
  flush.wait = true;
  Status s = FromRocks(db_->Flush(flush, handles_), "flushing the catalog");
  if (!s.ok()) return s;
  rocksdb::CompactRangeOptions options;
  options.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForceOptimized;
  for (auto* family : handles_) {
    s = FromRocks(db_->CompactRange(options, family, nullptr, nullptr), "compacting the catalog");
    if (!s.ok()) return s;
  }
  return Status::OK();
}

Status CatalogStore::ForEachDoc(const std::function<bool(std::string_view, const StoredDoc&)>& fn,
                                uint64_t* snapshot_seq) const {
  const rocksdb::Snapshot* snapshot = db_->GetSnapshot();
  rocksdb::ReadOptions read;
  read.snapshot = snapshot;
  read.fill_cache = false;
  std::string seq_value;
  *snapshot_seq = 0;
  if (db_->Get(read, meta_, ToSlice(kMetaLastSeq), &seq_value).ok()) {
    std::string_view v = seq_value;
    *snapshot_seq = coding::GetFixedBE<uint64_t>(&v).value_or(0);
  }
  Status result;
  {
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(read, docs_));
    StoredDoc doc;
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      if (!DecodeDoc(it->value().ToStringView(), &doc)) {
        result = Status::Corruption("stored document " + it->key().ToString() + " is damaged");
        break;
      }
      if (!fn(it->key().ToStringView(), doc)) break;
    }
    if (result.ok()) result = FromRocks(it->status(), "reading the catalog");
  }
  db_->ReleaseSnapshot(snapshot);
  return result;
}

uint64_t CatalogStore::ApproximateSizeBytes() const {
  uint64_t total = 0;
  for (auto* h : handles_) {
    uint64_t v = 0;
    if (db_->GetIntProperty(h, rocksdb::DB::Properties::kTotalSstFilesSize, &v)) total += v;
    if (db_->GetIntProperty(h, rocksdb::DB::Properties::kCurSizeAllMemTables, &v)) total += v;
  }
  return total;
}

}  // namespace ultrasearch
