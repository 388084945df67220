// Policy: policy rules (binders, filters, requirements and their message
// templates) and waivers.
#include <fmt/format.h>

#include <algorithm>
#include <functional>

#include "check/CheckerImpl.h"
#include "llvm/ADT/StringRef.h"

namespace mesh::check {

using model::TypeKind;

// ---------------------------------------------------------------- policies and waivers

void Checker::checkPolicy(Symbol& s) {
  auto* policy = as<model::Policy>(&s);
  const auto& decl = std::get<ast::PolicyDecl>(s.decl->body);
  if (decl.severity) checkSeverity(policy, *decl.severity);
  if (decl.rules.empty())
    diags_.report(DiagKind::W0505, s.decl->name.range, fmt::format("policy '{}' has no rule", policy->name))
        .note("add `for product p { require ...; }`");
  for (const auto& r : decl.rules) {
    model::PolicyRule rule;
    rule.range = r.range;
    Scope scope;
    scope.kind = Scope::Kind::Policy;
    scope.file = s.file;
    if (!checkBinders(r, scope, rule)) continue;
    if (r.filter) rule.filter = checkCondition(*r.filter, scope, "a policy filter");
    for (const auto& req : r.requires_) {
      model::Requirement out;
      out.range = req.range;
      if (req.expr) out.expr = checkCondition(*req.expr, scope, "a requirement");
      if (req.message) out.message = policyMessage(*req.message, scope);
      rule.requirements.push_back(std::move(out));
    }
    rule.localCount = scope.nextLocal;
    policy->rules.push_back(std::move(rule));
  }
}

void Checker::checkSeverity(model::Policy* policy, const ast::Ident& severity) {
  if (severity.name == "error") {
    policy->severity = model::PolicySeverity::Error;
  } else if (severity.name == "warning") {
    policy->severity = model::PolicySeverity::Warning;
  } else {
    auto d = diags_.report(DiagKind::E0406, severity.range, fmt::format("unknown severity '{}'", severity.name));
    if (auto guess = closestMatch(severity.name, {"error", "warning"}))
      d.note(fmt::format("did you mean '{}'?", *guess));
    else
      d.note("a policy's severity is error or warning");
  }
}

/// The binders of a rule, in scope in the order they are written: false
/// (after E0501) when the rule cannot be checked further.
bool Checker::checkBinders(const ast::ForRule& r, Scope& scope, model::PolicyRule& rule) {
  auto& tc = types();
  bool ok = true;
  for (size_t i = 0; i < r.binders.size(); ++i) {
    const auto& b = r.binders[i];
    static const std::vector<std::string> kinds = {"product", "field", "record", "role"};
    auto it = std::find(kinds.begin(), kinds.end(), b.kind.name);
    if (it == kinds.end()) {
      auto d = diags_.report(DiagKind::E0501, b.kind.range,
                             fmt::format("a policy binds product, field, record or role, not '{}'", b.kind.name));
      if (auto guess = closestMatch(b.kind.name, kinds)) d.note(fmt::format("did you mean '{}'?", *guess));
      ok = false;
      break;
    }
    model::BinderKind kind = static_cast<model::BinderKind>(it - kinds.begin());
    TypeKind elementKind = kind == model::BinderKind::Product  ? TypeKind::ProductInfo
                           : kind == model::BinderKind::Field  ? TypeKind::FieldInfo
                           : kind == model::BinderKind::Record ? TypeKind::RecordInfo
                                                               : TypeKind::RoleRef;
    model::Binder binder{kind, b.name.name, scope.nextLocal++, nullptr, b.range};
    if (i == 0) {
      if (kind != model::BinderKind::Product || b.source) {
        diags_.report(DiagKind::E0501, b.range,
                      "a policy rule starts with `for product NAME`: it applies to every product of the build");
        ok = false;
        break;
      }
    } else {
      if (!b.source) {
        diags_.report(
            DiagKind::E0501, b.range,
            fmt::format("'{} {}' needs a source: `{} {} in ...`", b.kind.name, b.name.name, b.kind.name, b.name.name));
        ok = false;
        break;
      }
      binder.source = checkExpr(*b.source, scope);
      const model::Type* st = binder.source->type;
      if (!st->isError() && (st->kind != TypeKind::List || st->element->kind != elementKind)) {
        diags_.report(DiagKind::E0501, b.source->range,
                      fmt::format("'{}' binds each {} of a list of {}s, but this is a '{}'", b.name.name, b.kind.name,
                                  b.kind.name, st->str()));
        ok = false;
        break;
      }
    }
    for (const auto& l : scope.locals)
      if (l.name == b.name.name) {
        diags_.report(DiagKind::E0501, b.name.range, fmt::format("'{}' is bound twice", b.name.name));
        ok = false;
      }
    scope.locals.push_back({b.name.name, tc.primitive(elementKind), binder.local});
    rule.binders.push_back(std::move(binder));
  }
  return ok;
}

/// A policy message as literal text and typed holes: "{p.name} is ..." (E0502
/// for a malformed one, keeping the parts before it).
std::vector<model::MessagePart> Checker::policyMessage(const ast::Located<std::string>& message, Scope& scope) {
  std::vector<model::MessagePart> parts;
  // Split "{p.name} is ..." into text and typed holes.
  const std::string& text = message.value;
  SourceRange at = message.range;
  std::string literal;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '{' && i + 1 < text.size() && text[i + 1] == '{') {
      literal += '{';
      ++i;
      continue;
    }
    if (c == '}' && i + 1 < text.size() && text[i + 1] == '}') {
      literal += '}';
      ++i;
      continue;
    }
    if (c == '}') {
      diags_.report(DiagKind::E0502, at, "unmatched '}' in policy message; write '}}' for a literal brace");
      break;
    }
    if (c != '{') {
      literal += c;
      continue;
    }
    size_t close = text.find('}', i);
    if (close == std::string::npos) {
      diags_.report(DiagKind::E0502, at, "'{' in policy message is never closed; write '{{' for a literal brace");
      break;
    }
    model::ExprPtr hole = messageHole(text, i, close, at, scope);
    if (!hole) break;
    parts.push_back({literal, nullptr});
    literal.clear();
    parts.push_back({"", std::move(hole)});
    i = close;
  }
  if (!literal.empty()) parts.push_back({literal, nullptr});
  return parts;
}

