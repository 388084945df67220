// Calls: calls of the builtin functions (model/Builtins.def): their arity,
// the types of their arguments and of their result.
#include <fmt/format.h>
#include <re2/re2.h>

#include <optional>
#include <string>
#include <unordered_map>

#include "check/ExprChecker.h"
#include "support/RegexHazard.h"

namespace mesh::check {

using model::Type;
using model::TypeKind;

model::ExprPtr ExprChecker::call(const ast::Expr& e) {
  const model::BuiltinInfo* info = model::builtinFunction(e.name);
  if (!info) return unknownFunction(e);
  int argc = static_cast<int>(e.args.size());
  if (argc < info->minArgs || argc > info->maxArgs) {
    std::string want = info->minArgs == info->maxArgs ? std::to_string(info->minArgs)
                                                      : fmt::format("{} or {}", info->minArgs, info->maxArgs);
    c_.diags_.report(DiagKind::E0304, e.range,
                     fmt::format("{}() takes {} argument{}, not {}", e.name, want,
                                 info->maxArgs == 1 && info->minArgs == 1 ? "" : "s", argc));
    return error(e.range);
  }
  auto out = make(model::ExprOp::Call, tc_.primitive(TypeKind::Bool), e.range);
  out->builtin = info->builtin;
  if (info->builtin == model::Builtin::Now) {
    out->type = tc_.primitive(TypeKind::Timestamp);
    return out;
  }
  if (info->builtin == model::Builtin::Unique && argc == 2) return uniqueBy(e, std::move(out));
  std::vector<model::ExprPtr> args;
  bool failed = false;
  for (const auto& a : e.args) {
    args.push_back(check(*a, nullptr));
    failed |= args.back()->type->isError();
  }
  if (failed) return error(e.range);
  for (const auto& a : args)
    if (rejectsJson(*a, fmt::format("an argument of {}()", e.name), a->range)) return error(e.range);
  if (!typeArguments(e, args, *out)) return error(e.range);
  out->args = std::move(args);
  return out;
}

model::ExprPtr ExprChecker::unknownFunction(const ast::Expr& e) {
  std::vector<std::string> names;
  for (const auto& b : model::kBuiltins)
    if (b.form == model::BuiltinInfo::Form::Function) names.emplace_back(b.name);
  names.push_back("any");
  names.push_back("all");
  auto d = c_.diags_.report(DiagKind::E0303, e.nameRange, fmt::format("unknown function '{}'", e.name));
  if (auto guess = closestMatch(e.name, names)) d.note(fmt::format("did you mean '{}'?", *guess));
  if (e.name == "any" || e.name == "all") d.note(fmt::format("write {}(x in list: condition)", e.name));
  return error(e.range);
}

bool ExprChecker::rejectsJson(const model::Expr& operand, const std::string& use, SourceRange range) {
  if (bare(operand.type)->kind != TypeKind::Json) return false;
  c_.diags_
      .report(DiagKind::E0317, range,
              fmt::format("{} has type '{}', which cannot be {}", describeOperand(operand), show(operand.type), use))
      .note("a json value is kept as its text: only `== null` and `!= null` apply to it");
  return true;
}

/// unique(list, field): the second argument names a field of the elements.
model::ExprPtr ExprChecker::uniqueBy(const ast::Expr& e, model::ExprPtr out) {
  model::ExprPtr list = check(*e.args[0], nullptr);
  if (list->type->isError()) return error(e.range);
  const Type* lt = bare(list->type);
  if (lt->kind != TypeKind::List || bare(lt->element)->kind != TypeKind::Record) {
    c_.diags_.report(DiagKind::E0305, e.args[0]->range,
                     fmt::format("unique(list, field) takes a list of records, not a '{}'", show(list->type)));
    return error(e.range);
  }
  const ast::Expr& fieldArg = *e.args[1];
  const model::Record* r = bare(lt->element)->record;
  if (fieldArg.kind != ast::ExprKind::Name) {
    c_.diags_.report(DiagKind::E0305, fieldArg.range,
                     fmt::format("the second argument of unique() names a field of '{}'", r->name));
    return error(e.range);
  }
  const model::Field* f = r->field(fieldArg.name);
  if (!f) {
    std::vector<std::string> names;
    for (const auto& rf : r->fields) names.push_back(rf->name);
    auto d = c_.diags_.report(DiagKind::E0310, fieldArg.range,
                              fmt::format("record '{}' has no field '{}'", r->name, fieldArg.name));
    if (auto guess = closestMatch(fieldArg.name, names)) d.note(fmt::format("did you mean '{}'?", *guess));
    return error(e.range);
  }
  out->builtin = model::Builtin::UniqueBy;
  out->field = f;
  out->attribute = f->name;
  out->args.push_back(std::move(list));
  return out;
}

/// The argument types of a call of `out->builtin`, and the result type where
/// it is not bool; false after reporting E0305.
bool ExprChecker::typeArguments(const ast::Expr& e, const std::vector<model::ExprPtr>& args, model::Expr& out) {
  auto want = [&](size_t i, bool ok, const char* what) {
    if (ok) return true;
    c_.diags_.report(DiagKind::E0305, e.args[i]->range,
                     fmt::format("argument {} of {}() must be {}, not '{}'", i + 1, e.name, what, show(args[i]->type)));
    return false;
  };
  auto isString = [&](size_t i) { return bare(args[i]->type)->kind == TypeKind::String; };
  if (!model::builtinInfo(out.builtin).predicate.empty()) return want(0, isString(0), "a string");
  switch (out.builtin) {
    case model::Builtin::Len: {
      TypeKind k = bare(args[0]->type)->kind;
      if (!want(0, k == TypeKind::String || k == TypeKind::List || k == TypeKind::Map || k == TypeKind::Bytes,
                "a string, bytes, list or map"))
        return false;
      out.type = tc_.primitive(TypeKind::Int64);
      break;
    }
    case model::Builtin::Matches: {
      if (!want(0, isString(0), "a string")) return false;
      if (!checkPattern(*e.args[1])) return false;
      break;
    }
    case model::Builtin::StartsWith:
    case model::Builtin::EndsWith:
      if (!want(0, isString(0), "a string") || !want(1, isString(1), "a string")) return false;
      break;
    case model::Builtin::Contains: {
      const Type* t0 = bare(args[0]->type);
      if (t0->kind == TypeKind::List) {
        if (!want(1, comparable(t0->element, args[1]->type), "an element of the list")) return false;
      } else if (!want(0, isString(0), "a string or a list") || !want(1, isString(1), "a string")) {
        return false;
      }
      break;
    }
    case model::Builtin::Lower:
    case model::Builtin::Upper:
      if (!want(0, isString(0), "a string")) return false;
      out.type = tc_.primitive(TypeKind::String);
      break;
    case model::Builtin::Unique: {
      const Type* t0 = bare(args[0]->type);
      if (!want(0, t0->kind == TypeKind::List, "a list")) return false;
      if (!t0->element->isScalar() && bare(t0->element)->kind != TypeKind::Record) {
        want(0, false, "a list of scalars or records");
        return false;
      }
      break;
    }
    default:
      break;
  }
  return true;
}

namespace {

/// What checking a pattern finds: RE2's error, or else the backtracking
/// hazard it has, if any.
struct PatternVerdict {
  std::optional<std::string> error;
  std::optional<std::string> hazard;
};

/// The verdict on `pattern`. Workspaces repeat a few patterns many times,
/// and compiling and analysing one costs more than checking the expression
/// around it: each thread (the checker's phases run in parallel) remembers
/// the patterns it has judged.
const PatternVerdict& patternVerdict(const std::string& pattern) {
  thread_local std::unordered_map<std::string, PatternVerdict> judged;
  auto [it, added] = judged.try_emplace(pattern);
  if (added) {
    RE2::Options options;
    options.set_log_errors(false);
    RE2 re(pattern, options);
    if (!re.ok())
      it->second.error = re.error();
    else
      it->second.hazard = support::backtrackingHazard(pattern);
  }
  return it->second;
}

}  // namespace

/// The pattern of matches(): a string literal RE2 compiles (E0307), with a
/// warning where a backtracking engine would be slow (W0316).
bool ExprChecker::checkPattern(const ast::Expr& pattern) {
  if (pattern.kind != ast::ExprKind::String) {
    c_.diags_.report(DiagKind::E0305, pattern.range,
                     "the pattern of matches() must be a string literal, so it is checked when compiling");
    return false;
  }
  const PatternVerdict& verdict = patternVerdict(pattern.stringValue);
  if (verdict.error) {
    c_.diags_.report(DiagKind::E0307, pattern.range, fmt::format("invalid regular expression: {}", *verdict.error))
        .note("patterns use RE2 syntax; a raw string r\"...\" keeps backslashes as they are");
    return false;
  }
  if (verdict.hazard)
    c_.diags_.report(DiagKind::W0316, pattern.range, fmt::format("pattern has {}", *verdict.hazard))
        .note(
            "RE2 matches it in linear time, but a backtracking engine (ECMAScript, PCRE, Java) can take "
            "exponential time on a text that fails to match, so the JSON Schema export leaves it out "
            "(x-mesh-unexpressed)");
  return true;
}

}  // namespace mesh::check
