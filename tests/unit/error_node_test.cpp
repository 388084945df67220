// Units of the parser's error node: a part of an expression that failed to
// parse, or a literal the parser rejected, is an ast::ExprKind::Error node
// covering it (its error reported once, by the parser), and the expression
// around it keeps its shape. tests/lit/recovery/error-in-expression.mesh
// shows the checker says nothing more about it.
#include <doctest/doctest.h>

#include <variant>

#include "syntax/Parse.h"

using namespace mesh;

namespace {

struct Parsed {
  SourceManager sm;
  DiagnosticEngine diags;
  ast::File file;
};

// The constraints of record R's fields, in order, parsed from `fields`.
void parseFields(const std::string& fields, Parsed& out) {
  std::string text = "package t;\nrecord R {\n" + fields + "}\n";
  uint32_t id = out.sm.addFile("t.mesh", text);
  out.file = syntax::parseFile(out.sm, id, {}, out.diags);
}

const ast::FieldDecl& field(const Parsed& p, size_t i) {
  const auto& record = std::get<ast::RecordDecl>(p.file.decls.at(0).body);
  return record.fields.at(i);
}

std::string textOf(const Parsed& p, SourceRange r) { return p.sm.text(r.file).slice(r.begin, r.end).str(); }

}  // namespace

TEST_CASE("error node: a missing operand") {
  Parsed p;
  parseFields("  a: int32 where value > ;\n  b: int32 where value > 1;\n", p);
  CHECK(p.diags.errorCount() == 1);
  const ast::Expr& a = *field(p, 0).constraint;
  REQUIRE(a.kind == ast::ExprKind::Binary);
  CHECK(a.args.at(0)->kind == ast::ExprKind::Name);
  const ast::Expr& missing = *a.args.at(1);
  CHECK(missing.kind == ast::ExprKind::Error);
  CHECK(missing.name.empty());
  CHECK(missing.args.empty());
  const ast::Expr& b = *field(p, 1).constraint;
  CHECK(b.kind == ast::ExprKind::Binary);
  CHECK(b.args.at(1)->kind == ast::ExprKind::Int);
}

TEST_CASE("error node: rejected literals keep their place in the tree") {
  Parsed p;
  parseFields(
      "  a: int64 where value < 99999999999999999999;\n"
      "  b: string where value != \"\\q\";\n"
      "  c: date = 2027-02-30;\n"
      "  d: float64 where value < 1e999 && value > 0;\n",
      p);
  CHECK(p.diags.errorCount() == 4);
  for (size_t i : {0, 1}) {
    const ast::Expr& e = *field(p, i).constraint;
    REQUIRE(e.kind == ast::ExprKind::Binary);
    CHECK(e.args.at(0)->kind == ast::ExprKind::Name);
    CHECK(e.args.at(1)->kind == ast::ExprKind::Error);
  }
  CHECK(textOf(p, field(p, 0).constraint->args.at(1)->range) == "99999999999999999999");
  CHECK(textOf(p, field(p, 1).constraint->args.at(1)->range) == "\"\\q\"");
  const ast::Expr& c = *field(p, 2).defaultValue;
  CHECK(c.kind == ast::ExprKind::Error);
  CHECK(textOf(p, c.range) == "2027-02-30");
  const ast::Expr& d = *field(p, 3).constraint;
  REQUIRE(d.kind == ast::ExprKind::Binary);
  CHECK(d.args.at(0)->args.at(1)->kind == ast::ExprKind::Error);
  CHECK(d.args.at(1)->kind == ast::ExprKind::Binary);
}

TEST_CASE("error node: null is a literal, not an error") {
  Parsed p;
  parseFields("  a: string? = null;\n", p);
  CHECK(p.diags.errorCount() == 0);
  CHECK(field(p, 0).defaultValue->kind == ast::ExprKind::Null);
}
