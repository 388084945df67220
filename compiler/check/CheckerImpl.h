// CheckerImpl: the checker's shared state, split over Checker.cpp (symbols,
// phases, declarations), Types.cpp, Annotations.cpp, Product.cpp, Policy.cpp
// and Exprs.cpp (expressions).
#pragma once

#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "check/Check.h"

namespace mesh::check {

/// One declaration of the build, as the symbol table sees it.
struct Symbol {
  const ast::Decl* decl = nullptr;
  const ast::File* file = nullptr;
  std::string package;
  std::string qualifiedName;
  ast::DeclKind kind = ast::DeclKind::Enum;
  void* model = nullptr;  // the model object created for it
};

/// The parts of a qualified name, as lookups take them.
inline std::vector<std::string> partsOf(const ast::QualifiedName& name) {
  std::vector<std::string> parts;
  for (const auto& p : name.parts) parts.push_back(p.name);
  return parts;
}

/// The model object of a symbol, as the type its kind creates.
template <typename T>
T* as(Symbol* s) {
  return s ? static_cast<T*>(s->model) : nullptr;
}

/// Which kinds a reference accepts.
using KindMask = unsigned;
constexpr KindMask kindBit(ast::DeclKind k) { return 1u << static_cast<unsigned>(k); }
constexpr KindMask kTypeKinds = kindBit(ast::DeclKind::Enum) | kindBit(ast::DeclKind::Type) |
                                kindBit(ast::DeclKind::Record) | kindBit(ast::DeclKind::Union);
constexpr KindMask kAnyKind = ~0u;

/// What names an expression sees.
struct Scope {
  enum class Kind { Where, Check, Policy, Constant } kind = Kind::Constant;
  const ast::File* file = nullptr;
  const model::Type* valueType = nullptr;  // Where: the type of `value`
  std::string valueDescription;            // "the field 'order_id'" for notes
  const model::Record* record = nullptr;   // Check: fields in scope
  struct Local {
    std::string name;
    const model::Type* type;
    int index;
  };
  std::vector<Local> locals;
  int nextLocal = 0;
};

class Checker {
 public:
  Checker(const Workspace& ws, DiagnosticEngine& diags, const CheckOptions& options);
  std::unique_ptr<model::Build> run();

  // ---- shared with Exprs.cpp
  model::ExprPtr checkExpr(const ast::Expr& e, Scope& scope, const model::Type* expected = nullptr);
  /// A boolean condition (where, check, require, filter): E0308 when not bool.
  model::ExprPtr checkCondition(const ast::Expr& e, Scope& scope, const char* what);
  /// A constant for a default or a tag argument, converted to `type`.
  std::optional<model::Value> constant(const ast::Expr& e, const model::Type* type, const ast::File* file,
                                       const char* what, DiagKind mismatchKind = DiagKind::E0203);
  /// A list `[...]` or a map `{"key": value, ...}` of constants for a list
  /// or map `type`, each element converted to its element type (E0210: a
  /// key given twice).
  std::optional<model::Value> collectionConstant(const ast::Expr& e, const model::Type* type, const ast::File* file,
                                                 const char* what, DiagKind mismatchKind);
  Symbol* lookup(const ast::QualifiedName& name, const ast::File* file, KindMask want, const char* what,
                 bool report = true);
  /// The same lookup, quietly, for a name that may be something else.
  Symbol* tryLookup(const std::vector<std::string>& parts, const ast::File* file, KindMask want);
  void warnDeprecated(const std::optional<std::string>& why, const std::string& what, SourceRange at);
  /// Records the member `name` of `owner` (e.g. "enum 'Color'") in `seen`;
  /// when it is there already, reports E0107 ("... already has a <member>
  /// '<name>'", noting the first) and returns false.
  bool declareOnce(std::map<std::string, SourceRange>& seen, const ast::Ident& name, const std::string& owner,
                   std::string_view member);
  /// Calls `body` on each of `items` (with an Ident `name`) whose name is
  /// new in `owner`, in order; declareOnce reports the others.
  template <typename Item, typename Body>
  void forEachNamedOnce(const std::vector<Item>& items, const std::string& owner, std::string_view member, Body body) {
    std::map<std::string, SourceRange> seen;
    for (const Item& item : items)
      if (declareOnce(seen, item.name, owner, member)) body(item);
  }

