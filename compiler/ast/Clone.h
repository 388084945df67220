// Clone: a deep copy of one file's AST whose source ranges point into another
// file id. `meshc breaking` parses a file once when both builds hold the same
// text and gives each build its own copy, with ranges in its own
// SourceManager.
#pragma once

#include <cstdint>

#include "ast/AST.h"

namespace mesh::ast {

/// Copies `file`, with every range of `file.fileId` moved to `newFileId`
/// (invalid ranges stay invalid).
File cloneFile(const File& file, uint32_t newFileId);

/// The same for a file whose declarations are kept apart: the package and
/// imports of `head` (its own declarations are ignored), then the
/// `declCount` declarations at `decls`.
File cloneFile(const File& head, const Decl* decls, size_t declCount, uint32_t newFileId);

}  // namespace mesh::ast
