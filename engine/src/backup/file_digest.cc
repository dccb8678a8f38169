#include "backup/file_digest.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>

namespace fs = std::filesystem;

namespace ultrasearch::backup {
namespace {

constexpr size_t kChunkBytes = 1 << 20;

Status ErrnoError(const std::string& what, const std::string& path) {
  return Status::IOError(what + " " + path + ": " + std::strerror(errno));
}

// A file descriptor closed on scope exit.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  // Closes now, reporting the error a deferred write may surface only here.
  bool Close() {
    int fd = fd_;
    fd_ = -1;
    return ::close(fd) == 0;
  }

 private:
  int fd_;
};

struct DigestDeleter {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};
using Digest = std::unique_ptr<EVP_MD_CTX, DigestDeleter>;

Result<Digest> NewSha256() {
  Digest ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) {
    return Status::Internal("cannot start a SHA-256 digest");
  }
  return ctx;
}

Result<std::string> FinishHex(EVP_MD_CTX* ctx) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(ctx, digest, &length) != 1) return Status::Internal("cannot finish a SHA-256 digest");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    hex.push_back(kHex[digest[i] >> 4]);
    hex.push_back(kHex[digest[i] & 0xf]);
  }
  return hex;
}

// read() that retries on EINTR; -1 on error.
ssize_t ReadSome(int fd, char* buffer, size_t size) {
  for (;;) {
    ssize_t n = ::read(fd, buffer, size);
    if (n >= 0 || errno != EINTR) return n;
  }
}

bool WriteAll(int fd, const char* data, size_t size) {
  while (size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

}  // namespace

Result<std::string> Sha256OfFile(const std::string& path, const BytesFn& on_bytes) {
  Fd in(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (in.get() < 0) return ErrnoError("cannot open", path);
  auto ctx = NewSha256();
  if (!ctx.ok()) return ctx.status();
  std::unique_ptr<char[]> buffer(new char[kChunkBytes]);
  for (;;) {
    ssize_t n = ReadSome(in.get(), buffer.get(), kChunkBytes);
    if (n < 0) return ErrnoError("cannot read", path);
    if (n == 0) break;
    EVP_DigestUpdate(ctx->get(), buffer.get(), static_cast<size_t>(n));
    if (on_bytes) on_bytes(static_cast<uint64_t>(n));
  }
  return FinishHex(ctx->get());
}

Result<std::string> CopyFileWithSha256(const std::string& from, const std::string& to, const BytesFn& on_bytes) {
  Fd in(::open(from.c_str(), O_RDONLY | O_CLOEXEC));
  if (in.get() < 0) return ErrnoError("cannot open", from);
  Fd out(::open(to.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
  if (out.get() < 0) return ErrnoError("cannot create", to);
  auto ctx = NewSha256();
  if (!ctx.ok()) return ctx.status();
  std::unique_ptr<char[]> buffer(new char[kChunkBytes]);
  for (;;) {
    ssize_t n = ReadSome(in.get(), buffer.get(), kChunkBytes);
    if (n < 0) return ErrnoError("cannot read", from);
    if (n == 0) break;
    if (!WriteAll(out.get(), buffer.get(), static_cast<size_t>(n))) return ErrnoError("cannot write", to);
    EVP_DigestUpdate(ctx->get(), buffer.get(), static_cast<size_t>(n));
    if (on_bytes) on_bytes(static_cast<uint64_t>(n));
  }
  if (::fsync(out.get()) != 0 || !out.Close()) return ErrnoError("cannot write", to);
  return FinishHex(ctx->get());
}

Status SyncPath(const std::string& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return ErrnoError("cannot open", path);
  if (::fsync(fd.get()) != 0) return ErrnoError("cannot fsync", path);
  return Status::OK();
}

Result<std::vector<std::string>> ListFiles(const std::string& root) {
  std::vector<std::string> files;
  std::error_code ec;
  auto it = fs::recursive_directory_iterator(root, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    std::error_code type_ec;
    const auto status = it->symlink_status(type_ec);
    if (type_ec) return Status::IOError("cannot inspect " + it->path().string() + ": " + type_ec.message());
    if (fs::is_directory(status)) continue;
    if (!fs::is_regular_file(status)) return Status::IOError(it->path().string() + " is not a regular file");
    files.push_back(it->path().lexically_relative(root).generic_string());
  }
  if (ec) return Status::IOError("cannot list " + root + ": " + ec.message());
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace ultrasearch::backup
