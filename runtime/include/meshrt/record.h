// meshrt/record.h: the public API of a generated record, written once. Each
// record's parse(), validate() and to_json() in generated code is one call
// of these templates with the record's own reader, validator or writer (from
// its package's mesh_detail) as a template argument: a direct call the
// compiler inlines, as fast as the function written out per record.
// C++17: generated code includes this header.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "meshrt/json_read.h"
#include "meshrt/json_write.h"
#include "meshrt/messages.h"
#include "meshrt/report.h"

namespace meshrt {

/// Parses one JSON message into `out` and validates it with `Read`;
/// appends every violation in document order and returns whether there was
/// none. Text that is not JSON is one violation at `$` (whatever the reader
/// found before the syntax error is dropped).
template <class T, bool (*Read)(JsonValue&, T&, Sink&)>
bool parseRecord(std::string_view json, T& out, std::vector<Violation>& violations, int64_t nowMicros) {
  size_t first = violations.size();
  Sink sink(&violations, nowMicros);
  try {
    JsonDocument doc(json);
    // A message is an object: `null` there is a value of the wrong kind.
    if (doc.isScalar())
      sink.add(Rule::Type, msg::expected(msg::word::kObject, kindName(doc.scalarKind())));
    else
      Read(doc.root(), out, sink);
    doc.finish();
  } catch (const JsonSyntaxError&) {
    violations.resize(first);
    violations.push_back({"$", Rule::Parse, msg::kNotJson});
  }
  return violations.size() == first;
}

/// Validates a struct built in memory with `Validate`: every `where` and
/// `check` (its types hold by construction).
template <class T, void (*Validate)(const T&, Sink&)>
bool validateStruct(const T& value, std::vector<Violation>& violations, int64_t nowMicros) {
  size_t first = violations.size();
  Sink sink(&violations, nowMicros);
  Validate(value, sink);
  return violations.size() == first;
}

/// The JSON text `Write` makes of a struct.
template <class T, void (*Write)(JsonWriter&, const T&)>
std::string recordJson(const T& value) {
  thread_local JsonWriter out;  // its buffer reused: one allocation per call
  out.clear();
  Write(out, value);
  return out.str();
}

}  // namespace meshrt
