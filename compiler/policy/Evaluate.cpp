// Evaluate: runs the policies over the contract model. The expression
// semantics are eval::ExprEvaluator's (the same as message validation); this
// file answers the policy model's attributes and methods (language.md
// section 6, docs/policies.md), walks each rule's binders, fills messages,
// applies waivers and reports.
#include "policy/Evaluate.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "eval/Expr.h"
#include "eval/TextTypes.h"
#include "model/FieldPaths.h"

namespace mesh::policy {
namespace {

using eval::Res;
using eval::RValue;
using K = RValue::Kind;
using model::TypeKind;

RValue duration(int64_t micros) { return {.kind = K::Duration, .i = micros}; }

template <typename T>
RValue optionalValue(const std::optional<T>& v, RValue (*make)(T)) {
  return v ? make(*v) : RValue::null();
}

RValue roleList(const std::vector<const model::Role*>& roles) {
  eval::RList items;
  for (const model::Role* role : roles) items.push_back(RValue::model(K::ModelRole, role));
  return RValue::listOf(std::move(items));
}

/// The policy model over the checked build.
class ModelEvaluator : public eval::ExprEvaluator {
 public:
  ModelEvaluator(eval::RegexCache& regexes, int64_t nowMicros) : ExprEvaluator(regexes, nowMicros) {}

 protected:
  Res attribute(const model::Expr& e, const RValue& base) override;
  Res modelCall(const model::Expr& e, const std::vector<RValue>& args) override;

 private:
  Res productAttribute(const model::Expr& e, const model::Product& p);
  Res fieldAttribute(const model::Expr& e, const model::FieldPath& fp);
  Res recordAttribute(const model::Expr& e, const model::Record& r, const model::Product* owner);
  const std::vector<model::FieldPath>& recordFields(const model::Record& r);
  static const std::vector<model::TagUse>* tagsOf(const RValue& v);

