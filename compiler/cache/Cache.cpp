// Cache: entries of check and build results, their encoding and their
// verification (see Cache.h).
#include "cache/Cache.h"

#include <fcntl.h>
#include <link.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>

#include "ast/Serialize.h"
#include "source/SourceManager.h"
#include "support/Bytes.h"
#include "support/Digest.h"
#include "support/Files.h"

namespace mesh::cache {
namespace fs = std::filesystem;
namespace {

// The magic lines of result and tree entries. The format's version is in
// them: another version is not read.
constexpr std::string_view kMagic = "meshc cache 1\n";
constexpr std::string_view kTreeMagic = "meshc tree 1\n";
constexpr size_t kDigestSize = 64;
// No entry meshc writes comes near this (a result of 100,000 records is
// about 15 MB, the tree of the largest source file, 16 MiB, about 30 MB): a
// larger file is not read.
constexpr off_t kMaxEntry = off_t{256} << 20;

// An entry of either kind: its magic line, the payload, and the payload's
// SHA-256 (64 hex digits).
std::string seal(std::string_view magic, std::string_view payload) {
  std::string entry(magic);
  entry += payload;
  entry += sha256Hex(payload);
  return entry;
}

// The payload of a sealed entry; nullopt when it is damaged, truncated or of
// another kind or format.
std::optional<std::string_view> unseal(std::string_view magic, std::string_view entry, std::string& why) {
  if (entry.size() < magic.size() + kDigestSize || entry.substr(0, magic.size()) != magic) {
    why = "the entry is damaged or of another format";
    return std::nullopt;
  }
  std::string_view payload = entry.substr(magic.size(), entry.size() - magic.size() - kDigestSize);
  if (sha256Hex(payload) != entry.substr(entry.size() - kDigestSize)) {
    why = "the entry is damaged (its checksum does not match)";
    return std::nullopt;
  }
  return payload;
}

// ---- the directory

// `dir` exists (created 0700 when it does not), is a directory and not a
// link, belongs to this user and is not writable by anyone else.
bool usableDirectory(const std::string& dir, std::string& why) {
  std::error_code ec;
  if (!fs::exists(fs::symlink_status(dir, ec))) {
    fs::create_directories(fs::path(dir).parent_path(), ec);
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
      why = "cannot create " + dir + ": " + std::strerror(errno);
      return false;
    }
  }
  struct stat st {};
  if (::lstat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    why = dir + " is not a directory";
    return false;
  }
  if (st.st_uid != ::geteuid() || (st.st_mode & 022)) {
    why = dir + " belongs to another user or is writable by others";
    return false;
  }
  return true;
}

// The whole of a regular file, opened without following a link; false when
// it is not one or cannot be read.
bool readEntry(const std::string& path, std::string& out, time_t* modified = nullptr) {
  int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return false;
  struct stat st {};
  bool ok = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size <= kMaxEntry;
  if (modified) *modified = st.st_mtime;
  if (ok) {
    out.resize(size_t(st.st_size));
    ok = readFully(fd, out.data(), out.size()) == ssize_t(out.size());
  }
  ::close(fd);
  return ok;
}

// Writes `entry` at `path` through a temporary renamed over it (Files.h), so
// a reader sees the old entry or the new one, whole. Failures are ignored
// (the next run misses). From the first write on, SIGXFSZ is ignored for the rest of
// the run (entries are written from several threads: no save and restore),
// so a file-size limit (ulimit -f) is a failed write, not the end of the run.
void writeEntry(const std::string& path, const std::string& entry) {
  static const bool ignoring = [] {
    struct sigaction ignore {};
    ignore.sa_handler = SIG_IGN;
    return ::sigaction(SIGXFSZ, &ignore, nullptr) == 0;
  }();
  (void)ignoring;
  replaceFileAt(AT_FDCWD, path, entry, 0600);
}

// At most once a day (the time of DIR/.swept), removes the entries of `dir`
// not used for 30 days (an entry used is touched at most once a day) and the
// temporaries of writes that never finished (an hour old).
void sweep(const std::string& dir) {
  constexpr time_t kDay = 86400;
  time_t now = std::time(nullptr);
  std::string stamp = dir + "/.swept";
  struct stat st {};
  if (::lstat(stamp.c_str(), &st) == 0 && st.st_mtime + kDay > now) return;
  int fd = ::open(stamp.c_str(), O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) return;
  ::futimens(fd, nullptr);
  ::close(fd);
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::string path = it->path().string();
    if (it->path().filename() == ".swept" || ::lstat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    bool temporary = isTemporaryName(it->path().filename().string());
    if (st.st_mtime + (temporary ? 3600 : 30 * kDay) < now) ::unlink(path.c_str());
  }
}

// Marks an entry used today (for sweep), when it was last marked earlier.
void touch(const std::string& path, time_t modified) {
  if (modified + 86400 < std::time(nullptr)) ::utimensat(AT_FDCWD, path.c_str(), nullptr, AT_SYMLINK_NOFOLLOW);
}

// ---- the encoding

void encodeStrings(ByteWriter& w, const std::vector<std::string>& list) {
  w.u64(list.size());
  for (const auto& s : list) w.bytes(s);
}

bool decodeStrings(ByteReader& r, std::vector<std::string>& list) {
  list.resize(r.count());
  for (auto& s : list) s = r.bytes();
  return r.ok();
}

std::string encode(const std::string& invocation, const check::LoadRecord& inputs, const Result& result) {
  std::string payload;
  ByteWriter w(payload);
  w.bytes(invocation);
  encodeStrings(w, inputs.roots);
  w.u64(inputs.listings.size());
  for (const auto& l : inputs.listings) {
    w.u64(uint64_t(l.kind));
    w.bytes(l.arg);
    encodeStrings(w, l.found);
  }
  w.u64(inputs.files.size());
  for (const auto& f : inputs.files) {
    w.bytes(f.path);
    w.bytes(f.key);
    w.bytes(f.digest);
  }
  w.i64(result.status);
  w.bytes(result.out);
  w.bytes(result.err);
  w.u64(result.tree.size());
  for (const auto& [path, content] : result.tree) {
    w.bytes(path);
    w.bytes(content);
  }
  w.bytes(result.checkState);
  return seal(kMagic, payload);
}

// Reads an entry of `invocation`; false when it is damaged, truncated, of
// another format or of another invocation.
bool decode(std::string_view entry, const std::string& invocation, check::LoadRecord& inputs, Result& result,
            std::string& why) {
  std::optional<std::string_view> payload = unseal(kMagic, entry, why);
  if (!payload) return false;
  ByteReader r(*payload);
  if (r.bytes() != invocation) {
    why = "the entry is of another invocation";
    return false;
  }
  decodeStrings(r, inputs.roots);
  inputs.listings.resize(r.count());
  for (auto& l : inputs.listings) {
    uint64_t kind = r.u64();
    l.kind = kind <= uint64_t(check::LoadRecord::Listing::Kind::Root) ? check::LoadRecord::Listing::Kind(kind)
                                                                      : check::LoadRecord::Listing::Kind::Tree;
    l.arg = r.bytes();
    decodeStrings(r, l.found);
  }
  inputs.files.resize(r.count());
  for (auto& f : inputs.files) {
    f.path = r.bytes();
    f.key = r.bytes();
    f.digest = r.bytes();
  }
  result.status = int(r.i64());
  result.out = r.bytes();
  result.err = r.bytes();
  for (uint64_t n = r.count(); r.ok() && n > 0; --n) {
    std::string path(r.bytes());
    result.tree[path] = r.bytes();
  }
  result.checkState = r.bytes();
  if (!r.atEnd()) why = "the entry is damaged (it does not decode)";
  return r.atEnd();
}

// ---- verification

std::vector<std::string> listAgain(const check::LoadRecord& inputs, const check::LoadRecord::Listing& l) {
  using Kind = check::LoadRecord::Listing::Kind;
  switch (l.kind) {
    case Kind::Tree: {
      std::vector<std::string> found;
      std::string error;
      if (!check::meshFilesUnder(l.arg, found, error)) found.assign(1, "\n" + error);  // never a file name
      return found;
    }
    case Kind::Package:
      return check::packageCandidates(inputs.roots, l.arg);
    case Kind::Root:
      return check::rootListing(l.arg);
  }
  return {};
}

// Whether a load now would read what `inputs` says it read.
bool inputsUnchanged(const check::LoadRecord& inputs, Lookup& out) {
  for (const auto& l : inputs.listings)
    if (listAgain(inputs, l) != l.found) {
      out.why = "the files of '" + l.arg + "' changed";
      return false;
    }
  std::string text;
  for (const auto& f : inputs.files) {
    SourceRead read = readSourceFile(f.path, text);
    std::string digest = read == SourceRead::Ok ? sha256Hex(text) : "";
    std::error_code ec;
    fs::path key = fs::weakly_canonical(f.path, ec);
    if (read == SourceRead::Failed || digest != f.digest || (ec ? f.path : key.string()) != f.key) {
      out.why = "'" + f.path + "' changed";
      return false;
    }
    out.files += 1;
    out.bytes += text.size();
  }
  return true;
}

int noteBuildId(struct dl_phdr_info* info, size_t, void* data) {
  auto* out = static_cast<std::string*>(data);
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    const ElfW(Phdr)& ph = info->dlpi_phdr[i];
    if (ph.p_type != PT_NOTE) continue;
    const char* p = reinterpret_cast<const char*>(info->dlpi_addr + ph.p_vaddr);
    const char* end = p + ph.p_memsz;
    while (p + sizeof(ElfW(Nhdr)) <= end) {
      const auto* note = reinterpret_cast<const ElfW(Nhdr)*>(p);
      const char* name = p + sizeof(ElfW(Nhdr));
      const char* desc = name + ((note->n_namesz + 3) & ~3u);
      if (desc + note->n_descsz > end) break;
      if (note->n_type == NT_GNU_BUILD_ID && note->n_namesz == 4 && std::memcmp(name, "GNU", 4) == 0) {
        *out = "build-id " + sha256Hex(std::string_view(desc, note->n_descsz));
        return 1;
      }
      p = desc + ((note->n_descsz + 3) & ~3u);
    }
  }
  return 1;  // only the executable itself, the first object listed
}

}  // namespace

