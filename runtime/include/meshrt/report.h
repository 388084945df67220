// meshrt/report.h: violations and the result lines of `meshc validate` and
// `mesh-validate` (toolchain.md section 1), written by one function so both
// print the same bytes.
//
// C++17: generated code includes this header.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace meshrt {

enum class Rule { Parse, Type, Required, Unknown, Enum, Format, Where, Check };
inline constexpr size_t kRuleCount = static_cast<size_t>(Rule::Check) + 1;
const char* ruleName(Rule rule);

struct Violation {
  std::string path;  // JSONPath: $, $.a.b, $.list[3], $.map["key"], $.piiMap[#3]
  Rule rule;
  std::string message;  // never a value of the message: PII-free by construction
};

/// Appends `s` as a JSON string: `"` and `\` escaped, control characters as
/// \n \t \r \b \f or \u00XX, everything else (UTF-8) as it is.
void appendJsonString(std::string& out, std::string_view s);

/// `text` with every control character (C0 but tab, DEL and C1) written as a
/// Mesh string escape: `\n`, `\r`, `\u{1B}`. Text from contracts, the command
/// line or the environment goes through it before it reaches a terminal,
/// where ESC, BS or CR would rewrite what the user sees (meshc's text output,
/// the messages of mesh-validate and mesh-gate). Invalid UTF-8 passes as is.
std::string escapeControlCharacters(std::string_view text);
/// The same for text of several lines: its line feeds stay.
std::string escapeControlCharactersInLines(std::string_view text);

/// JSONPath steps. A member name that is an identifier is written `.name`,
/// any other as `["..."]`; map keys are always `["..."]`.
void appendPathMember(std::string& path, std::string_view name);
void appendPathKey(std::string& path, std::string_view key);
void appendPathIndex(std::string& path, uint64_t index);
/// `[#N]`: the Nth member (from 0) of an object, for a key that is withheld.
void appendPathPosition(std::string& path, uint64_t position);

/// {"line":N,"valid":true} or {"line":N,"valid":false,"violations":[...]}
/// followed by a newline.
void appendResultLine(std::string& out, uint64_t line, const std::vector<Violation>& violations);

}  // namespace meshrt
