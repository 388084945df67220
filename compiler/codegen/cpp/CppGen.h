// The `cpp` target's internals, shared by its files (one per thing it
// writes): names and escaping (Names.cpp), types (Types.cpp), expressions
// (Expressions.cpp), regexes (Regex.cpp), readers (Readers.cpp), validators
// (Validators.cpp), writers (Writers.cpp), masks (Masks.cpp), producers and
// consumers (Clients.cpp), a package's header (Header.cpp) and source
// (Source.cpp), the generated mains (Mains.cpp), the CMake file (CMake.cpp);
// the entry, generateCpp, is in CppGen.cpp.
//
// Every piece of output is printed through codegen::Printer from literal
// templates; user text (names, strings, docs) only ever enters as a value,
// made inert by ident(), cppString() or comment().
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "codegen/Generator.h"
#include "codegen/Printer.h"

namespace mesh::codegen::cpp {

using model::TypeKind;

/// A piece of code (part of a line, or lines at depth 0) from a literal
/// template and named values: Printer::print into a fresh printer.
/// `code` with every line over 120 columns broken at the arguments of its
/// outermost call (Wrap.cpp); lines with a comment and preprocessor lines are kept.
std::string wrapLongLines(std::string code);
std::string code(Template tmpl, std::initializer_list<Printer::Var> vars = {});

/// Printer::Indent by several levels.
class Nest {
 public:
  Nest(Printer& p, int levels) : p_(p), levels_(levels) {
    for (int i = 0; i < levels_; ++i) p_.indent();
  }
  ~Nest() {
    for (int i = 0; i < levels_; ++i) p_.outdent();
  }
  Nest(const Nest&) = delete;
  Nest& operator=(const Nest&) = delete;

 private:
  Printer& p_;
  int levels_;
};

// ---------------------------------------------------------------- Names.cpp

/// A contract name as a C++ identifier, one to one.
std::string ident(const std::string& name);
/// Any bytes as a C++ string literal.
std::string cppString(const std::string& s);
/// A doc comment as `///` lines (at depth 0; empty for an empty text).
std::string comment(const std::string& text);
std::vector<std::string> packageParts(const std::string& package);

/// The C++ names that depend on the rest of the build: the namespace of a
/// package part and the producer, consumer and mask function names of a
/// product. Each is its plain form (ident()) unless another name of the same
/// namespace holds it already (records and enums first, then the products'
/// classes and mask functions, then child namespaces): then it gets `_`
/// appended until it is free. Computed once per generation (generateCpp).
struct ScopedNames {
  std::map<std::string, std::string> namespaces;                                 // package (and every prefix) -> `a::b`
  std::map<const model::Product*, std::pair<std::string, std::string>> clients;  // producer, consumer class
  std::map<std::pair<const model::Product*, std::string>, std::string> masks;    // (product, role) -> function
};
ScopedNames computeScopedNames(const model::Build& build);
/// The generation's ScopedNames, set by generateCpp for its duration (under
/// a lock: one C++ generation at a time reads it, from any of its threads).
const ScopedNames*& scopedNames();
/// Roles of a product's masks, sorted by name (the order of its mask functions).
std::set<std::string> maskRoles(const model::Product& p);

std::string cppNamespace(const std::string& package);
/// The names of a product's producer and consumer classes.
std::pair<std::string, std::string> clientClasses(const model::Product& p);
std::string headerPath(const std::string& package);
std::string qualifiedType(const model::Record& r);
std::string qualifiedType(const model::EnumType& e);
/// A tagged union's struct (a std::variant of its records).
std::string qualifiedType(const model::Union& u);
/// `::ns::mesh_detail`, where a record's read/validate/write functions live.
std::string detail(const model::Record& r);
std::string detail(const model::Union& u);

// ---------------------------------------------------------------- Types.cpp

/// The records that hold one another (transitively, through fields, lists
/// and maps): the strongly connected components of the build's records,
/// found once per build by Tarjan's algorithm without recursion. Asking
/// each field whether its record leads back to the owner walked the rest of
/// the graph per field: quadratic (a 16,000-record chain took 26 s).
class RecordCycles {
 public:
  explicit RecordCycles(const std::vector<const model::Record*>& records);
  /// Whether `a` holds `b` and `b` holds `a` (or they are one record).
  bool together(const model::Record* a, const model::Record* b) const;

