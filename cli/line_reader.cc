#include "line_reader.h"

#include <unistd.h>

namespace ultrasearch::cli {

LineReader::~LineReader() {
  if (file_ != nullptr) gzclose(file_);
}

Status LineReader::Open(const std::string& path) {
  path_ = path;
  // zlib reads plain files transparently, so one path handles .ndjson and .ndjson.gz alike.
  file_ = path == "-" ? gzdopen(dup(STDIN_FILENO), "rb") : gzopen(path.c_str(), "rb");
  if (file_ == nullptr) return Status::IOError("cannot open " + path);
  gzbuffer(file_, 1 << 17);
  return Status::OK();
}

bool LineReader::Next(std::string* line) {
  line->clear();
  for (;;) {
    size_t newline = buffer_.find('\n', pos_);
    if (newline != std::string::npos) {
      line->append(buffer_, pos_, newline - pos_);
      pos_ = newline + 1;
      return true;
    }
    line->append(buffer_, pos_, std::string::npos);
    buffer_.clear();
    pos_ = 0;
    if (eof_) return !line->empty();
    buffer_.resize(1 << 16);
    int n = gzread(file_, buffer_.data(), static_cast<unsigned>(buffer_.size()));
    if (n < 0) {
      int err = 0;
      status_ = Status::IOError("reading " + path_ + ": " + gzerror(file_, &err));
      buffer_.clear();
      return false;
    }
    buffer_.resize(static_cast<size_t>(n));
    bytes_ += static_cast<uint64_t>(n);
    if (n == 0) eof_ = true;
  }
}

}  // namespace ultrasearch::cli
