// avro_schema.cpp: reading an Avro schema from its JSON (meshrt/avro_schema.h)
// by the specification's rules for declarations, names and defaults.
//
// simdjson's DOM parser reads the text (iteratively, within kMaxJsonDepth),
// then the tree is walked recursively: each schema level is a few JSON
// levels, so the walk is at most kMaxSchemaDepth frames deep. Defaults are
// checked once the whole schema is read, because a record's default may hold
// the record itself, whose fields are not all known while it is being read.
#include "meshrt/avro_schema.h"

#include <simdjson.h>

#include <algorithm>
#include <climits>
#include <unordered_set>

#include "meshrt/limits.h"

namespace meshrt::avro {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::object;

namespace {

constexpr std::pair<std::string_view, Type> kPrimitives[] = {
    {"null", Type::Null},   {"boolean", Type::Boolean}, {"int", Type::Int},     {"long", Type::Long},
    {"float", Type::Float}, {"double", Type::Double},   {"bytes", Type::Bytes}, {"string", Type::String},
};

std::optional<Type> primitive(std::string_view name) {
  for (const auto& [text, type] : kPrimitives)
    if (text == name) return type;
  return std::nullopt;
}

bool validName(std::string_view name) {
  if (name.empty()) return false;
  auto letter = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; };
  if (!letter(name[0])) return false;
  return std::all_of(name.begin() + 1, name.end(), [&](char c) { return letter(c) || (c >= '0' && c <= '9'); });
}

// A dot-separated sequence of names (a full name, or a non-empty namespace).
bool validDotted(std::string_view text) {
  size_t start = 0;
  while (true) {
    size_t dot = text.find('.', start);
    if (!validName(text.substr(start, dot == std::string_view::npos ? dot : dot - start))) return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

// A piece of the input for a message: JSON-quoted, and cut short, so that a
// hostile schema cannot make the message as long as itself.
std::string shown(std::string_view text) {
  constexpr size_t kShown = 60;
  std::string out = "\"";
  for (size_t i = 0; i < text.size() && i < kShown; ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      out += "\\u00";
      out += "0123456789abcdef"[c >> 4];
      out += "0123456789abcdef"[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  if (text.size() > kShown) out += "...";
  return out + "\"";
}

std::string_view spaceOf(std::string_view fullName) {
  size_t dot = fullName.rfind('.');
  return dot == std::string_view::npos ? std::string_view{} : fullName.substr(0, dot);
}

std::string qualify(std::string_view name, std::string_view space) {
  if (name.find('.') != std::string_view::npos || space.empty()) return std::string(name);
  return std::string(space) + "." + std::string(name);
}

std::optional<element> attribute(object o, std::string_view key) {
  element value;
  if (o.at_key(key).get(value) != simdjson::SUCCESS) return std::nullopt;
  return value;
}

std::string_view kindOf(element e) {
  switch (e.type()) {
    case element_type::ARRAY:
      return "an array";
    case element_type::OBJECT:
      return "an object";
    case element_type::STRING:
      return "a string";
    case element_type::BOOL:
      return "a boolean";
    case element_type::NULL_VALUE:
      return "null";
    default:
      return "a number";
  }
}

}  // namespace

std::string_view typeName(Type type) {
  static constexpr std::string_view kNames[] = {"null",   "boolean", "int",  "long",  "float", "double", "bytes",
                                                "string", "record",  "enum", "array", "map",   "union",  "fixed"};
  return kNames[static_cast<size_t>(type)];
}

std::string_view Node::shortName() const {
  size_t dot = fullName.rfind('.');
  return dot == std::string::npos ? std::string_view(fullName) : std::string_view(fullName).substr(dot + 1);
}

const Field* Node::field(std::string_view name) const {
  auto it = fieldIndex.find(name);
  return it == fieldIndex.end() ? nullptr : &fields[it->second];
}

// Reads one schema document into a Schema; the first error stops it.
class Parser {
 public:
  explicit Parser(Schema& out) : out_(out) {}

  bool root(element doc) { return (out_.root_ = schema(doc, {}, "", 0)) != nullptr; }
  const Node* schema(element e, std::string_view space, const std::string& path, size_t depth);
  bool checkDefaults();
  std::string error;

 private:
  struct PendingDefault {
    const Node* type;
    element value;
    std::string path;
  };

  Node* make(Type type);
  bool fail(const std::string& path, const std::string& message);
  const Node* failNode(const std::string& path, const std::string& message) {
    fail(path, message);
    return nullptr;
  }
  const Node* reference(std::string_view name, std::string_view space, const std::string& path);
  const Node* fromObject(object o, std::string_view space, const std::string& path, size_t depth);
  const Node* fromArray(array a, std::string_view space, const std::string& path, size_t depth);
  bool uniqueKeys(object o, const std::string& path);
  bool define(Node& node, object o, std::string_view space, const std::string& path);
  bool aliases(object o, std::string_view space, std::vector<std::string>& out, const std::string& path);
  bool record(Node& node, object o, const std::string& path, size_t depth);
  bool field(Node& node, element e, const std::string& path, size_t depth);
  bool enumeration(Node& node, object o, const std::string& path);
  bool fixed(Node& node, object o, const std::string& path);
  void logical(Node& node, object o);
  std::string defaultProblem(const Node& type, element value, size_t depth);
  std::string containerProblem(const Node& type, element value, size_t depth);

  Schema& out_;
  std::unordered_map<std::string, Node*> names_;
  std::vector<PendingDefault> defaults_;
};

Node* Parser::make(Type type) {
  out_.nodes_.push_back(std::make_unique<Node>());
  out_.nodes_.back()->type = type;
  return out_.nodes_.back().get();
}

bool Parser::fail(const std::string& path, const std::string& message) {
  if (error.empty()) error = (path.empty() ? "/" : path) + ": " + message;
  return false;
}

const Node* Parser::schema(element e, std::string_view space, const std::string& path, size_t depth) {
  if (depth > kMaxSchemaDepth) {
    return failNode(path, "the schema nests deeper than " + std::to_string(kMaxSchemaDepth) + " levels");
  }
  switch (e.type()) {
    case element_type::STRING:
      return reference(e.get_string().value_unsafe(), space, path);
    case element_type::OBJECT:
      return fromObject(e.get_object().value_unsafe(), space, path, depth);
    case element_type::ARRAY:
      return fromArray(e.get_array().value_unsafe(), space, path, depth);
    default:
      fail(path, std::string("a schema is a string, an object or an array, not ") + std::string(kindOf(e)));
      return nullptr;
  }
}

// A type name: a primitive, or a named type defined earlier (a short name is
// in the namespace of the enclosing definition, as the spec says).
const Node* Parser::reference(std::string_view name, std::string_view space, const std::string& path) {
  if (auto type = primitive(name)) return make(*type);
  std::string full = qualify(name, space);
  auto it = names_.find(full);
  if (it != names_.end()) return it->second;
  if (!validDotted(name)) {
    fail(path, "unknown type " + shown(name));
  } else {
    fail(path, "undefined name " + shown(full) + " (a named type must be defined before it is used)");
  }
  return nullptr;
}

bool Parser::uniqueKeys(object o, const std::string& path) {
  std::unordered_set<std::string_view> seen;
  for (auto member : o)
    if (!seen.insert(member.key).second) return fail(path, "the attribute " + shown(member.key) + " appears twice");
  return true;
}

const Node* Parser::fromObject(object o, std::string_view space, const std::string& path, size_t depth) {
  if (!uniqueKeys(o, path)) return nullptr;
  auto typeAttr = attribute(o, "type");
  if (!typeAttr) return failNode(path, "a schema object needs a \"type\"");
  std::string_view type;
  if (typeAttr->get_string().get(type) != simdjson::SUCCESS)
    return failNode(path + "/type", "\"type\" is a string here, not " + std::string(kindOf(*typeAttr)));
  Node* node = nullptr;
  if (auto prim = primitive(type)) {
    node = make(*prim);
  } else if (type == "record" || type == "enum" || type == "fixed") {
    node = make(type == "record" ? Type::Record : type == "enum" ? Type::Enum : Type::Fixed);
    if (!define(*node, o, space, path)) return nullptr;
    bool ok = type == "record" ? record(*node, o, path, depth)
              : type == "enum" ? enumeration(*node, o, path)
                               : fixed(*node, o, path);
    if (!ok) return nullptr;
  } else if (type == "array" || type == "map") {
    node = make(type == "array" ? Type::Array : Type::Map);
    const char* key = type == "array" ? "items" : "values";
    auto inner = attribute(o, key);
    if (!inner)
      return failNode(path,
                      std::string(type == "array" ? "an" : "a") + " " + std::string(type) + " needs \"" + key + "\"");
    node->items = schema(*inner, space, path + "/" + key, depth + 1);
    if (!node->items) return nullptr;
  } else {
    // Not a reference in object form ({"type": "a.Name"}): the spec's
    // typeName is a primitive or complex type, and Java and Python refuse it.
    return failNode(path + "/type", "unknown type " + shown(type) +
                                        " (a schema object's type is a primitive, record, enum, array, map or "
                                        "fixed; a named type is referred to by its name as a string)");
  }
  logical(*node, o);
  return node;
}

void Parser::logical(Node& node, object o) {
  // Logical types never change how data resolves: one that is not valid is
  // ignored by readers (the spec), so these are kept as given, unchecked.
  std::string_view text;
  int64_t number = 0;
  if (auto v = attribute(o, "logicalType"); v && v->get_string().get(text) == simdjson::SUCCESS)
    node.logicalType = std::string(text);
  if (auto v = attribute(o, "precision"); v && v->get_int64().get(number) == simdjson::SUCCESS) node.precision = number;
  if (auto v = attribute(o, "scale"); v && v->get_int64().get(number) == simdjson::SUCCESS) node.scale = number;
}

// A union: no union directly inside, at most one branch of each unnamed type
// and of each name.
const Node* Parser::fromArray(array a, std::string_view space, const std::string& path, size_t depth) {
  Node* node = make(Type::Union);
  size_t i = 0;
  for (element e : a) {
    std::string at = path + "/" + std::to_string(i++);
    const Node* branch = schema(e, space, at, depth + 1);
    if (!branch) return nullptr;
    if (branch->type == Type::Union) return failNode(at, "a union may not contain a union directly");
    for (const Node* earlier : node->branches) {
      if (branch->named() && earlier->named() && earlier->fullName == branch->fullName)
        return failNode(at, "the union has two branches named " + shown(branch->fullName));
      if (!branch->named() && earlier->type == branch->type)
        return failNode(at, "the union has two branches of type " + std::string(typeName(branch->type)));
    }
    node->branches.push_back(branch);
  }
  return node;
}

// The full name of a record, enum or fixed (spec "Names"), registered before
// its body is read so that the body may refer to it.
bool Parser::define(Node& node, object o, std::string_view space, const std::string& path) {
  auto nameAttr = attribute(o, "name");
  std::string_view name, ns;
  if (!nameAttr || nameAttr->get_string().get(name) != simdjson::SUCCESS)
    return fail(path, std::string(node.type == Type::Enum     ? "an enum"
                                  : node.type == Type::Record ? "a record"
                                                              : "a fixed") +
                          " needs a \"name\" string");
  bool hasSpace = false;
  if (auto nsAttr = attribute(o, "namespace"); nsAttr && !nsAttr->is_null()) {
    if (nsAttr->get_string().get(ns) != simdjson::SUCCESS)
      return fail(path + "/namespace", "\"namespace\" must be a string");
    // A dotted name ignores the namespace (the spec), so it is checked only when used.
    if (name.find('.') == std::string_view::npos && !ns.empty() && !validDotted(ns))
      return fail(path + "/namespace", "invalid namespace " + shown(ns));
    hasSpace = true;
  }
  node.fullName = name.find('.') != std::string_view::npos ? std::string(name) : qualify(name, hasSpace ? ns : space);
  if (!validDotted(node.fullName))
    return fail(path + "/name", "invalid name " + shown(name) + " (names are [A-Za-z_][A-Za-z0-9_]*, dot-separated)");
  if (primitive(node.shortName()))
    return fail(path + "/name", "a named type may not take the primitive type name " + shown(node.shortName()));
  if (!names_.emplace(node.fullName, &node).second)
    return fail(path + "/name", "redefinition of " + shown(node.fullName));
  return aliases(o, spaceOf(node.fullName), node.aliases, path);
}

// Type aliases are full names, or relative to the type's own namespace;
// field aliases (space empty) are plain names.
bool Parser::aliases(object o, std::string_view space, std::vector<std::string>& out, const std::string& path) {
  auto attr = attribute(o, "aliases");
  if (!attr || attr->is_null()) return true;
  array list;
  if (attr->get_array().get(list) != simdjson::SUCCESS) return fail(path + "/aliases", "\"aliases\" must be an array");
  size_t i = 0;
  for (element e : list) {
    std::string at = path + "/aliases/" + std::to_string(i++);
    std::string_view alias;
    if (e.get_string().get(alias) != simdjson::SUCCESS) return fail(at, "an alias must be a string");
    if (!validDotted(alias)) return fail(at, "invalid alias " + shown(alias));
    out.push_back(qualify(alias, space));
  }
  return true;
}

bool Parser::record(Node& node, object o, const std::string& path, size_t depth) {
  auto fieldsAttr = attribute(o, "fields");
  array list;
  if (!fieldsAttr || fieldsAttr->get_array().get(list) != simdjson::SUCCESS)
    return fail(path, "a record needs a \"fields\" array");
  size_t i = 0;
  for (element e : list)
    if (!field(node, e, path + "/fields/" + std::to_string(i++), depth)) return false;
  for (size_t k = 0; k < node.fields.size(); ++k) node.fieldIndex.emplace(node.fields[k].name, k);
  return true;
}

bool Parser::field(Node& node, element e, const std::string& path, size_t depth) {
  object o;
  if (e.get_object().get(o) != simdjson::SUCCESS) return fail(path, "a field is an object");
  if (!uniqueKeys(o, path)) return false;
  Field f;
  std::string_view name;
  auto nameAttr = attribute(o, "name");
  if (!nameAttr || nameAttr->get_string().get(name) != simdjson::SUCCESS)
    return fail(path, "a field needs a \"name\" string");
  if (!validName(name)) return fail(path + "/name", "invalid field name " + shown(name));
  for (const Field& other : node.fields)
    if (other.name == name) return fail(path + "/name", "duplicate field name " + shown(name));
  f.name = std::string(name);
  if (!aliases(o, {}, f.aliases, path)) return false;
  for (const std::string& alias : f.aliases)
    if (alias.find('.') != std::string::npos) return fail(path + "/aliases", "invalid field alias " + shown(alias));
  auto typeAttr = attribute(o, "type");
  if (!typeAttr) return fail(path, "the field " + shown(name) + " needs a \"type\"");
  f.type = schema(*typeAttr, spaceOf(node.fullName), path + "/type", depth + 1);
  if (!f.type) return false;
  if (auto order = attribute(o, "order")) {
    std::string_view text;
    if (order->get_string().get(text) != simdjson::SUCCESS ||
        (text != "ascending" && text != "descending" && text != "ignore"))
      return fail(path + "/order", "\"order\" is \"ascending\", \"descending\" or \"ignore\"");
  }
  if (auto value = attribute(o, "default")) {
    f.defaultJson = simdjson::minify(*value);
    defaults_.push_back({f.type, *value, path + "/default"});
  }
  node.fields.push_back(std::move(f));
  return true;
}

bool Parser::enumeration(Node& node, object o, const std::string& path) {
  auto attr = attribute(o, "symbols");
  array list;
  if (!attr || attr->get_array().get(list) != simdjson::SUCCESS) return fail(path, "an enum needs a \"symbols\" array");
  std::unordered_set<std::string_view> seen;
  size_t i = 0;
  for (element e : list) {
    std::string at = path + "/symbols/" + std::to_string(i++);
    std::string_view symbol;
    if (e.get_string().get(symbol) != simdjson::SUCCESS) return fail(at, "a symbol must be a string");
    if (!validName(symbol)) return fail(at, "invalid symbol " + shown(symbol));
    if (!seen.insert(symbol).second) return fail(at, "duplicate symbol " + shown(symbol));
    node.symbols.emplace_back(symbol);
  }
  if (auto def = attribute(o, "default")) {
    std::string_view symbol;
    if (def->get_string().get(symbol) != simdjson::SUCCESS || !seen.count(symbol))
      return fail(path + "/default", "the enum's default must be one of its symbols");
    node.enumDefault = std::string(symbol);
  }
  return true;
}

bool Parser::fixed(Node& node, object o, const std::string& path) {
  auto attr = attribute(o, "size");
  int64_t size = -1;
  if (!attr || attr->get_int64().get(size) != simdjson::SUCCESS || size < 0 || size > INT32_MAX)
    return fail(path, "a fixed needs a \"size\": an integer from 0 to 2147483647");
  node.size = static_cast<uint64_t>(size);
  return true;
}

namespace {

// The bytes a bytes or fixed default stands for: the spec maps code points
// 0-255 to bytes, so a code point above 255 is no byte (nullopt).
std::optional<size_t> byteCount(std::string_view text) {
  size_t count = 0;
  for (size_t i = 0; i < text.size(); ++i, ++count) {
    auto b = static_cast<unsigned char>(text[i]);
    if (b < 0x80) continue;
    if (b != 0xC2 && b != 0xC3) return std::nullopt;  // U+0100 and above
    ++i;                                              // simdjson checked the UTF-8
  }
  return count;
}

}  // namespace

// Why `value` is not a default of `type` in Avro's JSON encoding (the spec's
// table of field default values), or "" when it is one. A union's default is
// a value of its first branch; a record's names each field, or the field has
// a default of its own. Recursion follows the value, within kMaxJsonDepth.
std::string Parser::defaultProblem(const Node& type, element v, size_t depth) {
  std::string_view name = typeName(type.type);
  auto expected = [&](std::string_view what) {
    return "expected " + std::string(what) + " for " + std::string(name) + ", found " + shown(simdjson::minify(v));
  };
  int64_t n = 0;
  std::string_view text;
  switch (type.type) {
    case Type::Null:
      return v.is_null() ? "" : expected("null");
    case Type::Boolean:
      return v.is_bool() ? "" : expected("true or false");
    case Type::Int:
      return v.get_int64().get(n) == simdjson::SUCCESS && n >= INT32_MIN && n <= INT32_MAX
                 ? ""
                 : expected("a 32-bit integer");
    case Type::Long:
      return v.get_int64().get(n) == simdjson::SUCCESS ? "" : expected("a 64-bit integer");
    case Type::Float:
    case Type::Double:
      return v.is_number() ? "" : expected("a number");
    case Type::String:
      return v.is_string() ? "" : expected("a string");
    case Type::Bytes:
      return v.get_string().get(text) == simdjson::SUCCESS && byteCount(text)
                 ? ""
                 : expected("a string of code points 0-255");
    case Type::Fixed:
      return v.get_string().get(text) == simdjson::SUCCESS && byteCount(text) == type.size
                 ? ""
                 : expected("a string of " + std::to_string(type.size) + " code points 0-255");
    case Type::Enum:
      if (v.get_string().get(text) == simdjson::SUCCESS &&
          std::find(type.symbols.begin(), type.symbols.end(), text) != type.symbols.end())
        return "";
      return expected("one of the symbols");
    case Type::Union:
      if (type.branches.empty()) return "an empty union has no values";
      return defaultProblem(*type.branches.front(), v, depth);
    default:
      return depth >= kMaxJsonDepth ? "the default nests too deeply" : containerProblem(type, v, depth);
  }
}

// Arrays, maps and records: each element, value or field in turn.
std::string Parser::containerProblem(const Node& type, element v, size_t depth) {
  std::string_view name = typeName(type.type);
  if (type.type == Type::Array) {
    array items;
    if (v.get_array().get(items) != simdjson::SUCCESS) return "expected an array for array";
    for (element item : items)
      if (auto problem = defaultProblem(*type.items, item, depth + 1); !problem.empty()) return problem;
    return "";
  }
  object members;
  if (v.get_object().get(members) != simdjson::SUCCESS) return "expected an object for " + std::string(name);
  if (type.type == Type::Map) {
    for (auto member : members)
      if (auto problem = defaultProblem(*type.items, member.value, depth + 1); !problem.empty()) return problem;
    return "";
  }
  for (const Field& f : type.fields) {
    auto value = attribute(members, f.name);
    if (!value && !f.defaultJson) return "the record's field " + shown(f.name) + " is missing and has no default";
    if (value)
      if (auto problem = defaultProblem(*f.type, *value, depth + 1); !problem.empty()) return problem;
  }
  return "";
}

bool Parser::checkDefaults() {
  for (const PendingDefault& d : defaults_) {
    std::string problem = defaultProblem(*d.type, d.value, 0);
    if (!problem.empty()) return fail(d.path, "the default is not valid for the field's type: " + problem);
  }
  return true;
}

Result<Schema> parse(std::string_view json) {
  Result<Schema> result;
  if (json.size() > kMaxSchemaText) {
    result.error = "the schema is longer than " + std::to_string(kMaxSchemaText) + " bytes";
    return result;
  }
  simdjson::dom::parser reader;
  element doc;
  simdjson::padded_string text(json.data(), json.size());
  auto err = reader.allocate(std::max<size_t>(text.size(), 64), kMaxJsonDepth);
  if (!err) err = reader.parse(text).get(doc);
  if (err) {
    result.error = std::string("not JSON: ") + simdjson::error_message(err);
    return result;
  }
  Schema schema;
  Parser parser(schema);
  if (!parser.root(doc) || !parser.checkDefaults()) {
    result.error = parser.error;
    return result;
  }
  result.value = std::move(schema);
  return result;
}

}  // namespace meshrt::avro
