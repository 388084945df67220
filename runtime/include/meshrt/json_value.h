// meshrt/json_value.h: meshrt::Json, what a field of type `json` holds (any
// JSON value, language.md section 8): the exact text of the value as the
// message had it, and its kind. The text is never normalized (no reordered
// keys, no reformatted numbers, escapes kept as written), so a message read
// and written again carries the value byte for byte (docs/language-decisions.md).
//
// C++17: generated code includes this header.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace meshrt {

/// The kind of a JSON value.
enum class JsonKind { Null, Bool, Number, String, Array, Object };

struct Json {
  JsonKind kind = JsonKind::Null;
  std::string text = "null";  // one JSON value, without the whitespace around it

  bool isNull() const { return kind == JsonKind::Null; }
  /// Makes the value JSON `null` (a mask `using null` on a required json
  /// field, which may hold null; std::optional's reset() for `json?`).
  void reset() {
    kind = JsonKind::Null;
    text = "null";
  }
  /// The JSON value of `text` (whitespace around it allowed, and dropped),
  /// read by the generated code's strict reader; nullopt when `text` is not
  /// exactly one JSON value.
  static std::optional<Json> parse(std::string_view text);
};

inline bool operator==(const Json& a, const Json& b) { return a.text == b.text; }
inline bool operator!=(const Json& a, const Json& b) { return !(a == b); }

/// Where the JSON value that starts at `p` ends, the value being valid JSON
/// (already read by the reader): after a string's closing quote, a container's
/// closing bracket, a number's or literal's last character.
const char* jsonValueEnd(const char* p);

}  // namespace meshrt
