// Json: a strict JSON reader on nlohmann's SAX interface, building JValue.
#include "eval/Json.h"

#include <cstring>
#include <nlohmann/json.hpp>

#include "meshrt/limits.h"

namespace mesh::eval {
namespace {

class Builder : public nlohmann::json_sax<nlohmann::json> {
 public:
  JValue root;
  bool tooDeep = false;

  bool null() override { return put(JValue{}); }
  bool boolean(bool v) override {
    JValue j;
    j.kind = JValue::Kind::Bool;
    j.boolean = v;
    return put(std::move(j));
  }
  bool number_integer(number_integer_t v) override { return number(std::to_string(v)); }
  bool number_unsigned(number_unsigned_t v) override { return number(std::to_string(v)); }
  bool number_float(number_float_t, const string_t& s) override { return number(s); }
  bool string(string_t& s) override {
    JValue j;
    j.kind = JValue::Kind::String;
    j.text = std::move(s);
    return put(std::move(j));
  }
  bool binary(binary_t&) override { return false; }
  bool start_object(std::size_t) override { return open(JValue::Kind::Object); }
  bool key(string_t& k) override {
    stack_.back()->members.push_back(JMember{std::move(k), JValue{}});
    return true;
  }
  bool end_object() override { return close(); }
  bool start_array(std::size_t) override { return open(JValue::Kind::Array); }
  bool end_array() override { return close(); }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override { return false; }

 private:
  bool number(std::string text) {
    JValue j;
    j.kind = JValue::Kind::Number;
    j.text = std::move(text);
    return put(std::move(j));
  }
  // Where the next value goes: the root, the end of an array, or the member
  // whose key was just read.
  JValue* slot() {
    if (stack_.empty()) return &root;
    JValue* top = stack_.back();
    if (top->kind == JValue::Kind::Array) {
      top->items.emplace_back();
      return &top->items.back();
    }
    return &top->members.back().value;
  }
  bool put(JValue v) {
    *slot() = std::move(v);
    return true;
  }
  bool open(JValue::Kind kind) {
    if (stack_.size() + 1 > meshrt::kMaxJsonDepth) {
      tooDeep = true;
      return false;
    }
    JValue* s = slot();
    s->kind = kind;
    stack_.push_back(s);
    return true;
  }
  bool close() {
    stack_.pop_back();
    return true;
  }
  std::vector<JValue*> stack_;
};

}  // namespace

std::optional<JValue> parseJson(std::string_view text) {
  // nlohmann's lexer takes a NUL byte for the end of the input (a C string's
  // end), so `{}\0garbage` would be read as `{}`. A raw NUL is never valid
  // JSON (not white space, not allowed unescaped in a string): refuse it
  // here, as the generated validators' reader does. Found by tests/fuzz.
  if (text.find('\0') != std::string_view::npos) return std::nullopt;
  Builder builder;
  bool ok = nlohmann::json::sax_parse(text.begin(), text.end(), &builder, nlohmann::json::input_format_t::json,
                                      /*strict=*/true);
  if (!ok || builder.tooDeep) return std::nullopt;
  return std::move(builder.root);
}

namespace {

/// Walks valid JSON text along the JValue tree read from it.
class RawScanner {
 public:
  RawScanner(std::string_view text, RawTexts& out) : text_(text), out_(out) {
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") at_ = 3;  // the byte order mark parseJson skipped
  }
  void value(const JValue& v) {
    space();
    size_t begin = at_;
    switch (v.kind) {
      case JValue::Kind::Object:
        ++at_;  // {
        for (const JMember& m : v.members) {
          space();
          string();  // the key
          space();
          ++at_;  // :
          value(m.value);
          space();
          ++at_;  // , or }
        }
        if (v.members.empty()) closeEmpty();
        break;
      case JValue::Kind::Array:
        ++at_;  // [
        for (const JValue& item : v.items) {
          value(item);
          space();
          ++at_;  // , or ]
        }
        if (v.items.empty()) closeEmpty();
        break;
      case JValue::Kind::String:
        string();
        break;
      default:  // a number, true, false, null
        while (at_ < text_.size() && !std::strchr(" \t\r\n,]}", text_[at_])) ++at_;
        break;
    }
    out_[&v] = text_.substr(begin, at_ - begin);
  }

 private:
  void space() {
    while (at_ < text_.size() && std::strchr(" \t\r\n", text_[at_]) && text_[at_] != '\0') ++at_;
  }
  void string() {
    for (++at_; at_ < text_.size() && text_[at_] != '"'; ++at_)
      if (text_[at_] == '\\') ++at_;
    ++at_;
  }
  void closeEmpty() {
    space();
    ++at_;  // } or ]
  }
  std::string_view text_;
  RawTexts& out_;
  size_t at_ = 0;
};

}  // namespace

RawTexts rawTexts(const JValue& root, std::string_view text) {
  RawTexts out;
  RawScanner(text, out).value(root);
  return out;
}

}  // namespace mesh::eval
