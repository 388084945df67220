#include "codegen/Printer.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace mesh::codegen {
namespace {

[[noreturn]] void generatorBug(std::string_view what, std::string_view name, std::string_view tmpl) {
  std::fprintf(stderr, "meshc: internal error in a generator: %.*s '%.*s' in the template:\n%.*s\n",
               static_cast<int>(what.size()), what.data(), static_cast<int>(name.size()), name.data(),
               static_cast<int>(tmpl.size()), tmpl.data());
  std::abort();
}

}  // namespace

void Printer::outdent() {
  if (depth_ < width_) generatorBug("outdent below zero", "", "");
  depth_ -= width_;
}

void Printer::write(std::string_view text) {
  if (text.empty()) return;
  if (depth_ == 0) {  // nothing to insert: one append (most of a file's text)
    out_.append(text);
    atLineStart_ = text.back() == '\n';
    return;
  }
  size_t start = 0;
  while (start < text.size()) {
    size_t eol = text.find('\n', start);
    size_t end = eol == std::string_view::npos ? text.size() : eol + 1;
    if (atLineStart_ && text[start] != '\n') out_.append(static_cast<size_t>(depth_), ' ');
    out_.append(text.data() + start, end - start);
    atLineStart_ = eol != std::string_view::npos;
    start = end;
  }
}

void Printer::printBlock(std::string_view code) { write(code); }

void Printer::print(Template tmpl, std::initializer_list<Var> vars) {
  std::string_view text = tmpl.text();
  // Which values the template used: a bit each (a template has a handful).
  if (vars.size() > 64) generatorBug("more than 64 values for", "", text);
  uint64_t used = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t open = text.find(delimiter_, pos);
    if (open == std::string_view::npos) {
      write(text.substr(pos));
      break;
    }
    write(text.substr(pos, open - pos));
    size_t close = text.find(delimiter_, open + 1);
    if (close == std::string_view::npos) generatorBug("an unclosed variable", text.substr(open), text);
    std::string_view name = text.substr(open + 1, close - open - 1);
    pos = close + 1;
    if (name.empty()) {
      write(std::string_view(&delimiter_, 1));
      continue;
    }
    size_t i = 0;
    for (const Var& var : vars) {
      if (var.first == name) break;
      ++i;
    }
    if (i == vars.size()) generatorBug("no value for", name, text);
    used |= uint64_t{1} << i;
    write((vars.begin() + i)->second);
  }
  size_t i = 0;
  for (const Var& var : vars)
    if (!(used >> i++ & 1)) generatorBug("a value the template does not use:", var.first, text);
}

}  // namespace mesh::codegen
