// Compare: per product, the two schemas walked in step (fields by name,
// records and enums structurally, constraints read as bounds where their
// shape allows), then the topic, the SLA and the compatibility mode. Each
// change knows which consumers it breaks; the product's mode and version
// decide how it is reported.
#include "compat/Compare.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "compat/Constraints.h"
#include "model/ValueJson.h"
#include "support/EnumNames.h"

namespace mesh::compat {
namespace {

using model::Compatibility;
using model::Expr;
using model::ExprOp;
using model::Type;
using model::TypeKind;

const char* modeName(Compatibility mode) {
  static constexpr const char* kNames[] = {"none", "backward", "forward", "full"};
  return enumName<Compatibility::Full>(mode, kNames);
}

bool promisesBackward(Compatibility m) { return m == Compatibility::Backward || m == Compatibility::Full; }
bool promisesForward(Compatibility m) { return m == Compatibility::Forward || m == Compatibility::Full; }

/// The MAJOR of a semantic version (the checker has validated it).
long long majorOf(const std::string& version) {
  long long major = 0;
  for (char c : version) {
    if (c < '0' || c > '9') break;
    major = major * 10 + (c - '0');
    if (major > 1'000'000'000'000LL) break;
  }
  return major;
}

std::string durationText(int64_t micros) {
  struct Unit {
    int64_t micros;
    const char* suffix;
  };
  static const Unit units[] = {
      {86'400'000'000LL, "d"}, {3'600'000'000LL, "h"}, {60'000'000LL, "m"}, {1'000'000LL, "s"}, {1'000LL, "ms"}};
  for (const auto& u : units)
    if (micros != 0 && micros % u.micros == 0) return fmt::format("{}{}", micros / u.micros, u.suffix);
  return fmt::format("{}us", micros);
}

std::string numberText(double v) { return fmt::format("{}", v); }

/// A type as users wrote it, without the `?` (optionality is its own change).
std::string typeText(const Type* t) {
  std::string s = t->str();
  if (t->optional && !s.empty() && s.back() == '?') s.pop_back();
  return s;
}

// ---------------------------------------------------------------- one product

/// Why a change breaks each kind of consumer; empty when it does not.
struct Effect {
  std::string backward;  // consumers on the new schema reading data written with the old one
  std::string forward;   // consumers on the old schema reading data written with the new one
};

class ProductComparison {
 public:
  ProductComparison(const model::Product& before, const model::Product& after, DiagnosticEngine& diags,
                    uint32_t baselineFileOffset)
      : before_(before),
        after_(after),
        diags_(diags),
        offset_(baselineFileOffset),
        majorBump_(majorOf(after.version) > majorOf(before.version)) {}

  void run() {
    compareMode();
    compareSchemas();
    compareTopic();
    compareSla();
  }

 private:
  const std::string& name() const { return after_.qualifiedName; }

  /// " (at 'path')", or nothing for the product's schema itself.
  static std::string atPath(const std::string& path) { return path.empty() ? "" : fmt::format(" (at '{}')", path); }

  // The product's schema: a record or a tagged union (language.md section 8)
  // in each version. One turned into the other is a change of its type: its
  // messages are no longer picked, or now picked, by the discriminator.
  void compareSchemas() {
    const model::Union *o = before_.schemaUnion, *n = after_.schemaUnion;
    if (before_.schema && after_.schema) return compareRecords(*before_.schema, *after_.schema, "");
    if (o && n) return compareTaggedUnions(*o, *n, "", n->nameRange);
    if ((!before_.schema && !o) || (!after_.schema && !n)) return;  // did not resolve: the checker said so
    std::string from =
        before_.schema ? "record '" + before_.schema->qualifiedName + "'" : "union '" + o->qualifiedName + "'";
    std::string to =
        after_.schema ? "record '" + after_.schema->qualifiedName + "'" : "union '" + n->qualifiedName + "'";
    schemaChange(DiagKind::E0704, after_.nameRange,
                 fmt::format("changing the schema of {} from {} to {}", name(), from, to),
                 {"consumers on the new schema read data written with the old one by another shape (a record, or "
                  "records picked by the discriminator)",
                  "consumers on the old schema read data written with the new one by another shape"});
    // The record that is one case of the union on the other side: its fields.
    const model::Record* record = before_.schema ? before_.schema : after_.schema;
    for (const auto& c : (o ? o : n)->cases)
      if (c.record->qualifiedName == record->qualifiedName)
        return before_.schema ? compareRecords(*record, *c.record, "") : compareRecords(*c.record, *record, "");
  }

  /// A range of the baseline, as the combined SourceManager numbers it.
  SourceRange old(SourceRange r) const {
    if (r.valid()) r.file += offset_;
    return r;
  }

  static std::string join(const std::string& prefix, const std::string& field) {
    return prefix.empty() ? field : prefix + "." + field;
  }

  // Without a location: the version line would be quoted under every change.
  void versionNote(DiagnosticEngine::Builder& d) {
    std::string next = fmt::format("{}.0.0", majorOf(before_.version) + 1);
    if (majorBump_)
      d.note(fmt::format("allowed by the major version bump of {} from {} to {}", name(), before_.version,
                         after_.version));
    else if (before_.version == after_.version)
      d.note(fmt::format("{} is still version {}: a breaking change needs a major version bump (to {})", name(),
                         after_.version, next));
    else
      d.note(fmt::format("{} went from version {} to {}: a breaking change needs a major version bump (to {})", name(),
                         before_.version, after_.version, next));
  }

  /// A breaking change: an error, or a warning when the major version went up.
  void breaking(DiagKind kind, SourceRange at, std::string message) {
    auto d = diags_.report(kind, majorBump_ ? Severity::Warning : Severity::Error, at, std::move(message));
    versionNote(d);
  }

  /// A change of the schema (the table of language.md section 7), judged by
  /// the new product's compatibility mode.
  void schemaChange(DiagKind kind, SourceRange at, const std::string& what, const Effect& e) {
    Compatibility mode = after_.compatibility;
    bool b = !e.backward.empty(), f = !e.forward.empty();
    bool breaks = (promisesBackward(mode) && b) || (promisesForward(mode) && f);
    if (breaks) {
      std::string why;
      if (promisesBackward(mode) && b) why = e.backward;
      if (promisesForward(mode) && f) why += (why.empty() ? "" : "; and ") + e.forward;
      breaking(kind, at, fmt::format("{} breaks {} compatibility: {}", what, modeName(mode), why));
      return;
    }
    std::string message;
    if (!b && !f)
      message = fmt::format("{} is compatible in every mode", what);
    else if (mode == Compatibility::None)
      message = fmt::format("{} would break {} compatibility, which {} does not promise (compatibility none): {}", what,
                            b && f ? "backward and forward"
                            : b    ? "backward"
                                   : "forward",
                            name(),
                            b && f ? e.backward + "; and " + e.forward
                            : b    ? e.backward
                                   : e.forward);
    else
      message = fmt::format("{} keeps {} compatibility, but would break {} compatibility: {}", what, modeName(mode),
                            b ? "backward" : "forward", b ? e.backward : e.forward);
    diags_.report(kind, Severity::Note, at, message);
  }

  /// A change of the topic or the SLA: breaking whatever the mode.
  void productChange(DiagKind kind, SourceRange at, const std::string& what, const std::string& why) {
    breaking(kind, at, fmt::format("{} breaks its consumers in every compatibility mode: {}", what, why));
  }

  // ---- schema

  std::string recordWhere(const model::Record& r, const std::string& prefix) const {
    return prefix.empty() ? fmt::format("record '{}' of {}", r.name, name())
                          : fmt::format("record '{}' (at '{}') of {}", r.name, prefix, name());
  }

  void compareRecords(const model::Record& o, const model::Record& n, const std::string& prefix) {
    if (!visitedRecords_.insert({&o, &n}).second) return;  // reported at its first path; also ends recursion
    if (!o.closed && n.closed)
      schemaChange(DiagKind::E0708, n.nameRange, fmt::format("making {} @closed", recordWhere(n, prefix)),
                   {"data written with the old schema may carry keys the record does not declare, and consumers on "
                    "the new schema reject them",
                    ""});
    if (o.closed && !n.closed)
      schemaChange(DiagKind::E0709, n.nameRange, fmt::format("dropping @closed from {}", recordWhere(n, prefix)),
                   {"",
                    "consumers on the old schema reject keys the record does not declare, which producers on "
                    "the new schema may send"});

    for (const auto& f : n.fields) {
      const model::Field* before = o.field(f->name);
      if (before) {
        compareField(*before, *f, join(prefix, f->name));
        continue;
      }
      bool required = !f->optional() && !f->defaultValue;
      std::string path = join(prefix, f->name);
      Effect e;
      if (required)
        e.backward = "consumers on the new schema require it, and data written with the old schema does not have it";
      if (o.closed)
        e.forward =
            fmt::format("consumers on the old schema reject it as an unknown key of the @closed record '{}'", o.name);
      if (required)
        schemaChange(DiagKind::E0701, f->nameRange,
                     fmt::format("adding required field '{}' with no default to {}", path, name()), e);
      else if (o.closed)
        schemaChange(DiagKind::E0719, f->nameRange,
                     fmt::format("adding {} field '{}' to the @closed record '{}' of {}",
                                 f->optional() ? "optional" : "defaulted", path, n.name, name()),
                     e);
      else
        schemaChange(DiagKind::N0702, f->nameRange,
                     fmt::format("adding {} field '{}' to {}", f->optional() ? "optional" : "defaulted", path, name()),
                     e);
    }
    for (const auto& f : o.fields) {
      if (n.field(f->name)) continue;
      bool wasRequired = !f->optional() && !f->defaultValue;
      Effect e;
      if (wasRequired) e.forward = "consumers on the old schema still require it";
      if (n.closed)
        e.backward = fmt::format(
            "data written with the old schema has the key, and consumers on the new schema reject it as unknown to "
            "the @closed record '{}'",
            n.name);
      schemaChange(DiagKind::E0703, old(f->nameRange),
                   fmt::format("removing {} field '{}' of {}",
                               wasRequired     ? "required"
                               : f->optional() ? "optional"
                                               : "defaulted",
                               join(prefix, f->name), name()),
                   e);
    }

    // Checks are matched by name.
    for (const auto& c : n.checks) {
      auto it = std::find_if(o.checks.begin(), o.checks.end(), [&](const model::Check& x) { return x.name == c.name; });
      if (it == o.checks.end()) {
        schemaChange(DiagKind::E0708, c.range,
                     fmt::format("adding check '{}' (`{}`) to {}", c.name, c.text, recordWhere(n, prefix)),
                     {"data written with the old schema may fail the new check", ""});
      } else if (c.expr && it->expr && canonical(*c.expr) != canonical(*it->expr)) {
        schemaChange(DiagKind::E0710, c.range,
                     fmt::format("changing check '{}' of {} from `{}` to `{}` (neither provably tighter nor looser, "
                                 "so both)",
                                 c.name, recordWhere(n, prefix), it->text, c.text),
                     {"data written with the old schema may fail the new check",
                      "consumers on the old schema may reject events that pass the new check"});
      }
    }
    for (const auto& c : o.checks) {
      if (std::any_of(n.checks.begin(), n.checks.end(), [&](const model::Check& x) { return x.name == c.name; }))
        continue;
      schemaChange(DiagKind::E0709, old(c.range),
                   fmt::format("removing check '{}' (`{}`) of {}", c.name, c.text, recordWhere(o, prefix)),
                   {"",
                    "consumers on the old schema reject events that fail the check, which producers on the new "
                    "schema may send"});
    }
  }

  // A new key on the wire for one field: a rename for every reader and writer
  // (fields are matched by their names in the contract, language.md section 8).
  void compareWireNames(const model::Field& o, const model::Field& n, const std::string& path) {
    std::string before = nlohmann::json(o.wireName()).dump(), after = nlohmann::json(n.wireName()).dump();
    schemaChange(
        DiagKind::E0722, n.wire ? n.wireRange : n.nameRange,
        fmt::format("changing the key on the wire of field '{}' of {} from {} to {}", path, name(), before, after),
        {fmt::format("data written with the old schema has the key {}, which consumers on the new schema do "
                     "not read as the field",
                     before),
         fmt::format("consumers on the old schema read the field from the key {}, which producers on the new "
                     "schema no longer write",
                     before)});
  }

  void compareField(const model::Field& o, const model::Field& n, const std::string& path) {
    // Required on the wire: not `?` and no default (a default fills an absent key).
    bool oRequired = !o.optional() && !o.defaultValue, nRequired = !n.optional() && !n.defaultValue;
    if (oRequired && !nRequired)
      schemaChange(DiagKind::E0706, n.nameRange,
                   fmt::format("making required field '{}' of {} optional{}", path, name(),
                               n.optional() ? "" : " (it now has a default, so it may be absent)"),
                   {"", "consumers on the old schema still require it, and new data may omit it"});
    if (!oRequired && nRequired)
      schemaChange(DiagKind::E0707, n.nameRange,
                   fmt::format("making optional field '{}' of {} required{}", path, name(),
                               o.optional() ? "" : " (its default was removed)"),
                   {"data written with the old schema may omit it, and consumers on the new schema require it", ""});
    if (o.wireName() != n.wireName()) compareWireNames(o, n, path);
    // Compared by the value a consumer fills in (`7d` and `1w` are one default).
    if (o.defaultValue && n.defaultValue &&
        model::valueJson(*o.defaultValue, *o.type) != model::valueJson(*n.defaultValue, *n.type))
      diags_.report(DiagKind::N0718, n.nameRange,
                    fmt::format("changing the default of '{}' of {} from {} to {}: consumers fill in a different value "
                                "for events that omit it",
                                path, name(), o.defaultValue->str(), n.defaultValue->str()));
    SourceRange at = n.constraint ? n.constraint->range : n.nameRange;
    comparePosition(o.type, o.constraint.get(), n.type, n.constraint.get(), path, n.nameRange, at);
  }

  /// One value in both versions: a field's, a list element's or a map value's.
  void comparePosition(const Type* o, const Expr* oWhere, const Type* n, const Expr* nWhere, const std::string& path,
                       SourceRange at, SourceRange constraintAt) {
    if (o->isError() || n->isError()) return;

    if (o->kind != n->kind ||
        (o->kind == TypeKind::Decimal && (o->precision != n->precision || o->scale != n->scale))) {
      std::string from = typeText(o), to = typeText(n);
      if (!widens(*o, *n)) {
        schemaChange(DiagKind::E0704, at,
                     fmt::format("changing the type of '{}' of {} from '{}' to '{}'", path, name(), from, to),
                     {fmt::format("consumers on the new schema cannot read the '{}' values of data written with the "
                                  "old schema",
                                  from),
                      fmt::format("consumers on the old schema cannot read the new '{}' values", to)});
        return;  // the constraints of another type are not comparable
      }
      // A widened number keeps its constraints comparable.
      schemaChange(
          DiagKind::E0705, at, fmt::format("widening '{}' of {} from '{}' to '{}'", path, name(), from, to),
          {"", fmt::format("consumers on the old schema cannot read '{}' values that do not fit '{}'", to, from)});
      // `T` made one alternative of a union: its constraints are that alternative's.
      if (const Type* alternative = alternativeOf(*o, *n))
        return comparePosition(o, oWhere, alternative, nWhere, path, at, constraintAt);
    }
    ConstraintDelta delta = compareConstraints(constraintsOf(o, oWhere), constraintsOf(n, nWhere));
    std::string details = detailList(delta.details);
    const char* tightened = "data written with the old schema may hold values the new constraint rejects";
    const char* loosened = "consumers on the old schema reject values the new constraint allows";
    if (delta.tighter && delta.looser)
      schemaChange(DiagKind::E0710, constraintAt,
                   fmt::format("changing the constraint on '{}' of {} ({}; neither provably tighter nor looser, so "
                               "both)",
                               path, name(), details),
                   {tightened, loosened});
    else if (delta.tighter)
      schemaChange(DiagKind::E0708, constraintAt,
                   fmt::format("tightening the constraint on '{}' of {} ({})", path, name(), details), {tightened, ""});
    else if (delta.looser)
      schemaChange(DiagKind::E0709, constraintAt,
                   fmt::format("loosening the constraint on '{}' of {} ({})", path, name(), details), {"", loosened});

    switch (o->kind) {
      case TypeKind::Enum:
        if (o->enumType && n->enumType) compareEnums(*o->enumType, *n->enumType, path);
        break;
      case TypeKind::Record:
        if (o->record && n->record) compareRecords(*o->record, *n->record, path);
        break;
      case TypeKind::Map:
        // Keys are strings in both: only their refinements' constraints differ.
        if (o->key && n->key) comparePosition(o->key, nullptr, n->key, nullptr, path + "{key}", at, at);
        [[fallthrough]];
      case TypeKind::List:
        if (o->element && n->element) compareElements(o->element, n->element, path + "[]", at);
        break;
      case TypeKind::Union:
        if (o->unionType->tagged() && n->unionType->tagged())
          compareTaggedUnions(*o->unionType, *n->unionType, path, at);
        else
          compareAlternatives(*o->unionType, *n->unionType, path, at);
        break;
      default:
        break;
    }
  }

  // A union's alternatives, matched by their JSON kind (the checker keeps
  // one alternative per kind): an added one is like an added enum member, a
  // removed one like a removed member; one in both is compared in place.
  void compareAlternatives(const model::Union& o, const model::Union& n, const std::string& path, SourceRange at) {
    for (const Type* a : n.alternatives)
      if (!o.alternativeFor(model::jsonKinds(a)))
        schemaChange(DiagKind::E0725, at,
                     fmt::format("adding alternative '{}' to the union '{}' of {}", a->str(), path, name()),
                     {"", "consumers on the old schema reject values of the new alternative"});
    for (const Type* a : o.alternatives) {
      const Type* b = n.alternativeFor(model::jsonKinds(a));
      if (!b)
        schemaChange(DiagKind::E0726, at,
                     fmt::format("removing alternative '{}' of the union '{}' of {}", a->str(), path, name()),
                     {"data written with the old schema may hold values of the removed alternative, which consumers "
                      "on the new schema reject",
                      ""});
      else if (a->kind != TypeKind::Null)
        comparePosition(a, nullptr, b, nullptr, path, at, at);
    }
  }

  // A tagged union's cases, matched by their discriminator value; a record
  // that moved to another value is a changed discriminator value (E0727).
  void compareTaggedUnions(const model::Union& o, const model::Union& n, const std::string& path, SourceRange at) {
    if (o.discriminator != n.discriminator) {
      schemaChange(DiagKind::E0728, n.nameRange,
                   fmt::format("changing the discriminator of union '{}'{} of {} from '{}' to '{}'", n.name,
                               atPath(path), name(), o.discriminator, n.discriminator),
                   {"consumers on the new schema pick the record by another field than old data was written with",
                    "consumers on the old schema pick the record by another field than new data is written with"});
      return;
    }
    auto recordOf = [](const model::Union& u, const std::string& record) {
      for (const auto& c : u.cases)
        if (c.record->qualifiedName == record) return &c;
      return static_cast<const model::UnionCase*>(nullptr);
    };
    for (const auto& c : n.cases) {
      if (const model::UnionCase* was = o.caseFor(c.value)) {
        compareRecords(*was->record, *c.record, path);
        continue;
      }
      const model::UnionCase* moved = recordOf(o, c.record->qualifiedName);
      if (moved && !n.caseFor(moved->value))
        schemaChange(DiagKind::E0727, c.range,
                     fmt::format("changing the discriminator value of record '{}' in union '{}'{} of {} from "
                                 "\"{}\" to \"{}\"",
                                 c.record->name, n.name, atPath(path), name(), moved->value, c.value),
                     {"data written with the old schema carries the old value, which consumers on the new schema "
                      "reject",
                      "consumers on the old schema reject the new value"});
      else
        schemaChange(DiagKind::E0725, c.range,
                     fmt::format("adding case \"{}\" to union '{}'{} of {}", c.value, n.name, atPath(path), name()),
                     {"", "consumers on the old schema reject the new discriminator value"});
    }
    for (const auto& c : o.cases) {
      if (n.caseFor(c.value)) continue;
      const model::UnionCase* moved = recordOf(n, c.record->qualifiedName);
      if (moved && !o.caseFor(moved->value)) continue;  // reported as E0727
      schemaChange(DiagKind::E0726, old(c.range),
                   fmt::format("removing case \"{}\" of union '{}'{} of {}", c.value, o.name, atPath(path), name()),
                   {"data written with the old schema may hold the removed case, which consumers on the new schema "
                    "reject",
                    ""});
    }
  }

  void compareElements(const Type* o, const Type* n, const std::string& path, SourceRange at) {
    if (!o->optional && n->optional)
      schemaChange(DiagKind::E0706, at, fmt::format("making the elements '{}' of {} optional", path, name()),
                   {"", "consumers on the old schema reject null elements, which new data may hold"});
    if (o->optional && !n->optional)
      schemaChange(DiagKind::E0707, at, fmt::format("making the elements '{}' of {} required", path, name()),
                   {"data written with the old schema may hold null elements, which consumers on the new schema "
                    "reject",
                    ""});
    comparePosition(o, nullptr, n, nullptr, path, at, at);
  }

  void compareEnums(const model::EnumType& o, const model::EnumType& n, const std::string& path) {
    if (!visitedEnums_.insert({&o, &n}).second) return;
    for (const auto& m : n.members) {
      if (o.memberIndex(m.name) >= 0) continue;
      schemaChange(DiagKind::E0711, m.range,
                   fmt::format("adding member '{}' to enum '{}' (at '{}') of {}", m.name, n.name, path, name()),
                   {"", "consumers on the old schema reject the new member"});
    }
    for (const auto& m : o.members) {
      if (n.memberIndex(m.name) >= 0) continue;
      schemaChange(DiagKind::E0712, old(m.range),
                   fmt::format("removing member '{}' of enum '{}' (at '{}') of {}", m.name, o.name, path, name()),
                   {"data written with the old schema may hold the removed member, which consumers on the new schema "
                    "reject",
                    ""});
    }
  }

  // ---- the product's settings

  void compareMode() {
    Compatibility o = before_.compatibility, n = after_.compatibility;
    if (o == n) return;
    SourceRange at = after_.settingRanges.compatibility.valid() ? after_.settingRanges.compatibility : after_.nameRange;
    std::string lost;
    if (promisesBackward(o) && !promisesBackward(n))
      lost = "the backward guarantee (consumers on a newer schema read older data)";
    if (promisesForward(o) && !promisesForward(n))
      lost += std::string(lost.empty() ? "" : " and ") +
              "the forward guarantee (consumers on an older schema read newer data)";
    std::string what = fmt::format("the compatibility of {} changed from {} to {}", name(), modeName(o), modeName(n));
    if (lost.empty())
      diags_.report(DiagKind::W0717, Severity::Note, at,
                    fmt::format("{}: its changes are judged by the new mode, which promises more", what));
    else
      diags_
          .report(DiagKind::W0717, at,
                  fmt::format("{}, dropping {}: its changes are judged by the new mode", what, lost))
          .note("consumers that relied on the old mode should be told; a major version bump is the usual signal");
  }

  void compareTopic() {
    const model::Topic& o = before_.topic;
    const model::Topic& n = after_.topic;
    const auto& at = after_.settingRanges;
    if (o.name != n.name)
      productChange(DiagKind::E0713, at.topicName,
                    fmt::format("renaming the topic of {} from '{}' to '{}'", name(), o.name, n.name),
                    fmt::format("consumers subscribed to '{}' receive no new events", o.name));
    std::string oKey = o.key ? o.key->text : "", nKey = n.key ? n.key->text : "";
    if (oKey != nKey) {
      const char* why =
          "events of one key land on other partitions than before, so consumers lose their per-key "
          "order and compacted topics keep stale values";
      if (nKey.empty())
        productChange(DiagKind::E0713, old(o.key->range),
                      fmt::format("removing the key '{}' of topic '{}' of {}", oKey, n.name, name()), why);
      else if (oKey.empty())
        productChange(DiagKind::E0713, n.key->range,
                      fmt::format("adding the key '{}' to topic '{}' of {}", nKey, n.name, name()), why);
      else
        productChange(DiagKind::E0713, n.key->range,
                      fmt::format("changing the key of topic '{}' of {} from '{}' to '{}'", n.name, name(), oKey, nKey),
                      why);
    }
    SourceRange partitionsAt = at.partitions.valid() ? at.partitions : at.topicName;
    if (n.partitions < o.partitions)
      productChange(DiagKind::E0713, partitionsAt,
                    fmt::format("lowering the partitions of topic '{}' of {} from {} to {}", n.name, name(),
                                o.partitions, n.partitions),
                    "Kafka cannot remove partitions from a topic, and keys that move lose their order");
    else if (n.partitions > o.partitions)
      diags_.report(DiagKind::E0713, Severity::Note, partitionsAt,
                    fmt::format("raising the partitions of topic '{}' of {} from {} to {} is allowed, but keys move "
                                "to other partitions, so per-key order does not hold across the change",
                                n.name, name(), o.partitions, n.partitions));
    if (o.format != n.format)
      productChange(
          DiagKind::E0713, at.format.valid() ? at.format : at.topicName,
          fmt::format("changing the format of topic '{}' of {} from '{}' to '{}'", n.name, name(), o.format, n.format),
          fmt::format("consumers decode the topic as '{}'", o.format));
    if (o.format == "avro" && n.format == "avro" && o.subject != n.subject)
      productChange(DiagKind::E0713, at.subject.valid() ? at.subject : at.topicName,
                    fmt::format("changing the subject naming of topic '{}' of {} from '{}' to '{}'", n.name, name(),
                                o.subject, n.subject),
                    "the schema moves to another registry subject, with none of the old one's versions to be "
                    "compatible with");
  }

  void compareSla() {
    const model::Sla& o = before_.sla;
    const model::Sla& n = after_.sla;
    const auto& at = after_.settingRanges;
    const auto& oldAt = before_.settingRanges;
    if (o.freshnessMicros) {
      std::string promise =
          fmt::format("consumers rely on its newest event being at most {} old", durationText(*o.freshnessMicros));
      if (!n.freshnessMicros)
        productChange(DiagKind::E0714, old(oldAt.freshness),
                      fmt::format("dropping the freshness SLA of {} ({})", name(), durationText(*o.freshnessMicros)),
                      promise);
      else if (*n.freshnessMicros > *o.freshnessMicros)
        productChange(DiagKind::E0714, at.freshness,
                      fmt::format("weakening the freshness SLA of {} from {} to {}", name(),
                                  durationText(*o.freshnessMicros), durationText(*n.freshnessMicros)),
                      promise);
    }
    if (o.availabilityPercent) {
      std::string promise = fmt::format("consumers rely on {}% availability", numberText(*o.availabilityPercent));
      if (!n.availabilityPercent)
        productChange(
            DiagKind::E0714, old(oldAt.availability),
            fmt::format("dropping the availability SLA of {} ({}%)", name(), numberText(*o.availabilityPercent)),
            promise);
      else if (*n.availabilityPercent < *o.availabilityPercent)
        productChange(DiagKind::E0714, at.availability,
                      fmt::format("lowering the availability SLA of {} from {}% to {}%", name(),
                                  numberText(*o.availabilityPercent), numberText(*n.availabilityPercent)),
                      promise);
    }
    if (o.throughputPerSecond) {
      auto text = [](const model::Sla& s) {
        return s.throughputText.empty() ? fmt::format("{}/s", numberText(*s.throughputPerSecond)) : s.throughputText;
      };
      std::string promise = fmt::format("consumers sized for a sustained {} rely on it", text(o));
      if (!n.throughputPerSecond)
        productChange(DiagKind::E0714, old(oldAt.throughput),
                      fmt::format("dropping the throughput SLA of {} ({})", name(), text(o)), promise);
      else if (*n.throughputPerSecond < *o.throughputPerSecond)
        productChange(DiagKind::E0714, at.throughput,
                      fmt::format("lowering the throughput SLA of {} from {} to {}", name(), text(o), text(n)),
                      promise);
    }
    if (o.latencyMicros) {
      const std::vector<std::string>& percentiles = model::latencyPercentiles();
      auto rank = [&](const model::Sla& s) {
        auto it = std::find(percentiles.begin(), percentiles.end(), s.latencyPercentile.value_or("p99"));
        return it - percentiles.begin();
      };
      auto text = [&](const model::Sla& s) {
        return fmt::format("{} {}", s.latencyPercentile.value_or("p99"), durationText(*s.latencyMicros));
      };
      std::string promise = fmt::format("consumers rely on a produce-to-readable latency of {}", text(o));
      if (!n.latencyMicros)
        productChange(DiagKind::E0714, old(oldAt.latency),
                      fmt::format("dropping the latency SLA of {} ({})", name(), text(o)), promise);
      else if (!(rank(n) >= rank(o) && *n.latencyMicros <= *o.latencyMicros))
        productChange(DiagKind::E0714, at.latency,
                      fmt::format("weakening the latency SLA of {} from {} to {}", name(), text(o), text(n)), promise);
    }
  }

  const model::Product& before_;
  const model::Product& after_;
  DiagnosticEngine& diags_;
  uint32_t offset_;
  bool majorBump_;
  std::set<std::pair<const model::Record*, const model::Record*>> visitedRecords_;
  std::set<std::pair<const model::EnumType*, const model::EnumType*>> visitedEnums_;
};

std::set<std::string> inputPackages(const model::Build& build) {
  std::set<std::string> out;
  for (const auto& p : build.packages)
    if (p.input) out.insert(p.name);
  return out;
}

}  // namespace

void compareBuilds(const model::Build& baseline, const model::Build& current, DiagnosticEngine& diags,
                   const CompareOptions& options) {
  std::map<std::string, const model::Product*> before, after;
  for (const auto& p : baseline.products) before.emplace(p->qualifiedName, p.get());
  for (const auto& p : current.products) after.emplace(p->qualifiedName, p.get());
  std::set<std::string> currentInputs = inputPackages(current), baselineInputs = inputPackages(baseline);

  for (const auto& p : current.products) {
    if (!currentInputs.count(p->package)) continue;
    auto it = before.find(p->qualifiedName);
    if (it == before.end()) {
      diags.report(DiagKind::N0715, p->nameRange,
                   fmt::format("new product {} (version {}, topic '{}')", p->qualifiedName, p->version, p->topic.name));
      continue;
    }
    ProductComparison(*it->second, *p, diags, options.baselineFileOffset).run();
  }
  for (const auto& p : baseline.products) {
    if (!baselineInputs.count(p->package) || after.count(p->qualifiedName)) continue;
    SourceRange at = p->nameRange;
    if (at.valid()) at.file += options.baselineFileOffset;
    std::string message = fmt::format(
        "removing product {} breaks its consumers in every compatibility mode: "
        "readers of topic '{}' lose its contract",
        p->qualifiedName, p->topic.name);
    if (p->deprecated)
      diags.report(DiagKind::E0716, Severity::Warning, at, message)
          .note(fmt::format("it was deprecated in the baseline{}, so its consumers were told",
                            p->deprecated->empty() ? "" : fmt::format(" (\"{}\")", *p->deprecated)));
    else
      diags.report(DiagKind::E0716, at, message)
          .note("deprecate it first (@deprecated(\"why\")) and remove it once its consumers have moved");
  }
}

}  // namespace mesh::compat
