// codegen::Printer (compiler/codegen/Printer.h), the one way generators
// write text: literal templates, named values, indentation at line starts.
#include "codegen/Printer.h"

#include <doctest/doctest.h>

#include <string>

using mesh::codegen::Printer;

TEST_CASE("Printer substitutes named values and keeps $$ as one delimiter") {
  Printer p;
  p.print("int $name$ = $value$;  // costs $$5\n", {{"name", "count"}, {"value", "42"}});
  CHECK(p.str() == "int count = 42;  // costs $5\n");
}

TEST_CASE("Printer indents every line it starts, values' lines too, and leaves empty lines empty") {
  Printer p;
  p.print("if (ok) {\n");
  {
    Printer::Indent in(p);
    p.print("a();\n\n$body$\n", {{"body", "b();\nc();"}});
  }
  p.print("}\n");
  CHECK(p.str() == "if (ok) {\n  a();\n\n  b();\n  c();\n}\n");
}

TEST_CASE("Printer re-indents a nested printer's block and does not scan it for variables") {
  Printer inner;
  inner.print("x = \"$$\";\n");
  Printer outer;
  outer.indent();
  outer.printBlock(inner.str());
  CHECK(outer.str() == "  x = \"$\";\n");
}

TEST_CASE("Printer takes another delimiter for targets whose text uses $") {
  Printer p('@');
  p.print("<p>$5 for @who@</p>\n", {{"who", "&lt;you&gt;"}});
  CHECK(p.str() == "<p>$5 for &lt;you&gt;</p>\n");
}

TEST_CASE("Printer continues a line across calls without indenting its middle") {
  Printer p;
  p.indent();
  p.print("f(");
  p.print("$arg$);\n", {{"arg", "x"}});
  CHECK(p.str() == "  f(x);\n");
}
