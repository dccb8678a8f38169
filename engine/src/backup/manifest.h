// The manifest of a backup (ultrasearch/backup.h) as JSON, and its checks. The layout is in
// docs/storage-format.md ("Backups"):
//   {"format":"ultrasearch-backup","format_version":1,"uuid":"...","start_time_ms":N,"end_time_ms":N,
//    "indices":[{"name":"products","mappings":{...},"settings":{...},"documents":N,"last_sequence":N,
//                "files":[{"path":"indices/products/catalog/000012.sst","size":N,"sha256":"hex"}]}],
//    "aliases":[{"alias":"shop","index":"products","is_write_index":true}]}
// A file path is relative to the backup directory and lies under indices/NAME/ of its index.
#pragma once

#include <string>
#include <string_view>

#include "ultrasearch/backup.h"

namespace ultrasearch::backup {

inline constexpr std::string_view kManifestFormat = "ultrasearch-backup";

std::string EncodeManifest(const BackupManifest& manifest);
// Corruption when `json` is not a manifest this build reads.
Result<BackupManifest> DecodeManifest(std::string_view json);

// 22 characters of base64url over 16 random bytes, as Elasticsearch's snapshot uuids look.
std::string NewBackupUuid();

}  // namespace ultrasearch::backup
