// Manifest: the `manifest` target (toolchain.md section 2). Per product of
// the input packages a catalog manifest, OUT/manifest/<qualified_name>.json:
// every fact of the contract, the policies evaluated with their outcome, and
// under "datahub" the same facts as DataHub metadata change proposals in the
// form DataHub's `file` source ingests. And OUT/manifest/catalog.json: every
// product with its manifest file and the lineage graph. Decisions (field
// paths, tag and owner URNs, lineage types): docs/manifest.md.
#include <fmt/format.h>

#include <cctype>
#include <nlohmann/json.hpp>
#include <set>

#include "codegen/Generator.h"
#include "codegen/ModelText.h"
#include "lineage/Lineage.h"
#include "model/FieldPaths.h"
#include "model/ValueJson.h"

namespace mesh::codegen {
namespace {

using json = nlohmann::ordered_json;
using model::TypeKind;

// Fixed audit stamps: a build is deterministic, so no clock reaches it.
const char* kActor = "urn:li:corpuser:meshc";
const char* kPlatform = "urn:li:dataPlatform:kafka";
const char* kEnvironment = "PROD";
// The version of the manifest's own shape, bumped on incompatible changes.
const int kManifestFormat = 1;

std::string manifestFile(const model::Product& p) { return p.qualifiedName + ".json"; }

std::string datasetUrn(const model::Product& p) {
  return fmt::format("urn:li:dataset:({},{},{})", kPlatform, p.topic.name, kEnvironment);
}

// URN ids are user text: percent-encode what could end or split a URN
// (parentheses and commas delimit tuple URNs) or confuse a reader.
std::string urnId(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    bool plain = std::isalnum(c) || c == '.' || c == '_' || c == '-' || c == ':' || c == '=' || c >= 0x80;
    out += plain ? std::string(1, static_cast<char>(c)) : fmt::format("%{:02X}", c);
  }
  return out;
}

using model::durationText;

json seconds(int64_t micros) {
  if (micros % 1000000 == 0) return micros / 1000000;
  return static_cast<double>(micros) / 1e6;
}

// A tag argument as plain text (no quotes around strings).
std::string argumentText(const model::Value& v) {
  if (v.kind == model::Value::Kind::String) return v.s;
  json j = model::valueJson(v);
  return j.is_string() ? j.get<std::string>() : j.dump();
}

json tagsJson(const std::vector<model::TagUse>& tags) {
  json out = json::array();
  for (const auto& t : tags) {
    if (!t.tag) continue;
    json args = json::object();
    for (const auto& [name, value] : t.args) args[name] = model::valueJson(value);
    out.push_back({{"name", t.tag->qualifiedName}, {"args", args}});
  }
  return out;
}

// DataHub tags are plain names: `pii`; a tag with one argument carries its
// value (`classification:confidential`), with several each `param=value`.
std::string tagUrn(const model::TagUse& t) {
  std::string name = t.tag->name;
  if (t.args.size() == 1) {
    name += ":" + argumentText(t.args[0].second);
  } else {
    for (const auto& [param, value] : t.args) name += ":" + param + "=" + argumentText(value);
  }
  return "urn:li:tag:" + urnId(name);
}

json globalTags(const std::vector<model::TagUse>& tags) {
  json list = json::array();
  std::set<std::string> seen;
  for (const auto& t : tags) {
    if (!t.tag) continue;
    std::string urn = tagUrn(t);
    if (seen.insert(urn).second) list.push_back({{"tag", urn}});
  }
  return {{"tags", list}};
}

// `@meta` pairs as a JSON object (keys are unique on one element: E0213).
json metaJson(const std::vector<model::MetaEntry>& meta) {
  json out = json::object();
  for (const auto& m : meta) out[m.key] = m.value;
  return out;
}

json auditStamp() { return {{"time", 0}, {"actor", kActor}}; }

json proposal(const model::Product& p, const char* aspectName, json aspect) {
  return {{"entityType", "dataset"},
          {"entityUrn", datasetUrn(p)},
          {"changeType", "UPSERT"},
          {"aspectName", aspectName},
          {"aspect", {{"json", std::move(aspect)}}}};
}

// ---------------------------------------------------------------- the schema

// The type as a v2 field path names it (docs/manifest.md): the contract's own
// type names, `array` and `map` for containers, the record's name for records.
std::string pathToken(const model::Type* t) {
  if (const model::PrimitiveType* p = model::primitiveType(t->kind)) return std::string(p->name);
  switch (t->kind) {
    case TypeKind::Enum:
      return "enum";
    case TypeKind::Record:
      return t->record->name;
    case TypeKind::List:
      return "array";
    case TypeKind::Map:
      return "map";
    case TypeKind::Union:
      return "union";
    default:
      return "unknown";
  }
}

std::string pathTokens(const model::Type* t) {
  std::string out = "[type=" + pathToken(t) + "]";
  if (t->kind == TypeKind::List || t->kind == TypeKind::Map) out += "." + pathTokens(t->element);
  return out;
}

// The type as written in the contract, without the `?` (`nullable` says it).
std::string nativeType(const model::Type* t) {
  std::string s = t->str();
  if (t->optional && !s.empty() && s.back() == '?') s.pop_back();
  return s;
}

// DataHub's SchemaFieldDataType of each kind of type a field can have: one
// row per primitive type of model/Types.def (durations are ISO 8601 text on
// the wire; json is any JSON value, a union of every kind), then the others.
constexpr std::pair<TypeKind, const char*> kDataTypes[] = {
    {TypeKind::Bool, "BooleanType"},   {TypeKind::Int32, "NumberType"},    {TypeKind::Int64, "NumberType"},
    {TypeKind::Float32, "NumberType"}, {TypeKind::Float64, "NumberType"},  {TypeKind::Decimal, "NumberType"},
    {TypeKind::String, "StringType"},  {TypeKind::Bytes, "BytesType"},     {TypeKind::Timestamp, "TimeType"},
    {TypeKind::Date, "DateType"},      {TypeKind::Duration, "StringType"}, {TypeKind::Uuid, "StringType"},
    {TypeKind::Json, "UnionType"},  // any JSON value: one of null, boolean, number, string, array, object
    {TypeKind::Enum, "EnumType"},      {TypeKind::Record, "RecordType"},   {TypeKind::List, "ArrayType"},
    {TypeKind::Map, "MapType"},        {TypeKind::Union, "UnionType"},
};
static_assert(std::size(kDataTypes) == std::size(model::kPrimitiveTypes) + 5);

json dataType(const model::Type* t) {
  const char* name = "NullType";
  for (const auto& [kind, dataType] : kDataTypes)
    if (kind == t->kind) name = dataType;
  json body = json::object();
  if (t->kind == TypeKind::List) body["nestedType"] = json::array({nativeType(t->element)});
  if (t->kind == TypeKind::Map) {
    body["keyType"] = nativeType(t->key);
    body["valueType"] = nativeType(t->element);
  }
  if (t->kind == TypeKind::Union) {
    json nested = json::array();
    for (const model::Type* a : t->unionType->alternatives) nested.push_back(a->str());
    body["nestedTypes"] = nested;
  }
  return {{"type", {{std::string("com.linkedin.schema.") + name, body}}}};
}

// Walks a product's schema once, writing the manifest's fields and records
// and DataHub's SchemaFields side by side, so the two always list the same
// fields in the same order.
class SchemaWalker {
 public:
  json fields = json::array();
  json records = json::array();
  json datahubFields = json::array();

