// meshrt/json_read.h: strict, one-pass reading of JSON text for generated
// validators, on simdjson's On-Demand API (no DOM). Every value is either
// read into the struct or skipped with full validation, so the generated code
// accepts exactly the JSON that meshc's reference reader accepts.
//
// C++17: generated code includes this header.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "meshrt/decimal.h"
#include "meshrt/formats.h"
#include "meshrt/report.h"

namespace meshrt {

/// Thrown when the text is not valid JSON; the top-level parse turns it into
/// the one `parse` violation (and drops what was found before).
struct JsonSyntaxError {};

using JsonValue = simdjson::ondemand::value;

enum class JsonKind { Null, Bool, Number, String, Array, Object };

/// One step of a JSONPath: `.member`, `["key"]` or `[index]`. Names are
/// views of the message (or of the struct, or of generated literals), which
/// outlive the reading; the path text is only built when a violation needs it.
struct PathStep {
  enum class Kind : uint8_t { Member, Key, Index } kind;
  std::string_view name;
  uint64_t index;
};

/// Collects violations at the current JSONPath.
class Sink {
 public:
  Sink(std::vector<Violation>* out, int64_t nowMicros);
  std::vector<Violation>* out;
  int64_t nowMicros;

  /// Paths are at most as deep as JSON nests (1024) plus a missing field.
  static constexpr size_t kMaxDepth = 1040;

  size_t mark() const { return depth_; }
  void member(std::string_view name) { push({PathStep::Kind::Member, name, 0}); }
  void key(std::string_view key) { push({PathStep::Kind::Key, key, 0}); }
  void index(uint64_t i) { push({PathStep::Kind::Index, {}, i}); }
  void resize(size_t mark) { depth_ = mark; }
  void add(Rule rule, std::string message);

 private:
  void push(const PathStep& step) {
    if (depth_ < kMaxDepth) steps_[depth_] = step;
    ++depth_;
  }
  PathStep* steps_;  // per thread, reused
  size_t depth_ = 0;
};

/// A parsed document: the text copied into a padded buffer reused per thread.
class JsonDocument {
 public:
  /// Throws JsonSyntaxError when the text cannot be parsed at all.
  explicit JsonDocument(std::string_view text);
  JsonValue& root() { return root_; }
  /// A document that is a single scalar (On-Demand reads it apart): already
  /// validated; its kind is what the root record reports as the wrong type.
  bool isScalar() const { return scalar_; }
  JsonKind scalarKind() const { return scalarKind_; }
  /// Throws JsonSyntaxError when anything follows the root value.
  void finish();