 private:
  void connect(const model::Record* root);
  void popComponent(const model::Record* head);

  std::map<const model::Record*, size_t> index_, low_, component_;
  std::vector<const model::Record*> stack_;
  std::set<const model::Record*> onStack_;
};

/// Calls f with each type `t` holds directly: a list's or map's element, a
/// union's alternatives (a tagged union's are its records).
void forEachPart(const model::Type* t, const std::function<void(const model::Type*)>& f);
/// The records a field of type `t` holds by value, through lists, maps and
/// unions: each must be complete where the field is declared.
void forEachHeldRecord(const model::Type* t, const std::function<void(const model::Record*)>& f);

/// An optional record field of `owner` that leads back to `owner` is a
/// meshrt::Box (std::optional would need the complete type).
bool boxed(const model::Type* t, const model::Record* owner, const RecordCycles& cycles);
/// What the C++ target writes for a primitive type: one row per kind of
/// model/Types.def, in Types.cpp (a new primitive type is a new row there).
struct CppScalar {
  TypeKind kind;
  const char* storage;  // the member of a generated struct
  const char* repr;     // the value in meshrt::ex (V<...>)
  const char* reader;   // meshrt's reader (takes precision and scale when the type has them)
  Template write;       // a statement writing `$v$` to the JsonWriter `out`
  Template key;         // `$v$` as the text of a Kafka key (a std::string)
  /// A field's default `value` as a C++ expression; null: the default is
  /// text, read at start-up by `parse` (`$s$`, the quoted text).
  std::string (*defaultOf)(const model::Value& value, const model::Type& type);
  Template parse = "";
};
/// The row of a primitive kind; null for any other kind.
const CppScalar* cppScalar(TypeKind kind);
std::string storageType(const model::Type* t, bool withOptional = true);
/// An anonymous union's alternatives as std::variant's arguments (`null`: std::monostate).
std::string alternativeTypes(const model::Union& u);
/// The representation of a value of type t in meshrt::ex (V<...>).
std::string valueRepr(const model::Type* t);
std::string doubleLiteral(double v);
std::string int64Literal(int64_t v);
/// Records in an order where every record comes after those it holds by
/// value (std::optional, std::map and std::variant need complete types).
std::vector<const model::Record*> definitionOrder(const std::vector<const model::Record*>& records);
/// Which packages get code: every input package with records or enums, and
/// every package whose records or enums they use.
std::vector<std::string> packagesToGenerate(const GeneratorContext& ctx);
/// The package's products that have a schema, in the build's order.
const std::vector<const model::Product*>& productsOf(const GeneratorContext& ctx, const std::string& package);

// ---------------------------------------------------------------- a product's schema (Types.cpp)

/// The C++ type of a product's schema (its record's, or its tagged union's)
/// and the mesh_detail namespace of its functions.
std::string schemaType(const model::Product& p);
/// The schema's declaration (its record or tagged union: its package, its
/// name); null when it did not resolve.
const model::DeclBase* schemaDecl(const model::Product& p);
std::string schemaDetail(const model::Product& p);
/// `path` (resolved in one record of a schema) followed by its fields' names
/// in `record`; empty when `record` has no such path (a union schema's other
/// cases).
std::vector<const model::Field*> fieldsIn(const model::Record& record, const model::FieldPath& path);
/// `switch (var.index())` over a variant's `count` alternatives: a case
/// (a block ending in `break;`) for each whose `body(i)` is not empty, then
/// `default: otherwise`; empty when every body is.
std::string switchOnIndex(const std::string& var, size_t count, const std::function<std::string(size_t)>& body,
                          const std::string& otherwise = "break;");
/// Statements running `body(v, record)` on the value `var` of a product's
/// schema: on `var` itself for a record, for a union on its alternative
/// (`rec`, a reference, const unless `mutate`) in a switch over the held
/// record. Empty when every body is.
std::string forEachSchemaRecord(const model::Product& p, const std::string& var, bool mutate,
                                const std::function<std::string(const std::string&, const model::Record&)>& body);

// ---------------------------------------------------------------- Expressions.cpp

/// Generated code nests no deeper than this per expression: a deeper part
/// becomes a local computed first (clang stops at 256 nested brackets; a
/// `where` of 260 `||` terms nests each in the one before).
constexpr int kMaxNesting = 64;
/// The deepest nesting of brackets in generated code (string literals skipped).
int bracketDepth(const std::string& code);

// ---------------------------------------------------------------- Regex.cpp

/// The matcher of one pattern of the package, `mesh_regex_N()`.
std::string regexDefinition(int index, const std::string& pattern);

// ---------------------------------------------------------------- Masks.cpp

struct MaskFunction {
  std::string name;           // mask_<product>_for_<role>
  std::string product, role;  // the product's qualified name, the role's name
  const model::Product* of = nullptr;
  std::vector<const model::Mask*> masks;
};
std::vector<MaskFunction> maskFunctions(const GeneratorContext& ctx, const std::string& package);
/// The definition of a mask function: a copy with each mask applied.
std::string maskDefinition(const MaskFunction& fn);

// ---------------------------------------------------------------- Clients.cpp

/// A product's producer and consumer classes (in its package's header).
std::string clientDeclarations(const model::Product& p);
/// Their publish() and poll() (in its package's source).
std::string clientDefinitions(const model::Product& p);

// ---------------------------------------------------------------- a package

/// What both files of a package are made of, computed once before either is
/// written (header and source can be written in any order).
struct PackagePlan {
  PackagePlan(const GeneratorContext& ctx, const std::string& package, const RecordCycles& cycles);

