// Unions (language.md section 8) in C++: an anonymous union (`int64 |
// timestamp`, `string | null`) is a std::variant of its alternatives' types
// (`null`: std::monostate), read by the JSON kind of the value; a tagged union
// is a struct deriving from the std::variant of its records, with its own
// read (by the discriminator), validateRecord and write in mesh_detail.
// Both agree with the reference evaluator (eval/Validate.cpp readUnion).
#include "codegen/cpp/CppGen.h"
#include "meshrt/messages.h"

namespace mesh::codegen::cpp {
namespace {

// The runtime's JsonKind enumerators, in the order of model::JsonKind's bits.
constexpr const char* kKindNames[] = {"Null", "Bool", "Number", "String", "Array", "Object"};

// `case ::meshrt::JsonKind::X:` for each JSON kind the alternative takes.
std::string kindCases(const model::Type* alternative) {
  unsigned kinds = model::jsonKinds(alternative);
  std::string out;
  for (unsigned bit = 0; bit < std::size(kKindNames); ++bit)
    if (kinds & (1u << bit)) out += code("case ::meshrt::JsonKind::$k$:\n", {{"k", kKindNames[bit]}});
  return out;
}

// Whether the held record's discriminator names one of its cases (a struct
// built in memory may hold a record whose discriminator picks another).
std::string discriminatorMatches(const model::Union& u, const model::Record& r) {
  const model::Field* f = r.field(u.discriminator);
  std::string out;
  for (const auto& c : u.cases) {
    if (c.record != &r) continue;
    std::string test;
    if (f->type->kind == TypeKind::Enum)
      test = code("rec.$f$ == $E$::$m$",
                  {{"f", ident(f->name)}, {"E", qualifiedType(*f->type->enumType)}, {"m", ident(c.value)}});
    else
      test = code("rec.$f$ == std::string_view($s$, $n$)",
                  {{"f", ident(f->name)}, {"s", cppString(c.value)}, {"n", std::to_string(c.value.size())}});
    out += (out.empty() ? "" : " || ") + test;
  }
  return out;
}

size_t alternativeIndex(const model::Union& u, const model::Record* r) {
  for (size_t i = 0; i < u.alternatives.size(); ++i)
    if (u.alternatives[i]->record == r) return i;
  return 0;
}

std::string taggedReader(const model::Union& u) {
  Printer p;
  p.print(
      "bool read(::meshrt::JsonValue& json, $T$& out, ::meshrt::Sink& sink) {\n"
      "  ::meshrt::JsonKind kind = ::meshrt::kindOf(json);\n"
      "  if (kind != ::meshrt::JsonKind::Object) {\n"
      "    sink.add(::meshrt::Rule::Type, ::meshrt::msg::expected(\"an object\", ::meshrt::kindName(kind)));\n"
      "    ::meshrt::skipValue(json);\n"
      "    return false;\n"
      "  }\n"
      "  ::meshrt::JsonObject object = ::meshrt::openObject(json);\n"
      "  std::string_view tag;\n"
      "  if (!::meshrt::readTag(object, $d$, tag, sink)) return false;\n",
      {{"T", qualifiedType(u)}, {"d", cppString(u.discriminator)}});
  std::vector<std::pair<std::string, std::string>> cases;
  for (const auto& c : u.cases) {
    std::string i = std::to_string(alternativeIndex(u, c.record));
    cases.push_back({c.value, code("if (out.index() != $i$) out.emplace<$i$>(); "
                                   "return $detail$::readMembers(object, std::get<$i$>(out), sink);",
                                   {{"i", i}, {"detail", detail(*c.record)}})});
  }
  {
    Printer::Indent in(p);
    p.printBlock(matchByLength("tag", cases));
  }
  p.print("  ::meshrt::reportNotCase(object, $d$, $message$, sink);\n  return false;\n}\n\n",
          {{"d", cppString(u.discriminator)}, {"message", cppString(meshrt::msg::notCase(u.name))}});
  return p.take();
}

std::string taggedValidator(const model::Union& u) {
  Printer p;
  p.print("void validateRecord(const $T$& value, ::meshrt::Sink& sink) {\n  switch (value.index()) {\n",
          {{"T", qualifiedType(u)}});
  for (size_t i = 0; i < u.alternatives.size(); ++i) {
    const model::Record& r = *u.alternatives[i]->record;
    p.print(
        "    case $i$: {\n"
        "      const auto& rec = std::get<$i$>(value);\n"
        "      if ($matches$) {\n"
        "        $detail$::validateRecord(rec, sink);\n"
        "      } else {\n"
        "        size_t mark = sink.mark();\n"
        "        sink.member($d$);\n"
        "        sink.add(::meshrt::Rule::Type, $message$);\n"
        "        sink.resize(mark);\n"
        "      }\n"
        "      return;\n"
        "    }\n",
        {{"i", std::to_string(i)},
         {"matches", discriminatorMatches(u, r)},
         {"detail", detail(r)},
         {"d", cppString(u.discriminator)},
         {"message", cppString(meshrt::msg::notCase(u.name))}});
  }
  p.print("    default: return;\n  }\n}\n\n");
  return p.take();
}

std::string taggedWriter(const model::Union& u) {
  Printer p;
  p.print("void write(::meshrt::JsonWriter& out, const $T$& value) {\n  switch (value.index()) {\n",
          {{"T", qualifiedType(u)}});
  for (size_t i = 0; i < u.alternatives.size(); ++i)
    p.print("    case $i$: $detail$::write(out, std::get<$i$>(value)); return;\n",
            {{"i", std::to_string(i)}, {"detail", detail(*u.alternatives[i]->record)}});
  // Only a variant left valueless by an exception has no alternative.
  p.print("    default: out.literal(\"null\"); return;\n  }\n}\n\n");
  return p.take();
}

}  // namespace

std::string FunctionGen::unionFunctions(const model::Union& u) {
  return taggedReader(u) + taggedValidator(u) + taggedWriter(u);
}

std::string FunctionGen::readUnion(const model::Type* t, const std::string& json, const std::string& kind,
                                   const std::string& value, const std::string& ok) {
  const model::Union& u = *t->unionType;
  Printer p;
  p.print("bool $ok$ = true;\nswitch ($kind$) {\n", {{"ok", ok}, {"kind", kind}});
  for (size_t i = 0; i < u.alternatives.size(); ++i) {
    const model::Type* a = u.alternatives[i];
    std::string index = std::to_string(i);
    p.printBlock(kindCases(a));
    if (a->kind == TypeKind::Null) {
      p.print("  $value$.emplace<$i$>();\n  ::meshrt::skipValue($json$);\n  break;\n",
              {{"value", value}, {"i", index}, {"json", json}});
      continue;
    }
    p.print("{\n  if ($value$.index() != $i$) $value$.emplace<$i$>();\n", {{"value", value}, {"i", index}});
    {
      Printer::Indent in(p);
      p.printBlock(readValue(a, json, code("std::get<$i$>($value$)", {{"i", index}, {"value", value}})));
      p.print("break;\n");
    }
    p.print("}\n");
  }
  p.print(
      "default:\n"
      "  sink.add(::meshrt::Rule::Type, ::meshrt::msg::expectedOneOf($text$, ::meshrt::kindName($kind$)));\n"
      "  ::meshrt::skipValue($json$);\n"
      "  $ok$ = false;\n"
      "  break;\n"
      "}\n",
      {{"text", cppString(u.text())}, {"kind", kind}, {"json", json}, {"ok", ok}});
  return p.take();
}

std::string switchOnIndex(const std::string& var, size_t count, const std::function<std::string(size_t)>& body,
                          const std::string& otherwise) {
  Printer cases;
  for (size_t i = 0; i < count; ++i) {
    std::string block = body(i);
    if (block.empty()) continue;
    cases.print("  case $i$: {\n", {{"i", std::to_string(i)}});
    {
      Nest in(cases, 2);
      cases.printBlock(block);
      cases.print("break;\n");
    }
    cases.print("  }\n");
  }
  if (cases.empty()) return {};
  Printer p;
  p.print("switch ($var$.index()) {\n", {{"var", var}});
  p.printBlock(cases.str());
  p.print("  default: $otherwise$\n}\n", {{"otherwise", otherwise}});
  return p.take();
}

std::string FunctionGen::validateUnion(const model::Type* t, const std::string& v) {
  const auto& alternatives = t->unionType->alternatives;
  return switchOnIndex(v, alternatives.size(), [&](size_t i) {
    return validateValue(alternatives[i], code("std::get<$i$>($v$)", {{"i", std::to_string(i)}, {"v", v}}));
  });
}

std::string FunctionGen::writeUnion(const model::Type* t, const std::string& v) {
  const auto& alternatives = t->unionType->alternatives;
  // Only a variant left valueless by an exception has no alternative.
  return switchOnIndex(
      v, alternatives.size(),
      [&](size_t i) {
        return writeValue(alternatives[i], code("std::get<$i$>($v$)", {{"i", std::to_string(i)}, {"v", v}}));
      },
      "out.literal(\"null\"); break;");
}

}  // namespace mesh::codegen::cpp
