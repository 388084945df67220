// Expressions: a model expression as C++ over meshrt::ex (three-valued, the
// reference evaluator's semantics), with deep parts hoisted into locals.
#include <fmt/format.h>

#include "codegen/cpp/CppGen.h"
#include "meshrt/formats.h"
#include "meshrt/limits.h"

namespace mesh::codegen::cpp {
namespace {

using Op = model::ExprOp;
using B = model::BinaryOp;

// Days since the epoch of a YYYY-MM-DD literal (checked by the front end).
int64_t meshDate(const std::string& s) {
  auto d = meshrt::parseDate(s);
  return d ? d->days : 0;
}

std::string nullOf(const model::Type* t) {
  return code("::meshrt::ex::state<$repr$>(::meshrt::ex::S::Null)", {{"repr", valueRepr(t)}});
}

const char* boolLiteral(bool b) { return b ? "true" : "false"; }

}  // namespace

int bracketDepth(const std::string& code) { return static_cast<int>(meshrt::deepestNesting(code, "([{", ")]}")); }

std::string FunctionGen::local(const std::string& base) {
  int n = ++locals_[base];
  return n == 1 ? base : base + std::to_string(n);
}

std::string FunctionGen::expr(const model::Expr& e, const Env& env, const model::Type* hint) {
  std::string value = exprNode(e, env, hint);
  if (!env.prelude || bracketDepth(value) <= kMaxNesting) return value;
  std::string var = local("part");
  env.prelude->print("const auto $var$ = $value$;\n", {{"var", var}, {"value", value}});
  return var;
}

/// `[&]() { return e; }`: evaluated only when called (the right side of &&
/// and ||), so what it hoists stays inside it.
std::string FunctionGen::lazy(const model::Expr& e, const Env& env) {
  Env inner = env;
  Printer prelude;
  inner.prelude = env.prelude ? &prelude : nullptr;
  std::string body = expr(e, inner);
  return code("[&]() { $prelude$return $body$; }", {{"prelude", prelude.str()}, {"body", body}});
}

std::string FunctionGen::exprNode(const model::Expr& e, const Env& env, const model::Type* hint) {
  switch (e.op) {
    case Op::Literal:
      return literal(e, hint);
    case Op::Value:
      return env.value;
    case Op::FieldRef:
      return code("::meshrt::ex::of($record$.$field$)", {{"record", env.record}, {"field", ident(e.field->name)}});
    case Op::Local:
      return env.locals.at(e.local);
    case Op::Member: {
      std::string of = expr(*e.args[0], env);
      return code("::meshrt::ex::member($of$, [&](const $type$& mesh_r) { return ::meshrt::ex::of(mesh_r.$field$); })",
                  {{"of", of}, {"type", qualifiedType(*e.args[0]->type->record)}, {"field", ident(e.field->name)}});
    }
    case Op::Not:
      return code("::meshrt::ex::not_($arg$)", {{"arg", expr(*e.args[0], env)}});
    case Op::Neg:
      return code("::meshrt::ex::neg($arg$)", {{"arg", expr(*e.args[0], env)}});
    case Op::Binary:
      return binary(e, env);
    case Op::In:
      return inExpr(e, env);
    case Op::Any:
    case Op::All:
      return quantifier(e, env);
    case Op::List:
      return "::meshrt::ex::error()";  // only inside `in`, handled there
    case Op::Call:
      return call(e, env);
    case Op::Attribute:
      return "::meshrt::ex::error()";
  }
  return "::meshrt::ex::error()";
}

std::string FunctionGen::literal(const model::Expr& e, const model::Type* hint) {
  using VK = model::Value::Kind;
  const model::Value& v = e.literal;
  switch (v.kind) {
    case VK::Null:
      return nullOf(hint ? hint : e.type);
    case VK::Bool:
      return code("::meshrt::ex::boolean($b$)", {{"b", boolLiteral(v.b)}});
    case VK::Int:
      return code("::meshrt::ex::ok<int64_t>($i$)", {{"i", int64Literal(v.i)}});
    case VK::Float:
      return code("::meshrt::ex::ok<double>($f$)", {{"f", doubleLiteral(v.f)}});
    case VK::String:
      return code("::meshrt::ex::ok<std::string_view>(std::string_view($s$, $n$))",
                  {{"s", cppString(v.s)}, {"n", std::to_string(v.s.size())}});
    case VK::Duration:
      return code("::meshrt::ex::ok(::meshrt::Duration{$i$})", {{"i", int64Literal(v.i)}});
    case VK::Date:
      return code("::meshrt::ex::ok(::meshrt::Date{$d$})", {{"d", std::to_string(meshDate(v.s))}});
    case VK::EnumMember:
      return code("::meshrt::ex::ok<int>($m$)", {{"m", std::to_string(v.member)}});
    default:
      return "::meshrt::ex::error()";
  }
}

std::string FunctionGen::binary(const model::Expr& e, const Env& env) {
  B op = e.binaryOp;
  const model::Expr& l = *e.args[0];
  const model::Expr& r = *e.args[1];
  if (op == B::And || op == B::Or) {
    std::string ls = expr(l, env);
    std::string rs = lazy(r, env);
    return code("::meshrt::ex::$fn$($l$, $r$)", {{"fn", op == B::And ? "and_" : "or_"}, {"l", ls}, {"r", rs}});
  }
  if (op >= B::Eq && op <= B::Ge) {
    static const char* names[] = {"", "", "Eq", "Ne", "Lt", "Le", "Gt", "Ge"};
    // A null literal takes the other side's representation.
    std::string ls = expr(l, env, r.type), rs = expr(r, env, l.type);
    return code("::meshrt::ex::compare(::meshrt::ex::Cmp::$op$, $l$, $r$)",
                {{"op", names[static_cast<int>(op)]}, {"l", ls}, {"r", rs}});
  }
  static const char* ops[] = {"", "", "", "", "", "", "", "", "Add", "Sub", "Mul", "Div", "Mod"};
  std::string ls = expr(l, env), rs = expr(r, env);
  std::initializer_list<Printer::Var> vars = {{"op", ops[static_cast<int>(op)]}, {"l", ls}, {"r", rs}};
  switch (e.type->kind) {
    case TypeKind::Int32:
    case TypeKind::Int64:
      return code("::meshrt::ex::intArith(::meshrt::ex::Op::$op$, $l$, $r$)", vars);
    case TypeKind::Float32:
    case TypeKind::Float64:
      return code("::meshrt::ex::floatArith(::meshrt::ex::Op::$op$, $l$, $r$)", vars);
    case TypeKind::Decimal:
      return code("::meshrt::ex::decimalArith(::meshrt::ex::Op::$op$, $l$, $r$)", vars);
    case TypeKind::Timestamp:
      return code("::meshrt::ex::timeArith<::meshrt::Timestamp>(::meshrt::ex::Op::$op$, $l$, $r$)", vars);
    case TypeKind::Duration:
      return code("::meshrt::ex::timeArith<::meshrt::Duration>(::meshrt::ex::Op::$op$, $l$, $r$)", vars);
    default:
      return "::meshrt::ex::error()";
  }
}

std::string FunctionGen::inExpr(const model::Expr& e, const Env& env) {
  const model::Expr& x = *e.args[0];
  const model::Expr& list = *e.args[1];
  std::string xs = expr(x, env);
  const char* negated = boolLiteral(e.negated);
  if (list.op != Op::List)
    return code("::meshrt::ex::inSeq($x$, $seq$, $negated$)",
                {{"x", xs}, {"seq", expr(list, env)}, {"negated", negated}});
  // Elements in the widest representation among the left side and them.
  std::string repr = valueRepr(x.type);
  for (const auto& item : list.args) {
    std::string r = valueRepr(item->type);
    if (r == "double" || (r == "::meshrt::Decimal" && repr == "int64_t")) repr = r;
  }
  std::string items;
  for (const auto& item : list.args)
    items += (items.empty() ? "" : ", ") +
             code("::meshrt::ex::conv<$repr$>($item$)", {{"repr", repr}, {"item", expr(*item, env, x.type)}});
  return code(
      "::meshrt::ex::inList(::meshrt::ex::conv<$repr$>($x$), std::vector<::meshrt::ex::V<$repr$>>{$items$}, $negated$)",
      {{"repr", repr}, {"x", xs}, {"items", items}, {"negated", negated}});
}

std::string FunctionGen::quantifier(const model::Expr& e, const Env& env) {
  Env inner = env;
  std::string var = "mesh_l" + std::to_string(e.local);
  inner.locals[e.local] = var;
  Printer prelude;
  inner.prelude = env.prelude ? &prelude : nullptr;
  std::string body = expr(*e.args[1], inner);
  std::string over = expr(*e.args[0], env);
  return code("::meshrt::ex::quantify($any$, $over$, [&](auto $var$) { $prelude$return $body$; })",
              {{"any", boolLiteral(e.op == Op::Any)},
               {"over", over},
               {"var", var},
               {"prelude", prelude.str()},
               {"body", body}});
}

std::string FunctionGen::call(const model::Expr& e, const Env& env) {
  using F = model::Builtin;
  auto arg = [&](size_t i) { return expr(*e.args[i], env); };
  TypeKind first = e.args.empty() ? TypeKind::Bool : e.args[0]->type->kind;
  if (std::string_view fn = model::builtinInfo(e.builtin).predicate; !fn.empty())
    return code("::meshrt::ex::apply<bool>($a$, [](std::string_view s) { return ::meshrt::$fn$(s); })",
                {{"a", arg(0)}, {"fn", std::string(fn)}});
  switch (e.builtin) {
    case F::Now:
      return "::meshrt::ex::ok(::meshrt::Timestamp{sink.nowMicros})";
    case F::Len:
      if (first == TypeKind::String)
        return code(
            "::meshrt::ex::apply<int64_t>($a$, [](std::string_view s) { return ::meshrt::codePointLength(s); })",
            {{"a", arg(0)}});
      if (first == TypeKind::Bytes)
        return code(
            "::meshrt::ex::apply<int64_t>($a$, [](std::string_view s) { return static_cast<int64_t>(s.size()); })",
            {{"a", arg(0)}});
      return code("::meshrt::ex::apply<int64_t>($a$, [](auto p) { return static_cast<int64_t>(p->size()); })",
                  {{"a", arg(0)}});
    case F::Matches: {
      std::string a = arg(0);
      return code("::meshrt::ex::apply<bool>($a$, [](std::string_view s) { return $regex$.search(s); })",
                  {{"a", a}, {"regex", regexFor(e.args[1]->literal.s)}});
    }
    case F::StartsWith:
    case F::EndsWith: {
      std::string a = arg(0), b = arg(1);
      return code("::meshrt::ex::apply2<bool>($a$, $b$, ::meshrt::ex::$fn$)",
                  {{"a", a}, {"b", b}, {"fn", e.builtin == F::StartsWith ? "startsWith" : "endsWith"}});
    }
    case F::Contains: {
      std::string a = arg(0), b = arg(1);
      if (first == TypeKind::List) return code("::meshrt::ex::containsItem($a$, $b$)", {{"a", a}, {"b", b}});
      return code("::meshrt::ex::apply2<bool>($a$, $b$, ::meshrt::ex::containsText)", {{"a", a}, {"b", b}});
    }
    case F::Lower:
    case F::Upper:
      return code("::meshrt::ex::apply<std::string>($a$, [](std::string_view s) { return ::meshrt::$fn$(s); })",
                  {{"a", arg(0)}, {"fn", e.builtin == F::Lower ? "asciiLower" : "asciiUpper"}});
    case F::Unique:
      return code("::meshrt::ex::uniqueItems($a$)", {{"a", arg(0)}});
    case F::UniqueBy:
      return code(
          "::meshrt::ex::uniqueBy($a$, [](const $type$& mesh_r) { return ::meshrt::ex::of(mesh_r.$field$); })",
          {{"a", arg(0)}, {"type", qualifiedType(*e.args[0]->type->element->record)}, {"field", ident(e.field->name)}});
    default:
      return "::meshrt::ex::error()";
  }
}

}  // namespace mesh::codegen::cpp