const std::string& toolIdentity() {
  static const std::string identity = [] {
    std::string id;
    dl_iterate_phdr(noteBuildId, &id);
    if (id.empty()) {
      std::string exe;
      if (readEntry("/proc/self/exe", exe)) id = "executable " + sha256Hex(exe);
    }
    return id;
  }();
  return identity;
}

std::string defaultDirectory() {
  if (const char* dir = std::getenv("MESH_CACHE_DIR"); dir && *dir) return dir;
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg == '/') return std::string(xdg) + "/meshc";
  if (const char* home = std::getenv("HOME"); home && *home == '/') return std::string(home) + "/.cache/meshc";
  return "";
}

Store::Store(const std::string& directory, const std::string& invocation) {
  if (toolIdentity().empty()) {
    disabled_ = "meshc cannot tell its own build";
    return;
  }
  invocation_ = toolIdentity() + '\n' + invocation;
  if (directory.empty()) {
    disabled_ = "no cache directory (set MESH_CACHE_DIR, XDG_CACHE_HOME or HOME)";
    return;
  }
  if (directory.front() != '/') {  // it would depend on the workspace root meshc changes to
    disabled_ = "the cache directory '" + directory + "' is not an absolute path";
    return;
  }
  std::string dir = directory + "/v1/results";
  if (!usableDirectory(directory, disabled_) || !usableDirectory(directory + "/v1", disabled_) ||
      !usableDirectory(dir, disabled_))
    return;
  entry_ = dir + "/" + sha256Hex(invocation_);
  sweep(dir);
}

