// Baseline: a directory as given, or the .mesh files of the given paths at a
// git revision, read with `git ls-tree` and `git cat-file --batch` (object
// reads only: no checkout, no index, no attributes) into a temporary
// directory that is removed afterwards.
#include "compat/Baseline.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "llvm/ADT/Optional.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Program.h"

namespace mesh::compat {
namespace fs = std::filesystem;
namespace {

bool readAll(const fs::path& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  out = buffer.str();
  return !in.bad();
}

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

/// Runs git with `args` (stdin from `input`, or empty), its output captured
/// in files of the scratch directory.
class Git {
 public:
  Git(std::string program, fs::path scratch) : program_(std::move(program)), scratch_(std::move(scratch)) {}

  struct Result {
    int status = -1;
    std::string out, err;
  };

  Result run(const std::vector<std::string>& args, const std::string& input = {}) {
    fs::path in = scratch_ / "git.in", out = scratch_ / "git.out", err = scratch_ / "git.err";
    // LLVM opens redirect targets without O_TRUNC: start from no file.
    std::error_code ec;
    fs::remove(out, ec);
    fs::remove(err, ec);
    {
      std::ofstream f(in, std::ios::binary | std::ios::trunc);
      f << input;
    }
    std::vector<llvm::StringRef> argv{program_};
    for (const auto& a : args) argv.emplace_back(a);
    std::string inPath = in.string(), outPath = out.string(), errPath = err.string();
    llvm::Optional<llvm::StringRef> redirects[] = {llvm::StringRef(inPath), llvm::StringRef(outPath),
                                                   llvm::StringRef(errPath)};
    Result r;
    std::string message;
    r.status = llvm::sys::ExecuteAndWait(program_, argv, llvm::None, redirects, 0, 0, &message);
    readAll(out, r.out);
    readAll(err, r.err);
    if (r.status < 0) r.err = message;
    return r;
  }

