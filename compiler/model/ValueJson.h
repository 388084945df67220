// ValueJson: a constant of the checked model (a default, a literal of a
// constraint, a tag argument) as JSON, in the form a message carries it, so
// the JSON Schema and the manifest state a value the same way, the way
// `meshc validate` and the generated readers read it back, and the checker
// validates a default in that form (compilation/Defaults.cpp).
#pragma once

#include <nlohmann/json.hpp>

#include "model/Model.h"

namespace mesh::model {

/// The value as a JSON message writes it: a bool, a number (a decimal's as
/// the nearest double), a string for text, a date (`2027-03-31`) and the
/// strings of timestamps, uuids and bytes (kept as the contract wrote them,
/// in their wire form), a duration as ISO 8601 text as the generated writers
/// write it (meshrt::formatIsoDuration: `PT2H`, which the readers accept; a
/// negative one, `-PT5M`, no reader takes), an enum member by name, a role or
/// a tag by qualified name, a list as an array and a map as an object (in
/// the order written); null for null or a value the checker left unresolved.
nlohmann::ordered_json valueJson(const Value& v);

/// The same for a value of `type` (a default of a field of that type), with
/// every decimal in it as its exact text, a string a decimal field accepts
/// as well as a number: what the checker validates a default as, so no digit
/// is rounded away.
nlohmann::ordered_json valueJson(const Value& v, const Type& type);

}  // namespace mesh::model
