#include "driver/Workspace.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>

#include "check/Loader.h"
#include "llvm/Support/raw_ostream.h"
#include "support/Text.h"

namespace mesh::driver {
namespace fs = std::filesystem;

bool renderOptionsFor(const std::string& format, const std::string& color, RenderOptions& out) {
  if (format == "text")
    out.format = DiagFormat::Text;
  else if (format == "json")
    out.format = DiagFormat::Json;
  else if (format == "sarif")
    out.format = DiagFormat::Sarif;
  else {
    llvm::errs() << "meshc: --format must be text, json or sarif, not '" << escapeControlCharacters(format) << "'\n";
    return false;
  }
  if (color == "always")
    out.color = true;
  else if (color == "never")
    out.color = false;
  else if (color == "auto")
    out.color = isatty(2) && !std::getenv("NO_COLOR");
  else {
    llvm::errs() << "meshc: --color must be auto, always or never, not '" << escapeControlCharacters(color) << "'\n";
    return false;
  }
  out.toolVersion = MESH_VERSION;
  return true;
}

namespace {

std::vector<std::string> values(const std::vector<workspace::Entry>& entries) {
  std::vector<std::string> out;
  for (const auto& e : entries) out.push_back(e.value);
  return out;
}

}  // namespace

// With a workspace file, meshc runs from the workspace root, as buf runs
// from its module's: the file's paths mean what they say, and diagnostics and
// generated files name sources the same way from whichever directory meshc
// was started. The flags' paths are rebased onto it.
bool WorkspaceRun::enterRoot(const std::string& root, Flags& flags) {
  std::error_code ec;
  fs::path base = fs::absolute(root, ec).lexically_normal();
  if (!ec) {
    auto rebase = [&](std::string& p) {
      fs::path abs = fs::absolute(p, ec).lexically_normal();
      fs::path rel = abs.lexically_relative(base);
      p = (rel.empty() || *rel.begin() == "..") ? abs.string() : rel.string();
    };
    for (auto* list : {&flags.paths, &flags.includes, &flags.others})
      for (std::string& p : *list) rebase(p);
    if (flags.output) rebase(*flags.output);
    fs::current_path(base, ec);
  }
  if (ec) {
    llvm::errs() << "meshc: cannot work in the workspace root '" << escapeControlCharacters(root)
                 << "': " << ec.message() << "\n";
    return false;
  }
  return true;
}

int WorkspaceRun::settle(Flags flags, const std::vector<std::string>& targetNames, Settings& out) {
  // The diagnostics of the file itself are shown as the flags ask, or as text.
  if (!renderOptionsFor(flags.format.value_or("text"), flags.color.value_or("auto"), render_)) return 2;
  std::string found = workspace::find(flags.paths.empty() ? "." : flags.paths.front());
  std::string error;
  if (!found.empty() && !workspace::read(found, out.file, sources_, diags_, error)) {
    llvm::errs() << "meshc: " << escapeControlCharacters(error) << "\n";
    return 2;
  }
  const workspace::Settings& file = out.file;
  for (const auto& t : file.targets)
    if (std::find(targetNames.begin(), targetNames.end(), t.value) == targetNames.end()) {
      auto d =
          diags_.report(DiagKind::E0904, t.range, fmt::format("unknown target '{}'", escapeControlCharacters(t.value)));
      if (auto guess = closestMatch(t.value, targetNames)) d.note(fmt::format("did you mean '{}'?", *guess));
    }
  if (diags_.hasErrors()) return finish();
  if (!file.file.empty() && !enterRoot(file.root, flags)) return 2;
  out.paths = !flags.paths.empty() ? flags.paths : values(file.contracts);
  if (out.paths.empty()) {
    llvm::errs() << (file.file.empty()
                         ? fmt::format("meshc: no path given, and no mesh.yaml here or above: give the contracts' "
                                       "directory (meshc {} contracts/) or write a workspace file with meshc init\n",
                                       flags.command)
                         : fmt::format("meshc: no path given, and '{}' names no contracts\n",
                                       escapeControlCharacters(file.file)));
    return 2;
  }
  out.others = flags.others;
  out.includes = !flags.includes.empty() ? flags.includes : values(file.includes);
  out.packages = values(file.policies);
  out.targets = !flags.targets.empty() ? flags.targets : values(file.targets);
  out.output = flags.output ? *flags.output : file.output ? file.output->value : "gen";
  out.registry = file.registry ? file.registry->value : "";
  out.format = flags.format ? *flags.format : file.diagnosticsFormat ? file.diagnosticsFormat->value : "text";
  out.color = flags.color ? *flags.color : file.color ? file.color->value : "auto";
  return 0;
}

int WorkspaceRun::checkPackages(const Settings& settings, const check::Workspace& ws) {
  for (const auto& p : settings.file.policies) {
    if (ws.packages.count(p.value)) continue;
    diags_.report(DiagKind::E0905, p.range, fmt::format("package '{}' not found", escapeControlCharacters(p.value)))
        .note(
            fmt::format("every build imports the packages under 'policies'; searched: {}", fmt::join(ws.roots, ", ")));
  }
  return diags_.hasErrors() ? finish() : 0;
}

int initWorkspace(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    llvm::errs() << "meshc: '" << escapeControlCharacters(dir) << "' is not a directory\n";
    return 2;
  }
  fs::path file = fs::path(dir) / workspace::kFileName;
  std::string contracts = fs::is_directory(fs::path(dir) / "contracts", ec) ? "contracts" : ".";
  std::string text = workspace::initialFile(contracts);
  // O_EXCL | O_NOFOLLOW: never over a file that is there, nor through a link.
  int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0) {
    int err = errno;
    if (err == EEXIST) {
      llvm::errs() << "meshc: '" << escapeControlCharacters(file.string())
                   << "' exists already; edit it, or remove it to start again\n";
      return 1;
    }
    llvm::errs() << "meshc: cannot write '" << escapeControlCharacters(file.string()) << "': " << std::strerror(err)
                 << "\n";
    return 2;
  }
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ok = ::close(fd) == 0 && ok;
  if (!ok) {
    llvm::errs() << "meshc: cannot write '" << escapeControlCharacters(file.string()) << "'\n";
    fs::remove(file, ec);
    return 2;
  }
  std::cout << "wrote " << file.lexically_normal().string() << " (contracts: " << contracts << ")\n";
  return 0;
}

int WorkspaceRun::finish() {
  diags_.sortAndDedupe(sources_);
  renderDiagnostics(diags_, sources_, render_, std::cout, std::cerr);
  std::cout.flush();
  return 1;
}

}  // namespace mesh::driver
