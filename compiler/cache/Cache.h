// Cache: the results of `meshc check` and `meshc build` kept between runs,
// so that a run over inputs that have not changed parses and checks nothing
// (docs/cache.md).
//
// An entry belongs to one invocation (meshc's build id, the command, the
// working directory and every setting that shapes the result) and holds what
// the run read (cache::LoadRecord: each directory listing that decided which
// files to read, and each file with the SHA-256 of its bytes) and what it
// gave (exit status, output, and for build the generated tree). A lookup
// lists and hashes everything again, and returns the result only when all of
// it is the same. Entries are written to a temporary file and renamed into
// place, so concurrent runs each see a whole entry or none; an entry carries
// the SHA-256 of its contents, so a damaged or truncated one is ignored (and
// replaced by the next run), never trusted.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>

#include "check/Loader.h"

namespace mesh::cache {

/// What one run gave.
struct Result {
  int status = 0;
  std::string out, err;                     // what it printed on stdout and stderr
  std::map<std::string, std::string> tree;  // build: the generated files, by path under OUT
  std::string checkState;                   // check: what the next check after an edit starts from
};

/// The outcome of a lookup: the result on a hit, with what the run read
/// (the files of a depfile); on a miss, why (for --stats).
struct Lookup {
  std::optional<Result> result;
  check::LoadRecord inputs;  // on a hit
  std::string why;
  size_t files = 0;  // input files verified (on a hit)
  size_t bytes = 0;  // their size
  /// On a miss with an entry of this invocation whose inputs changed: the
  /// check state it kept (compilation/Incremental.h).
  std::string lastCheckState;
};

class Store {
 public:
  /// `directory`: the cache's directory; entries live in DIR/v1/results/
  /// (each directory created 0700 when missing). A store
  /// whose directory is not a directory of this user's, or is writable by
  /// others, is disabled: lookups miss and stores do nothing.
  Store(const std::string& directory, const std::string& invocation);
  bool enabled() const { return !entry_.empty(); }
  /// Why the store is disabled ("" when it is not).
  const std::string& disabledBecause() const { return disabled_; }
  Lookup lookup() const;
  /// Keeps the result of a run that read `inputs`. Failures are ignored: the
  /// next run just misses.
  void store(const check::LoadRecord& inputs, const Result& result) const;

 private:
  std::string invocation_;
  std::string entry_;  // the entry's path
  std::string disabled_;
};

/// The syntax trees of files that parsed cleanly, one entry per text
/// (DIR/v1/ast/, named by the SHA-256 of meshc's identity and the text's
/// digest), each ending with its own SHA-256 as results' entries do: a
/// damaged entry is not read, and the file is parsed again.
class TreeStore : public check::SyntaxTrees {
 public:
  /// Stores nothing and finds nothing when `directory` is unusable.
  explicit TreeStore(const std::string& directory);
  bool find(const std::string& digest, uint32_t fileId, ast::File& out) override;
  void keep(const std::string& digest, const ast::File& file) override;

 private:
  std::string entryOf(const std::string& digest) const;
  std::string dir_;  // "" when unusable
};

/// $MESH_CACHE_DIR, else $XDG_CACHE_HOME/meshc, else $HOME/.cache/meshc;
/// "" when none is set.
std::string defaultDirectory();

/// What tells this meshc from any other build of it: its GNU build id (the
/// SHA-256 of the executable when it has none).
const std::string& toolIdentity();

}  // namespace mesh::cache
