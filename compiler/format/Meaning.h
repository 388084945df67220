// Meaning: the safety net of meshc fmt. What a formatting must not change,
// computed without source positions so that a text and its formatting can
// be compared (docs/fmt.md, "The safety net").
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace mesh::format {

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
std::string checkedMeaning(const std::vector<std::pair<std::string, std::string>>& files, const std::string& stdlibDir);

/// The first difference between two meanings, in words ("the tokens differ
/// at ..."); empty when they are equal.
std::string describeDifference(const Meaning& before, const Meaning& after);

}  // namespace mesh::format
