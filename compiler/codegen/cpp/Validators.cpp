// Validators: the `where` constraints (inline C++ for the common shapes,
// meshrt::ex for the rest), the record `check`s and the in-memory validation
// of a struct. The generated code follows the reference evaluator
// (compiler/eval/Validate.cpp) step for step, so both print the same bytes.
#include <fmt/format.h>

#include "codegen/cpp/CppGen.h"

namespace mesh::codegen::cpp {
namespace {

using Op = model::ExprOp;
using B = model::BinaryOp;
using VK = model::Value::Kind;

// The C++ expression of a violation message: `withheld` (literals or names
// that may be the value left out) when the value is sensitive, statically or
// because the sink is inside a sensitive field, else `plain`.
std::string messageFor(const std::string& plain, const std::string& withheld, bool sensitive) {
  if (sensitive || plain == withheld) return cppString(sensitive ? withheld : plain);
  return code("sink.sensitive()\n    ? $withheld$\n    : $plain$",
              {{"withheld", cppString(withheld)}, {"plain", cppString(plain)}});
}

// The left side of a direct comparison of a decimal value with an integer:
// the literal at the field's scale when it fits 64 bits (equal scales
// compare inline), else converted at run time.
std::string decimalSubject(const std::string& value, int64_t literal, int scale, const std::string& number) {
  __int128 scaled = literal;
  for (int k = 0; k < scale && scaled > -(__int128(1) << 100) && scaled < (__int128(1) << 100); ++k) scaled *= 10;
  if (scaled >= INT64_MIN && scaled <= INT64_MAX && scale <= 38)
    return code(
        "::meshrt::compare($value$, ::meshrt::Decimal{$scaled$, $scale$})",
        {{"value", value}, {"scaled", int64Literal(static_cast<int64_t>(scaled))}, {"scale", std::to_string(scale)}});
  return code("::meshrt::compare($value$, ::meshrt::Decimal::fromInt($number$))",
              {{"value", value}, {"number", number}});
}

// `sink.add(rule, message);` on the line after its condition, indented under it.
void printViolation(Printer& p, std::string_view rule, const std::string& message) {
  Printer::Indent in(p);
  p.print("sink.add(::meshrt::Rule::$rule$, $message$);\n", {{"rule", rule}, {"message", message}});
}

}  // namespace

// A `where` in the common simple shapes, as a plain C++ condition that is
// true when the constraint fails, or nothing. `value` is the lvalue of the
// present value (never null here, so two-valued logic is exact): comparisons
// of an integer, float or decimal value with a number, `matches(value, r"..")`,
// `len(value)` of a list or map against an integer, and && and || of those.
// Anything else goes through the meshrt::ex evaluator (same verdicts; the
// differential test compares both with meshc's evaluator).
std::optional<std::string> FunctionGen::directFails(const model::Expr& e, const std::string& value) {
  if (e.op == Op::Binary && (e.binaryOp == B::And || e.binaryOp == B::Or)) return directChain(e, value);
  if (e.op == Op::Call && e.builtin == model::Builtin::Matches && e.args[0]->op == Op::Value &&
      e.args[0]->type->kind == TypeKind::String && e.args[1]->op == Op::Literal &&
      e.args[1]->literal.kind == VK::String)
    return code("!$regex$.search($value$)", {{"regex", regexFor(e.args[1]->literal.s)}, {"value", value}});
  return directComparison(e, value);
}

// A chain of one operator is one flat condition (no nesting per term).
std::optional<std::string> FunctionGen::directChain(const model::Expr& e, const std::string& value) {
  std::vector<const model::Expr*> terms, work = {&e};
  while (!work.empty()) {
    const model::Expr* t = work.back();
    work.pop_back();
    if (t->op == Op::Binary && t->binaryOp == e.binaryOp) {
      work.push_back(t->args[1].get());
      work.push_back(t->args[0].get());
    } else {
      terms.push_back(t);
    }
  }
  std::string out;
  for (const model::Expr* t : terms) {
    auto fails = directFails(*t, value);
    if (!fails) return std::nullopt;
    out += (out.empty() ? "(" : e.binaryOp == B::And ? " || (" : " && (") + *fails + ")";
  }
  if (bracketDepth(out) > kMaxNesting) return std::nullopt;
  return out;
}

std::optional<std::string> FunctionGen::directComparison(const model::Expr& e, const std::string& value) {
  if (e.op != Op::Binary || e.binaryOp < B::Eq || e.binaryOp > B::Ge) return std::nullopt;
  static const char* ops[] = {"", "", "==", "!=", "<", "<=", ">", ">="};
  static const char* flipped[] = {"", "", "==", "!=", ">", ">=", "<", "<="};
  const model::Expr* subject = e.args[0].get();
  const model::Expr* literal = e.args[1].get();
  const char* op = ops[static_cast<int>(e.binaryOp)];
  if (subject->op == Op::Literal) {
    std::swap(subject, literal);
    op = flipped[static_cast<int>(e.binaryOp)];
  }
  if (literal->op != Op::Literal || (literal->literal.kind != VK::Int && literal->literal.kind != VK::Float))
    return std::nullopt;
  bool integer = literal->literal.kind == VK::Int;
  std::string number = integer ? int64Literal(literal->literal.i) : doubleLiteral(literal->literal.f);
  std::string lhs;
  if (subject->op == Op::Value) {
    switch (subject->type->kind) {
      case TypeKind::Int32:
      case TypeKind::Int64:
        if (!integer) return std::nullopt;
        lhs = code("static_cast<int64_t>($value$)", {{"value", value}});
        break;
      case TypeKind::Float32:
      case TypeKind::Float64:
        lhs = code("static_cast<double>($value$)", {{"value", value}});
        break;
      case TypeKind::Decimal:
        if (!integer) return std::nullopt;
        lhs = decimalSubject(value, literal->literal.i, subject->type->scale, number);
        number = "0";
        break;
      default:
        return std::nullopt;
    }
  } else if (subject->op == Op::Call && subject->builtin == model::Builtin::Len && subject->args[0]->op == Op::Value &&
             (subject->args[0]->type->kind == TypeKind::List || subject->args[0]->type->kind == TypeKind::Map) &&
             integer) {
    lhs = code("static_cast<int64_t>($value$.size())", {{"value", value}});
  } else {
    return std::nullopt;
  }
  if (!integer && lhs.rfind("static_cast<double>", 0) != 0) return std::nullopt;
  return code("!($lhs$ $op$ $number$)", {{"lhs", lhs}, {"op", op}, {"number", number}});
}

// The check of one `where` on the present value `value`: a violation with
// the constraint's message when it fails.
std::string FunctionGen::whereCheck(const model::Expr& constraint, const std::string& text, const std::string& redacted,
                                    bool sensitive, const std::string& value) {
  std::string message =
      messageFor(model::constraintMessage(constraint, text), model::sensitiveConstraintMessage(redacted), sensitive);
  Printer p;
  if (auto direct = directFails(constraint, value)) {
    p.print("if (MESHRT_UNLIKELY($failed$))\n", {{"failed", *direct}});
    printViolation(p, "Where", message);
    return p.take();
  }
  Env env;
  env.value = "mesh_v";
  Printer prelude;
  env.prelude = &prelude;
  std::string check = expr(constraint, env);
  p.print("{\n  auto mesh_v = ::meshrt::ex::of($value$);\n  (void)mesh_v;\n", {{"value", value}});
  {
    Printer::Indent in(p);
    p.printBlock(prelude.str());
  }
  {
    Printer::Indent in(p);
    p.print("if (MESHRT_UNLIKELY(::meshrt::ex::fails($check$)))\n", {{"check", check}});
    printViolation(p, "Where", message);
  }
  p.print("}\n");
  return p.take();
}

std::string FunctionGen::constraintsOf(const model::Type* t, const std::string& stored) {
  const model::Refinement* ref = t->refinement;
  if (!ref) return {};
  std::vector<const model::Refinement*> chain;
  for (const model::Refinement* r = ref; r; r = r->base ? r->base->refinement : nullptr) chain.push_back(r);
  bool sensitive = model::refinementIsSensitive(t);
  Printer p;
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    const model::Refinement* r = *it;
    if (!r->constraint || r->constraint->type->isError()) continue;
    p.printBlock(whereCheck(*r->constraint, r->constraintText, r->constraintTextRedacted, sensitive, stored));
  }
  return p.take();
}