/// The hole text[i..close] of a policy message (`{p.name}`), typed in the
/// rule's scope; null after E0502.
model::ExprPtr Checker::messageHole(const std::string& text, size_t i, size_t close, SourceRange at, Scope& scope) {
  std::string inner = llvm::StringRef(text).slice(i + 1, close).trim().str();
  llvm::SmallVector<llvm::StringRef, 4> parts;
  llvm::StringRef(inner).split(parts, '.');
  bool valid = !inner.empty();
  for (auto part : parts) {
    valid = valid && !part.empty() && (std::isalpha(static_cast<unsigned char>(part[0])) || part[0] == '_') &&
            part.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") ==
                llvm::StringRef::npos;
  }
  if (!valid) {
    diags_.report(DiagKind::E0502, at,
                  fmt::format("'{{{}}}' in policy message is not a name or attribute path like {{p.name}}", inner));
    return nullptr;
  }
  // Build the path as an AST expression and type it in the rule's scope.
  auto node = std::make_unique<ast::Expr>();
  node->kind = ast::ExprKind::Name;
  node->name = parts[0].str();
  node->range = at;
  node->nameRange = at;
  for (size_t k = 1; k < parts.size(); ++k) {
    auto member = std::make_unique<ast::Expr>();
    member->kind = ast::ExprKind::Member;
    member->name = parts[k].str();
    member->range = at;
    member->nameRange = at;
    member->args.push_back(std::move(node));
    node = std::move(member);
  }
  // Point at the placeholder itself when the source spells the
  // message plainly (no escapes before it).
  SourceRange holeAt = at;
  std::string source = sourceText(at);
  size_t found = source.find("{" + llvm::StringRef(text).slice(i + 1, close).str() + "}");
  if (found != std::string::npos && source.size() == static_cast<size_t>(at.end - at.begin))
    holeAt = {at.file, at.begin + static_cast<uint32_t>(found),
              at.begin + static_cast<uint32_t>(found + close - i + 1)};
  size_t before = diags_.size();
  model::ExprPtr hole = checkExpr(*node, scope);
  if (diags_.size() != before) {
    // One message for the placeholder, keeping the inner suggestion.
    auto inner_ = diags_.takeFrom(before);
    auto d =
        diags_.report(DiagKind::E0502, holeAt,
                      fmt::format("cannot fill '{{{}}}' in the policy message: {}", inner, inner_.front().message));
    for (const auto& n : inner_.front().notes) d.note(n.message);
    return nullptr;
  }
  return hole;
}

void Checker::checkWaiver(Symbol& s) {
  const auto& decl = std::get<ast::WaiverDecl>(s.decl->body);
  model::Waiver w;
  w.range = s.decl->range;
  w.package = s.package;
  w.reason = decl.reason.value;
  w.until = fmt::format("{:04}-{:02}-{:02}", decl.until.value.year, decl.until.value.month, decl.until.value.day);
  if (Symbol* p = lookup(decl.policy, s.file, kindBit(ast::DeclKind::Policy), "policy"))
    w.policy = as<model::Policy>(p);
  if (Symbol* p = lookup(decl.product, s.file, kindBit(ast::DeclKind::Product), "product"))
    w.product = as<model::Product>(p);
  if (llvm::StringRef(w.reason).trim().empty())
    diags_.report(DiagKind::E0503, decl.reason.range, "a waiver must say why it is granted")
        .note("name the review or ticket, for example because \"legal review GOV-123\"");
  if (!options_.today.empty() && w.until < options_.today)
    diags_
        .report(DiagKind::E0504, decl.until.range,
                fmt::format("waiver expired on {} (today is {})", w.until, options_.today))
        .note("renew it with a new date after a review, or fix what it waives and delete it");
  if (w.policy && w.product) build_->waivers.push_back(std::move(w));
}

}  // namespace mesh::check
