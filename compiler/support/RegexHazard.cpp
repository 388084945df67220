// RegexHazard: nested and ambiguous repetitions in RE2's parse tree.
//
// A backtracking engine tries every way a repetition `(B)+` can divide the
// text among its rounds before it gives up; when B can end with a
// repetition (or option) of characters that B can also start with, the
// boundary between two rounds can move, and a text that fails at its end
// costs 2^n tries (`^(a+)+$` on "aaa...a!"). The same holds with the sides
// swapped (B starts with a repetition of what it can end with), and for a
// repeated alternation of two branches that match a common string
// (`(.a|ba)*`). The tree is RE2's own (RE2::Regexp()), read with the inline
// accessors of its internal header (re2-internal/README.md).
#include "support/RegexHazard.h"

#include <re2/re2.h>

#include <algorithm>
#include <map>
#include <vector>

#include "re2/regexp.h"

namespace mesh::support {
namespace {

using re2::Regexp;

constexpr int kMaxRune = 0x10FFFF;
constexpr size_t kMaxBranches = 256;

/// A set of code points as sorted, possibly overlapping ranges.
struct CharSet {
  std::vector<std::pair<int, int>> ranges;
  void add(int lo, int hi) { ranges.emplace_back(lo, hi); }
  void add(const CharSet& o) { ranges.insert(ranges.end(), o.ranges.begin(), o.ranges.end()); }
  /// The smallest code point in both sets, or -1.
  int commonWith(const CharSet& o) const {
    int best = -1;
    for (auto [alo, ahi] : ranges)
      for (auto [blo, bhi] : o.ranges) {
        int lo = std::max(alo, blo);
        if (lo <= std::min(ahi, bhi) && (best < 0 || lo < best)) best = lo;
      }
    return best;
  }
};

CharSet literalSet(int rune, bool foldCase) {
  CharSet s;
  s.add(rune, rune);
  if (foldCase && rune < 128 && ((rune | 0x20) >= 'a' && (rune | 0x20) <= 'z')) s.add(rune ^ 0x20, rune ^ 0x20);
  return s;
}

bool isRepetition(Regexp* re) {
  switch (re->op()) {
    case re2::kRegexpStar:
    case re2::kRegexpPlus:
    case re2::kRegexpQuest:
      return true;
    case re2::kRegexpRepeat:
      return re->max() != re->min();
    default:
      return false;
  }
}

/// An outer repetition whose rounds a backtracking engine can redistribute:
/// unbounded, or bounded by at least 4 rounds (a bound of n costs up to
/// length^n tries).
bool isManyRounds(Regexp* re) {
  switch (re->op()) {
    case re2::kRegexpStar:
    case re2::kRegexpPlus:
      return true;
    case re2::kRegexpRepeat:
      return re->max() < 0 || re->max() >= 4;
    default:
      return false;
  }
}

class Analysis {
 public:
  std::optional<std::string> run(Regexp* re) {
    visit(re);
    return found_;
  }

 private:
  bool nullable(Regexp* re) {
    auto it = nullable_.find(re);
    if (it != nullable_.end()) return it->second;
    bool n = false;
    Regexp** sub = re->sub();
    switch (re->op()) {
      case re2::kRegexpNoMatch:
      case re2::kRegexpLiteral:
      case re2::kRegexpLiteralString:
      case re2::kRegexpAnyChar:
      case re2::kRegexpAnyByte:
      case re2::kRegexpCharClass:
        n = false;
        break;
      case re2::kRegexpConcat:
        n = std::all_of(sub, sub + re->nsub(), [&](Regexp* s) { return nullable(s); });
        break;
      case re2::kRegexpAlternate:
        n = std::any_of(sub, sub + re->nsub(), [&](Regexp* s) { return nullable(s); });
        break;
      case re2::kRegexpStar:
      case re2::kRegexpQuest:
        n = true;
        break;
      case re2::kRegexpRepeat:
        n = re->min() == 0 || nullable(sub[0]);
        break;
      case re2::kRegexpPlus:
      case re2::kRegexpCapture:
        n = nullable(sub[0]);
        break;
      default:
        n = true;
        break;  // empty match, anchors, boundaries
    }
    return nullable_[re] = n;
  }

