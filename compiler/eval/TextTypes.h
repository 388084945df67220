// TextTypes: the primitive types whose JSON value is a string of a format
// (bytes, timestamp, date, duration, uuid), each stated once for the
// evaluator: the value kind it is held as, what `meshc validate` says when
// the string is not of the format, how it is read (the runtime's own
// parser, as in the generated code) and how a policy message shows it.
// Comparison and equality need nothing per type: a value is held in `i` or
// `s` of RValue (Expr.h).
#pragma once

#include <string>
#include <string_view>

#include "eval/Expr.h"
#include "model/Model.h"

namespace mesh::eval {

struct TextType {
  model::TypeKind type;
  RValue::Kind kind;
  const char* expected;  // the word of a `type` violation: "a timestamp string"
  const char* invalid;   // the `format` violation: "not a valid timestamp"
  /// The runtime's parser: stores the value read in `out` (`i` or `s`),
  /// false when `text` is not of the format.
  bool (*parse)(std::string_view text, RValue& out);
  /// The value in a policy message.
  std::string (*show)(const RValue& v);
};

/// The row of a type or of a value kind; null when it is not a text type.
const TextType* textType(model::TypeKind type);
const TextType* textType(RValue::Kind kind);

/// A value of text type `t` read from `text`; empty (0 or "") when `text`
/// is not of the format.
RValue textValue(const TextType& t, std::string_view text);

}  // namespace mesh::eval
