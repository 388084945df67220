#include "workspace/WorkspaceFile.h"

#include <fmt/format.h>
// g++ 12 sees dangling pointers in yaml-cpp's inlined node iterators that
// are not there (a known false positive of -Wdangling-pointer).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdangling-pointer"
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>
#pragma GCC diagnostic pop

#include <algorithm>
#include <filesystem>
#include <functional>
#include <map>

#include "support/Text.h"

namespace mesh::workspace {
namespace fs = std::filesystem;
namespace {

// Where yaml-cpp's marks (0-based line and column) fall in the text.
class Positions {
 public:
  Positions(uint32_t file, const std::string& text) : file_(file), size_(text.size()) {
    starts_.push_back(0);
    for (size_t i = 0; i < text.size(); ++i)
      if (text[i] == '\n') starts_.push_back(i + 1);
  }
  SourceRange at(const YAML::Mark& mark, size_t length) const {
    size_t line = mark.line < 0 ? 0 : std::min(static_cast<size_t>(mark.line), starts_.size() - 1);
    size_t begin = std::min(starts_[line] + static_cast<size_t>(std::max(mark.column, 0)), size_);
    size_t end = std::min(begin + std::max<size_t>(length, 1), size_);
    return {file_, static_cast<uint32_t>(begin), static_cast<uint32_t>(std::max(end, begin))};
  }
  SourceRange of(const YAML::Node& node) const { return at(node.Mark(), node.IsScalar() ? node.Scalar().size() : 1); }

 private:
  uint32_t file_;
  size_t size_;
  std::vector<size_t> starts_;
};

const char* kindOf(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Scalar:
      return "a scalar";
    default:
      return "nothing";
  }
}

// A dotted package name: identifiers joined by '.'.
bool packageName(const std::string& s) {
  bool start = true;
  for (char c : s) {
    if (c == '.') {
      if (start) return false;
      start = true;
      continue;
    }
    bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    if (!letter && !(c >= '0' && c <= '9' && !start)) return false;
    start = false;
  }
  return !s.empty() && !start;
}

class Reader {
 public:
  Reader(Settings& out, const Positions& at, DiagnosticEngine& diags) : out_(out), at_(at), diags_(diags) {}

  void document(const YAML::Node& root) {
    if (root.IsNull()) return;  // an empty file: every setting at its default
    if (!root.IsMap()) {
      diags_.report(DiagKind::E0903, at_.of(root),
                    fmt::format("a workspace file is a mapping of settings, not {}", kindOf(root)));
      return;
    }
    keys(root, "", {"version", "contracts", "include", "output", "targets", "policies", "registry", "diagnostics"},
         [&](const std::string& key, const YAML::Node& value) { setting(key, value); });
  }

 private:
  // Each key of `map` once, a known one handed to `take`.
  void keys(const YAML::Node& map, const std::string& within, const std::vector<std::string>& known,
            const std::function<void(const std::string&, const YAML::Node&)>& take) {
    std::map<std::string, SourceRange> seen;
    // Each entry is a value: yaml-cpp's iterator hands out a temporary
    // pair, so a reference to it->first would outlive it.
    for (const auto& entry : map) {
      const YAML::Node& key = entry.first;
      if (!key.IsScalar()) {
        diags_.report(DiagKind::E0903, at_.of(key), fmt::format("a key{} is a name, not {}", within, kindOf(key)));
        continue;
      }
      const std::string& name = key.Scalar();
      if (std::find(known.begin(), known.end(), name) == known.end()) {
        auto d = diags_.report(DiagKind::E0902, at_.of(key),
                               fmt::format("unknown key '{}'{}", escapeControlCharacters(name), within));
        if (auto guess = closestMatch(name, known)) d.note(fmt::format("did you mean '{}'?", *guess));
        continue;
      }
      if (auto [first, fresh] = seen.emplace(name, at_.of(key)); !fresh) {
        diags_.report(DiagKind::E0906, at_.of(key), fmt::format("'{}'{} is given twice", name, within))
            .note("first given here", first->second);
        continue;
      }
      take(name, entry.second);
    }
  }

