// Reindex: rebuild the text index from the catalog beside the live one, then swap it in. Phase 1
// indexes a snapshot of the catalog while writers run; phase 2, under the writer lock, replays the
// writes made since the snapshot and swaps (the build-and-swap routine is in index_recovery.cc).
#include "api/index_impl.h"
#include "common/background_priority.h"

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
  // The build is the long part and runs beside searches: in a server at background priority (the
  // swap after it takes the writer lock on this thread, at normal priority).
  auto run_build = [&] { return BuildTextFromCatalog(std::move(new_dir_name), progress, total); };
  auto build = params_.maintenance_at_low_priority ? RunAtBackgroundPriority(run_build) : run_build();
  std::lock_guard<std::mutex> lock(write_mu_);
  if (!build.ok()) {
    log_trim_floor_.reset();
    return build.status();
  }
  log_trim_floor_.reset();
  return SwapInTextBuild(std::move(build.value()), /*remove_old_now=*/false);
}

}  // namespace ultrasearch