  const GeneratorContext& ctx;
  std::string package;
  std::string ns;                             // its C++ namespace
  std::vector<const model::Record*> records;  // in definitionOrder
  std::vector<const model::EnumType*> enums;
  std::vector<const model::Union*> unions;     // tagged, declared here
  std::set<const model::Record*> caseRecords;  // this package's records that are a tagged union's case
  const std::vector<const model::Product*>& products;
  std::vector<MaskFunction> masks;
  std::set<std::string> usedPackages;  // other packages whose types appear
  const RecordCycles& cycles;          // the build's, for boxed()
};

std::string packageHeader(const PackagePlan& plan);  // Header.cpp
std::string packageSource(const PackagePlan& plan);  // Source.cpp

/// Code that runs the action of the name `var` (a std::string_view) equals
/// (Readers.cpp).
std::string matchByLength(const std::string& var, const std::vector<std::pair<std::string, std::string>>& cases);

/// The statement that adds a map entry's step to the sink's path: `key`'s
/// text, or `position` when the map's key type is sensitive (Validators.cpp).
std::string keyStep(const model::Type* map, const std::string& key, const std::string& position);

/// The functions of a package's source that walk its records: readers,
/// validators and writers, with the expressions and regexes they use. Owns
/// what they share while the source is written: the names of locals
/// and the package's patterns (regexDefinitions() prints them after).
class FunctionGen {
 public:
  /// `caseRecord`: read after its union's discriminator, from an opened
  /// object (readMembers), as well as from a value (read).
  std::string recordReader(const model::Record& r, bool caseRecord);  // Readers.cpp
  std::string recordValidator(const model::Record& r);                // Validators.cpp
  std::string recordWriter(const model::Record& r);                   // Writers.cpp
  std::string enumWriter(const model::EnumType& e);                   // Writers.cpp
  /// A tagged union's read, validateRecord and write (Unions.cpp).
  std::string unionFunctions(const model::Union& u);
  /// The matchers of every pattern the functions above used (Regex.cpp).
  std::string regexDefinitions() const;

