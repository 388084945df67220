// The model's tables (model/Types.def, model/Builtins.def) and its one
// field-path walk (model/FieldPaths.h): each fact stated once is read back
// the way the checker, compat/ and the policy evaluator read it.
#include <doctest/doctest.h>

#include <algorithm>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "check/Check.h"
#include "model/FieldPaths.h"
#include "model/Model.h"

using namespace mesh;
using model::TypeKind;

namespace {

struct Checked {
  check::Workspace ws;
  DiagnosticEngine diags;
  std::unique_ptr<model::Build> build;
};

void checkText(const std::string& text, Checked& out) {
  check::LoadOptions options;
  options.memoryFiles.push_back({"input.mesh", text});
  options.stdlibDir = MESH_SOURCE_DIR "/stdlib";
  std::string error;
  REQUIRE(check::load(options, out.ws, out.diags, error));
  out.build = check::checkBuild(out.ws, out.diags, {"2026-11-25"});
}

bool reported(const Checked& c, DiagKind kind) {
  return std::any_of(c.diags.all().begin(), c.diags.all().end(), [&](const Diagnostic& d) { return d.kind == kind; });
}

}  // namespace

TEST_CASE("every primitive TypeKind has exactly one name, which resolves back to it") {
  std::set<std::string_view> names;
  int primitives = 0;
  for (int k = 0; k <= static_cast<int>(TypeKind::AccessInfo); ++k) {
    auto kind = static_cast<TypeKind>(k);
    const model::PrimitiveType* p = model::primitiveType(kind);
    if (!p) continue;
    ++primitives;
    CHECK(p->kind == kind);
    CHECK(names.insert(p->name).second);
    CHECK(model::primitiveNamed(p->name) == p);
    if (p->integer) CHECK(p->numeric);
    if (p->numeric) CHECK(p->ordered);
    model::TypeContext tc;
    const model::Type* t = tc.primitive(kind);
    CHECK(t->isScalar() == (kind != TypeKind::Json));  // json may be an array or an object
    CHECK(t->holdsNull() == (kind == TypeKind::Json));
    CHECK(t->isNumeric() == p->numeric);
    CHECK(t->isInteger() == p->integer);
    if (!p->parameterized) CHECK(t->str() == p->name);
  }
  CHECK(primitives == static_cast<int>(std::size(model::kPrimitiveTypes)));
  CHECK(model::primitiveType(TypeKind::Error) == nullptr);
  CHECK(model::primitiveType(TypeKind::Enum) == nullptr);
  CHECK(model::primitiveType(TypeKind::ProductInfo) == nullptr);
  CHECK(model::primitiveNamed("list") == nullptr);
  CHECK(model::primitiveNamed("int") == nullptr);
  for (const auto& p : model::kPolicyTypes) CHECK(model::policyType(p.kind) == &p);
  CHECK(model::policyType(TypeKind::Uuid) == nullptr);
  CHECK(model::policyType(TypeKind::Null) == nullptr);
}

TEST_CASE("every primitive type name is a type to the checker, and only decimal needs arguments") {
  for (const auto& p : model::kPrimitiveTypes) {
    Checked c;
    checkText(std::string("package t;\nrecord R { x: ") + std::string(p.name) + "; }\n", c);
    CAPTURE(p.name);
    CHECK_FALSE(reported(c, DiagKind::E0101));
    CHECK(reported(c, DiagKind::E0202) == p.parameterized);
    if (p.parameterized) continue;
    const model::Record* r = c.build->record("t.R");
    REQUIRE(r);
    CHECK(r->fields[0]->type->kind == p.kind);
  }
}

TEST_CASE("the builtin table follows model::Builtin, and every function name resolves") {
  for (size_t i = 0; i < std::size(model::kBuiltins); ++i) {
    const model::BuiltinInfo& b = model::kBuiltins[i];
    CHECK(static_cast<size_t>(b.builtin) == i);
    CHECK(&model::builtinInfo(b.builtin) == &b);
    CHECK(b.minArgs <= b.maxArgs);
    if (b.form == model::BuiltinInfo::Form::Function)
      CHECK(model::builtinFunction(b.name) == &b);
    else
      CHECK(model::builtinFunction(b.name) != &b);
  }
  REQUIRE(model::builtinFunction("unique"));
  CHECK(model::builtinFunction("unique")->builtin == model::Builtin::Unique);
  CHECK(model::builtinFunction("has") == nullptr);  // a method
  CHECK(model::builtinFunction("any") == nullptr);  // a quantifier
  for (const auto& b : model::kBuiltins) {
    if (b.form != model::BuiltinInfo::Form::Function) continue;
    Checked c;
    checkText(std::string("package t;\nrecord R { s: string; check c: ") + std::string(b.name) + "(s) == s; }\n", c);
    CAPTURE(b.name);
    CHECK_FALSE(reported(c, DiagKind::E0303));
  }
  Checked c;
  checkText("package t;\nrecord R { s: string; check c: lenn(s) > 0; }\n", c);
  CHECK(reported(c, DiagKind::E0303));
}