  /// The characters a non-empty match of `re` can start (atEnd: end) with.
  CharSet edge(Regexp* re, bool atEnd) {
    auto& memo = atEnd ? last_ : first_;
    auto it = memo.find(re);
    if (it != memo.end()) return it->second;
    CharSet s;
    Regexp** sub = re->sub();
    switch (re->op()) {
      case re2::kRegexpLiteral:
        s = literalSet(re->rune(), re->parse_flags() & Regexp::FoldCase);
        break;
      case re2::kRegexpLiteralString:
        if (re->nrunes() > 0)
          s = literalSet(re->runes()[atEnd ? re->nrunes() - 1 : 0], re->parse_flags() & Regexp::FoldCase);
        break;
      case re2::kRegexpCharClass:
        for (const re2::RuneRange& r : *re->cc()) s.add(r.lo, r.hi);
        break;
      case re2::kRegexpAnyChar:
      case re2::kRegexpAnyByte:
        s.add(0, kMaxRune);
        break;
      case re2::kRegexpConcat:
        for (int k = 0; k < re->nsub(); ++k) {
          Regexp* part = sub[atEnd ? re->nsub() - 1 - k : k];
          s.add(edge(part, atEnd));
          if (!nullable(part)) break;
        }
        break;
      case re2::kRegexpAlternate:
        for (int k = 0; k < re->nsub(); ++k) s.add(edge(sub[k], atEnd));
        break;
      case re2::kRegexpStar:
      case re2::kRegexpPlus:
      case re2::kRegexpQuest:
      case re2::kRegexpRepeat:
      case re2::kRegexpCapture:
        s = edge(sub[0], atEnd);
        break;
      default:
        break;
    }
    return memo[re] = s;
  }

  /// The repetitions and options (`a?`, and `(?:|a)`, which RE2 makes of
  /// `a|aa`) that can end (atEnd) or start `re`.
  void edgeRepetitions(Regexp* re, bool atEnd, std::vector<Regexp*>& out) {
    Regexp** sub = re->sub();
    if (isRepetition(re) || (re->op() == re2::kRegexpAlternate && nullable(re))) out.push_back(re);
    switch (re->op()) {
      case re2::kRegexpConcat:
        for (int k = 0; k < re->nsub(); ++k) {
          Regexp* part = sub[atEnd ? re->nsub() - 1 - k : k];
          edgeRepetitions(part, atEnd, out);
          if (!nullable(part)) break;
        }
        break;
      case re2::kRegexpAlternate:
        for (int k = 0; k < re->nsub(); ++k) edgeRepetitions(sub[k], atEnd, out);
        break;
      case re2::kRegexpCapture:
        edgeRepetitions(sub[0], atEnd, out);
        break;
      case re2::kRegexpStar:
      case re2::kRegexpPlus:
      case re2::kRegexpQuest:
      case re2::kRegexpRepeat:
        edgeRepetitions(sub[0], atEnd, out);
        break;
      default:
        break;
    }
  }

  /// The character sets of a branch that matches strings of one length
  /// only, position by position; nothing for any other branch.
  std::optional<std::vector<CharSet>> fixedString(Regexp* re) {
    std::vector<CharSet> out;
    switch (re->op()) {
      case re2::kRegexpLiteral:
      case re2::kRegexpCharClass:
      case re2::kRegexpAnyChar:
      case re2::kRegexpAnyByte:
        out.push_back(edge(re, false));
        return out;
      case re2::kRegexpLiteralString:
        for (int k = 0; k < re->nrunes(); ++k)
          out.push_back(literalSet(re->runes()[k], re->parse_flags() & Regexp::FoldCase));
        return out;
      case re2::kRegexpCapture:
        return fixedString(re->sub()[0]);
      case re2::kRegexpConcat:
        for (int k = 0; k < re->nsub(); ++k) {
          auto part = fixedString(re->sub()[k]);
          if (!part) return std::nullopt;
          out.insert(out.end(), part->begin(), part->end());
        }
        return out;
      default:
        return std::nullopt;
    }
  }

  /// Two branches of an alternation (at the top of `body`) that match a
  /// common non-empty string.
  bool ambiguousBranches(Regexp* body) {
    while (body->op() == re2::kRegexpCapture) body = body->sub()[0];
    if (body->op() != re2::kRegexpAlternate) return false;
    std::vector<std::vector<CharSet>> branches;
    for (int k = 0; k < body->nsub(); ++k)
      if (auto b = fixedString(body->sub()[k]); b && !b->empty()) branches.push_back(std::move(*b));
    // Pairs are compared one by one: a pattern with more branches than this
    // (a generated list of words) is not looked at.
    if (branches.size() > kMaxBranches) return false;
    for (size_t i = 0; i < branches.size(); ++i)
      for (size_t j = i + 1; j < branches.size(); ++j) {
        if (branches[i].size() != branches[j].size()) continue;
        bool common = true;
        for (size_t p = 0; p < branches[i].size() && common; ++p)
          common = branches[i][p].commonWith(branches[j][p]) >= 0;
        if (common) return true;
      }
    return false;
  }