 private:
  // ---- expressions (Expressions.cpp)
  struct Env {
    std::string value;   // the C++ expression for `value` (a V<...>)
    std::string record;  // the C++ record reference in a check
    std::map<int, std::string> locals;
    Printer* prelude = nullptr;  // statements run before the expression (hoisted deep parts)
  };
  std::string expr(const model::Expr& e, const Env& env, const model::Type* hint = nullptr);
  std::string exprNode(const model::Expr& e, const Env& env, const model::Type* hint);
  std::string literal(const model::Expr& e, const model::Type* hint);
  std::string binary(const model::Expr& e, const Env& env);
  std::string inExpr(const model::Expr& e, const Env& env);
  std::string quantifier(const model::Expr& e, const Env& env);
  std::string call(const model::Expr& e, const Env& env);
  std::string lazy(const model::Expr& e, const Env& env);
  std::string regexFor(const std::string& pattern);  // Regex.cpp

  // ---- constraints (Validators.cpp)
  std::optional<std::string> directFails(const model::Expr& e, const std::string& value);
  std::optional<std::string> directChain(const model::Expr& e, const std::string& value);
  std::optional<std::string> directComparison(const model::Expr& e, const std::string& value);
  std::string whereCheck(const model::Expr& constraint, const std::string& text, const std::string& redacted,
                         bool sensitive, const std::string& value);
  std::string constraintsOf(const model::Type* t, const std::string& stored);
  std::string validateValue(const model::Type* t, const std::string& var);
  std::string checkRecord(const model::Record& r);

  // ---- reading (Readers.cpp)
  std::string readValue(const model::Type* t, const std::string& json, const std::string& target);
  std::string readScalar(const model::Type* t, const std::string& json, const std::string& kind,
                         const std::string& value, const std::string& ok);
  std::string readList(const model::Type* t, const std::string& json, const std::string& value, const std::string& ok);
  std::string readMap(const model::Type* t, const std::string& json, const std::string& value, const std::string& ok);
  std::string openContainer(const std::string& ok, const std::string& json, const std::string& kindEnum,
                            const std::string& expected);
  std::string readField(const model::Field& f);

  // ---- unions (Unions.cpp): an anonymous union's value, inline
  std::string readUnion(const model::Type* t, const std::string& json, const std::string& kind,
                        const std::string& value, const std::string& ok);
  std::string validateUnion(const model::Type* t, const std::string& v);
  std::string writeUnion(const model::Type* t, const std::string& v);

  // ---- writing (Writers.cpp)
  std::string writeValue(const model::Type* t, const std::string& var);
  std::string writeContainer(const model::Type* t, const std::string& v);

  /// A name for a local of the generated function, for what it holds:
  /// `base`, then `base2`, `base3`... within one scope (newScope()).
  std::string local(const std::string& base);
  void newScope() { locals_.clear(); }

  std::map<std::string, int> locals_;  // base name -> how many so far in the scope
  std::map<std::string, int> regexes_;
};

// ---------------------------------------------------------------- build-wide files

/// A main over the table of generated validators (Mains.cpp): mesh-validate
/// (meshrt::validateMain) and mesh-gate (meshrt::gateMain).
std::string validateMain(const GeneratorContext& ctx, const std::vector<std::string>& packages);
std::string gateMain(const GeneratorContext& ctx, const std::vector<std::string>& packages);
/// CMakeLists.txt building the library and the tools (CMake.cpp).
std::string cmakeLists(const GeneratorContext& ctx, const std::vector<std::string>& packages);

}  // namespace mesh::codegen::cpp
