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
  build = check::checkBuild(ws, diags, {meshrt::formatDate(options.today), options.jobs});
  checkDefaults(*build, diags);
  checked = std::chrono::steady_clock::now();
  return true;
}

void Compilation::evaluatePolicies() {
  if (diags.hasErrors()) return;
  policy::EvaluateOptions options;
  options.nowMicros = startOfDayMicros(today_);
  policy::evaluate(*build, ws.sources, diags, options);
}

}  // namespace mesh::compilation