  void setting(const std::string& key, const YAML::Node& value) {
    if (key == "version") {
      if (auto v = scalar(key, value); v && v->value != "1")
        diags_
            .report(DiagKind::E0904, v->range,
                    fmt::format("unsupported version '{}'", escapeControlCharacters(v->value)))
            .note("this meshc reads workspace files of version 1");
    } else if (key == "contracts") {
      paths(key, value, out_.contracts);
    } else if (key == "include") {
      paths(key, value, out_.includes);
    } else if (key == "output") {
      if (auto v = scalar(key, value)) out_.output = path(*v);
    } else if (key == "targets") {
      list(key, value, out_.targets);
    } else if (key == "policies") {
      list(key, value, out_.policies);
      for (const Entry& p : out_.policies)
        if (!packageName(p.value))
          diags_
              .report(DiagKind::E0904, p.range,
                      fmt::format("'{}' is not a package name", escapeControlCharacters(p.value)))
              .note("a package name is identifiers joined by '.', like platform.governance");
    } else if (key == "registry") {
      if (auto v = scalar(key, value)) registry(*v);
    } else if (key == "diagnostics") {
      diagnostics(value);
    }
  }

  void registry(const Entry& url) {
    if (url.value.rfind("http://", 0) == 0 || url.value.rfind("https://", 0) == 0) {
      out_.registry = url;
      return;
    }
    diags_
        .report(DiagKind::E0904, url.range,
                fmt::format("'{}' is not an http:// or https:// URL", escapeControlCharacters(url.value)))
        .note(
            "the schema registry's URL, like http://localhost:8081; its credentials go in "
            "MESH_SCHEMA_REGISTRY_AUTH, never in this file");
  }

  void diagnostics(const YAML::Node& value) {
    if (!value.IsMap()) {
      diags_.report(DiagKind::E0903, at_.of(value),
                    fmt::format("'diagnostics' is a mapping (format, color), not {}", kindOf(value)));
      return;
    }
    keys(value, " in 'diagnostics'", {"format", "color"}, [&](const std::string& key, const YAML::Node& v) {
      auto entry = scalar(key, v);
      if (!entry) return;
      std::vector<std::string> allowed = key == "format" ? std::vector<std::string>{"text", "json", "sarif"}
                                                         : std::vector<std::string>{"auto", "always", "never"};
      if (std::find(allowed.begin(), allowed.end(), entry->value) == allowed.end()) {
        diags_.report(DiagKind::E0904, entry->range,
                      fmt::format("'{}' must be {}, {} or {}, not '{}'", key, allowed[0], allowed[1], allowed[2],
                                  escapeControlCharacters(entry->value)));
        return;
      }
      (key == "format" ? out_.diagnosticsFormat : out_.color) = entry;
    });
  }

  std::optional<Entry> scalar(const std::string& key, const YAML::Node& value) {
    if (!value.IsScalar()) {
      diags_.report(DiagKind::E0903, at_.of(value), fmt::format("'{}' is a single value, not {}", key, kindOf(value)));
      return std::nullopt;
    }
    if (value.Scalar().empty()) {
      diags_.report(DiagKind::E0904, at_.of(value), fmt::format("'{}' is empty", key));
      return std::nullopt;
    }
    return Entry{value.Scalar(), at_.of(value)};
  }

  void list(const std::string& key, const YAML::Node& value, std::vector<Entry>& into) {
    if (!value.IsSequence()) {
      diags_.report(DiagKind::E0903, at_.of(value), fmt::format("'{}' is a list, not {}", key, kindOf(value)))
          .note(fmt::format("write it as '{}: [a, b]' or one '- item' a line", key));
      return;
    }
    for (const YAML::Node& item : value)
      if (auto e = scalar(key, item)) into.push_back(std::move(*e));
  }

