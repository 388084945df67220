// Json: the reference evaluator's JSON reader: a small DOM that keeps what
// validation needs and ordinary parsers drop (every member of an object in
// order, duplicates included, and the text of each number).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace mesh::eval {

struct JMember;

struct JValue {
  enum class Kind { Null, Bool, Number, String, Array, Object } kind = Kind::Null;
  bool boolean = false;
  std::string text;           // Number: its text as written; String: the decoded value
  std::vector<JValue> items;  // Array
  // Object, in document order. A struct rather than std::pair<std::string,
  // JValue>: a pair of an incomplete type is undefined, and clang refuses it.
  std::vector<JMember> members;
};

struct JMember {
  std::string key;
  JValue value;
};

/// Parses one JSON text strictly (RFC 8259, UTF-8). nullopt when it is not
/// valid JSON or nests deeper than meshrt::kMaxJsonDepth (the generated
/// code's limit too).
std::optional<JValue> parseJson(std::string_view text);

/// The text each value of `root` has in `text`, the JSON text parseJson read
/// it from, without the white space around it (a `json` field keeps it as it
/// is). Computed on demand: only a message with a `json` field needs it.
using RawTexts = std::unordered_map<const JValue*, std::string_view>;
RawTexts rawTexts(const JValue& root, std::string_view text);

}  // namespace mesh::eval
