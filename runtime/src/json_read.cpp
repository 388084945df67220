// json_read.cpp: strict On-Demand reading for generated validators.
#include "meshrt/json_read.h"

#include <algorithm>
#include <cstring>
#include <iterator>
#include <memory>
#include <string>

namespace meshrt {
namespace {

// One parser and one padded buffer per thread, reused for every message.
struct ThreadState {
  simdjson::ondemand::parser parser;
  std::unique_ptr<char[]> buffer;
  size_t capacity = 0;
};
ThreadState& state() {
  thread_local ThreadState s;
  return s;
}

std::string_view rawToken(JsonValue& v) {
  std::string_view raw = v.raw_json_token();
  // raw_json_token keeps trailing whitespace; the token ends before it.
  while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\t' || raw.back() == '\n' || raw.back() == '\r'))
    raw.remove_suffix(1);
  return raw;
}

// Reads the text of a number after validating it by RFC 8259's grammar.
std::string_view numberText(JsonValue& v) {
  std::string_view raw = rawToken(v);
  if (!isJsonNumber(raw)) throw JsonSyntaxError{};
  // A number beyond the range of a double (`1e400`) is valid JSON (RFC 8259
  // sets no range): its reader reports it as out of range for its type, as
  // meshc's reference reader does. The iterator skips the token itself.
  return raw;
}

}  // namespace

void typeMismatch(JsonValue& v, JsonKind found, const char* expected, Sink& sink) {
  sink.add(Rule::Type, msg::expected(expected, kindName(found)));
  skipValue(v);
}

std::string_view escapedStringValue(JsonValue& v) {
  std::string_view s;
  check(v.get_string().get(s));
  return s;
}

Sink::Sink(std::vector<Violation>* o, int64_t now) : out(o), nowMicros(now) {
  thread_local PathStep steps[kMaxDepth];
  steps_ = steps;
}

void Sink::add(Rule rule, std::string message) {
  std::string path = "$";
  for (size_t i = 0; i < depth_ && i < kMaxDepth; ++i) {
    const PathStep& s = steps_[i];
    using K = PathStep::Kind;
    if (s.kind() == K::Member) appendPathMember(path, s.name());
    if (s.kind() == K::Key) appendPathKey(path, s.name());
    if (s.kind() == K::Index) appendPathIndex(path, s.index());
    if (s.kind() == K::Position) appendPathPosition(path, s.index());
  }
  out->push_back({std::move(path), rule, std::move(message)});
}

JsonDocument::JsonDocument(std::string_view text) {
  // RFC 8259 section 8.1: a parser may ignore a leading byte order mark (as
  // meshc's reference reader does).
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  // At most kMaxJsonDepth nested arrays and objects, the reference reader's
  // limit (only a text that long can nest that deep).
  if (text.size() > kMaxJsonDepth && deepestNesting(text, "[{", "]}", kMaxJsonDepth) > kMaxJsonDepth)
    throw JsonSyntaxError{};
  ThreadState& st = state();
  size_t needed = text.size() + simdjson::SIMDJSON_PADDING;
  if (needed > st.capacity) {
    st.capacity = std::max(needed, st.capacity * 2);
    st.buffer.reset(new char[st.capacity]);
  }
  std::memcpy(st.buffer.get(), text.data(), text.size());
  std::memset(st.buffer.get() + text.size(), 0, simdjson::SIMDJSON_PADDING);
  auto result = st.parser.iterate(st.buffer.get(), text.size(), needed);
  check(std::move(result).get(doc_));
  bool scalar = false;
  check(doc_.is_scalar().get(scalar));
  if (scalar) {
    // On-Demand reads a scalar document apart and does not look past it:
    // the trimmed text must be exactly one token.
    std::string_view whole = text;
    auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
    while (!whole.empty() && space(whole.front())) whole.remove_prefix(1);
    while (!whole.empty() && space(whole.back())) whole.remove_suffix(1);
    if (!whole.empty() && whole.front() == '"') {
      size_t i = 1;
      while (i < whole.size() && whole[i] != '"') i += whole[i] == '\\' ? 2 : 1;
      if (i + 1 != whole.size()) throw JsonSyntaxError{};
    } else if (!(isJsonNumber(whole) || whole == "true" || whole == "false" || whole == "null")) {
      throw JsonSyntaxError{};
    }
    // Validate the scalar strictly, as any other value.
    scalar_ = true;
    simdjson::ondemand::json_type t;
    check(doc_.type().get(t));
    switch (t) {
      case simdjson::ondemand::json_type::number: {
        scalarKind_ = JsonKind::Number;
        std::string_view raw = doc_.raw_json_token();
        while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\t' || raw.back() == '\n' || raw.back() == '\r'))
          raw.remove_suffix(1);
        if (!isJsonNumber(raw)) throw JsonSyntaxError{};
        break;
      }
      case simdjson::ondemand::json_type::string: {
        scalarKind_ = JsonKind::String;
        std::string_view ignored;
        check(doc_.get_string().get(ignored));
        break;
      }
      case simdjson::ondemand::json_type::boolean: {
        scalarKind_ = JsonKind::Bool;
        bool ignored;
        check(doc_.get_bool().get(ignored));
        break;
      }
      case simdjson::ondemand::json_type::null: {
        // The trimmed text is `null` (checked above); simdjson's is_null()
        // on a document refuses the white space after it (` null `).
        scalarKind_ = JsonKind::Null;
        break;
      }
      default:
        throw JsonSyntaxError{};
    }
    return;
  }
  simdjson::ondemand::value root;
  check(doc_.get_value().get(root));
  root_ = root;
}

void JsonDocument::finish() {
  if (scalar_) return;  // the scalar readers check what follows
  // Past the root value there must be nothing: current_location() is in
  // bounds only when another token follows.
  const char* where = nullptr;
  if (!doc_.current_location().get(where)) throw JsonSyntaxError{};
}

const char* kindName(JsonKind k) {
  const auto& words = msg::word::kKindWords;
  static_assert(std::size(words) == static_cast<size_t>(JsonKind::Object) + 1, "a word per JsonKind, in its order");
  auto i = static_cast<size_t>(k);
  return i < std::size(words) ? words[i] : msg::word::kValue;
}

JsonObject openObject(JsonValue& v) {
  JsonObject object;
  check(v.get_object().get(object));
  return object;
}

namespace {

void skipMembers(JsonObject& object) {
  check(object.reset().error());
  forEachChecked(object, [](simdjson::ondemand::field& member) {
    JsonValue value = member.value();
    skipValue(value);
  });
}

// A violation at the member `key` of `object`, and the object skipped.
void reportAtMember(JsonObject& object, std::string_view key, Rule rule, std::string message, Sink& sink) {
  size_t mark = sink.mark();
  sink.member(key);
  sink.add(rule, std::move(message));
  sink.resize(mark);
  skipMembers(object);
}

}  // namespace

bool readTag(JsonObject& object, std::string_view key, std::string_view& tag, Sink& sink) {
  bool found = false;
  JsonKind kind = JsonKind::Null;
  for (auto item : object) {
    check(item.error());
    simdjson::ondemand::field& member = item.value_unsafe();
    std::string_view name;
    check(member.unescaped_key().get(name));
    if (name != key) continue;
    found = true;
    kind = kindOf(member.value());
    if (kind == JsonKind::String) tag = stringValue(member.value());
    break;
  }
  if (found && kind == JsonKind::String) {
    check(object.reset().error());
    return true;
  }
  if (!found)
    reportAtMember(object, key, Rule::Required, msg::kRequired, sink);
  else if (kind == JsonKind::Null)
    reportAtMember(object, key, Rule::Required, msg::kNull, sink);
  else
    reportAtMember(object, key, Rule::Type, msg::expected(msg::word::kString, kindName(kind)), sink);
  return false;
}

void reportNotCase(JsonObject& object, std::string_view key, const char* message, Sink& sink) {
  reportAtMember(object, key, Rule::Type, message, sink);
}

void skipValue(JsonValue& v) {
  switch (kindOf(v)) {
    case JsonKind::Object:
      forEachMember(v, [](std::string_view, JsonValue& value) { skipValue(value); });
      return;
    case JsonKind::Array:
      forEachElement(v, [](JsonValue& value) { skipValue(value); });
      return;
    case JsonKind::String:
      stringValue(v);
      return;
    case JsonKind::Number:
      numberText(v);
      return;
    case JsonKind::Bool: {
      bool b;
      check(v.get_bool().get(b));
      return;
    }
    case JsonKind::Null: {
      bool isNull = false;
      check(v.is_null().get(isNull));
      if (!isNull) throw JsonSyntaxError{};
      return;
    }
  }
}

bool readBool(JsonValue& v, bool& out, Sink& sink) { return readBool(v, kindOf(v), out, sink); }
bool readBool(JsonValue& v, JsonKind k, bool& out, Sink& sink) {
  if (k != JsonKind::Bool) {
    typeMismatch(v, k, msg::word::kBoolean, sink);
    return false;
  }
  check(v.get_bool().get(out));
  return true;
}

namespace {}  // namespace

bool readIntegerSlow(JsonValue& v, JsonKind k, int64_t& out, bool int32, Sink& sink) {
  if (k != JsonKind::Number) {
    typeMismatch(v, k, msg::word::kInteger, sink);
    return false;
  }
  std::string_view text = numberText(v);
  auto value = parseJsonInteger(text);
  if (!value || (int32 && (*value < INT32_MIN || *value > INT32_MAX))) {
    bool integral = text.find_first_of(".eE") == std::string_view::npos;
    sink.add(Rule::Type, integral ? msg::outOfRange(int32 ? "int32" : "int64") : std::string(msg::kFraction));
    return false;
  }
  out = *value;
  return true;
}

namespace {
bool readFloat(JsonValue& v, JsonKind k, double& out, bool f32, Sink& sink) {
  if (k != JsonKind::Number) {
    typeMismatch(v, k, msg::word::kNumber, sink);
    return false;
  }
  auto value = parseJsonDouble(numberText(v));
  if (!value || (f32 && !fitsFloat32(*value))) {
    sink.add(Rule::Type, msg::outOfRange(f32 ? "float32" : "float64"));
    return false;
  }
  out = *value;
  return true;
}

}  // namespace

bool readInt32(JsonValue& v, int32_t& out, Sink& sink) { return readInt32(v, kindOf(v), out, sink); }

bool readInt64(JsonValue& v, int64_t& out, Sink& sink) { return readInt64(v, kindOf(v), out, sink); }

bool readFloat32(JsonValue& v, JsonKind k, float& out, Sink& sink) {
  double d = 0;
  if (!readFloat(v, k, d, true, sink)) return false;
  out = static_cast<float>(d);
  return true;
}
bool readFloat32(JsonValue& v, float& out, Sink& sink) { return readFloat32(v, kindOf(v), out, sink); }

bool readFloat64(JsonValue& v, JsonKind k, double& out, Sink& sink) { return readFloat(v, k, out, false, sink); }
bool readFloat64(JsonValue& v, double& out, Sink& sink) { return readFloat64(v, kindOf(v), out, sink); }

bool readDecimal(JsonValue& v, Decimal& out, int precision, int scale, Sink& sink) {
  return readDecimal(v, kindOf(v), out, precision, scale, sink);
}
std::string_view checkedNumberText(JsonValue& v) { return numberText(v); }

void reportDecimal(DecimalParse result, int precision, int scale, Sink& sink) {
  if (result == DecimalParse::Malformed) {
    sink.add(Rule::Format, msg::kNotDecimal);
  } else if (result == DecimalParse::OutOfRange) {
    sink.add(Rule::Type, msg::outOfRangeDecimal(precision, scale));
  }
}

bool readString(JsonValue& v, std::string& out, Sink& sink) { return readString(v, kindOf(v), out, sink); }

bool readBytes(JsonValue& v, std::string& out, Sink& sink) { return readBytes(v, kindOf(v), out, sink); }
bool readBytes(JsonValue& v, JsonKind k, std::string& out, Sink& sink) {
  std::string_view text;
  if (!readFormatted(v, k, text, Base64Format::kWord, sink)) return false;
  auto bytes = decodeBase64(text);
  if (!bytes) {
    sink.add(Rule::Format, Base64Format::kNotA);
    return false;
  }
  out = std::move(*bytes);
  return true;
}

bool readFormatted(JsonValue& v, JsonKind k, std::string_view& text, const char* expected, Sink& sink) {
  if (k != JsonKind::String) {
    typeMismatch(v, k, expected, sink);
    return false;
  }
  text = stringValue(v);
  return true;
}

bool readTimestamp(JsonValue& v, JsonKind k, Timestamp& out, Sink& sink) {
  if (k == JsonKind::String) {
    // `"YYYY-MM-DDTHH:MM:SSZ"` read in place: none of its bytes is a
    // backslash, so the quote after them closes the string.
    std::string_view token = v.raw_json_token();
    checkNotKey(token);
    if (token.size() >= 22 && token[21] == '"' && parseUtcSecondsTimestamp(token.data() + 1, out)) return true;
  }
  return readText(v, k, out, sink);
}
bool readTimestamp(JsonValue& v, Timestamp& out, Sink& sink) { return readTimestamp(v, kindOf(v), out, sink); }

const char* jsonValueEnd(const char* p) {
  auto stringEnd = [](const char* q) {  // q at the opening quote
    for (++q; *q != '"'; ++q)
      if (*q == '\\') ++q;
    return q + 1;
  };
  if (*p == '"') return stringEnd(p);
  if (*p == '{' || *p == '[') {
    size_t depth = 0;
    for (;;) {
      char c = *p;
      if (c == '"') {
        p = stringEnd(p);
        continue;
      }
      if (c == '{' || c == '[') ++depth;
      if ((c == '}' || c == ']') && --depth == 0) return p + 1;
      ++p;
    }
  }
  // A number, true, false or null: up to the next space or structural
  // character (the text is in simdjson's padded buffer, zero-filled after it).
  while (*p != '\0' && *p != ',' && *p != '}' && *p != ']' && *p != ':' && !isJsonSpace(*p)) ++p;
  return p;
}

bool readJson(JsonValue& v, JsonKind k, Json& out, Sink&) {
  const char* start = v.raw_json_token().data();
  skipValue(v);  // every byte of it checked, as for the value of an unknown key
  out.kind = k;
  out.text.assign(start, static_cast<size_t>(jsonValueEnd(start) - start));
  return true;
}

std::optional<Json> Json::parse(std::string_view text) {
  // Read as the one element of an array, so a scalar is read as any other value.
  // (Appended, not `"[" + std::string(text) + "]"`: g++ 12 at -O3 in C++20
  // warns of an overlapping copy there that cannot happen, -Wrestrict.)
  std::string wrapped;
  wrapped.reserve(text.size() + 2);
  wrapped.append(1, '[').append(text).append(1, ']');
  std::vector<Violation> none;
  Sink sink(&none, 0);
  Json out;
  size_t count = 0;
  try {
    JsonDocument doc(wrapped);
    if (doc.isScalar()) return std::nullopt;
    forEachElement(doc.root(), [&](JsonValue& item) {
      if (count++ == 0)
        readJson(item, kindOf(item), out, sink);
      else
        skipValue(item);
    });
    doc.finish();
  } catch (const JsonSyntaxError&) {
    return std::nullopt;
  }
  if (count != 1) return std::nullopt;
  return out;
}

bool readEnumName(JsonValue& v, std::string_view& name, Sink& sink) { return readEnumName(v, kindOf(v), name, sink); }

void reportNotMember(const char* enumName, Sink& sink) { sink.add(Rule::Enum, msg::notMember(enumName)); }

}  // namespace meshrt
