// Depfile: writing `meshc build --depfile FILE` (see Depfile.h).
#include "driver/Depfile.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "llvm/Support/raw_ostream.h"
#include "support/Files.h"
#include "support/HoldSignals.h"
#include "support/Text.h"

namespace mesh::driver {
namespace fs = std::filesystem;

// The escapes are those GNU Make, Ninja (1.11, src/depfile_parser.in.cc) and
// CMake (cmGccDepfileLexer) agree on, as gcc writes them. Ninja ends a name
// at any byte outside its plain set that it has no escape for: those
// names are refused rather than written to be read as two.
std::optional<std::string> escapeDepfileName(std::string_view name) {
  constexpr std::string_view kNoEscape = "\"&'*;<>?^`|";
  if (name.empty() || name.back() == ':') return std::nullopt;
  std::string out;
  size_t backslashes = 0;  // how many backslashes the name has just before this byte
  for (char c : name) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f || kNoEscape.find(c) != std::string_view::npos)
      return std::nullopt;
    if (c == ' ') {
      out.append(backslashes + 1, '\\');  // 2N+1 backslashes and a space: N and a space
      out += ' ';
    } else if (c == '#' || c == ':') {
      out += '\\';
      out += c;
    } else if (c == '$') {
      if (backslashes) return std::nullopt;  // Ninja reads `\$` as a name's text and the next `$` as its end
      out += "$$";
    } else {
      out += c;
    }
    backslashes = c == '\\' ? backslashes + 1 : 0;
  }
  if (backslashes) return std::nullopt;  // it would escape the separator after it
  return out;
}

bool depfileText(const std::string& target, const std::vector<std::string>& prerequisites, std::string& out,
                 std::string& bad) {
  auto escaped = escapeDepfileName(target);
  if (!escaped) {
    bad = target;
    return false;
  }
  out = *escaped + ":";
  for (const auto& p : prerequisites) {
    escaped = escapeDepfileName(p);
    if (!escaped) {
      bad = p;
      return false;
    }
    out += " \\\n  " + *escaped;
  }
  out += "\n";
  return true;
}

namespace {

// `path` absolute and normal, from the current directory.
std::string absolutePath(const fs::path& path) {
  std::error_code ec;
  fs::path abs = fs::absolute(path, ec);
  return (ec ? path : abs).lexically_normal().string();
}

// `text` into `path` through a temporary beside it, renamed over it: a
// reader sees the old depfile or the new one. The rename replaces whatever
// is at `path` and never follows it. 0, or errno.
int replace(const std::string& path, const std::string& text) {
  HoldSignals hold;  // no temporary is left behind by an interrupt
  return replaceFileAt(AT_FDCWD, path, text);
}

}  // namespace

Depfile::Depfile(const std::string& path, const std::string& target, std::optional<std::string> outputFlag)
    : given_(path), target_(target), outputFlag_(std::move(outputFlag)) {
  if (path.empty()) return;
  path_ = absolutePath(path);
  std::error_code ec;
  start_ = fs::current_path(ec).string();
}

int Depfile::write(const check::LoadRecord& inputs, const Settings& settings) const {
  if (path_.empty()) return 0;
  // Every path absolute: meshc may run from the workspace root, and a build
  // system reads relative names from its own directory (CMake's custom
  // commands run elsewhere again).
  std::vector<std::string> prerequisites;
  for (const auto& f : inputs.files) prerequisites.push_back(absolutePath(f.path));
  if (!settings.file.file.empty()) prerequisites.push_back(absolutePath(fs::path(start_) / settings.file.file));
  std::sort(prerequisites.begin(), prerequisites.end());
  prerequisites.erase(std::unique(prerequisites.begin(), prerequisites.end()), prerequisites.end());
  std::string target = target_;
  if (target.empty() && outputFlag_) target = *outputFlag_;
  if (target.empty()) {  // the output directory, named from where meshc was started
    fs::path out = absolutePath(settings.output);
    fs::path rel = out.lexically_relative(start_);
    target = rel.empty() ? out.string() : rel.string();
  }
  std::string text, bad;
  if (!depfileText(target, prerequisites, text, bad)) {
    llvm::errs() << fmt::format(
        "meshc: cannot write the depfile '{}': '{}' has a character a depfile cannot hold (a control character or "
        "one of \" & ' * ; < > ? ^ ` |, a backslash before '$' or at the end, a ':' at the end)\n",
        escapeControlCharacters(given_), escapeControlCharacters(bad));
    return 2;
  }
  struct stat st = {};
  if (::lstat(path_.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
    std::string shown = escapeControlCharacters(given_);
    if (S_ISLNK(st.st_mode))
      llvm::errs() << fmt::format(
          "meshc: the depfile '{}' is a symbolic link; meshc does not write through links: remove it\n", shown);
    else
      llvm::errs() << fmt::format("meshc: '{}' is in the way of the depfile (not a regular file): remove it\n", shown);
    return 1;
  }
  if (int error = replace(path_, text)) {
    llvm::errs() << fmt::format("meshc: cannot write the depfile '{}': {}\n", escapeControlCharacters(given_),
                                std::strerror(error));
    return 2;
  }
  return 0;
}

}  // namespace mesh::driver
