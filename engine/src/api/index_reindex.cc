// Reindex: rebuild the text index from the catalog beside the live one, then swap it in.
#include <filesystem>
#include <fstream>

#include "api/index_impl.h"
#include "common/file_util.h"
#include "index/document_builder.h"

namespace fs = std::filesystem;

namespace ultrasearch {


Status Index::Impl::Reindex(const std::function<void(uint64_t, uint64_t)>& progress) {
  std::shared_lock<std::shared_mutex> life(lifecycle_mu_);
  if (Status s = UnavailableIfClosed(); !s.ok()) return s;
  std::string new_dir_name;
  uint64_t total = 0;
  {
    std::lock_guard<std::mutex> lock(write_mu_);
    if (log_trim_floor_) return Status::Busy("a reindex of [" + params_.name + "] is already running");
    new_dir_name = NextTextDirName();
    log_trim_floor_ = last_seq_;  // at or below the snapshot's sequence: phase 2 finds its log
    total = doc_count_;
  }
  auto release_floor = [this] {
    std::lock_guard<std::mutex> lock(write_mu_);
    log_trim_floor_.reset();
  };
  const std::string new_path = TextDirPath(new_dir_name);
  std::error_code ec;
  fs::remove_all(new_path, ec);
  auto fresh = TextIndex::Open(new_path, params_.text_shards);
  if (!fresh.ok()) {
    release_floor();
    return fresh.status();
  }

  // Phase 1, writers running: index a consistent snapshot of the catalog.
  auto current = mapping();
  uint64_t done = 0, snapshot_seq = 0;
  Status failure;
  Status s = catalog_->ForEachDoc(
      [&](std::string_view id, const StoredDoc& doc) {
        auto xdoc = BuildFromSource(id, doc.source, *current);
        failure = xdoc.ok() ? fresh.value()->Replace(doc.docid, xdoc.value()) : xdoc.status();
        if (progress && (++done % 10000 == 0)) progress(done, total);
        return failure.ok();
      },
      &snapshot_seq);
  if (s.ok()) s = failure;
  if (!s.ok()) {
    fresh.value()->Close();
    fs::remove_all(new_path, ec);
    release_floor();
    return s;
  }
  if (progress) progress(done, total);

  // Phase 2, writers paused: catch up with writes made since the snapshot, then swap.
  std::lock_guard<std::mutex> lock(write_mu_);
  s = ReplayLog(fresh.value().get(), snapshot_seq);
  if (s.ok()) s = fresh.value()->Commit(last_seq_);
  if (s.ok()) s = WriteFileAtomically(params_.dir, kTextCurrentFile, new_dir_name + "\n");
  if (!s.ok()) {
    fresh.value()->Close();
    fs::remove_all(new_path, ec);
    log_trim_floor_.reset();
    return s;
  }
  // The old directory stays until the next open: readers may still be using it.
  text_->Close();
  text_ = std::move(fresh.value());
  text_dir_name_ = new_dir_name;
  applied_seq_ = committed_seq_ = last_seq_;
  pending_text_changes_ = 0;
  text_needs_replay_ = false;
  log_trim_floor_.reset();
  catalog_->TrimLog(committed_seq_).PermitUncheckedError();
  if (columns_->HasStaged()) columns_->Publish();
  readers_->SwitchPaths(TextIndex::ShardPaths(new_path));
  return Status::OK();
}

}  // namespace ultrasearch
