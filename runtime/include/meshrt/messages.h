// messages.h: the text of every violation a reader reports, stated once.
// meshc's reference evaluator (compiler/eval), the runtime's readers and the
// generated validators all build their messages here, so `meshc validate`
// and `mesh-validate` agree byte for byte by construction, not by care.
// C++17: generated code includes it.
#pragma once

#include <string>
#include <string_view>

#include "meshrt/formats.h"

namespace meshrt::msg {

inline constexpr const char* kNotJson = "not valid JSON";
inline constexpr const char* kDuplicateKey = "duplicate key";
inline constexpr const char* kRequired = "is required";
inline constexpr const char* kNull = "must not be null";
inline constexpr const char* kFraction = "expected an integer, found a number with a fraction or exponent";
inline constexpr const char* kNotDecimal = "not a decimal number";
// The types written as text (timestamp, uuid, bytes...) have their words
// with their formats in formats.h: TextFormat<T>::kWord, kNotA.

/// The words of expected(): what a JSON value is (kindName()), and what a
/// reader of each type wants.
namespace word {
inline constexpr const char* kNull = "null";
inline constexpr const char* kBoolean = "a boolean";
inline constexpr const char* kNumber = "a number";
inline constexpr const char* kString = "a string";
inline constexpr const char* kArray = "an array";
inline constexpr const char* kObject = "an object";
inline constexpr const char* kValue = "a value";  // a kind no reader knows (never seen in practice)
inline constexpr const char* kInteger = "an integer";
inline constexpr const char* kDecimal = "a number or a decimal string";
/// The word of each kind of JSON value, in the order of meshrt::JsonKind
/// (and of the reference evaluator's JValue::Kind): null, boolean, number,
/// string, array, object.
inline constexpr const char* kKindWords[] = {kNull, kBoolean, kNumber, kString, kArray, kObject};
}  // namespace word

/// "expected an object, found a string": `what` and `found` as kindName() words.
inline std::string expected(std::string_view what, std::string_view found) {
  std::string s = "expected ";
  s.append(what).append(", found ").append(found);
  return s;
}
/// "out of range for int32" (`type` as the contract spells it).
inline std::string outOfRange(std::string_view type) { return std::string("out of range for ").append(type); }
/// "out of range for decimal(12, 2)".
inline std::string outOfRangeDecimal(int precision, int scale) {
  return "out of range for decimal(" + std::to_string(precision) + ", " + std::to_string(scale) + ")";
}
/// "not a member of Status".
inline std::string notMember(std::string_view enumName) { return std::string("not a member of ").append(enumName); }
/// A union's value of no alternative's kind: "expected one of int64 | timestamp,
/// found a boolean" (`alternatives` as the contract spells the union).
inline std::string expectedOneOf(std::string_view alternatives, std::string_view found) {
  std::string s = "expected one of ";
  s.append(alternatives).append(", found ").append(found);
  return s;
}
/// A tagged union's discriminator naming no case: "not a case of StarEvent".
inline std::string notCase(std::string_view unionName) { return std::string("not a case of ").append(unionName); }
/// "unknown key in closed record Order".
inline std::string unknownKey(std::string_view record) {
  return std::string("unknown key in closed record ").append(record);
}
/// The `parse` violation of a line over kMaxMessageLine; `limit` as
/// "16 MiB (16777216 bytes)".
inline std::string lineTooLong(std::string_view limit) {
  return std::string("the line is longer than ").append(limit).append(", the most a message may have");
}
/// meshc's evaluator meeting a type it has no reader for (an error type the
/// checker already reported): "cannot read a 'T'".
inline std::string cannotRead(std::string_view type) { return std::string("cannot read a '").append(type).append("'"); }

/// A string of a struct built in memory that is not UTF-8 (validate()).
inline constexpr const char* kNotUtf8 = "not valid UTF-8";

}  // namespace meshrt::msg
