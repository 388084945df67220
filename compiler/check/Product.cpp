// Product: a product's settings, block by block (domain, version, schema,
// topic, sla, quality, access, retention, compatibility, upstream), the
// field paths they name, and the cycles of upstream lineage.
#include <fmt/format.h>

#include <algorithm>
#include <functional>

#include "check/CheckerImpl.h"
#include "llvm/ADT/StringRef.h"
#include "model/AvroSchema.h"
#include "model/FieldPaths.h"

namespace mesh::check {

using model::TypeKind;

namespace {

/// A value at the end of `path` can be null: a field on the way is optional,
/// or the last one's type takes null (json, `T | null`).
bool pathCanBeNull(const model::FieldPath& path) {
  return path.fields.back()->type->takesNull() ||
         std::any_of(path.fields.begin(), path.fields.end(), [](const model::Field* f) { return f->optional(); });
}

bool validSemver(llvm::StringRef v) {
  // MAJOR.MINOR.PATCH[-pre][+build], numbers without leading zeros.
  auto [core, rest] = v.split('+');
  auto [nums, pre] = core.split('-');
  llvm::SmallVector<llvm::StringRef, 3> parts;
  nums.split(parts, '.', -1, true);
  if (parts.size() != 3) return false;
  for (auto p : parts) {
    if (p.empty() || p.find_first_not_of("0123456789") != llvm::StringRef::npos) return false;
    if (p.size() > 1 && p[0] == '0') return false;
  }
  auto ident = [](llvm::StringRef s) {
    if (s.empty()) return false;
    llvm::SmallVector<llvm::StringRef, 4> ids;
    s.split(ids, '.', -1, true);
    for (auto id : ids)
      if (id.empty() || id.find_first_not_of("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-") !=
                            llvm::StringRef::npos)
        return false;
    return true;
  };
  if (core.size() != nums.size() && !ident(pre)) return false;
  if (v.size() != core.size() && !ident(rest)) return false;
  return true;
}

bool validTopicName(llvm::StringRef name) {
  if (name.empty() || name.size() > 249 || name == "." || name == "..") return false;
  return name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") ==
         llvm::StringRef::npos;
}

model::CompareOp compareOp(ast::CompareOp op) { return static_cast<model::CompareOp>(op); }

/// The first list or map a path of `paths` steps into the elements of
/// (unique and null_rate look at one value per message: a path into the
/// elements of a list or map has many or none); null when none does.
const model::Field* stepIntoElements(const std::vector<model::FieldPath>& paths) {
  for (const model::FieldPath& path : paths)
    for (size_t i = 0; i + 1 < path.fields.size(); ++i)
      if (path.fields[i]->type->kind == TypeKind::List || path.fields[i]->type->kind == TypeKind::Map)
        return path.fields[i];
  return nullptr;
}

}  // namespace

// ---------------------------------------------------------------- products

std::optional<model::FieldPath> Checker::fieldPath(const ast::FieldPath& path, const model::Record* root,
                                                   const char* purpose, bool report) {
  model::FieldPath out;
  out.text = path.str();
  out.range = path.range;
  const model::Record* record = root;
  for (size_t i = 0; i < path.segments.size(); ++i) {
    const auto& seg = path.segments[i];
    if (!record) {
      if (report)
        diags_.report(
            DiagKind::E0402, seg.name.range,
            fmt::format("'{}' is not a record, so it has no field '{}'", out.fields.back()->name, seg.name.name));
      return std::nullopt;
    }
    const model::Field* f = record->field(seg.name.name);
    if (!f) {
      if (!report) return std::nullopt;
      std::vector<std::string> names;
      for (const auto& rf : record->fields) names.push_back(rf->name);
      auto d = diags_.report(DiagKind::E0402, seg.name.range,
                             fmt::format("record '{}' has no field '{}' ({})", record->name, seg.name.name, purpose));
      if (auto guess = closestMatch(seg.name.name, names)) d.note(fmt::format("did you mean '{}'?", *guess));
      return std::nullopt;
    }
    if (report) warnDeprecated(f->deprecated, fmt::format("field '{}'", f->name), seg.name.range);
    out.fields.push_back(f);
    const model::Type* t = f->type;
    if (seg.element) {
      if (t->kind != TypeKind::List && t->kind != TypeKind::Map) {
        if (report)
          diags_.report(DiagKind::E0402, seg.name.range,
                        fmt::format("'{}[]' steps into the elements of '{}', which is a '{}', not a list",
                                    seg.name.name, f->name, t->str()));
        return std::nullopt;
      }
      t = t->element;
    } else if (t->kind == TypeKind::List && i + 1 < path.segments.size()) {
      if (report)
        diags_.report(
            DiagKind::E0402, seg.name.range,
            fmt::format("'{}' is a list; write '{}[]' to reach the fields of its elements", f->name, f->name));
      return std::nullopt;
    }
    record = t->kind == TypeKind::Record ? t->record : nullptr;
  }
  return out;
}

std::vector<const model::Role*> Checker::roles(const std::vector<ast::QualifiedName>& names, const ast::File* file) {
  std::vector<const model::Role*> out;
  for (const auto& n : names) {
    Symbol* s = lookup(n, file, kindBit(ast::DeclKind::Role), "role");
    if (!s) continue;
    auto* role = as<model::Role>(s);
    if (std::find(out.begin(), out.end(), role) != out.end()) {
      diags_.report(DiagKind::E0010, n.range, fmt::format("role '{}' is listed twice", n.str()));
      continue;
    }
    out.push_back(role);
  }
  return out;
}

void Checker::checkProduct(Symbol& s) {
  auto* p = as<model::Product>(&s);
  const auto& decl = std::get<ast::ProductDecl>(s.decl->body);
  checkProductRequired(s, p, decl);
  if (p->schema || p->schemaUnion) listFieldPaths(p, decl);
  if (decl.topic) checkTopic(p, *decl.topic);
  if (decl.sla) checkSla(p, *decl.sla);
  if (decl.quality)
    for (const auto& q : *decl.quality) checkQualityRule(p, q);
  if (decl.access) checkAccess(p, *decl.access, s.file);
  if (decl.retentionMicros) checkRetention(p, *decl.retentionMicros);
  if (decl.compatibility) checkCompatibility(p, *decl.compatibility);
  if (decl.upstream) checkUpstream(p, *decl.upstream, s.file);
}

/// The domain, version and schema, and E0401 for those missing (the topic too).
void Checker::checkProductRequired(Symbol& s, model::Product* p, const ast::ProductDecl& decl) {
  const ast::File* file = s.file;
  std::vector<std::string> missing;
  if (decl.domain) {
    if (Symbol* d = lookup(*decl.domain, file, kindBit(ast::DeclKind::Domain), "domain"))
      p->domain = as<model::Domain>(d);
  } else {
    missing.push_back("domain");
  }
  if (decl.version) {
    p->version = decl.version->value;
    p->settingRanges.version = decl.version->range;
    if (!validSemver(p->version))
      diags_
          .report(DiagKind::E0405, decl.version->range,
                  fmt::format("version \"{}\" is not a semantic version", p->version))
          .note(
              "write MAJOR.MINOR.PATCH, like \"3.1.0\"; the major version is the consumers' signal of a "
              "breaking change");
  } else {
    missing.push_back("version");
  }
  if (decl.schema) {
    resolveSchema(p, *decl.schema, file);
  } else {
    missing.push_back("schema");
  }
  if (!decl.topic) missing.push_back("topic");
  if (!missing.empty() && !s.decl->hasSyntaxErrors) {
    std::string list;
    for (size_t i = 0; i < missing.size(); ++i)
      list += fmt::format("{}'{}'", i == 0 ? "" : i + 1 == missing.size() ? " and " : ", ", missing[i]);
    diags_.report(DiagKind::E0401, s.decl->name.range, fmt::format("product '{}' has no {}", p->name, list))
        .note("every product declares its domain, version, schema and topic");
  }
}

void Checker::checkTopic(model::Product* p, const ast::Topic& t) {
  p->topic.name = t.name.value;
  p->topic.range = t.range;
  p->settingRanges.topicName = t.name.range;
  if (!validTopicName(t.name.value))
    diags_.report(DiagKind::E0406, t.name.range, fmt::format("\"{}\" is not a valid Kafka topic name", t.name.value))
        .note("topic names are 1 to 249 characters of letters, digits, '.', '_' and '-'");
  if (t.key) checkTopicKey(p, *t.key);
  // A count of 1 to `most`, kept with its range.
  auto count = [&](const std::optional<ast::Located<int64_t>>& setting, int64_t& value, SourceRange& range,
                   int64_t most, auto message) {
    if (!setting) return;
    value = setting->value;
    range = setting->range;
    if (value < 1 || value > most) diags_.report(DiagKind::E0404, range, message(value));
  };
  count(t.partitions, p->topic.partitions, p->settingRanges.partitions, 100000,
        [](int64_t n) { return fmt::format("a topic has 1 to 100000 partitions, not {}", n); });
  count(t.replication, p->topic.replication, p->settingRanges.replication, 32,
        [](int64_t n) { return fmt::format("replication factor must be 1 to 32, not {}", n); });
  if (t.format) checkTopicFormat(p, *t.format);
  if (t.subject) checkTopicSubject(p, *t.subject);
}

/// The subject naming strategy of a `format avro` topic: Confluent's
/// TopicNameStrategy, RecordNameStrategy or TopicRecordNameStrategy.
void Checker::checkTopicSubject(model::Product* p, const ast::Ident& subject) {
  p->settingRanges.subject = subject.range;
  if (subject.name != "topic" && subject.name != "record" && subject.name != "topic_record") {
    diags_.report(DiagKind::E0406, subject.range, fmt::format("unknown subject naming strategy '{}'", subject.name))
        .note("the strategies are topic (<topic>-value), record (<package>.<Record>) and topic_record");
    return;
  }
  p->topic.subject = subject.name;
  if (p->topic.format != "avro")
    diags_.report(DiagKind::E0406, subject.range, "'subject' names a schema registry subject: it needs 'format avro'")
        .note("a json topic's messages carry no schema id; drop 'subject' or add 'format avro;'");
}

/// `format json` (the default) or `format avro`, whose schema must have an
/// Avro form (model/AvroSchema). Reported at the format, in the product's
/// file: the records may be another package's (incremental checks own a
/// diagnostic by its file's package).
void Checker::checkTopicFormat(model::Product* p, const ast::Ident& format) {
  p->topic.format = format.name;
  p->settingRanges.format = format.range;
  if (format.name != "json" && format.name != "avro") {
    diags_.report(DiagKind::E0406, format.range, fmt::format("unknown format '{}'", format.name))
        .note("meshc supports the formats 'json' and 'avro'");
    return;
  }
  if (format.name != "avro" || (!p->schema && !p->schemaUnion)) return;
  for (const auto& refusal : model::avro::productSchema(*p).refusals)
    diags_
        .report(DiagKind::E0219, format.range,
                fmt::format("product '{}' is carried as Avro, which cannot write {}", p->name, refusal.message))
        .note("the field is declared here", refusal.field->nameRange);
}

/// The topic key: a required scalar field, reached through no list, map or
/// optional field; in a union schema, in every case with one type.
void Checker::checkTopicKey(model::Product* p, const ast::FieldPath& key) {
  std::vector<model::FieldPath> paths = schemaPaths(p, key, "the topic key");
  if (paths.empty() || (p->schemaUnion && !keyInEveryCase(p, key, paths))) return;
  for (const model::FieldPath& path : paths)
    if (!checkKeyPath(p, path, key)) return;
  if (p->schemaUnion && !keyOfOneType(p, key, paths)) return;
  p->topic.key = std::move(paths.front());
}

bool Checker::checkKeyPath(const model::Product* p, const model::FieldPath& path, const ast::FieldPath& key) {
  const model::Type* last = path.fields.back()->type;
  std::string problem;
  for (const model::Field* f : path.fields) {
    if (!problem.empty() || f->type->isError()) continue;
    bool isLast = f == path.fields.back();
    const char* kind = f->type->kind == TypeKind::List ? "a list" : f->type->kind == TypeKind::Map ? "a map" : nullptr;
    if (kind)
      problem = isLast ? fmt::format("is {} ('{}')", kind, f->type->str())
                       : fmt::format("goes through '{}', {}", f->name, kind);
    else if (f->optional())
      problem = isLast ? fmt::format("is optional ('{}')", f->type->str())
                       : fmt::format("goes through '{}', which is optional", f->name);
  }
  bool error =
      std::any_of(path.fields.begin(), path.fields.end(), [](const model::Field* f) { return f->type->isError(); });
  if (problem.empty() && !error && !last->isScalar()) problem = fmt::format("has type '{}', not a scalar", last->str());
  if (error) return false;  // the field's type is already reported
  if (problem.empty()) return true;
  auto d = diags_.report(DiagKind::E0403, key.range,
                         fmt::format("topic key '{}' {}; a key must be a required scalar field", path.text, problem));
  if (p->schemaUnion)
    d.note(fmt::format("in record '{}' of union '{}'", path.fields.front()->owner->name, p->schemaUnion->name));
  d.note("Kafka partitions by the key, so every message must have exactly one value for it");
  return false;
}

void Checker::checkSla(model::Product* p, const ast::Sla& sla) {
  // Copies a setting given, with where; one that must be above zero and is
  // not is reported as `problem`. True when it was given.
  auto copy = [&](const auto& given, auto& value, SourceRange& at, const char* problem) {
    if (!given) return false;
    value = given->value;
    at = given->range;
    if (problem && given->value <= 0) diags_.report(DiagKind::E0404, given->range, problem);
    return true;
  };
  copy(sla.freshnessMicros, p->sla.freshnessMicros, p->settingRanges.freshness, "freshness must be longer than zero");
  if (copy(sla.availabilityPercent, p->sla.availabilityPercent, p->settingRanges.availability, nullptr)) {
    double a = sla.availabilityPercent->value;
    if (!(a > 0 && a <= 100))
      diags_.report(DiagKind::E0404, sla.availabilityPercent->range,
                    fmt::format("availability must be above 0% and at most 100%, not {}%", a));
  }
  if (copy(sla.throughputPerSecond, p->sla.throughputPerSecond, p->settingRanges.throughput,
           "throughput must be above zero"))
    p->sla.throughputText = sla.throughputText;
  if (copy(sla.latencyMicros, p->sla.latencyMicros, p->settingRanges.latency, "latency must be longer than zero")) {
    const std::vector<std::string>& percentiles = model::latencyPercentiles();
    std::string choices = fmt::format("{}", fmt::join(percentiles, ", "));
    if (!sla.latencyPercentile) {
      // `latency 25h;`: the grammar takes the percentile as optional so that
      // its absence is said here, with the choices, not as a missing name.
      diags_
          .report(DiagKind::E0007, sla.latencyMicros->range,
                  fmt::format("expected a percentile before the latency, as in 'latency p99 {}'",
                              sourceText(sla.latencyMicros->range)))
          .note(fmt::format("the percentiles are {}", choices));
    } else if (const std::string& pc = sla.latencyPercentile->name;
               std::find(percentiles.begin(), percentiles.end(), pc) == percentiles.end()) {
      auto d = diags_.report(DiagKind::E0406, sla.latencyPercentile->range,
                             fmt::format("unknown latency percentile '{}'", pc));
      if (auto guess = closestMatch(pc, percentiles))
        d.note(fmt::format("did you mean '{}'?", *guess));
      else
        d.note(fmt::format("use one of {}", choices));
    } else {
      p->sla.latencyPercentile = pc;
    }
  }
}

void Checker::checkQualityRule(model::Product* p, const ast::QualityRule& q) {
  model::QualityRule rule{static_cast<model::QualityRule::Kind>(q.kind), std::nullopt, {}, 0, 0, {}, {}};
  rule.op = compareOp(q.op);
  rule.threshold = q.threshold;
  rule.windowMicros = q.windowMicros;
  rule.range = q.range;
  // As written, on one line, without the `;` (a metric label and log text).
  for (char c : sourceText(q.range)) {
    bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r';
    if (space && (rule.text.empty() || rule.text.back() == ' ')) continue;
    rule.text += space ? ' ' : c;
  }
  while (!rule.text.empty() && (rule.text.back() == ';' || rule.text.back() == ' ')) rule.text.pop_back();
  bool ok = true;
  // In a union schema, the rule looks at the messages whose case has the
  // field (language-decisions.md).
  std::vector<model::FieldPath> paths;
  if (q.field) {
    paths = schemaPaths(p, *q.field, "a quality rule");
    if (paths.empty()) ok = false;
    if (const model::Field* f = stepIntoElements(paths)) {
      diags_.report(DiagKind::E0402, q.field->range,
                    fmt::format("a quality rule looks at one value per message, but '{}' steps into the "
                                "elements of '{}', a '{}'",
                                paths.front().text, f->name, f->type->str()));
      paths.clear();
      ok = false;
    }
  }
  if (!paths.empty()) {
    if (q.kind == ast::QualityRule::Kind::NullRate && std::none_of(paths.begin(), paths.end(), pathCanBeNull))
      diags_.report(DiagKind::W0410, q.field->range,
                    fmt::format("'{}' is required, so its null rate is always 0%", paths.front().text));
    rule.field = std::move(paths.front());
  }
  if ((q.kind == ast::QualityRule::Kind::NullRate || q.kind == ast::QualityRule::Kind::ValidRate) &&
      (q.threshold < 0 || q.threshold > 100)) {
    diags_.report(DiagKind::E0404, q.thresholdRange,
                  fmt::format("a rate is between 0% and 100%, not {}%", q.threshold));
    ok = false;
  }
  if ((q.kind == ast::QualityRule::Kind::Unique || q.kind == ast::QualityRule::Kind::Volume) && q.windowMicros <= 0) {
    diags_.report(DiagKind::E0404, q.windowRange, "the window must be longer than zero");
    ok = false;
  }
  if (ok) p->quality.push_back(std::move(rule));
}

void Checker::checkAccess(model::Product* p, const ast::Access& a, const ast::File* file) {
  if (a.readers) p->readers = roles(*a.readers, file);
  if (a.writers) p->writers = roles(*a.writers, file);
  for (const auto& m : a.masks) checkMask(p, a, m, file);
}

void Checker::checkMask(model::Product* p, const ast::Access& a, const ast::Mask& m, const ast::File* file) {
  model::Mask mask;
  mask.range = m.range;
  mask.roles = roles(m.roles, file);
  static const std::vector<std::string> methods = {"hash", "redact", "null", "last"};
  const std::string& method = m.method.name;
  if (std::find(methods.begin(), methods.end(), method) == methods.end()) {
    auto d = diags_.report(DiagKind::E0406, m.method.range, fmt::format("unknown masking method '{}'", method));
    if (auto guess = closestMatch(method, methods))
      d.note(fmt::format("did you mean '{}'?", *guess));
    else
      d.note("the methods are hash, redact, null and last(N)");
    return;
  }
  mask.method = method == "hash"     ? model::MaskMethod::Hash
                : method == "redact" ? model::MaskMethod::Redact
                : method == "null"   ? model::MaskMethod::Null
                                     : model::MaskMethod::Last;
  if (mask.method == model::MaskMethod::Last) {
    if (!m.argument) {
      diags_.report(DiagKind::E0406, m.method.range, "'last' needs the number of characters to keep: last(4)");
      return;
    }
    if (m.argument->value < 1 || m.argument->value > 1000) {
      diags_.report(DiagKind::E0404, m.argument->range,
                    fmt::format("last(N) keeps 1 to 1000 characters, not {}", m.argument->value));
      return;
    }
    mask.keep = m.argument->value;
  } else if (m.argument) {
    diags_.report(DiagKind::E0406, m.argument->range, fmt::format("'{}' takes no argument", method));
    return;
  }
  // In a union schema, the mask applies to the cases that have the field
  // and must fit it in each (language-decisions.md).
  std::vector<model::FieldPath> paths = schemaPaths(p, m.field, "a mask");
  if (paths.empty()) return;
  for (const model::FieldPath& path : paths)
    if (!maskFits(p, mask, path, m)) return;
  for (size_t i = 0; i < mask.roles.size(); ++i) {
    if (a.readers && std::find(p->readers.begin(), p->readers.end(), mask.roles[i]) == p->readers.end())
      diags_.report(DiagKind::W0409, m.range,
                    fmt::format("mask for role '{}', which is not a reader of '{}'", mask.roles[i]->name, p->name));
  }
  mask.field = std::move(paths.front());
  p->masks.push_back(std::move(mask));
}

/// E0408 when the method does not fit the field at `path`: hash, redact and
/// last(N) write a string, null removes the field; true when it fits.
bool Checker::maskFits(const model::Product* p, const model::Mask& mask, const model::FieldPath& path,
                       const ast::Mask& m) {
  const std::string& method = m.method.name;
  std::string where = p->schemaUnion ? fmt::format("in record '{}' of union '{}'", path.fields.front()->owner->name,
                                                   p->schemaUnion->name)
                                     : "";
  const model::Type* t = path.fields.back()->type;
  bool isString = t->kind == TypeKind::String;
  // A json value is redacted as a whole, to the JSON string "***".
  bool redactsJson = t->kind == TypeKind::Json && mask.method == model::MaskMethod::Redact;
  if ((mask.method == model::MaskMethod::Hash || mask.method == model::MaskMethod::Redact ||
       mask.method == model::MaskMethod::Last) &&
      !isString && !redactsJson && !t->isError()) {
    auto d = diags_.report(DiagKind::E0408, m.field.range,
                           fmt::format("'{}' masks '{}' of type '{}', but it replaces the value with a string", method,
                                       path.text, t->str()));
    if (!where.empty()) d.note(where);
    d.note("use 'null' to hide a field that is not a string");
    return false;
  }
  if (mask.method == model::MaskMethod::Null && !pathCanBeNull(path)) {
    auto d = diags_.report(DiagKind::E0408, m.field.range,
                           fmt::format("'null' removes '{}', but the field is required, so the masked message would "
                                       "be invalid",
                                       path.text));
    if (!where.empty()) d.note(where);
    d.note(isString ? "use hash, redact or last(N), or make the field optional" : "make the field optional");
    return false;
  }
  return true;
}

void Checker::checkRetention(model::Product* p, const ast::Located<int64_t>& retention) {
  p->retentionMicros = retention.value;
  if (retention.value <= 0) diags_.report(DiagKind::E0404, retention.range, "retention must be longer than zero");
}

void Checker::checkCompatibility(model::Product* p, const ast::Ident& compatibility) {
  p->settingRanges.compatibility = compatibility.range;
  static const std::vector<std::string> modes = {"none", "backward", "forward", "full"};
  const std::string& mode = compatibility.name;
  auto it = std::find(modes.begin(), modes.end(), mode);
  if (it == modes.end()) {
    auto d = diags_.report(DiagKind::E0406, compatibility.range, fmt::format("unknown compatibility mode '{}'", mode));
    if (auto guess = closestMatch(mode, modes))
      d.note(fmt::format("did you mean '{}'?", *guess));
    else
      d.note("the modes are none, backward, forward and full");
  } else {
    p->compatibility = static_cast<model::Compatibility>(it - modes.begin());
  }
}

void Checker::checkUpstream(model::Product* p, const std::vector<ast::QualifiedName>& upstream, const ast::File* file) {
  for (const auto& u : upstream) {
    Symbol* up = lookup(u, file, kindBit(ast::DeclKind::Product), "product");
    if (!up) continue;
    auto* product = as<model::Product>(up);
    if (std::find(p->upstream.begin(), p->upstream.end(), product) != p->upstream.end()) {
      diags_.report(DiagKind::E0010, u.range, fmt::format("upstream '{}' is listed twice", u.str()));
      continue;
    }
    p->upstream.push_back(product);
  }
}

void Checker::checkUpstreamCycles() {
  // Deprecation warnings on upstream references come after the products are
  // all checked, because the referenced product's annotations must be known.
  for (auto& s : symbols_) {
    if (s.kind != ast::DeclKind::Product) continue;
    const auto& decl = std::get<ast::ProductDecl>(s.decl->body);
    if (!decl.upstream) continue;
    for (const auto& u : *decl.upstream) {
      Symbol* up = tryLookup(partsOf(u), s.file, kindBit(ast::DeclKind::Product));
      if (up)
        warnDeprecated(as<model::Product>(up)->deprecated, fmt::format("product '{}'", up->qualifiedName), u.range);
    }
  }
  std::map<const model::Product*, int> colour;
  std::vector<const model::Product*> stack;
  std::function<void(const model::Product*)> visit = [&](const model::Product* p) {
    colour[p] = 1;
    stack.push_back(p);
    for (const model::Product* u : p->upstream) {
      if (colour[u] == 1) {
        std::string path;
        bool in = false;
        for (const model::Product* sp : stack) {
          if (sp == u) in = true;
          if (in) path += sp->qualifiedName + " -> ";
        }
        path += u->qualifiedName;
        diags_
            .report(DiagKind::E0407, p->nameRange,
                    fmt::format("upstream lineage of '{}' has a cycle", p->qualifiedName))
            .note(fmt::format("the cycle: {}", path));
      } else if (colour[u] == 0) {
        visit(u);
      }
    }
    stack.pop_back();
    colour[p] = 2;
  };
  std::vector<const model::Product*> sorted;
  for (const auto& p : build_->products) sorted.push_back(p.get());
  std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->qualifiedName < b->qualifiedName; });
  for (const model::Product* p : sorted)
    if (colour[p] == 0) visit(p);
}

}  // namespace mesh::check
