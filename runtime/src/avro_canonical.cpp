// avro_canonical.cpp: the Parsing Canonical Form of a schema and its 64-bit
// Rabin fingerprint (the Avro specification, "Parsing Canonical Form for
// Schemas" and "Schema Fingerprints").
//
// The form is written from the parsed tree, so [PRIMITIVES], [FULLNAMES],
// [STRIP] and [ORDER] follow from what the tree keeps and the order it is
// written in; [STRINGS], [INTEGERS] and [WHITESPACE] from writing names (only
// [A-Za-z0-9_.], nothing to escape) and the size as plain text. A named type
// is defined where the depth-first walk first meets it and named after that.
#include <unordered_set>

#include "meshrt/avro_schema.h"

namespace meshrt::avro {

namespace {

void quote(std::string& out, std::string_view name) {
  out += '"';
  out += name;
  out += '"';
}

// Recursion follows the definitions' nesting, at most kMaxSchemaDepth deep
// (a reference to a named type written earlier is only its name).
void write(std::string& out, const Node& node, std::unordered_set<const Node*>& defined) {
  if (node.named() && !defined.insert(&node).second) return quote(out, node.fullName);
  switch (node.type) {
    case Type::Record:
      out += "{\"name\":";
      quote(out, node.fullName);
      out += ",\"type\":\"record\",\"fields\":[";
      for (size_t i = 0; i < node.fields.size(); ++i) {
        out += i ? ",{\"name\":" : "{\"name\":";
        quote(out, node.fields[i].name);
        out += ",\"type\":";
        write(out, *node.fields[i].type, defined);
        out += '}';
      }
      out += "]}";
      return;
    case Type::Enum:
      out += "{\"name\":";
      quote(out, node.fullName);
      out += ",\"type\":\"enum\",\"symbols\":[";
      for (size_t i = 0; i < node.symbols.size(); ++i) {
        if (i) out += ',';
        quote(out, node.symbols[i]);
      }
      out += "]}";
      return;
    case Type::Fixed:
      out += "{\"name\":";
      quote(out, node.fullName);
      out += ",\"type\":\"fixed\",\"size\":" + std::to_string(node.size) + "}";
      return;
    case Type::Array:
    case Type::Map:
      out += node.type == Type::Array ? "{\"type\":\"array\",\"items\":" : "{\"type\":\"map\",\"values\":";
      write(out, *node.items, defined);
      out += '}';
      return;
    case Type::Union:
      out += '[';
      for (size_t i = 0; i < node.branches.size(); ++i) {
        if (i) out += ',';
        write(out, *node.branches[i], defined);
      }
      out += ']';
      return;
    default:
      return quote(out, typeName(node.type));  // [PRIMITIVES]: logical types too
  }
}

// The spec's FP_TABLE: the CRC of each byte under the polynomial EMPTY.
struct FingerprintTable {
  static constexpr uint64_t kEmpty = 0xc15d213aa4d7a795ULL;
  uint64_t entries[256];
  FingerprintTable() {
    for (uint64_t i = 0; i < 256; ++i) {
      uint64_t fp = i;
      for (int j = 0; j < 8; ++j) fp = (fp >> 1) ^ (kEmpty & (0 - (fp & 1)));
      entries[i] = fp;
    }
  }
};

}  // namespace

std::string canonicalForm(const Schema& schema) {
  std::string out;
  std::unordered_set<const Node*> defined;
  write(out, schema.root(), defined);
  return out;
}

uint64_t fingerprint64(std::string_view bytes) {
  static const FingerprintTable table;
  uint64_t fp = FingerprintTable::kEmpty;
  for (char c : bytes) fp = (fp >> 8) ^ table.entries[(fp ^ static_cast<unsigned char>(c)) & 0xff];
  return fp;
}

}  // namespace meshrt::avro
