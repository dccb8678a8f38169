// Elasticsearch's snapshot repositories of type `fs` over the engine's backups. A repository is a
// directory (its `location`, absolute or relative to the data directory); a snapshot is a backup
// directory inside it (ultrasearch/backup.h) named after the snapshot, plus snapshot.json with
// what Elasticsearch reports and the backup lacks. Repositories are persisted in
// DATA/snapshot_repositories.json. Methods throw EsError with Elasticsearch's types and statuses.
//
// Thread-safe. Creating, deleting and restoring snapshots run one at a time; listings read the
// directories without waiting (a snapshot being written is in a hidden directory until whole).
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ultrasearch/engine.h"

namespace ultrasearch::server {

struct SnapshotRepository {
  std::string name;
  std::string type;              // "fs"
  boost::json::object settings;  // as given; settings.location is the directory
  std::string path;              // the location resolved against the data directory
};

struct SnapshotInfo {
  std::string repository;
  std::string name;
  std::string uuid;
  std::vector<std::string> indices;
  bool include_global_state = true;
  boost::json::object metadata;  // the request's `metadata`, if any
  int64_t start_time_ms = 0;
  int64_t end_time_ms = 0;
};

struct SnapshotRestoreRequest {
  std::vector<std::string> indices;  // names or '*' patterns; empty: all of the snapshot's
  std::string rename_pattern;
  std::string rename_replacement;
  bool include_aliases = true;
};

class SnapshotService {
 public:
  explicit SnapshotService(Engine& engine) : engine_(engine) {}

  // Registers (or replaces) a repository from the body of PUT /_snapshot/NAME and creates its
  // directory. action_request_validation_exception (no type), repository_exception (unknown type,
  // no or unusable location).
  void PutRepository(std::string_view name, const boost::json::value& body);
  // The repositories `expression` names (comma list, '*' patterns, "_all" or empty: all).
  // repository_missing_exception for a name that is not registered.
  std::vector<SnapshotRepository> GetRepositories(std::string_view expression);
  // Unregisters a repository; its files stay. repository_missing_exception.
  void DeleteRepository(std::string_view name);

  // Backs up `indices` (concrete names; empty: every index) as snapshot `snapshot`.
  // invalid_snapshot_name_exception (bad or taken name), repository_missing_exception.
  SnapshotInfo CreateSnapshot(std::string_view repository, std::string_view snapshot,
                              const std::vector<std::string>& indices, bool include_global_state,
                              const boost::json::object& metadata);
  // The snapshots `expression` names (comma list, '*' patterns, "_all"), oldest first;
  // snapshot_missing_exception for a concrete name that is not there unless ignore_unavailable.
  std::vector<SnapshotInfo> GetSnapshots(std::string_view repository, std::string_view expression,
                                         bool ignore_unavailable);
  // Deletes the snapshots `expression` names. snapshot_missing_exception.
  void DeleteSnapshots(std::string_view repository, std::string_view expression);
  // Restores from a snapshot; the restored indices' names. snapshot_restore_exception (500) when an
  // index exists or the snapshot is damaged, as Elasticsearch answers.
  RestoreResult Restore(std::string_view repository, std::string_view snapshot,
                        const SnapshotRestoreRequest& request);

 private:
  SnapshotRepository RequireRepository(std::string_view name);  // locks mu_
  void LoadLocked();                                             // requires mu_
  void StoreLocked();                                            // requires mu_
  std::optional<SnapshotInfo> ReadSnapshot(const SnapshotRepository& repo, const std::string& name) const;
  std::vector<SnapshotInfo> ListSnapshots(const SnapshotRepository& repo) const;

  Engine& engine_;
  std::mutex mu_;
  bool loaded_ = false;                                    // guarded by mu_
  std::map<std::string, SnapshotRepository, std::less<>> repositories_;  // guarded by mu_
  std::mutex operation_mu_;  // one create, delete or restore at a time
};

}  // namespace ultrasearch::server
