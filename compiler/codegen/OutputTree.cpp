// OutputTree: writing, comparing and cleaning OUT (docs/hardening.md,
// "Hardening II: the output directory"). OUT itself is followed when it is a
// link (the user named it); below it, nothing is ever opened, written,
// renamed or removed through a symbolic link: every directory is opened
// relative to its parent with O_NOFOLLOW, every file is written to a unique
// temporary beside it (O_CREAT | O_EXCL | O_NOFOLLOW) and renamed over, and
// paths are compared as text, never resolved.
#include "codegen/OutputTree.h"

#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <iterator>
#include <map>
#include <utility>

#include "support/Digest.h"
#include "support/Files.h"
#include "support/HoldSignals.h"
#include "support/Parallel.h"

namespace mesh::codegen {
namespace {
namespace fs = std::filesystem;

// An owned file descriptor.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd& operator=(Fd&& other) noexcept {
    std::swap(fd_, other.fd_);
    return *this;
  }
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }
  explicit operator bool() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

// What a generated path (`cpp/sales/orders.mesh.h`) splits into; empty when
// it is not a plain relative path (no "", "." or ".." component).
std::vector<std::string_view> components(std::string_view rel) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (start <= rel.size()) {
    size_t end = std::min(rel.find('/', start), rel.size());
    std::string_view part = rel.substr(start, end - start);
    if (part.empty() || part == "." || part == ".." || part.find('\0') != std::string_view::npos) return {};
    out.push_back(part);
    start = end + 1;
  }
  return out;
}

// OUT, opened once; every path below it is reached from this descriptor.
class OutDir {
 public:
  OutDir(std::string path, OutputFailure& failure) : path_(std::move(path)), failure_(failure) {}