  void paths(const std::string& key, const YAML::Node& value, std::vector<Entry>& into) {
    std::vector<Entry> raw;
    list(key, value, raw);
    for (Entry& e : raw) into.push_back(path(std::move(e)));
  }

  // A path of the file: relative to the workspace root, as written.
  static Entry path(Entry e) {
    e.value = fs::path(e.value).lexically_normal().string();
    if (e.value.size() > 1 && e.value.back() == '/') e.value.pop_back();
    return e;
  }

  Settings& out_;
  const Positions& at_;
  DiagnosticEngine& diags_;
};

}  // namespace

std::string find(const std::string& start) {
  std::error_code ec;
  fs::path dir = fs::absolute(start.empty() ? "." : start, ec);
  if (ec) return "";
  if (!fs::is_directory(dir, ec)) dir = dir.parent_path();
  for (fs::path d = dir.lexically_normal();; d = d.parent_path()) {
    fs::path candidate = d / kFileName;
    if (fs::is_regular_file(candidate, ec)) {
      // Shown relative to the current directory where it is below it.
      fs::path relative = candidate.lexically_relative(fs::current_path(ec));
      return !relative.empty() && *relative.begin() != ".." ? relative.string() : candidate.string();
    }
    if (d == d.parent_path() || d.empty()) return "";
  }
}

bool read(const std::string& file, Settings& out, SourceManager& sources, DiagnosticEngine& diags, std::string& error) {
  std::string text;
  switch (readSourceFile(file, text)) {
    case SourceRead::Ok:
      break;
    case SourceRead::TooLarge:
      error = fmt::format("'{}' is larger than 16 MiB; a workspace file is a few lines", file);
      return false;
    case SourceRead::Failed:
      error = fmt::format("cannot read '{}'", file);
      return false;
  }
  sanitizeUtf8(text);
  out.file = file;
  out.root = fs::path(file).parent_path().lexically_normal().string();
  if (out.root.empty()) out.root = ".";
  uint32_t id = sources.addFile(file, text);
  Positions at(id, text);
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::DeepRecursion& e) {
    diags.report(DiagKind::E0901, at.at(e.mark, 1),
                 fmt::format("not valid YAML here: nested more than {} levels deep", e.depth()));
    return true;
  } catch (const YAML::Exception& e) {
    diags.report(DiagKind::E0901, at.at(e.mark, 1), fmt::format("not valid YAML: {}", e.msg));
    return true;
  }
  Reader(out, at, diags).document(root);
  return true;
}

std::string initialFile(const std::string& contracts) {
  return fmt::format(R"(# mesh.yaml: this workspace's settings for meshc (docs/workspace.md).
# meshc finds it in the directory it is given or the nearest one above, as
# buf finds buf.yaml; flags on the command line override what it says.
# Paths are relative to this file's directory.
version: 1

# The package roots: what `meshc build` and `meshc check` read when they are
# given no path.
contracts:
  - {}

# More roots searched for imported packages (--include), before the
# standard library.
include: []

# Where `meshc build` writes (-o); gen/ beside this file when not set.
output: gen

# What `meshc build` generates (--target): cpp, manifest, jsonschema, docs, avro.
targets: [cpp, manifest, jsonschema]

# Packages every build imports, whether or not a contract imports them: the
# platform team's governance policies, e.g. [std.policy.baseline].
policies: []

# The schema registry of `format avro` products (meshc registry push|check,
# --registry; MESH_SCHEMA_REGISTRY_URL overrides it). Its credentials go in
# MESH_SCHEMA_REGISTRY_AUTH (user:password), never in this file.
# registry: http://localhost:8081

# How diagnostics are shown (--format text|json|sarif, --color auto|always|never).
diagnostics:
  format: text
  color: auto
)",
                     contracts);
}

}  // namespace mesh::workspace
