#include "snapshot_service.h"

#include <fcntl.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "es_errors.h"
#include "name_lists.h"
#include "security/atomic_file.h"
#include "ultrasearch/wildcard.h"

namespace fs = std::filesystem;
namespace json = boost::json;

namespace ultrasearch::server {
namespace {

constexpr const char* kRepositoriesFile = "snapshot_repositories.json";
constexpr const char* kSnapshotInfoFile = "snapshot.json";

EsError RepositoryMissing(std::string_view name) {
  EsError e(404, "repository_missing_exception", fmt::format("[{}] missing", name));
  return e;
}

EsError RepositoryError(std::string_view name, std::string_view why) {
  return EsError(500, "repository_exception", fmt::format("[{}] {}", name, why));
}

EsError SnapshotMissing(std::string_view repo, std::string_view snap) {
  return EsError(404, "snapshot_missing_exception", fmt::format("[{}:{}] is missing", repo, snap));
}

EsError InvalidSnapshotName(std::string_view repo, std::string_view snap, std::string_view why) {
  return EsError(400, "invalid_snapshot_name_exception",
                 fmt::format("[{}:{}] Invalid snapshot name [{}], {}", repo, snap, snap, why));
}

// Elasticsearch's checks of a new snapshot's (and a repository's) name; empty when it is fine.
std::string NameProblem(std::string_view name) {
  if (name.empty()) return "cannot be empty";
  for (char c : name) {
    if (std::isspace(static_cast<unsigned char>(c))) return "must not contain whitespace";
  }
  if (name.find(',') != std::string_view::npos) return "must not contain ','";
  if (name.find('#') != std::string_view::npos) return "must not contain '#'";
  if (name[0] == '_') return "must not start with '_'";
  for (char c : name) {
    if (c >= 'A' && c <= 'Z') return "must be lowercase";
  }
  if (name.find_first_of("\\/*?\"<>|") != std::string_view::npos) {
    return "must not contain the following characters [\\, /, *, ?, \", <, >, |,  , ,]";
  }
  if (name == "." || name == "..") return "must not be '.' or '..'";
  return {};
}

std::string RandomSuffix() {
  std::random_device random;
  return fmt::format("{:08x}{:08x}", random(), random());
}

void SyncDirectory(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

std::optional<json::value> ReadJsonFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  boost::system::error_code ec;
  json::value v = json::parse(text.str(), ec);
  if (ec) return std::nullopt;
  return v;
}

}  // namespace

void SnapshotService::LoadLocked() {
  if (loaded_) return;
  const std::string path = engine_.data_dir() + "/" + kRepositoriesFile;
  std::error_code ec;
  if (fs::exists(path, ec)) {
    auto root = ReadJsonFile(path);
    if (!root || !root->is_object()) throw EsError(500, "repository_exception", path + " is damaged");
    if (const json::value* repos = root->get_object().if_contains("repositories"); repos && repos->is_object()) {
      for (const auto& [name, value] : repos->get_object()) {
        if (!value.is_object()) continue;
        SnapshotRepository repo;
        repo.name = std::string(name);
        if (const json::value* t = value.get_object().if_contains("type"); t && t->is_string()) {
          repo.type = std::string(t->get_string());
        }
        if (const json::value* s = value.get_object().if_contains("settings"); s && s->is_object()) {
          repo.settings = s->get_object();
        }
        if (const json::value* p = value.get_object().if_contains("path"); p && p->is_string()) {
          repo.path = std::string(p->get_string());
        }
        repositories_[repo.name] = std::move(repo);
      }
    }
  }
  loaded_ = true;
}

void SnapshotService::StoreLocked() {
  json::object repos;
  for (const auto& [name, repo] : repositories_) {
    repos[name] = json::object{{"type", repo.type}, {"settings", repo.settings}, {"path", repo.path}};
  }
  const std::string path = engine_.data_dir() + "/" + kRepositoriesFile;
  Status s = security::WriteFileAtomically(path, json::serialize(json::object{{"repositories", repos}}), 0644);
  if (!s.ok()) throw FromStatus(s, ErrorScope::kOther);
}

void SnapshotService::PutRepository(std::string_view name, const json::value& body) {
  if (std::string why = NameProblem(name); !why.empty()) {
    throw RepositoryError(name, fmt::format("Invalid repository name [{}], {}", name, why));
  }
  if (!body.is_object()) throw ParsingError("request body is required");
  const json::object& o = body.get_object();
  const json::value* type = o.if_contains("type");
  if (type == nullptr || !type->is_string() || type->get_string().empty()) {
    throw ValidationError("1: type is missing;");
  }
  if (type->get_string() != "fs") {
    throw RepositoryError(name, fmt::format("repository type [{}] does not exist", type->get_string().c_str()));
  }
  json::object settings;
  if (const json::value* s = o.if_contains("settings"); s != nullptr) {
    if (!s->is_object()) throw ParsingError("[settings] must be an object");
    settings = s->get_object();
  }
  const json::value* location = settings.if_contains("location");
  if (location == nullptr || !location->is_string() || location->get_string().empty()) {
    throw RepositoryError(name, "missing location");
  }
  fs::path path(std::string(location->get_string()));
  if (path.is_relative()) path = fs::path(engine_.data_dir()) / path;
  std::error_code ec;
  fs::create_directories(path, ec);
  if (ec) {
    throw EsError(500, "repository_verification_exception",
                  fmt::format("[{}] cannot create location [{}]: {}", name, path.string(), ec.message()));
  }
  fs::path resolved = fs::weakly_canonical(path, ec);
  fs::path indices = fs::weakly_canonical(fs::path(engine_.data_dir()) / "indices", ec);
  auto [end, unused] = std::mismatch(indices.begin(), indices.end(), resolved.begin(), resolved.end());
  if (end == indices.end()) {
    throw RepositoryError(name, fmt::format("location [{}] lies inside the data directory's indices",
                                            location->get_string().c_str()));
  }
  std::lock_guard<std::mutex> lock(mu_);
  LoadLocked();
  SnapshotRepository repo{std::string(name), "fs", std::move(settings), resolved.string()};
  repositories_[repo.name] = std::move(repo);
  StoreLocked();
}

std::vector<SnapshotRepository> SnapshotService::GetRepositories(std::string_view expression) {
  std::lock_guard<std::mutex> lock(mu_);
  LoadLocked();
  std::vector<std::string> parts = SplitCommaList(expression);
  if (parts.empty()) parts.push_back("_all");
  std::vector<SnapshotRepository> out;
  for (const auto& [name, repo] : repositories_) {
    for (const std::string& p : parts) {
      if (p == "_all" || WildcardMatch(p, name)) {
        out.push_back(repo);
        break;
      }
    }
  }
  for (const std::string& p : parts) {
    if (!IsNamePattern(p) && repositories_.find(p) == repositories_.end()) throw RepositoryMissing(p);
  }
  return out;
}

void SnapshotService::DeleteRepository(std::string_view name) {
  std::lock_guard<std::mutex> lock(mu_);
  LoadLocked();
  auto it = repositories_.find(name);
  if (it == repositories_.end()) throw RepositoryMissing(name);
  repositories_.erase(it);
  StoreLocked();
}

SnapshotRepository SnapshotService::RequireRepository(std::string_view name) {
  std::lock_guard<std::mutex> lock(mu_);
  LoadLocked();
  auto it = repositories_.find(name);
  if (it == repositories_.end()) throw RepositoryMissing(name);
  return it->second;
}

std::optional<SnapshotInfo> SnapshotService::ReadSnapshot(const SnapshotRepository& repo,
                                                          const std::string& name) const {
  const std::string dir = repo.path + "/" + name;
  auto manifest = ReadBackupManifest(dir);
  if (!manifest.ok()) return std::nullopt;
  SnapshotInfo info;
  info.repository = repo.name;
  info.name = name;
  info.uuid = manifest->uuid;
  for (const BackupIndex& index : manifest->indices) info.indices.push_back(index.name);
  info.start_time_ms = manifest->start_time_ms;
  info.end_time_ms = manifest->end_time_ms;
  if (auto extra = ReadJsonFile(dir + "/" + kSnapshotInfoFile); extra && extra->is_object()) {
    if (const json::value* g = extra->get_object().if_contains("include_global_state"); g && g->is_bool()) {
      info.include_global_state = g->get_bool();
    }
    if (const json::value* m = extra->get_object().if_contains("metadata"); m && m->is_object()) {
      info.metadata = m->get_object();
    }
  }
  return info;
}

std::vector<SnapshotInfo> SnapshotService::ListSnapshots(const SnapshotRepository& repo) const {
  std::vector<SnapshotInfo> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(repo.path, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name[0] == '.' || !entry.is_directory(ec)) continue;  // partial or deleting
    if (auto info = ReadSnapshot(repo, name)) out.push_back(std::move(*info));
  }
  std::sort(out.begin(), out.end(), [](const SnapshotInfo& a, const SnapshotInfo& b) {
    return a.start_time_ms != b.start_time_ms ? a.start_time_ms < b.start_time_ms : a.name < b.name;
  });
  return out;
}

