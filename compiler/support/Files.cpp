// Files: see Files.h.
#include "support/Files.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>

namespace mesh {
namespace {

std::atomic<unsigned long> temporaryCounter{0};
constexpr std::string_view kTemporaryTag = ".meshc-";

}  // namespace

ssize_t readFully(int fd, char* buffer, size_t size) {
  size_t at = 0;
  while (at < size) {
    ssize_t n = ::read(fd, buffer + at, size - at);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return -1;
    if (n == 0) break;
    at += static_cast<size_t>(n);
  }
  return static_cast<ssize_t>(at);
}

bool isTemporaryName(std::string_view name) {
  return name.size() > 4 && name.front() == '.' && name.substr(name.size() - 4) == ".tmp" &&
         name.find(kTemporaryTag) != std::string_view::npos;
}

int replaceFileAt(int dir, const std::string& path, std::string_view content, mode_t mode) {
  size_t slash = path.rfind('/');
  std::string parent = slash == std::string::npos ? "" : path.substr(0, slash + 1);
  std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  std::string temporary;
  int fd = -1;
  do {
    temporary =
        fmt::format("{}.{}{}{}-{}.tmp", parent, name.substr(0, 100), kTemporaryTag, ::getpid(), temporaryCounter++);
    fd = ::openat(dir, temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
  } while (fd < 0 && errno == EEXIST);
  if (fd < 0) return errno;
  int error = 0;
  for (size_t at = 0; at < content.size() && !error;) {
    ssize_t n = ::write(fd, content.data() + at, content.size() - at);
    if (n < 0 && errno != EINTR) error = errno;
    if (n > 0) at += static_cast<size_t>(n);
  }
  if (::close(fd) != 0 && !error) error = errno;  // NFS reports some write errors here
  if (!error && ::renameat(dir, temporary.c_str(), dir, path.c_str()) != 0) error = errno;
  if (error) ::unlinkat(dir, temporary.c_str(), 0);
  return error;
}

}  // namespace mesh