namespace {

// The walk as the checker wrote it before model/FieldPaths.h: the order and
// the paths forEachFieldPath must keep.
std::vector<model::FieldPath> referenceWalk(const model::Record& root, size_t limit) {
  std::vector<model::FieldPath> all;
  std::vector<const model::Record*> onPath;
  std::function<void(const model::Record*, model::FieldPath, int)> walk = [&](const model::Record* r,
                                                                              model::FieldPath prefix, int depth) {
    if (depth > 32 || std::find(onPath.begin(), onPath.end(), r) != onPath.end()) return;
    onPath.push_back(r);
    for (const auto& f : r->fields) {
      if (all.size() >= limit) break;
      model::FieldPath fp = prefix;
      fp.fields.push_back(f.get());
      fp.text += (fp.text.empty() ? "" : ".") + f->name;
      const model::Type* t = f->type;
      while (t->kind == TypeKind::List || t->kind == TypeKind::Map) {
        fp.text += "[]";
        t = t->element;
      }
      all.push_back(fp);
      if (t->kind == TypeKind::Record) walk(t->record, fp, depth + 1);
    }
    onPath.pop_back();
  };
  walk(&root, {}, 0);
  return all;
}

std::vector<model::FieldPath> modelWalk(const model::Record& root, size_t limit, model::FieldWalkOptions options = {}) {
  std::vector<model::FieldPath> all;
  model::forEachFieldPath(
      root,
      [&](const model::FieldVisit& v) {
        CHECK(&v.field == v.path.fields.back());
        CHECK(v.depth + 1 == static_cast<int>(v.path.fields.size()));
        all.push_back(v.path);
        return all.size() < limit;
      },
      options);
  return all;
}

std::vector<std::string> texts(const std::vector<model::FieldPath>& paths) {
  std::vector<std::string> out;
  for (const auto& p : paths) out.push_back(p.text);
  return out;
}

void sameWalk(const model::Record& root, size_t limit = model::kMaxFieldPaths) {
  auto before = referenceWalk(root, limit);
  auto after = modelWalk(root, limit);
  REQUIRE(texts(after) == texts(before));
  for (size_t i = 0; i < before.size(); ++i) CHECK(after[i].fields == before[i].fields);
}

// A chain of 40 records, each holding the next: deeper than kMaxFieldDepth.
std::string chain() {
  std::string text;
  for (int i = 0; i < 40; ++i)
    text += "record C" + std::to_string(i) + " { v: int32; next: C" + std::to_string(i + 1) + "?; }\n";
  return text + "record C40 { v: int32; }\n";
}

const char* kSchemas = R"(package t;
record Item { sku: string; tags: map<string, Tag>; }
record Tag { key: string; }
record Node { value: int64; left: Node?; right: Node?; items: list<Item>; }
record Root { id: string; items: list<Item>; tree: Node?; nested: list<list<Item>>; }
)";

}  // namespace

TEST_CASE("the field-path walk visits the paths the checker's walk did, in its order") {
  Checked c;
  checkText(std::string(kSchemas) + chain(), c);
  REQUIRE_FALSE(c.diags.hasErrors());
  for (const char* name : {"t.Root", "t.Node", "t.Item", "t.C0", "t.C20"}) {
    CAPTURE(name);
    const model::Record* r = c.build->record(name);
    REQUIRE(r);
    sameWalk(*r);
    sameWalk(*r, 5);  // stopped by its visitor
  }
  auto root = texts(modelWalk(*c.build->record("t.Root"), model::kMaxFieldPaths));
  CHECK(root[0] == "id");
  CHECK(root[1] == "items[]");
  CHECK(root[2] == "items[].sku");
  CHECK(root[3] == "items[].tags[]");
  CHECK(root[4] == "items[].tags[].key");
  CHECK(std::count(root.begin(), root.end(), "tree.left") == 1);
  CHECK(std::count(root.begin(), root.end(), "tree.left.left") == 0);  // Node is not entered again
  // The chain is entered 32 records deep, its 33rd record listed as a field.
  auto deep = texts(modelWalk(*c.build->record("t.C0"), model::kMaxFieldPaths));
  CHECK(deep.size() == 2 * 33);
}

TEST_CASE("the field-path walk with maxDepth 0 lists a record's own fields (the policy model's r.fields)") {
  Checked c;
  checkText(kSchemas, c);
  REQUIRE_FALSE(c.diags.hasErrors());
  auto own = texts(modelWalk(*c.build->record("t.Root"), model::kMaxFieldPaths, {.maxDepth = 0}));
  CHECK(own == std::vector<std::string>{"id", "items[]", "tree", "nested[][]"});
  bool entered = false, recursive = false;
  model::forEachFieldPath(*c.build->record("t.Node"), [&](const model::FieldVisit& v) {
    if (v.path.text == "left") {
      recursive = v.recursive;
      entered = v.entered;
    }
    return true;
  });
  CHECK(recursive);
  CHECK_FALSE(entered);
}
