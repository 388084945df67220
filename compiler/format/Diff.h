// Diff: a unified diff of two texts, for `meshc fmt --check`.
#pragma once

#include <string>

namespace mesh::format {

/// The unified diff (3 lines of context) from `before` to `after`, with
/// `---`/`+++` headers naming `path`; empty when the texts are equal.
std::string unifiedDiff(const std::string& path, const std::string& before, const std::string& after);

}  // namespace mesh::format
