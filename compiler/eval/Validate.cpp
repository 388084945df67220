// Validate: walks a message against its record type, converting wire values
// to typed values, then evaluates `where` constraints and record `check`s.
//
// Semantics (docs/validation.md):
// - violations in document order; missing required fields after the members
//   of their object, in declaration order; checks after that;
// - a syntax error anywhere: one `parse` violation at `$` and nothing else;
// - a check runs only when every field of its record read cleanly (no
//   required/type/format/enum/unknown/parse violation in the record's own
//   fields), so it never sees half-typed data;
// - expressions are total, with SQL's three-valued logic for absent values:
//   an ordering, arithmetic or function on null is unknown, `&&`, `||`, `!`
//   and the quantifiers are Kleene, `==`/`!=` treat null as a value; a
//   constraint fails when it is false or when evaluation fails (division by
//   zero, overflow), and passes when it is true or unknown.
#include "eval/Validate.h"

#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <set>

#include "eval/Json.h"
#include "meshrt/decimal.h"
#include "meshrt/formats.h"
#include "meshrt/regex.h"
#include "meshrt/runtime.h"

namespace mesh::eval {

using model::TypeKind;
using meshrt::Rule;

namespace {

/// A typed runtime value.
struct RValue;
using RList = std::vector<RValue>;
using RMap = std::vector<std::pair<std::string, RValue>>;

struct RValue {
  enum class Kind { Null, Bool, Int, Float, Decimal, String, Bytes, Timestamp, Date, Duration, Uuid, Enum, List, Map, Record };
  Kind kind = Kind::Null;
  bool b = false;
  int64_t i = 0;  // Int, Timestamp (micros), Date (days), Duration (micros), Enum (member index)
  double f = 0;
  meshrt::Decimal d;
  std::string s;  // String, Bytes (decoded), Uuid (16 raw bytes)
  std::shared_ptr<RList> list;    // List, Record (fields by index)
  std::shared_ptr<RMap> map;      // Map

  static RValue null() { return {}; }
  static RValue boolean(bool v) {
    RValue r;
    r.kind = Kind::Bool;
    r.b = v;
    return r;
  }
  static RValue integer(int64_t v) {
    RValue r;
    r.kind = Kind::Int;
    r.i = v;
    return r;
  }
};

bool isNumber(const RValue& v) {
  return v.kind == RValue::Kind::Int || v.kind == RValue::Kind::Float || v.kind == RValue::Kind::Decimal;
}

double toDouble(const RValue& v) {
  if (v.kind == RValue::Kind::Int) return static_cast<double>(v.i);
  if (v.kind == RValue::Kind::Decimal) return v.d.toDouble();
  return v.f;
}

meshrt::Decimal toDecimal(const RValue& v) {
  if (v.kind == RValue::Kind::Decimal) return v.d;
  return meshrt::Decimal::fromInt(v.i);
}

bool equalValues(const RValue& a, const RValue& b);

// -1, 0, 1 for values of comparable types (the checker guarantees it).
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
  switch (a.kind) {
    case K::Bool: return a.b == b.b ? 0 : a.b ? 1 : -1;
    case K::String:
    case K::Bytes:
    case K::Uuid: return a.s < b.s ? -1 : a.s > b.s ? 1 : 0;
    case K::Timestamp:
    case K::Date:
    case K::Duration:
    case K::Enum: return a.i < b.i ? -1 : a.i > b.i ? 1 : 0;
    default: return equalValues(a, b) ? 0 : 1;
  }
}

bool equalValues(const RValue& a, const RValue& b) {
  using K = RValue::Kind;
  if (a.kind == K::Null || b.kind == K::Null) return a.kind == b.kind;
  if (a.kind == K::List || a.kind == K::Record) {
    if (a.list->size() != b.list->size()) return false;
    for (size_t i = 0; i < a.list->size(); ++i)
      if (!equalValues((*a.list)[i], (*b.list)[i])) return false;
    return true;
  }
  if (a.kind == K::Map) {
    if (a.map->size() != b.map->size()) return false;
    for (size_t i = 0; i < a.map->size(); ++i)
      if ((*a.map)[i].first != (*b.map)[i].first || !equalValues((*a.map)[i].second, (*b.map)[i].second))
        return false;
    return true;
  }
  return compareValues(a, b) == 0;
}

/// The outcome of evaluating an expression.
struct Res {
  enum class State { Ok, Unknown, Error } state = State::Ok;
  RValue v;
  static Res ok(RValue v) { return {State::Ok, std::move(v)}; }
  static Res unknown() { return {State::Unknown, {}}; }
  static Res error() { return {State::Error, {}}; }
};

/// Evaluates one constraint or check.
class Evaluator {
 public:
  Evaluator(Validator& validator, const ValidateOptions& options) : validator_(validator), options_(options) {}

