// Reads NDJSON lines from a file, a gzip file (detected by content, not name) or stdin ("-").
#pragma once

#include <zlib.h>

#include <string>

#include "ultrasearch/status.h"

namespace ultrasearch::cli {

class LineReader {
 public:
  LineReader() = default;
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  Status Open(const std::string& path);
  // Next line without its newline; false at end of input or on a read error (see status()).
  bool Next(std::string* line);
  const Status& status() const { return status_; }
  uint64_t bytes_read() const { return bytes_; }

 private:
  gzFile file_ = nullptr;
  std::string path_;
  Status status_;
  uint64_t bytes_ = 0;
  std::string buffer_;
  size_t pos_ = 0;
  bool eof_ = false;
};

}  // namespace ultrasearch::cli
