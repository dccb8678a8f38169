// Small durable-file helpers.
#pragma once

#include <string>

#include "ultrasearch/status.h"

namespace ultrasearch {

// Replaces dir/name with `content` atomically: write a temporary file, fsync, rename, fsync dir.
Status WriteFileAtomically(const std::string& dir, const std::string& name, const std::string& content);

// Reads the whole of `path` into *content. IOError when it cannot be read.
Status ReadWholeFile(const std::string& path, std::string* content);

}  // namespace ultrasearch
