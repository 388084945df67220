// RegexHazard: finds patterns that RE2 matches in linear time but that a
// backtracking engine (ECMAScript's, PCRE, java.util.regex: the consumers of
// an exported JSON Schema) can take exponential time on, like `^(a+)+$`.
#pragma once

#include <optional>
#include <string>

namespace mesh::support {

/// Why `pattern` (RE2 syntax) can make a backtracking engine take
/// exponential time, as a phrase (`a repetition of ... inside a repetition`),
/// or nothing. Works on RE2's parse tree. Flags a repetition whose body can
/// end (or start) with a repetition or option that can hand a character to
/// the next (or previous) round of the outer repetition, and a repeated
/// alternation of two fixed-length branches that match a common string.
/// Nothing for a pattern RE2 does not compile.
std::optional<std::string> backtrackingHazard(const std::string& pattern);

}  // namespace mesh::support
