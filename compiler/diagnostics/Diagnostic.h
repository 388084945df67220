// Diagnostic: the kinds registry, one reported problem, and the engine that
// collects them for a build. Rendering lives in Render.h.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "source/SourceManager.h"

namespace mesh {

enum class Severity { Error, Warning, Note };

enum class DiagKind {
#define DIAG(code, severity, title) code,
#include "diagnostics/Kinds.def"
#undef DIAG
};

struct DiagKindInfo {
  std::string_view code;
  Severity severity;
  std::string_view title;
};

const DiagKindInfo& info(DiagKind kind);
std::vector<DiagKind> allDiagKinds();
std::optional<DiagKind> diagKindFromCode(std::string_view code);
/// The long explanation of `meshc explain CODE` (markdown).
std::string_view explanation(DiagKind kind);
std::string_view severityName(Severity severity);
/// For a kind whose shown severity the run decides (`meshc breaking`'s
/// E07xx/W07xx/N07xx, by the product's mode and version), the paragraph
/// `meshc explain` prints to say so; empty for the others. The code's
/// letter is always the default severity.
std::string_view severityRemark(DiagKind kind);

struct DiagNote {
  std::string message;
  SourceRange range;  // may be invalid: a note without a location
};

struct Diagnostic {
  DiagKind kind;
  Severity severity;
  SourceRange range;  // may be invalid for whole-build problems
  std::string message;
  std::vector<DiagNote> notes;
};

/// Collects diagnostics. Emission sites chain notes:
///   diags.report(DiagKind::E0301, range, msg).note("...", where);
class DiagnosticEngine {
 public:
  class Builder {
   public:
    explicit Builder(Diagnostic* d) : d_(d) {}
    Builder& note(std::string message, SourceRange range = {}) {
      if (d_) d_->notes.push_back({std::move(message), range});
      return *this;
    }

   private:
    Diagnostic* d_;
  };

  Builder report(DiagKind kind, SourceRange range, std::string message);
  Builder report(DiagKind kind, Severity severity, SourceRange range, std::string message);

  unsigned errorCount() const { return errors_; }
  bool hasErrors() const { return errors_ != 0; }
  const std::vector<Diagnostic>& all() const { return diags_; }
  /// Appends another engine's diagnostics (used when phases run per file).
  void absorb(DiagnosticEngine&& other);
  /// Drops the diagnostics for which `drop` is true (follow-on errors).
  template <typename Pred>
  void removeIf(Pred drop) {
    std::vector<Diagnostic> kept;
    errors_ = 0;
    for (auto& d : diags_) {
      if (drop(d)) continue;
      if (d.severity == Severity::Error) ++errors_;
      kept.push_back(std::move(d));
    }
    diags_ = std::move(kept);
  }
  size_t size() const { return diags_.size(); }
  /// Removes and returns the diagnostics from index `from` on.
  std::vector<Diagnostic> takeFrom(size_t from) {
    std::vector<Diagnostic> out(std::make_move_iterator(diags_.begin() + from), std::make_move_iterator(diags_.end()));
    diags_.resize(from);
    errors_ = 0;
    for (auto& d : diags_)
      if (d.severity == Severity::Error) ++errors_;
    return out;
  }

  /// Orders by file name and position and drops exact repeats.
  void sortAndDedupe(const SourceManager& sm);

  /// Caps the number of errors kept, so a binary blob does not print a
  /// million lines; the count stays exact.
  static constexpr unsigned kMaxKeptPerFile = 200;

 private:
  std::vector<Diagnostic> diags_;
  unsigned errors_ = 0;
};

/// "did you mean" helper: the candidate closest to `name` by edit distance,
/// if it is close enough to be a likely typo.
std::optional<std::string> closestMatch(std::string_view name, const std::vector<std::string>& candidates);

}  // namespace mesh