  /// The product's schema: its record, or each record of its union's cases,
  /// whose v2 paths start `[type=union].[type=CASE_RECORD]` as DataHub's
  /// converters write the members of a union; their fields name their record.
  void walkSchema(const model::Product& p) {
    if (!p.schemaUnion) return walkRoot(*p.schema, "[version=2.0].[type=" + p.schema->name + "]", nullptr);
    for (const model::Record* r : model::schemaRecords(p))
      walkRoot(*r, "[version=2.0].[type=union].[type=" + r->name + "]", r);
  }

 private:
  void walkRoot(const model::Record& root, std::string v2Root, const model::Record* caseRecord) {
    addRecord(root);
    // The v2 path of the record at each depth of the walk: a field's v2 path
    // extends its record's.
    std::vector<std::string> v2Prefixes{std::move(v2Root)};
    model::forEachFieldPath(root, [&](const model::FieldVisit& v) {
      std::string v2 = v2Prefixes[v.depth] + "." + pathTokens(v.field.type) + "." + v.field.wireName();
      addField(v, v2);
      if (caseRecord) fields.back()["case_record"] = caseRecord->qualifiedName;
      if (v.entered) {
        addRecord(*v.element->record);
        v2Prefixes.resize(v.depth + 1);
        v2Prefixes.push_back(std::move(v2));
      }
      return true;
    });
  }

