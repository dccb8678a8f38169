// The engine: the data directory, its lock, and the open indices.
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <mutex>
#include <thread>

#include "api/index_impl.h"
#include "common/api_guard.h"
#include "mapping/index_settings.h"

namespace fs = std::filesystem;

namespace ultrasearch {

class Engine::Impl {
 public:
  EngineOptions options;
  int lock_fd = -1;
  mutable std::mutex mu;
  std::map<std::string, std::shared_ptr<Index>, std::less<>> open;  // guarded by mu

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

  // Requires mu.
  Result<std::shared_ptr<Index>> OpenLocked(std::string_view name, const IndexSettings* create_settings) {
    auto it = open.find(name);
    if (it != open.end()) return it->second;
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
      auto it = impl_->open.find(name);
      if (it == impl_->open.end() && !impl_->Exists(name)) {
        return Status::NotFound("no such index [" + std::string(name) + "]");
      }
      if (it != impl_->open.end()) {
        // Close before the files go: holders of the handle now get Unavailable, and nothing of
        // this index writes into a directory of the same name created later.
        it->second->Close();
        impl_->open.erase(it);
      }
      // Rename under the lock, so a concurrent create of the same name starts from nothing.
      static std::atomic<uint64_t> counter{0};
      tombstone = impl_->options.data_dir + "/indices/.deleting-" + std::string(name) + "-" +
                  std::to_string(::getpid()) + "-" + std::to_string(counter++);
      std::error_code ec;
      fs::rename(impl_->IndexDir(name), tombstone, ec);
      if (ec) return Status::IOError("cannot remove index files: " + ec.message());
    }
    std::error_code ec;
    fs::remove_all(tombstone, ec);  // a leftover is removed at the next Engine::Open
    return Status::OK();
  });
}

std::vector<std::string> Engine::ListIndices() const {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(impl_->options.data_dir + "/indices", ec)) {
    std::string name = entry.path().filename().string();
    std::error_code entry_ec;
    if (entry.is_directory(entry_ec) && name[0] != '.' && fs::exists(entry.path() / "catalog", entry_ec)) {
      names.push_back(name);
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

const AnalyzerRegistry& Engine::analyzers() const { return *impl_->options.analyzers; }
const std::string& Engine::data_dir() const { return impl_->options.data_dir; }

}  // namespace ultrasearch