  // The direct fields of a record as paths of their own (r.fields); built
  // once per record, never resized after, so ModelField refs stay valid.
  std::map<const model::Record*, std::vector<model::FieldPath>> recordFields_;
};

Res ModelEvaluator::attribute(const model::Expr& e, const RValue& base) {
  const std::string& a = e.attribute;
  switch (base.kind) {
    case K::Null:
      // `p.schema.closed` on a product whose schema is a union (p.schema is
      // null): unknown, as any operation on null.
      return Res::unknown(e.args[0].get());
    case K::ModelProduct:
      return productAttribute(e, *static_cast<const model::Product*>(base.ref));
    case K::ModelField:
      return fieldAttribute(e, *static_cast<const model::FieldPath*>(base.ref));
    case K::ModelRecord:
      return recordAttribute(e, *static_cast<const model::Record*>(base.ref), base.owner);
    case K::ModelTopic: {
      const model::Topic& t = static_cast<const model::Product*>(base.ref)->topic;
      if (a == "name") return Res::ok(RValue::string(t.name));
      if (a == "partitions") return Res::ok(RValue::integer(t.partitions));
      if (a == "replication") return Res::ok(RValue::integer(t.replication));
      if (a == "key") return Res::ok(t.key ? RValue::string(t.key->text) : RValue::null());
      if (a == "format") return Res::ok(RValue::string(t.format));
      break;
    }
    case K::ModelSla: {
      const model::Sla& s = static_cast<const model::Product*>(base.ref)->sla;
      if (a == "freshness") return Res::ok(optionalValue(s.freshnessMicros, duration));
      if (a == "availability") return Res::ok(optionalValue(s.availabilityPercent, RValue::floating));
      if (a == "throughput") return Res::ok(optionalValue(s.throughputPerSecond, RValue::floating));
      if (a == "latency") return Res::ok(optionalValue(s.latencyMicros, duration));
      break;
    }
    case K::ModelAccess: {
      const auto* p = static_cast<const model::Product*>(base.ref);
      if (a == "readers") return Res::ok(roleList(p->readers));
      if (a == "writers") return Res::ok(roleList(p->writers));
      break;
    }
    default:
      break;
  }
  return Res::error(&e, "an attribute the policy model does not have");
}

Res ModelEvaluator::productAttribute(const model::Expr& e, const model::Product& p) {
  const std::string& a = e.attribute;
  if (a == "name") return Res::ok(RValue::string(p.name));
  if (a == "qualified_name") return Res::ok(RValue::string(p.qualifiedName));
  if (a == "package") return Res::ok(RValue::string(p.package));
  if (a == "version") return Res::ok(RValue::string(p.version));
  if (a == "doc") return Res::ok(RValue::string(p.doc));
  // Domains compare by qualified name (a domain literal is one).
  if (a == "domain") return Res::ok(p.domain ? RValue::string(p.domain->qualifiedName) : RValue::null());
  if (a == "owner") return Res::ok(p.domain ? RValue::string(p.domain->owner) : RValue::null());
  if (a == "schema") return Res::ok(p.schema ? RValue::model(K::ModelRecord, p.schema, &p) : RValue::null());
  if (a == "records") {
    eval::RList items;
    for (const model::Record* r : model::schemaRecords(p)) items.push_back(RValue::model(K::ModelRecord, r, &p));
    return Res::ok(RValue::listOf(std::move(items)));
  }
  if (a == "fields") {
    eval::RList items;
    items.reserve(p.allFields.size());
    for (const auto& fp : p.allFields) items.push_back(RValue::model(K::ModelField, &fp, &p));
    return Res::ok(RValue::listOf(std::move(items)));
  }
  if (a == "topic") return Res::ok(RValue::model(K::ModelTopic, &p));
  if (a == "sla") return Res::ok(RValue::model(K::ModelSla, &p));
  if (a == "access") return Res::ok(RValue::model(K::ModelAccess, &p));
  if (a == "retention") return Res::ok(optionalValue(p.retentionMicros, duration));
  if (a == "compatibility") {
    // The members of Build::compatibilityEnum, in order.
    return Res::ok({.kind = K::Enum, .i = static_cast<int64_t>(p.compatibility)});
  }
  if (a == "upstream") {
    eval::RList items;
    for (const model::Product* u : p.upstream) items.push_back(RValue::model(K::ModelProduct, u));
    return Res::ok(RValue::listOf(std::move(items)));
  }
  return Res::error(&e, "an attribute the policy model does not have");
}

Res ModelEvaluator::fieldAttribute(const model::Expr& e, const model::FieldPath& fp) {
  const std::string& a = e.attribute;
  const model::Field& f = *fp.fields.back();
  if (a == "name") return Res::ok(RValue::string(f.name));
  if (a == "path") return Res::ok(RValue::string(fp.text));
  if (a == "type") {
    // Optionality is `f.optional`; the type is named without its `?`.
    std::string name = f.type->str();
    if (f.type->optional && !name.empty() && name.back() == '?') name.pop_back();
    return Res::ok(RValue::string(std::move(name)));
  }
  if (a == "optional") return Res::ok(RValue::boolean(f.optional()));
  if (a == "doc") return Res::ok(RValue::string(f.doc));
  return Res::error(&e, "an attribute the policy model does not have");
}

Res ModelEvaluator::recordAttribute(const model::Expr& e, const model::Record& r, const model::Product* owner) {
  const std::string& a = e.attribute;
  if (a == "name") return Res::ok(RValue::string(r.name));
  if (a == "qualified_name") return Res::ok(RValue::string(r.qualifiedName));
  if (a == "closed") return Res::ok(RValue::boolean(r.closed));
  if (a == "doc") return Res::ok(RValue::string(r.doc));
  if (a == "fields") {
    eval::RList items;
    for (const auto& fp : recordFields(r)) items.push_back(RValue::model(K::ModelField, &fp, owner));
    return Res::ok(RValue::listOf(std::move(items)));
  }
  return Res::error(&e, "an attribute the policy model does not have");
}

const std::vector<model::FieldPath>& ModelEvaluator::recordFields(const model::Record& r) {
  auto [it, inserted] = recordFields_.try_emplace(&r);
  if (inserted) {
    auto& paths = it->second;
    model::forEachFieldPath(r,
                            [&](const model::FieldVisit& v) {
                              paths.push_back(v.path);
                              return true;
                            },
                            {.maxDepth = 0});
  }
  return it->second;
}

const std::vector<model::TagUse>* ModelEvaluator::tagsOf(const RValue& v) {
  switch (v.kind) {
    case K::ModelProduct:
      return &static_cast<const model::Product*>(v.ref)->tags;
    case K::ModelField:
      return &static_cast<const model::FieldPath*>(v.ref)->fields.back()->tags;
    case K::ModelRecord:
      return &static_cast<const model::Record*>(v.ref)->tags;
    default:
      return nullptr;
  }
}

Res ModelEvaluator::modelCall(const model::Expr& e, const std::vector<RValue>& args) {
  using F = model::Builtin;
  if (args.size() != 2) return Res::error(&e, "a call the policy model does not have");
  if (e.builtin == F::Has || e.builtin == F::TagArgument) {
    const auto* tags = tagsOf(args[0]);
    const auto* tag = static_cast<const model::Tag*>(args[1].ref);
    if (!tags || args[1].kind != K::ModelTag) return Res::error(&e, "a call the policy model does not have");
    for (const auto& use : *tags) {
      if (use.tag != tag) continue;
      if (e.builtin == F::Has) return Res::ok(RValue::boolean(true));
      for (const auto& [name, value] : use.args)
        if (name == e.attribute) return Res::ok(eval::literalValue(value));
      return Res::ok(RValue::null());
    }
    return Res::ok(e.builtin == F::Has ? RValue::boolean(false) : RValue::null());
  }
  if (e.builtin == F::MaskedFor) {
    if (args[0].kind != K::ModelField || args[1].kind != K::ModelRole)
      return Res::error(&e, "a call the policy model does not have");
    const auto& fp = *static_cast<const model::FieldPath*>(args[0].ref);
    const auto* role = static_cast<const model::Role*>(args[1].ref);
    const model::Product* product = args[0].owner;
    if (!product) return Res::ok(RValue::boolean(false));
    // A mask on a field masks what is inside it too (`mask address for ...`
    // covers `address.line1`). Fields compare by name: in a union schema the
    // mask's path and the field's may be those of different cases.
    auto sameName = [](const model::Field* a, const model::Field* b) { return a->name == b->name; };
    for (const auto& m : product->masks) {
      const auto& masked = m.field.fields;
      if (masked.empty() || masked.size() > fp.fields.size() ||
          !std::equal(masked.begin(), masked.end(), fp.fields.begin(), sameName))
        continue;
      if (std::find(m.roles.begin(), m.roles.end(), role) != m.roles.end()) return Res::ok(RValue::boolean(true));
    }
    return Res::ok(RValue::boolean(false));
  }
  return Res::error(&e, "a call the policy model does not have");
}

// ---------------------------------------------------------------- messages

/// A value as a policy message shows it: names for model objects, contract
/// spelling for durations, enum members by name.
std::string display(const RValue& v, const model::Type* type) {
  const model::Type* element = type && type->kind == TypeKind::List ? type->element : nullptr;
  switch (v.kind) {
    case K::Null:
      return "null";
    case K::Bool:
      return v.b ? "true" : "false";
    case K::Int:
      return std::to_string(v.i);
    case K::Float:
      return fmt::format("{}", v.f);
    case K::Decimal:
      return v.d.str();
    case K::String:
      // A domain is held by its qualified name; show its own name.
      if (type && type->kind == TypeKind::DomainRef) return v.s.substr(v.s.rfind('.') + 1);
      return v.s;
    case K::Enum:
      if (type && type->enumType && v.i >= 0 && static_cast<size_t>(v.i) < type->enumType->members.size())
        return type->enumType->members[v.i].name;
      return std::to_string(v.i);
    case K::List:
    case K::Record: {
      std::string out = "[";
      for (size_t i = 0; v.list && i < v.list->size(); ++i) out += (i ? ", " : "") + display((*v.list)[i], element);
      return out + "]";
    }
    case K::Map:
      return fmt::format("{{{} entries}}", v.map ? v.map->size() : 0);
    case K::ModelProduct:
      return static_cast<const model::Product*>(v.ref)->name;
    case K::ModelField:
      return static_cast<const model::FieldPath*>(v.ref)->text;
    case K::ModelRecord:
      return static_cast<const model::Record*>(v.ref)->name;
    case K::ModelRole:
      return static_cast<const model::Role*>(v.ref)->name;
    case K::ModelTag:
      return static_cast<const model::Tag*>(v.ref)->name;
    case K::ModelTopic:
      return static_cast<const model::Product*>(v.ref)->topic.name;
    case K::ModelSla:
      return fmt::format("sla of {}", static_cast<const model::Product*>(v.ref)->name);
    case K::ModelAccess:
      return fmt::format("access of {}", static_cast<const model::Product*>(v.ref)->name);
    default:
      if (const eval::TextType* text = eval::textType(v.kind)) return text->show(v);
      break;
  }
  return "?";
}

// ---------------------------------------------------------------- running rules

/// One way a product fails a policy.
struct Finding {
  std::string message;     // the filled-in message (without the policy's name)
  bool undecided = false;  // E0508: the rule could not be evaluated
  SourceRange at;          // the product's name, or the bound field's
  const model::FieldPath* field = nullptr;
  SourceRange requirement;  // the `require` (or the filter, when that failed)
  SourceRange cause;        // undecided: the expression that was null or failed
  std::string causeNote;
};

class Runner {
 public:
  Runner(const SourceManager& sources, eval::RegexCache& regexes, int64_t nowMicros)
      : sources_(sources), ev_(regexes, nowMicros) {}

