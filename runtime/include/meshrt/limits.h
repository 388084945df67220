// limits.h: the bounds every reader of messages keeps, stated once: meshc's
// reference evaluator (compiler/eval), the runtime's readers and the
// generated validators use these, so they refuse the same inputs.
// C++17: generated code includes it.
#pragma once

#include <cstddef>
#include <string_view>

namespace meshrt {

/// The deepest nesting of arrays and objects a message may have: deeper is
/// not valid JSON (one `parse` violation). 1024 is simdjson's default depth,
/// and the reference reader keeps the same limit so both agree on every text.
inline constexpr size_t kMaxJsonDepth = 1024;

/// The steps a violation's JSONPath can hold (meshrt::Sink): one per nesting
/// level, and some more for what a path adds below the deepest value (the
/// step of a missing required field). Deliberately above kMaxJsonDepth, not
/// a second limit on the document.
inline constexpr size_t kMaxPathSteps = kMaxJsonDepth + 16;

/// The longest message line `meshc validate` and `mesh-validate` read:
/// 16 MiB, sixteen times Kafka's default message.max.bytes (1 MB), so any
/// message a broker carries by default fits, while one line cannot make a
/// validator hold more than a bounded multiple of it (docs/hardening.md).
inline constexpr size_t kMaxMessageLine = size_t{16} << 20;

/// The deepest nesting of `text` by the brackets in `opens` and `closes`,
/// outside double-quoted strings (where a backslash escapes the next
/// character): JSON's arrays and objects, or a C++ expression's calls. Stops
/// as soon as the nesting passes `limit` (and returns that depth).
namespace detail {
inline bool oneOf(char c, std::string_view chars) {
  for (char x : chars)
    if (c == x) return true;
  return false;
}
}  // namespace detail

inline size_t deepestNesting(std::string_view text, std::string_view opens, std::string_view closes,
                             size_t limit = static_cast<size_t>(-1)) {
  long depth = 0;  // a stray closer may take it below 0, as in a malformed text
  size_t deepest = 0;
  bool quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        quoted = false;
    } else if (c == '"') {
      quoted = true;
    } else if (detail::oneOf(c, opens)) {
      if (++depth > static_cast<long>(deepest)) deepest = static_cast<size_t>(depth);
      if (deepest > limit) return deepest;
    } else if (detail::oneOf(c, closes)) {
      --depth;
    }
  }
  return deepest;
}

}  // namespace meshrt