  const RValue* value = nullptr;         // `value` in a where
  const RList* fields = nullptr;         // the record's fields in a check
  std::vector<RValue> locals;            // quantifier variables by index

  Res eval(const model::Expr& e);

 private:
  Res binary(const model::Expr& e);
  Res call(const model::Expr& e);
  Res arithmetic(model::BinaryOp op, const model::Type* type, const RValue& a, const RValue& b);

  Validator& validator_;
  const ValidateOptions& options_;
};

RValue literalValue(const model::Value& lit, const model::Type* type) {
  using VK = model::Value::Kind;
  RValue r;
  switch (lit.kind) {
    case VK::Null: return r;
    case VK::Bool: return RValue::boolean(lit.b);
    case VK::Int: return RValue::integer(lit.i);
    case VK::Float:
      r.kind = RValue::Kind::Float;
      r.f = lit.f;
      return r;
    case VK::String:
      r.kind = RValue::Kind::String;
      r.s = lit.s;
      return r;
    case VK::Duration:
      r.kind = RValue::Kind::Duration;
      r.i = lit.i;
      return r;
    case VK::Date: {
      r.kind = RValue::Kind::Date;
      auto d = meshrt::parseDate(lit.s);
      r.i = d ? d->days : 0;
      return r;
    }
    case VK::EnumMember:
      r.kind = RValue::Kind::Enum;
      r.i = lit.member;
      return r;
    default: break;
  }
  (void)type;
  return r;
}

Res Evaluator::eval(const model::Expr& e) {
  using Op = model::ExprOp;
  switch (e.op) {
    case Op::Literal: return Res::ok(literalValue(e.literal, e.type));
    case Op::Value: return Res::ok(value ? *value : RValue{});
    case Op::FieldRef: return Res::ok(fields ? (*fields)[e.field->index] : RValue{});
    case Op::Local: return Res::ok(locals[e.local]);
    case Op::Member: {
      Res base = eval(*e.args[0]);
      if (base.state != Res::State::Ok) return base;
      if (base.v.kind == RValue::Kind::Null) return Res::ok(RValue{});
      return Res::ok((*base.v.list)[e.field->index]);
    }
    case Op::Not: {
      Res r = eval(*e.args[0]);
      if (r.state != Res::State::Ok) return r;
      if (r.v.kind == RValue::Kind::Null) return Res::unknown();
      return Res::ok(RValue::boolean(!r.v.b));
    }
    case Op::Neg: {
      Res r = eval(*e.args[0]);
      if (r.state != Res::State::Ok) return r;
      if (r.v.kind == RValue::Kind::Null) return Res::unknown();
      RValue v = r.v;
      switch (v.kind) {
        case RValue::Kind::Int:
        case RValue::Kind::Duration:
          if (v.i == INT64_MIN) return Res::error();
          v.i = -v.i;
          break;
        case RValue::Kind::Float: v.f = -v.f; break;
        case RValue::Kind::Decimal: v.d.unscaled = -v.d.unscaled; break;
        default: return Res::error();
      }
      return Res::ok(v);
    }
    case Op::Binary: return binary(e);
    case Op::In: {
      Res l = eval(*e.args[0]);
      if (l.state != Res::State::Ok) return l;
      Res r = eval(*e.args[1]);
      if (r.state != Res::State::Ok) return r;
      if (l.v.kind == RValue::Kind::Null || r.v.kind == RValue::Kind::Null) return Res::unknown();
      bool found = false;
      for (const RValue& item : *r.v.list)
        if (item.kind != RValue::Kind::Null && equalValues(l.v, item)) found = true;
      return Res::ok(RValue::boolean(found != e.negated));
    }
    case Op::Any:
    case Op::All: {
      Res source = eval(*e.args[0]);
      if (source.state != Res::State::Ok) return source;
      if (source.v.kind == RValue::Kind::Null) return Res::unknown();
      bool any = e.op == Op::Any;
      bool sawUnknown = false;
      if (static_cast<size_t>(e.local) >= locals.size()) locals.resize(e.local + 1);
      auto visit = [&](const RValue& item) -> std::optional<Res> {
        locals[e.local] = item;
        Res r = eval(*e.args[1]);
        if (r.state == Res::State::Error) return r;
        if (r.state == Res::State::Unknown || r.v.kind == RValue::Kind::Null) {
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
      if (sawUnknown) return Res::unknown();
      return Res::ok(RValue::boolean(!any));
    }
    case Op::List: {
      RValue list;
      list.kind = RValue::Kind::List;
      list.list = std::make_shared<RList>();
      for (const auto& a : e.args) {
        Res r = eval(*a);
        if (r.state != Res::State::Ok) return r;
        list.list->push_back(std::move(r.v));
      }
      return Res::ok(std::move(list));
    }
    case Op::Call: return call(e);
    case Op::Attribute: return Res::error();  // policy model: not part of message validation
  }
  return Res::error();
}

Res Evaluator::arithmetic(model::BinaryOp op, const model::Type* type, const RValue& a, const RValue& b) {
  using K = RValue::Kind;
  using B = model::BinaryOp;
  RValue r;
  switch (type->kind) {
    case TypeKind::Int32:
    case TypeKind::Int64: {
      int64_t x = a.i, y = b.i, out = 0;
      bool overflow = false;
      switch (op) {
        case B::Add: overflow = __builtin_add_overflow(x, y, &out); break;
        case B::Sub: overflow = __builtin_sub_overflow(x, y, &out); break;
        case B::Mul: overflow = __builtin_mul_overflow(x, y, &out); break;
        case B::Div:
          if (y == 0 || (x == INT64_MIN && y == -1)) return Res::error();
          out = x / y;
          break;
        case B::Mod:
          if (y == 0 || (x == INT64_MIN && y == -1)) return Res::error();
          out = x % y;
          break;
        default: return Res::error();
      }
      if (overflow) return Res::error();
      return Res::ok(RValue::integer(out));
    }
    case TypeKind::Float32:
    case TypeKind::Float64: {
      double x = toDouble(a), y = toDouble(b), out = 0;
      switch (op) {
        case B::Add: out = x + y; break;
        case B::Sub: out = x - y; break;
        case B::Mul: out = x * y; break;
        case B::Div:
          if (y == 0) return Res::error();
          out = x / y;
          break;
        case B::Mod:
          if (y == 0) return Res::error();
          out = std::fmod(x, y);
          break;
        default: return Res::error();
      }
      if (!std::isfinite(out)) return Res::error();
      r.kind = K::Float;
      r.f = out;
      return Res::ok(r);
    }
    case TypeKind::Decimal: {
      meshrt::Decimal x = toDecimal(a), y = toDecimal(b);
      std::optional<meshrt::Decimal> out;
      switch (op) {
        case B::Add: out = meshrt::add(x, y); break;
        case B::Sub: out = meshrt::sub(x, y); break;
        case B::Mul: out = meshrt::mul(x, y); break;
        case B::Div: out = meshrt::div(x, y); break;
        case B::Mod: out = meshrt::mod(x, y); break;
        default: break;
      }
      if (!out) return Res::error();
      r.kind = K::Decimal;
      r.d = *out;
      return Res::ok(r);
    }
    case TypeKind::Timestamp:
    case TypeKind::Duration: {
      // timestamp ± duration, duration ± duration, timestamp - timestamp,
      // duration * integer: all in int64 microseconds, checked.
      int64_t x = a.i, y = b.i, out = 0;
      bool overflow = false;
      if (op == B::Add) overflow = __builtin_add_overflow(x, y, &out);
      else if (op == B::Sub) overflow = __builtin_sub_overflow(x, y, &out);
      else if (op == B::Mul) overflow = __builtin_mul_overflow(x, y, &out);
      else return Res::error();
      if (overflow) return Res::error();
      r.kind = type->kind == TypeKind::Timestamp ? K::Timestamp : K::Duration;
      r.i = out;
      return Res::ok(r);
    }
    default: return Res::error();
  }
}

Res Evaluator::binary(const model::Expr& e) {
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
    if (lUnknown || rUnknown) return Res::unknown();
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
  if (lnull || rnull) return Res::unknown();
  switch (op) {
    case B::Lt: return Res::ok(RValue::boolean(compareValues(l.v, r.v) < 0));
    case B::Le: return Res::ok(RValue::boolean(compareValues(l.v, r.v) <= 0));
    case B::Gt: return Res::ok(RValue::boolean(compareValues(l.v, r.v) > 0));
    case B::Ge: return Res::ok(RValue::boolean(compareValues(l.v, r.v) >= 0));
    default: break;
  }
  // Durations times integers keep the integer's value in `i`.
  return arithmetic(op, e.type, l.v, r.v);
}

Res Evaluator::call(const model::Expr& e) {
  using F = model::Builtin;
  if (e.builtin == F::Now) {
    RValue r;
    r.kind = RValue::Kind::Timestamp;
    r.i = options_.nowMicros;
    return Res::ok(r);
  }
  std::vector<RValue> args;
  for (const auto& a : e.args) {
    Res r = eval(*a);
    if (r.state != Res::State::Ok) return r;
    if (r.v.kind == RValue::Kind::Null) return Res::unknown();
    args.push_back(std::move(r.v));
  }
  const RValue& a0 = args[0];
  switch (e.builtin) {
    case F::Len:
      if (a0.kind == RValue::Kind::String) return Res::ok(RValue::integer(meshrt::codePointLength(a0.s)));
      if (a0.kind == RValue::Kind::Bytes) return Res::ok(RValue::integer(static_cast<int64_t>(a0.s.size())));
      if (a0.kind == RValue::Kind::Map) return Res::ok(RValue::integer(static_cast<int64_t>(a0.map->size())));
      return Res::ok(RValue::integer(static_cast<int64_t>(a0.list->size())));
    case F::Matches: {
      const std::string& pattern = e.args[1]->literal.s;
      return Res::ok(RValue::boolean(validator_.regex(pattern).search(a0.s)));
    }
    case F::StartsWith: return Res::ok(RValue::boolean(a0.s.compare(0, args[1].s.size(), args[1].s) == 0));
    case F::EndsWith:
      return Res::ok(RValue::boolean(a0.s.size() >= args[1].s.size() &&
                                     a0.s.compare(a0.s.size() - args[1].s.size(), args[1].s.size(), args[1].s) == 0));
    case F::Contains:
      if (a0.kind == RValue::Kind::List) {
        for (const RValue& item : *a0.list)
          if (item.kind != RValue::Kind::Null && equalValues(item, args[1])) return Res::ok(RValue::boolean(true));
        return Res::ok(RValue::boolean(false));
      }
      return Res::ok(RValue::boolean(a0.s.find(args[1].s) != std::string::npos));
    case F::Lower:
    case F::Upper: {
      RValue r;
      r.kind = RValue::Kind::String;
      r.s = e.builtin == F::Lower ? meshrt::asciiLower(a0.s) : meshrt::asciiUpper(a0.s);
      return Res::ok(r);
    }
    case F::IsEmail: return Res::ok(RValue::boolean(meshrt::isEmail(a0.s)));
    case F::IsUri: return Res::ok(RValue::boolean(meshrt::isUri(a0.s)));
    case F::IsHostname: return Res::ok(RValue::boolean(meshrt::isHostname(a0.s)));
    case F::IsIpv4: return Res::ok(RValue::boolean(meshrt::isIpv4(a0.s)));
    case F::IsIpv6: return Res::ok(RValue::boolean(meshrt::isIpv6(a0.s)));
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
    default: return Res::error();
  }
}

/// Walks the JSON value against the model's types.
class Walker {
 public:
  Walker(Validator& v, const ValidateOptions& o, std::vector<meshrt::Violation>& out)
      : validator_(v), options_(o), out_(out) {}

  /// Reads a value of `type` at `path`; returns false when a structural
  /// violation (anything but `where`/`check`) was reported inside it.
  bool read(const model::Type* type, const JValue& json, std::string& path, RValue& out);

 private:
  bool readRecord(const model::Record& record, const JValue& json, std::string& path, RValue& out);
  bool readScalar(const model::Type* type, const JValue& json, std::string& path, RValue& out);
  void constraint(const model::Expr& expr, const std::string& text, const RValue& value, const std::string& path);
  void violation(const std::string& path, Rule rule, std::string message) {
    out_.push_back({path, rule, std::move(message)});
  }

  Validator& validator_;
  const ValidateOptions& options_;
  std::vector<meshrt::Violation>& out_;
};

const char* jsonKindName(JValue::Kind k) {
  switch (k) {
    case JValue::Kind::Null: return "null";
    case JValue::Kind::Bool: return "a boolean";
    case JValue::Kind::Number: return "a number";
    case JValue::Kind::String: return "a string";
    case JValue::Kind::Array: return "an array";
    case JValue::Kind::Object: return "an object";
  }
  return "a value";
}

std::string typeName(const model::Type* t) { return model::Type(*t).str(); }

void Walker::constraint(const model::Expr& expr, const std::string& text, const RValue& value,
                        const std::string& path) {
  Evaluator ev(validator_, options_);
  ev.value = &value;
  Res r = ev.eval(expr);
  bool failed = r.state == Res::State::Error || (r.state == Res::State::Ok && r.v.kind == RValue::Kind::Bool && !r.v.b);
  if (failed) violation(path, Rule::Where, model::constraintMessage(expr, text));
}

bool Walker::read(const model::Type* type, const JValue& json, std::string& path, RValue& out) {
  if (json.kind == JValue::Kind::Null) {
    out = RValue{};
    if (type->optional) return true;
    violation(path, Rule::Required, "must not be null");
    return false;
  }
  bool clean = true;
  switch (type->kind) {
    case TypeKind::Record: clean = readRecord(*type->record, json, path, out); break;
    case TypeKind::List: {
      if (json.kind != JValue::Kind::Array) {
        violation(path, Rule::Type, fmt::format("expected an array, found {}", jsonKindName(json.kind)));
        return false;
      }
      out.kind = RValue::Kind::List;
      out.list = std::make_shared<RList>();
      out.list->resize(json.items.size());
      size_t mark = path.size();
      for (size_t i = 0; i < json.items.size(); ++i) {
        meshrt::appendPathIndex(path, i);
        clean &= read(type->element, json.items[i], path, (*out.list)[i]);
        path.resize(mark);
      }
      break;
    }
    case TypeKind::Map: {
      if (json.kind != JValue::Kind::Object) {
        violation(path, Rule::Type, fmt::format("expected an object, found {}", jsonKindName(json.kind)));
        return false;
      }
      out.kind = RValue::Kind::Map;
      out.map = std::make_shared<RMap>();
      std::set<std::string_view> keys;
      size_t mark = path.size();
      for (const auto& [key, value] : json.members) {
        meshrt::appendPathKey(path, key);
        if (!keys.insert(key).second) {
          violation(path, Rule::Parse, "duplicate key");
          clean = false;
        } else {
          RValue item;
          clean &= read(type->element, value, path, item);
          out.map->emplace_back(key, std::move(item));
        }
        path.resize(mark);
      }
      break;
    }
    default: clean = readScalar(type, json, path, out); break;
  }
  if (!clean) return false;
  // Constraints of the refinement type, innermost first.
  if (const model::Refinement* ref = type->refinement) {
    std::vector<const model::Refinement*> chain;
    for (const model::Refinement* r = ref; r; r = r->base ? r->base->refinement : nullptr) chain.push_back(r);
    for (auto it = chain.rbegin(); it != chain.rend(); ++it)
      if ((*it)->constraint && !(*it)->constraint->type->isError())
        constraint(*(*it)->constraint, (*it)->constraintText, out, path);
  }
  return true;
}

bool Walker::readScalar(const model::Type* type, const JValue& json, std::string& path, RValue& out) {
  using JK = JValue::Kind;
  auto expect = [&](JK kind, const char* what) {
    if (json.kind == kind) return true;
    violation(path, Rule::Type, fmt::format("expected {}, found {}", what, jsonKindName(json.kind)));
    return false;
  };
  switch (type->kind) {
    case TypeKind::Bool:
      if (!expect(JK::Bool, "a boolean")) return false;
      out = RValue::boolean(json.boolean);
      return true;
    case TypeKind::Int32:
    case TypeKind::Int64: {
      if (!expect(JK::Number, "an integer")) return false;
      auto v = meshrt::parseJsonInteger(json.text);
      bool int32 = type->kind == TypeKind::Int32;
      if (!v || (int32 && (*v < INT32_MIN || *v > INT32_MAX))) {
        bool integral = json.text.find_first_of(".eE") == std::string::npos;
        violation(path, Rule::Type,
                  integral ? fmt::format("out of range for {}", int32 ? "int32" : "int64")
                           : std::string("expected an integer, found a number with a fraction or exponent"));
        return false;
      }
      out = RValue::integer(*v);
      return true;
    }
    case TypeKind::Float32:
    case TypeKind::Float64: {
      if (!expect(JK::Number, "a number")) return false;
      auto v = meshrt::parseJsonDouble(json.text);
      bool f32 = type->kind == TypeKind::Float32;
      if (!v || (f32 && !meshrt::fitsFloat32(*v))) {
        violation(path, Rule::Type, fmt::format("out of range for {}", f32 ? "float32" : "float64"));
        return false;
      }
      out.kind = RValue::Kind::Float;
      out.f = f32 ? static_cast<double>(static_cast<float>(*v)) : *v;
      return true;
    }
    case TypeKind::Decimal: {
      if (json.kind != JK::Number && json.kind != JK::String) {
        violation(path, Rule::Type, fmt::format("expected a number or a decimal string, found {}", jsonKindName(json.kind)));
        return false;
      }
      meshrt::Decimal d;
      auto result = meshrt::parseDecimal(json.text, json.kind == JK::Number, type->precision, type->scale, d);
      if (result == meshrt::DecimalParse::Malformed) {
        violation(path, Rule::Format, "not a decimal number");
        return false;
      }
      if (result == meshrt::DecimalParse::OutOfRange) {
        violation(path, Rule::Type, fmt::format("out of range for decimal({}, {})", type->precision, type->scale));
        return false;
      }
      out.kind = RValue::Kind::Decimal;
      out.d = d;
      return true;
    }
    case TypeKind::String:
      if (!expect(JK::String, "a string")) return false;
      out.kind = RValue::Kind::String;
      out.s = json.text;
      return true;
    case TypeKind::Bytes: {
      if (!expect(JK::String, "a base64 string")) return false;
      auto v = meshrt::decodeBase64(json.text);
      if (!v) {
        violation(path, Rule::Format, "not base64 (RFC 4648, padded)");
        return false;
      }
      out.kind = RValue::Kind::Bytes;
      out.s = std::move(*v);
      return true;
    }
    case TypeKind::Timestamp: {
      if (!expect(JK::String, "a timestamp string")) return false;
      auto v = meshrt::parseTimestamp(json.text);
      if (!v) {
        violation(path, Rule::Format, "not an RFC 3339 timestamp with an offset");
        return false;
      }
      out.kind = RValue::Kind::Timestamp;
      out.i = v->micros;
      return true;
    }
    case TypeKind::Date: {
      if (!expect(JK::String, "a date string")) return false;
      auto v = meshrt::parseDate(json.text);
      if (!v) {
        violation(path, Rule::Format, "not a date (YYYY-MM-DD)");
        return false;
      }
      out.kind = RValue::Kind::Date;
      out.i = v->days;
      return true;
    }
    case TypeKind::Duration: {
      if (!expect(JK::String, "a duration string")) return false;
      auto v = meshrt::parseIsoDuration(json.text);
      if (!v) {
        violation(path, Rule::Format, "not an ISO 8601 duration (like PT5M)");
        return false;
      }
      out.kind = RValue::Kind::Duration;
      out.i = v->micros;
      return true;
    }
    case TypeKind::Uuid: {
      if (!expect(JK::String, "a uuid string")) return false;
      auto v = meshrt::parseUuid(json.text);
      if (!v) {
        violation(path, Rule::Format, "not a uuid (8-4-4-4-12 hex digits)");
        return false;
      }
      out.kind = RValue::Kind::Uuid;
      out.s.assign(reinterpret_cast<const char*>(v->bytes), 16);
      return true;
    }
    case TypeKind::Enum: {
      if (!expect(JK::String, "a string")) return false;
      int index = type->enumType->memberIndex(json.text);
      if (index < 0) {
        violation(path, Rule::Enum, fmt::format("not a member of {}", type->enumType->name));
        return false;
      }
      out.kind = RValue::Kind::Enum;
      out.i = index;
      return true;
    }
    default: violation(path, Rule::Type, fmt::format("cannot read a '{}'", typeName(type))); return false;
  }
}

bool Walker::readRecord(const model::Record& record, const JValue& json, std::string& path, RValue& out) {
  if (json.kind != JValue::Kind::Object) {
    violation(path, Rule::Type, fmt::format("expected an object, found {}", jsonKindName(json.kind)));
    return false;
  }
  out.kind = RValue::Kind::Record;
  out.list = std::make_shared<RList>(record.fields.size());
  std::vector<bool> seen(record.fields.size(), false);
  std::set<std::string_view> unknownKeys;
  bool clean = true;
  size_t mark = path.size();
  for (const auto& [key, value] : json.members) {
    meshrt::appendPathMember(path, key);
    const model::Field* f = record.field(key);
    if (f ? seen[f->index] : !unknownKeys.insert(key).second) {
      violation(path, Rule::Parse, "duplicate key");
      clean = false;
    } else if (!f) {
      if (record.closed) {
        violation(path, Rule::Unknown, fmt::format("unknown key in closed record {}", record.name));
        clean = false;
      }
    } else {
      seen[f->index] = true;
      RValue& slot = (*out.list)[f->index];
      if (read(f->type, value, path, slot)) {
        if (f->constraint && slot.kind != RValue::Kind::Null && !f->constraint->type->isError())
          constraint(*f->constraint, f->constraintText, slot, path);
      } else {
        clean = false;
      }
    }
    path.resize(mark);
  }
  for (const auto& f : record.fields) {
    if (seen[f->index]) continue;
    RValue& slot = (*out.list)[f->index];
    if (f->defaultValue) {
      slot = literalValue(*f->defaultValue, f->type);
      if (f->type->kind == TypeKind::Decimal && f->defaultValue->kind != model::Value::Kind::Null) {
        meshrt::Decimal d;
        meshrt::parseDecimal(f->defaultValue->str(), true, f->type->precision, f->type->scale, d);
        slot.kind = RValue::Kind::Decimal;
        slot.d = d;
      } else if (f->type->kind == TypeKind::Float32 || f->type->kind == TypeKind::Float64) {
        slot.kind = RValue::Kind::Float;
        slot.f = f->defaultValue->kind == model::Value::Kind::Int ? static_cast<double>(f->defaultValue->i)
                                                                   : f->defaultValue->f;
      } else if (f->type->kind == TypeKind::Timestamp && f->defaultValue->kind == model::Value::Kind::String) {
        auto t = meshrt::parseTimestamp(f->defaultValue->s);
        slot.kind = RValue::Kind::Timestamp;
        slot.i = t ? t->micros : 0;
      } else if (f->type->kind == TypeKind::Uuid && f->defaultValue->kind == model::Value::Kind::String) {
        auto u = meshrt::parseUuid(f->defaultValue->s);
        slot.kind = RValue::Kind::Uuid;
        if (u) slot.s.assign(reinterpret_cast<const char*>(u->bytes), 16);
      } else if (f->type->kind == TypeKind::Bytes && f->defaultValue->kind == model::Value::Kind::String) {
        slot.kind = RValue::Kind::Bytes;
        slot.s = meshrt::decodeBase64(f->defaultValue->s).value_or("");
      }
      continue;
    }
    if (f->optional()) continue;
    std::string fieldPath = path;
    meshrt::appendPathMember(fieldPath, f->name);
    violation(fieldPath, Rule::Required, "is required");
    clean = false;
  }
  if (clean) {
    for (const auto& c : record.checks) {
      if (!c.expr || c.expr->type->isError()) continue;
      Evaluator ev(validator_, options_);
      ev.fields = out.list.get();
      Res r = ev.eval(*c.expr);
      bool failed = r.state == Res::State::Error ||
                    (r.state == Res::State::Ok && r.v.kind == RValue::Kind::Bool && !r.v.b);
      if (failed) violation(path, Rule::Check, fmt::format("check {} failed: {}", c.name, c.text));
    }
  }
  return clean;
}

}  // namespace

Validator::Validator(const model::Record& root) : root_(root) {}
Validator::~Validator() = default;

const meshrt::Regex& Validator::regex(const std::string& pattern) {
  auto it = regexes_.find(pattern);
  if (it == regexes_.end()) it = regexes_.emplace(pattern, std::make_unique<meshrt::Regex>(pattern)).first;
  return *it->second;
}

std::vector<meshrt::Violation> Validator::validate(std::string_view json, const ValidateOptions& options) {
  std::vector<meshrt::Violation> out;
  auto doc = parseJson(json);
  if (!doc) {
    out.push_back({"$", Rule::Parse, "not valid JSON"});
    return out;
  }
  Walker walker(*this, options, out);
  std::string path = "$";
  model::Type rootType;
  rootType.kind = TypeKind::Record;
  rootType.record = &root_;
  RValue value;
  walker.read(&rootType, *doc, path, value);
  return out;
}

const model::Record* findValidationTarget(const model::Build& build, const std::string& name) {
  if (const model::Product* p = build.product(name)) return p->schema;
  return build.record(name);
}

}  // namespace mesh::eval
