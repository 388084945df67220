// Constants: the constant a default or a tag argument stands for, converted
// to the type it is given for (language.md sections 2 and 8): a literal or
// an enum member of a scalar type, a list `[...]` or a map `{"k": v}` of
// such constants for a list or a map. Whether a default also passes the
// field's constraints is decided once the whole build is checked
// (compilation/Defaults.cpp).
#include <fmt/format.h>

#include <cmath>
#include <set>

#include "check/ExprChecker.h"
#include "meshrt/formats.h"
#include "support/Text.h"

namespace mesh::check {

using model::Type;
using model::TypeKind;

namespace {

// A type whose default is the string it has on the JSON wire (model/Types.def).
struct WireText {
  TypeKind kind;
  bool (*parses)(std::string_view text);
  const char* hint;
};
constexpr WireText kWireTexts[] = {
#define MESH_WIRE_TEXT(Kind, Format, hint) \
  {TypeKind::Kind, [](std::string_view text) { return Format::parse(text).has_value(); }, hint},
#include "model/Types.def"
};

const WireText* wireText(TypeKind kind) {
  for (const WireText& w : kWireTexts)
    if (w.kind == kind) return &w;
  return nullptr;
}

}  // namespace

std::optional<model::Value> Checker::constant(const ast::Expr& e, const model::Type* type, const ast::File* file,
                                              const char* what, DiagKind mismatchKind) {
  if (e.kind == ast::ExprKind::Error) return std::nullopt;
  const Type* collection = types().underlying(types().required(type));
  bool collectionLiteral = e.kind == ast::ExprKind::List || e.kind == ast::ExprKind::Map;
  if (collectionLiteral && (collection->kind == TypeKind::List || collection->kind == TypeKind::Map))
    return collectionConstant(e, type, file, what, mismatchKind);
  Scope scope;
  scope.kind = Scope::Kind::Constant;
  scope.file = file;
  unsigned before = diags_.errorCount();
  model::ExprPtr x = checkExpr(e, scope, type);
  if (diags_.errorCount() != before || x->type->isError()) return std::nullopt;
  auto& tc = types();
  const model::Type* want = tc.underlying(tc.required(type));
  auto mismatch = [&](std::string why = "") {
    auto d = diags_.report(mismatchKind, e.range,
                           fmt::format("{} of type '{}' does not fit '{}'", what, x->type->str(), type->str()));
    if (!why.empty()) d.note(why);
    return std::nullopt;
  };
  if (x->op != model::ExprOp::Literal) {
    diags_.report(mismatchKind, e.range, fmt::format("{} must be a literal or an enum member", what));
    return std::nullopt;
  }
  model::Value v = x->literal;
  using VK = model::Value::Kind;
  if (v.kind == VK::Null) {
    if (!type->optional) return mismatch("only optional ('?') fields can default to null");
    return v;
  }
  if (const WireText* w = wireText(want->kind)) {
    if (v.kind != VK::String) return mismatch("write it as the string it has on the JSON wire");
    if (!w->parses(v.s)) return mismatch(w->hint);
    return v;
  }
  switch (want->kind) {
    case TypeKind::Bool:
      if (v.kind != VK::Bool) return mismatch();
      break;
    case TypeKind::Int32:
    case TypeKind::Int64:
      if (v.kind != VK::Int) return mismatch();
      if (want->kind == TypeKind::Int32 && (v.i < INT32_MIN || v.i > INT32_MAX)) {
        diags_.report(DiagKind::E0312, e.range, fmt::format("{} does not fit in 'int32'", v.i));
        return std::nullopt;
      }
      break;
    case TypeKind::Float32:
    case TypeKind::Float64:
      if (v.kind == VK::Int) {
        v.kind = VK::Float;
        v.f = static_cast<double>(v.i);
      }
      if (v.kind != VK::Float) return mismatch();
      if (want->kind == TypeKind::Float32 && std::fabs(v.f) > 3.4028234663852886e38) {
        diags_.report(DiagKind::E0312, e.range, "the number does not fit in 'float32'");
        return std::nullopt;
      }
      break;
    case TypeKind::Decimal: {
      if (v.kind != VK::Int && v.kind != VK::Float) return mismatch();
      std::string text = v.kind == VK::Int ? std::to_string(v.i) : v.s;
      if (text.find_first_of("eE") != std::string::npos) return mismatch("write decimals without an exponent");
      std::string digits;
      size_t point = text.find('.');
      int scale = point == std::string::npos ? 0 : static_cast<int>(text.size() - point - 1);
      for (char c : text)
        if (std::isdigit(static_cast<unsigned char>(c))) digits += c;
      while (digits.size() > 1 && digits[0] == '0') digits.erase(0, 1);
      int integerDigits = static_cast<int>(digits.size()) - scale;
      if (scale > want->scale || integerDigits > want->precision - want->scale) {
        diags_.report(DiagKind::E0312, e.range, fmt::format("{} does not fit '{}'", text, want->str()));
        return std::nullopt;
      }
      v.kind = VK::Float;
      v.s = text;
      break;
    }
    case TypeKind::String:
      if (v.kind != VK::String) return mismatch();
      break;
    case TypeKind::Duration:
      if (v.kind != VK::Duration) return mismatch("write a duration literal like 30s or 5m");
      break;
    case TypeKind::Date:
      if (v.kind != VK::Date) return mismatch("write a date literal like 2027-03-31");
      break;
    case TypeKind::Enum:
      if (v.kind != VK::EnumMember || v.enumType != want->enumType) return mismatch();
      break;
    case TypeKind::RoleRef:
      if (v.kind != VK::Role) return mismatch();
      break;
    default:
      return mismatch();
  }
  return v;
}

std::optional<model::Value> Checker::collectionConstant(const ast::Expr& e, const model::Type* type,
                                                        const ast::File* file, const char* what,
                                                        DiagKind mismatchKind) {
  const Type* want = types().underlying(types().required(type));
  bool isMap = want->kind == TypeKind::Map;
  if (e.kind != (isMap ? ast::ExprKind::Map : ast::ExprKind::List)) {
    diags_.report(mismatchKind, e.range,
                  fmt::format("{} of '{}' must be {}", what, type->str(),
                              isMap ? "a map {\"key\": value, ...}" : "a list [a, b, ...]"));
    return std::nullopt;
  }
  model::Value v;
  v.kind = isMap ? model::Value::Kind::Map : model::Value::Kind::List;
  std::set<std::string> keys;
  bool ok = true;
  for (size_t n = 0; n < e.args.size(); ++n) {
    if (isMap && !keys.insert(e.keys[n].value).second) {
      diags_
          .report(DiagKind::E0210, e.keys[n].range,
                  fmt::format("key \"{}\" is given twice in the map", escapeControlCharacters(e.keys[n].value)))
          .note("a JSON object with a duplicate key is rejected; give each key once");
      ok = false;
      continue;
    }
    auto item = constant(*e.args[n], want->element, file, isMap ? "a map value" : "a list element", mismatchKind);
    if (!item) {
      ok = false;
      continue;
    }
    if (isMap) v.keys.push_back(e.keys[n].value);
    v.items.push_back(std::move(*item));
  }
  if (!ok) return std::nullopt;
  return v;
}

}  // namespace mesh::check