  void addRecord(const model::Record& r) {
    if (!listed_.insert(&r).second) return;
    json checks = json::array();
    for (const auto& c : r.checks) checks.push_back({{"name", c.name}, {"condition", c.text}, {"description", c.doc}});
    records.push_back({{"name", r.qualifiedName},
                       {"description", r.doc},
                       {"closed", r.closed},
                       {"tags", tagsJson(r.tags)},
                       {"checks", checks}});
    if (!r.meta.empty()) records.back()["meta"] = metaJson(r.meta);
  }

  // The constraints of t's refinement types; `applies` (`element`, `key`)
  // marks those that hold for each element or key rather than the value.
  static void refinementConstraints(const model::Type* t, const char* applies, json& out) {
    for (const model::Refinement* r = t->refinement; r; r = r->base ? r->base->refinement : nullptr) {
      if (r->constraintText.empty()) continue;
      json c = {{"where", r->constraintText}, {"refinement", r->qualifiedName}};
      if (applies) c[applies] = true;
      out.push_back(c);
    }
  }

  // One field: its manifest entry and its DataHub SchemaField.
  void addField(const model::FieldVisit& v, const std::string& v2) {
    const model::Field& f = v.field;
    const model::Type* t = f.type;
    const model::Type* element = v.element;

    json constraints = json::array();
    if (!f.constraintText.empty()) constraints.push_back({{"where", f.constraintText}});
    refinementConstraints(t, nullptr, constraints);
    // Each level of lists and maps, outermost first: a refined list inside a
    // list (`list<Pair>`) has its own constraint, as its elements have.
    for (const model::Type* level = t; level->kind == TypeKind::List || level->kind == TypeKind::Map;
         level = level->element) {
      refinementConstraints(level->element, "element", constraints);
      if (level->key) refinementConstraints(level->key, "key", constraints);
    }
    json entry = {
        {"path", wirePathText(v.path)}, {"name", f.name},           {"type", t->str()},    {"optional", t->optional},
        {"constraints", constraints},   {"tags", tagsJson(f.tags)}, {"description", f.doc}};
    if (element->kind == TypeKind::Enum) {
      json members = json::array();
      for (const auto& m : element->enumType->members) members.push_back(m.name);
      entry["values"] = members;
    }
    if (f.defaultValue) entry["default"] = model::valueJson(*f.defaultValue);
    if (f.deprecated) entry["deprecated"] = *f.deprecated;
    if (f.wire) entry["wire_name"] = *f.wire;
    if (!f.meta.empty()) entry["meta"] = metaJson(f.meta);

    bool nullable = t->optional || (t->kind == TypeKind::Union && t->unionType->nullable());
    json schemaField = {{"fieldPath", v2}, {"nullable", nullable}};
    std::string description = f.doc;
    // DataHub shows a field's description only: constraints and defaults
    // go there too, on lines of their own (as its Avro source does).
    auto line = [&](const std::string& text) { description += (description.empty() ? "" : "\n") + text; };
    if (!f.constraintText.empty()) line("Constraint: " + f.constraintText);
    if (f.defaultValue) line("Default: " + model::valueJson(*f.defaultValue).dump());
    if (!description.empty()) schemaField["description"] = description;
    schemaField["type"] = dataType(t);
    schemaField["nativeDataType"] = nativeType(t);
    schemaField["recursive"] = v.recursive;
    if (!f.tags.empty()) schemaField["globalTags"] = globalTags(f.tags);
    schemaField["isPartOfKey"] = false;

    fields.push_back(std::move(entry));
    datahubFields.push_back(std::move(schemaField));
  }

  std::set<const model::Record*> listed_;
};

// ---------------------------------------------------------------- one product

class ProductManifest {
 public:
  ProductManifest(const GeneratorContext& ctx, const model::Product& p) : ctx_(ctx), p_(p) {}

