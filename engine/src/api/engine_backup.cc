// Engine::Backup: a checkpoint of each index's catalog, then a manifest of every file with its
// size and SHA-256, written last. Only the catalog is backed up: the text index is derived from
// it, and restore rebuilds it (engine_restore.cc), so a backup is consistent by construction at
// the checkpoint's sequence number without stopping the writer. See docs/storage-format.md.
#include <chrono>
#include <filesystem>

#include "api/engine_impl.h"
#include "backup/file_digest.h"
#include "backup/manifest.h"
#include "common/api_guard.h"
#include "common/coding.h"
#include "mapping/mapping_codec.h"
#include "mapping/mapping_json.h"

namespace fs = std::filesystem;

namespace ultrasearch {
namespace {

int64_t NowMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Result<uint64_t> ReadFixedMeta(const CatalogStore& catalog, std::string_view key) {
  auto value = catalog.GetMeta(key);
  if (!value.ok()) return value.status();
  if (!value->has_value()) return uint64_t{0};
  std::string_view v = **value;
  auto decoded = coding::GetFixedBE<uint64_t>(&v);
  if (!decoded) return Status::Corruption("catalog meta [" + std::string(key) + "] is damaged");
  return *decoded;
}

// What the checkpoint in `catalog_dir` holds, read from the checkpoint itself: the state the
// backup restores, whatever the live index has done since.
Status DescribeCheckpoint(const std::string& catalog_dir, BackupIndex* index) {
  auto catalog = CatalogStore::OpenReadOnly(catalog_dir);
  if (!catalog.ok()) return catalog.status();
  auto last_seq = ReadFixedMeta(**catalog, kMetaLastSeq);
  if (!last_seq.ok()) return last_seq.status();
  auto documents = ReadFixedMeta(**catalog, kMetaDocCount);
  if (!documents.ok()) return documents.status();
  index->last_sequence = *last_seq;
  index->documents = *documents;
  auto mapping = (*catalog)->GetMeta(kMetaMapping);
  if (!mapping.ok()) return mapping.status();
  if (mapping->has_value()) {
    auto decoded = DecodeMapping(**mapping);
    if (!decoded.ok()) return decoded.status();
    index->mappings_json = MappingToJson(*decoded);
  }
  auto settings = (*catalog)->GetMeta(kMetaSettings);
  if (!settings.ok()) return settings.status();
  if (settings->has_value()) index->settings_json = **settings;
  return Status::OK();
}

// Lists, sizes, hashes and fsyncs the files of one index's backup directory.
Status RecordFiles(const std::string& dest, const std::string& index_rel, const BackupProgressFn& progress,
                   BackupIndex* index) {
  const std::string index_dir = dest + "/" + index_rel;
  auto files = backup::ListFiles(index_dir);
  if (!files.ok()) return files.status();
  uint64_t total = 0, done = 0;
  for (const std::string& rel : *files) {
    std::error_code ec;
    uint64_t size = fs::file_size(index_dir + "/" + rel, ec);
    if (ec) return Status::IOError("cannot stat " + index_dir + "/" + rel + ": " + ec.message());
    index->files.push_back({index_rel + "/" + rel, size, ""});
    total += size;
  }
  for (BackupFile& file : index->files) {
    const std::string path = dest + "/" + file.path;
    auto sha = backup::Sha256OfFile(path, [&](uint64_t bytes) {
      done += bytes;
      if (progress) progress({"checksum", index->name, done, total});
    });
    if (!sha.ok()) return sha.status();
    file.sha256 = std::move(sha.value());
    // Copied files (another filesystem) may still be in the page cache; linked ones are durable.
    if (Status s = backup::SyncPath(path); !s.ok()) return s;
  }
  for (const std::string& dir : {index_dir + "/catalog", index_dir, dest + "/indices"}) {
    if (Status s = backup::SyncPath(dir); !s.ok()) return s;
  }
  return Status::OK();
}

}  // namespace

Result<BackupManifest> Engine::Backup(std::string_view dest_dir, const BackupOptions& options) {
  return GuardApi("backing up", [&]() -> Result<BackupManifest> {
    const std::string dest(dest_dir);
    if (dest.empty()) return Status::InvalidArgument("the backup destination must not be empty");
    std::vector<std::string> names = options.indices ? *options.indices : ListIndices();
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    // Every index is found before anything is written.
    std::vector<std::shared_ptr<Index>> handles;
    for (const std::string& name : names) {
      auto index = GetIndex(name);
      if (!index.ok()) return index.status();
      handles.push_back(std::move(index.value()));
    }

    std::error_code ec;
    bool created = false;
    if (fs::exists(dest, ec)) {
      if (!fs::is_directory(dest, ec) || !fs::is_empty(dest, ec)) {
        return Status::Conflict("backup destination " + dest + " exists and is not an empty directory");
      }
    } else {
      fs::create_directories(dest, ec);
      if (ec) return Status::IOError("cannot create " + dest + ": " + ec.message());
      created = true;
    }
    // A failed backup leaves no files behind (and never a manifest).
    auto discard = [&](Status failure) {
      std::error_code remove_ec;
      fs::remove_all(dest + "/indices", remove_ec);
      fs::remove(dest + "/" + std::string(kBackupManifestName) + ".tmp", remove_ec);
      if (created) fs::remove(dest, remove_ec);
      return failure;
    };

    BackupManifest manifest;
    manifest.uuid = backup::NewBackupUuid();
    manifest.start_time_ms = NowMillis();
    for (size_t i = 0; i < names.size(); ++i) {
      BackupIndex info;
      info.name = names[i];
      const std::string index_rel = "indices/" + names[i];
      fs::create_directories(dest + "/" + index_rel, ec);
      if (ec) return discard(Status::IOError("cannot create " + dest + "/" + index_rel + ": " + ec.message()));
      if (options.progress) options.progress({"checkpoint", names[i], 0, 1});
      const std::string catalog_dir = dest + "/" + index_rel + "/catalog";
      Status s = handles[i]->impl_->CheckpointCatalog(catalog_dir);
      if (s.ok()) s = DescribeCheckpoint(catalog_dir, &info);
      if (s.ok()) s = RecordFiles(dest, index_rel, options.progress, &info);
      if (!s.ok()) return discard(s);
      if (options.progress) options.progress({"checkpoint", names[i], 1, 1});
      manifest.indices.push_back(std::move(info));
    }
    for (AliasEntry& entry : ListAliases()) {
      if (std::binary_search(names.begin(), names.end(), entry.index)) manifest.aliases.push_back(std::move(entry));
    }
    manifest.end_time_ms = NowMillis();
    // Last, durably and atomically: the manifest is what makes the directory a backup.
    if (Status s = WriteFileAtomically(dest, std::string(kBackupManifestName), backup::EncodeManifest(manifest));
        !s.ok()) {
      return discard(s);
    }
    return manifest;
  });
}

}  // namespace ultrasearch
