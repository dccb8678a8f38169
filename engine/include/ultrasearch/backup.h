// Backups of indices: a directory holding each index's catalog as it stood at one sequence number,
// and a manifest that lists every file with its size and SHA-256. Engine::Backup writes one while
// writes go on; Engine::Restore checks it whole before it changes anything.
//
// A backup holds the catalog only (the source of truth): the text index is derived, and restore
// rebuilds it from the catalog with the engine's recovery path, which makes a restored index
// consistent by construction. Layout and manifest: docs/storage-format.md ("Backups").
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ultrasearch/aliases.h"
#include "ultrasearch/status.h"

namespace ultrasearch {

// The manifest's name inside a backup directory. It is written last (fsynced, then renamed into
// place), so a directory without it is an unfinished backup and is refused.
inline constexpr std::string_view kBackupManifestName = "manifest.json";
// The manifest format this build writes and reads.
inline constexpr int kBackupFormatVersion = 1;

struct BackupFile {
  std::string path;  // relative to the backup directory, '/'-separated
  uint64_t size = 0;
  std::string sha256;  // lowercase hex
};

struct BackupIndex {
  std::string name;
  std::string mappings_json;  // as Elasticsearch shows them: {"properties":{...}}
  std::string settings_json;  // the index settings as given at creation (may be empty)
  uint64_t documents = 0;
  // The catalog holds every write with a sequence number up to this one and none after it.
  uint64_t last_sequence = 0;
  std::vector<BackupFile> files;
};

struct BackupManifest {
  int format_version = kBackupFormatVersion;
  std::string uuid;  // 22 characters, unique per backup
  int64_t start_time_ms = 0;  // Unix time, milliseconds
  int64_t end_time_ms = 0;
  std::vector<BackupIndex> indices;  // sorted by name
  std::vector<AliasEntry> aliases;   // the aliases of these indices when the backup was taken

  uint64_t TotalBytes() const;
  const BackupIndex* Find(std::string_view name) const;
};

// Progress of a long step, for a terminal: `stage` is "checkpoint", "checksum", "verify", "copy" or
// "rebuild"; `done` and `total` count bytes (documents for "rebuild") of that stage for `index`.
struct BackupProgress {
  std::string_view stage;
  std::string_view index;
  uint64_t done = 0;
  uint64_t total = 0;
};
using BackupProgressFn = std::function<void(const BackupProgress&)>;

struct BackupOptions {
  // Concrete index names (none: a backup of no index); nullopt: every index of the data directory.
  std::optional<std::vector<std::string>> indices;
  BackupProgressFn progress;  // may be empty; called on the calling thread
};

struct RestoreOptions {
  // Index names of the backup, or '*' patterns over them; empty: all of them. A name not in the
  // backup is NotFound; a pattern may match nothing, but the selection as a whole may not.
  std::vector<std::string> indices;
  // Elasticsearch's rename_pattern / rename_replacement: every match of the pattern (an ECMAScript
  // regular expression, which reads Java's common subset alike) in an index name is replaced,
  // with $1... naming groups. Empty pattern: no renaming.
  std::string rename_pattern;
  std::string rename_replacement;
  // The restored name when exactly one index is selected (the CLI's --rename-to); wins over the
  // pattern. Empty: none.
  std::string rename_to;
  // Replace an index of the same name (deleted at the switch). Otherwise such a target is Conflict.
  bool replace_existing = false;
  // Restore the aliases the backup recorded for the selected indices, pointing at the restored ones.
  bool include_aliases = true;
  BackupProgressFn progress;
};

struct RestoredIndex {
  std::string backup_name;  // the name in the backup
  std::string name;         // the name it was restored under
  uint64_t documents = 0;
  uint64_t last_sequence = 0;
};

struct RestoreResult {
  std::vector<RestoredIndex> indices;
  std::vector<AliasEntry> aliases;  // the aliases added
};

// Reads and checks the manifest of the backup in `dir` (not the files it lists). NotFound when
// there is none (not a backup, or an unfinished one); Corruption when it does not parse, has an
// unknown format version or names a file outside the backup. Thread-safe; touches nothing.
Result<BackupManifest> ReadBackupManifest(std::string_view dir);

// Checks that every file of the named indices (all when empty) is in `dir` with the size and
// SHA-256 the manifest gives. Corruption naming the first file that differs or is missing.
Status VerifyBackup(std::string_view dir, const BackupManifest& manifest, const std::vector<std::string>& indices = {},
                    const BackupProgressFn& progress = {});

}  // namespace ultrasearch
