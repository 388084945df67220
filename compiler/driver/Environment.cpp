// Environment: the standard library's directory and the run's clock (see
// Environment.h).
#include "driver/Environment.h"

#include <cstdlib>
#include <filesystem>
#include <optional>

#include "compilation/Compilation.h"
#include "llvm/Support/raw_ostream.h"
#include "meshrt/runtime.h"

namespace mesh::driver {
namespace {
// The clock of every compilation of this run, read once by checkEnvironment.
meshrt::Date theDay;
}  // namespace

// An installed meshc (PREFIX/bin/meshc) uses its own PREFIX/share/meshc/stdlib
// even where the source tree it was built from still exists; a meshc in its
// build tree has no such directory beside it and uses the source tree's.
std::string stdlibDir() {
  if (const char* env = std::getenv("MESH_STDLIB"); env && *env) return env;
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    auto installed = exe.parent_path().parent_path() / "share" / "meshc" / "stdlib";
    if (std::filesystem::is_directory(installed, ec)) return installed.string();
  }
  return MESH_STDLIB_DIR;
}

// MESH_TODAY (meshc's "today") and MESH_NOW (now() in `validate`) pin the
// clock for reproducible runs: a value that does not parse is refused, never
// ignored for the real clock.
bool checkEnvironment() {
  std::optional<std::string> error = meshrt::nowEnvironmentError();
  std::string dayError;
  if (auto day = compilation::todayFromEnvironment(dayError))
    theDay = *day;
  else
    error = dayError;
  if (!error) return true;
  llvm::errs() << "meshc: " << *error << "\n";
  return false;
}

meshrt::Date today() { return theDay; }

}  // namespace mesh::driver
