// File helpers of backups: SHA-256 of a file, a copy that hashes what it writes, fsync of files
// and directories, and the files under a directory.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "ultrasearch/status.h"

namespace ultrasearch::backup {

// Called with the bytes just processed (for progress).
using BytesFn = std::function<void(uint64_t bytes)>;

// The lowercase hex SHA-256 of the file at `path`. IOError when it cannot be read.
Result<std::string> Sha256OfFile(const std::string& path, const BytesFn& on_bytes = {});

// Copies `from` to `to` (created; must not exist), fsyncs it, and returns the SHA-256 of the bytes
// written, so a copy is checked against the manifest without reading it back.
Result<std::string> CopyFileWithSha256(const std::string& from, const std::string& to, const BytesFn& on_bytes = {});

// fsync of a file or a directory (a directory's entries: creations and renames in it).
Status SyncPath(const std::string& path);

// Regular files under `root`, as '/'-separated paths relative to it, sorted. Directories are
// walked; anything else (links, sockets) is IOError, as a backup holds none.
Result<std::vector<std::string>> ListFiles(const std::string& root);

}  // namespace ultrasearch::backup
