// Cached: check and build through the cache of results (compiler/cache,
// docs/cache.md): the invocation that keys an entry, the lookup before a
// run, and keeping what the run gave after it.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "cache/Cache.h"
#include "diagnostics/Render.h"
#include "driver/Workspace.h"

namespace mesh::driver {

/// Everything besides the inputs that shapes the result of `command`: the
/// working directory, the settings, the diagnostics' form, the standard
/// library, the day and the targets (not -j, which never changes a result,
/// nor the output directory, which the generated tree does not depend on).
std::string invocationOf(const std::string& command, const Settings& settings, const RenderOptions& render,
                         const std::string& stdlibDir, const std::string& today,
                         const std::vector<std::string>& targets);

class CachedRun {
 public:
  /// `enabled` false (--no-cache): the lookup misses and nothing is kept.
  /// `recordInputs`: what the run read is wanted (inputs()) even when
  /// nothing is kept (build --depfile).
  CachedRun(bool enabled, const std::string& invocation, bool recordInputs = false);
  /// This invocation's result when none of its inputs changed.
  std::optional<cache::Result> lookup();
  /// Where the load of a run that missed records what it read (null when
  /// nothing will be kept or asked for).
  check::LoadRecord* record() { return store_ || recordInputs_ ? &record_ : nullptr; }
  /// What the run read: the entry's record after a hit, the load's after a
  /// miss (when record() was not null).
  const check::LoadRecord& inputs() const { return record_; }
  /// For a check that missed: the state the last check of this invocation
  /// kept ("" for none), or null when nothing will be kept.
  const std::string* lastCheck() const { return store_ ? &lookup_.lastCheckState : nullptr; }
  /// Where the load of a run that missed finds and keeps syntax trees.
  check::SyntaxTrees* syntaxTrees() { return trees_ ? &*trees_ : nullptr; }
  /// A build's hit that cannot be used: the output directory differs from
  /// the tree it records (the build generates again, and records anew).
  void outputDiffers() {
    lookup_.why = "the output directory differs from the tree it recorded";
    record_ = {};
  }
  /// Keeps the run's result.
  void keep(const cache::Result& result) const;
  /// For --stats: "hit: N files (B bytes) verified in T ms" or "miss (why)",
  /// with, after a miss, how many files `ws` parsed.
  std::string describe(const check::Workspace* ws = nullptr) const;

 private:
  std::optional<cache::Store> store_;
  std::optional<cache::TreeStore> trees_;
  cache::Lookup lookup_;
  std::string off_;
  double lookupMs_ = 0;
  bool recordInputs_ = false;
  check::LoadRecord record_;
};

/// Prints a result as the run that gave it did: its stdout and its stderr.
void emit(const cache::Result& result);

}  // namespace mesh::driver