SnapshotInfo SnapshotService::CreateSnapshot(std::string_view repository, std::string_view snapshot,
                                             const std::vector<std::string>& indices, bool include_global_state,
                                             const json::object& metadata) {
  SnapshotRepository repo = RequireRepository(repository);
  if (std::string why = NameProblem(snapshot); !why.empty()) throw InvalidSnapshotName(repository, snapshot, why);
  std::lock_guard<std::mutex> operation(operation_mu_);
  const std::string final_dir = repo.path + "/" + std::string(snapshot);
  std::error_code ec;
  if (fs::exists(final_dir, ec)) {
    throw InvalidSnapshotName(repository, snapshot, "snapshot with the same name already exists");
  }
  // Written under a hidden name and renamed when whole: listings never see a part of one.
  const std::string partial = repo.path + "/." + std::string(snapshot) + ".partial-" + RandomSuffix();
  BackupOptions options;
  options.indices = indices;
  auto manifest = engine_.Backup(partial, options);
  auto fail = [&](const EsError& e) {
    std::error_code remove_ec;
    fs::remove_all(partial, remove_ec);
    return e;
  };
  if (!manifest.ok()) {
    const Status& s = manifest.status();
    if (s.IsNotFound()) throw fail(FromStatus(s, ErrorScope::kOther));
    throw fail(EsError(500, "snapshot_exception", fmt::format("[{}:{}] {}", repository, snapshot, s.message())));
  }
  json::object extra{{"snapshot", snapshot}, {"include_global_state", include_global_state}};
  if (!metadata.empty()) extra["metadata"] = metadata;
  Status s = security::WriteFileAtomically(partial + "/" + kSnapshotInfoFile, json::serialize(extra), 0644);
  if (!s.ok()) throw fail(FromStatus(s, ErrorScope::kOther));
  fs::rename(partial, final_dir, ec);
  if (ec) {
    throw fail(EsError(500, "snapshot_exception",
                       fmt::format("[{}:{}] cannot move the snapshot into place: {}", repository, snapshot,
                                   ec.message())));
  }
  SyncDirectory(repo.path);
  SnapshotInfo info;
  info.repository = repo.name;
  info.name = std::string(snapshot);
  info.uuid = manifest->uuid;
  for (const BackupIndex& index : manifest->indices) info.indices.push_back(index.name);
  info.include_global_state = include_global_state;
  info.metadata = metadata;
  info.start_time_ms = manifest->start_time_ms;
  info.end_time_ms = manifest->end_time_ms;
  return info;
}

