// Readers: one pass over a JSON message (meshrt::JsonDocument over simdjson
// On-Demand) that fills a record's struct and reports every violation in
// document order, as the reference evaluator does.
#include <fmt/format.h>

#include "codegen/cpp/CppGen.h"
#include "meshrt/messages.h"

namespace mesh::codegen::cpp {
namespace {

// A default (or an element of one) of type `t`, as a C++ expression.
std::string defaultValue(const model::Value& v, const model::Type* t) {
  if (v.kind == model::Value::Kind::Null) return "std::nullopt";
  if (v.kind == model::Value::Kind::List || v.kind == model::Value::Kind::Map) {
    // A braced list of the elements, a map's as {key, value} pairs.
    std::string items;
    for (size_t n = 0; n < v.items.size(); ++n) {
      if (n) items += ", ";
      std::string item = defaultValue(v.items[n], t->element);
      if (v.kind == model::Value::Kind::Map)
        item = code("{std::string($k$, $n$), $v$}",
                    {{"k", cppString(v.keys[n])}, {"n", std::to_string(v.keys[n].size())}, {"v", item}});
      items += item;
    }
    return code("$type${$items$}", {{"type", storageType(t, false)}, {"items", items}});
  }
  if (const CppScalar* s = cppScalar(t->kind))
    return s->defaultOf ? s->defaultOf(v, *t) : code(s->parse, {{"s", cppString(v.s)}});
  if (t->kind == TypeKind::Enum)
    return code("$type$::$member$",
                {{"type", qualifiedType(*t->enumType)}, {"member", ident(t->enumType->members[v.member].name)}});
  return "{}";
}

// What a record's reader does for a field the message leaves out.
void printMissingField(Printer& p, const model::Field& f) {
  std::string target = "out." + ident(f.name);
  std::string index = std::to_string(f.index);
  if (f.defaultValue) {
    p.print("if (!seen[$i$]) $target$ = $default$;\n",
            {{"i", index}, {"target", target}, {"default", defaultValue(*f.defaultValue, f.type)}});
  } else if (f.optional()) {
    p.print("if (!seen[$i$]) $target$.reset();\n", {{"i", index}, {"target", target}});
  } else {
    p.print(
        "if (!seen[$i$]) {\n"
        "  sink.member($name$);\n"
        "  sink.add(::meshrt::Rule::Required, ::meshrt::msg::kRequired);\n"
        "  sink.resize(mark);\n"
        "  clean = false;\n"
        "}\n",
        {{"i", index}, {"name", cppString(f.wireName())}});
  }
}

// The field of a key: a switch on its length, then comparisons of known
// length (which compilers turn into a few loads and compares, no call).
void printFieldOf(Printer& p, const model::Record& r) {
  p.print("auto field_of = [](std::string_view key) {\n  int index = -1;\n");
  {
    Printer::Indent in(p);
    if (r.fields.empty()) {
      p.print("(void)key;\n");
    } else {
      std::vector<std::pair<std::string, std::string>> cases;
      for (const auto& f : r.fields)
        cases.push_back({f->wireName(), code("index = $i$;", {{"i", std::to_string(f->index)}})});
      p.printBlock(matchByLength("key", cases));
    }
  }
  p.print("  return index;\n};\n");
}

}  // namespace

std::string matchByLength(const std::string& var, const std::vector<std::pair<std::string, std::string>>& cases) {
  std::map<size_t, std::vector<const std::pair<std::string, std::string>*>> byLength;
  for (const auto& c : cases) byLength[c.first.size()].push_back(&c);
  Printer p;
  p.print("switch ($var$.size()) {\n", {{"var", var}});
  for (const auto& [length, named] : byLength) {
    std::string n = std::to_string(length);
    p.print("  case $n$:\n", {{"n", n}});
    for (const auto* c : named)
      p.print("    if (std::memcmp($var$.data(), $name$, $n$) == 0) { $action$ }\n",
              {{"var", var}, {"name", cppString(c->first)}, {"n", n}, {"action", c->second}});
    p.print("    break;\n");
  }
  p.print("  default: break;\n}\n");
  return p.take();
}

// The start of reading a list or map: declares `ok`, checks the JSON kind
// (a type violation and a skipped value otherwise) and opens the branch
// that walks the elements (at depth 2; the caller closes both blocks).
std::string FunctionGen::openContainer(const std::string& ok, const std::string& json, const std::string& kindEnum,
                                       const std::string& expected) {
  std::string kind = local("container_kind");
  return code(
      "bool $ok$ = true;\n"
      "{\n"
      "  ::meshrt::JsonKind $kind$ = ::meshrt::kindOf($json$);\n"
      "  if ($kind$ != ::meshrt::JsonKind::$kindEnum$) {\n"
      "    sink.add(::meshrt::Rule::Type, ::meshrt::msg::expected(\"$expected$\", ::meshrt::kindName($kind$)));\n"
      "    ::meshrt::skipValue($json$);\n"
      "    $ok$ = false;\n"
      "  } else {\n",
      {{"ok", ok}, {"kind", kind}, {"json", json}, {"kindEnum", kindEnum}, {"expected", expected}});
}

std::string FunctionGen::readList(const model::Type* t, const std::string& json, const std::string& value,
                                  const std::string& ok) {
  Printer p;
  p.printBlock(openContainer(ok, json, "Array", "an array"));
  std::string index = local("item_index"), element = local("item"), mark = local("item_mark");
  // The elements already in the vector are read over (their strings and
  // vectors keep their storage); what is left over is dropped after.
  std::initializer_list<Printer::Var> vars = {
      {"index", index}, {"element", element}, {"mark", mark}, {"json", json}, {"value", value}};
  p.print(
      "    size_t $index$ = 0;\n"
      "    ::meshrt::forEachElement($json$, [&](::meshrt::JsonValue& $element$) {\n"
      "      size_t $mark$ = sink.mark();\n"
      "      sink.index($index$);\n"
      "      bool mesh_clean = true;\n"
      "      if ($index$ == $value$.size()) $value$.emplace_back();\n",
      vars);
  {
    Nest in(p, 3);
    p.printBlock(readValue(t->element, element, value + "[" + index + "]"));
  }
  p.print(
      "      if (!mesh_clean) $ok$ = false;\n"
      "      sink.resize($mark$);\n"
      "      ++$index$;\n"
      "    });\n"
      "    if ($value$.size() > $index$)\n"
      "      $value$.erase($value$.begin() + static_cast<std::ptrdiff_t>($index$), $value$.end());\n"
      "  }\n"
      "}\n",
      {{"ok", ok}, {"mark", mark}, {"index", index}, {"value", value}});
  return p.take();
}

std::string FunctionGen::readMap(const model::Type* t, const std::string& json, const std::string& value,
                                 const std::string& ok) {
  Printer p;
  p.printBlock(openContainer(ok, json, "Object", "an object"));
  std::string key = local("entry_key"), element = local("entry"), mark = local("entry_mark");
  std::string slot = local("slot"), filler = local("entries"), position = local("entry_position");
  p.print(
      "    ::meshrt::MapFiller<$type$> $filler$($value$);\n"
      "    uint64_t $position$ = 0;\n"
      "    ::meshrt::forEachMember($json$, [&](std::string_view $key$, ::meshrt::JsonValue& $element$) {\n"
      "      size_t $mark$ = sink.mark();\n"
      "      $keyStep$;\n"
      "      auto* $slot$ = $filler$.add($key$);\n"
      "      if (!$slot$) {\n"
      "        sink.add(::meshrt::Rule::Parse, ::meshrt::msg::kDuplicateKey);\n"
      "        ::meshrt::skipValue($element$);\n"
      "        $ok$ = false;\n"
      "      } else {\n"
      "        bool mesh_clean = true;\n",
      {{"type", storageType(t, false)},
       {"keyStep", keyStep(t, key, position)},
       {"filler", filler},
       {"value", value},
       {"key", key},
       {"json", json},
       {"element", element},
       {"mark", mark},
       {"slot", slot},
       {"ok", ok},
       {"position", position}});
  {
    Nest in(p, 4);
    p.printBlock(constraintsOf(t->key, key));
    p.printBlock(readValue(t->element, element, "(*" + slot + ")"));
  }
  p.print(
      "        if (!mesh_clean) $ok$ = false;\n"
      "      }\n"
      "      sink.resize($mark$);\n"
      "    });\n"
      "  }\n"
      "}\n",
      {{"ok", ok}, {"mark", mark}});
  return p.take();
}

std::string FunctionGen::readScalar(const model::Type* t, const std::string& json, const std::string& kind,
                                    const std::string& value, const std::string& ok) {
  const CppScalar* scalar = cppScalar(t->kind);
  if (scalar && model::primitiveType(t->kind)->parameterized)
    return code("bool $ok$ = ::meshrt::$reader$($json$, $kind$, $value$, $precision$, $scale$, sink);\n",
                {{"ok", ok},
                 {"reader", scalar->reader},
                 {"json", json},
                 {"kind", kind},
                 {"value", value},
                 {"precision", std::to_string(t->precision)},
                 {"scale", std::to_string(t->scale)}});
  if (scalar)
    return code("bool $ok$ = ::meshrt::$reader$($json$, $kind$, $value$, sink);\n",
                {{"ok", ok}, {"reader", scalar->reader}, {"json", json}, {"kind", kind}, {"value", value}});
  if (t->kind == TypeKind::Enum)
    return code("bool $ok$ = ::meshrt::readEnum<$type$>($json$, $kind$, $value$, ::$ns$::from_string, $name$, sink);\n",
                {{"ok", ok},
                 {"type", qualifiedType(*t->enumType)},
                 {"json", json},
                 {"kind", kind},
                 {"value", value},
                 {"ns", cppNamespace(t->enumType->package)},
                 {"name", cppString(t->enumType->name)}});
  if (t->kind == TypeKind::Record)
    return code("bool $ok$ = $detail$::read($json$, $value$, sink);\n",
                {{"ok", ok}, {"detail", detail(*t->record)}, {"json", json}, {"value", value}});
  if (t->kind == TypeKind::Union && t->unionType->tagged())
    return code("bool $ok$ = $detail$::read($json$, $value$, sink);\n",
                {{"ok", ok}, {"detail", detail(*t->unionType)}, {"json", json}, {"value", value}});
  if (t->kind == TypeKind::Union) return readUnion(t, json, kind, value, ok);
  return code("bool $ok$ = false;\n", {{"ok", ok}});
}

// Reads the JSON value `json` of type t into `target` (an lvalue of the
// storage type); sets `mesh_clean = false` on structural violations.
std::string FunctionGen::readValue(const model::Type* t, const std::string& json, const std::string& target) {
  Printer p;
  std::string value = local("parsed");
  std::string kind = local("value_kind");
  p.print("::meshrt::JsonKind $kind$ = ::meshrt::kindOf($json$);\n", {{"kind", kind}, {"json", json}});
  if (t->optional)
    p.print("if ($kind$ == ::meshrt::JsonKind::Null) {\n  ::meshrt::skipValue($json$);\n  $target$.reset();\n",
            {{"kind", kind}, {"json", json}, {"target", target}});
  else if (t->takesNull())  // `null` is read as a value of the type
    p.print("{\n");
  else
    p.print(
        "if (MESHRT_UNLIKELY($kind$ == ::meshrt::JsonKind::Null)) {\n"
        "  ::meshrt::skipValue($json$);\n"
        "  sink.add(::meshrt::Rule::Required, ::meshrt::msg::kNull);\n"
        "  mesh_clean = false;\n",
        {{"kind", kind}, {"json", json}});
  if (t->optional || !t->takesNull()) p.print("} else {\n");
  p.indent();
  // Read in place: a struct reused for message after message keeps the
  // capacity of its strings and lists. (An invalid message leaves the
  // struct unspecified; parse() says so by returning false.)
  bool inPlace = t->kind == TypeKind::String || t->kind == TypeKind::Bytes || t->kind == TypeKind::List ||
                 t->kind == TypeKind::Map || t->kind == TypeKind::Record || t->kind == TypeKind::Json ||
                 t->kind == TypeKind::Union;
  if (!inPlace)  // scalars (and vector<bool>'s proxies)
    p.print("$type$ $value${};\n", {{"type", storageType(t, false)}, {"value", value}});
  else if (t->optional)
    p.print("auto& $value$ = $target$.has_value() ? *$target$ : $target$.emplace();\n",
            {{"value", value}, {"target", target}});
  else
    p.print("auto& $value$ = $target$;\n", {{"value", value}, {"target", target}});
  std::string ok = local("read_ok");
  if (t->kind == TypeKind::List)
    p.printBlock(readList(t, json, value, ok));
  else if (t->kind == TypeKind::Map)
    p.printBlock(readMap(t, json, value, ok));
  else
    p.printBlock(readScalar(t, json, kind, value, ok));
  Printer accepted;  // what happens to a value read cleanly
  accepted.printBlock(constraintsOf(t, value));
  if (!inPlace) accepted.print("$target$ = $value$;\n", {{"target", target}, {"value", value}});
  if (accepted.empty()) {
    p.print("if (MESHRT_UNLIKELY(!$ok$)) mesh_clean = false;\n", {{"ok", ok}});
  } else {
    p.print("if (MESHRT_LIKELY($ok$)) {\n", {{"ok", ok}});
    {
      Printer::Indent inner(p);
      p.printBlock(accepted.str());
    }
    p.print("} else {\n  mesh_clean = false;\n}\n");
  }
  p.outdent();
  p.print("}\n");
  return p.take();
}

// One field's case in a record reader's switch.
std::string FunctionGen::readField(const model::Field& f) {
  newScope();  // the case is a block of its own
  Printer p;
  std::string target = "out." + ident(f.name);
  p.print("case $i$: {\n", {{"i", std::to_string(f.index)}});
  p.indent();
  if (model::isSensitive(f.tags)) p.print("sink.markSensitive();\n");
  p.printBlock(readValue(f.type, "value", target));
  if (f.constraint && !f.constraint->type->isError()) {
    if (f.type->optional)
      p.print("if (mesh_clean && $target$.has_value()) {\n", {{"target", target}});
    else
      p.print("if (mesh_clean) {\n");
    {
      Printer::Indent inner(p);
      p.printBlock(whereCheck(*f.constraint, f.constraintText, f.constraintTextRedacted, false,
                              f.type->optional ? "(*" + target + ")" : target));
    }
    p.print("}\n");
  }
  p.print("break;\n");
  p.outdent();
  p.print("}\n");
  return p.take();
}

std::string FunctionGen::recordReader(const model::Record& r, bool caseRecord) {
  Printer p;
  p.print(
      "bool read(::meshrt::JsonValue& json, $type$& out, ::meshrt::Sink& sink) {\n"
      "  ::meshrt::JsonKind kind = ::meshrt::kindOf(json);\n"
      "  if (kind != ::meshrt::JsonKind::Object) {\n"
      "    sink.add(::meshrt::Rule::Type, ::meshrt::msg::expected(\"an object\", ::meshrt::kindName(kind)));\n"
      "    ::meshrt::skipValue(json);\n"
      "    return false;\n"
      "  }\n",
      {{"type", qualifiedType(r)}});
  // A tagged union's record is also read from the object its union opened
  // to find the discriminator.
  if (caseRecord)
    p.print(
        "  ::meshrt::JsonObject object = ::meshrt::openObject(json);\n"
        "  return readMembers(object, out, sink);\n"
        "}\n"
        "\n"
        "bool readMembers(::meshrt::JsonObject& json, $type$& out, ::meshrt::Sink& sink) {\n",
        {{"type", qualifiedType(r)}});
  p.print(
      "  bool seen[$n$] = {};\n"
      "  std::vector<std::string> unknown;\n"
      "  bool clean = true;\n"
      "  size_t mark = sink.mark();\n"
      "  uint64_t position = 0;\n",
      {{"n", std::to_string(std::max<size_t>(r.fields.size(), 1))}});
  p.indent();
  if (model::isSensitive(r.tags)) p.print("sink.markSensitive();\n");
  printFieldOf(p, r);
  // The raw key is looked up first (a field name holds no backslash); only
  // a key matching no field is checked for escapes and looked up decoded. A
  // wire name with a backslash could match a raw key that decodes to
  // another text (`a\\b` is `a\b`): such a record looks up decoded keys only.
  bool rawKeys = std::none_of(r.fields.begin(), r.fields.end(),
                              [](const auto& f) { return f->wireName().find('\\') != std::string::npos; });
  p.print("::meshrt::forEachRecordMember(json, [&](::meshrt::MemberKey& member, ::meshrt::JsonValue& value) {\n");
  if (rawKeys)
    p.print(
        "  std::string_view key = member.raw();\n"
        "  int index = field_of(key);\n"
        "  if (index < 0 && member.escaped()) {\n"
        "    key = member.unescaped();\n"
        "    index = field_of(key);\n"
        "  }\n");
  else
    p.print(
        "  std::string_view key = member.escaped() ? member.unescaped() : member.raw();\n"
        "  int index = field_of(key);\n");
  p.print(
      "  sink.member(key);\n"
      "  if (index < 0) sink.withholdKey(position);\n"
      "  ++position;\n"
      "  bool duplicate = index >= 0 ? seen[index] : std::find(unknown.begin(), unknown.end(), key) != unknown.end();\n"
      "  if (MESHRT_UNLIKELY(duplicate)) {\n"
      "    sink.add(::meshrt::Rule::Parse, ::meshrt::msg::kDuplicateKey);\n"
      "    ::meshrt::skipValue(value);\n"
      "    clean = false;\n"
      "  } else if (MESHRT_UNLIKELY(index < 0)) {\n"
      "    unknown.emplace_back(key);\n");
  if (r.closed)
    p.print("    sink.add(::meshrt::Rule::Unknown, $message$);\n    clean = false;\n",
            {{"message", cppString(meshrt::msg::unknownKey(r.name))}});
  p.print(
      "    ::meshrt::skipValue(value);\n"
      "  } else {\n"
      "    seen[index] = true;\n"
      "    bool mesh_clean = true;\n"
      "    switch (index) {\n");
  {
    Nest cases(p, 3);
    for (const auto& f : r.fields) p.printBlock(readField(*f));
  }
  p.print(
      "      default: break;\n"
      "    }\n"
      "    if (!mesh_clean) clean = false;\n"
      "  }\n"
      "  sink.resize(mark);\n"
      "});\n");
  for (const auto& f : r.fields) printMissingField(p, *f);
  if (!r.checks.empty()) p.print("if (clean) checkRecord(out, sink);\n");
  p.print("return clean;\n");
  p.outdent();
  p.print("}\n\n");
  return p.take();
}

}  // namespace mesh::codegen::cpp
