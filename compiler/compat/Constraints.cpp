// Constraints: see Constraints.h.
#include "compat/Constraints.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <utility>

namespace mesh::compat {

using model::Expr;
using model::ExprOp;
using model::Type;
using model::TypeKind;

// ---------------------------------------------------------------- expressions

// A duration in the largest unit of d, h, m, s, ms, us that divides it:
// `7d` and `1w` (or `365d` and `1y`) are one value, compared as one text.
static std::string durationText(int64_t micros) {
  static constexpr std::pair<int64_t, const char*> kUnits[] = {
      {86'400'000'000, "d"}, {3'600'000'000, "h"}, {60'000'000, "m"}, {1'000'000, "s"}, {1'000, "ms"}};
  for (auto [size, unit] : kUnits)
    if (micros != 0 && micros % size == 0) return fmt::format("{}{}", micros / size, unit);
  return fmt::format("{}us", micros);
}

static const char* binaryText(model::BinaryOp op) {
  static const char* texts[] = {"||", "&&", "==", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/", "%"};
  return texts[static_cast<int>(op)];
}

std::string canonical(const Expr& e, bool top) {
  auto arg = [&](size_t i) { return i < e.args.size() && e.args[i] ? canonical(*e.args[i], false) : std::string("?"); };
  switch (e.op) {
    case ExprOp::Literal:
      if (e.literal.kind == model::Value::Kind::String) return fmt::format("\"{}\"", e.literal.s);
      if (e.literal.kind == model::Value::Kind::Duration) return durationText(e.literal.i);
      return e.literal.str();
    case ExprOp::Value:
      return "value";
    case ExprOp::FieldRef:
      return e.field ? e.field->name : "?";
    case ExprOp::Local:
      return fmt::format("${}", e.local);
    case ExprOp::Member:
      return arg(0) + "." + (e.field ? e.field->name : e.attribute);
    case ExprOp::Attribute:
      return arg(0) + "." + e.attribute;
    case ExprOp::Call: {
      std::string out = std::string(model::builtinInfo(e.builtin).name) + "(";
      for (size_t i = 0; i < e.args.size(); ++i) out += (i ? ", " : "") + arg(i);
      return out + ")";
    }
    case ExprOp::Not:
      return "!" + arg(0);
    case ExprOp::Neg:
      return "-" + arg(0);
    case ExprOp::Binary: {
      std::string s = fmt::format("{} {} {}", arg(0), binaryText(e.binaryOp), arg(1));
      return top ? s : "(" + s + ")";
    }
    case ExprOp::In: {
      std::string s = fmt::format("{} {} {}", arg(0), e.negated ? "not in" : "in", arg(1));
      return top ? s : "(" + s + ")";
    }
    case ExprOp::Any:
    case ExprOp::All:
      return fmt::format("{}(${} in {}: {})", e.op == ExprOp::Any ? "any" : "all", e.local, arg(0),
                         e.args.size() > 1 && e.args[1] ? canonical(*e.args[1]) : "?");
    case ExprOp::List: {
      std::string out = "[";
      for (size_t i = 0; i < e.args.size(); ++i) out += (i ? ", " : "") + arg(i);
      return out + "]";
    }
  }
  return "?";
}

// ---------------------------------------------------------------- constraints

static std::optional<double> numberOf(const Expr& e) {
  if (e.op == ExprOp::Literal) {
    if (e.literal.kind == model::Value::Kind::Int) return static_cast<double>(e.literal.i);
    if (e.literal.kind == model::Value::Kind::Float) return e.literal.f;
    return std::nullopt;
  }
  if (e.op == ExprOp::Neg && e.args.size() == 1 && e.args[0])
    if (auto v = numberOf(*e.args[0])) return -*v;
  return std::nullopt;
}

static int subjectOf(const Expr& e) {
  if (e.op == ExprOp::Value) return kValue;
  if (e.op == ExprOp::Call && e.builtin == model::Builtin::Len && e.args.size() == 1 && e.args[0] &&
      e.args[0]->op == ExprOp::Value)
    return kLength;
  return -1;
}

static void keepTighter(std::optional<Bound>& slot, Bound b, bool lower) {
  if (!slot) {
    slot = b;
    return;
  }
  bool tighter = lower ? (b.value > slot->value || (b.value == slot->value && b.strict))
                       : (b.value < slot->value || (b.value == slot->value && b.strict));
  if (tighter) slot = b;
}

/// The comparison with its operands swapped: 5 < value is value > 5.
static model::BinaryOp swapped(model::BinaryOp op) {
  using B = model::BinaryOp;
  constexpr std::pair<B, B> kSwapped[] = {{B::Lt, B::Gt}, {B::Le, B::Ge}, {B::Gt, B::Lt}, {B::Ge, B::Le}};
  for (auto [from, to] : kSwapped)
    if (op == from) return to;
  return op;
}

static bool readBound(const Expr& e, bool integerValue, Constraints& c) {
  if (e.op != ExprOp::Binary || e.args.size() != 2 || !e.args[0] || !e.args[1]) return false;
  model::BinaryOp op = e.binaryOp;
  if (op < model::BinaryOp::Eq || op > model::BinaryOp::Ge || op == model::BinaryOp::Ne) return false;
  int subject = subjectOf(*e.args[0]);
  std::optional<double> n = numberOf(*e.args[1]);
  if (subject < 0 || !n) {
    subject = subjectOf(*e.args[1]);
    n = numberOf(*e.args[0]);
    if (subject < 0 || !n) return false;
    op = swapped(op);
  }
  // On integers, > 4 and >= 5 are one bound.
  bool integer = (subject == kLength || integerValue) && std::floor(*n) == *n;
  double v = *n;
  std::string text = canonical(e);
  switch (op) {
    case model::BinaryOp::Gt:
      keepTighter(c.lower[subject], integer ? Bound{v + 1, false, text} : Bound{v, true, text}, true);
      break;
    case model::BinaryOp::Ge:
      keepTighter(c.lower[subject], Bound{v, false, text}, true);
      break;
    case model::BinaryOp::Lt:
      keepTighter(c.upper[subject], integer ? Bound{v - 1, false, text} : Bound{v, true, text}, false);
      break;
    case model::BinaryOp::Le:
      keepTighter(c.upper[subject], Bound{v, false, text}, false);
      break;
    case model::BinaryOp::Eq:
      keepTighter(c.lower[subject], Bound{v, false, text}, true);
      keepTighter(c.upper[subject], Bound{v, false, text}, false);
      break;
    default:
      return false;
  }
  return true;
}

static void addConjuncts(const Expr& e, bool integerValue, Constraints& c) {
  if (e.op == ExprOp::Binary && e.binaryOp == model::BinaryOp::And && e.args.size() == 2 && e.args[0] && e.args[1]) {
    addConjuncts(*e.args[0], integerValue, c);
    addConjuncts(*e.args[1], integerValue, c);
    return;
  }
  if (readBound(e, integerValue, c)) return;
  if (e.op == ExprOp::Call && e.builtin == model::Builtin::Matches && e.args.size() == 2 && e.args[0] && e.args[1] &&
      e.args[0]->op == ExprOp::Value && e.args[1]->op == ExprOp::Literal) {
    c.patterns.insert(e.args[1]->literal.s);
    return;
  }
  if (e.op == ExprOp::In && !e.negated && e.args.size() == 2 && e.args[0] && e.args[1] &&
      e.args[0]->op == ExprOp::Value && e.args[1]->op == ExprOp::List) {
    std::set<std::string> members;
    bool literals = true;
    for (const auto& a : e.args[1]->args) {
      if (!a || a->op != ExprOp::Literal)
        literals = false;
      else
        members.insert(canonical(*a));
    }
    if (literals) {
      if (!c.allowed) {
        c.allowed = std::move(members);
      } else {  // two `in`s: the value must be in both
        std::set<std::string> both;
        std::set_intersection(c.allowed->begin(), c.allowed->end(), members.begin(), members.end(),
                              std::inserter(both, both.end()));
        c.allowed = std::move(both);
      }
      return;
    }
  }
  c.other.insert(canonical(e));
}

Constraints constraintsOf(const Type* t, const Expr* own) {
  Constraints c;
  bool integer = t->isInteger();
  if (own) addConjuncts(*own, integer, c);
  int depth = 0;
  for (const model::Refinement* r = t->refinement; r && depth < 64; ++depth) {
    if (r->constraint) addConjuncts(*r->constraint, integer, c);
    r = r->base ? r->base->refinement : nullptr;
  }
  return c;
}

static std::string rawString(const std::string& s) { return fmt::format("r\"{}\"", s); }

static std::string joined(const std::set<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
  return out;
}

ConstraintDelta compareConstraints(const Constraints& o, const Constraints& n) {
  ConstraintDelta d;
  auto bound = [&](bool lower, const std::optional<Bound>& ob, const std::optional<Bound>& nb) {
    if (!ob && !nb) return;
    if (!ob) {
      d.tighter = true;
      d.details.push_back(fmt::format("`{}` added", nb->text));
      return;
    }
    if (!nb) {
      d.looser = true;
      d.details.push_back(fmt::format("`{}` removed", ob->text));
      return;
    }
    if (ob->value == nb->value && ob->strict == nb->strict) return;
    bool tighter = lower ? (nb->value > ob->value || (nb->value == ob->value && nb->strict))
                         : (nb->value < ob->value || (nb->value == ob->value && nb->strict));
    (tighter ? d.tighter : d.looser) = true;
    d.details.push_back(fmt::format("`{}` became `{}`", ob->text, nb->text));
  };
  for (int s : {kValue, kLength}) {
    bound(true, o.lower[s], n.lower[s]);
    bound(false, o.upper[s], n.upper[s]);
  }

  // A new or changed pattern is a tightening (language.md section 7); only
  // a pattern dropped with no replacement is a loosening.
  std::set<std::string> added, removed;
  std::set_difference(n.patterns.begin(), n.patterns.end(), o.patterns.begin(), o.patterns.end(),
                      std::inserter(added, added.end()));
  std::set_difference(o.patterns.begin(), o.patterns.end(), n.patterns.begin(), n.patterns.end(),
                      std::inserter(removed, removed.end()));
  if (added.size() == 1 && removed.size() == 1) {
    d.tighter = true;
    d.details.push_back(fmt::format("pattern {} became {}", rawString(*removed.begin()), rawString(*added.begin())));
  } else {
    for (const auto& p : added) {
      d.tighter = true;
      d.details.push_back(fmt::format("pattern {} added", rawString(p)));
    }
    for (const auto& p : removed) {
      if (added.empty()) d.looser = true;
      d.details.push_back(fmt::format("pattern {} removed", rawString(p)));
    }
  }

  if (o.allowed || n.allowed) {
    if (!o.allowed) {
      d.tighter = true;
      d.details.push_back(fmt::format("`value in [{}]` added", joined(*n.allowed)));
    } else if (!n.allowed) {
      d.looser = true;
      d.details.push_back(fmt::format("`value in [{}]` removed", joined(*o.allowed)));
    } else if (*o.allowed != *n.allowed) {
      bool subset = std::includes(o.allowed->begin(), o.allowed->end(), n.allowed->begin(), n.allowed->end());
      bool superset = std::includes(n.allowed->begin(), n.allowed->end(), o.allowed->begin(), o.allowed->end());
      if (subset)
        d.tighter = true;
      else if (superset)
        d.looser = true;
      else
        d.tighter = d.looser = true;
      d.details.push_back(
          fmt::format("`value in [{}]` became `value in [{}]`", joined(*o.allowed), joined(*n.allowed)));
    }
  }

  std::set<std::string> newOther, oldOther;
  std::set_difference(n.other.begin(), n.other.end(), o.other.begin(), o.other.end(),
                      std::inserter(newOther, newOther.end()));
  std::set_difference(o.other.begin(), o.other.end(), n.other.begin(), n.other.end(),
                      std::inserter(oldOther, oldOther.end()));
  if (!newOther.empty() && !oldOther.empty()) {
    // Text that changed: neither provably tighter nor looser, so both.
    d.tighter = d.looser = true;
    std::string before, after;
    for (const auto& t : oldOther) before += (before.empty() ? "" : " && ") + t;
    for (const auto& t : newOther) after += (after.empty() ? "" : " && ") + t;
    d.details.push_back(fmt::format("`{}` became `{}`", before, after));
  } else {
    for (const auto& t : newOther) {
      d.tighter = true;
      d.details.push_back(fmt::format("`{}` added", t));
    }
    for (const auto& t : oldOther) {
      d.looser = true;
      d.details.push_back(fmt::format("`{}` removed", t));
    }
  }
  return d;
}

std::string detailList(const std::vector<std::string>& details) {
  std::string out;
  for (const auto& d : details) out += (out.empty() ? "" : "; ") + d;
  return out;
}

bool widens(const Type& o, const Type& n) {
  auto isFloat = [](const Type& t) { return t.kind == TypeKind::Float32 || t.kind == TypeKind::Float64; };
  // Whatever the old type wrote is a JSON value, which json holds (as
  // changing a property's schema to `{}` in JSON Schema); back is narrowing.
  if (n.kind == TypeKind::Json) return true;
  if (o.kind == TypeKind::Int32 && n.kind == TypeKind::Int64) return true;
  if (o.kind == TypeKind::Float32 && n.kind == TypeKind::Float64) return true;
  if (o.isInteger() && isFloat(n)) return true;
  if (o.kind == TypeKind::Decimal && n.kind == TypeKind::Decimal)
    return n.precision - n.scale >= o.precision - o.scale && n.scale >= o.scale;
  // Every int32 has at most 10 digits, every int64 at most 19.
  if (o.isInteger() && n.kind == TypeKind::Decimal)
    return n.precision - n.scale >= (o.kind == TypeKind::Int32 ? 10 : 19);
  // A type made one alternative of a union (`string` to `string | null`):
  // every old value is still read as it was.
  return alternativeOf(o, n) != nullptr;
}

const Type* alternativeOf(const Type& o, const Type& n) {
  if (n.kind != TypeKind::Union || o.kind == TypeKind::Union) return nullptr;
  model::Type plain = o;
  plain.optional = false;
  for (const model::Type* a : n.unionType->alternatives)
    if (a->str() == plain.str()) return a;
  return nullptr;
}

}  // namespace mesh::compat