 private:
  std::string program_;
  fs::path scratch_;
};

/// git's own message, first line, for an error of ours.
std::string gitSays(const Git::Result& r) {
  std::string first = r.err.substr(0, r.err.find('\n'));
  return first.empty() ? std::string() : fmt::format(" (git: {})", trimmed(first));
}

bool underRoot(const fs::path& root, const fs::path& p, fs::path& rel) {
  auto r = p.lexically_relative(root);
  if (r.empty() || *r.begin() == "..") return false;
  rel = r;
  return true;
}

/// The repository that holds `first` and the commit `ref` names in it.
bool findRevision(Git& git, const std::string& ref, const std::string& first, fs::path& root, std::string& id,
                  std::string& error) {
  std::error_code ec;
  fs::path path(first);
  fs::path anchor = fs::is_directory(path, ec) ? path : path.parent_path();
  if (anchor.empty()) anchor = ".";
  auto top = git.run({"-C", anchor.string(), "rev-parse", "--show-toplevel"});
  if (top.status != 0) {
    error = fmt::format("'{}' is not in a git repository, so --against git:{} has nothing to read{}", first, ref,
                        gitSays(top));
    return false;
  }
  root = fs::weakly_canonical(trimmed(top.out), ec);
  auto commit = git.run({"-C", root.string(), "rev-parse", "--verify", "--quiet", ref + "^{commit}"});
  if (commit.status != 0) {
    error = fmt::format("unknown git revision '{}' in the repository '{}'", ref, root.string());
    return false;
  }
  id = trimmed(commit.out);
  return true;
}

/// The paths and include roots to read at the revision (pathspecs for
/// ls-tree), and where they are in the baseline's tree; `pathCount`: how
/// many of them are paths.
bool selectPaths(Git& git, const fs::path& root, const std::string& id, const fs::path& tree,
                 const std::vector<std::string>& paths, const std::vector<std::string>& includes, Baseline& out,
                 std::vector<std::string>& wanted, size_t& pathCount, std::string& error) {
  std::error_code ec;
  // Each path, relative to the repository, if it exists at the revision.
  auto atRevision = [&](const fs::path& rel) {
    if (rel == ".") return true;
    return git.run({"-C", root.string(), "cat-file", "-e", id + ":" + rel.generic_string()}).status == 0;
  };
  for (const auto& p : paths) {
    fs::path rel;
    if (!underRoot(root, fs::weakly_canonical(p, ec), rel)) {
      error = fmt::format("'{}' is not in the repository '{}' that holds '{}'", p, root.string(), paths.front());
      return false;
    }
    if (rel.empty()) rel = ".";
    if (!atRevision(rel)) continue;  // new since the revision: its products are new
    wanted.push_back(rel.generic_string());
    out.paths.push_back((tree / rel).lexically_normal().string());
    if (fs::is_directory(p, ec)) fs::create_directories(tree / rel, ec);
  }
  pathCount = wanted.size();
  // Include roots in the repository are read at the revision too; others as they are.
  for (const auto& inc : includes) {
    fs::path rel;
    if (underRoot(root, fs::weakly_canonical(inc, ec), rel)) {
      if (rel.empty()) rel = ".";
      if (atRevision(rel)) {
        wanted.push_back(rel.generic_string());
        fs::create_directories(tree / rel, ec);
        out.includes.push_back((tree / rel).lexically_normal().string());
        continue;
      }
    }
    out.includes.push_back(inc);
  }
  return true;
}

/// The .mesh blobs under the wanted paths at the revision: (object id, path).
bool listMeshBlobs(Git& git, const fs::path& root, const std::string& id, const std::string& ref,
                   const std::vector<std::string>& wanted, std::vector<std::pair<std::string, std::string>>& blobs,
                   std::string& error) {
  std::vector<std::string> args = {"-C", root.string(), "--literal-pathspecs", "ls-tree", "-r", "-z", "--full-tree",
                                   id,   "--"};
  args.insert(args.end(), wanted.begin(), wanted.end());
  auto listing = git.run(args);
  if (listing.status != 0) {
    error = fmt::format("cannot list the files of git:{}{}", ref, gitSays(listing));
    return false;
  }
  for (size_t at = 0; at < listing.out.size();) {
    size_t end = listing.out.find('\0', at);
    if (end == std::string::npos) end = listing.out.size();
    llvm::StringRef entry(listing.out.data() + at, end - at);
    at = end + 1;
    // "<mode> SP <type> SP <object> TAB <path>"
    auto [meta, path] = entry.split('\t');
    llvm::SmallVector<llvm::StringRef, 3> parts;
    meta.split(parts, ' ');
    if (parts.size() != 3 || parts[1] != "blob" || parts[0] == "120000" || !path.endswith(".mesh")) continue;
    blobs.push_back({parts[2].str(), path.str()});
  }
  return true;
}

/// The contents of the blobs, read in one batch, written under `tree`.
bool writeBlobs(Git& git, const fs::path& root, const std::string& ref,
                const std::vector<std::pair<std::string, std::string>>& blobs, const fs::path& tree,
                std::string& error) {
  std::string request;
  for (const auto& blob : blobs) request += blob.first + "\n";
  auto contents = git.run({"-C", root.string(), "cat-file", "--batch"}, request);
  if (contents.status != 0) {
    error = fmt::format("cannot read the files of git:{}{}", ref, gitSays(contents));
    return false;
  }
  std::error_code ec;
  size_t at = 0;
  for (const auto& [object, path] : blobs) {
    // "<object> blob <size>\n<contents>\n"
    size_t eol = contents.out.find('\n', at);
    if (eol == std::string::npos) break;
    llvm::StringRef header(contents.out.data() + at, eol - at);
    llvm::SmallVector<llvm::StringRef, 3> parts;
    header.split(parts, ' ');
    unsigned long long size = 0;
    if (parts.size() != 3 || parts[1] != "blob" || parts[2].getAsInteger(10, size) ||
        eol + 1 + size > contents.out.size()) {
      error = fmt::format("unexpected output from git cat-file for '{}' at git:{}", path, ref);
      return false;
    }
    fs::path file = tree / path;
    fs::create_directories(file.parent_path(), ec);
    std::ofstream f(file, std::ios::binary | std::ios::trunc);
    f.write(contents.out.data() + eol + 1, static_cast<std::streamsize>(size));
    if (!f) {
      error = fmt::format("cannot write '{}'", file.string());
      return false;
    }
    at = eol + 1 + size + 1;
  }
  return true;
}

bool prepareGit(const std::string& ref, const std::vector<std::string>& paths, const std::vector<std::string>& includes,
                Baseline& out, std::string& error) {
  if (ref.empty() || ref[0] == '-') {
    error = fmt::format("'git:{}' names no revision; write git:REF, like git:HEAD or git:main", ref);
    return false;
  }
  auto program = llvm::sys::findProgramByName("git");
  if (!program) {
    error = "--against git:REF needs git, which is not installed";
    return false;
  }
  llvm::SmallString<128> temp;
  if (llvm::sys::fs::createUniqueDirectory("meshc-baseline", temp)) {
    error = "cannot create a temporary directory for the baseline";
    return false;
  }
  out.tempDir = std::string(temp);
  fs::path tree = fs::path(out.tempDir) / "tree";
  fs::path scratch = fs::path(out.tempDir) / "git";
  std::error_code ec;
  fs::create_directories(scratch, ec);
  fs::create_directories(tree, ec);
  Git git(*program, scratch);

  fs::path root;
  std::string id;
  if (!findRevision(git, ref, paths.front(), root, id, error)) return false;
  out.description = "git:" + ref;
  std::vector<std::string> wanted;
  size_t pathCount = 0;
  if (!selectPaths(git, root, id, tree, paths, includes, out, wanted, pathCount, error)) return false;
  if (pathCount == 0) {
    out.empty = true;
    return true;
  }
  std::vector<std::pair<std::string, std::string>> blobs;
  if (!listMeshBlobs(git, root, id, ref, wanted, blobs, error)) return false;
  if (!writeBlobs(git, root, ref, blobs, tree, error)) return false;
  out.displayFrom = tree.lexically_normal().string() + "/";
  out.displayTo = "<git:" + ref + ">/";
  return true;
}

}  // namespace

Baseline::~Baseline() {
  if (tempDir.empty()) return;
  std::error_code ec;
  fs::remove_all(tempDir, ec);
}

std::string Baseline::displayName(const std::string& loadedName) const {
  if (!displayFrom.empty() && llvm::StringRef(loadedName).startswith(displayFrom))
    return displayTo + loadedName.substr(displayFrom.size());
  return loadedName;
}

bool prepareBaseline(const std::string& against, const std::vector<std::string>& paths,
                     const std::vector<std::string>& includes, Baseline& out, std::string& error) {
  if (llvm::StringRef(against).startswith("git:")) return prepareGit(against.substr(4), paths, includes, out, error);
  std::error_code ec;
  if (against.empty() || !fs::is_directory(against, ec)) {
    error = fs::exists(against, ec)
                ? fmt::format("the baseline '{}' is not a directory; --against takes a directory or git:REF", against)
                : fmt::format("no such baseline directory: '{}' (--against takes a directory or git:REF)", against);
    return false;
  }
  out.paths = {against};
  out.includes = includes;
  out.description = fmt::format("'{}'", against);
  return true;
}

}  // namespace mesh::compat
