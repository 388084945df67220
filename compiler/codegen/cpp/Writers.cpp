// Writers: a struct back to its JSON text (absent optional fields left out),
// with the keys and enum names as literals written at once.
#include "codegen/cpp/CppGen.h"
#include "meshrt/report.h"

namespace mesh::codegen::cpp {
namespace {

// The runtime call that writes a scalar `$v$`, or nothing for the others.
std::string writeScalar(const model::Type* t, const std::string& v) {
  if (const CppScalar* s = cppScalar(t->kind)) return code(s->write, {{"v", v}});
  if (t->kind == TypeKind::Enum)
    return code("::$ns$::mesh_detail::write(out, $v$);\n", {{"ns", cppNamespace(t->enumType->package)}, {"v", v}});
  if (t->kind == TypeKind::Record)
    return code("$detail$::write(out, $v$);\n", {{"detail", detail(*t->record)}, {"v", v}});
  if (t->kind == TypeKind::Union && t->unionType->tagged())
    return code("$detail$::write(out, $v$);\n", {{"detail", detail(*t->unionType)}, {"v", v}});
  return "out.literal(\"null\");\n";
}

}  // namespace

std::string FunctionGen::writeContainer(const model::Type* t, const std::string& v) {
  Printer p;
  if (t->kind == TypeKind::List) {
    std::string i = local("item_index");
    p.print("out.put('[');\nfor (size_t $i$ = 0; $i$ < $v$.size(); ++$i$) {\n  if ($i$) out.put(',');\n",
            {{"i", i}, {"v", v}});
    {
      Printer::Indent in(p);
      p.printBlock(writeValue(t->element, v + "[" + i + "]"));
    }
    p.print("}\nout.put(']');\n");
    return p.take();
  }
  std::string kv = local("entry"), first = local("first_entry");
  p.print(
      "out.put('{');\n"
      "bool $first$ = true;\n"
      "for (const auto& $kv$ : $v$) {\n"
      "  if (!$first$) out.put(',');\n"
      "  $first$ = false;\n"
      "  ::meshrt::writeString(out, $kv$.first);\n"
      "  out.put(':');\n",
      {{"first", first}, {"kv", kv}, {"v", v}});
  {
    Printer::Indent in(p);
    p.printBlock(writeValue(t->element, kv + ".second"));
  }
  p.print("}\nout.put('}');\n");
  return p.take();
}

std::string FunctionGen::writeValue(const model::Type* t, const std::string& var) {
  std::string v = t->optional ? "(*" + var + ")" : var;
  std::string body = t->kind == TypeKind::List || t->kind == TypeKind::Map   ? writeContainer(t, v)
                     : t->kind == TypeKind::Union && !t->unionType->tagged() ? writeUnion(t, v)
                                                                             : writeScalar(t, v);
  if (!t->optional) return body;
  Printer p;
  p.print("if (!$var$.has_value()) {\n  out.literal(\"null\");\n} else {\n", {{"var", var}});
  {
    Printer::Indent in(p);
    p.printBlock(body);
  }
  p.print("}\n");
  return p.take();
}

std::string FunctionGen::recordWriter(const model::Record& r) {
  newScope();
  // Whether a field was written before this one is known here until the
  // first optional field: then the comma is part of the key's literal (and
  // the opening brace of the first), and `mesh_first` decides only after
  // optional fields that may be absent.
  enum class Before { Nothing, Something, Unknown } before = Before::Nothing;
  bool braceWritten = false;
  bool usesFirst = false;
  Printer fields;
  for (const auto& f : r.fields) {
    std::string target = "rec." + ident(f->name);
    std::string key;
    meshrt::appendJsonString(key, f->wireName());
    key += ":";
    // Absent optional fields are left out (they read back as absent).
    if (f->optional()) {
      if (!braceWritten) fields.print("out.put('{');\n");
      braceWritten = true;
      fields.print("if ($target$.has_value()) {\n", {{"target", target}});
      fields.indent();
    }
    switch (before) {
      case Before::Nothing:
        if (!braceWritten) key = "{" + key;
        braceWritten = true;
        break;
      case Before::Something:
        key = "," + key;
        break;
      case Before::Unknown:
        fields.print("if (!mesh_first) out.put(',');\n");
        break;
    }
    if (before != Before::Something && f->optional()) {
      fields.print("mesh_first = false;\n");
      usesFirst = true;
    }
    fields.print("out.literal($key$);\n", {{"key", cppString(key)}});
    fields.printBlock(writeValue(f->type, target));
    if (f->optional()) {
      fields.outdent();
      fields.print("}\n");
    }
    if (!f->optional())
      before = Before::Something;
    else if (before == Before::Nothing)
      before = Before::Unknown;
  }
  Printer p;
  p.print("void write(::meshrt::JsonWriter& out, const $type$& rec) {\n", {{"type", qualifiedType(r)}});
  p.indent();
  if (usesFirst) p.print("bool mesh_first = true;\n");
  p.printBlock(fields.str());
  if (braceWritten)
    p.print("out.put('}');\n");
  else
    p.print("out.literal(\"{}\");\n");
  p.outdent();
  p.print("}\n\n");
  return p.take();
}

// An enum value as its quoted JSON name, one literal (no escaping scan).
std::string FunctionGen::enumWriter(const model::EnumType& e) {
  std::string type = qualifiedType(e);
  Printer p;
  p.print("void write(::meshrt::JsonWriter& out, $type$ value) {\n  switch (value) {\n", {{"type", type}});
  for (const auto& m : e.members) {
    std::string quoted;
    meshrt::appendJsonString(quoted, m.name);
    p.print("    case $type$::$member$: out.literal($quoted$); return;\n",
            {{"type", type}, {"member", ident(m.name)}, {"quoted", cppString(quoted)}});
  }
  p.print("  }\n  out.literal(\"\\\"\\\"\");\n}\n\n");
  return p.take();
}

}  // namespace mesh::codegen::cpp
