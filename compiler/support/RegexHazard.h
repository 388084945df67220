// RegexHazard: finds patterns that RE2 matches in linear time but that a
// backtracking engine (ECMAScript's, PCRE, java.util.regex: the consumers of
// an exported JSON Schema) can take exponential time on, like `^(a+)+$`.
#pragma once

#include <optional>
#include <string>

namespace mesh::support {

/// Why `pattern` (RE2 syntax) can make a backtracking engine take
/// exponential time, as a phrase (`a repetition of ... inside a repetition`),
/// or nothing. Works on the pattern's structure, read after RE2 has accepted
/// it (RE2 exports no parse tree). Flags a repetition whose body can end (or
/// start) with a repetition or option that can hand a character to the next
/// (or previous) round of the outer repetition, and a repeated alternation
/// of fixed-length branches in which one string can be divided into rounds
/// in two ways. Nothing for a pattern RE2 does not compile, and for one
/// longer than 2,000 bytes.
std::optional<std::string> backtrackingHazard(const std::string& pattern);

}  // namespace mesh::support
