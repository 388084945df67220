// meshrt/json_read.h: strict, one-pass reading of JSON text for generated
// validators, on simdjson's On-Demand API (no DOM). Every value is either
// read into the struct or skipped with full validation, so the generated code
// accepts exactly the JSON that meshc's reference reader accepts.
//
// C++17: generated code includes this header.
#pragma once

#include <simdjson.h>

#include <climits>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "meshrt/decimal.h"
#include "meshrt/formats.h"
#include "meshrt/inline.h"
#include "meshrt/json_value.h"
#include "meshrt/limits.h"
#include "meshrt/messages.h"
#include "meshrt/report.h"

namespace meshrt {

/// Thrown when the text is not valid JSON; the top-level parse turns it into
/// the one `parse` violation (and drops what was found before).
struct JsonSyntaxError {};

using JsonValue = simdjson::ondemand::value;

/// One step of a JSONPath: `.member`, `["key"]`, `[index]` or `[#position]`
/// (a key withheld in a sensitive value, docs/validation.md). Names are
/// views of the message (or of the struct, or of generated literals), which
/// outlive the reading; the path text is only built when a violation needs it.
/// Sixteen bytes, pushed for every member read: the kind sits in the low two
/// bits of `word`, above them the name's length or the index.
struct PathStep {
  enum class Kind : uint8_t { Member, Key, Index, Position };
  const char* data;
  uint64_t word;
  static PathStep named(Kind k, std::string_view name) {
    return {name.data(), (static_cast<uint64_t>(name.size()) << 2) | static_cast<uint64_t>(k)};
  }
  static PathStep at(uint64_t index, Kind k = Kind::Index) {
    return {nullptr, (index << 2) | static_cast<uint64_t>(k)};
  }
  Kind kind() const { return static_cast<Kind>(word & 3); }
  std::string_view name() const { return {data, static_cast<size_t>(word >> 2)}; }
  uint64_t index() const { return word >> 2; }
};

/// Collects violations at the current JSONPath.
class Sink {
 public:
  Sink(std::vector<Violation>* out, int64_t nowMicros);
  std::vector<Violation>* out;
  int64_t nowMicros;

  /// Paths are at most as deep as JSON nests plus a missing field.
  static constexpr size_t kMaxDepth = kMaxPathSteps;

  size_t mark() const { return depth_; }
  void member(std::string_view name) { push(PathStep::named(PathStep::Kind::Member, name)); }
  void index(uint64_t i) { push(PathStep::at(i)); }
  /// A map key: written as its position among the object's members when
  /// the value is sensitive (a key of a `@pii` map may itself be personal).
  void key(std::string_view key, uint64_t position) {
    push(sensitive() ? PathStep::at(position, PathStep::Kind::Position) : PathStep::named(PathStep::Kind::Key, key));
  }
  /// The key of a map whose key type is sensitive (a refinement tagged
  /// `@pii`): written as its position, and everything below it sensitive.
  void sensitiveKey(uint64_t position) {
    push(PathStep::at(position, PathStep::Kind::Position));
    markSensitive();
  }
  /// In a sensitive value, replaces the last step (a member name no field
  /// declares) with the member's position.
  void withholdKey(uint64_t position) {
    if (sensitive() && depth_ > 0 && depth_ <= kMaxDepth)
      steps_[depth_ - 1] = PathStep::at(position, PathStep::Kind::Position);
  }
  void resize(size_t mark) {
    depth_ = mark;
    if (sensitiveFrom_ > depth_) sensitiveFrom_ = kNotSensitive;
  }
  /// Marks everything below the current step as sensitive (`@pii`,
  /// confidential or restricted) until the path is cut back above it:
  /// messages there withhold literals and paths withhold keys.
  void markSensitive() {
    if (sensitiveFrom_ > depth_) sensitiveFrom_ = depth_;
  }
  bool sensitive() const { return sensitiveFrom_ != kNotSensitive; }
  void add(Rule rule, std::string message);