  static std::string charText(int rune) {
    if (rune > 0x20 && rune < 0x7F) return std::string("`") + static_cast<char>(rune) + "`";
    return "a character";
  }

  void check(Regexp* loop) {
    Regexp* body = loop->sub()[0];
    for (bool atEnd : {true, false}) {
      std::vector<Regexp*> inner;
      edgeRepetitions(body, atEnd, inner);
      CharSet otherEdge = edge(body, !atEnd);
      for (Regexp* rep : inner) {
        int c = edge(rep, atEnd).commonWith(otherEdge);
        if (c < 0) continue;
        found_ = "a repetition inside a repetition: " + charText(c) + " can " +
                 (atEnd ? "end one round of the outer repetition or start the next"
                        : "start one round of the outer repetition or end the previous");
        return;
      }
    }
    if (ambiguousBranches(body)) found_ = "a repeated alternation whose branches match a common string";
  }

  void visit(Regexp* re) {
    if (found_) return;
    if (isManyRounds(re)) check(re);
    Regexp** sub = re->sub();
    for (int k = 0; k < re->nsub() && !found_; ++k) visit(sub[k]);
  }

  std::map<Regexp*, bool> nullable_;
  std::map<Regexp*, CharSet> first_, last_;
  std::optional<std::string> found_;
};

/// The tree of `(a+)+` as the header this file was compiled with describes
/// it: false when the installed RE2 lays out its Regexp differently.
bool layoutMatches() {
  static const bool matches = [] {
    RE2 probe("(a+)+");
    Regexp* re = probe.Regexp();
    if (!re || re->op() != re2::kRegexpPlus || re->nsub() != 1) return false;
    Regexp* capture = re->sub()[0];
    if (capture->op() != re2::kRegexpCapture || capture->nsub() != 1 || capture->cap() != 1) return false;
    Regexp* inner = capture->sub()[0];
    return inner->op() == re2::kRegexpPlus && inner->nsub() == 1 && inner->sub()[0]->op() == re2::kRegexpLiteral &&
           inner->sub()[0]->rune() == 'a';
  }();
  return matches;
}

/// `pattern` with each non-capturing group `(?:` made capturing. RE2's
/// parser squashes a repetition of a repetition (`(?:a+)+` is `a+` in its
/// tree), which a backtracking engine reading the text does not; a capture
/// keeps the two apart and matches the same strings. Only the group openers
/// are found here (outside escapes, `\Q...\E` and classes); RE2 parses the
/// result, and the original is used when it does not compile.
std::string withGroupsCapturing(const std::string& pattern) {
  std::string out;
  size_t n = pattern.size();
  for (size_t i = 0; i < n; ++i) {
    char c = pattern[i];
    if (c == '\\' && i + 1 < n && pattern[i + 1] == 'Q') {
      size_t end = pattern.find("\\E", i + 2);
      end = end == std::string::npos ? n : end + 2;
      out.append(pattern, i, end - i);
      i = end - 1;
    } else if (c == '\\') {
      out.append(pattern, i, std::min<size_t>(2, n - i));
      ++i;
    } else if (c == '[') {
      size_t j = i + 1;
      if (j < n && pattern[j] == '^') ++j;
      if (j < n && pattern[j] == ']') ++j;
      for (; j < n && pattern[j] != ']'; ++j) {
        if (pattern[j] == '\\')
          ++j;
        else if (pattern.compare(j, 2, "[:") == 0 && pattern.find(":]", j + 2) != std::string::npos)
          j = pattern.find(":]", j + 2) + 1;
      }
      size_t end = std::min(j + 1, n);
      out.append(pattern, i, end - i);
      i = end - 1;
    } else if (pattern.compare(i, 3, "(?:") == 0) {
      out += '(';
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

std::optional<std::string> backtrackingHazard(const std::string& pattern) {
  if (!layoutMatches()) return std::nullopt;
  RE2::Options options;
  options.set_log_errors(false);
  RE2 original(pattern, options);
  if (!original.ok()) return std::nullopt;
  RE2 grouped(withGroupsCapturing(pattern), options);
  RE2& re = grouped.ok() && grouped.Regexp() ? grouped : original;
  if (!re.Regexp()) return std::nullopt;
  return Analysis().run(re.Regexp());
}

}  // namespace mesh::support