 private:
  simdjson::ondemand::document doc_;
  JsonValue root_;
  bool scalar_ = false;
  JsonKind scalarKind_ = JsonKind::Null;
};

JsonKind kindOf(JsonValue& v);
/// Validates and skips a value (the values of unknown keys, and values of the
/// wrong type after their violation was reported).
void skipValue(JsonValue& v);
const char* kindName(JsonKind k);  // "a string", "an object", ...

// Readers: each reads one non-null value of its type, or reports a `type` /
// `format` violation and skips it. They return whether the value was read.
bool readBool(JsonValue& v, bool& out, Sink& sink);
bool readInt32(JsonValue& v, int32_t& out, Sink& sink);
bool readInt64(JsonValue& v, int64_t& out, Sink& sink);
bool readFloat32(JsonValue& v, float& out, Sink& sink);
bool readFloat64(JsonValue& v, double& out, Sink& sink);
bool readDecimal(JsonValue& v, Decimal& out, int precision, int scale, Sink& sink);
bool readString(JsonValue& v, std::string& out, Sink& sink);
bool readBytes(JsonValue& v, std::string& out, Sink& sink);
bool readTimestamp(JsonValue& v, Timestamp& out, Sink& sink);
bool readDate(JsonValue& v, Date& out, Sink& sink);
bool readDuration(JsonValue& v, Duration& out, Sink& sink);
bool readUuid(JsonValue& v, Uuid& out, Sink& sink);
/// An enum member name; `fromName` converts it. Reports `enum` when unknown.
template <typename E>
bool readEnum(JsonValue& v, E& out, bool (*fromName)(std::string_view, E&), const char* enumName, Sink& sink);
bool readEnumName(JsonValue& v, std::string_view& name, Sink& sink);
void reportNotMember(const char* enumName, Sink& sink);

/// The same readers when the caller already knows the value's kind (the
/// generated code checks for null first).
bool readBool(JsonValue& v, JsonKind k, bool& out, Sink& sink);
bool readInt32(JsonValue& v, JsonKind k, int32_t& out, Sink& sink);
bool readInt64(JsonValue& v, JsonKind k, int64_t& out, Sink& sink);
bool readFloat32(JsonValue& v, JsonKind k, float& out, Sink& sink);
bool readFloat64(JsonValue& v, JsonKind k, double& out, Sink& sink);
bool readDecimal(JsonValue& v, JsonKind k, Decimal& out, int precision, int scale, Sink& sink);
bool readString(JsonValue& v, JsonKind k, std::string& out, Sink& sink);
bool readBytes(JsonValue& v, JsonKind k, std::string& out, Sink& sink);
bool readTimestamp(JsonValue& v, JsonKind k, Timestamp& out, Sink& sink);
bool readDate(JsonValue& v, JsonKind k, Date& out, Sink& sink);
bool readDuration(JsonValue& v, JsonKind k, Duration& out, Sink& sink);
bool readUuid(JsonValue& v, JsonKind k, Uuid& out, Sink& sink);
bool readEnumName(JsonValue& v, JsonKind k, std::string_view& name, Sink& sink);
template <typename E>
bool readEnum(JsonValue& v, JsonKind k, E& out, bool (*fromName)(std::string_view, E&), const char* enumName, Sink& sink) {
  std::string_view name;
  if (!readEnumName(v, k, name, sink)) return false;
  if (!fromName(name, out)) {
    reportNotMember(enumName, sink);
    return false;
  }
  return true;
}

/// Calls f(std::string_view key, JsonValue& value) for each member, in order.
template <typename F>
void forEachMember(JsonValue& v, F&& f);
/// Calls f(JsonValue& value) for each element, in order.
template <typename F>
void forEachElement(JsonValue& v, F&& f);

// ---------------------------------------------------------------- implementation

inline void check(simdjson::error_code e) {
  if (e) throw JsonSyntaxError{};
}

/// A key without escapes or control characters, read in place (most keys).
inline bool plainKey(const char* content, std::string_view& out) {
  const char* p = content;
  while (*p != '"' && *p != '\\' && static_cast<unsigned char>(*p) >= 0x20) ++p;
  if (*p != '"') return false;
  out = std::string_view(content, static_cast<size_t>(p - content));
  return true;
}

template <typename E>
bool readEnum(JsonValue& v, E& out, bool (*fromName)(std::string_view, E&), const char* enumName, Sink& sink) {
  std::string_view name;
  if (!readEnumName(v, name, sink)) return false;
  if (!fromName(name, out)) {
    reportNotMember(enumName, sink);
    return false;
  }
  return true;
}

template <typename F>
void forEachMember(JsonValue& v, F&& f) {
  simdjson::ondemand::object object;
  check(v.get_object().get(object));
  for (auto field : object) {
    simdjson::ondemand::field member;
    check(std::move(field).get(member));
    std::string_view key;
    if (!plainKey(member.key().raw(), key)) check(member.unescaped_key().get(key));
    JsonValue value = member.value();
    f(key, value);
  }
}

template <typename F>
void forEachElement(JsonValue& v, F&& f) {
  simdjson::ondemand::array array;
  check(v.get_array().get(array));
  for (auto element : array) {
    JsonValue value;
    check(std::move(element).get(value));
    f(value);
  }
}

}  // namespace meshrt