 private:
  void push(const PathStep& step) {
    if (depth_ < kMaxDepth) steps_[depth_] = step;
    ++depth_;
  }
  static constexpr size_t kNotSensitive = ~size_t{0};
  PathStep* steps_;  // per thread, reused
  size_t depth_ = 0;
  size_t sensitiveFrom_ = kNotSensitive;
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

inline JsonKind kindOf(JsonValue& v);
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
/// An enum member name; `fromName` converts it. Reports `enum` when unknown.
template <typename E>
bool readEnum(JsonValue& v, E& out, bool (*fromName)(std::string_view, E&), const char* enumName, Sink& sink);
bool readEnumName(JsonValue& v, std::string_view& name, Sink& sink);
void reportNotMember(const char* enumName, Sink& sink);

/// The same readers when the caller already knows the value's kind (the
/// generated code checks for null first).
bool readBool(JsonValue& v, JsonKind k, bool& out, Sink& sink);
inline bool readInt32(JsonValue& v, JsonKind k, int32_t& out, Sink& sink);
inline bool readInt64(JsonValue& v, JsonKind k, int64_t& out, Sink& sink);
bool readFloat32(JsonValue& v, JsonKind k, float& out, Sink& sink);
bool readFloat64(JsonValue& v, JsonKind k, double& out, Sink& sink);
inline bool readDecimal(JsonValue& v, JsonKind k, Decimal& out, int precision, int scale, Sink& sink);
inline bool readString(JsonValue& v, JsonKind k, std::string& out, Sink& sink);
bool readBytes(JsonValue& v, JsonKind k, std::string& out, Sink& sink);
/// A timestamp: the common `YYYY-MM-DDTHH:MM:SSZ` in one pass, any other
/// through readText.
bool readTimestamp(JsonValue& v, JsonKind k, Timestamp& out, Sink& sink);
/// Any JSON value, `null` included (a `json` field): validated as skipValue
/// does and kept as its exact text. Never reports a violation.
bool readJson(JsonValue& v, JsonKind k, Json& out, Sink& sink);
/// A value of a type written as text (formats.h's TextFormat): a string that
/// its `parse` takes, or a `type` or `format` violation.
template <typename T, typename F = TextFormat<T>>
bool readText(JsonValue& v, JsonKind k, T& out, Sink& sink);
/// The string of a value written as text, or a `type` violation (`expected`
/// says what was wanted).
bool readFormatted(JsonValue& v, JsonKind k, std::string_view& text, const char* expected, Sink& sink);
inline bool readEnumName(JsonValue& v, JsonKind k, std::string_view& name, Sink& sink);
template <typename T, typename F>
bool readText(JsonValue& v, JsonKind k, T& out, Sink& sink) {
  std::string_view text;
  if (!readFormatted(v, k, text, F::kWord, sink)) return false;
  std::optional<T> value = F::parse(text);
  if (!value) {
    sink.add(Rule::Format, F::kNotA);
    return false;
  }
  out = *value;
  return true;
}
template <typename E>
bool readEnum(JsonValue& v, JsonKind k, E& out, bool (*fromName)(std::string_view, E&), const char* enumName,
              Sink& sink) {
  std::string_view name;
  if (!readEnumName(v, k, name, sink)) return false;
  if (!fromName(name, out)) {
    reportNotMember(enumName, sink);
    return false;
  }
  return true;
}

/// Fills a std::map<std::string, T> from a JSON object, reusing the nodes of
/// what the map held before (parsing into the same struct again allocates
/// nothing while the keys fit in them).
template <typename Map>
class MapFiller {
 public:
  explicit MapFiller(Map& map) : map_(map), spare_(std::move(map)) { map_.clear(); }
  /// The value slot of a new key, or nullptr when the key is already there.
  typename Map::mapped_type* add(std::string_view key) {
    if (spare_.empty()) {
      auto [at, inserted] = map_.try_emplace(std::string(key));
      return inserted ? &at->second : nullptr;
    }
    auto node = spare_.extract(spare_.begin());
    node.key().assign(key.data(), key.size());
    auto result = map_.insert(std::move(node));
    if (!result.inserted) {
      spare_.insert(std::move(result.node));
      return nullptr;
    }
    return &result.position->second;
  }