  std::vector<Finding> run(const model::Policy& policy, const model::Product& product) {
    findings_.clear();
    product_ = &product;
    for (const auto& rule : policy.rules) {
      if (rule.binders.empty()) continue;
      rule_ = &rule;
      plan_ = &planOf(rule);
      deferred_ = 0;
      bindings_ = 0;
      exhausted_ = false;
      ev_.locals.assign(std::max(rule.localCount, 1), RValue::null());
      ev_.locals[rule.binders[0].local] = RValue::model(K::ModelProduct, &product);
      bind(1);
    }
    return std::move(findings_);
  }

 private:
  // The conjuncts of a rule's filter (`a && b && c`), each placed after the
  // last binder it reads, so `field f in p.fields, role r in ... where
  // f.has(pii) && ...` skips the roles of fields without PII. A conjunct
  // that is false there prunes the bindings below it (the filter is false
  // whatever the rest is); one that is unknown or fails is left to the
  // whole filter, evaluated as written at the end, so the outcome is the
  // same as without the hoisting.
  struct FilterPlan {
    std::vector<std::vector<const model::Expr*>> after;  // after[i]: conjuncts decided once binder i is bound
  };

  static void conjuncts(const model::Expr& e, std::vector<const model::Expr*>& out) {
    if (e.op == model::ExprOp::Binary && e.binaryOp == model::BinaryOp::And) {
      conjuncts(*e.args[0], out);
      conjuncts(*e.args[1], out);
    } else {
      out.push_back(&e);
    }
  }

