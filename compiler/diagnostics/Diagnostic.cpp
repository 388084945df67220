// Diagnostic: the kinds registry and the collecting engine.
#include "diagnostics/Diagnostic.h"

#include <algorithm>
#include <tuple>

#include "llvm/ADT/StringRef.h"
#include "support/EnumNames.h"

namespace mesh {

namespace {
const DiagKindInfo kInfos[] = {
#define DIAG(code, severity, title) {#code, Severity::severity, title},
#include "diagnostics/Kinds.def"
#undef DIAG
};

struct Explanation {
  std::string_view code;
  std::string_view text;
};
const Explanation kExplanations[] = {
#define EXPLAIN(code, text) {#code, text},
#include "diagnostics/Explanations.def"
#undef EXPLAIN
};
}  // namespace

const DiagKindInfo& info(DiagKind kind) { return kInfos[static_cast<size_t>(kind)]; }

std::string_view severityRemark(DiagKind kind) {
  // The compatibility range of Kinds.def: one code per kind of change, shown
  // with the severity the product's mode and version give it.
  if (info(kind).code.substr(1, 2) != "07") return {};
  return "Severity: the code's letter is its default severity. `meshc breaking`\n"
         "shows it as an error when the change breaks the product's compatibility\n"
         "mode, as a warning when it does but the product's major version went up,\n"
         "and as a note when the mode allows the change (docs/compatibility.md).\n"
         "The code names the kind of change and is the same in every mode.";
}

std::vector<DiagKind> allDiagKinds() {
  std::vector<DiagKind> kinds;
  for (size_t i = 0; i < std::size(kInfos); ++i) kinds.push_back(static_cast<DiagKind>(i));
  return kinds;
}

std::optional<DiagKind> diagKindFromCode(std::string_view code) {
  for (size_t i = 0; i < std::size(kInfos); ++i)
    if (llvm::StringRef(kInfos[i].code).equals_insensitive(llvm::StringRef(code.data(), code.size())))
      return static_cast<DiagKind>(i);
  return std::nullopt;
}

std::string_view explanation(DiagKind kind) {
  for (const auto& e : kExplanations) {
    if (e.code != info(kind).code) continue;
    std::string_view text = e.text;
    while (!text.empty() && text.front() == '\n') text.remove_prefix(1);
    return text;
  }
  return {};
}

std::string_view severityName(Severity severity) {
  static constexpr const char* kNames[] = {"error", "warning", "note"};
  return enumName<Severity::Note>(severity, kNames);
}

DiagnosticEngine::Builder DiagnosticEngine::report(DiagKind kind, SourceRange range, std::string message) {
  return report(kind, info(kind).severity, range, std::move(message));
}

DiagnosticEngine::Builder DiagnosticEngine::report(DiagKind kind, Severity severity, SourceRange range,
                                                   std::string message) {
  if (severity == Severity::Error) ++errors_;
  diags_.push_back({kind, severity, range, std::move(message), {}});
  return Builder(&diags_.back());
}

void DiagnosticEngine::absorb(DiagnosticEngine&& other) {
  errors_ += other.errors_;
  diags_.insert(diags_.end(), std::make_move_iterator(other.diags_.begin()),
                std::make_move_iterator(other.diags_.end()));
  other.diags_.clear();
  other.errors_ = 0;
}

void DiagnosticEngine::sortAndDedupe(const SourceManager& sm) {
  auto key = [&](const Diagnostic& d) {
    std::string_view file = d.range.valid() ? std::string_view(sm.name(d.range.file)) : "";
    return std::make_tuple(file, d.range.begin, d.range.end);
  };
  std::stable_sort(diags_.begin(), diags_.end(),
                   [&](const Diagnostic& a, const Diagnostic& b) { return key(a) < key(b); });
  auto same = [](const Diagnostic& a, const Diagnostic& b) {
    return a.kind == b.kind && a.range.file == b.range.file && a.range.begin == b.range.begin && a.message == b.message;
  };
  diags_.erase(std::unique(diags_.begin(), diags_.end(), same), diags_.end());
  errors_ =
      std::count_if(diags_.begin(), diags_.end(), [](const Diagnostic& d) { return d.severity == Severity::Error; });
}

namespace {
// Two adjacent letters swapped ("levle" for "level"): the commonest typo,
// which plain edit distance counts as two edits.
bool isTransposition(std::string_view a, std::string_view b) {
  if (a.size() != b.size() || a.size() < 2) return false;
  size_t i = 0;
  while (i < a.size() && a[i] == b[i]) ++i;
  if (i + 1 >= a.size()) return false;
  return a[i] == b[i + 1] && a[i + 1] == b[i] && a.substr(i + 2) == b.substr(i + 2);
}
}  // namespace

std::optional<std::string> closestMatch(std::string_view name, const std::vector<std::string>& candidates) {
  llvm::StringRef needle(name.data(), name.size());
  // One edit for very short names, then a third of the length (at least two).
  unsigned limit = name.size() <= 3 ? 1 : std::max<unsigned>(2, name.size() / 3);
  std::optional<std::string> best;
  unsigned bestDistance = limit + 1;
  for (const auto& candidate : candidates) {
    if (candidate == name) continue;
    unsigned d = needle.edit_distance(candidate, true, limit);
    // A case-only difference or a transposition is a very likely typo.
    if (needle.equals_insensitive(candidate))
      d = 0;
    else if (isTransposition(name, candidate))
      d = std::min(d, 1u);
    if (d < bestDistance || (d == bestDistance && best && candidate < *best)) {
      bestDistance = d;
      best = candidate;
    }
  }
  if (bestDistance > limit) return std::nullopt;
  return best;
}

}  // namespace mesh
