#include "security/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace ultrasearch::server::security {
namespace {

Status Errno(const std::string& what, int err) {
  std::string msg = what + ": " + std::strerror(err);
  return err == ENOSPC || err == EDQUOT ? Status::NoSpace(msg) : Status::IOError(msg);
}

Status SyncDirectory(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Errno("cannot open directory " + dir, errno);
  int rc = ::fsync(fd);
  int err = errno;
  ::close(fd);
  return rc == 0 ? Status::OK() : Errno("cannot sync directory " + dir, err);
}

}  // namespace

Status EnsurePrivateDirectory(const std::string& dir) {
  if (::mkdir(dir.c_str(), 0700) == 0) {
    return SyncDirectory(std::filesystem::path(dir).parent_path().string());
  }
  if (errno == EEXIST) return Status::OK();
  return Errno("cannot create directory " + dir, errno);
}

Status WriteFileAtomically(const std::string& path, std::string_view content, mode_t mode) {
  std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return Errno("cannot create " + tmp, errno);
  std::size_t done = 0;
  while (done < content.size()) {
    ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      return Errno("cannot write " + tmp, err);
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) {
    int err = errno;
    ::close(fd);
    ::unlink(tmp.c_str());
    return Errno("cannot sync " + tmp, err);
  }
  ::close(fd);
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    return Errno("cannot rename " + tmp, err);
  }
  return SyncDirectory(std::filesystem::path(path).parent_path().string());
}

}  // namespace ultrasearch::server::security
