// Run: the fmt command. Each file is formatted on its own; a result goes to
// disk (a temporary file renamed over the original, so a reader never sees
// half a file) only when it re-parses, is its own formatting, and has the
// original's meaning (format::meaningOf).
#include "format/Run.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "format/Diff.h"
#include "format/Format.h"
#include "format/Meaning.h"
#include "support/Text.h"

namespace mesh::format {
namespace {

namespace fs = std::filesystem;

// The .mesh files under the paths, each once, directories in sorted order.
bool collect(const std::vector<std::string>& paths, std::vector<std::string>& files, std::ostream& err) {
  for (const auto& path : paths) {
    std::error_code ec;
    auto status = fs::status(path, ec);
    if (ec || !fs::exists(status)) {
      err << "meshc: no such file or directory: " << escapeControlCharacters(path) << "\n";
      return false;
    }
    if (fs::is_directory(status)) {
      std::vector<std::string> found;
      for (auto it = fs::recursive_directory_iterator(path, ec); !ec && it != fs::recursive_directory_iterator();
           it.increment(ec))
        if (it->is_regular_file(ec) && it->path().extension() == ".mesh") found.push_back(it->path().string());
      if (ec) {
        err << "meshc: cannot read the directory " << escapeControlCharacters(path) << ": " << ec.message() << "\n";
        return false;
      }
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else {
      files.push_back(path);
    }
  }
  std::set<std::string> seen;
  std::vector<std::string> unique;
  for (const auto& f : files) {
    std::error_code ec;
    if (seen.insert(fs::weakly_canonical(f, ec).string()).second) unique.push_back(f);
  }
  files = std::move(unique);
  return true;
}

// Writes `text` next to `file` and renames it over it, keeping the mode (a
// symbolic link stays a link: its target is replaced).
bool replaceFile(const std::string& file, const std::string& text, std::string& error) {
  std::error_code ec;
  std::string path = fs::is_symlink(file, ec) ? fs::canonical(file, ec).string() : file;
  if (ec) {
    error = "cannot resolve " + file + ": " + ec.message();
    return false;
  }
  // A fresh temporary (O_EXCL, O_NOFOLLOW): never a link planted under its
  // name, never another fmt run's (they shared FILE.meshfmt.tmp).
  static std::atomic<unsigned long> counter{0};
  std::string temp;
  int fd = -1;
  do {
    temp = fmt::format("{}.meshfmt-{}-{}.tmp", path, ::getpid(), counter++);
    fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  } while (fd < 0 && errno == EEXIST);
  if (fd < 0) {
    error = "cannot write " + temp + ": " + std::strerror(errno);
    return false;
  }
  struct stat st {};
  bool written = ::stat(path.c_str(), &st) != 0 || ::fchmod(fd, st.st_mode & 07777) == 0;
  for (size_t at = 0; at < text.size() && written;) {
    ssize_t n = ::write(fd, text.data() + at, text.size() - at);
    if (n < 0 && errno == EINTR) continue;
    written = n > 0;
    if (written) at += static_cast<size_t>(n);
  }
  if (::close(fd) != 0) written = false;
  if (!written) {
    error = "cannot write " + temp;
    std::remove(temp.c_str());
    return false;
  }
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    error = "cannot replace " + path + ": " + std::strerror(errno);
    std::remove(temp.c_str());
    return false;
  }
  return true;
}

}  // namespace

int runFmt(const FmtOptions& options, const RenderOptions& render, std::ostream& out, std::ostream& err) {
  std::vector<std::string> files;
  if (!collect(options.paths, files, err)) return 2;
  SourceManager sources;
  DiagnosticEngine diags;
  int status = 0;
  size_t unformatted = 0;
  for (const auto& path : files) {
    std::string shown = escapeControlCharacters(path);
    std::string original;
    SourceRead read = readSourceFile(path, original);
    if (read == SourceRead::Failed) {
      err << "meshc: cannot read " << escapeControlCharacters(path) << "\n";
      return 2;
    }
    if (read == SourceRead::TooLarge) {
      diags.report(DiagKind::E0011, {sources.addFile(path, ""), 0, 0}, sourceTooLargeMessage());
      status = std::max(status, 1);
      continue;
    }
    std::string sanitized = original;
    std::vector<uint32_t> invalid = sanitizeUtf8(sanitized);
    uint32_t id = sources.addFile(path, std::move(sanitized));
    size_t before = diags.size();
    std::optional<std::string> formatted = formatFile(sources, id, invalid, diags);
    if (!formatted) {
      if (diags.size() == before)
        err << "meshc: internal error: " << shown << " has no syntax error but does not parse for formatting; "
            << "the file is left as it is\n";
      status = std::max(status, 1);
      continue;
    }
    if (options.alterFormatted) options.alterFormatted(*formatted);
    if (*formatted == original) continue;
    // The safety net: the result is stable and means what the original meant.
    std::string problem;
    std::optional<std::string> again = formatText(*formatted);
    if (!again)
      problem = "the formatted text does not parse";
    else if (*again != *formatted)
      problem = "formatting the result again changes it";
    else
      problem = describeDifference(meaningOf(path, original, options.stdlibDir),
                                   meaningOf(path, *formatted, options.stdlibDir));
    if (!problem.empty()) {
      err << "meshc: internal error: formatting " << shown << " would change it (" << escapeControlCharacters(problem)
          << "); the file is left as it is\n";
      status = std::max(status, 1);
      continue;
    }
    if (options.check) {
      ++unformatted;
      out << shown << "\n" << unifiedDiff(path, original, *formatted);
      status = std::max(status, 1);
      continue;
    }
    std::string error;
    if (!replaceFile(path, *formatted, error)) {
      err << "meshc: " << escapeControlCharacters(error) << "\n";
      return 2;
    }
  }
  diags.sortAndDedupe(sources);
  renderDiagnostics(diags, sources, render, out, err);
  if (unformatted)
    err << fmt::format("meshc: {} file{} not formatted; run 'meshc fmt' on {}\n", unformatted,
                       unformatted == 1 ? " is" : "s are", unformatted == 1 ? "it" : "them");
  return status;
}

}  // namespace mesh::format
