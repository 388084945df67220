// Format: the canonical layout of a .mesh file (meshc fmt; the rules are in
// docs/fmt.md). Source text in, formatted text out; the order of
// declarations, members and comments is kept and no token changes, but for
// the trailing comma of a multi-line enum.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "diagnostics/Diagnostic.h"
#include "source/SourceManager.h"

namespace mesh::format {

/// Formats a text that parses without error; nullopt when it does not.
std::optional<std::string> formatText(const std::string& text);

/// Formats the file `fileId` of `sm`. A file with lexical or syntax errors
/// (or invalid UTF-8) gets its diagnostics in `diags` and nullopt.
std::optional<std::string> formatFile(const SourceManager& sm, uint32_t fileId,
                                      const std::vector<uint32_t>& invalidUtf8, DiagnosticEngine& diags);

/// What a formatting must not change, for the safety net: the tokens of the
/// text (comments included, a trailing comma before `}`, `]` or `)` left out),
/// the doc comment each declaration and member carries, and what checking
/// the file on its own reports and generates, without source positions.
/// Two texts with the same meaning have equal fingerprints.
struct Meaning {
  std::string tokens;
  std::string docs;
  std::string checked;
  bool operator==(const Meaning&) const = default;
};
Meaning meaningOf(const std::string& displayName, const std::string& text, const std::string& stdlibDir);

/// The checked part of a meaning for a build of several files (display
/// name, text): every diagnostic without its position, and every target's
/// output when the build checks cleanly.
std::string checkedMeaning(const std::vector<std::pair<std::string, std::string>>& files,
                           const std::string& stdlibDir);

/// The first difference between two meanings, in words ("the tokens differ
/// at ..."); empty when they are equal.
std::string describeDifference(const Meaning& before, const Meaning& after);

}  // namespace mesh::format
