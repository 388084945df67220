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

  // Most contract patterns are anchored sequences of ASCII classes with
  // counts (`^ORD-[0-9]+$`, `^[A-Z]{3}-[0-9]{4}$`). When a pattern is one of
  // those, and every variable count is followed by a disjoint class (so
  // greedy matching is exact), it is matched directly, without RE2's per-call
  // overhead; RE2 has the same answer (tests/unit/formats_test.cpp). The cpp
  // target turns such a pattern into straight C++ (`simple()` gives its steps).
  struct Step {
    std::bitset<256> set;       // the bytes the step accepts (ASCII only)
    unsigned min = 1, max = 1;  // max ~0u: unbounded
  };
  struct Simple {
    std::vector<Step> steps;   // matched greedily from the start of the text
    bool anchoredEnd = false;  // the pattern ends with `$`
  };
  /// The steps of a simple pattern, or null when RE2 matches it.
  const Simple* simple() const { return simple_ ? &simpleSteps_ : nullptr; }

 private:
  bool simple_ = false;
  Simple simpleSteps_;
  bool compileSimple(std::string_view pattern);
  bool matchSimple(std::string_view s) const;

  std::unique_ptr<re2::RE2> re_;
};

}  // namespace meshrt
