// Replacing a small file so that a crash leaves either the old or the new content, never a torn
// one: write a temporary file, fsync it, rename it over the target, fsync the directory.
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>

#include "ultrasearch/status.h"

namespace ultrasearch::server::security {

// Creates `dir` (mode 0700) when missing. IOError with the system's reason otherwise.
Status EnsurePrivateDirectory(const std::string& dir);

// Atomically replaces `path` with `content`, created with `mode` (e.g. 0600). IOError (NoSpace
// when the disk is full) on failure; the old file is then untouched and the temporary removed.
Status WriteFileAtomically(const std::string& path, std::string_view content, mode_t mode);

}  // namespace ultrasearch::server::security
