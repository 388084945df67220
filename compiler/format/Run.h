// Run: `meshc fmt PATH... [--check]`: finds the files, formats each one,
// holds every result to the safety net, and rewrites or reports.
#pragma once

#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "diagnostics/Render.h"

namespace mesh::format {

struct FmtOptions {
  std::vector<std::string> paths;  // files or directories (searched recursively for *.mesh)
  bool check = false;              // write nothing; report the files that are not formatted
  std::string stdlibDir;           // for the safety net's check of each file
  /// For tests of the safety net: changes each formatted text before the
  /// safety net sees it, as a bug of the formatter would.
  std::function<void(std::string&)> alterFormatted;
};

/// Exit status: 0 every file formatted (or, with check, already formatted);
/// 1 a file has syntax errors, is not formatted (check) or could not be
/// formatted safely; 2 a path cannot be read or written.
int runFmt(const FmtOptions& options, const RenderOptions& render, std::ostream& out, std::ostream& err);

}  // namespace mesh::format