  json build() {
    json m;
    m["$comment"] = ctx_.stamp("", ctx_.sourcesOf(p_.package));
    m["manifest_format"] = kManifestFormat;
    m["name"] = p_.name;
    m["qualified_name"] = p_.qualifiedName;
    m["package"] = p_.package;
    m["description"] = p_.doc;
    m["version"] = p_.version;
    if (p_.deprecated) m["deprecated"] = *p_.deprecated;
    m["tags"] = tagsJson(p_.tags);
    if (!p_.meta.empty()) m["meta"] = metaJson(p_.meta);
    m["domain"] = domain();
    m["topic"] = topic();
    walker_.walkSchema(p_);
    m["schema"] = schema();
    m["sla"] = sla();
    m["quality"] = quality();
    m["access"] = access();
    m["retention"] = p_.retentionMicros ? json(durationText(*p_.retentionMicros)) : json();
    m["retention_seconds"] = p_.retentionMicros ? seconds(*p_.retentionMicros) : json();
    m["compatibility"] = compatibilityText(p_.compatibility);
    m["upstream"] = upstream();
    m["policies"] = policies();
    m["datahub"] = datahub();
    return m;
  }

 private:
  json domain() {
    const model::Domain* d = p_.domain;
    if (!d) return nullptr;
    json properties = json::object();
    for (const auto& [k, v] : d->properties) properties[k] = v;
    // A contact, partitions or replication the contract does not declare is
    // null, as every value it does not give (the shape stays fixed): not "",
    // not the broker's default.
    return {{"name", d->name},       {"qualified_name", d->qualifiedName},
            {"owner", d->owner},     {"contact", d->contact.empty() ? json() : json(d->contact)},
            {"description", d->doc}, {"properties", properties}};
  }

  // A record schema names its record; a union schema has `record` null and
  // names the union, its discriminator and its cases instead.
  json schema() {
    json out = {{"record", p_.schema ? json(p_.schema->qualifiedName) : json()}};
    if (const model::Union* u = p_.schemaUnion) {
      json cases = json::array();
      for (const model::UnionCase& c : u->cases)
        cases.push_back({{"value", c.value}, {"record", c.record->qualifiedName}});
      out["union"] = u->qualifiedName;
      out["discriminator"] = u->discriminator;
      out["cases"] = cases;
    }
    out["fingerprint"] = schemaFingerprint(p_);
    out["fields"] = walker_.fields;
    out["records"] = walker_.records;
    return out;
  }

  json topic() {
    const model::Topic& t = p_.topic;
    auto declared = [](const SourceRange& at, int64_t value) { return at.valid() ? json(value) : json(); };
    return {{"name", t.name},
            {"key", t.key ? json(t.key->text) : json()},
            {"partitions", declared(p_.settingRanges.partitions, t.partitions)},
            {"replication", declared(p_.settingRanges.replication, t.replication)},
            {"format", t.format},
            {"dataset_urn", datasetUrn(p_)}};
  }

  json sla() {
    const model::Sla& s = p_.sla;
    json out = json::object();
    out["freshness"] = s.freshnessMicros ? json(durationText(*s.freshnessMicros)) : json();
    out["freshness_seconds"] = s.freshnessMicros ? seconds(*s.freshnessMicros) : json();
    out["availability_percent"] = s.availabilityPercent ? json(*s.availabilityPercent) : json();
    out["throughput"] = s.throughputPerSecond ? json(s.throughputText) : json();
    out["throughput_per_second"] = s.throughputPerSecond ? json(*s.throughputPerSecond) : json();
    if (s.latencyMicros)
      out["latency"] = {{"percentile", s.latencyPercentile.value_or("")},
                        {"max", durationText(*s.latencyMicros)},
                        {"max_seconds", seconds(*s.latencyMicros)}};
    else
      out["latency"] = nullptr;
    return out;
  }

  json quality() {
    json out = json::array();
    for (const auto& q : p_.quality) {
      json rule = {
          {"rule", q.text}, {"kind", qualityKindName(q.kind)}, {"field", q.field ? json(q.field->text) : json()}};
      if (q.kind != model::QualityRule::Kind::Unique) {
        rule["op"] = compareText(q.op);
        rule["threshold"] = q.threshold;
        if (q.kind != model::QualityRule::Kind::Volume) rule["unit"] = "percent";
      }
      if (q.windowMicros > 0) {
        rule["window"] = durationText(q.windowMicros);
        rule["window_seconds"] = seconds(q.windowMicros);
      }
      out.push_back(rule);
    }
    return out;
  }

  static json roleNames(const std::vector<const model::Role*>& roles) {
    json out = json::array();
    for (const model::Role* r : roles)
      if (r) out.push_back(r->qualifiedName);
    return out;
  }

