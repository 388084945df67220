// Parse: one source file in, its AST out. Lexical and syntax errors are
// reported in the project's words; the parser recovers so that one run reports
// every independent error. This is the only phase that sees ANTLR.
#pragma once

#include <vector>

#include "ast/AST.h"
#include "diagnostics/Diagnostic.h"

namespace mesh::syntax {

/// Parses the file `fileId` of `sm`. `invalidUtf8` lists the byte offsets
/// where sanitizeUtf8 replaced invalid input (each is reported once).
ast::File parseFile(const SourceManager& sm, uint32_t fileId, const std::vector<uint32_t>& invalidUtf8,
                    DiagnosticEngine& diags);

/// Limits that keep hostile input from exhausting the stack.
inline constexpr int kMaxNesting = 256;
inline constexpr int kMaxExprDepth = 1000;
inline constexpr int kMaxSyntaxErrorsPerFile = 100;

}  // namespace mesh::syntax
