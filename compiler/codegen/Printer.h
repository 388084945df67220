// Printer: how every generator writes text. A template is a string literal
// (checked at compile time: a generator cannot pass user text as one), and
// what varies enters only as a named value, substituted where the template
// says `$name$`. A value that comes from a contract is escaped by the
// target's own function before it is passed (C++: ident(), cppString();
// HTML: docs::htmlEscape()); the printer never looks inside it.
//
// Indentation belongs to the printer: every line it starts gets the current
// indentation, whether the line comes from a template or from a multi-line
// value (so a nested block printed by another printer lands at the right
// depth); empty lines stay empty (no trailing white space).
#pragma once

#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace mesh::codegen {

/// A piece of a generator's output written as a string literal in its code.
/// The constructor is consteval: anything but a constant expression (a
/// literal) fails to compile.
class Template {
 public:
  template <size_t N>
  consteval Template(const char (&text)[N]) : text_(text, N - 1) {}  // NOLINT: implicit on purpose
  std::string_view text() const { return text_; }

 private:
  std::string_view text_;
};

class Printer {
 public:
  /// A named value: `{"name", value}`. The value is text of the target
  /// language already (an escaped identifier, a quoted string, code).
  using Var = std::pair<std::string_view, std::string_view>;

  /// `delimiter` marks variables (`$` for C++, something else for a target
  /// whose text uses `$`); `indentWidth` spaces per indent() level.
  explicit Printer(char delimiter = '$', int indentWidth = 2) : delimiter_(delimiter), width_(indentWidth) {
    out_.reserve(kInitialCapacity);
  }

  /// Appends `tmpl` with each `$name$` replaced by the value of `name`
  /// (`$$` is one `$`). A `$name$` without a value, or a value the template
  /// never uses, is a bug in the generator: the printer aborts with both
  /// named, in every build type (a silently missing piece of generated code
  /// is worse than a crash of the generator's tests).
  void print(Template tmpl, std::initializer_list<Var> vars = {});
  /// Appends lines of text another printer produced (a nested block):
  /// re-indented to the current depth, never scanned for variables.
  void printBlock(std::string_view code);

  void indent() { depth_ += width_; }
  void outdent();
  /// indent() for the lifetime of the guard.
  class Indent {
   public:
    explicit Indent(Printer& p) : p_(p) { p_.indent(); }
    ~Indent() { p_.outdent(); }
    Indent(const Indent&) = delete;
    Indent& operator=(const Indent&) = delete;

   private:
    Printer& p_;
  };

  const std::string& str() const { return out_; }
  std::string take() { return std::move(out_); }
  bool empty() const { return out_.empty(); }

 private:
  void write(std::string_view text);  // with indentation at line starts

  // Most printers hold a function or a block of a few hundred bytes: room
  // for that from the start spares the string's first regrowths (each a
  // copy), which cost meshc build --target cpp about 5% of its instructions.
  static constexpr size_t kInitialCapacity = 1024;

  std::string out_;
  char delimiter_;
  int width_;
  int depth_ = 0;
  bool atLineStart_ = true;
};

}  // namespace mesh::codegen
