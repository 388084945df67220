// avro_compat: meshrt's Avro schema library on JSON lines, for
// tests/avro/compat_test.py to compare with python3-avro.
//
// Each input line is an object holding schema texts (strings):
//   {"schema": TEXT}            -> {"ok": true, "canonical": ..., "fingerprint": "<unsigned decimal>"}
//   {"reader": TEXT, "writer": TEXT}
//                               -> {"ok": true, "verdict": "COMPATIBLE" | "INCOMPATIBLE",
//                                   "incompatibilities": [{"type", "message", "location"}], "error": ...}
// A schema that does not parse gives {"ok": false, "error": ...}.
#include <simdjson.h>

#include <iostream>
#include <string>

#include "meshrt/avro_schema.h"
#include "meshrt/report.h"

namespace avro = meshrt::avro;

namespace {

void member(std::string& out, std::string_view key, std::string_view value) {
  if (out.back() != '{') out += ',';
  meshrt::appendJsonString(out, key);
  out += ':';
  meshrt::appendJsonString(out, value);
}

std::string describeSchema(std::string_view text) {
  std::string out = "{";
  auto schema = avro::parse(text);
  if (!schema) {
    out += "\"ok\":false";
    member(out, "error", schema.error);
    return out + "}";
  }
  out += "\"ok\":true";
  member(out, "canonical", avro::canonicalForm(*schema));
  member(out, "fingerprint", std::to_string(avro::fingerprint64(*schema)));
  return out + "}";
}

std::string describePair(std::string_view readerText, std::string_view writerText) {
  std::string out = "{";
  auto reader = avro::parse(readerText);
  auto writer = avro::parse(writerText);
  if (!reader || !writer) {
    out += "\"ok\":false";
    member(out, "error", !reader ? "reader: " + reader.error : "writer: " + writer.error);
    return out + "}";
  }
  avro::CompatibilityResult result = avro::compatibility(*reader, *writer);
  out += "\"ok\":true";
  member(out, "verdict", result.compatible ? "COMPATIBLE" : "INCOMPATIBLE");
  member(out, "error", result.error);
  out += ",\"incompatibilities\":[";
  for (size_t i = 0; i < result.incompatibilities.size(); ++i) {
    const avro::Incompatibility& inc = result.incompatibilities[i];
    out += i ? ",{" : "{";
    member(out, "type", avro::incompatibilityName(inc.type));
    member(out, "message", inc.message);
    member(out, "location", inc.location);
    out += '}';
  }
  return out + "]}";
}

}  // namespace

int main() {
  simdjson::dom::parser parser;
  std::string line;
  while (std::getline(std::cin, line)) {
    simdjson::dom::element doc;
    std::string_view schema, reader, writer;
    if (parser.parse(line).get(doc)) {
      std::cerr << "avro_compat: an input line is not JSON\n";
      return 2;
    }
    if (doc["schema"].get(schema) == simdjson::SUCCESS) {
      std::cout << describeSchema(schema) << '\n';
    } else if (doc["reader"].get(reader) == simdjson::SUCCESS && doc["writer"].get(writer) == simdjson::SUCCESS) {
      std::cout << describePair(reader, writer) << '\n';
    } else {
      std::cerr << "avro_compat: a line needs \"schema\", or \"reader\" and \"writer\"\n";
      return 2;
    }
  }
  return 0;
}
