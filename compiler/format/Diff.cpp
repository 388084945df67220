// Diff: longest common subsequence of lines (after the common prefix and
// suffix are cut off), grouped into hunks with three lines of context.
#include "format/Diff.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "support/Text.h"

namespace mesh::format {
namespace {

std::vector<std::string> splitLines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

struct Edit {
  char op;      // ' ', '-', '+'
  size_t a, b;  // line indexes in before / after
};

std::vector<Edit> edits(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  size_t prefix = 0;
  while (prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix]) ++prefix;
  size_t suffix = 0;
  while (suffix < a.size() - prefix && suffix < b.size() - prefix &&
         a[a.size() - 1 - suffix] == b[b.size() - 1 - suffix])
    ++suffix;
  size_t n = a.size() - prefix - suffix, m = b.size() - prefix - suffix;
  std::vector<Edit> out;
  for (size_t i = 0; i < prefix; ++i) out.push_back({' ', i, i});
  if (n * m <= 4'000'000) {
    // lcs[i][j]: the longest common subsequence of a[i..n) and b[j..m) (middle part).
    std::vector<std::vector<uint32_t>> lcs(n + 1, std::vector<uint32_t>(m + 1, 0));
    for (size_t i = n; i-- > 0;)
      for (size_t j = m; j-- > 0;)
        lcs[i][j] = a[prefix + i] == b[prefix + j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
    size_t i = 0, j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a[prefix + i] == b[prefix + j]) {
        out.push_back({' ', prefix + i++, prefix + j++});
      } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
        out.push_back({'-', prefix + i++, prefix + j});
      } else {
        out.push_back({'+', prefix + i, prefix + j++});
      }
    }
  } else {
    for (size_t i = 0; i < n; ++i) out.push_back({'-', prefix + i, prefix});
    for (size_t j = 0; j < m; ++j) out.push_back({'+', prefix + n, prefix + j});
  }
  for (size_t k = 0; k < suffix; ++k) out.push_back({' ', prefix + n + k, prefix + m + k});
  return out;
}

}  // namespace

std::string unifiedDiff(const std::string& path, const std::string& before, const std::string& after) {
  if (before == after) return "";
  std::vector<std::string> a = splitLines(before), b = splitLines(after);
  std::vector<Edit> all = edits(a, b);
  // Lines and the path are shown with their control characters escaped (a
  // comment may hold an ESC, a line end a CR): the diff is for a terminal.
  std::string shownPath = escapeControlCharacters(path);
  std::string out = fmt::format("--- {}\n+++ {} (formatted)\n", shownPath, shownPath);
  constexpr size_t kContext = 3;
  size_t k = 0;
  while (k < all.size()) {
    if (all[k].op == ' ') {
      ++k;
      continue;
    }
    // A hunk: from kContext lines before this change to kContext lines after
    // the last change that is at most 2 * kContext unchanged lines further.
    size_t begin = k >= kContext ? k - kContext : 0;
    size_t end = k;
    while (end < all.size()) {
      size_t next = end;
      while (next < all.size() && all[next].op != ' ') ++next;
      size_t same = next;
      while (same < all.size() && all[same].op == ' ') ++same;
      if (same < all.size() && same - next <= 2 * kContext) {
        end = same;
        continue;
      }
      end = std::min(all.size(), next + kContext);
      break;
    }
    size_t aStart = all[begin].a, bStart = all[begin].b, aCount = 0, bCount = 0;
    std::string body;
    for (size_t i = begin; i < end; ++i) {
      const Edit& e = all[i];
      if (e.op != '+') ++aCount;
      if (e.op != '-') ++bCount;
      body += e.op;
      body += escapeControlCharacters(e.op == '+' ? b[e.b] : a[e.a]);
      body += '\n';
    }
    out += fmt::format("@@ -{},{} +{},{} @@\n", aCount ? aStart + 1 : aStart, aCount, bCount ? bStart + 1 : bStart,
                       bCount);
    out += body;
    k = end;
  }
  return out;
}

}  // namespace mesh::format
