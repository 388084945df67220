// meshrt/regex.h: `matches(s, re)` on RE2, compiled once per pattern.
//
// C++17: generated code includes this header.
#pragma once

#include <bitset>
#include <memory>
#include <string_view>
#include <vector>

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
  /// Whether the pattern is matched without RE2 (for tests).
  bool usesFastPath() const;

 private:
  // Most contract patterns are anchored sequences of ASCII classes with
  // counts (`^ORD-[0-9]+$`, `^[A-Z]{3}-[0-9]{4}$`). When a pattern is one of
  // those, and every variable count is followed by a disjoint class (so
  // greedy matching is exact), it is matched directly, without RE2's per-call
  // overhead; RE2 has the same answer (tests/unit/formats_test.cpp).
  struct Step {
    std::bitset<256> set;
    unsigned min = 1, max = 1;
  };
  bool simple_ = false;
  bool anchoredEnd_ = false;
  std::vector<Step> steps_;
  bool compileSimple(std::string_view pattern);
  bool matchSimple(std::string_view s) const;

  std::unique_ptr<re2::RE2> re_;
};

}  // namespace meshrt