  static void localsRead(const model::Expr& e, std::set<int>& out) {
    if (e.op == model::ExprOp::Local) out.insert(e.local);
    for (const auto& a : e.args) localsRead(*a, out);
  }

  const FilterPlan& planOf(const model::PolicyRule& rule) {
    auto [it, inserted] = plans_.try_emplace(&rule);
    if (!inserted) return it->second;
    FilterPlan& plan = it->second;
    plan.after.resize(rule.binders.size());
    if (!rule.filter || rule.filter->type->isError()) return plan;
    std::vector<const model::Expr*> parts;
    conjuncts(*rule.filter, parts);
    for (const model::Expr* part : parts) {
      std::set<int> read;
      localsRead(*part, read);
      size_t level = 0;
      for (size_t i = 0; i < rule.binders.size(); ++i)
        if (read.count(rule.binders[i].local)) level = i;
      plan.after[level].push_back(part);
    }
    return plan;
  }

  std::string text(SourceRange r) const {
    if (!r.valid()) return {};
    llvm::StringRef all = sources_.text(r.file);
    return model::foldWhitespace(std::string_view(all.data() + r.begin, r.end - r.begin));
  }

  // Where a finding is reported: the innermost bound field, else the product.
  const model::FieldPath* boundField() const {
    for (auto it = rule_->binders.rbegin(); it != rule_->binders.rend(); ++it) {
      const RValue& v = ev_.locals[it->local];
      if (v.kind == K::ModelField) return static_cast<const model::FieldPath*>(v.ref);
    }
    return nullptr;
  }

  // "customer_profiles" or "field customer_id of customer_profiles".
  std::string subject() const {
    if (const model::FieldPath* f = boundField()) return fmt::format("field {} of {}", f->text, product_->name);
    return product_->name;
  }

