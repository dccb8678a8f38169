// Force merge: a compacted copy of the committed text index is built beside the live one without
// the writer lock (commits are held back meanwhile, so the copied revision stays current), then
// swapped in like a reindex: the writes made since the copy are replayed from the change log.
// The catalog is flushed and compacted in place (RocksDB does that under writers).
#include <filesystem>
#include <future>
#include <system_error>

#include "api/index_impl.h"

namespace ultrasearch {

Status Index::Impl::ForceMerge() {
  std::shared_lock<std::shared_mutex> life(lifecycle_mu_);
  if (Status s = UnavailableIfClosed(); !s.ok()) return s;
  std::string source_dir;
  std::string copy_dir_name;
  uint64_t copied_seq = 0;
  {
    std::lock_guard<std::mutex> lock(write_mu_);
    if (log_trim_floor_ || text_commits_paused_) {
      return Status::Busy("a reindex or force merge of [" + params_.name + "] is already running");
    }
    if (Status s = CommitText(); !s.ok()) return s;
    copied_seq = committed_seq_;
    log_trim_floor_ = copied_seq;  // the swap replays the log past the copied revision
    text_commits_paused_ = true;
    source_dir = TextDirPath(text_dir_name_);
    copy_dir_name = NextTextDirName();
  }
  std::error_code ec;
  std::filesystem::remove_all(TextDirPath(copy_dir_name), ec);  // a crashed merge's leftover
  // The catalog compacts on RocksDB's threads while the text shards are copied: the two share
  // nothing, and side by side they keep both cores busy.
  std::future<Status> catalog_compaction;
  try {
    catalog_compaction = std::async(std::launch::async, [this] { return catalog_->Compact(); });
  } catch (const std::system_error&) {
    // No thread to be had: compact the catalog after the text instead.
  }
  // At normal priority, unlike a reindex's build: refresh commits wait for the copy, and every
  // second it takes is a second acknowledged writes stay unsearchable.
  Status copied = TextIndex::CompactCopy(source_dir, TextDirPath(copy_dir_name));
  Status catalog_compacted = catalog_compaction.valid() ? catalog_compaction.get() : catalog_->Compact();

  std::lock_guard<std::mutex> lock(write_mu_);
  log_trim_floor_.reset();
  text_commits_paused_ = false;
  TextBuild build;
  build.dir_name = copy_dir_name;
  build.snapshot_seq = copied_seq;
  if (copied.ok()) {
    auto opened = TextIndex::Open(TextDirPath(copy_dir_name), params_.text_shards);
    if (opened.ok()) {
      build.text = std::move(opened.value());
    } else {
      copied = opened.status();
    }
  }
  if (!copied.ok()) {
    DiscardTextBuild(&build);
    return copied;
  }
  // The old directory goes at the next open: searches may still hold it.
  Status swapped = SwapInTextBuild(std::move(build), /*remove_old_now=*/false);
  return swapped.ok() ? catalog_compacted : swapped;
}

}  // namespace ultrasearch