  json access() {
    json masks = json::array();
    for (const auto& m : p_.masks)
      masks.push_back({{"field", m.field.text}, {"roles", roleNames(m.roles)}, {"method", maskText(m)}});
    return {{"readers", roleNames(p_.readers)}, {"writers", roleNames(p_.writers)}, {"masks", masks}};
  }

  json upstream() {
    json out = json::array();
    for (const model::Product* u : p_.upstream) {
      if (!u) continue;
      out.push_back({{"product", u->qualifiedName},
                     {"domain", u->domain ? json(u->domain->qualifiedName) : json()},
                     {"topic", u->topic.name},
                     {"dataset_urn", datasetUrn(*u)}});
    }
    return out;
  }

  json policies() {
    json out = json::array();
    for (const model::PolicyOutcome* outcome : ctx_.policyOutcomesOf(p_)) {
      const auto& o = *outcome;
      if (!o.policy) continue;
      json entry = {{"policy", o.policy->qualifiedName},
                    {"severity", policySeverityText(o.policy->severity)},
                    {"outcome", policyStatus(o.status)}};
      if (o.status == model::PolicyStatus::Waived) {
        entry["waived_until"] = o.waivedUntil;
        for (const auto& w : ctx_.build.waivers)
          if (w.policy == o.policy && w.product == &p_) entry["waiver_reason"] = w.reason;
      }
      if (!o.messages.empty()) entry["messages"] = o.messages;
      out.push_back(entry);
    }
    return out;
  }

  // ------------------------------------------------------------ DataHub

  json datahub() {
    json out = json::array();
    out.push_back(proposal(p_, "datasetProperties", datasetProperties()));
    out.push_back(proposal(p_, "schemaMetadata", schemaMetadata()));
    if (p_.domain && !p_.domain->owner.empty()) out.push_back(proposal(p_, "ownership", ownership()));
    // Only aspects with content: an UPSERT of an empty list would erase what
    // DataHub users or other sources attached (docs/manifest.md).
    if (!p_.tags.empty()) out.push_back(proposal(p_, "globalTags", globalTags(p_.tags)));
    if (!p_.upstream.empty()) out.push_back(proposal(p_, "upstreamLineage", upstreamLineage()));
    return out;
  }

  json datasetProperties() {
    json custom = json::object();
    // The product's @meta pairs as they are; meshc's own keys (`mesh.`) win.
    for (const auto& m : p_.meta) custom[m.key] = m.value;
    auto put = [&](const std::string& key, const std::string& value) { custom["mesh." + key] = value; };
    put("contract", p_.qualifiedName);
    put("version", p_.version);
    if (p_.domain) {
      put("domain", p_.domain->qualifiedName);
      put("owner", p_.domain->owner);
      if (!p_.domain->contact.empty()) put("contact", p_.domain->contact);
    }
    put("schema", model::schemaName(p_));
    put("schema_fingerprint", schemaFingerprint(p_));
    if (p_.topic.key) put("topic.key", p_.topic.key->text);
    if (p_.settingRanges.partitions.valid()) put("topic.partitions", std::to_string(p_.topic.partitions));
    if (p_.settingRanges.replication.valid()) put("topic.replication", std::to_string(p_.topic.replication));
    put("topic.format", p_.topic.format);
    const model::Sla& s = p_.sla;
    if (s.freshnessMicros) put("sla.freshness", durationText(*s.freshnessMicros));
    if (s.availabilityPercent) put("sla.availability", json(*s.availabilityPercent).dump() + "%");
    if (s.throughputPerSecond) put("sla.throughput", s.throughputText);
    if (s.latencyMicros) put("sla.latency", s.latencyPercentile.value_or("") + " " + durationText(*s.latencyMicros));
    for (size_t i = 0; i < p_.quality.size(); ++i) put(fmt::format("quality.{}", i + 1), p_.quality[i].text);
    std::string readers, writers;
    for (const model::Role* r : p_.readers) readers += (readers.empty() ? "" : ", ") + r->qualifiedName;
    for (const model::Role* r : p_.writers) writers += (writers.empty() ? "" : ", ") + r->qualifiedName;
    if (!readers.empty()) put("access.readers", readers);
    if (!writers.empty()) put("access.writers", writers);
    for (const auto& m : p_.masks) {
      std::string roles;
      for (const model::Role* r : m.roles) roles += (roles.empty() ? "" : ", ") + r->qualifiedName;
      put("mask." + m.field.text, maskText(m) + " for " + roles);
    }
    if (p_.retentionMicros) put("retention", durationText(*p_.retentionMicros));
    put("compatibility", compatibilityText(p_.compatibility));
    if (p_.deprecated) put("deprecated", *p_.deprecated);
    json props = {{"name", p_.name}, {"qualifiedName", p_.qualifiedName}};
    if (!p_.doc.empty()) props["description"] = p_.doc;
    props["customProperties"] = custom;
    props["tags"] = json::array();
    return props;
  }