std::vector<SnapshotInfo> SnapshotService::GetSnapshots(std::string_view repository, std::string_view expression,
                                                        bool ignore_unavailable) {
  SnapshotRepository repo = RequireRepository(repository);
  std::vector<std::string> parts = SplitCommaList(expression);
  if (parts.empty()) parts.push_back("_all");
  std::vector<SnapshotInfo> all = ListSnapshots(repo);
  std::vector<SnapshotInfo> out;
  for (const SnapshotInfo& info : all) {
    for (const std::string& p : parts) {
      if (p == "_all" || WildcardMatch(p, info.name)) {
        out.push_back(info);
        break;
      }
    }
  }
  if (!ignore_unavailable) {
    for (const std::string& p : parts) {
      if (IsNamePattern(p) || p == "_current") continue;
      bool found = std::any_of(all.begin(), all.end(), [&](const SnapshotInfo& i) { return i.name == p; });
      if (!found) throw SnapshotMissing(repository, p);
    }
  }
  return out;
}

void SnapshotService::DeleteSnapshots(std::string_view repository, std::string_view expression) {
  std::vector<SnapshotInfo> doomed = GetSnapshots(repository, expression, /*ignore_unavailable=*/false);
  SnapshotRepository repo = RequireRepository(repository);
  std::lock_guard<std::mutex> operation(operation_mu_);
  for (const SnapshotInfo& info : doomed) {
    // Renamed first, so that a crash half-way through the removal leaves no half snapshot listed.
    const std::string doomed_dir = repo.path + "/." + info.name + ".deleting-" + RandomSuffix();
    std::error_code ec;
    fs::rename(repo.path + "/" + info.name, doomed_dir, ec);
    if (ec) {
      throw EsError(500, "snapshot_exception",
                    fmt::format("[{}:{}] cannot delete: {}", repository, info.name, ec.message()));
    }
    fs::remove_all(doomed_dir, ec);
  }
  SyncDirectory(repo.path);
}

RestoreResult SnapshotService::Restore(std::string_view repository, std::string_view snapshot,
                                       const SnapshotRestoreRequest& request) {
  SnapshotRepository repo = RequireRepository(repository);
  auto info = ReadSnapshot(repo, std::string(snapshot));
  if (!info || snapshot.empty() || snapshot[0] == '.') throw SnapshotMissing(repository, snapshot);
  RestoreOptions options;
  options.indices = request.indices;
  options.rename_pattern = request.rename_pattern;
  options.rename_replacement = request.rename_replacement;
  options.include_aliases = request.include_aliases;
  std::lock_guard<std::mutex> operation(operation_mu_);
  auto result = engine_.Restore(repo.path + "/" + std::string(snapshot), options);
  if (result.ok()) return std::move(result.value());
  const Status& s = result.status();
  const std::string prefix = fmt::format("[{}:{}/{}] ", repository, snapshot, info->uuid);
  if (s.IsInvalidArgument() && s.message().rfind("Invalid index name [", 0) == 0) {
    EsError e(400, "invalid_index_name_exception", s.message());
    throw e;
  }
  if (s.IsInvalidArgument()) throw IllegalArgument(s.message());
  throw EsError(500, "snapshot_restore_exception", prefix + s.message());
}

}  // namespace ultrasearch::server
