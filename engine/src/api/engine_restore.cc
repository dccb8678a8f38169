// Engine::Restore: everything is checked before anything changes (manifest, every checksum,
// names, conflicts, aliases); each index is then copied into a staging directory beside the live
// indices (checksummed again as it is written), opened there so that the engine's recovery path
// rebuilds its text index from the catalog, closed, and only then renamed into place. A crash
// before the rename leaves a staging directory that Engine::Open removes; the live indices are
// untouched until the switch.
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <optional>
#include <regex>
#include <set>

#include "api/engine_impl.h"
#include "backup/file_digest.h"
#include "common/api_guard.h"
#include "ultrasearch/wildcard.h"

namespace fs = std::filesystem;

namespace ultrasearch {
namespace {

struct Planned {
  const BackupIndex* source = nullptr;
  std::string target;
  std::string staging;  // set once created
};

// The backup's indices that `patterns` select (all when empty), in manifest order.
Result<std::vector<const BackupIndex*>> SelectIndices(const BackupManifest& manifest,
                                                      const std::vector<std::string>& patterns) {
  std::vector<const BackupIndex*> selected;
  for (const BackupIndex& index : manifest.indices) {
    bool wanted = patterns.empty();
    for (const std::string& p : patterns) wanted = wanted || p == "_all" || WildcardMatch(p, index.name);
    if (wanted) selected.push_back(&index);
  }
  for (const std::string& p : patterns) {
    if (p != "_all" && p.find('*') == std::string::npos && manifest.Find(p) == nullptr) {
      return Status::NotFound("index [" + p + "] is not in the backup");
    }
  }
  if (selected.empty()) return Status::NotFound("no index of the backup matches the request");
  return selected;
}

Status PlanTargets(const RestoreOptions& options, std::vector<Planned>* plan) {
  if (!options.rename_to.empty() && plan->size() != 1) {
    return Status::InvalidArgument("a new name is for exactly one index; " + std::to_string(plan->size()) +
                                   " are selected");
  }
  std::optional<std::regex> pattern;
  if (!options.rename_pattern.empty()) {
    try {
      pattern.emplace(options.rename_pattern, std::regex::ECMAScript);
    } catch (const std::regex_error& e) {
      return Status::InvalidArgument("rename_pattern [" + options.rename_pattern + "] is not a valid regular "
                                     "expression: " + e.what());
    }
  }
  std::set<std::string> seen;
  for (Planned& p : *plan) {
    if (!options.rename_to.empty()) {
      p.target = options.rename_to;
    } else if (pattern) {
      p.target = std::regex_replace(p.source->name, *pattern, options.rename_replacement);
    } else {
      p.target = p.source->name;
    }
    if (Status s = Engine::ValidateIndexName(p.target); !s.ok()) return s;
    if (!seen.insert(p.target).second) {
      return Status::InvalidArgument("indices [" + p.target + "] and more would be restored under the same name");
    }
  }
  return Status::OK();
}

// The alias actions that give the restored indices the aliases the backup recorded.
std::vector<AliasAction> AliasActionsFor(const BackupManifest& manifest, const std::vector<Planned>& plan) {
  std::vector<AliasAction> actions;
  for (const AliasEntry& entry : manifest.aliases) {
    for (const Planned& p : plan) {
      if (p.source->name != entry.index) continue;
      AliasAction action;
      action.type = AliasAction::Type::kAdd;
      action.indices = {p.target};
      action.aliases = {entry.alias};
      action.is_write_index = entry.is_write_index;
      actions.push_back(std::move(action));
    }
  }
  return actions;
}

std::string ExistsMessage(const std::string& name) {
  return "cannot restore index [" + name +
         "] because an open index with same name already exists in the cluster. Either close or delete the "
         "existing index or restore the index under a different name by providing a rename pattern and "
         "replacement name";
}

}  // namespace

Result<RestoreResult> Engine::Restore(std::string_view src_dir, const RestoreOptions& options) {
  return GuardApi("restoring a backup", [&]() -> Result<RestoreResult> {
    const std::string src(src_dir);
    auto manifest = ReadBackupManifest(src);
    if (!manifest.ok()) return manifest.status();
    auto selected = SelectIndices(*manifest, options.indices);
    if (!selected.ok()) return selected.status();
    std::vector<Planned> plan;
    for (const BackupIndex* index : *selected) plan.push_back({index, "", ""});
    if (Status s = PlanTargets(options, &plan); !s.ok()) return s;
    const std::vector<AliasAction> alias_actions =
        options.include_aliases ? AliasActionsFor(*manifest, plan) : std::vector<AliasAction>{};

    // 1. Checks, before anything changes.
    std::vector<std::string> names;
    for (const Planned& p : plan) names.push_back(p.source->name);
    if (Status s = VerifyBackup(src, *manifest, names, options.progress); !s.ok()) return s;
    auto check_targets = [&](std::vector<std::string>* existing) -> Status {  // requires impl_->mu
      *existing = impl_->ExistingLocked();
      auto aliases = impl_->Aliases();
      for (const Planned& p : plan) {
        if (aliases->IsAlias(p.target)) {
          return Status::Conflict("cannot restore index [" + p.target + "] because an alias with the same name exists");
        }
        const bool exists = impl_->open.count(p.target) > 0 || impl_->Exists(p.target);
        if (exists && !options.replace_existing) return Status::Conflict(ExistsMessage(p.target));
        if (!exists) existing->push_back(p.target);
      }
      std::sort(existing->begin(), existing->end());
      AliasTable trial = *aliases;
      std::vector<std::string> unused;
      return alias_actions.empty() ? Status::OK() : trial.Apply(alias_actions, *existing, &unused);
    };
    {
      std::lock_guard<std::mutex> lock(impl_->mu);
      std::vector<std::string> existing;
      if (Status s = check_targets(&existing); !s.ok()) return s;
    }

    // 2. Staging: copy, check, rebuild the text index, close. Nothing live changes.
    auto discard = [&](Status failure) {
      for (const Planned& p : plan) {
        std::error_code ec;
        if (!p.staging.empty()) fs::remove_all(p.staging, ec);
      }
      return failure;
    };
    static std::atomic<uint64_t> counter{0};
    for (Planned& p : plan) {
      p.staging = impl_->options.data_dir + "/indices/" + std::string(kRestoreStagingPrefix) + p.target + "-" +
                  std::to_string(::getpid()) + "-" + std::to_string(counter++);
      const std::string prefix = "indices/" + p.source->name + "/";
      uint64_t total = 0, done = 0;
      for (const BackupFile& f : p.source->files) total += f.size;
      std::set<std::string> dirs{p.staging};
      for (const BackupFile& f : p.source->files) {
        const fs::path to = fs::path(p.staging) / f.path.substr(prefix.size());
        std::error_code ec;
        fs::create_directories(to.parent_path(), ec);
        if (ec) return discard(Status::IOError("cannot create " + to.parent_path().string() + ": " + ec.message()));
        for (fs::path d = to.parent_path(); d.string().size() > p.staging.size(); d = d.parent_path()) {
          dirs.insert(d.string());
        }
        auto sha = backup::CopyFileWithSha256(src + "/" + f.path, to.string(), [&](uint64_t bytes) {
          done += bytes;
          if (options.progress) options.progress({"copy", p.source->name, done, total});
        });
        if (!sha.ok()) return discard(sha.status());
        if (*sha != f.sha256) {
          return discard(Status::Corruption("backup file " + f.path + " changed while it was restored"));
        }
      }
      for (const std::string& d : dirs) {
        if (Status s = backup::SyncPath(d); !s.ok()) return discard(s);
      }
      if (options.progress) options.progress({"rebuild", p.target, 0, p.source->documents});
      Index::Impl::OpenParams params = impl_->MakeOpenParams(p.target, p.staging);
      params.refresh_interval = std::chrono::milliseconds(0);
      auto staged = Index::Impl::Open(params);  // recovery rebuilds the text index from the catalog
      if (!staged.ok()) return discard(staged.status());
      auto stats = (*staged)->Stats();
      (*staged)->Close();
      if (!stats.ok()) return discard(stats.status());
      if (stats->last_sequence != p.source->last_sequence || stats->documents != p.source->documents ||
          stats->indexed_documents != p.source->documents) {
        return discard(Status::Corruption("restored index [" + p.target + "] holds " +
                                          std::to_string(stats->documents) + " documents at sequence " +
                                          std::to_string(stats->last_sequence) + ", the manifest says " +
                                          std::to_string(p.source->documents) + " at " +
                                          std::to_string(p.source->last_sequence)));
      }
      if (options.progress) options.progress({"rebuild", p.target, p.source->documents, p.source->documents});
    }

    // 3. The switch, under the engine lock: replaced indices go, the staged ones take their names.
    RestoreResult result;
    std::vector<std::string> tombstones;
    {
      std::lock_guard<std::mutex> lock(impl_->mu);
      std::vector<std::string> existing;
      if (Status s = check_targets(&existing); !s.ok()) return discard(s);  // a create raced the copy
      for (Planned& p : plan) {
        std::string tombstone;
        if (impl_->open.count(p.target) > 0 || impl_->Exists(p.target)) {
          if (Status s = impl_->DeleteLocked(p.target, &tombstone); !s.ok()) return discard(s);
          tombstones.push_back(std::move(tombstone));
          AliasTable aliases = *impl_->Aliases();
          if (aliases.RemoveIndex(p.target)) {
            if (Status s = impl_->StoreAliases(std::move(aliases)); !s.ok()) return discard(s);
          }
        }
        std::error_code ec;
        fs::rename(p.staging, impl_->IndexDir(p.target), ec);
        if (ec) return discard(Status::IOError("cannot move the restored index into place: " + ec.message()));
        p.staging.clear();
        result.indices.push_back({p.source->name, p.target, p.source->documents, p.source->last_sequence});
      }
      if (Status s = backup::SyncPath(impl_->options.data_dir + "/indices"); !s.ok()) return s;
      if (!alias_actions.empty()) {
        AliasTable next = *impl_->Aliases();
        std::vector<std::string> unused;
        if (Status s = next.Apply(alias_actions, impl_->ExistingLocked(), &unused); !s.ok()) return s;
        if (Status s = impl_->StoreAliases(std::move(next)); !s.ok()) return s;
        for (const AliasAction& a : alias_actions) {
          result.aliases.push_back({a.aliases.front(), a.indices.front(), a.is_write_index});
        }
      }
    }
    for (const std::string& t : tombstones) {
      std::error_code ec;
      fs::remove_all(t, ec);
    }
    return result;
  });
}

}  // namespace ultrasearch
