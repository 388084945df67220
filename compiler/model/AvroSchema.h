// AvroSchema: the Avro form of the contracts' types (toolchain.md section
// 4, docs/avro.md), stated once for every part of meshc that speaks Avro:
// the checker refuses a `format avro` product without one, the `avro`
// target writes it as `.avsc` files, and what registers or reads Avro (the
// schema registry commands, the generated codecs) uses the same schema,
// byte for byte.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "model/Model.h"

namespace mesh::model::avro {

using json = nlohmann::ordered_json;

/// A field whose type has no Avro form: a union two of whose alternatives
/// are one Avro type (`int64 | timestamp`: both are `long`).
struct Refusal {
  const model::Field* field;
  std::string message;
};

/// An Avro schema and what could not be written.
struct Schema {
  json value;
  std::vector<Refusal> refusals;
};

/// Avro's rule for names (and each part of a namespace): [A-Za-z_][A-Za-z0-9_]*.
bool isAvroName(std::string_view name);

/// The schema of a record: a record schema, with every record and enum it
/// reaches defined where first used and named by full name after.
Schema recordSchema(const model::Record& record);
/// The schema of a tagged union: a union of its cases' records.
Schema unionSchema(const model::Union& u);
/// The schema of a product's value: its record's or its union's.
Schema productSchema(const model::Product& product);

/// The schema as the `.avsc` file and the registry hold it: two-space
/// indented JSON, without a final newline.
std::string text(const json& schema);

}  // namespace mesh::model::avro
