// Loader: command-line paths, import resolution against include roots, parsing.
#include "check/Loader.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "support/Digest.h"
#include "syntax/Parse.h"
#include "syntax/SharedParses.h"

namespace mesh::check {
namespace fs = std::filesystem;
namespace {

std::string packageOf(const ast::File& f) { return f.package ? f.package->str() : std::string(); }

class Loading {
 public:
  Loading(const LoadOptions& o, Workspace& ws, DiagnosticEngine& d) : opt_(o), ws_(ws), diags_(d) {}

  bool run(std::string& error) {
    std::vector<fs::path> inputs;
    for (const auto& p : opt_.paths) {
      std::error_code ec;
      fs::path path(p);
      auto status = fs::status(path, ec);
      if (ec || !fs::exists(status)) {
        error = fmt::format("no such file or directory: '{}'", p);
        return false;
      }
      if (fs::is_directory(status)) {
        std::vector<std::string> found;
        if (!meshFilesUnder(p, found, error)) return false;
        note(LoadRecord::Listing::Kind::Tree, p, found);
        inputs.insert(inputs.end(), found.begin(), found.end());
        ws_.roots.push_back(path.lexically_normal().string());
      } else {
        inputs.push_back(path);
      }
    }
    for (const auto& inc : opt_.includes) {
      std::error_code ec;
      note(LoadRecord::Listing::Kind::Root, inc, rootListing(inc));
      if (!fs::is_directory(inc, ec)) {
        error = fmt::format("include root is not a directory: '{}'", inc);
        return false;
      }
      ws_.roots.push_back(fs::path(inc).lexically_normal().string());
    }
    if (!opt_.stdlibDir.empty()) {
      std::error_code ec;
      note(LoadRecord::Listing::Kind::Root, opt_.stdlibDir, rootListing(opt_.stdlibDir));
      if (!fs::is_directory(opt_.stdlibDir, ec)) {
        error = fmt::format("the standard library is not at '{}' (set MESH_STDLIB to its directory)", opt_.stdlibDir);
        return false;
      }
      ws_.roots.push_back(opt_.stdlibDir);
    }
    if (opt_.record) opt_.record->roots = ws_.roots;

    std::vector<Pending> batch;
    for (const auto& [name, text] : opt_.memoryFiles) {
      Pending p;
      p.display = name;
      p.text = text;
      p.invalidUtf8 = sanitizeUtf8(p.text);
      batch.push_back(std::move(p));
    }
    for (const auto& path : inputs) {
      if (auto p = prepare(path, canonicalKey(path), error)) {
        batch.push_back(std::move(*p));
      } else if (!error.empty()) {
        return false;
      }
    }
    if (batch.empty() && opt_.memoryFiles.empty()) {
      std::string where;
      for (const auto& p : opt_.paths) where += (where.empty() ? "'" : ", '") + p + "'";
      error = fmt::format("no .mesh files found in {}", where);
      return false;
    }
    parseBatch(batch);
    ws_.inputFileCount = ws_.files.size();

    // Imports, breadth first; the prelude is always part of the build.
    std::set<std::string> requested;
    size_t scanned = 0;
    bool preludeDone = false;
    while (true) {
      std::vector<std::pair<std::string, SourceRange>> wanted;
      for (; scanned < ws_.files.size(); ++scanned)
        for (const auto& imp : ws_.files[scanned].imports) wanted.push_back({imp.package.str(), imp.package.range});
      if (!preludeDone) {
        wanted.push_back({kPreludePackage, {}});
        for (const std::string& name : opt_.packages) wanted.push_back({name, {}});
        preludeDone = true;
      }
      std::vector<Pending> next;
      for (const auto& [name, range] : wanted) {
        if (ws_.packages.count(name) || !requested.insert(name).second) continue;
        auto found = find(name, error);
        if (!error.empty()) return false;
        if (found.empty()) {
          missing_.push_back({name, range});
          continue;
        }
        for (auto& p : found) {
          p.expectedPackage = name;
          next.push_back(std::move(p));
        }
      }
      if (next.empty()) break;
      parseBatch(next);
    }
    for (const auto& [name, range] : missing_) {
      if (ws_.packages.count(name) || mismatched_.count(name)) continue;
      if (!range.valid()) continue;  // the prelude (optional) or a workspace package (the caller reports it)
      std::vector<std::string> known;
      for (const auto& [pkg, files] : ws_.packages) known.push_back(pkg);
      auto d = diags_.report(DiagKind::E0104, range, fmt::format("package '{}' not found", name));
      if (auto guess = closestMatch(name, known)) {
        d.note(fmt::format("did you mean '{}'?", *guess));
      } else {
        std::string roots;
        for (const auto& r : ws_.roots) roots += (roots.empty() ? "" : ", ") + r;
        d.note(fmt::format("searched for {}.mesh and {}/*.mesh under: {}", fs::path(replaceDots(name)).string(),
                           replaceDots(name), roots));
      }
    }
    return true;
  }

