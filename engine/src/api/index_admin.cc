// Index administration while serving: mapping updates (new fields) and dynamic settings
// (refresh_interval). Both are durable in the catalog's metadata before they take effect, and both
// run under the writer lock so that no write batch straddles the change.
#include "api/index_impl.h"
#include "mapping/mapping_merge.h"
#include "mapping/settings_update.h"

namespace ultrasearch {

void Index::Impl::ApplyRefreshInterval() {
  int64_t ms = 0;
  if (params_.refresh_interval.count() > 0) {
    ms = params_.refresh_interval.count();
    auto configured = RefreshIntervalOf(settings_json_);
    // A stored value that no longer parses (written by hand) falls back to the default.
    if (configured.ok() && configured->has_value()) ms = (*configured)->count();
  }
  refresh_interval_ms_.store(ms, std::memory_order_release);
}

Status Index::Impl::PutMapping(std::string_view mappings_json) {
  std::shared_lock<std::shared_mutex> life(lifecycle_mu_);
  if (Status s = UnavailableIfClosed(); !s.ok()) return s;
  std::lock_guard<std::mutex> lock(write_mu_);
  auto merged = MergeMappingUpdate(*mapping(), mappings_json, *params_.analyzers);
  if (!merged.ok()) return merged.status();
  auto batch = catalog_->NewBatch();
  batch.PutMeta(kMetaMapping, EncodeMapping(merged.value()));
  if (Status s = catalog_->Commit(&batch); !s.ok()) return s;
  {
    std::lock_guard<std::mutex> mapping_lock(mapping_mu_);
    mapping_ = std::make_shared<const Mapping>(std::move(merged.value()));
  }
  BumpSearchGeneration();  // queries may now name the new fields
  return Status::OK();
}

Status Index::Impl::UpdateSettings(std::string_view settings_json) {
  std::shared_lock<std::shared_mutex> life(lifecycle_mu_);
  if (Status s = UnavailableIfClosed(); !s.ok()) return s;
  std::lock_guard<std::mutex> lock(write_mu_);
  auto updated = ApplySettingsUpdate(SettingsJson(), settings_json, params_.name);
  if (!updated.ok()) return updated.status();
  auto batch = catalog_->NewBatch();
  batch.PutMeta(kMetaSettings, updated.value());
  if (Status s = catalog_->Commit(&batch); !s.ok()) return s;
  {
    std::lock_guard<std::mutex> mapping_lock(mapping_mu_);
    settings_json_ = std::move(updated.value());
    ApplyRefreshInterval();
  }
  {
    std::lock_guard<std::mutex> refresh_lock(refresh_mu_);
  }
  refresh_cv_.notify_all();  // the refresh thread starts waiting the new interval now
  return Status::OK();
}

std::string Index::Impl::SettingsJson() const {
  std::lock_guard<std::mutex> lock(mapping_mu_);
  return settings_json_.empty() ? std::string("{}") : settings_json_;
}

}  // namespace ultrasearch