Lookup Store::lookup() const {
  Lookup out;
  std::string entry;
  time_t modified = 0;
  if (!enabled() || !readEntry(entry_, entry, &modified)) {
    out.why = enabled() ? "no entry" : disabled_;
    return out;
  }
  check::LoadRecord inputs;
  Result result;
  if (!decode(entry, invocation_, inputs, result, out.why)) return out;
  if (!inputsUnchanged(inputs, out)) {
    out.lastCheckState = std::move(result.checkState);
    return out;
  }
  out.result = std::move(result);
  out.inputs = std::move(inputs);
  touch(entry_, modified);
  return out;
}

void Store::store(const check::LoadRecord& inputs, const Result& result) const {
  if (enabled()) writeEntry(entry_, encode(invocation_, inputs, result));
}

TreeStore::TreeStore(const std::string& directory) {
  std::string why;
  if (toolIdentity().empty() || directory.empty() || directory.front() != '/') return;
  std::string dir = directory + "/v1/ast";
  if (usableDirectory(directory, why) && usableDirectory(directory + "/v1", why) && usableDirectory(dir, why)) {
    dir_ = dir;
    sweep(dir);
  }
}

std::string TreeStore::entryOf(const std::string& digest) const {
  return dir_ + "/" + sha256Hex(toolIdentity() + '\n' + digest);
}

bool TreeStore::find(const std::string& digest, uint32_t fileId, ast::File& out) {
  std::string entry, why, path = entryOf(digest);
  time_t modified = 0;
  if (dir_.empty() || !readEntry(path, entry, &modified)) return false;
  std::optional<std::string_view> payload = unseal(kTreeMagic, entry, why);
  if (!payload || !ast::readFile(*payload, fileId, out)) return false;
  touch(path, modified);
  return true;
}

void TreeStore::keep(const std::string& digest, const ast::File& file) {
  if (dir_.empty()) return;
  std::string payload;
  ast::writeFile(file, payload);
  writeEntry(entryOf(digest), seal(kTreeMagic, payload));
}

}  // namespace mesh::cache
