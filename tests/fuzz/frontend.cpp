// Fuzz target: the front end, everything `meshc check` runs (load, parse,
// resolve, type-check, policies: compilation::Compilation, as in the driver;
// then the text, JSON and SARIF renderings of the diagnostics) on one input. The input is one or more files: a line
// `//--- NAME` starts a new file (the example domains are seeds that way, so
// cross-package references and policies are reached); the standard library
// comes from the source tree. Any crash, sanitizer report or hang is a
// finding; diagnostics are the expected outcome for bad input.
#include <pthread.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "compilation/Compilation.h"
#include "diagnostics/Render.h"

namespace {

constexpr std::string_view kFileMarker = "//--- ";

std::vector<std::pair<std::string, std::string>> splitFiles(std::string_view input) {
  std::vector<std::pair<std::string, std::string>> files;
  std::string name = "input.mesh";
  size_t start = 0;
  for (size_t pos = 0; pos < input.size();) {
    size_t eol = input.find('\n', pos);
    if (eol == std::string_view::npos) eol = input.size();
    std::string_view line = input.substr(pos, eol - pos);
    if (line.substr(0, kFileMarker.size()) == kFileMarker) {
      // The text before the first marker is a file only when there is some.
      if (pos > 0) files.emplace_back(name, std::string(input.substr(start, pos - start)));
      name = std::string(line.substr(kFileMarker.size()));
      if (name.empty() || name.size() > 200) name = "input" + std::to_string(files.size()) + ".mesh";
      start = std::min(eol + 1, input.size());
    }
    pos = eol + 1;
  }
  files.emplace_back(name, std::string(input.substr(start)));
  return files;
}

void checkOnce(const std::string& input) {
  mesh::compilation::Options options;
  options.memoryFiles = splitFiles(input);
  options.stdlibDir = MESH_SOURCE_DIR "/stdlib";
  options.today = *meshrt::parseDate("2026-11-25");
  mesh::compilation::Compilation c;
  std::string error;
  if (!c.loadAndCheck(options, error)) {
    // Memory files cannot fail to be read; the standard library is there.
    std::fprintf(stderr, "fuzz-frontend: load failed: %s\n", error.c_str());
    std::abort();
  }
  if (!c.build) {
    std::fprintf(stderr, "fuzz-frontend: checkBuild returned no model\n");
    std::abort();
  }
  c.evaluatePolicies();  // only when checking reported no error
  c.diags.sortAndDedupe(c.ws.sources);
  if (std::getenv("MESH_FUZZ_VERBOSE"))  // to look at what an input reaches
    std::fprintf(stderr, "fuzz-frontend: %zu files, %u errors, %zu diagnostics\n", c.ws.files.size(),
                 c.diags.errorCount(), c.diags.all().size());
  for (auto format : {mesh::DiagFormat::Text, mesh::DiagFormat::Json, mesh::DiagFormat::Sarif}) {
    mesh::RenderOptions render;
    render.format = format;
    render.toolVersion = "fuzz";
    std::ostringstream out, err;
    mesh::renderDiagnostics(c.diags, c.ws.sources, render, out, err);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // meshc runs the front end on a 512 MiB stack (Driver.cpp,
  // runWithLargeStack); so does this target, or deep but legal nesting would
  // be reported as a stack overflow that meshc never has.
  struct Job {
    std::string input;
  } job{std::string(reinterpret_cast<const char*>(data), size)};
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, size_t(512) << 20);
  pthread_t thread;
  auto entry = [](void* p) -> void* {
    checkOnce(static_cast<Job*>(p)->input);
    return nullptr;
  };
  if (pthread_create(&thread, &attr, entry, &job) != 0) {
    std::fprintf(stderr, "fuzz-frontend: cannot start a thread\n");
    std::abort();
  }
  pthread_join(thread, nullptr);
  pthread_attr_destroy(&attr);
  return 0;
}
