// Json: a strict JSON reader on nlohmann's SAX interface, building JValue.
#include "eval/Json.h"

#include <cstring>
#include <nlohmann/json.hpp>

#include "meshrt/formats.h"
#include "meshrt/limits.h"

namespace mesh::eval {
namespace {

// A number of the text a double cannot hold (`1e400`): valid JSON (RFC 8259
// sets no range), so a reader of its field reports it (`out of range for
// float64`), as the generated validators do. nlohmann stops at one
// (out_of_range.406); the text is then read again with each such number
// written as `0` and spaces, and the builder puts its text back.
struct Overflow {
  size_t index;  // among the numbers of the text, in order
  std::string text;
};

bool isNumberChar(char c) { return (c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-'; }

// The numbers of `text` (outside strings) that overflow a double, each
// replaced in `text` by `0` and spaces (the same length).
std::vector<Overflow> replaceOverflowingNumbers(std::string& text) {
  std::vector<Overflow> out;
  size_t index = 0;
  for (size_t i = 0; i < text.size();) {
    char c = text[i];
    if (c == '"') {
      ++i;
      while (i < text.size() && text[i] != '"') i += text[i] == '\\' ? 2 : 1;
      ++i;
      continue;
    }
    if (c != '-' && !(c >= '0' && c <= '9')) {
      ++i;
      continue;
    }
    size_t start = i;
    while (i < text.size() && isNumberChar(text[i])) ++i;
    std::string_view token(text.data() + start, i - start);
    if (meshrt::isJsonNumber(token) && !meshrt::parseJsonDouble(token)) {
      out.push_back({index, std::string(token)});
      text.replace(start, i - start, "0" + std::string(i - start - 1, ' '));
    }
    ++index;
  }
  return out;
}

class Builder : public nlohmann::json_sax<nlohmann::json> {
 public:
  explicit Builder(const std::vector<Overflow>* overflows = nullptr) : overflows_(overflows) {}
  JValue root;
  bool tooDeep = false;
  bool overflow = false;  // stopped at a number past a double's range

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
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) override {
    overflow = e.id == 406;
    return false;
  }

 private:
  bool number(std::string text) {
    JValue j;
    j.kind = JValue::Kind::Number;
    j.text = std::move(text);
    if (overflows_ && next_ < overflows_->size() && (*overflows_)[next_].index == numbers_)
      j.text = (*overflows_)[next_++].text;
    ++numbers_;
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
  const std::vector<Overflow>* overflows_;
  size_t numbers_ = 0, next_ = 0;
};

bool read(std::string_view text, Builder& builder) {
  bool ok = nlohmann::json::sax_parse(text.begin(), text.end(), &builder, nlohmann::json::input_format_t::json,
                                      /*strict=*/true);
  return ok && !builder.tooDeep;
}

}  // namespace

std::optional<JValue> parseJson(std::string_view text) {
  // nlohmann's lexer takes a NUL byte for the end of the input (a C string's
  // end), so `{}\0garbage` would be read as `{}`. A raw NUL is never valid
  // JSON (not white space, not allowed unescaped in a string): refuse it
  // here, as the generated validators' reader does. Found by tests/fuzz.
  if (text.find('\0') != std::string_view::npos) return std::nullopt;
  Builder builder;
  if (read(text, builder)) return std::move(builder.root);
  if (!builder.overflow) return std::nullopt;
  std::string patched(text);
  std::vector<Overflow> overflows = replaceOverflowingNumbers(patched);
  Builder again(&overflows);
  if (overflows.empty() || !read(patched, again)) return std::nullopt;
  return std::move(again.root);
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
