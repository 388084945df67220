// Render: diagnostics as clang-style text, JSON Lines, or one SARIF 2.1.0 log.
#pragma once

#include <ostream>
#include <string>

#include "diagnostics/Diagnostic.h"

namespace mesh {

enum class DiagFormat { Text, Json, Sarif };

struct RenderOptions {
  DiagFormat format = DiagFormat::Text;
  bool color = false;
  std::string toolVersion;
};

/// Text goes to `err` with a closing count line; JSON and SARIF go to `out`.
void renderDiagnostics(const DiagnosticEngine& diags, const SourceManager& sm, const RenderOptions& options,
                       std::ostream& out, std::ostream& err);

}  // namespace mesh