 private:
  struct Pending {
    std::string display;
    std::string text;
    std::vector<uint32_t> invalidUtf8;
    bool tooLarge = false;        // over kMaxSourceFile: not read, E0011
    std::string expectedPackage;  // set for files found through an import
    std::string key;              // canonical path, for files on disk
    std::string digest;           // sha256Hex of the bytes read, when a record or the kept trees need it
  };

  void reportMismatch(const ast::File& f, const std::string& expected) {
    diags_
        .report(DiagKind::E0108, f.package->range,
                fmt::format("file declares package '{}' but was found as package '{}'", f.package->str(), expected))
        .note(fmt::format("files under an include root declare the package their path names; rename "
                          "the file or change the declaration to 'package {};'",
                          expected));
  }

  static std::string replaceDots(const std::string& name) {
    std::string p = name;
    std::replace(p.begin(), p.end(), '.', '/');
    return p;
  }

  // Files of the standard library are shown relative to it, so no absolute
  // path reaches diagnostics or generated files.
  std::string displayName(const fs::path& path) const {
    std::string shown = path.lexically_normal().string();
    if (!opt_.stdlibDir.empty()) {
      std::string root = fs::path(opt_.stdlibDir).lexically_normal().string();
      if (!root.empty() && root.back() != '/') root += '/';
      if (shown.compare(0, root.size(), root) == 0) return "<stdlib>/" + shown.substr(root.size());
    }
    return shown;
  }

  // `key` is canonicalKey(path), which its callers have already (it costs a
  // readlink per path component).
  std::optional<Pending> prepare(const fs::path& path, std::string key, std::string& error) {
    if (!seen_.insert(key).second) return std::nullopt;
    Pending p;
    p.key = std::move(key);
    p.display = displayName(path);
    SourceRead read = readSourceFile(path.string(), p.text);
    if (read == SourceRead::Failed) {
      error = fmt::format("cannot read '{}'", path.string());
      return std::nullopt;
    }
    // A file over the size limit is not read: its record says so, and a
    // later load finds the same only while it stays over the limit.
    if ((opt_.record || opt_.syntaxTrees) && read != SourceRead::TooLarge) p.digest = sha256Hex(p.text);
    if (opt_.record) opt_.record->files.push_back({path.string(), p.key, p.digest});
    p.tooLarge = read == SourceRead::TooLarge;
    p.invalidUtf8 = sanitizeUtf8(p.text);
    return p;
  }

  static std::string canonicalKey(const fs::path& path) {
    std::error_code ec;
    fs::path canonical = fs::weakly_canonical(path, ec);
    return ec ? path.string() : canonical.string();
  }

  std::vector<Pending> find(const std::string& package, std::string& error) {
    std::vector<Pending> out;
    std::vector<std::string> candidates = packageCandidates(ws_.roots, package);
    note(LoadRecord::Listing::Kind::Package, package, candidates);
    for (const auto& c : candidates) {
      // Already loaded (say, from a directory on the command line): if it
      // declares another package, that is the problem to report.
      std::string key = canonicalKey(c);
      auto loaded = loadedFiles_.find(key);
      if (loaded != loadedFiles_.end()) {
        const ast::File& f = ws_.files[loaded->second];
        if (f.package && f.package->str() != package && mismatched_.insert(package).second) reportMismatch(f, package);
        continue;
      }
      auto p = prepare(c, std::move(key), error);
      if (!error.empty()) return {};
      if (p) out.push_back(std::move(*p));
    }
    return out;
  }

  void note(LoadRecord::Listing::Kind kind, const std::string& arg, const std::vector<std::string>& found) {
    if (opt_.record) opt_.record->listings.push_back({kind, arg, found});
  }