  /// Where the checker reports: to the engine of the task this thread runs
  /// in a parallel phase (forEachSymbol), else to the build's.
  class DiagSink {
   public:
    explicit DiagSink(DiagnosticEngine& build) : build_(build) {}
    DiagnosticEngine& build() { return build_; }
    DiagnosticEngine& current();  // Checker.cpp, beside task_'s definition
    template <typename... Args>
    DiagnosticEngine::Builder report(Args&&... args) {
      return current().report(std::forward<Args>(args)...);
    }
    unsigned errorCount() { return current().errorCount(); }
    size_t size() { return current().size(); }
    std::vector<Diagnostic> takeFrom(size_t from) { return current().takeFrom(from); }
    template <typename Pred>
    void removeIf(Pred drop) {
      current().removeIf(drop);
    }

   private:
    DiagnosticEngine& build_;
  };

  const Workspace& ws_;
  DiagSink diags_;
  CheckOptions options_;
  std::unique_ptr<model::Build> build_;
  model::TypeContext& types();
  /// Whether `file` is checked (CheckOptions::packages).
  bool checks(const ast::File& file) const {
    return !options_.packages || (file.package && options_.packages->count(file.package->str()));
  }

 private:
  friend class ExprChecker;
  void collect();
  void declareCompatibilityEnum();
  void checkEnum(Symbol& s);
  void checkTag(Symbol& s);
  void checkRole(Symbol& s);
  void checkDomain(Symbol& s);
  const model::Type* resolveRefinement(Symbol& s);
  void checkRecordFields(Symbol& s);
  void checkRecordCycles();
  void checkUnion(Symbol& s);  // Unions.cpp
  void checkDiscriminator(const model::Union& u, const model::Record& record, const ast::UnionCase& c,
                          const ast::Ident& field);
  void checkAnnotations(Symbol& s);
  void checkConstraints(Symbol& s);
  void checkProduct(Symbol& s);
  // One block of a product each (Product.cpp).
  void checkProductRequired(Symbol& s, model::Product* p, const ast::ProductDecl& decl);
  void checkTopic(model::Product* p, const ast::Topic& t);
  void checkTopicFormat(model::Product* p, const ast::Ident& format);
  void checkTopicSubject(model::Product* p, const ast::Ident& subject);
  void checkTopicKey(model::Product* p, const ast::FieldPath& key);
  /// E0403 when `path` (of the topic key) is no required scalar; true when it is one.
  bool checkKeyPath(const model::Product* p, const model::FieldPath& path, const ast::FieldPath& key);
  void checkSla(model::Product* p, const ast::Sla& sla);
  void checkQualityRule(model::Product* p, const ast::QualityRule& q);
  void checkAccess(model::Product* p, const ast::Access& a, const ast::File* file);
  void checkMask(model::Product* p, const ast::Access& a, const ast::Mask& m, const ast::File* file);
  bool maskFits(const model::Product* p, const model::Mask& mask, const model::FieldPath& path, const ast::Mask& m);
  void checkRetention(model::Product* p, const ast::Located<int64_t>& retention);
  void checkCompatibility(model::Product* p, const ast::Ident& compatibility);
  void checkUpstream(model::Product* p, const std::vector<ast::QualifiedName>& upstream, const ast::File* file);
  void checkUpstreamCycles();
  // The schema, a record or a tagged union, and the paths over it (ProductSchema.cpp).
  void resolveSchema(model::Product* p, const ast::QualifiedName& name, const ast::File* file);
  void listFieldPaths(model::Product* p, const ast::ProductDecl& decl);
  std::vector<model::FieldPath> schemaPaths(const model::Product* p, const ast::FieldPath& path, const char* purpose);
  bool keyInEveryCase(const model::Product* p, const ast::FieldPath& key, const std::vector<model::FieldPath>& paths);
  bool keyOfOneType(const model::Product* p, const ast::FieldPath& key, const std::vector<model::FieldPath>& paths);
  void checkPolicy(Symbol& s);
  // The parts of a policy (Policy.cpp).
  void checkSeverity(model::Policy* policy, const ast::Ident& severity);
  bool checkBinders(const ast::ForRule& r, Scope& scope, model::PolicyRule& rule);
  std::vector<model::MessagePart> policyMessage(const ast::Located<std::string>& message, Scope& scope);
  model::ExprPtr messageHole(const std::string& text, size_t i, size_t close, SourceRange at, Scope& scope);
  void checkWaiver(Symbol& s);
  void reportUnusedImports();
  void dropFollowOnsOfSyntaxErrors();
  void sortBuild();
  /// Runs `body` for every symbol of one of `kinds`, in symbol order, on up to
  /// options_.jobs threads: consecutive symbols form a task with its own
  /// diagnostics, appended to the build's in task order, so the reports come
  /// out as one thread would make them. A body writes only its symbol's
  /// model object; what it reads of other declarations was completed by an
  /// earlier phase.
  void forEachSymbol(KindMask kinds, const std::function<void(Symbol&)>& body);

