// The engine: the data directory, its lock, and the open indices.
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <mutex>
#include <thread>

#include "aliases/alias_table.h"
#include "api/index_impl.h"
#include "common/api_guard.h"
#include "common/file_util.h"
#include "mapping/index_settings.h"

namespace fs = std::filesystem;

namespace ultrasearch {
namespace {

// The indices on disk, sorted: directories of DATA/indices holding a catalog (not being deleted).
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

}  // namespace

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
    return fs::exists(IndexDir(name) + "/catalog", ec);
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
    if (!fs::exists(path, ec)) return Status::OK();
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
      fs::remove_all(tombstone, ec);
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
    fs::rename(IndexDir(name), *tombstone, ec);
    if (ec) return Status::IOError("cannot remove index files: " + ec.message());
    return Status::OK();
  }

  // Requires mu.
  Result<std::shared_ptr<Index>> OpenLocked(std::string_view name, const IndexSettings* create_settings) {
    auto it = open.find(name);
    if (it != open.end()) return it->second;
    if (create_settings != nullptr && Aliases()->IsAlias(name)) {
      return Status::InvalidArgument("Invalid index name [" + std::string(name) + "], already exists as alias");
    }
    Index::Impl::OpenParams params;
    params.name = std::string(name);
    params.dir = IndexDir(name);
    params.analyzers = options.analyzers;
    params.refresh_interval = options.refresh_interval;
    params.sync_writes = options.sync_writes;
    params.text_shards = options.text_shards > 0
                             ? options.text_shards
                             : static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1u, 4u));
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
    // Finish deletions a crash interrupted.
    for (const auto& entry : fs::directory_iterator(options.data_dir + "/indices", ec)) {
      if (entry.path().filename().string().rfind(".deleting-", 0) == 0) fs::remove_all(entry.path(), ec);
    }
    impl->options = std::move(options);
    if (Status s = impl->LoadAliases(); !s.ok()) return s;
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

const AnalyzerRegistry& Engine::analyzers() const { return *impl_->options.analyzers; }
const std::string& Engine::data_dir() const { return impl_->options.data_dir; }

}  // namespace ultrasearch