  void parseBatch(std::vector<Pending>& batch) {
    std::vector<uint32_t> ids;
    for (auto& p : batch) {
      ids.push_back(ws_.sources.addFile(p.display, std::move(p.text)));
      ws_.digests.resize(ids.back());
      ws_.digests.back() = p.digest;
    }
    std::vector<ast::File> parsed(batch.size());
    std::vector<DiagnosticEngine> local(batch.size());
    std::atomic<size_t> parsedCount{0}, keptCount{0};
    // The kept tree of a text that parsed cleanly before (its text had no
    // invalid UTF-8 then, so it has none now).
    auto keptTree = [&](const Pending& p, uint32_t id, ast::File& out) {
      if (!opt_.syntaxTrees || p.digest.empty() || !opt_.syntaxTrees->find(p.digest, id, out)) return false;
      ++keptCount;
      return true;
    };
    unsigned jobs = std::max(1u, std::min<unsigned>(opt_.jobs, batch.size()));
    syntax::SharedParses* shared = opt_.sharedParses;
    auto work = [&](unsigned worker) {
      // A text another worker (of this load or another one) is parsing is
      // copied once this worker has parsed everything else it has.
      std::vector<std::pair<size_t, syntax::SharedParses::Slot*>> later;
      for (size_t i = worker; i < batch.size(); i += jobs) {
        if (batch[i].tooLarge) continue;
        if (keptTree(batch[i], ids[i], parsed[i])) continue;
        bool owner = true;
        syntax::SharedParses::Slot* slot =
            shared ? &shared->claim(ws_.sources.text(ids[i]), batch[i].invalidUtf8, owner) : nullptr;
        if (!owner) {
          later.push_back({i, slot});
          continue;
        }
        parsed[i] = syntax::parseFile(ws_.sources, ids[i], batch[i].invalidUtf8, local[i]);
        ++parsedCount;
        if (slot) shared->fill(*slot, parsed[i], local[i]);
        if (opt_.syntaxTrees && !batch[i].digest.empty() && batch[i].invalidUtf8.empty() && local[i].size() == 0)
          opt_.syntaxTrees->keep(batch[i].digest, parsed[i]);
      }
      for (auto [i, slot] : later) parsed[i] = shared->copy(*slot, ids[i], local[i]);
    };
    if (jobs == 1) {
      work(0);
    } else {
      std::vector<std::thread> threads;
      for (unsigned w = 0; w < jobs; ++w) threads.emplace_back(work, w);
      for (auto& t : threads) t.join();
    }
    ws_.parsed += parsedCount;
    ws_.treesKept += keptCount;
    for (size_t i = 0; i < batch.size(); ++i) {
      if (batch[i].tooLarge) diags_.report(DiagKind::E0011, {ids[i], 0, 0}, sourceTooLargeMessage());
      diags_.absorb(std::move(local[i]));
      ast::File& f = parsed[i];
      std::string pkg = packageOf(f);
      if (!batch[i].expectedPackage.empty() && f.package && pkg != batch[i].expectedPackage &&
          mismatched_.insert(batch[i].expectedPackage).second)
        reportMismatch(f, batch[i].expectedPackage);
      if (!batch[i].key.empty()) loadedFiles_[batch[i].key] = ws_.files.size();
      if (f.package) ws_.packages[pkg].push_back(ws_.files.size());
      ws_.files.push_back(std::move(f));
    }
  }

  const LoadOptions& opt_;
  Workspace& ws_;
  DiagnosticEngine& diags_;
  std::set<std::string> seen_;
  std::map<std::string, size_t> loadedFiles_;  // canonical path -> index in ws_.files
  std::set<std::string> mismatched_;           // packages whose file declares another
  std::vector<std::pair<std::string, SourceRange>> missing_;
};

// Paths in the order of their components ("a/b" before "a-c"), as the load
// order has always been.
void sortAsPaths(std::vector<std::string>& paths) {
  std::sort(paths.begin(), paths.end(),
            [](const std::string& a, const std::string& b) { return fs::path(a) < fs::path(b); });
}

}  // namespace

bool meshFilesUnder(const std::string& dir, std::vector<std::string>& found, std::string& error) {
  std::error_code ec;
  fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end;
  for (; !ec && it != end; it.increment(ec))
    if (it->is_regular_file(ec) && it->path().extension() == ".mesh") found.push_back(it->path().string());
  if (ec) {
    error = fmt::format("cannot read directory '{}': {}", dir, ec.message());
    return false;
  }
  sortAsPaths(found);
  return true;
}

std::vector<std::string> packageCandidates(const std::vector<std::string>& roots, const std::string& package) {
  std::string rel = package;
  std::replace(rel.begin(), rel.end(), '.', '/');
  for (const auto& root : roots) {
    std::error_code ec;
    fs::path file = fs::path(root) / (rel + ".mesh");
    fs::path dir = fs::path(root) / rel;
    std::vector<std::string> candidates;
    if (fs::is_regular_file(file, ec)) candidates.push_back(file.string());
    if (fs::is_directory(dir, ec))
      for (auto& entry : fs::directory_iterator(dir, ec))
        if (entry.is_regular_file(ec) && entry.path().extension() == ".mesh")
          candidates.push_back(entry.path().string());
    sortAsPaths(candidates);
    if (!candidates.empty()) return candidates;  // the first root that has the package wins
  }
  return {};
}

std::vector<std::string> rootListing(const std::string& dir) {
  std::error_code ec;
  if (fs::is_directory(dir, ec)) return {"dir"};
  return {};
}

bool load(const LoadOptions& options, Workspace& ws, DiagnosticEngine& diags, std::string& error) {
  Loading loading(options, ws, diags);
  return loading.run(error);
}

}  // namespace mesh::check