  Finding located() const {
    Finding f;
    f.field = boundField();
    f.at = f.field ? f.field->fields.back()->nameRange : product_->nameRange;
    return f;
  }

  void undecided(const Res& r, const model::Expr& whole, const char* what) {
    Finding f = located();
    f.undecided = true;
    f.requirement = whole.range;
    const model::Expr* cause = r.cause ? r.cause : &whole;
    f.cause = cause->range;
    std::string causeText = text(cause->range);
    if (r.state == Res::State::Error) {
      f.message = fmt::format("cannot decide {} `{}` for {}: {} in `{}`", what, text(whole.range), subject(),
                              r.why ? r.why : "an evaluation error", causeText);
      f.causeNote = fmt::format("{} here", r.why ? r.why : "the evaluation fails");
    } else {
      f.message =
          fmt::format("cannot decide {} `{}` for {}: `{}` is null", what, text(whole.range), subject(), causeText);
      f.causeNote = fmt::format("null for {}; test it first, as in `{} != null && ...`", subject(), causeText);
    }
    findings_.push_back(std::move(f));
  }

  void bind(size_t i) {
    // Binders [0, i) are bound: the conjuncts they decide may prune here.
    int deferredHere = 0;
    for (const model::Expr* part : plan_->after[i - 1]) {
      Res r = ev_.eval(*part);
      if (r.state == Res::State::Ok && r.v.kind == K::Bool && !r.v.b) {
        deferred_ -= deferredHere;
        return;
      }
      if (r.state != Res::State::Ok || r.v.kind != K::Bool) ++deferredHere;
    }
    deferred_ += deferredHere;
    bindNext(i);
    deferred_ -= deferredHere;
  }

  void bindNext(size_t i) {
    if (exhausted_) return;
    if (i == rule_->binders.size()) {
      // Binders multiply (a field x field x role rule over a wide schema):
      // past a bound, say so rather than run for hours.
      if (++bindings_ > kMaxBindings) {
        exhausted_ = true;
        Finding f = located();
        f.undecided = true;
        f.at = product_->nameRange;
        f.field = nullptr;
        f.requirement = f.cause = rule_->range;
        f.message = fmt::format("cannot decide the rule for {}: its binders give more than {} combinations",
                                product_->name, kMaxBindings);
        f.causeNote = "bind fewer lists, or filter earlier, in this rule";
        findings_.push_back(std::move(f));
        return;
      }
      return judge();
    }
    const model::Binder& b = rule_->binders[i];
    if (!b.source) return;
    Res source = ev_.eval(*b.source);
    if (source.state != Res::State::Ok) return undecided(source, *b.source, "the list");
    if (source.v.kind != K::List || !source.v.list) return;  // null: nothing to bind
    auto items = source.v.list;                              // keeps the list alive while its items are bound
    for (const RValue& item : *items) {
      if (item.kind == K::Null) continue;  // `[p.schema]` of a union schema: no record to bind
      ev_.locals[b.local] = item;
      bind(i + 1);
    }
    ev_.locals[b.local] = RValue::null();
  }

  void judge() {
    // Every conjunct was true where it was hoisted, unless one was deferred.
    if (deferred_ > 0 && rule_->filter && !rule_->filter->type->isError()) {
      Res r = ev_.eval(*rule_->filter);
      if (r.state == Res::State::Ok && r.v.kind == K::Null) r = Res::unknown(rule_->filter.get());
      if (r.state != Res::State::Ok) return undecided(r, *rule_->filter, "the filter");
      if (!r.v.b) return;
    }
    for (const auto& req : rule_->requirements) {
      if (!req.expr || req.expr->type->isError()) continue;
      Res r = ev_.eval(*req.expr);
      if (r.state == Res::State::Ok && r.v.kind == K::Null) r = Res::unknown(req.expr.get());
      if (r.state != Res::State::Ok) {
        undecided(r, *req.expr, "the requirement");
        continue;
      }
      if (r.v.b) continue;
      Finding f = located();
      f.requirement = req.range;
      f.message = fill(req);
      findings_.push_back(std::move(f));
    }
  }

