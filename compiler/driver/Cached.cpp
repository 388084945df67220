// Cached: the driver's side of the cache of results (see Cached.h).
#include "driver/Cached.h"

#include <fmt/format.h>

#include <filesystem>
#include <iostream>

#include "support/Bytes.h"

namespace mesh::driver {

std::string invocationOf(const std::string& command, const Settings& settings, const RenderOptions& render,
                         const std::string& stdlibDir, const std::string& today,
                         const std::vector<std::string>& targets) {
  std::string out;
  ByteWriter w(out);
  auto list = [&](const std::vector<std::string>& items) {
    w.u64(items.size());
    for (const auto& s : items) w.bytes(s);
  };
  std::error_code ec;
  w.bytes(command);
  w.bytes(std::filesystem::current_path(ec).string());
  list(settings.paths);
  list(settings.includes);
  list(settings.packages);
  list(targets);
  w.u64(uint64_t(render.format));
  w.boolean(render.color);
  w.bytes(render.toolVersion);
  w.bytes(stdlibDir);
  w.bytes(today);
  return out;
}

CachedRun::CachedRun(bool enabled, const std::string& invocation, bool recordInputs) : recordInputs_(recordInputs) {
  if (!enabled) {
    off_ = "off (--no-cache)";
    return;
  }
  store_.emplace(cache::defaultDirectory(), invocation);
  if (!store_->enabled()) {
    off_ = "off (" + store_->disabledBecause() + ")";
    store_.reset();
    return;
  }
  trees_.emplace(cache::defaultDirectory());
}

std::optional<cache::Result> CachedRun::lookup() {
  if (!store_) return std::nullopt;
  auto start = std::chrono::steady_clock::now();
  lookup_ = store_->lookup();
  lookupMs_ = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  if (lookup_.result) record_ = std::move(lookup_.inputs);
  return std::move(lookup_.result);
}

void CachedRun::keep(const cache::Result& result) const {
  if (store_) store_->store(record_, result);
}

std::string CachedRun::describe(const check::Workspace* ws) const {
  if (!off_.empty()) return off_;
  if (!lookup_.why.empty()) {
    std::string out = fmt::format("miss ({}; looked in {:.1f} ms)", lookup_.why, lookupMs_);
    if (ws)
      out += fmt::format("; parsed {} of {} files, {} syntax trees from the cache", ws->parsed, ws->sources.fileCount(),
                         ws->treesKept);
    return out;
  }
  return fmt::format("hit: {} files ({} bytes) verified in {:.1f} ms; nothing parsed or checked", lookup_.files,
                     lookup_.bytes, lookupMs_);
}

void emit(const cache::Result& result) {
  std::cout << result.out;
  std::cout.flush();
  std::cerr << result.err;
  std::cerr.flush();
}

}  // namespace mesh::driver
