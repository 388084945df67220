// Producers and consumers: per product with a topic, a class that validates
// and publishes its messages and one that reads and validates them.
#include "codegen/cpp/CppGen.h"

namespace mesh::codegen::cpp {
namespace {

/// The topic key field (`fields`, a path from `var`) as the text of a Kafka key.
std::string keyText(const std::vector<const model::Field*>& fields, const std::string& var) {
  std::string path = var;
  for (const model::Field* f : fields) path += "." + ident(f->name);
  const model::Type* t = fields.back()->type;
  if (const CppScalar* s = cppScalar(t->kind)) return code(s->key, {{"v", path}});
  if (t->kind == TypeKind::Enum)
    return code("std::string(::$ns$::to_string($v$))", {{"ns", cppNamespace(t->enumType->package)}, {"v", path}});
  return "std::string()";
}

/// The statements that set `key`, the Kafka key of `message`: the topic
/// key field as text (of the held record, for a union schema, where every
/// case has it: E0412).
std::string keyStatements(const model::Product& p) {
  if (!p.topic.key) return "const std::string& key = std::string();\n";
  if (!p.schemaUnion)
    return code("const std::string& key = $key$;\n", {{"key", keyText(p.topic.key->fields, "message")}});
  std::string cases = forEachSchemaRecord(p, "message", false, [&](const std::string& v, const model::Record& r) {
    std::vector<const model::Field*> fields = fieldsIn(r, *p.topic.key);
    return fields.empty() ? std::string() : code("key = $key$;\n", {{"key", keyText(fields, v)}});
  });
  return "std::string key;\n" + cases;
}

}  // namespace

std::string clientDeclarations(const model::Product& product) {
  Printer p;
  p.printBlock(comment(product.doc.empty() ? product.qualifiedName : product.doc));
  auto [producer, consumer] = clientClasses(product);
  p.print(
      "/// Publishes to $topicName$: validates (an invalid message is never sent), serializes,\n"
      "/// keys by the topic key and adds the mesh-contract, mesh-version and mesh-schema headers.\n"
      "/// One thread at a time per object (objects on other threads can share the KafkaProducer).\n"
      "class $P$ {\n"
      " public:\n"
      "  static constexpr const char* kTopic = $topic$;\n"
      "  static constexpr const char* kContract = $contract$;\n"
      "  static constexpr const char* kVersion = $version$;\n"
      "  static constexpr const char* kSchema = $schema$;\n"
      "  /// Publishes to `topic` (the contract's by default; another for a test or an environment).\n"
      "  explicit $P$(::meshrt::KafkaProducer& producer, std::string topic = kTopic)\n"
      "      : producer_(producer),\n"
      "        topic_(std::move(topic)),\n"
      "        headers_{{::meshrt::kContractHeader, kContract},\n"
      "                 {::meshrt::kVersionHeader, kVersion},\n"
      "                 {::meshrt::kSchemaHeader, kSchema}} {}\n"
      "  /// True when enqueued; false with the violations appended (nothing sent), or with `error`\n"
      "  /// set when the Kafka client refused the message.\n"
      "  bool publish(const $R$& message, std::vector<::meshrt::Violation>& violations, std::string* error = "
      "nullptr);\n"
      "  uint64_t published() const { return published_; }\n"
      "  uint64_t rejected() const { return rejected_; }\n"
      "\n"
      " private:\n"
      "  ::meshrt::KafkaProducer& producer_;\n"
      "  std::string topic_;\n"
      "  const ::meshrt::KafkaProducer::Headers headers_;\n"
      "  ::meshrt::JsonWriter buffer_;  // the serialized message, reused (the client copies it)\n"
      "  uint64_t published_ = 0, rejected_ = 0;\n"
      "};\n"
      "\n"
      "/// Reads $topicName$ (or another topic carrying the product, such as a gate's masked\n"
      "/// output) as a member of a consumer group: each message parsed and validated against the\n"
      "/// contract. Offsets are committed by commit(), for what poll() returned (at-least-once).\n"
      "class $C$ {\n"
      " public:\n"
      "  static constexpr const char* kTopic = $topic$;\n"
      "  static constexpr const char* kContract = $contract$;\n"
      "  static constexpr const char* kSchema = $schema$;\n"
      "  struct Message {\n"
      "    $R$ value;  // as parsed: meaningful when valid()\n"
      "    std::vector<::meshrt::Violation> violations;\n"
      "    ::meshrt::KafkaMessage raw;  // topic, partition, offset, timestamp, key, value, headers\n"
      "    bool valid() const { return violations.empty(); }\n"
      "  };\n"
      "  /// Joins `group` on `topic`; `config` adds librdkafka properties. Throws std::runtime_error\n"
      "  /// when the client cannot be made.\n"
      "  $C$(const std::string& bootstrap, const std::string& group, const std::string& topic = kTopic,\n"
      "      const std::map<std::string, std::string>& config = {})\n"
      "      : consumer_(bootstrap, group, {topic}, config) {}\n"
      "  /// The next message, parsed and validated: false when none arrived within `timeoutMs` (or a\n"
      "  /// consumer error, described in `error`). An invalid message comes back with its violations\n"
      "  /// (and is counted): skipping or dead-lettering it is the caller's choice.\n"
      "  bool poll(Message& out, int timeoutMs = 1000, std::string* error = nullptr);\n"
      "  bool commit(std::string* error = nullptr) { return consumer_.commit(error); }\n"
      "  void close() { consumer_.close(); }\n"
      "  uint64_t received() const { return received_; }\n"
      "  uint64_t invalid() const { return invalid_; }\n"
      "\n"
      " private:\n"
      "  ::meshrt::KafkaConsumer consumer_;\n"
      "  uint64_t received_ = 0, invalid_ = 0;\n"
      "};\n"
      "\n",
      {{"topicName", product.topic.name},
       {"P", producer},
       {"C", consumer},
       {"topic", cppString(product.topic.name)},
       {"contract", cppString(product.qualifiedName)},
       {"version", cppString(product.version)},
       {"schema", cppString(schemaFingerprint(product))},
       {"R", schemaType(product)}});
  return p.take();
}

std::string clientDefinitions(const model::Product& p) {
  auto [producer, consumer] = clientClasses(p);
  Printer out;
  out.print(
      "bool $P$::publish(const $R$& message, std::vector<::meshrt::Violation>& violations, std::string* error) {\n"
      "  if (!validate(message, violations)) {\n"
      "    ++rejected_;\n"
      "    return false;\n"
      "  }\n"
      "  buffer_.clear();\n"
      "  $detail$::write(buffer_, message);\n",
      {{"P", producer}, {"R", schemaType(p)}, {"detail", schemaDetail(p)}});
  {
    Printer::Indent in(out);
    out.printBlock(keyStatements(p));
  }
  out.print(
      "  std::string failure;\n"
      "  if (!producer_.produce(topic_, key, buffer_.view(), headers_, failure)) {\n"
      "    if (error) *error = failure;\n"
      "    return false;\n"
      "  }\n"
      "  ++published_;\n"
      "  return true;\n"
      "}\n"
      "\n"
      "bool $C$::poll(Message& out, int timeoutMs, std::string* error) {\n"
      "  if (!consumer_.poll(out.raw, timeoutMs, error)) return false;\n"
      "  ++received_;\n"
      "  out.violations.clear();\n"
      "  if (!parse(out.raw.value, out.value, out.violations)) ++invalid_;\n"
      "  return true;\n"
      "}\n"
      "\n",
      {{"C", consumer}});
  return out.take();
}

}  // namespace mesh::codegen::cpp
