// Compilation: load, check on a day, evaluate policies (see Compilation.h).
#include "compilation/Compilation.h"

#include <fmt/format.h>

#include <cstdlib>
#include <ctime>
#include <filesystem>

#include "check/Check.h"
#include "compilation/Defaults.h"
#include "policy/Evaluate.h"
#include "support/Text.h"

namespace mesh::compilation {

std::optional<meshrt::Date> todayFromEnvironment(std::string& error) {
  if (const char* env = std::getenv("MESH_TODAY")) {
    if (auto day = meshrt::parseDate(env)) return day;
    error = fmt::format("MESH_TODAY is '{}', not a date YYYY-MM-DD such as 2026-11-25", escapeControlCharacters(env));
    return std::nullopt;
  }
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  return meshrt::parseDate(fmt::format("{:04}-{:02}-{:02}", utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday));
}

int64_t startOfDayMicros(meshrt::Date day) { return int64_t(day.days) * 86'400'000'000; }

bool Compilation::loadAndCheck(const Options& options, std::string& error) {
  if (!check::load(options, ws, diags, error)) return false;
  loaded = std::chrono::steady_clock::now();
  for (const auto& path : options.paths) {
    std::error_code ec;
    sourceRoots.push_back(std::filesystem::is_directory(path, ec) ? path
                                                                  : std::filesystem::path(path).parent_path().string());
  }
  sourceRoots.insert(sourceRoots.end(), options.includes.begin(), options.includes.end());
  today_ = options.today;
  jobs_ = options.jobs;
  keepState_ = options.lastCheck != nullptr;
  std::string why = "no state of a last check";
  if (options.lastCheck && !options.lastCheck->empty())
    incremental_ = Incremental::plan(*options.lastCheck, ws, diags, why);
  runChecker(incremental_.get());
  if (incremental_ && !incremental_->mergeChecks(diags, ws, why)) checkWhole(why);
  if (incremental_)
    summary_ = incremental_->describe(ws.packages.size());
  else if (keepState_)
    summary_ = fmt::format("checked all {} packages ({})", ws.packages.size(), why);
  checked = std::chrono::steady_clock::now();
  return true;
}

void Compilation::runChecker(const Incremental* plan) {
  check::CheckOptions options{meshrt::formatDate(today_), jobs_};
  if (plan) {
    options.packages = &plan->checked();
    options.reported = &plan->affectedPackages();
  }
  build = check::checkBuild(ws, diags, options);
  checkDefaults(*build, diags);
}

// After a plan that could not be carried out: the whole build, as without
// one (the load had reported nothing, or there would have been no plan).
void Compilation::checkWhole(const std::string& why) {
  incremental_.reset();
  diags = DiagnosticEngine();
  runChecker(nullptr);
  summary_ = fmt::format("checked all {} packages ({})", ws.packages.size(), why);
}

void Compilation::evaluatePolicies() {
  size_t from = diags.size();
  std::vector<std::string> owners;
  bool evaluate = !diags.hasErrors();
  if (evaluate) {
    policy::EvaluateOptions options;
    options.nowMicros = startOfDayMicros(today_);
    if (keepState_) options.owners = &owners;
    if (incremental_) options.productsOf = &incremental_->affected();
    policy::evaluate(*build, ws.sources, diags, options);
    std::string why;
    if (incremental_ && !incremental_->mergePolicies(diags, from, ws, owners, why)) {
      checkWhole(why);
      evaluatePolicies();
      return;
    }
  }
  if (keepState_) state_ = compilation::checkState(ws, diags, from, owners, evaluate);
}

}  // namespace mesh::compilation
