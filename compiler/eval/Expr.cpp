// Expr: the one evaluator of typed expressions (see Expr.h). Semantics
// (docs/validation.md): SQL's three-valued logic for absent values (an
// ordering, arithmetic or function on null is unknown; `&&`, `||`, `!` and
// the quantifiers are Kleene; `==`/`!=` treat null as a value), checked
// arithmetic (division by zero and overflow are errors, never a crash).
#include "eval/Expr.h"

#include <cmath>
#include <optional>

#include "eval/TextTypes.h"
#include "meshrt/decimal.h"
#include "meshrt/expr.h"
#include "meshrt/formats.h"
#include "meshrt/regex.h"
#include "meshrt/runtime.h"

namespace mesh::eval {

using model::TypeKind;

RegexCache::RegexCache() = default;
RegexCache::~RegexCache() = default;

const meshrt::Regex& RegexCache::get(const std::string& pattern) {
  auto it = regexes_.find(pattern);
  if (it == regexes_.end()) it = regexes_.emplace(pattern, std::make_unique<meshrt::Regex>(pattern)).first;
  return *it->second;
}

bool isNumber(const RValue& v) {
  return v.kind == RValue::Kind::Int || v.kind == RValue::Kind::Float || v.kind == RValue::Kind::Decimal;
}

double toDouble(const RValue& v) {
  if (v.kind == RValue::Kind::Int) return static_cast<double>(v.i);
  if (v.kind == RValue::Kind::Decimal) return v.d.toDouble();
  return v.f;
}

namespace {
meshrt::Decimal toDecimal(const RValue& v) {
  if (v.kind == RValue::Kind::Decimal) return v.d;
  return meshrt::Decimal::fromInt(v.i);
}
}  // namespace

int compareValues(const RValue& a, const RValue& b) {
  using K = RValue::Kind;
  if (isNumber(a) && isNumber(b)) {
    if (a.kind == K::Float || b.kind == K::Float) {
      double x = toDouble(a), y = toDouble(b);
      return x < y ? -1 : x > y ? 1 : 0;
    }
    if (a.kind == K::Decimal || b.kind == K::Decimal) return meshrt::compare(toDecimal(a), toDecimal(b));
    return a.i < b.i ? -1 : a.i > b.i ? 1 : 0;
  }
  if (a.kind == K::Null || a.kind >= K::List) return equalValues(a, b) ? 0 : 1;
  // A scalar: held in one of `b`, `i` and `s`, the others as constructed.
  if (a.b != b.b) return a.b ? 1 : -1;
  if (a.i != b.i) return a.i < b.i ? -1 : 1;
  return a.s < b.s ? -1 : a.s > b.s ? 1 : 0;
}

bool equalValues(const RValue& a, const RValue& b) {
  using K = RValue::Kind;
  if (a.kind == K::Null || b.kind == K::Null) return a.kind == b.kind;
  if (a.kind >= K::ModelProduct) return a.kind == b.kind && a.ref == b.ref;
  if (a.kind == K::List || a.kind == K::Record) {
    if (a.list->size() != b.list->size()) return false;
    for (size_t i = 0; i < a.list->size(); ++i)
      if (!equalValues((*a.list)[i], (*b.list)[i])) return false;
    return true;
  }
  if (a.kind == K::Map) {
    if (a.map->size() != b.map->size()) return false;
    for (size_t i = 0; i < a.map->size(); ++i)
      if ((*a.map)[i].first != (*b.map)[i].first || !equalValues((*a.map)[i].second, (*b.map)[i].second)) return false;
    return true;
  }
  return compareValues(a, b) == 0;
}

RValue literalValue(const model::Value& lit) {
  using VK = model::Value::Kind;
  switch (lit.kind) {
    case VK::Null:
      return {};
    case VK::Bool:
      return RValue::boolean(lit.b);
    case VK::Int:
      return RValue::integer(lit.i);
    case VK::Float:
      return RValue::floating(lit.f);
    case VK::String:
      return RValue::string(lit.s);
    case VK::Duration:
      return {.kind = RValue::Kind::Duration, .i = lit.i};
    case VK::Date:
      return textValue(*textType(TypeKind::Date), lit.s);
    case VK::EnumMember:
      return {.kind = RValue::Kind::Enum, .i = lit.member};
    case VK::Role:
      return RValue::model(RValue::Kind::ModelRole, lit.role);
    case VK::Tag:
      return RValue::model(RValue::Kind::ModelTag, lit.tag);
    case VK::List:
    case VK::Map:
      break;  // only a default is one, read by Validate.cpp with its type
  }
  return {};
}

Res ExprEvaluator::eval(const model::Expr& e) {
  using Op = model::ExprOp;
  switch (e.op) {
    case Op::Literal:
      return Res::ok(literalValue(e.literal));
    case Op::Value:
      return Res::ok(value ? *value : RValue{});
    case Op::FieldRef:
      return Res::ok(fields ? (*fields)[e.field->index] : RValue{});
    case Op::Local:
      return Res::ok(locals[e.local]);
    case Op::Member: {
      Res base = eval(*e.args[0]);
      if (base.state != Res::State::Ok) return base;
      if (base.v.kind == RValue::Kind::Null) return Res::ok(RValue{});
      return Res::ok((*base.v.list)[e.field->index]);
    }
    case Op::Not: {
      Res r = eval(*e.args[0]);
      if (r.state != Res::State::Ok) return r;
      if (r.v.kind == RValue::Kind::Null) return Res::unknown(e.args[0].get());
      return Res::ok(RValue::boolean(!r.v.b));
    }
    case Op::Neg: {
      Res r = eval(*e.args[0]);
      if (r.state != Res::State::Ok) return r;
      if (r.v.kind == RValue::Kind::Null) return Res::unknown(e.args[0].get());
      RValue v = r.v;
      switch (v.kind) {
        case RValue::Kind::Int:
        case RValue::Kind::Duration:
          if (v.i == INT64_MIN) return Res::error(&e, "overflow");
          v.i = -v.i;
          break;
        case RValue::Kind::Float:
          v.f = -v.f;
          break;
        case RValue::Kind::Decimal:
          v.d.unscaled = -v.d.unscaled;
          break;
        default:
          return Res::error(&e, "not a number");
      }
      return Res::ok(v);
    }
    case Op::Binary:
      return binary(e);
    case Op::In: {
      Res l = eval(*e.args[0]);
      if (l.state != Res::State::Ok) return l;
      Res r = eval(*e.args[1]);
      if (r.state != Res::State::Ok) return r;
      if (l.v.kind == RValue::Kind::Null) return Res::unknown(e.args[0].get());
      if (r.v.kind == RValue::Kind::Null) return Res::unknown(e.args[1].get());
      bool found = false;
      for (const RValue& item : *r.v.list)
        if (item.kind != RValue::Kind::Null && equalValues(l.v, item)) found = true;
      return Res::ok(RValue::boolean(found != e.negated));
    }
    case Op::Any:
    case Op::All: {
      Res source = eval(*e.args[0]);
      if (source.state != Res::State::Ok) return source;
      if (source.v.kind == RValue::Kind::Null) return Res::unknown(e.args[0].get());
      bool any = e.op == Op::Any;
      bool sawUnknown = false;
      const model::Expr* unknownCause = nullptr;
      if (static_cast<size_t>(e.local) >= locals.size()) locals.resize(e.local + 1);
      auto visit = [&](const RValue& item) -> std::optional<Res> {
        locals[e.local] = item;
        Res r = eval(*e.args[1]);
        if (r.state == Res::State::Error) return r;
        if (r.state == Res::State::Unknown || r.v.kind == RValue::Kind::Null) {
          if (!sawUnknown) unknownCause = r.state == Res::State::Unknown ? r.cause : e.args[1].get();
          sawUnknown = true;
          return std::nullopt;
        }
        if (r.v.b == any) return Res::ok(RValue::boolean(any));
        return std::nullopt;
      };
      if (source.v.kind == RValue::Kind::Map) {
        for (const auto& [k, item] : *source.v.map)
          if (auto r = visit(item)) return *r;
      } else {
        for (const RValue& item : *source.v.list)
          if (auto r = visit(item)) return *r;
      }
      if (sawUnknown) return Res::unknown(unknownCause);
      return Res::ok(RValue::boolean(!any));
    }
    case Op::List: {
      RList items;
      for (const auto& a : e.args) {
        Res r = eval(*a);
        if (r.state != Res::State::Ok) return r;
        items.push_back(std::move(r.v));
      }
      return Res::ok(RValue::listOf(std::move(items)));
    }
    case Op::Call:
      return call(e);
    case Op::Attribute: {
      Res base = eval(*e.args[0]);
      if (base.state != Res::State::Ok) return base;
      return attribute(e, base.v);
    }
  }
  return Res::error(&e, "not an expression");
}

Res ExprEvaluator::attribute(const model::Expr& e, const RValue&) {
  return Res::error(&e, "the policy model is not available here");
}

Res ExprEvaluator::modelCall(const model::Expr& e, const std::vector<RValue>&) {
  return Res::error(&e, "the policy model is not available here");
}

namespace {
// What the runtime's arithmetic computed, held as `kind`.
RValue held(int64_t v, RValue::Kind kind) { return {.kind = kind, .i = v}; }
RValue held(meshrt::Duration v, RValue::Kind kind) { return {.kind = kind, .i = v.micros}; }
RValue held(double v, RValue::Kind kind) { return {.kind = kind, .f = v}; }
RValue held(const meshrt::Decimal& v, RValue::Kind kind) { return {.kind = kind, .d = v}; }
}  // namespace

// The runtime's arithmetic (meshrt/expr.h), the generated validators' own:
// checked, it fails on division by zero and on overflow alike; which of the
// two it was is told here, for the message.
Res ExprEvaluator::arithmetic(const model::Expr& e, const RValue& a, const RValue& b) {
  using K = RValue::Kind;
  using B = model::BinaryOp;
  using meshrt::ex::ok;
  const B op = e.binaryOp;
  if (op < B::Add) return Res::error(&e, "not an arithmetic operator");
  // BinaryOp's arithmetic operators are meshrt::ex::Op's, in its order.
  static_assert(static_cast<int>(B::Mod) - static_cast<int>(B::Add) == static_cast<int>(meshrt::ex::Op::Mod));
  const auto rop = static_cast<meshrt::ex::Op>(static_cast<int>(op) - static_cast<int>(B::Add));
  const bool division = op == B::Div || op == B::Mod;
  auto done = [&](const auto& v, K kind) {
    if (v.s == meshrt::ex::S::Ok) return Res::ok(held(v.v, kind));
    if (division && toDouble(b) == 0) return Res::error(&e, op == B::Div ? "division by zero" : "remainder by zero");
    return Res::error(&e, "overflow");
  };
  switch (e.type->kind) {
    case TypeKind::Int32:
    case TypeKind::Int64:
      return done(meshrt::ex::intArith(rop, ok(a.i), ok(b.i)), K::Int);
    case TypeKind::Float32:
    case TypeKind::Float64:
      return done(meshrt::ex::floatArith(rop, ok(toDouble(a)), ok(toDouble(b))), K::Float);
    case TypeKind::Decimal:
      return done(meshrt::ex::decimalArith(rop, ok(toDecimal(a)), ok(toDecimal(b))), K::Decimal);
    case TypeKind::Timestamp:
    case TypeKind::Duration: {
      // timestamp ± duration, duration ± duration, timestamp - timestamp,
      // duration * integer: all in int64 microseconds.
      if (division) return Res::error(&e, "not an arithmetic operator");
      K kind = e.type->kind == TypeKind::Timestamp ? K::Timestamp : K::Duration;
      return done(meshrt::ex::timeArith<meshrt::Duration>(rop, ok(a.i), ok(b.i)), kind);
    }
    default:
      return Res::error(&e, "not an arithmetic type");
  }
}

Res ExprEvaluator::binary(const model::Expr& e) {
  using B = model::BinaryOp;
  B op = e.binaryOp;
  if (op == B::And || op == B::Or) {
    // Kleene logic, short-circuiting: false && x is false, true || x is true.
    Res l = eval(*e.args[0]);
    if (l.state == Res::State::Error) return l;
    bool lUnknown = l.state == Res::State::Unknown || l.v.kind == RValue::Kind::Null;
    if (!lUnknown && l.v.b == (op == B::Or)) return Res::ok(RValue::boolean(op == B::Or));
    Res r = eval(*e.args[1]);
    if (r.state == Res::State::Error) return r;
    bool rUnknown = r.state == Res::State::Unknown || r.v.kind == RValue::Kind::Null;
    if (!rUnknown && r.v.b == (op == B::Or)) return Res::ok(RValue::boolean(op == B::Or));
    if (lUnknown) return Res::unknown(l.state == Res::State::Unknown ? l.cause : e.args[0].get());
    if (rUnknown) return Res::unknown(r.state == Res::State::Unknown ? r.cause : e.args[1].get());
    return Res::ok(RValue::boolean(op == B::And));
  }
  Res l = eval(*e.args[0]);
  if (l.state != Res::State::Ok) return l;
  Res r = eval(*e.args[1]);
  if (r.state != Res::State::Ok) return r;
  bool lnull = l.v.kind == RValue::Kind::Null, rnull = r.v.kind == RValue::Kind::Null;
  if (op == B::Eq || op == B::Ne) {
    bool equal = (lnull || rnull) ? (lnull && rnull) : equalValues(l.v, r.v);
    return Res::ok(RValue::boolean(equal == (op == B::Eq)));
  }
  if (lnull || rnull) return Res::unknown(lnull ? e.args[0].get() : e.args[1].get());
  switch (op) {
    case B::Lt:
      return Res::ok(RValue::boolean(compareValues(l.v, r.v) < 0));
    case B::Le:
      return Res::ok(RValue::boolean(compareValues(l.v, r.v) <= 0));
    case B::Gt:
      return Res::ok(RValue::boolean(compareValues(l.v, r.v) > 0));
    case B::Ge:
      return Res::ok(RValue::boolean(compareValues(l.v, r.v) >= 0));
    default:
      break;
  }
  // Durations times integers keep the integer's value in `i`.
  return arithmetic(e, l.v, r.v);
}

Res ExprEvaluator::call(const model::Expr& e) {
  using F = model::Builtin;
  if (e.builtin == F::Now) {
    return Res::ok({.kind = RValue::Kind::Timestamp, .i = nowMicros_});
  }
  std::vector<RValue> args;
  for (const auto& a : e.args) {
    Res r = eval(*a);
    if (r.state != Res::State::Ok) return r;
    if (r.v.kind == RValue::Kind::Null) return Res::unknown(a.get());
    args.push_back(std::move(r.v));
  }
  if (e.builtin == F::Has || e.builtin == F::MaskedFor || e.builtin == F::TagArgument) return modelCall(e, args);
  const RValue& a0 = args[0];
  switch (e.builtin) {
    case F::Len:
      if (a0.kind == RValue::Kind::String) return Res::ok(RValue::integer(meshrt::codePointLength(a0.s)));
      if (a0.kind == RValue::Kind::Bytes) return Res::ok(RValue::integer(static_cast<int64_t>(a0.s.size())));
      if (a0.kind == RValue::Kind::Map) return Res::ok(RValue::integer(static_cast<int64_t>(a0.map->size())));
      return Res::ok(RValue::integer(static_cast<int64_t>(a0.list->size())));
    case F::Matches: {
      const std::string& pattern = e.args[1]->literal.s;
      return Res::ok(RValue::boolean(regexes_.get(pattern).search(a0.s)));
    }
    case F::StartsWith:
      return Res::ok(RValue::boolean(meshrt::ex::startsWith(a0.s, args[1].s)));
    case F::EndsWith:
      return Res::ok(RValue::boolean(meshrt::ex::endsWith(a0.s, args[1].s)));
    case F::Contains:
      if (a0.kind == RValue::Kind::List) {
        for (const RValue& item : *a0.list)
          if (item.kind != RValue::Kind::Null && equalValues(item, args[1])) return Res::ok(RValue::boolean(true));
        return Res::ok(RValue::boolean(false));
      }
      return Res::ok(RValue::boolean(meshrt::ex::containsText(a0.s, args[1].s)));
    case F::Lower:
    case F::Upper:
      return Res::ok(RValue::string(e.builtin == F::Lower ? meshrt::asciiLower(a0.s) : meshrt::asciiUpper(a0.s)));
#define MESH_PREDICATE(Name, spelling, runtime) \
  case F::Name:                                 \
    return Res::ok(RValue::boolean(meshrt::runtime(a0.s)));
#include "model/Builtins.def"
    case F::Unique:
    case F::UniqueBy: {
      // Absent values (and records without the field) are not compared, as
      // SQL's UNIQUE ignores NULLs.
      std::vector<const RValue*> seen;
      for (const RValue& item : *a0.list) {
        const RValue* key = &item;
        if (e.builtin == F::UniqueBy) {
          if (item.kind == RValue::Kind::Null) continue;
          key = &(*item.list)[e.field->index];
        }
        if (key->kind == RValue::Kind::Null) continue;
        for (const RValue* s : seen)
          if (equalValues(*s, *key)) return Res::ok(RValue::boolean(false));
        seen.push_back(key);
      }
      return Res::ok(RValue::boolean(true));
    }
    default:
      return Res::error(&e, "not a function");
  }
}

}  // namespace mesh::eval
