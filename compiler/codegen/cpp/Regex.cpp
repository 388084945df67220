// Regex compilation: the matcher of each pattern a package uses. A pattern
// the runtime matches without RE2 (an anchored sequence of ASCII classes with
// counts, see meshrt::Regex::simple) becomes straight-line code with the same
// steps; any other is RE2's, compiled on first use.
#include "meshrt/regex.h"

#include <algorithm>
#include <bitset>

#include "codegen/cpp/CppGen.h"

namespace mesh::codegen::cpp {
namespace {

// A C++ condition on the byte `c` (an unsigned char) that holds exactly for
// the bytes in `set`: its runs as range tests.
std::string byteCondition(const std::bitset<256>& set) {
  std::vector<std::string> parts;
  for (unsigned lo = 0; lo < 256;) {
    if (!set.test(lo)) {
      ++lo;
      continue;
    }
    unsigned hi = lo;
    while (hi + 1 < 256 && set.test(hi + 1)) ++hi;
    if (lo == hi)
      parts.push_back(code("c == $lo$", {{"lo", std::to_string(lo)}}));
    else
      parts.push_back(code("static_cast<unsigned>(c - $lo$) <= $span$u",
                           {{"lo", std::to_string(lo)}, {"span", std::to_string(hi - lo)}}));
    lo = hi + 1;
  }
  if (parts.empty()) return "false";
  std::string out;
  for (const auto& part : parts) out += (out.empty() ? "" : " || ") + ("(" + part + ")");
  return out;
}

// One step of a simple pattern: `set` between `min` and `max` times, greedy.
void printStep(Printer& p, const meshrt::Regex::Step& step) {
  std::string cond = byteCondition(step.set);
  std::string min = std::to_string(step.min);
  if (step.min == step.max) {
    p.print(
        "if (n - i < $min$) return false;\n"
        "for (size_t e = i + $min$; i < e; ++i) {\n"
        "  unsigned c = p[i];\n"
        "  if (!($cond$)) return false;\n"
        "}\n",
        {{"min", min}, {"cond", cond}});
    return;
  }
  p.print("{\n  const size_t start = i;\n");
  if (step.max == ~0u)
    p.print("  const size_t e = n;\n");
  else
    p.print("  const size_t e = n - i < $max$ ? n : i + $max$;\n", {{"max", std::to_string(step.max)}});
  p.print(
      "  while (i < e) {\n"
      "    unsigned c = p[i];\n"
      "    if (!($cond$)) break;\n"
      "    ++i;\n"
      "  }\n",
      {{"cond", cond}});
  if (step.min > 0)
    p.print("  if (i - start < $min$) return false;\n", {{"min", min}});
  else
    p.print("  (void)start;\n");
  p.print("}\n");
}

// The steps of a simple pattern; a run of single literal bytes is compared at once.
void printSteps(Printer& p, const std::vector<meshrt::Regex::Step>& steps) {
  for (size_t k = 0; k < steps.size(); ++k) {
    const auto& step = steps[k];
    if (step.max == 0) continue;  // `x{0}` matches nothing
    std::string literal;
    for (size_t j = k; j < steps.size() && steps[j].min == 1 && steps[j].max == 1 && steps[j].set.count() == 1; ++j)
      for (unsigned b = 0; b < 256; ++b)
        if (steps[j].set.test(b)) literal += static_cast<char>(b);
    if (literal.size() > 1) {
      p.print("if (n - i < $n$ || std::memcmp(p + i, $literal$, $n$) != 0) return false;\ni += $n$;\n",
              {{"n", std::to_string(literal.size())}, {"literal", cppString(literal)}});
      k += literal.size() - 1;
      continue;
    }
    printStep(p, step);
  }
}

}  // namespace

std::string regexDefinition(int index, const std::string& pattern) {
  meshrt::Regex regex(pattern);
  const meshrt::Regex::Simple* simple = regex.ok() ? regex.simple() : nullptr;
  std::string i = std::to_string(index);
  Printer p;
  if (!simple) {
    p.print(
        "const ::meshrt::Regex& mesh_regex_$i$() {\n"
        "  static const ::meshrt::Regex r(std::string_view($pattern$, $size$));\n"
        "  return r;\n"
        "}\n",
        {{"i", i}, {"pattern", cppString(pattern)}, {"size", std::to_string(pattern.size())}});
    return p.take();
  }
  p.print(
      "struct mesh_pattern_$i$ {\n"
      "  // $pattern$ without RE2: each step greedy, as meshrt::Regex does.\n"
      "  static bool search(std::string_view s) {\n"
      "    const unsigned char* p = reinterpret_cast<const unsigned char*>(s.data());\n"
      "    const size_t n = s.size();\n"
      "    size_t i = 0;\n"
      "    (void)p;\n",
      {{"i", i}, {"pattern", cppString(pattern)}});
  {
    Nest in(p, 2);
    printSteps(p, simple->steps);
    if (simple->anchoredEnd)
      p.print("return i == n;\n");
    else
      p.print("return true;\n");
  }
  p.print(
      "  }\n"
      "};\n"
      "inline mesh_pattern_$i$ mesh_regex_$i$() { return {}; }\n",
      {{"i", i}});
  return p.take();
}

std::string FunctionGen::regexFor(const std::string& pattern) {
  auto it = regexes_.find(pattern);
  int index = it == regexes_.end() ? static_cast<int>(regexes_.size()) : it->second;
  if (it == regexes_.end()) regexes_.emplace(pattern, index);
  return code("mesh_regex_$i$()", {{"i", std::to_string(index)}});
}

std::string FunctionGen::regexDefinitions() const {
  std::vector<std::pair<int, std::string>> patterns;
  for (const auto& [pattern, i] : regexes_) patterns.push_back({i, pattern});
  std::sort(patterns.begin(), patterns.end());
  Printer p;
  for (const auto& [i, pattern] : patterns) p.printBlock(regexDefinition(i, pattern));
  return p.take();
}

}  // namespace mesh::codegen::cpp
