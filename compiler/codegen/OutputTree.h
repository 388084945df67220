// OutputTree: what `meshc build` produces, buffered in an ordered map and
// written only when every generator succeeded; `--check` compares instead of
// writing (OutputTree.cpp). The generators fill it (codegen/Generator.h).
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace mesh::codegen {

/// Every file of one build, by path relative to OUT (`cpp/sales/orders.mesh.h`).
/// Generators running on several threads add to it concurrently.
class OutputTree {
 public:
  void add(std::string path, std::string content) {
    std::lock_guard<std::mutex> lock(mutex_);
    files_[std::move(path)] = std::move(content);
  }
  const std::map<std::string, std::string>& files() const { return files_; }
  /// Each file's SHA-256 (sha256Hex) by path, as the build cache keeps the
  /// tree. A tree that adopts them compares with OUT (compareTree) as the
  /// tree itself would; writeTree refuses it.
  std::map<std::string, std::string> digests(unsigned jobs) const;
  void adoptDigests(std::map<std::string, std::string> digests) {
    files_ = std::move(digests);
    digests_ = true;
  }
  bool holdsDigests() const { return digests_; }

 private:
  std::mutex mutex_;
  std::map<std::string, std::string> files_;
  bool digests_ = false;
};

/// Why writing or comparing OUT failed. `inTheWay`: something in OUT is
/// where meshc writes (a symbolic link below OUT, a directory where a file
/// belongs...): the user's tree is wrong (exit 1); otherwise the file system
/// failed (exit 2).
struct OutputFailure {
  std::string message;
  bool inTheWay = false;
};

/// Writes every file (creating directories, replacing changed files only, so
/// build systems see unchanged files as unchanged: a file whose bytes are
/// already there is not opened for writing, and keeps its mtime), on up to
/// `jobs` threads, then removes the files meshc generated earlier under
/// OUT/<target>/ that this build no longer writes (a record or package that
/// was deleted). OUT is followed if it is a link; nothing below it is ever
/// read, written or removed through a link, and a failed or interrupted
/// write leaves no temporary behind (OutputTree.cpp). `written`, when
/// given, receives the number of files written.
bool writeTree(const OutputTree& tree, const std::string& outDir, const std::vector<std::string>& targetNames,
               OutputFailure& failure, unsigned jobs = 1, size_t* written = nullptr);

/// The differences between the tree and OUT for the given targets:
/// "missing PATH", "stale PATH", "extra PATH" (files meshc generated under
/// OUT/<target>/ that the build would not write: the ones writeTree
/// removes), sorted. False when OUT cannot be compared without following a
/// link below it (or the file system fails).
bool compareTree(const OutputTree& tree, const std::string& outDir, const std::vector<std::string>& targetNames,
                 std::vector<std::string>& differences, OutputFailure& failure, unsigned jobs = 1);

}  // namespace mesh::codegen
