// Wrap: a generated line longer than kMaxColumns (a long `where` or `check`
// expression) broken at the arguments of its outermost call that has
// several, as clang-format's AlwaysBreak does: the arguments on lines of
// their own, kContinuation columns further in, each wrapped in turn.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstring>
#include <string_view>
#include <vector>

#include "codegen/cpp/CppGen.h"

namespace mesh::codegen::cpp {
namespace {

constexpr size_t kMaxColumns = 120;
constexpr size_t kContinuation = 4;

bool isWordChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// The outermost `(` of `line` whose contents split at the top level: after
// each comma of a call, or before each `||` and `&&` of a condition. Quoted
// text is skipped; `<` right after a name opens a template argument list
// (its commas are not the call's). A `{` that starts the line (a row of a
// table: `{a, b, c},`) splits after its commas as a call does. False when
// there is none, or when the line has a comment.
struct Group {
  size_t open = 0, close = 0;
  bool row = false;          // a table row: its pieces start on the line of its `{`
  std::vector<size_t> cuts;  // where each piece after the first starts
};
// The characters outermostGroup acts on.
constexpr std::array<bool, 256> significantChars() {
  std::array<bool, 256> table{};
  for (char c : std::string_view("\"'/<>()[]{},|&")) table[static_cast<unsigned char>(c)] = true;
  return table;
}
constexpr std::array<bool, 256> kSignificant = significantChars();

// The scan's stacks, kept between lines (a wrap allocates only what it
// writes). One per thread: packages are generated in parallel.
struct Scan {
  struct Paren {
    size_t open, firstCut;  // the cuts from firstCut on are this group's
    bool lambda;
  };
  std::vector<std::pair<char, size_t>> open;  // bracket, position
  std::vector<Paren> parens;                  // one per open `(`, innermost last
  std::vector<size_t> cuts;                   // of the open `(`s, innermost last
};

bool outermostGroup(std::string_view line, Group& group) {
  thread_local Scan scan;
  scan.open.clear();
  scan.parens.clear();
  scan.cuts.clear();
  bool found = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (!kSignificant[static_cast<unsigned char>(c)]) continue;  // most of a line: names, spaces, operators
    if (c == '"' || c == '\'') {
      for (++i; i < line.size() && line[i] != c; ++i)
        if (line[i] == '\\') ++i;
      continue;
    }
    if (c == '/' && i + 1 < line.size() && line[i + 1] == '/') return false;
    bool angle =
        c == '<' && i > 0 && isWordChar(line[i - 1]) && i + 1 < line.size() && line[i + 1] != ' ' && line[i + 1] != '=';
    bool inGroup = !scan.open.empty() && (scan.open.back().first == '(' || scan.open.back().first == 'R');
    if (c == '(' || c == '[' || c == '{' || angle) {
      bool row = c == '{' && i == line.find_first_not_of(' ');
      scan.open.push_back({row ? 'R' : c, i});
      // A lambda's parameters are not a call: a `(` after `]` is never broken.
      if (c == '(' || row) scan.parens.push_back({i, scan.cuts.size(), c == '(' && i > 0 && line[i - 1] == ']'});
    } else if (c == ')' || c == ']' || c == '}' || (c == '>' && !scan.open.empty() && scan.open.back().first == '<')) {
      if (scan.open.empty()) continue;  // closes a bracket opened on an earlier line
      char opener = scan.open.back().first;
      scan.open.pop_back();
      if (opener != '(' && opener != 'R') continue;
      Scan::Paren done = scan.parens.back();
      scan.parens.pop_back();
      bool hasCuts = scan.cuts.size() > done.firstCut;
      if (!done.lambda && hasCuts && (!found || done.open < group.open)) {  // the outermost wins
        group.open = done.open;
        group.close = i;
        group.row = opener == 'R';
        group.cuts.assign(scan.cuts.begin() + static_cast<std::ptrdiff_t>(done.firstCut), scan.cuts.end());
        found = true;
      }
      scan.cuts.resize(done.firstCut);
    } else if (inGroup && c == ',') {
      scan.cuts.push_back(i + 1);
    } else if (inGroup && (c == '|' || c == '&') && i + 2 < line.size() && line[i + 1] == c && line[i + 2] == ' ' &&
               line[i - 1] == ' ') {
      scan.cuts.push_back(i);
      ++i;
    }
  }
  return found;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

void wrapLine(std::string_view line, std::string& out) {
  Group group;
  if (line.size() <= kMaxColumns || !outermostGroup(line, group)) {
    out.append(line).push_back('\n');
    return;
  }
  size_t indent = line.find_first_not_of(' ');
  // A call breaks after its `(`, the next lines kContinuation further in; a
  // row keeps its first pieces after the `{`, the next lines aligned with them.
  size_t margin = group.row ? group.open + 1 : indent + kContinuation;
  if (!group.row) out.append(line.substr(0, group.open + 1)).push_back('\n');
  // Pieces packed on lines while they fit, each line wrapped in turn (when
  // it is shorter than this one: wrapping ends). The last piece carries the
  // rest of the line after the `)`.
  std::string current = group.row ? std::string(line.substr(0, group.open + 1)) : std::string(margin, ' ');
  auto flush = [&] {
    if (current.size() < line.size())
      wrapLine(current, out);
    else
      out.append(current).push_back('\n');
  };
  size_t start = group.open + 1;
  for (size_t k = 0; k <= group.cuts.size(); ++k) {
    bool last = k == group.cuts.size();
    size_t end = last ? group.close : group.cuts[k];
    std::string_view piece = trim(line.substr(start, end - start));
    std::string_view tail = last ? line.substr(group.close) : std::string_view();
    start = end;
    bool fresh = current.size() <= margin;  // nothing on the line yet but the margin (or the row's `{`)
    if (fresh || current.size() + 1 + piece.size() + tail.size() <= kMaxColumns) {
      current.append(fresh ? "" : " ").append(piece).append(tail);
      continue;
    }
    flush();
    current.assign(margin, ' ').append(piece).append(tail);
  }
  flush();
}

// A line to wrap: longer than kMaxColumns and not a preprocessor line.
bool needsWrap(std::string_view line) {
  if (line.size() <= kMaxColumns) return false;
  std::string_view first = trim(line);
  return !first.empty() && first.front() != '#';
}

}  // namespace

std::string wrapLongLines(std::string code) {
  // Most lines are short: the scan jumps over them a window at a time (the
  // last newline within kMaxColumns + 1 bytes ends a run of lines that all
  // fit), runs of them are copied in one append, and a text with no long
  // line is returned as it is.
  std::string_view text = code;
  std::string out;
  size_t copied = 0;  // text before this is in out
  for (size_t start = 0; start < text.size();) {
    size_t window = std::min(kMaxColumns + 1, text.size() - start);
    if (const void* last = memrchr(text.data() + start, '\n', window)) {
      start = static_cast<size_t>(static_cast<const char*>(last) - text.data()) + 1;
      continue;
    }
    if (window <= kMaxColumns) break;  // the last line, without a newline, fits
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (needsWrap(line)) {
      if (out.empty()) out.reserve(text.size() + text.size() / 16);
      out.append(text.substr(copied, start - copied));
      wrapLine(line, out);                     // appends the line's newline
      if (end == text.size()) out.pop_back();  // the text did not end with one
      copied = std::min(end + 1, text.size());
    }
    start = end + 1;
  }
  if (copied == 0) return code;
  out.append(text.substr(copied));
  return out;
}

}  // namespace mesh::codegen::cpp