  json schemaMetadata() {
    json platformSchema = {
        {"com.linkedin.schema.KafkaSchema",
         {{"documentSchema", productJsonSchema(ctx_, p_, RecordRefs::Bundled)}, {"documentSchemaType", "JSON"}}}};
    return {{"schemaName", model::schemaName(p_)},
            {"platform", kPlatform},
            {"version", 0},
            {"created", auditStamp()},
            {"lastModified", auditStamp()},
            {"hash", schemaFingerprint(p_)},
            {"platformSchema", platformSchema},
            {"fields", walker_.datahubFields}};
  }

  json ownership() {
    json owner = {{"owner", "urn:li:corpGroup:" + urnId(p_.domain->owner)},
                  {"type", "TECHNICAL_OWNER"},
                  {"typeUrn", "urn:li:ownershipType:__system__technical_owner"}};
    return {{"owners", json::array({owner})}, {"lastModified", auditStamp()}};
  }

  json upstreamLineage() {
    json upstreams = json::array();
    for (const model::Product* u : p_.upstream) {
      if (!u) continue;
      // The same schema on both sides is a copy (a re-published or masked
      // stream); anything else derives new events from the upstream's.
      bool same = u->schema == p_.schema && u->schemaUnion == p_.schemaUnion;
      const char* type = same ? "COPY" : "TRANSFORMED";
      upstreams.push_back({{"auditStamp", auditStamp()}, {"dataset", datasetUrn(*u)}, {"type", type}});
    }
    return {{"upstreams", upstreams}};
  }

  const GeneratorContext& ctx_;
  const model::Product& p_;
  SchemaWalker walker_;
};

json catalog(const GeneratorContext& ctx, const std::vector<const model::Product*>& products) {
  json c;
  c["$comment"] = ctx.stamp("", ctx.inputSources());
  c["manifest_format"] = kManifestFormat;
  json list = json::array();
  for (const model::Product* p : products)
    list.push_back({{"name", p->qualifiedName},
                    {"domain", p->domain ? json(p->domain->qualifiedName) : json()},
                    {"owner", p->domain ? json(p->domain->owner) : json()},
                    {"version", p->version},
                    {"topic", p->topic.name},
                    {"dataset_urn", datasetUrn(*p)},
                    {"manifest", manifestFile(*p)}});
  c["products"] = list;

  lineage::LineageGraph graph = lineage::lineageGraph(ctx.build);
  json nodes = json::array();
  for (const auto& n : graph.nodes)
    nodes.push_back({{"product", n.product->qualifiedName},
                     {"domain", n.product->domain ? json(n.product->domain->qualifiedName) : json()},
                     {"topic", n.product->topic.name},
                     {"external", n.external}});
  json edges = json::array();
  for (const auto& [from, to] : graph.edges)
    edges.push_back({{"upstream", from->qualifiedName}, {"downstream", to->qualifiedName}});
  c["lineage"] = {{"nodes", nodes}, {"edges", edges}};
  return c;
}

std::string text(const json& j) { return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n"; }

}  // namespace

void generateManifest(const GeneratorContext& ctx, OutputTree& out, DiagnosticEngine&) {
  std::set<std::string> inputs(ctx.inputPackages().begin(), ctx.inputPackages().end());
  std::vector<const model::Product*> products;
  for (const auto& p : ctx.build.products)
    if (inputs.count(p->package) && (p->schema || p->schemaUnion)) products.push_back(p.get());
  // The catalog first (the largest), then one product's manifest per task.
  parallelFor(products.size() + 1, ctx.jobs, [&](size_t i) {
    if (i == 0)
      out.add("manifest/catalog.json", text(catalog(ctx, products)));
    else
      out.add("manifest/" + manifestFile(*products[i - 1]), text(ProductManifest(ctx, *products[i - 1]).build()));
  });
}

}  // namespace mesh::codegen
