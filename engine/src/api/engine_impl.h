// Engine::Impl: the data directory, its lock, the open indices and the alias table. Shared by
// engine.cc (indices, aliases) and engine_backup.cc / engine_restore.cc.
#pragma once

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "aliases/alias_table.h"
#include "api/index_impl.h"
#include "common/file_util.h"
#include "mapping/index_settings.h"
#include "ultrasearch/engine.h"

namespace ultrasearch {

// The indices on disk, sorted: directories of DATA/indices holding a catalog (not being deleted,
// nor a restore's staging directory: those start with '.').
std::vector<std::string> ListIndexDirs(const std::string& data_dir);

// DATA/indices/.restoring-NAME-...: a restore builds an index here and renames it into place;
// Engine::Open removes leftovers of a restore that a crash cut short.
inline constexpr std::string_view kRestoreStagingPrefix = ".restoring-";

class Engine::Impl {
 public:
  EngineOptions options;
  int lock_fd = -1;
  mutable std::mutex mu;
  std::map<std::string, std::shared_ptr<Index>, std::less<>> open;  // guarded by mu
  // Replaced whole (under mu, then alias_mu) by UpdateAliases and DeleteIndex; readers copy the
  // pointer under alias_mu only, so resolving an alias never waits for an index to open.
  mutable std::mutex alias_mu;
  std::shared_ptr<const AliasTable> aliases = std::make_shared<AliasTable>();
  std::shared_ptr<SynonymSets> synonym_sets;  // set at Open, then never replaced

  static constexpr const char* kAliasFile = "aliases.json";

  ~Impl() {
    {
      std::lock_guard<std::mutex> lock(mu);
      open.clear();
    }
    if (lock_fd >= 0) ::close(lock_fd);  // releases the flock
  }

  std::string IndexDir(std::string_view name) const { return options.data_dir + "/indices/" + std::string(name); }
  bool Exists(std::string_view name) const {
    std::error_code ec;
    return std::filesystem::exists(IndexDir(name) + "/catalog", ec);
  }

  std::shared_ptr<const AliasTable> Aliases() const {
    std::lock_guard<std::mutex> lock(alias_mu);
    return aliases;
  }

  // Requires mu. Persists `next` before readers see it.
  Status StoreAliases(AliasTable next) {
    if (Status s = WriteFileAtomically(options.data_dir, kAliasFile, next.Encode()); !s.ok()) return s;
    auto table = std::make_shared<const AliasTable>(std::move(next));
    std::lock_guard<std::mutex> lock(alias_mu);
    aliases = std::move(table);
    return Status::OK();
  }

  Status LoadAliases() {
    std::string path = options.data_dir + "/" + kAliasFile;
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return Status::OK();
    std::string text;
    if (Status s = ReadWholeFile(path, &text); !s.ok()) return s;
    auto table = AliasTable::Decode(text);
    if (!table.ok()) return Status::Corruption(path + ": " + table.status().message());
    // Aliases of indices deleted behind our back (by hand, or a crash mid-delete) are dropped.
    AliasTable loaded = std::move(table).value();
    for (const AliasEntry& e : loaded.Entries()) {
      if (!Exists(e.index)) loaded.RemoveIndex(e.index);
    }
    aliases = std::make_shared<const AliasTable>(std::move(loaded));
    return Status::OK();
  }

  // An index directory named as an alias can only be one that an action list removed (with
  // remove_index) while adding the alias in its place: UpdateAliases stores the aliases before it
  // deletes, and neither CreateIndex nor an alias add allows the clash otherwise. A crash between
  // the two steps leaves it behind; finish the deletion the stored list asked for.
  Status FinishInterruptedIndexRemovals() {
    std::lock_guard<std::mutex> lock(mu);
    for (const std::string& alias : aliases->Names()) {
      if (!Exists(alias)) continue;
      std::string tombstone;
      if (Status s = DeleteLocked(alias, &tombstone); !s.ok()) return s;
      std::error_code ec;
      std::filesystem::remove_all(tombstone, ec);
    }
    return Status::OK();
  }

  // Every index of the data directory, sorted. Requires mu.
  std::vector<std::string> ExistingLocked() const {
    std::vector<std::string> names = ListIndexDirs(options.data_dir);
    for (const auto& [name, unused] : open) names.push_back(name);
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    return names;
  }

  // Closes `name` and moves its files aside; the caller removes `*tombstone` outside mu.
  // Requires mu.
  Status DeleteLocked(std::string_view name, std::string* tombstone) {
    auto it = open.find(name);
    if (it == open.end() && !Exists(name)) return Status::NotFound("no such index [" + std::string(name) + "]");
    if (it != open.end()) {
      // Close before the files go: holders of the handle now get Unavailable, and nothing of
      // this index writes into a directory of the same name created later.
      it->second->Close();
      open.erase(it);
    }
    // Rename under the lock, so a concurrent create of the same name starts from nothing.
    static std::atomic<uint64_t> counter{0};
    *tombstone = options.data_dir + "/indices/.deleting-" + std::string(name) + "-" + std::to_string(::getpid()) +
                 "-" + std::to_string(counter++);
    std::error_code ec;
    std::filesystem::rename(IndexDir(name), *tombstone, ec);
    if (ec) return Status::IOError("cannot remove index files: " + ec.message());
    return Status::OK();
  }

  // How an index named `name` opens from `dir` (its own directory, or a restore's staging one).
  Index::Impl::OpenParams MakeOpenParams(std::string_view name, std::string dir) const {
    Index::Impl::OpenParams params;
    params.name = std::string(name);
    params.dir = std::move(dir);
    params.analyzers = options.analyzers;
    params.synonym_sets = synonym_sets;
    params.refresh_interval = options.refresh_interval;
    params.sync_writes = options.sync_writes;
    params.maintenance_at_low_priority = options.maintenance_at_low_priority;
    params.text_shards = options.text_shards > 0
                             ? options.text_shards
                             : static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1u, 4u));
    return params;
  }

  // Requires mu.
  Result<std::shared_ptr<Index>> OpenLocked(std::string_view name, const IndexSettings* create_settings) {
    auto it = open.find(name);
    if (it != open.end()) return it->second;
    if (create_settings != nullptr && Aliases()->IsAlias(name)) {
      return Status::InvalidArgument("Invalid index name [" + std::string(name) + "], already exists as alias");
    }
    Index::Impl::OpenParams params = MakeOpenParams(name, IndexDir(name));
    // A new index gets the matching index template under the request's own settings.
    IndexSettings effective;
    if (create_settings != nullptr) {
      auto applied = ApplyIndexTemplates(name, *create_settings, options.index_templates);
      if (!applied.ok()) return applied.status();
      effective = std::move(applied.value());
      params.create_settings = &effective;
    }
    auto impl = Index::Impl::Open(params);
    if (!impl.ok()) return impl.status();
    auto index = std::make_shared<Index>(std::move(impl.value()));
    open.emplace(std::string(name), index);
    return index;
  }
};

}  // namespace ultrasearch