  std::string fill(const model::Requirement& req) {
    if (req.message.empty()) return fmt::format("{} does not satisfy `{}`", subject(), text(req.expr->range));
    std::string out;
    for (const auto& part : req.message) {
      if (!part.hole) {
        out += part.text;
        continue;
      }
      Res r = ev_.eval(*part.hole);
      out += r.state == Res::State::Ok ? display(r.v, part.hole->type) : "unknown";
    }
    return out;
  }

  const SourceManager& sources_;
  ModelEvaluator ev_;
  const model::PolicyRule* rule_ = nullptr;
  const FilterPlan* plan_ = nullptr;
  int deferred_ = 0;                                 // conjuncts on the current binding path that were not decided
  static constexpr size_t kMaxBindings = 1'000'000;  // per rule and product
  size_t bindings_ = 0;
  bool exhausted_ = false;
  std::map<const model::PolicyRule*, FilterPlan> plans_;
  const model::Product* product_ = nullptr;
  std::vector<Finding> findings_;
};

}  // namespace

void evaluate(model::Build& build, const SourceManager& sources, DiagnosticEngine& diags,
              const EvaluateOptions& options) {
  std::set<std::string> inputPackages;
  for (const auto& pkg : build.packages)
    if (pkg.input && (!options.productsOf || options.productsOf->count(pkg.name))) inputPackages.insert(pkg.name);
  auto owner = [&](const model::Product& product) {
    if (options.owners) options.owners->push_back(product.package);
  };
  std::map<std::pair<const model::Policy*, const model::Product*>, std::vector<const model::Waiver*>> waivers;
  for (const auto& w : build.waivers) waivers[{w.policy, w.product}].push_back(&w);
  std::set<const model::Waiver*> used;

  eval::RegexCache regexes;
  Runner runner(sources, regexes, options.nowMicros);
  build.policyOutcomes.clear();
  // Policies and products are sorted by qualified name, so the outcomes are too.
  for (const auto& policy : build.policies) {
    for (const auto& product : build.products) {
      if (!inputPackages.count(product->package)) continue;
      std::vector<Finding> findings = runner.run(*policy, *product);
      model::PolicyOutcome outcome;
      outcome.policy = policy.get();
      outcome.product = product.get();
      auto waived = waivers.find({policy.get(), product.get()});
      if (findings.empty()) {
        build.policyOutcomes.push_back(std::move(outcome));
        continue;
      }
      for (const auto& f : findings) outcome.messages.push_back(f.message);
      if (waived != waivers.end()) {
        outcome.status = model::PolicyStatus::Waived;
        for (const model::Waiver* w : waived->second) {
          used.insert(w);
          outcome.waivedUntil = std::max(outcome.waivedUntil, w->until);
          owner(*product);
          auto d = diags.report(DiagKind::N0510, w->range,
                                fmt::format("policy '{}' is waived for '{}' until {}", policy->qualifiedName,
                                            product->qualifiedName, w->until));
          for (const auto& f : findings) d.note(fmt::format("waived: {}", f.message), f.at);
        }
        build.policyOutcomes.push_back(std::move(outcome));
        continue;
      }
      outcome.status = model::PolicyStatus::Violated;
      for (const auto& f : findings) {
        DiagKind kind = f.undecided                                        ? DiagKind::E0508
                        : policy->severity == model::PolicySeverity::Error ? DiagKind::E0506
                                                                           : DiagKind::W0507;
        owner(*product);
        auto d = diags.report(kind, f.at, fmt::format("policy '{}': {}", policy->qualifiedName, f.message));
        if (f.field) d.note(fmt::format("in product '{}'", product->qualifiedName), product->nameRange);
        if (f.undecided)
          d.note(f.causeNote, f.cause);
        else
          d.note(fmt::format("required by policy '{}'", policy->name), f.requirement);
      }
      build.policyOutcomes.push_back(std::move(outcome));
    }
  }
  for (const auto& w : build.waivers) {
    if (used.count(&w) || !inputPackages.count(w.product->package)) continue;
    owner(*w.product);
    diags
        .report(DiagKind::W0509, w.range,
                fmt::format("waiver of policy '{}' for '{}' waives nothing: the product passes the policy",
                            w.policy->qualifiedName, w.product->qualifiedName))
        .note("delete the waiver; the exception it granted is no longer needed");
  }
}

}  // namespace mesh::policy