// The path step of a map entry: its key, or its position when the key type
// is sensitive (then what is below it is sensitive too).
std::string keyStep(const model::Type* map, const std::string& key, const std::string& position) {
  if (model::refinementIsSensitive(map->key)) return code("sink.sensitiveKey($position$++)", {{"position", position}});
  return code("sink.key($key$, $position$++)", {{"key", key}, {"position", position}});
}

std::string FunctionGen::validateValue(const model::Type* t, const std::string& var) {
  std::string v = t->optional ? "(*" + var + ")" : var;
  Printer body;
  switch (t->kind) {
    case TypeKind::String:
      // A struct built in memory may hold any bytes; the wire needs UTF-8.
      body.print("if (!::meshrt::isValidUtf8($v$))\n  sink.add(::meshrt::Rule::Format, ::meshrt::msg::kNotUtf8);\n",
                 {{"v", v}});
      break;
    case TypeKind::Record:
      body.print("$detail$::validateRecord($v$, sink);\n", {{"detail", detail(*t->record)}, {"v", v}});
      break;
    case TypeKind::Union:
      if (t->unionType->tagged())
        body.print("$detail$::validateRecord($v$, sink);\n", {{"detail", detail(*t->unionType)}, {"v", v}});
      else
        body.printBlock(validateUnion(t, v));
      break;
    case TypeKind::List: {
      std::string i = local("item_index"), mark = local("item_mark");
      body.print(
          "for (size_t $i$ = 0; $i$ < $v$.size(); ++$i$) {\n  size_t $mark$ = sink.mark();\n  sink.index($i$);\n",
          {{"i", i}, {"v", v}, {"mark", mark}});
      {
        Printer::Indent in(body);
        body.printBlock(validateValue(t->element, v + "[" + i + "]"));
      }
      body.print("  sink.resize($mark$);\n}\n", {{"mark", mark}});
      break;
    }
    case TypeKind::Map: {
      std::string kv = local("entry"), position = local("entry_position"), mark = local("entry_mark");
      body.print(
          "uint64_t $position$ = 0;\n"
          "for (const auto& $kv$ : $v$) {\n"
          "  size_t $mark$ = sink.mark();\n"
          "  $keyStep$;\n",
          {{"kv", kv},
           {"v", v},
           {"position", position},
           {"mark", mark},
           {"keyStep", keyStep(t, kv + ".first", position)}});
      {
        Printer::Indent in(body);
        body.printBlock(constraintsOf(t->key, kv + ".first"));
        body.printBlock(validateValue(t->element, kv + ".second"));
      }
      body.print("  sink.resize($mark$);\n}\n", {{"mark", mark}});
      break;
    }
    default:
      break;
  }
  body.printBlock(constraintsOf(t, v));
  if (!t->optional) return body.take();
  if (body.empty()) return {};
  Printer p;
  p.print("if ($var$.has_value()) {\n", {{"var", var}});
  {
    Printer::Indent in(p);
    p.printBlock(body.str());
  }
  p.print("}\n");
  return p.take();
}

