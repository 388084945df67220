// AvroRules: what the registry knows of Avro, from meshrt's schema library
// (meshrt/avro_schema.h): a schema's identity is its Parsing Canonical
// Form, and compatibility is Avro's schema resolution.
#include "meshrt/avro_schema.h"
#include "registry/Registry.h"

namespace mesh::devkafka {

SchemaRules avroRules() {
  SchemaRules rules;
  rules.canonical = [](const std::string& text, std::string& error) {
    auto schema = meshrt::avro::parse(text);
    if (!schema) {
      error = schema.error;
      return std::string();
    }
    return meshrt::avro::canonicalForm(*schema);
  };
  rules.incompatibilities = [](const std::string& reader, const std::string& writer) {
    auto r = meshrt::avro::parse(reader);
    auto w = meshrt::avro::parse(writer);
    std::vector<std::string> out;
    if (!r || !w) return std::vector<std::string>{"unreadable schema: " + (r ? w.error : r.error)};
    meshrt::avro::CompatibilityResult result = meshrt::avro::compatibility(*r, *w);
    for (const auto& i : result.incompatibilities)
      out.push_back(std::string(meshrt::avro::incompatibilityName(i.type)) + " at " + i.location + ": " + i.message);
    if (!result.error.empty()) out.push_back(result.error);
    if (!result.compatible && out.empty()) out.push_back("incompatible");
    return out;
  };
  return rules;
}

}  // namespace mesh::devkafka
