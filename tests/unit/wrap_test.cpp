// codegen::cpp::wrapLongLines (compiler/codegen/cpp/Wrap.cpp): generated
// lines over 120 columns broken at the arguments of their outermost call,
// everything else left byte for byte.
#include <doctest/doctest.h>

#include <cstddef>
#include <random>
#include <sstream>
#include <string>

#include "codegen/cpp/CppGen.h"

using mesh::codegen::cpp::wrapLongLines;

namespace {

std::string withoutSpace(const std::string& s) {
  std::string out;
  for (char c : s)
    if (c != ' ' && c != '\n') out += c;
  return out;
}

size_t longestLine(const std::string& s) {
  std::istringstream in(s);
  size_t most = 0;
  for (std::string line; std::getline(in, line);) most = std::max(most, line.size());
  return most;
}

// A call with `n` arguments, each `width` characters: `f(aaaa, bbbb, ...)`.
std::string call(const std::string& name, int n, size_t width) {
  std::string out = name + "(";
  for (int i = 0; i < n; ++i) out += (i ? ", " : "") + std::string(width, static_cast<char>('a' + i % 26));
  return out + ")";
}

}  // namespace

TEST_CASE("wrapLongLines leaves a text of short lines as it is") {
  std::string text = "int main() {\n  return f(a, b);\n}\n\nno newline at the end";
  CHECK(wrapLongLines(text) == text);
  CHECK(wrapLongLines("") == "");
  std::string exactly120 = "  x = " + call("f", 4, 25);
  exactly120 += std::string(120 - exactly120.size() - 1, ' ') + ";";
  REQUIRE(exactly120.size() == 120);
  CHECK(wrapLongLines(exactly120 + "\n") == exactly120 + "\n");
  CHECK(wrapLongLines(exactly120) == exactly120);
  // One column more is wrapped, after short lines or alone.
  std::string over = exactly120;
  over.insert(over.size() - 1, " ");
  CHECK(wrapLongLines("a;\n" + over + "\nb;\n") != "a;\n" + over + "\nb;\n");
  CHECK(wrapLongLines(over) != over);
}

TEST_CASE("wrapLongLines breaks a long call after its open parenthesis, four columns in") {
  std::string line = "  auto x = " + call("compute", 4, 30) + ";";
  REQUIRE(line.size() > 120);
  std::string wrapped = wrapLongLines("{\n" + line + "\n}\n");
  CHECK(wrapped == "{\n  auto x = compute(\n      " + std::string(30, 'a') + ", " + std::string(30, 'b') + ", " +
                       std::string(30, 'c') + ",\n      " + std::string(30, 'd') + ");\n}\n");
  // A long last line without a newline keeps having none.
  std::string last = wrapLongLines(line);
  CHECK(last.back() == ';');
  CHECK(withoutSpace(last) == withoutSpace(line));
}

TEST_CASE("wrapLongLines keeps preprocessor lines, comments and lines with nothing to break") {
  std::string define = "#define LONG " + call("f", 6, 30);
  std::string comment = "  f(a, b);  // " + std::string(130, 'c');
  std::string unbreakable = "  x = " + std::string(130, 'y') + ";";
  std::string text = define + "\n" + comment + "\n" + unbreakable + "\n";
  CHECK(wrapLongLines(text) == text);
}

TEST_CASE("wrapLongLines breaks a condition before its || and && and a table row after its commas") {
  std::string cond =
      "  if (" + std::string(50, 'a') + " || " + std::string(50, 'b') + " && " + std::string(50, 'c') + ") return;";
  std::string wrapped = wrapLongLines(cond + "\n");
  // Pieces are packed on a line while they fit: the break comes before `&&`.
  CHECK(wrapped == "  if (\n      " + std::string(50, 'a') + " || " + std::string(50, 'b') + "\n      && " +
                       std::string(50, 'c') + ") return;\n");
  CHECK(longestLine(wrapped) <= 120);
  std::string row = "    {" + std::string(40, 'a') + ", " + std::string(40, 'b') + ", " + std::string(40, 'c') + "},";
  std::string rowWrapped = wrapLongLines(row + "\n");
  CHECK(rowWrapped.rfind("    {" + std::string(40, 'a') + ", " + std::string(40, 'b') + ",\n", 0) == 0);
  CHECK(withoutSpace(rowWrapped) == withoutSpace(row));
}

TEST_CASE("wrapLongLines on texts of random calls: only spaces and newlines change, lines fit where they can") {
  std::mt19937 rng(7);
  for (int round = 0; round < 200; ++round) {
    std::string text;
    int lines = 1 + static_cast<int>(rng() % 40);
    for (int i = 0; i < lines; ++i) {
      std::string indent(2 * (rng() % 6), ' ');
      int n = 1 + static_cast<int>(rng() % 6);
      size_t width = 1 + rng() % 45;
      std::string inner = call("g", 1 + static_cast<int>(rng() % 3), 1 + rng() % 20);
      text += indent + "x" + std::to_string(i) + " = " + call("f", n, width);
      if (rng() % 2) text.insert(text.size() - 1, ", " + inner);
      text += ";";
      if (i + 1 < lines || rng() % 2) text += "\n";
    }
    std::string wrapped = wrapLongLines(text);
    CHECK(withoutSpace(wrapped) == withoutSpace(text));
    CHECK((wrapped.back() == '\n') == (text.back() == '\n'));
    // Every argument here is under 120 columns even at the deepest margin.
    CHECK(longestLine(wrapped) <= 120);
  }
}