  const model::Type* resolveType(const ast::TypeExpr& t, const ast::File* file);
  const model::Type* resolveRequiredType(const ast::TypeExpr& t, const ast::File* file);  // without its `?`
  const model::Type* resolveNamedType(const ast::TypeExpr& t, const ast::File* file);
  const model::Type* resolveUnionType(const ast::TypeExpr& t, const ast::File* file);  // Unions.cpp
  /// E0101 for a name that is no type, with a suggestion (builtin names too).
  void reportUnknownType(const ast::TypeExpr& t, const ast::File* file);
  /// Where annotations are written, and which of them it takes: a built-in
  /// one is accepted where it has somewhere to go.
  struct AnnotationPlace {
    const char* description;                           // "fields", as in "... not to fields"
    bool tags = false;                                 // user tags (TagUse)
    bool* closed = nullptr;                            // @closed sets it
    std::optional<std::string>* deprecated = nullptr;  // @deprecated("why") sets it
    model::Field* wire = nullptr;                      // @wire("key") sets its wire name
    std::vector<model::MetaEntry>* meta = nullptr;     // @meta(key: "...", value: "...") adds to it
  };
  void wireAnnotation(const ast::Annotation& a, model::Field& field);
  void metaAnnotation(const ast::Annotation& a, std::vector<model::MetaEntry>& meta);
  /// E0211: two fields of `r` with one key on the wire.
  void checkWireNames(const model::Record& r);
  std::vector<model::TagUse> tagUses(const std::vector<ast::Annotation>& anns, const ast::File* file,
                                     const AnnotationPlace& place);
  std::optional<model::TagUse> tagUse(const ast::Annotation& a, const model::Tag* tag, const ast::File* file);
  /// `path` in `root`; E0402 when it is not there (unless !report).
  std::optional<model::FieldPath> fieldPath(const ast::FieldPath& path, const model::Record* root, const char* purpose,
                                            bool report = true);
  std::vector<const model::Role*> roles(const std::vector<ast::QualifiedName>& names, const ast::File* file);
  void markUsed(const ast::File* file, const std::string& package);
  std::string sourceText(SourceRange range) const;
  /// sourceText with the literals of `e` (checked from that text) withheld,
  /// for messages about sensitive values (model::sensitiveConstraintMessage).
  std::string redactedSourceText(SourceRange range, const model::Expr* e) const;

  using NameTable = std::map<std::string, size_t, std::less<>>;  // name -> symbol index
  /// What lookups need to know of a file, computed once.
  struct FileScope {
    std::string package;
    const NameTable* own = nullptr;
    struct Import {
      std::string alias, package;
      const NameTable* names;  // null when the package is not in the build
    };
    std::vector<Import> imports;
  };
  const FileScope& fileScope(const ast::File* file);

  std::vector<Symbol> symbols_;
  std::map<std::string, NameTable, std::less<>> byPackage_;  // package -> its names
  /// With CheckOptions::packages: the names of the packages not checked and
  /// their kinds (the first declaration's), for suggestions that list every
  /// package's names as a whole build's would.
  std::map<std::string, std::map<std::string, ast::DeclKind>, std::less<>> outsideNames_;
  // The kinds of the definitions dropped as duplicates (E0103), by qualified
  // name: a use of the name as one of them is no second mistake.
  std::map<std::string, KindMask> duplicateKinds_;
  std::map<const ast::File*, FileScope> fileScopes_;
  const NameTable* prelude_ = nullptr;
  std::map<const void*, Symbol*> symbolOfModel_;
  using UsedImports = std::set<std::pair<const ast::File*, std::string_view>>;  // views of Symbol::package
  UsedImports usedImports_;
  /// What a task of a parallel phase collects, merged in task order after
  /// the phase (forEachSymbol); the thread running it points at it.
  struct Task {
    DiagnosticEngine diags;
    UsedImports usedImports;
  };
  static thread_local Task* task_;  // the task this thread runs, if any
  // 1 resolving, 2 done. Every refinement is resolved before the parallel
  // phases, which then only read it.
  std::map<const Symbol*, int> refinementState_;
};

}  // namespace mesh::check