 private:
  Map& map_;
  Map spare_;
};

/// Calls f(std::string_view key, JsonValue& value) for each member, in order.
template <typename F>
void forEachMember(JsonValue& v, F&& f);

/// The key of a member as the text holds it. Records look a key up raw
/// first: a field name never holds a backslash, so a raw key naming a field
/// is that field, and only an unmatched key needs `escaped()` and
/// `unescaped()` (which decodes it into the parser's string buffer).
class MemberKey {
 public:
  MemberKey(simdjson::ondemand::field& field, std::string_view raw) : field_(field), raw_(raw) {}
  std::string_view raw() const { return raw_; }
  bool escaped() const;
  std::string_view unescaped();

 private:
  simdjson::ondemand::field& field_;
  std::string_view raw_;
};
/// Calls f(MemberKey& key, JsonValue& value) for each member, in order.
template <typename F>
void forEachRecordMember(JsonValue& v, F&& f);
/// The same over an opened object (a tagged union's record, read after its
/// discriminator).
using JsonObject = simdjson::ondemand::object;
template <typename F>
void forEachRecordMember(JsonObject& object, F&& f);
/// Opens the object `v` (its kind checked by the caller).
JsonObject openObject(JsonValue& v);
/// A tagged union's discriminator: the string of the first member `key` of
/// `object` in `tag`, with the object rewound for its record's reader. When
/// there is none, or it is null or not a string, reports it at the member's
/// path (`required` or `type`, as the reference evaluator does), skips the
/// object and returns false.
bool readTag(JsonObject& object, std::string_view key, std::string_view& tag, Sink& sink);
/// A discriminator `key` whose value names no case: a `type` violation at
/// its path (`message`: msg::notCase), and the object skipped.
void reportNotCase(JsonObject& object, std::string_view key, const char* message, Sink& sink);
/// Calls f(JsonValue& value) for each element, in order.
template <typename F>
void forEachElement(JsonValue& v, F&& f);

// ---------------------------------------------------------------- implementation

inline void check(simdjson::error_code e) {
  if (e) throw JsonSyntaxError{};
}

/// Whether the `n` bytes at `p` hold a backslash. `p` is inside simdjson's
/// padded buffer (at least 64 bytes follow the text), so whole 8-byte words
/// may be read past the end. Per word, a byte equal to `\\` is flagged
/// exactly; the carry of the subtraction can only flag bytes above a flagged
/// one, so masking the bytes past `n` keeps the answer exact. From 8 bytes
/// on, the last word is read ending at `n` (overlapping), with no mask.
MESHRT_ALWAYS_INLINE bool hasBackslash(const char* p, size_t n) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  if (n <= 24) {  // names, codes, amounts, timestamps
    constexpr uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    auto flags = [](const char* at) {
      uint64_t w;
      std::memcpy(&w, at, 8);
      w ^= ones * '\\';
      return (w - ones) & ~w & highs;
    };
    if (n < 8) return (flags(p) & ((1ULL << (8 * n)) - 1)) != 0;
    uint64_t found = flags(p) | flags(p + n - 8);
    if (n > 16) found |= flags(p + 8);
    return found != 0;
  }
#endif
  return std::memchr(p, '\\', n) != nullptr;
}

inline bool isJsonSpace(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

namespace detail {
/// The kind of a JSON value by its first byte, as simdjson's type() decides
/// it (the rest of the token is checked when the value is read); 0xFF for a
/// byte no value starts with. One load instead of two switches.
struct KindTable {
  uint8_t kind[256];
  constexpr KindTable() : kind{} {
    for (int c = 0; c < 256; ++c) kind[c] = 0xFF;
    kind[static_cast<unsigned char>('{')] = static_cast<uint8_t>(JsonKind::Object);
    kind[static_cast<unsigned char>('[')] = static_cast<uint8_t>(JsonKind::Array);
    kind[static_cast<unsigned char>('"')] = static_cast<uint8_t>(JsonKind::String);
    kind[static_cast<unsigned char>('n')] = static_cast<uint8_t>(JsonKind::Null);
    kind[static_cast<unsigned char>('t')] = static_cast<uint8_t>(JsonKind::Bool);
    kind[static_cast<unsigned char>('f')] = static_cast<uint8_t>(JsonKind::Bool);
    kind[static_cast<unsigned char>('-')] = static_cast<uint8_t>(JsonKind::Number);
    for (int c = '0'; c <= '9'; ++c) kind[c] = static_cast<uint8_t>(JsonKind::Number);
  }
};
inline constexpr KindTable kKinds{};
}  // namespace detail

MESHRT_ALWAYS_INLINE JsonKind kindOf(JsonValue& v) {
  uint8_t k = detail::kKinds.kind[static_cast<unsigned char>(*v.raw_json_token().data())];
  if (k == 0xFF) throw JsonSyntaxError{};
  return static_cast<JsonKind>(k);
}

// Out of line: the rare paths of the inline readers below.
void typeMismatch(JsonValue& v, JsonKind found, const char* expected, Sink& sink);
std::string_view escapedStringValue(JsonValue& v);
std::string_view checkedNumberText(JsonValue& v);
bool readIntegerSlow(JsonValue& v, JsonKind k, int64_t& out, bool int32, Sink& sink);
void reportDecimal(DecimalParse result, int precision, int scale, Sink& sink);

/// A string value read in place (its raw token) is left for simdjson's
/// iterator to step over when its container moves on, and that step takes a
/// string followed by `:` for a key: it eats the colon and the value after
/// it without a word, so `{"a":"x":1}}` was read as `{"a":"x"}` (found by
/// tests/fuzz, fuzz-differential). In JSON a value is never followed by a
/// colon: refuse it. `token` is inside simdjson's padded buffer and runs to
/// the next structural character, so the byte after it can be read.
inline void checkNotKey(std::string_view token) {
  if (MESHRT_UNLIKELY(token.data()[token.size()] == ':')) throw JsonSyntaxError{};
}

/// The text of a string value. A plain string (no escapes, no control
/// characters) comes straight from the input without a copy; anything else is
/// unescaped (and checked) by simdjson. Stage 1 already validated UTF-8.
inline std::string_view stringValue(JsonValue& v) {
  // Stage 1 found where the string ends (the token runs to the next
  // structural character) and refused control characters in it: only a
  // backslash makes it need unescaping.
  std::string_view token = v.raw_json_token();
  checkNotKey(token);
  size_t end = token.size();
  while (end > 0 && isJsonSpace(token[end - 1])) --end;
  if (end >= 2 && token[0] == '"' && !hasBackslash(token.data() + 1, end - 2))
    return std::string_view(token.data() + 1, end - 2);
  return escapedStringValue(v);
}

/// The common integer: up to 18 digits, no sign or a minus, no leading zero,
/// nothing else in the token (not even trailing space).
inline bool plainInteger(std::string_view token, int64_t& out) {
  size_t i = !token.empty() && token[0] == '-' ? 1 : 0;
  size_t digits = token.size() - i;
  if (digits == 0 || digits > 18 || (token[i] == '0' && digits > 1)) return false;
  int64_t value = 0;
  for (; i < token.size(); ++i) {
    unsigned d = static_cast<unsigned>(static_cast<unsigned char>(token[i])) - '0';
    if (d > 9) return false;
    value = value * 10 + static_cast<int64_t>(d);
  }
  out = token[0] == '-' ? -value : value;
  return true;
}

inline bool readInt64(JsonValue& v, JsonKind k, int64_t& out, Sink& sink) {
  if (k == JsonKind::Number && plainInteger(v.raw_json_token(), out)) return true;
  return readIntegerSlow(v, k, out, false, sink);
}

inline bool readInt32(JsonValue& v, JsonKind k, int32_t& out, Sink& sink) {
  int64_t wide = 0;
  if (!(k == JsonKind::Number && plainInteger(v.raw_json_token(), wide) && wide >= INT32_MIN && wide <= INT32_MAX) &&
      !readIntegerSlow(v, k, wide, true, sink))
    return false;
  out = static_cast<int32_t>(wide);
  return true;
}

inline bool readDecimal(JsonValue& v, JsonKind k, Decimal& out, int precision, int scale, Sink& sink) {
  std::string_view text;
  if (k == JsonKind::String) {
    text = stringValue(v);
  } else if (k == JsonKind::Number) {
    text = checkedNumberText(v);
  } else {
    typeMismatch(v, k, msg::word::kDecimal, sink);
    return false;
  }
  DecimalParse result;
  if (!detail::parsePlainDecimal(text, precision, scale, out, result))
    result = parseDecimal(text, k == JsonKind::Number, precision, scale, out);
  if (result == DecimalParse::Ok) return true;
  reportDecimal(result, precision, scale, sink);
  return false;
}

inline bool readString(JsonValue& v, JsonKind k, std::string& out, Sink& sink) {
  if (k != JsonKind::String) {
    typeMismatch(v, k, msg::word::kString, sink);
    return false;
  }
  std::string_view text = stringValue(v);
  // Not assign(): its general path (which allows aliasing) costs more than
  // the copy; the text lives in the parser's buffer, never in `out`.
  size_t had = out.size();
  if (text.size() <= had) {
    if (!text.empty()) std::memcpy(&out[0], text.data(), text.size());
    if (text.size() != had) out.resize(text.size());  // shrinking only sets the length
  } else {
    // Growing: copy over what is there, append the rest (no fill first).
    if (had != 0) std::memcpy(&out[0], text.data(), had);
    out.append(text.data() + had, text.size() - had);
  }
  return true;
}

inline bool readEnumName(JsonValue& v, JsonKind k, std::string_view& name, Sink& sink) {
  if (k != JsonKind::String) {
    typeMismatch(v, k, msg::word::kString, sink);
    return false;
  }
  name = stringValue(v);
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

inline bool MemberKey::escaped() const { return hasBackslash(raw_.data(), raw_.size()); }
inline std::string_view MemberKey::unescaped() {
  std::string_view key;
  check(field_.unescaped_key().get(key));
  return key;
}

/// Each item of a simdjson array or object, its error checked.
template <typename Items, typename F>
void forEachChecked(Items& items, F&& f) {
  for (auto item : items) {
    check(item.error());
    f(item.value_unsafe());
  }
}

template <typename F>
void forEachRecordMember(JsonValue& v, F&& f) {
  JsonObject object;
  check(v.get_object().get(object));
  forEachRecordMember(object, f);
}

template <typename F>
void forEachRecordMember(JsonObject& object, F&& f) {
  forEachChecked(object, [&](simdjson::ondemand::field& member) {
    // The key ends at the quote before the colon before the value (stage 1
    // placed both).
    const char* start = member.key().raw();
    const char* end = member.value().raw_json_token().data() - 1;
    while (isJsonSpace(*end)) --end;  // after the colon
    --end;
    while (isJsonSpace(*end)) --end;  // before the colon: now the closing quote
    MemberKey key(member, std::string_view(start, static_cast<size_t>(end - start)));
    f(key, member.value());
  });
}

template <typename F>
void forEachMember(JsonValue& v, F&& f) {
  forEachRecordMember(v,
                      [&](MemberKey& key, JsonValue& value) { f(key.escaped() ? key.unescaped() : key.raw(), value); });
}

template <typename F>
void forEachElement(JsonValue& v, F&& f) {
  simdjson::ondemand::array array;
  check(v.get_array().get(array));
  forEachChecked(array, f);
}

}  // namespace meshrt