  // Opens OUT, creating it (and its parents) when `create`. False when it
  // does not exist (and !create) or cannot be opened (failure set).
  bool open(bool create) {
    std::error_code ec;
    if (create) fs::create_directories(path_, ec);  // a concurrent build may create it too: checked by the open
    root_ = Fd(::open(path_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (root_) return true;
    if (errno == ENOENT && !create) return false;
    return fail(fmt::format("cannot open the output directory '{}': {}", path_, std::strerror(errno)));
  }

  // The directory of the components [0, count) of `parts`, opened without
  // following a link, created when `create`. An invalid Fd when it is
  // missing (and !create) or when something is in the way (failure set).
  Fd dir(const std::vector<std::string_view>& parts, size_t count, bool create) {
    Fd current(::dup(root_.get()));
    for (size_t i = 0; i < count && current; ++i) {
      std::string name(parts[i]);
      int fd = ::openat(current.get(), name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (fd < 0 && errno == ENOENT && create) {
        if (::mkdirat(current.get(), name.c_str(), 0777) != 0 && errno != EEXIST) {
          fail(fmt::format("cannot create '{}': {}", display(parts, i + 1), std::strerror(errno)));
          return Fd();
        }
        fd = ::openat(current.get(), name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      }
      if (fd < 0) {
        if (errno != ENOENT)
          inTheWay(current.get(), name, display(parts, i + 1), "a directory");
        else if (create)
          fail(fmt::format("cannot create '{}': {}", display(parts, i + 1), std::strerror(errno)));
        return Fd();
      }
      current = Fd(fd);
    }
    return current;
  }

  // Explains why `name` in `parent` could not be opened as `expected`.
  bool inTheWay(int parent, const std::string& name, const std::string& shown, const char* expected) {
    struct stat st = {};
    int saved = errno;
    if (::fstatat(parent, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode)) {
      failure_.inTheWay = true;
      return fail(
          fmt::format("'{}' is a symbolic link where meshc writes {}; meshc does not follow links inside "
                      "the output directory: remove it",
                      shown, expected));
    }
    if (saved == ENOTDIR || saved == ELOOP || saved == EISDIR || saved == ENXIO) {
      failure_.inTheWay = true;
      return fail(fmt::format("'{}' is in the way: meshc writes {} there: remove it", shown, expected));
    }
    return fail(fmt::format("cannot open '{}': {}", shown, std::strerror(saved)));
  }

  std::string display(const std::vector<std::string_view>& parts, size_t count) const {
    std::string out = path_;
    for (size_t i = 0; i < count; ++i) out += (out.empty() || out.back() == '/' ? "" : "/") + std::string(parts[i]);
    return out;
  }
  std::string display(std::string_view rel) const {
    return path_.empty() || path_.back() == '/' ? path_ + std::string(rel) : path_ + "/" + std::string(rel);
  }

  bool fail(std::string message) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (failure_.message.empty()) failure_.message = std::move(message);
    return false;
  }
  bool failed() {
    std::lock_guard<std::mutex> lock(mutex_);
    return !failure_.message.empty();
  }

 private:
  std::string path_;
  OutputFailure& failure_;
  std::mutex mutex_;
  Fd root_;
};

enum class Existing { Missing, Different, Same, Failed };

// Opens `name` in `dir` for reading without following a link or blocking
// on a FIFO; only a regular file is kept. Missing when there is none, Failed
// (errno set) when something else is there.
Existing openRegular(int dir, const std::string& name, Fd& file) {
  file = Fd(::openat(dir, name.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
  if (!file) return errno == ENOENT ? Existing::Missing : Existing::Failed;
  struct stat st = {};
  if (::fstat(file.get(), &st) != 0 || !S_ISREG(st.st_mode)) {
    errno = S_ISDIR(st.st_mode) ? EISDIR : ENXIO;
    return Existing::Failed;
  }
  return Existing::Same;
}

// What `name` in `dir` holds compared with `content` (or, in a tree of
// digests, with the file whose SHA-256 `content` is). Sizes first, so a
// changed file of another length is not read; then a block at a time.
Existing compareFile(OutDir& out, int dir, const std::string& name, const std::string& shown, std::string_view content,
                     bool digest) {
  Fd file;
  Existing opened = openRegular(dir, name, file);
  if (opened == Existing::Failed) out.inTheWay(dir, name, shown, "a file");
  if (opened != Existing::Same) return opened;
  struct stat st = {};
  if (::fstat(file.get(), &st) != 0 || (!digest && static_cast<size_t>(st.st_size) != content.size()))
    return Existing::Different;
  if (digest) {
    std::string bytes(static_cast<size_t>(st.st_size), '\0');
    bool whole = readFully(file.get(), bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size());
    return whole && sha256Hex(bytes) == content ? Existing::Same : Existing::Different;
  }
  static thread_local char block[1 << 16];
  for (size_t at = 0; at < content.size();) {
    size_t n = std::min(sizeof block, content.size() - at);
    if (readFully(file.get(), block, n) != static_cast<ssize_t>(n) || std::memcmp(block, content.data() + at, n) != 0)
      return Existing::Different;
    at += n;
  }
  return Existing::Same;
}

// Writes `content` to `name` in `dir` through a fresh temporary. On any
// failure the temporary is removed.
bool replaceFile(OutDir& out, int dir, const std::string& name, const std::string& shown, std::string_view content) {
  int error = replaceFileAt(dir, name, content);
  if (!error) return true;
  if (error == EISDIR || error == ENOTEMPTY || error == EEXIST) {
    errno = EISDIR;
    return out.inTheWay(dir, name, shown, "a file");
  }
  return out.fail(fmt::format("cannot write '{}': {}", shown, std::strerror(error)));
}

// A file meshc wrote carries its stamp line ("Generated by meshc VERSION.
// DO NOT EDIT.", GeneratorContext::stamp) at the exact place each target
// puts it: the first line after `// ` or `# ` (C++, CMake), the third after
// `<!DOCTYPE html>` and `<!--` (HTML), the second after `/*` (CSS), or the
// value of `"$comment"` in one of the first lines of a JSON object.
bool isStampText(std::string_view text) {
  constexpr std::string_view head = "Generated by meshc ", tail = ". DO NOT EDIT.";
  if (text.size() <= head.size() + tail.size() || text.substr(0, head.size()) != head ||
      text.substr(text.size() - tail.size()) != tail)
    return false;
  std::string_view version = text.substr(head.size(), text.size() - head.size() - tail.size());
  return version.find_first_of(" \t\"\\") == std::string_view::npos;
}

bool carriesStamp(std::string_view head) {
  std::vector<std::string_view> lines;
  for (size_t at = 0; lines.size() < 5;) {
    size_t end = head.find('\n', at);
    if (end == std::string_view::npos) break;
    lines.push_back(head.substr(at, end - at));
    at = end + 1;
  }
  auto stampAfter = [&](size_t i, std::string_view prefix) {
    return i < lines.size() && lines[i].substr(0, prefix.size()) == prefix &&
           isStampText(lines[i].substr(prefix.size()));
  };
  if (stampAfter(0, "// ") || stampAfter(0, "# ")) return true;
  if (lines.size() > 2 && lines[0] == "<!DOCTYPE html>" && lines[1] == "<!--" && stampAfter(2, "  ")) return true;
  if (lines.size() > 1 && lines[0] == "/*" && stampAfter(1, " ")) return true;
  if (lines.empty() || lines[0] != "{") return false;
  constexpr std::string_view key = "  \"$comment\": \"";
  for (size_t i = 1; i < lines.size(); ++i) {
    std::string_view line = lines[i];
    if (line.substr(0, key.size()) != key) continue;
    line.remove_prefix(key.size());
    size_t end = line.find("\\n");
    if (end == std::string_view::npos) end = line.rfind('"');
    return end != std::string_view::npos && isStampText(line.substr(0, end));
  }
  return false;
}

// Is `name` in `dir`, a regular file (not followed if a link), one meshc
// wrote and no build wants any more? Stale temporaries (left by a build
// killed with SIGKILL: an hour old) count; a running build's do not.
bool isExtra(int dir, const std::string& name) {
  if (isTemporaryName(name)) {
    struct stat st = {};
    return ::fstatat(dir, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode) &&
           st.st_mtime + 3600 < std::time(nullptr);
  }
  Fd file;
  if (openRegular(dir, name, file) != Existing::Same) return false;
  char head[1024];
  ssize_t n = readFully(file.get(), head, sizeof head);
  return n > 0 && carriesStamp(std::string_view(head, static_cast<size_t>(n)));
}

// Walks the directory `dir` (at `rel`, "cpp/sales") without following links
// and calls onExtra(dir, name, rel path) for each extra file.
using ExtraVisitor = std::function<void(int dir, const std::string& name, const std::string& rel)>;

void walkExtras(OutDir& out, Fd dir, const std::string& rel, const OutputTree& tree, const ExtraVisitor& onExtra) {
  DIR* stream = ::fdopendir(::dup(dir.get()));
  if (!stream) return;
  std::vector<std::pair<std::string, bool>> entries;  // name, is a directory
  while (dirent* entry = ::readdir(stream)) {
    std::string name = entry->d_name;
    if (name == "." || name == "..") continue;
    bool isDir = entry->d_type == DT_DIR;
    if (entry->d_type == DT_UNKNOWN) {
      struct stat st = {};
      isDir = ::fstatat(dir.get(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode);
    }
    entries.emplace_back(std::move(name), isDir);
  }
  ::closedir(stream);
  for (const auto& [name, isDir] : entries) {
    std::string path = rel + "/" + name;
    if (isDir) {
      Fd sub(::openat(dir.get(), name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
      if (sub) walkExtras(out, std::move(sub), path, tree, onExtra);
    } else if (!tree.files().count(path) && isExtra(dir.get(), name)) {
      onExtra(dir.get(), name, path);
    }
  }
}

// Every extra file under OUT/<target>/ for the given targets. False when a
// target directory is a link (or not a directory).
bool forEachExtra(OutDir& out, const OutputTree& tree, const std::vector<std::string>& targetNames,
                  const ExtraVisitor& onExtra) {
  for (const auto& target : targetNames) {
    std::vector<std::string_view> parts = {target};
    Fd dir = out.dir(parts, 1, false);
    if (out.failed()) return false;
    if (dir) walkExtras(out, std::move(dir), target, tree, onExtra);
  }
  return true;
}

std::vector<std::pair<const std::string*, const std::string*>> entries(const OutputTree& tree) {
  std::vector<std::pair<const std::string*, const std::string*>> out;
  out.reserve(tree.files().size());
  for (const auto& [rel, content] : tree.files()) out.emplace_back(&rel, &content);
  return out;
}

// The generated paths, split, and their directories, each opened once on
// the calling thread (created when `create`), so a link or a file in the
// way is reported before any file is touched. The directories stay open for
// the workers while they fit in a share of the descriptor limit; beyond
// that (thousands of packages) each worker opens its file's again.
class TreeDirs {
 public:
  // False (failure set) when a path is not a plain relative path, which
  // would leave OUT, or a directory cannot be opened or created.
  bool open(const OutputTree& tree, OutDir& out, bool create) {
    for (const auto& [rel, content] : tree.files()) {
      split_.push_back(components(rel));
      if (split_.back().empty())
        return out.fail(fmt::format("internal error: the generated path '{}' is not inside the output directory", rel));
    }
    std::map<std::vector<std::string_view>, size_t> dirs;
    for (const auto& parts : split_) dirs.emplace(std::vector<std::string_view>(parts.begin(), parts.end() - 1), 0);
    struct rlimit limit = {};
    keep_ = ::getrlimit(RLIMIT_NOFILE, &limit) == 0 && dirs.size() < limit.rlim_cur / 4;
    for (auto& [parts, index] : dirs) {
      Fd fd = out.dir(parts, parts.size(), create);
      if (out.failed()) return false;
      index = fds_.size();
      fds_.push_back(keep_ ? std::move(fd) : Fd());
    }
    for (const auto& parts : split_) index_.push_back(dirs.at({parts.begin(), parts.end() - 1}));
    return true;
  }
  // The name of file i in its directory.
  std::string name(size_t i) const { return std::string(split_[i].back()); }
  // The directory of file i, kept open or opened into `walked`; -1 when it
  // is missing.
  int dir(OutDir& out, size_t i, Fd& walked) const {
    if (keep_) return fds_[index_[i]].get();
    walked = out.dir(split_[i], split_[i].size() - 1, false);
    return walked.get();
  }

 private:
  std::vector<std::vector<std::string_view>> split_;
  std::vector<Fd> fds_;
  std::vector<size_t> index_;
  bool keep_ = false;
};
}  // namespace

std::map<std::string, std::string> OutputTree::digests(unsigned jobs) const {
  auto files = entries(*this);
  std::vector<std::string> digest(files.size());
  parallelFor(files.size(), jobs, [&](size_t i) { digest[i] = sha256Hex(*files[i].second); });
  std::map<std::string, std::string> out;
  for (size_t i = 0; i < files.size(); ++i) out.emplace_hint(out.end(), *files[i].first, std::move(digest[i]));
  return out;
}

bool writeTree(const OutputTree& tree, const std::string& outDir, const std::vector<std::string>& targetNames,
               OutputFailure& failure, unsigned jobs, size_t* written) {
  if (tree.holdsDigests()) {
    failure.message = "internal error: a tree of digests cannot be written";
    return false;
  }
  HoldSignals hold;
  OutDir out(outDir, failure);
  TreeDirs dirs;
  if (!out.open(true) || !dirs.open(tree, out, true)) return false;
  auto files = entries(tree);
  std::atomic<size_t> count{0};
  parallelFor(files.size(), jobs, [&](size_t i) {
    if (HoldSignals::interrupted() || out.failed()) return;
    Fd walked;
    int dir = dirs.dir(out, i, walked);
    std::string name = dirs.name(i), shown = out.display(*files[i].first);
    if (dir < 0) {
      out.fail(fmt::format("cannot write '{}': its directory went away", shown));
      return;
    }
    Existing existing = compareFile(out, dir, name, shown, *files[i].second, false);
    if (existing == Existing::Same || existing == Existing::Failed) return;
    if (replaceFile(out, dir, name, shown, *files[i].second)) ++count;
  });
  if (written) *written = count;
  if (HoldSignals::interrupted()) out.fail("interrupted");
  if (out.failed()) return false;
  // Then the files an earlier build generated that this one does not write.
  return forEachExtra(out, tree, targetNames, [&](int dir, const std::string& name, const std::string&) {
    if (!HoldSignals::interrupted()) ::unlinkat(dir, name.c_str(), 0);
  });
}

bool compareTree(const OutputTree& tree, const std::string& outDir, const std::vector<std::string>& targetNames,
                 std::vector<std::string>& differences, OutputFailure& failure, unsigned jobs) {
  OutDir out(outDir, failure);
  TreeDirs dirs;
  bool exists = out.open(false);
  if (out.failed() || (exists && !dirs.open(tree, out, false))) return false;
  auto files = entries(tree);
  std::vector<Existing> state(files.size(), Existing::Missing);
  if (exists)
    parallelFor(files.size(), jobs, [&](size_t i) {
      Fd walked;
      int dir = dirs.dir(out, i, walked);
      if (dir >= 0)
        state[i] =
            compareFile(out, dir, dirs.name(i), out.display(*files[i].first), *files[i].second, tree.holdsDigests());
    });
  if (out.failed()) return false;
  for (size_t i = 0; i < files.size(); ++i) {
    if (state[i] == Existing::Missing)
      differences.push_back("missing " + *files[i].first);
    else if (state[i] == Existing::Different)
      differences.push_back("stale " + *files[i].first);
  }
  if (exists && !forEachExtra(out, tree, targetNames, [&](int, const std::string&, const std::string& rel) {
        differences.push_back("extra " + rel);
      }))
    return false;
  std::sort(differences.begin(), differences.end());
  return true;
}

}  // namespace mesh::codegen
