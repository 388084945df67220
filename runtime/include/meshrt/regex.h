// meshrt/regex.h: `matches(s, re)` on RE2, compiled once per pattern.
//
// C++17: generated code includes this header.
#pragma once

#include <memory>
#include <string_view>

namespace re2 {
class RE2;
}

namespace meshrt {

/// A compiled pattern; RE2 semantics, unanchored unless the pattern anchors.
class Regex {
 public:
  explicit Regex(std::string_view pattern);
  ~Regex();
  Regex(const Regex&) = delete;
  Regex& operator=(const Regex&) = delete;
  bool ok() const;
  /// Whether the pattern matches somewhere in `s` (valid UTF-8).
  bool search(std::string_view s) const;

 private:
  std::unique_ptr<re2::RE2> re_;
};

}  // namespace meshrt
