// Format: the canonical layout of a .mesh file (meshc fmt; the rules are in
// docs/fmt.md). Source text in, formatted text out; the order of
// declarations, members and comments is kept and no token changes, but for
// trailing commas (written in multi-line enums, left out in one-line lists).
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

}  // namespace mesh::format
