// The engine: the data directory, its lock, and the open indices.
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <mutex>
#include <thread>

#include "api/engine_impl.h"
#include "common/api_guard.h"

namespace fs = std::filesystem;

namespace ultrasearch {

std::vector<std::string> ListIndexDirs(const std::string& data_dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(data_dir + "/indices", ec)) {
    std::string name = entry.path().filename().string();
    std::error_code entry_ec;
    if (entry.is_directory(entry_ec) && name[0] != '.' && fs::exists(entry.path() / "catalog", entry_ec)) {
      names.push_back(name);
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

Engine::Engine(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Engine::~Engine() = default;

Result<std::unique_ptr<Engine>> Engine::Open(EngineOptions options) {
  return GuardApi("opening the engine", [&]() -> Result<std::unique_ptr<Engine>> {
    if (!options.analyzers) return Status::InvalidArgument("EngineOptions.analyzers is required");
    if (options.data_dir.empty()) return Status::InvalidArgument("the data directory must not be empty");
    if (Status s = ValidateIndexTemplates(options.index_templates, *options.analyzers); !s.ok()) return s;
    std::error_code ec;
    fs::create_directories(options.data_dir + "/indices", ec);
    if (ec) return Status::IOError("cannot create data directory " + options.data_dir + ": " + ec.message());
    auto impl = std::make_unique<Impl>();
    std::string lock_path = options.data_dir + "/LOCK";
    impl->lock_fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (impl->lock_fd < 0) return Status::IOError("cannot open " + lock_path);
    if (::flock(impl->lock_fd, LOCK_EX | LOCK_NB) != 0) {
      return Status::Busy("data directory " + options.data_dir +
                          " is in use by another ultrasearch process; stop it or use its HTTP API");
    }
    // Finish deletions a crash interrupted, and drop restores it cut short (never switched in).
    for (const auto& entry : fs::directory_iterator(options.data_dir + "/indices", ec)) {
      const std::string name = entry.path().filename().string();
      if (name.rfind(".deleting-", 0) == 0 || name.rfind(kRestoreStagingPrefix, 0) == 0) {
        std::error_code remove_ec;
        fs::remove_all(entry.path(), remove_ec);
      }
    }
    impl->options = std::move(options);
    if (Status s = impl->LoadAliases(); !s.ok()) return s;
    auto synonym_sets = SynonymSets::Open(impl->options.data_dir, impl->options.analyzers);
    if (!synonym_sets.ok()) return synonym_sets.status();
    impl->synonym_sets = std::move(synonym_sets.value());
    if (Status s = impl->FinishInterruptedIndexRemovals(); !s.ok()) return s;
    return std::unique_ptr<Engine>(new Engine(std::move(impl)));
  });
}

Status Engine::ValidateIndexName(std::string_view name) {
  auto invalid = [&](const std::string& why) {
    return Status::InvalidArgument("Invalid index name [" + std::string(name) + "], " + why);
  };
  if (name.empty()) return invalid("must not be empty");
  if (name.size() > 255) return invalid("index name is too long, (" + std::to_string(name.size()) + " > 255)");
  if (name == "." || name == "..") return invalid("must not be '.' or '..'");
  if (name[0] == '-' || name[0] == '_' || name[0] == '+') return invalid("must not start with '_', '-', or '+'");
  for (char c : name) {
    if (std::string_view("\\/*?\"<>| ,#:").find(c) != std::string_view::npos) {
      return invalid("must not contain the following characters [ , \", *, \\, <, |, ,, >, /, ?, #, :]");
    }
    if (c >= 'A' && c <= 'Z') return invalid("must be lowercase");
  }
  return Status::OK();
}

Result<std::shared_ptr<Index>> Engine::CreateIndex(std::string_view name, const IndexSettings& settings) {
  return GuardApi("creating an index", [&]() -> Result<std::shared_ptr<Index>> {
    Status valid = ValidateIndexName(name);
    if (!valid.ok()) return valid;
    std::lock_guard<std::mutex> lock(impl_->mu);
    if (impl_->open.count(name) || impl_->Exists(name)) {
      return Status::Conflict("index [" + std::string(name) + "] already exists");
    }
    auto index = impl_->OpenLocked(name, &settings);
    if (!index.ok()) {
      std::error_code ec;
      fs::remove_all(impl_->IndexDir(name), ec);  // leave no half-made index behind
    }
    return index;
  });
}

Result<std::shared_ptr<Index>> Engine::GetIndex(std::string_view name) {
  return GuardApi("opening an index", [&]() -> Result<std::shared_ptr<Index>> {
    std::lock_guard<std::mutex> lock(impl_->mu);
    if (!impl_->open.count(name) && (ValidateIndexName(name).ok() == false || !impl_->Exists(name))) {
      return Status::NotFound("no such index [" + std::string(name) + "]");
    }
    return impl_->OpenLocked(name, nullptr);
  });
}

Result<std::shared_ptr<Index>> Engine::GetOrCreateIndex(std::string_view name) {
  return GuardApi("opening an index", [&]() -> Result<std::shared_ptr<Index>> {
    Status valid = ValidateIndexName(name);
    if (!valid.ok()) return valid;
    std::lock_guard<std::mutex> lock(impl_->mu);
    IndexSettings defaults;
    return impl_->OpenLocked(name, &defaults);
  });
}

Status Engine::DeleteIndex(std::string_view name) {
  return GuardApi("deleting an index", [&]() -> Status {
    std::string tombstone;
    {
      std::lock_guard<std::mutex> lock(impl_->mu);
      if (Status s = impl_->DeleteLocked(name, &tombstone); !s.ok()) return s;
      AliasTable aliases = *impl_->Aliases();
      if (aliases.RemoveIndex(name)) {
        if (Status s = impl_->StoreAliases(std::move(aliases)); !s.ok()) return s;
      }
    }
    std::error_code ec;
    fs::remove_all(tombstone, ec);  // a leftover is removed at the next Engine::Open
    return Status::OK();
  });
}

Status Engine::UpdateAliases(const std::vector<AliasAction>& actions) {
  return GuardApi("updating aliases", [&]() -> Status {
    std::vector<std::string> tombstones;
    {
      std::lock_guard<std::mutex> lock(impl_->mu);
      AliasTable next = *impl_->Aliases();
      std::vector<std::string> doomed;
      if (Status s = next.Apply(actions, impl_->ExistingLocked(), &doomed); !s.ok()) return s;
      // The new aliases are durable before any index goes, so a crash in between leaves an
      // unaliased old index rather than an alias to nothing.
      if (Status s = impl_->StoreAliases(std::move(next)); !s.ok()) return s;
      for (const std::string& index : doomed) {
        std::string tombstone;
        if (Status s = impl_->DeleteLocked(index, &tombstone); !s.ok()) return s;
        tombstones.push_back(std::move(tombstone));
      }
    }
    for (const std::string& t : tombstones) {
      std::error_code ec;
      fs::remove_all(t, ec);
    }
    return Status::OK();
  });
}

std::vector<AliasEntry> Engine::ListAliases() const { return impl_->Aliases()->Entries(); }

std::vector<std::string> Engine::IndicesOfAlias(std::string_view name) const {
  return impl_->Aliases()->IndicesOf(name);
}

Result<std::string> Engine::WriteIndexOf(std::string_view name) const {
  auto aliases = impl_->Aliases();
  if (!aliases->IsAlias(name)) return std::string(name);
  if (auto index = aliases->WriteIndexOf(name)) return *index;
  return Status::InvalidArgument(
      "no write index is defined for alias [" + std::string(name) +
      "]. The write index may be explicitly disabled using is_write_index=false or the alias points to multiple "
      "indices without one being designated as a write index");
}

std::vector<std::string> Engine::ListIndices() const { return ListIndexDirs(impl_->options.data_dir); }

Result<bool> Engine::PutSynonymSet(std::string_view id, std::vector<SynonymRule> rules) {
  return impl_->synonym_sets->Put(id, std::move(rules));
}
Result<std::vector<SynonymRule>> Engine::GetSynonymSet(std::string_view id) const {
  return impl_->synonym_sets->Get(id);
}
std::vector<SynonymSetSummary> Engine::ListSynonymSets() const { return impl_->synonym_sets->List(); }
Status Engine::DeleteSynonymSet(std::string_view id) { return impl_->synonym_sets->Delete(id); }
Result<bool> Engine::PutSynonymRule(std::string_view set_id, SynonymRule rule) {
  return impl_->synonym_sets->PutRule(set_id, std::move(rule));
}
Result<SynonymRule> Engine::GetSynonymRule(std::string_view set_id, std::string_view rule_id) const {
  return impl_->synonym_sets->GetRule(set_id, rule_id);
}
Status Engine::DeleteSynonymRule(std::string_view set_id, std::string_view rule_id) {
  return impl_->synonym_sets->DeleteRule(set_id, rule_id);
}

const AnalyzerRegistry& Engine::analyzers() const { return *impl_->options.analyzers; }
const std::string& Engine::data_dir() const { return impl_->options.data_dir; }

}  // namespace ultrasearch