// The checks of a record, evaluated on a struct whose fields read cleanly.
std::string FunctionGen::checkRecord(const model::Record& r) {
  newScope();
  Printer p;
  p.print("void checkRecord(const $type$& rec, ::meshrt::Sink& sink) {\n  (void)rec;\n  (void)sink;\n",
          {{"type", qualifiedType(r)}});
  p.indent();
  for (const auto& c : r.checks) {
    if (!c.expr || c.expr->type->isError()) continue;
    Env env;
    env.record = "rec";
    Printer prelude;
    env.prelude = &prelude;
    std::string check = expr(*c.expr, env);
    p.printBlock(prelude.str());
    std::string message = messageFor(model::checkMessage(c.name, c.text), model::checkMessage(c.name, c.redactedText),
                                     model::readsSensitiveField(*c.expr));
    p.print("if (::meshrt::ex::fails($check$))\n", {{"check", check}});
    printViolation(p, "Check", message);
  }
  p.outdent();
  p.print("}\n\n");
  return p.take();
}

std::string FunctionGen::recordValidator(const model::Record& r) {
  Printer p;
  p.printBlock(checkRecord(r));
  newScope();
  // In-memory validation: the constraints and checks (types hold by construction).
  p.print(
      "void validateRecord(const $type$& rec, ::meshrt::Sink& sink) {\n  (void)rec;\n  size_t mark = sink.mark();\n  "
      "(void)mark;\n",
      {{"type", qualifiedType(r)}});
  p.indent();
  if (model::isSensitive(r.tags)) p.print("sink.markSensitive();\n");
  for (const auto& f : r.fields) {
    std::string target = "rec." + ident(f->name);
    p.print("sink.member($name$);\n", {{"name", cppString(f->wireName())}});
    if (model::isSensitive(f->tags)) p.print("sink.markSensitive();\n");
    p.printBlock(validateValue(f->type, target));
    if (f->constraint && !f->constraint->type->isError()) {
      if (f->type->optional)
        p.print("if ($target$.has_value()) {\n", {{"target", target}});
      else
        p.print("{\n");
      {
        Printer::Indent inner(p);
        p.printBlock(whereCheck(*f->constraint, f->constraintText, f->constraintTextRedacted, false,
                                f->type->optional ? "(*" + target + ")" : target));
      }
      p.print("}\n");
    }
    p.print("sink.resize(mark);\n");
  }
  if (!r.checks.empty()) p.print("checkRecord(rec, sink);\n");
  p.outdent();
  p.print("}\n\n");
  return p.take();
}

}  // namespace mesh::codegen::cpp
