// Checker: the symbol table, declarations, records, annotations, products,
// policies and waivers. Expressions are typed in Exprs.cpp.
#include <fmt/format.h>

#include <algorithm>
#include <functional>

#include "check/CheckerImpl.h"
#include "llvm/ADT/StringRef.h"
#include "support/Parallel.h"

namespace mesh::check {

using model::TypeKind;

namespace {

std::vector<std::string> partsOf(const ast::QualifiedName& name) {
  std::vector<std::string> parts;
  for (const auto& p : name.parts) parts.push_back(p.name);
  return parts;
}

template <typename T>
T* as(Symbol* s) {
  return s ? static_cast<T*>(s->model) : nullptr;
}

bool validSemver(llvm::StringRef v) {
  // MAJOR.MINOR.PATCH[-pre][+build], numbers without leading zeros.
  auto [core, rest] = v.split('+');
  auto [nums, pre] = core.split('-');
  llvm::SmallVector<llvm::StringRef, 3> parts;
  nums.split(parts, '.', -1, true);
  if (parts.size() != 3) return false;
  for (auto p : parts) {
    if (p.empty() || p.find_first_not_of("0123456789") != llvm::StringRef::npos) return false;
    if (p.size() > 1 && p[0] == '0') return false;
  }
  auto ident = [](llvm::StringRef s) {
    if (s.empty()) return false;
    llvm::SmallVector<llvm::StringRef, 4> ids;
    s.split(ids, '.', -1, true);
    for (auto id : ids)
      if (id.empty() || id.find_first_not_of("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-") !=
                            llvm::StringRef::npos)
        return false;
    return true;
  };
  if (core.size() != nums.size() && !ident(pre)) return false;
  if (v.size() != core.size() && !ident(rest)) return false;
  return true;
}

bool validTopicName(llvm::StringRef name) {
  if (name.empty() || name.size() > 249 || name == "." || name == "..") return false;
  return name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") ==
         llvm::StringRef::npos;
}

model::CompareOp compareOp(ast::CompareOp op) { return static_cast<model::CompareOp>(op); }

}  // namespace

Checker::Checker(const Workspace& ws, DiagnosticEngine& diags, const CheckOptions& options)
    : ws_(ws), diags_(diags), options_(options), build_(std::make_unique<model::Build>()) {}

model::TypeContext& Checker::types() { return build_->types; }

thread_local Checker::Task* Checker::task_ = nullptr;

DiagnosticEngine& Checker::DiagSink::current() { return task_ ? task_->diags : build_; }

void Checker::forEachSymbol(KindMask kinds, const std::function<void(Symbol&)>& body) {
  std::vector<Symbol*> items;
  for (auto& s : symbols_)
    if (kindBit(s.kind) & kinds) items.push_back(&s);
  unsigned jobs = std::max(1u, options_.jobs);
  if (jobs == 1 || items.size() < 2) {
    for (Symbol* s : items) body(*s);
    return;
  }
  // Tasks of consecutive symbols, several per thread so that uneven ones
  // balance, and not so small that their bookkeeping costs more than the
  // work.
  size_t count = std::min(items.size(), size_t(jobs) * 16);
  std::vector<Task> tasks(count);
  parallelFor(count, jobs, [&](size_t t) {
    task_ = &tasks[t];
    struct Reset {
      ~Reset() { task_ = nullptr; }
    } reset;
    size_t begin = items.size() * t / count, end = items.size() * (t + 1) / count;
    for (size_t i = begin; i < end; ++i) body(*items[i]);
  });
  for (auto& t : tasks) {
    diags_.build().absorb(std::move(t.diags));
    usedImports_.insert(t.usedImports.begin(), t.usedImports.end());
  }
}

std::unique_ptr<model::Build> Checker::run() {
  declareCompatibilityEnum();
  collect();
  // Lookups read these from here on, from several threads.
  for (const auto& file : ws_.files)
    if (file.package) fileScope(&file);
  for (auto& s : symbols_) {
    switch (s.kind) {
      case ast::DeclKind::Enum: checkEnum(s); break;
      case ast::DeclKind::Tag: checkTag(s); break;
      case ast::DeclKind::Role: checkRole(s); break;
      case ast::DeclKind::Domain: checkDomain(s); break;
      default: break;
    }
  }
  for (auto& s : symbols_)
    if (s.kind == ast::DeclKind::Type) resolveRefinement(s);
  // Per declaration, in parallel with -j (forEachSymbol): each phase reads
  // what the phases before it completed for every declaration.
  forEachSymbol(kindBit(ast::DeclKind::Record), [&](Symbol& s) { checkRecordFields(s); });
  checkRecordCycles();
  // A field inherits the tags of its refinement type, so refinement types'
  // annotations are complete before any record's.
  forEachSymbol(kindBit(ast::DeclKind::Type), [&](Symbol& s) { checkAnnotations(s); });
  forEachSymbol(kAnyKind & ~kindBit(ast::DeclKind::Type), [&](Symbol& s) { checkAnnotations(s); });
  forEachSymbol(kindBit(ast::DeclKind::Type) | kindBit(ast::DeclKind::Record), [&](Symbol& s) { checkConstraints(s); });
  forEachSymbol(kindBit(ast::DeclKind::Product), [&](Symbol& s) { checkProduct(s); });
  checkUpstreamCycles();
  for (auto& s : symbols_)
    if (s.kind == ast::DeclKind::Policy) checkPolicy(s);
  for (auto& s : symbols_)
    if (s.kind == ast::DeclKind::Waiver) checkWaiver(s);
  reportUnusedImports();
  dropFollowOnsOfSyntaxErrors();
  sortBuild();
  return std::move(build_);
}

// After a syntax error inside a record, type, enum or tag, the rest of that
// declaration was rebuilt from the parser's recovery (a missing '}' makes the
// next declaration its fields), so what the checker says there is about
// debris: keep the syntax errors, drop the rest. Keyword blocks (products,
// policies, domains) recover item by item, so their later items are real.
void Checker::dropFollowOnsOfSyntaxErrors() {
  std::vector<SourceRange> broken;
  for (const auto& file : ws_.files)
    for (const auto& decl : file.decls) {
      auto k = decl.kind();
      bool fuzzy = k == ast::DeclKind::Record || k == ast::DeclKind::Type || k == ast::DeclKind::Enum ||
                   k == ast::DeclKind::Tag;
      if (decl.hasSyntaxErrors && fuzzy) broken.push_back({decl.range.file, decl.firstSyntaxError, decl.range.end});
    }
  if (broken.empty()) return;
  diags_.removeIf([&](const Diagnostic& d) {
    if (info(d.kind).code.substr(0, 3) == "E00") return false;
    for (const SourceRange& r : broken)
      if (d.range.file == r.file && d.range.begin >= r.begin && d.range.begin <= r.end) return true;
    return false;
  });
}

void Checker::declareCompatibilityEnum() {
  auto e = std::make_unique<model::EnumType>();
  e->name = "Compatibility";
  e->qualifiedName = "mesh.Compatibility";
  e->package = "mesh";
  for (const char* m : {"none", "backward", "forward", "full"}) e->members.push_back({m, "", std::nullopt, {}});
  build_->compatibilityEnum = std::move(e);
}

// ---------------------------------------------------------------- symbols

void Checker::collect() {
  for (const auto& [package, fileIndexes] : ws_.packages) {
    model::Package pkg{package, {}, false};
    for (size_t fi : fileIndexes) {
      pkg.files.push_back(ws_.files[fi].fileId);
      pkg.input |= fi < ws_.inputFileCount;
    }
    build_->packages.push_back(std::move(pkg));
  }
  // Symbols are created in file order, so "first defined here" notes point
  // at the earlier file of the command line.
  for (const auto& file : ws_.files) {
    if (!file.package) continue;
    std::string package = file.package->str();
    std::map<std::string, SourceRange> aliases;
    for (const auto& imp : file.imports) {
      ast::Ident alias = imp.effectiveAlias();
      auto [it, fresh] = aliases.emplace(alias.name, alias.range);
      if (!fresh)
        diags_.report(DiagKind::E0110, alias.range, fmt::format("import alias '{}' is already used", alias.name))
            .note("first used here", it->second)
            .note(fmt::format("give one of them another name: `import {} as other;`", imp.package.str()));
    }
    for (const auto& decl : file.decls) {
      Symbol s;
      s.decl = &decl;
      s.file = &file;
      s.package = package;
      s.kind = decl.kind();
      s.qualifiedName = package + "." + decl.name.name;
      if (s.kind != ast::DeclKind::Waiver) {
        auto& names = byPackage_[package];
        auto it = names.find(decl.name.name);
        if (it != names.end()) {
          const Symbol& first = symbols_[it->second];
          diags_.report(DiagKind::E0103, decl.name.range,
                        fmt::format("'{}' is already defined in package '{}'", decl.name.name, package))
              .note(fmt::format("first defined here as {}", ast::withArticle(first.kind)), first.decl->name.range);
          continue;
        }
        names.emplace(decl.name.name, symbols_.size());
      }
      symbols_.push_back(std::move(s));
    }
  }
  if (auto p = byPackage_.find(kPreludePackage); p != byPackage_.end()) prelude_ = &p->second;
  // Model objects, now that the symbol vector no longer moves.
  for (auto& s : symbols_) {
    auto fill = [&](model::DeclBase& d) {
      d.name = s.decl->name.name;
      d.qualifiedName = s.qualifiedName;
      d.package = s.package;
      d.doc = s.decl->doc.text;
      d.range = s.decl->range;
      d.nameRange = s.decl->name.range;
    };
    switch (s.kind) {
      case ast::DeclKind::Enum: {
        build_->enums.push_back(std::make_unique<model::EnumType>());
        fill(*build_->enums.back());
        s.model = build_->enums.back().get();
        break;
      }
      case ast::DeclKind::Type: {
        build_->refinements.push_back(std::make_unique<model::Refinement>());
        fill(*build_->refinements.back());
        s.model = build_->refinements.back().get();
        break;
      }
      case ast::DeclKind::Record: {
        build_->records.push_back(std::make_unique<model::Record>());
        fill(*build_->records.back());
        s.model = build_->records.back().get();
        break;
      }
      case ast::DeclKind::Tag: {
        build_->tags.push_back(std::make_unique<model::Tag>());
        fill(*build_->tags.back());
        s.model = build_->tags.back().get();
        break;
      }
      case ast::DeclKind::Role: {
        build_->roles.push_back(std::make_unique<model::Role>());
        fill(*build_->roles.back());
        s.model = build_->roles.back().get();
        break;
      }
      case ast::DeclKind::Domain: {
        build_->domains.push_back(std::make_unique<model::Domain>());
        fill(*build_->domains.back());
        s.model = build_->domains.back().get();
        break;
      }
      case ast::DeclKind::Product: {
        build_->products.push_back(std::make_unique<model::Product>());
        fill(*build_->products.back());
        s.model = build_->products.back().get();
        break;
      }
      case ast::DeclKind::Policy: {
        build_->policies.push_back(std::make_unique<model::Policy>());
        fill(*build_->policies.back());
        s.model = build_->policies.back().get();
        break;
      }
      case ast::DeclKind::Waiver: break;
    }
    if (s.model) symbolOfModel_[s.model] = &s;
  }
}

std::string Checker::sourceText(SourceRange range) const {
  if (!range.valid()) return {};
  llvm::StringRef text = ws_.sources.text(range.file);
  return model::foldWhitespace(std::string_view(text.data() + range.begin, range.end - range.begin));
}

namespace {

// The literals a message about a sensitive value withholds: every literal
// (a list of literals as a whole, so not even its length shows) except a
// number compared with a `len(...)`, which bounds a length and never equals
// the value.
void collectWithheldLiterals(const model::Expr& e, std::vector<SourceRange>& out) {
  using model::ExprOp;
  auto literal = [](const model::Expr* x) { return x && x->op == ExprOp::Literal; };
  if (literal(&e)) {
    out.push_back(e.range);
    return;
  }
  if (e.op == ExprOp::List && !e.args.empty() &&
      std::all_of(e.args.begin(), e.args.end(), [&](const auto& a) { return literal(a.get()); })) {
    out.push_back(e.range);
    return;
  }
  bool comparison = e.op == ExprOp::Binary && e.binaryOp >= model::BinaryOp::Eq && e.binaryOp <= model::BinaryOp::Ge;
  auto isLen = [](const model::Expr* x) { return x && x->op == ExprOp::Call && x->builtin == model::Builtin::Len; };
  for (size_t i = 0; i < e.args.size(); ++i) {
    if (!e.args[i]) continue;
    const model::Expr* other = e.args.size() == 2 ? e.args[1 - i].get() : nullptr;
    if (comparison && literal(e.args[i].get()) && isLen(other)) continue;
    collectWithheldLiterals(*e.args[i], out);
  }
}

}  // namespace

std::string Checker::redactedSourceText(SourceRange range, const model::Expr* e) const {
  if (!range.valid()) return {};
  std::vector<SourceRange> literals;
  if (e) collectWithheldLiterals(*e, literals);
  std::sort(literals.begin(), literals.end(), [](SourceRange a, SourceRange b) { return a.begin < b.begin; });
  llvm::StringRef text = ws_.sources.text(range.file);
  std::string out;
  uint32_t at = range.begin;
  for (SourceRange lit : literals) {
    if (lit.file != range.file || lit.begin < at || lit.end > range.end || lit.end <= lit.begin) continue;
    out.append(text.data() + at, lit.begin - at);
    out += model::kRedactedLiteral;
    at = lit.end;
  }
  out.append(text.data() + at, range.end - at);
  return model::foldWhitespace(out);
}

void Checker::markUsed(const ast::File* file, const std::string& package) {
  if (file) (task_ ? task_->usedImports : usedImports_).insert({file, package});
}

// Computed for every file with a package before the parallel phases (run()),
// which then only find them here.
const Checker::FileScope& Checker::fileScope(const ast::File* file) {
  auto it = fileScopes_.find(file);
  if (it != fileScopes_.end()) return it->second;
  FileScope fs;
  auto table = [&](const std::string& package) -> const NameTable* {
    auto p = byPackage_.find(package);
    return p == byPackage_.end() ? nullptr : &p->second;
  };
  if (file->package) {
    fs.package = file->package->str();
    fs.own = table(fs.package);
  }
  for (const auto& imp : file->imports) {
    std::string package = imp.package.str();
    fs.imports.push_back({imp.effectiveAlias().name, package, table(package)});
  }
  return fileScopes_.emplace(file, std::move(fs)).first->second;
}

Symbol* Checker::tryLookup(const std::vector<std::string>& parts, const ast::File* file, KindMask want) {
  if (parts.empty() || !file || !file->package) return nullptr;
  const FileScope& fs = fileScope(file);
  auto find = [&](const NameTable* names, const std::string& name) -> Symbol* {
    if (!names) return nullptr;
    auto n = names->find(name);
    if (n == names->end()) return nullptr;
    Symbol* s = &symbols_[n->second];
    return (kindBit(s->kind) & want) ? s : nullptr;
  };
  if (parts.size() == 1) {
    const std::string& name = parts[0];
    if (Symbol* s = find(fs.own, name)) return s;
    Symbol* found = nullptr;
    for (const auto& imp : fs.imports) {
      Symbol* s = find(imp.names, name);
      if (s && s != found) {
        if (found) return nullptr;  // ambiguous: lookup() reports it
        found = s;
      }
    }
    if (found) {
      markUsed(file, found->package);
      return found;
    }
    return find(prelude_, name);
  }
  // alias.Name
  if (parts.size() == 2) {
    for (const auto& imp : fs.imports) {
      if (imp.alias == parts[0]) {
        Symbol* s = find(imp.names, parts[1]);
        if (s) markUsed(file, s->package);
        return s;
      }
    }
  }
  // Fully qualified.
  std::string package;
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    if (i) package += '.';
    package += parts[i];
  }
  auto p = byPackage_.find(package);
  Symbol* s = find(p == byPackage_.end() ? nullptr : &p->second, parts.back());
  if (s) markUsed(file, s->package);
  return s;
}

Symbol* Checker::lookup(const ast::QualifiedName& name, const ast::File* file, KindMask want, const char* what,
                        bool report) {
  std::vector<std::string> parts = partsOf(name);
  if (Symbol* s = tryLookup(parts, file, want)) return s;
  if (!report) return nullptr;
  // Ambiguity among imports.
  if (parts.size() == 1 && file && file->package) {
    std::vector<Symbol*> hits;
    for (const auto& imp : file->imports) {
      auto p = byPackage_.find(imp.package.str());
      if (p == byPackage_.end()) continue;
      auto n = p->second.find(parts[0]);
      if (n != p->second.end() && (kindBit(symbols_[n->second].kind) & want)) {
        Symbol* s = &symbols_[n->second];
        if (std::find(hits.begin(), hits.end(), s) == hits.end()) hits.push_back(s);
      }
    }
    if (hits.size() > 1) {
      auto d = diags_.report(DiagKind::E0102, name.range,
                             fmt::format("'{}' is ambiguous: it is defined in {} imported packages", parts[0],
                                         hits.size()));
      for (Symbol* h : hits) {
        d.note(fmt::format("'{}' is defined here", h->qualifiedName), h->decl->name.range);
        markUsed(file, h->package);
      }
      d.note(fmt::format("qualify it, for example '{}'", hits[0]->qualifiedName));
      return nullptr;
    }
  }
  // Through an import that failed (E0104, E0108): the import is the mistake.
  if (parts.size() >= 2 && file) {
    std::string prefix;
    for (size_t i = 0; i + 1 < parts.size(); ++i) prefix += (i ? "." : "") + parts[i];
    for (const auto& imp : file->imports) {
      std::string package = imp.package.str();
      if (ws_.packages.count(package)) continue;
      if (imp.effectiveAlias().name == parts[0] || package == prefix) return nullptr;
    }
  }
  // Something of another kind?
  if (Symbol* other = tryLookup(parts, file, kAnyKind)) {
    diags_.report(DiagKind::E0105, name.range,
                  fmt::format("'{}' is {}, not a {}", name.str(), ast::withArticle(other->kind), what))
        .note(fmt::format("'{}' is defined here", other->qualifiedName), other->decl->name.range);
    return nullptr;
  }
  // Suggestions among the names of the wanted kind visible from here.
  std::vector<std::string> candidates;
  auto addPackage = [&](const std::string& package, const std::string& prefix) {
    auto p = byPackage_.find(package);
    if (p == byPackage_.end()) return;
    for (const auto& [n, idx] : p->second)
      if (kindBit(symbols_[idx].kind) & want) candidates.push_back(prefix + n);
  };
  if (file && file->package) {
    if (parts.size() == 1) {
      addPackage(file->package->str(), "");
      for (const auto& imp : file->imports) addPackage(imp.package.str(), "");
      addPackage(kPreludePackage, "");
    } else {
      for (const auto& imp : file->imports) addPackage(imp.package.str(), imp.effectiveAlias().name + ".");
      for (const auto& [pkg, names] : byPackage_) addPackage(pkg, pkg + ".");
    }
  }
  std::string shown = name.str();
  auto d = diags_.report(DiagKind::E0101, name.range, fmt::format("unknown {} '{}'", what, shown));
  if (auto guess = closestMatch(shown, candidates)) {
    d.note(fmt::format("did you mean '{}'?", *guess));
  } else if (parts.size() > 1) {
    std::string package;
    for (size_t i = 0; i + 1 < parts.size(); ++i) package += (i ? "." : "") + parts[i];
    // After a failed import, the import is the problem, not this name.
    bool aliasedOrFailed = false;
    if (file)
      for (const auto& imp : file->imports)
        aliasedOrFailed |= imp.effectiveAlias().name == parts[0] || !ws_.packages.count(imp.package.str());
    if (!aliasedOrFailed && !ws_.packages.count(package))
      d.note(fmt::format("package '{}' is not part of the build; add `import {};`", package, package));
  }
  return nullptr;
}

void Checker::warnDeprecated(const std::optional<std::string>& why, const std::string& what, SourceRange at) {
  if (!why) return;
  auto d = diags_.report(DiagKind::W0111, at, fmt::format("{} is deprecated", what));
  if (!why->empty()) d.note(*why);
}

// ---------------------------------------------------------------- enums, tags, roles, domains

void Checker::checkEnum(Symbol& s) {
  auto* e = as<model::EnumType>(&s);
  const auto& decl = std::get<ast::EnumDecl>(s.decl->body);
  std::map<std::string, SourceRange> seen;
  for (const auto& m : decl.members) {
    auto [it, fresh] = seen.emplace(m.name.name, m.name.range);
    if (!fresh) {
      diags_.report(DiagKind::E0107, m.name.range,
                    fmt::format("enum '{}' already has a member '{}'", e->name, m.name.name))
          .note("first declared here", it->second);
      continue;
    }
    model::EnumMember member{m.name.name, m.doc.text, std::nullopt, m.name.range};
    e->members.push_back(std::move(member));
  }
  if (decl.members.empty())
    diags_.report(DiagKind::E0107, s.decl->name.range, fmt::format("enum '{}' has no members", e->name));
}

void Checker::checkTag(Symbol& s) {
  auto* t = as<model::Tag>(&s);
  const auto& decl = std::get<ast::TagDecl>(s.decl->body);
  std::set<std::string> seen;
  for (const auto& p : decl.params) {
    if (!seen.insert(p.name.name).second) {
      diags_.report(DiagKind::E0107, p.name.range,
                    fmt::format("tag '{}' already has a parameter '{}'", t->name, p.name.name));
      continue;
    }
    const model::Type* type = resolveType(p.type, s.file);
    if (!type->isError() && (!type->isScalar() || type->optional)) {
      diags_.report(DiagKind::E0206, p.type.range,
                    fmt::format("tag parameter '{}' has type '{}'; tag parameters are scalars or enums",
                                p.name.name, type->str()));
      type = types().error();
    }
    t->params.push_back({p.name.name, type});
  }
}

void Checker::checkRole(Symbol& s) {
  auto* r = as<model::Role>(&s);
  const auto& decl = std::get<ast::RoleDecl>(s.decl->body);
  r->description = decl.description.value_or("");
}

void Checker::checkDomain(Symbol& s) {
  auto* d = as<model::Domain>(&s);
  const auto& decl = std::get<ast::DomainDecl>(s.decl->body);
  static const std::vector<std::string> known = {"owner", "contact", "description", "slack", "url"};
  for (const auto& item : decl.items) {
    if (d->properties.count(item.key.name)) {
      diags_.report(DiagKind::E0010, item.key.range, fmt::format("'{}' is given twice", item.key.name));
      continue;
    }
    if (std::find(known.begin(), known.end(), item.key.name) == known.end()) {
      auto diag = diags_.report(DiagKind::E0406, item.key.range,
                                fmt::format("unknown domain setting '{}'", item.key.name));
      if (auto guess = closestMatch(item.key.name, known)) diag.note(fmt::format("did you mean '{}'?", *guess));
      else diag.note("a domain takes owner, contact, description, slack and url");
      continue;
    }
    d->properties[item.key.name] = item.value;
  }
  if (d->properties.count("owner")) d->owner = d->properties["owner"];
  else
    diags_.report(DiagKind::E0401, s.decl->name.range, fmt::format("domain '{}' declares no owner", d->name))
        .note("add `owner \"team-name\";`: the catalog lists the owning team of every product");
  if (d->properties.count("contact")) d->contact = d->properties["contact"];
}

// ---------------------------------------------------------------- types

const model::Type* Checker::resolveType(const ast::TypeExpr& t, const ast::File* file) {
  auto& tc = types();
  const model::Type* result = tc.error();
  switch (t.kind) {
    case ast::TypeExpr::Kind::List: {
      const model::Type* element = resolveType(*t.element, file);
      if (element->isError()) return tc.error();
      result = tc.list(element);
      break;
    }
    case ast::TypeExpr::Kind::Map: {
      const model::Type* key = resolveType(*t.key, file);
      const model::Type* value = resolveType(*t.element, file);
      if (!key->isError() && (tc.underlying(key) != tc.primitive(TypeKind::String))) {
        diags_.report(DiagKind::E0201, t.key->range,
                      fmt::format("map keys must be 'string', not '{}'", key->str()))
            .note("JSON object keys are strings; use list<Entry> with a record for other keys");
        return tc.error();
      }
      if (key->isError() || value->isError()) return tc.error();
      model::Type m;
      m.kind = TypeKind::Map;
      m.element = value;
      result = tc.get(m);
      break;
    }
    case ast::TypeExpr::Kind::Decimal: {
      if (t.precision < 1 || t.precision > 38 || t.scale < 0 || t.scale > t.precision) {
        diags_.report(DiagKind::E0202, t.range,
                      fmt::format("decimal({}, {}) is not valid; precision is 1 to 38 and scale 0 to the precision",
                                  t.precision, t.scale));
        return tc.error();
      }
      model::Type d;
      d.kind = TypeKind::Decimal;
      d.precision = t.precision;
      d.scale = t.scale;
      result = tc.get(d);
      break;
    }
    case ast::TypeExpr::Kind::Named: {
      if (t.name.parts.empty()) return tc.error();  // a syntax error already reported
      if (t.name.parts.size() == 1) {
        static const std::pair<const char*, TypeKind> builtins[] = {
            {"bool", TypeKind::Bool},         {"int32", TypeKind::Int32},   {"int64", TypeKind::Int64},
            {"float32", TypeKind::Float32},   {"float64", TypeKind::Float64}, {"string", TypeKind::String},
            {"bytes", TypeKind::Bytes},       {"timestamp", TypeKind::Timestamp}, {"date", TypeKind::Date},
            {"duration", TypeKind::Duration}, {"uuid", TypeKind::Uuid}};
        for (auto& [n, k] : builtins)
          if (t.name.parts[0].name == n) {
            result = tc.primitive(k);
            goto done;
          }
        if (t.name.parts[0].name == "decimal") {
          diags_.report(DiagKind::E0202, t.range, "decimal needs a precision and a scale, as in decimal(12, 2)");
          return tc.error();
        }
      }
      {
        Symbol* s = tryLookup(partsOf(t.name), file, kTypeKinds);
        if (!s) {
          // Suggest builtin type names too.
          Symbol* other = tryLookup({t.name.str()}, file, kAnyKind);
          if (!other && t.name.parts.size() == 1) {
            static const std::vector<std::string> builtinNames = {"bool", "int32", "int64", "float32", "float64",
                                                                  "string", "bytes", "timestamp", "date",
                                                                  "duration", "uuid", "decimal", "list", "map"};
            if (auto guess = closestMatch(t.name.str(), builtinNames)) {
              diags_.report(DiagKind::E0101, t.name.range, fmt::format("unknown type '{}'", t.name.str()))
                  .note(fmt::format("did you mean '{}'?", *guess));
              return tc.error();
            }
            if (t.name.str() == "int" || t.name.str() == "float" || t.name.str() == "double" ||
                t.name.str() == "long") {
              diags_.report(DiagKind::E0101, t.name.range, fmt::format("unknown type '{}'", t.name.str()))
                  .note(t.name.str() == "int" || t.name.str() == "long" ? "did you mean 'int32' or 'int64'?"
                                                                        : "did you mean 'float64'?");
              return tc.error();
            }
          }
          lookup(t.name, file, kTypeKinds, "type");
          return tc.error();
        }
        if (s->kind == ast::DeclKind::Enum) {
          model::Type e;
          e.kind = TypeKind::Enum;
          e.enumType = as<model::EnumType>(s);
          result = tc.get(e);
        } else if (s->kind == ast::DeclKind::Record) {
          model::Type r;
          r.kind = TypeKind::Record;
          r.record = as<model::Record>(s);
          result = tc.get(r);
        } else {
          const model::Type* base = resolveRefinement(*s);
          if (base->isError()) return tc.error();
          model::Type r = *base;
          r.optional = false;
          r.refinement = as<model::Refinement>(s);
          result = tc.get(r);
        }
      }
      break;
    }
  }
done:
  return t.optional ? tc.optional(result) : result;
}

const model::Type* Checker::resolveRefinement(Symbol& s) {
  auto* r = as<model::Refinement>(&s);
  int& state = refinementState_[&s];  // in a parallel phase, an existing entry: a read
  if (state == 2) return r->base ? r->base : types().error();
  if (state == 1) {
    diags_.report(DiagKind::E0109, s.decl->name.range,
                  fmt::format("refinement type '{}' is defined in terms of itself", r->name));
    r->base = types().error();
    state = 2;
    return r->base;
  }
  state = 1;
  const auto& decl = std::get<ast::TypeDecl>(s.decl->body);
  const model::Type* base = resolveType(decl.type, s.file);
  if (state == 2) return r->base;  // a cycle was reported while resolving
  if (base->optional && !base->isError()) {
    diags_.report(DiagKind::E0207, decl.type.range,
                  fmt::format("refinement type '{}' cannot be optional; write '{}?' where it is used", r->name,
                              r->name));
    base = types().required(base);
  }
  r->base = base;
  state = 2;
  return base;
}

void Checker::checkRecordFields(Symbol& s) {
  auto* r = as<model::Record>(&s);
  const auto& decl = std::get<ast::RecordDecl>(s.decl->body);
  std::map<std::string, SourceRange> seen;
  for (const auto& f : decl.fields) {
    auto [it, fresh] = seen.emplace(f.name.name, f.name.range);
    if (!fresh) {
      diags_.report(DiagKind::E0107, f.name.range,
                    fmt::format("record '{}' already has a field '{}'", r->name, f.name.name))
          .note("first declared here", it->second);
      continue;
    }
    auto field = std::make_unique<model::Field>();
    field->name = f.name.name;
    field->doc = f.doc.text;
    field->index = static_cast<int>(r->fields.size());
    field->type = resolveType(f.type, s.file);
    field->owner = r;
    field->range = f.range;
    field->nameRange = f.name.range;
    r->fields.push_back(std::move(field));
  }
  std::set<std::string> checks;
  for (const auto& c : decl.checks) {
    if (!checks.insert(c.name.name).second)
      diags_.report(DiagKind::E0107, c.name.range,
                    fmt::format("record '{}' already has a check '{}'", r->name, c.name.name));
  }
}

void Checker::checkRecordCycles() {
  // A record that contains itself by value (not through list, map or ?) would
  // be infinitely large. Depth-first search with colours over value edges.
  std::map<const model::Record*, int> colour;
  std::vector<const model::Field*> stack;
  std::function<void(const model::Record*)> visit = [&](const model::Record* r) {
    colour[r] = 1;
    for (const auto& f : r->fields) {
      const model::Type* t = f->type;
      if (t->optional || t->kind != TypeKind::Record) continue;
      stack.push_back(f.get());
      int c = colour[t->record];
      if (c == 1) {
        std::string path;
        bool inCycle = false;
        for (const model::Field* sf : stack) {
          if (sf->owner == t->record) inCycle = true;
          if (inCycle) path += fmt::format("{}'{}.{}'", path.empty() ? "" : " -> ", sf->owner->name, sf->name);
        }
        diags_.report(DiagKind::E0106, f->range,
                      fmt::format("record '{}' contains itself by value", t->record->name))
            .note(fmt::format("through {}", path))
            .note("make one of these fields optional ('?') or a list to break the cycle");
      } else if (c == 0) {
        visit(t->record);
      }
      stack.pop_back();
    }
    colour[r] = 2;
  };
  for (const auto& r : build_->records)
    if (colour[r.get()] == 0) visit(r.get());
}

// ---------------------------------------------------------------- annotations

std::vector<model::TagUse> Checker::tagUses(const std::vector<ast::Annotation>& anns, const ast::File* file,
                                            const char* place, bool allowTags, bool allowClosed,
                                            bool allowDeprecated, bool* closed,
                                            std::optional<std::string>* deprecated) {
  std::vector<model::TagUse> uses;
  std::set<const model::Tag*> seen;
  for (const auto& a : anns) {
    std::string name = a.name.str();
    if (name == "closed") {
      if (!allowClosed) {
        diags_.report(DiagKind::E0205, a.range, fmt::format("'@closed' applies to records, not to {}", place));
        continue;
      }
      if (!a.args.empty() || a.hasParens)
        diags_.report(DiagKind::E0204, a.range, "'@closed' takes no arguments");
      if (closed) *closed = true;
      continue;
    }
    if (name == "deprecated") {
      if (!allowDeprecated) {
        diags_.report(DiagKind::E0205, a.range,
                      fmt::format("'@deprecated' applies to fields, enum members and products, not to {}", place));
        continue;
      }
      std::string why;
      if (a.args.size() > 1 || (a.args.size() == 1 && (a.args[0].name || !a.args[0].value ||
                                                       a.args[0].value->kind != ast::ExprKind::String))) {
        diags_.report(DiagKind::E0204, a.range, "'@deprecated' takes one string: @deprecated(\"why\")");
      } else if (a.args.size() == 1) {
        why = a.args[0].value->stringValue;
      }
      if (deprecated) *deprecated = why;
      continue;
    }
    Symbol* s = lookup(a.name, file, kindBit(ast::DeclKind::Tag), "tag");
    if (!s) continue;
    auto* tag = as<model::Tag>(s);
    if (!allowTags) {
      diags_.report(DiagKind::E0205, a.range,
                    fmt::format("tags apply to fields, records, enums, refinement types and products, not to {}",
                                place));
      continue;
    }
    if (!seen.insert(tag).second) {
      diags_.report(DiagKind::E0204, a.range, fmt::format("tag '{}' is given twice", tag->name));
      continue;
    }
    model::TagUse use{tag, {}, a.range};
    std::vector<std::optional<model::Value>> values(tag->params.size());
    bool ok = true;
    size_t positional = 0;
    for (const auto& arg : a.args) {
      size_t index = positional;
      if (arg.name) {
        index = tag->params.size();
        for (size_t i = 0; i < tag->params.size(); ++i)
          if (tag->params[i].name == arg.name->name) index = i;
        if (index == tag->params.size()) {
          std::vector<std::string> names;
          for (auto& p : tag->params) names.push_back(p.name);
          auto d = diags_.report(DiagKind::E0204, arg.name->range,
                                 fmt::format("tag '{}' has no parameter '{}'", tag->name, arg.name->name));
          if (auto guess = closestMatch(arg.name->name, names)) d.note(fmt::format("did you mean '{}'?", *guess));
          ok = false;
          continue;
        }
      } else {
        ++positional;
        if (index >= tag->params.size()) {
          diags_.report(DiagKind::E0204, arg.value ? arg.value->range : a.range,
                        fmt::format("tag '{}' takes {} argument{}", tag->name, tag->params.size(),
                                    tag->params.size() == 1 ? "" : "s"));
          ok = false;
          continue;
        }
      }
      if (values[index]) {
        diags_.report(DiagKind::E0204, arg.value ? arg.value->range : a.range,
                      fmt::format("parameter '{}' is given twice", tag->params[index].name));
        ok = false;
        continue;
      }
      if (!arg.value || tag->params[index].type->isError()) {
        ok = false;
        continue;
      }
      values[index] = constant(*arg.value, tag->params[index].type, file, "a tag argument", DiagKind::E0204);
      if (!values[index]) ok = false;
    }
    for (size_t i = 0; i < tag->params.size() && ok; ++i) {
      if (!values[i]) {
        diags_.report(DiagKind::E0204, a.range,
                      fmt::format("tag '{}' needs a value for '{}'", tag->name, tag->params[i].name))
            .note(fmt::format("write @{}({}: ...)", tag->name, tag->params[i].name));
        ok = false;
      }
    }
    if (!ok) continue;
    for (size_t i = 0; i < tag->params.size(); ++i) use.args.push_back({tag->params[i].name, *values[i]});
    uses.push_back(std::move(use));
  }
  return uses;
}

void Checker::checkAnnotations(Symbol& s) {
  {
    const auto& anns = s.decl->annotations;
    switch (s.kind) {
      case ast::DeclKind::Enum: {
        auto* e = as<model::EnumType>(&s);
        e->tags = tagUses(anns, s.file, "enums", true, false, false, nullptr, nullptr);
        const auto& decl = std::get<ast::EnumDecl>(s.decl->body);
        for (const auto& m : decl.members) {
          int index = e->memberIndex(m.name.name);
          std::optional<std::string> deprecated;
          tagUses(m.annotations, s.file, "enum members", false, false, true, nullptr, &deprecated);
          if (index >= 0 && e->members[index].range.begin == m.name.range.begin)
            e->members[index].deprecated = deprecated;
        }
        break;
      }
      case ast::DeclKind::Type: {
        auto* r = as<model::Refinement>(&s);
        const auto& decl = std::get<ast::TypeDecl>(s.decl->body);
        for (const auto& a : anns)
          diags_.report(DiagKind::E0205, a.range,
                        fmt::format("annotations of a refinement type go after the type: `type {} = ... @{} ...;`",
                                    r->name, a.name.str()));
        r->tags = tagUses(decl.fieldAnnotations, s.file, "refinement types", true, false, false, nullptr, nullptr);
        break;
      }
      case ast::DeclKind::Record: {
        auto* r = as<model::Record>(&s);
        r->tags = tagUses(anns, s.file, "records", true, true, false, &r->closed, nullptr);
        const auto& decl = std::get<ast::RecordDecl>(s.decl->body);
        for (const auto& f : decl.fields) {
          model::Field* field = const_cast<model::Field*>(r->field(f.name.name));
          if (!field || field->range.begin != f.range.begin) continue;
          field->tags = tagUses(f.annotations, s.file, "fields", true, false, true, nullptr, &field->deprecated);
          // Tags of a refinement type apply to its fields too.
          if (const model::Refinement* ref = field->type->refinement) {
            for (const auto& use : ref->tags) {
              bool present = std::any_of(field->tags.begin(), field->tags.end(),
                                         [&](const model::TagUse& u) { return u.tag == use.tag; });
              if (!present) field->tags.push_back(use);
            }
          }
        }
        break;
      }
      case ast::DeclKind::Product: {
        auto* p = as<model::Product>(&s);
        p->tags = tagUses(anns, s.file, "products", true, false, true, nullptr, &p->deprecated);
        break;
      }
      default: {
        std::string place = std::string(ast::describe(s.kind)) + "s";
        tagUses(anns, s.file, place.c_str(), false, false, false, nullptr, nullptr);
        break;
      }
    }
  }
}

// ---------------------------------------------------------------- constraints and defaults

void Checker::checkConstraints(Symbol& s) {
  {
    if (s.kind == ast::DeclKind::Type) {
      auto* r = as<model::Refinement>(&s);
      const auto& decl = std::get<ast::TypeDecl>(s.decl->body);
      if (decl.constraint && r->base && !r->base->isError()) {
        Scope scope;
        scope.kind = Scope::Kind::Where;
        scope.file = s.file;
        scope.valueType = r->base;
        scope.valueDescription = fmt::format("the value of refinement type '{}'", r->name);
        r->constraint = checkCondition(*decl.constraint, scope, "a where constraint");
        r->constraintText = sourceText(decl.constraint->range);
        r->constraintTextRedacted = redactedSourceText(decl.constraint->range, r->constraint.get());
      }
    } else if (s.kind == ast::DeclKind::Record) {
      auto* r = as<model::Record>(&s);
      const auto& decl = std::get<ast::RecordDecl>(s.decl->body);
      for (const auto& f : decl.fields) {
        model::Field* field = const_cast<model::Field*>(r->field(f.name.name));
        if (!field || field->range.begin != f.range.begin || field->type->isError()) continue;
        if (f.constraint) {
          Scope scope;
          scope.kind = Scope::Kind::Where;
          scope.file = s.file;
          scope.valueType = types().required(field->type);
          scope.valueDescription = fmt::format("the field '{}'", field->name);
          field->constraint = checkCondition(*f.constraint, scope, "a where constraint");
          field->constraintText = sourceText(f.constraint->range);
          field->constraintTextRedacted = redactedSourceText(f.constraint->range, field->constraint.get());
        }
        if (f.defaultValue) {
          if (!field->type->isScalar()) {
            diags_.report(DiagKind::E0203, f.defaultValue->range,
                          fmt::format("field '{}' of type '{}' cannot have a default; defaults are for scalar "
                                      "fields",
                                      field->name, field->type->str()));
          } else {
            field->defaultValue = constant(*f.defaultValue, field->type, s.file, "a default value");
          }
        }
      }
      for (const auto& c : decl.checks) {
        if (!c.expr) continue;
        Scope scope;
        scope.kind = Scope::Kind::Check;
        scope.file = s.file;
        scope.record = r;
        model::ExprPtr e = checkCondition(*c.expr, scope, "a check");
        std::string redacted = redactedSourceText(c.expr->range, e.get());
        r->checks.push_back({c.name.name, c.doc.text, std::move(e), sourceText(c.expr->range), c.range, redacted});
      }
    }
  }
}

// ---------------------------------------------------------------- products

std::optional<model::FieldPath> Checker::fieldPath(const ast::FieldPath& path, const model::Record* root,
                                                   const char* purpose) {
  model::FieldPath out;
  out.text = path.str();
  out.range = path.range;
  const model::Record* record = root;
  for (size_t i = 0; i < path.segments.size(); ++i) {
    const auto& seg = path.segments[i];
    if (!record) {
      diags_.report(DiagKind::E0402, seg.name.range,
                    fmt::format("'{}' is not a record, so it has no field '{}'", out.fields.back()->name,
                                seg.name.name));
      return std::nullopt;
    }
    const model::Field* f = record->field(seg.name.name);
    if (!f) {
      std::vector<std::string> names;
      for (const auto& rf : record->fields) names.push_back(rf->name);
      auto d = diags_.report(DiagKind::E0402, seg.name.range,
                             fmt::format("record '{}' has no field '{}' ({})", record->name, seg.name.name, purpose));
      if (auto guess = closestMatch(seg.name.name, names)) d.note(fmt::format("did you mean '{}'?", *guess));
      return std::nullopt;
    }
    warnDeprecated(f->deprecated, fmt::format("field '{}'", f->name), seg.name.range);
    out.fields.push_back(f);
    const model::Type* t = f->type;
    if (seg.element) {
      if (t->kind != TypeKind::List && t->kind != TypeKind::Map) {
        diags_.report(DiagKind::E0402, seg.name.range,
                      fmt::format("'{}[]' steps into the elements of '{}', which is a '{}', not a list",
                                  seg.name.name, f->name, t->str()));
        return std::nullopt;
      }
      t = t->element;
    } else if (t->kind == TypeKind::List && i + 1 < path.segments.size()) {
      diags_.report(DiagKind::E0402, seg.name.range,
                    fmt::format("'{}' is a list; write '{}[]' to reach the fields of its elements", f->name,
                                f->name));
      return std::nullopt;
    }
    record = t->kind == TypeKind::Record ? t->record : nullptr;
  }
  return out;
}

std::vector<const model::Role*> Checker::roles(const std::vector<ast::QualifiedName>& names, const ast::File* file) {
  std::vector<const model::Role*> out;
  for (const auto& n : names) {
    Symbol* s = lookup(n, file, kindBit(ast::DeclKind::Role), "role");
    if (!s) continue;
    auto* role = as<model::Role>(s);
    if (std::find(out.begin(), out.end(), role) != out.end()) {
      diags_.report(DiagKind::E0010, n.range, fmt::format("role '{}' is listed twice", n.str()));
      continue;
    }
    out.push_back(role);
  }
  return out;
}

void Checker::checkProduct(Symbol& s) {
  auto* p = as<model::Product>(&s);
  const auto& decl = std::get<ast::ProductDecl>(s.decl->body);
  const ast::File* file = s.file;
  std::vector<std::string> missing;
  if (decl.domain) {
    if (Symbol* d = lookup(*decl.domain, file, kindBit(ast::DeclKind::Domain), "domain"))
      p->domain = as<model::Domain>(d);
  } else {
    missing.push_back("domain");
  }
  if (decl.version) {
    p->version = decl.version->value;
    p->settingRanges.version = decl.version->range;
    if (!validSemver(p->version))
      diags_.report(DiagKind::E0405, decl.version->range,
                    fmt::format("version \"{}\" is not a semantic version", p->version))
          .note("write MAJOR.MINOR.PATCH, like \"3.1.0\"; the major version is the consumers' signal of a "
                "breaking change");
  } else {
    missing.push_back("version");
  }
  if (decl.schema) {
    if (Symbol* r = lookup(*decl.schema, file, kindBit(ast::DeclKind::Record), "record"))
      p->schema = as<model::Record>(r);
  } else {
    missing.push_back("schema");
  }
  if (!decl.topic) missing.push_back("topic");
  if (!missing.empty() && !s.decl->hasSyntaxErrors) {
    std::string list;
    for (size_t i = 0; i < missing.size(); ++i)
      list += fmt::format("{}'{}'", i == 0 ? "" : i + 1 == missing.size() ? " and " : ", ", missing[i]);
    diags_.report(DiagKind::E0401, s.decl->name.range,
                  fmt::format("product '{}' has no {}", p->name, list))
        .note("every product declares its domain, version, schema and topic");
  }

  // Every field, nested ones too, for the policy model. A record already on
  // the path is listed but not entered again (a tree record, `left: Node?;
  // right: Node?`, made 2^32 paths), and the list stops at kMaxFieldPaths:
  // records reached by several fields multiply the paths (E0411).
  if (p->schema) {
    std::vector<const model::Record*> onPath;
    std::function<void(const model::Record*, model::FieldPath, int)> walk = [&](const model::Record* r,
                                                                                model::FieldPath prefix, int depth) {
      if (depth > 32 || std::find(onPath.begin(), onPath.end(), r) != onPath.end()) return;
      onPath.push_back(r);
      for (const auto& f : r->fields) {
        if (p->allFields.size() >= model::kMaxFieldPaths) break;
        model::FieldPath fp = prefix;
        fp.fields.push_back(f.get());
        fp.text += (fp.text.empty() ? "" : ".") + f->name;
        const model::Type* t = f->type;
        while (t->kind == TypeKind::List || t->kind == TypeKind::Map) {
          fp.text += "[]";
          t = t->element;
        }
        p->allFields.push_back(fp);
        if (t->kind == TypeKind::Record) walk(t->record, fp, depth + 1);
      }
      onPath.pop_back();
    };
    walk(p->schema, {}, 0);
    std::string tooMany =
        fmt::format("the schema of product '{}' has more than {} field paths", p->name, model::kMaxFieldPaths);
    if (p->allFields.size() >= model::kMaxFieldPaths)
      diags_.report(DiagKind::E0411, decl.schema->range, tooMany)
          .note("a record reached through several fields counts once per path: the paths multiply with every level");
  }

  if (decl.topic) {
    const auto& t = *decl.topic;
    p->topic.name = t.name.value;
    p->topic.range = t.range;
    p->settingRanges.topicName = t.name.range;
    if (!validTopicName(t.name.value))
      diags_.report(DiagKind::E0406, t.name.range, fmt::format("\"{}\" is not a valid Kafka topic name", t.name.value))
          .note("topic names are 1 to 249 characters of letters, digits, '.', '_' and '-'");
    if (t.key && p->schema) {
      if (auto path = fieldPath(*t.key, p->schema, "the topic key")) {
        const model::Type* last = path->fields.back()->type;
        std::string problem;
        for (const model::Field* f : path->fields) {
          if (!problem.empty() || f->type->isError()) continue;
          bool isLast = f == path->fields.back();
          const char* kind = f->type->kind == TypeKind::List ? "a list" : f->type->kind == TypeKind::Map ? "a map" : nullptr;
          if (kind)
            problem = isLast ? fmt::format("is {} ('{}')", kind, f->type->str())
                             : fmt::format("goes through '{}', {}", f->name, kind);
          else if (f->optional())
            problem = isLast ? fmt::format("is optional ('{}')", f->type->str())
                             : fmt::format("goes through '{}', which is optional", f->name);
        }
        bool error = std::any_of(path->fields.begin(), path->fields.end(),
                                 [](const model::Field* f) { return f->type->isError(); });
        if (problem.empty() && !error && !last->isScalar())
          problem = fmt::format("has type '{}', not a scalar", last->str());
        if (error) {
          // The field's type is already reported.
        } else if (!problem.empty()) {
          diags_.report(DiagKind::E0403, t.key->range,
                        fmt::format("topic key '{}' {}; a key must be a required scalar field", path->text, problem))
              .note("Kafka partitions by the key, so every message must have exactly one value for it");
        } else {
          p->topic.key = std::move(*path);
        }
      }
    }
    if (t.partitions) {
      p->topic.partitions = t.partitions->value;
      p->settingRanges.partitions = t.partitions->range;
      if (t.partitions->value < 1 || t.partitions->value > 100000)
        diags_.report(DiagKind::E0404, t.partitions->range,
                      fmt::format("a topic has 1 to 100000 partitions, not {}", t.partitions->value));
    }
    if (t.replication) {
      p->topic.replication = t.replication->value;
      if (t.replication->value < 1 || t.replication->value > 32)
        diags_.report(DiagKind::E0404, t.replication->range,
                      fmt::format("replication factor must be 1 to 32, not {}", t.replication->value));
    }
    if (t.format) {
      p->topic.format = t.format->name;
      p->settingRanges.format = t.format->range;
      if (t.format->name != "json") {
        auto d = diags_.report(DiagKind::E0406, t.format->range, fmt::format("unknown format '{}'", t.format->name));
        d.note("meshc supports the format 'json'");
      }
    }
  }

  if (decl.sla) {
    const auto& sla = *decl.sla;
    if (sla.freshnessMicros) {
      p->sla.freshnessMicros = sla.freshnessMicros->value;
      p->settingRanges.freshness = sla.freshnessMicros->range;
      if (sla.freshnessMicros->value <= 0)
        diags_.report(DiagKind::E0404, sla.freshnessMicros->range, "freshness must be longer than zero");
    }
    if (sla.availabilityPercent) {
      double a = sla.availabilityPercent->value;
      p->sla.availabilityPercent = a;
      p->settingRanges.availability = sla.availabilityPercent->range;
      if (!(a > 0 && a <= 100))
        diags_.report(DiagKind::E0404, sla.availabilityPercent->range,
                      fmt::format("availability must be above 0% and at most 100%, not {}%", a));
    }
    if (sla.throughputPerSecond) {
      p->sla.throughputPerSecond = sla.throughputPerSecond->value;
      p->settingRanges.throughput = sla.throughputPerSecond->range;
      p->sla.throughputText = sla.throughputText;
      if (sla.throughputPerSecond->value <= 0)
        diags_.report(DiagKind::E0404, sla.throughputPerSecond->range, "throughput must be above zero");
    }
    if (sla.latencyMicros) {
      p->sla.latencyMicros = sla.latencyMicros->value;
      p->settingRanges.latency = sla.latencyMicros->range;
      if (sla.latencyMicros->value <= 0)
        diags_.report(DiagKind::E0404, sla.latencyMicros->range, "latency must be longer than zero");
      if (sla.latencyPercentile) {
        static const std::vector<std::string> percentiles = {"p50", "p75", "p90", "p95", "p99", "p999"};
        const std::string& pc = sla.latencyPercentile->name;
        if (std::find(percentiles.begin(), percentiles.end(), pc) == percentiles.end()) {
          auto d = diags_.report(DiagKind::E0406, sla.latencyPercentile->range,
                                 fmt::format("unknown latency percentile '{}'", pc));
          if (auto guess = closestMatch(pc, percentiles)) d.note(fmt::format("did you mean '{}'?", *guess));
          else d.note("use one of p50, p75, p90, p95, p99, p999");
        } else {
          p->sla.latencyPercentile = pc;
        }
      }
    }
  }

  if (decl.quality) {
    for (const auto& q : *decl.quality) {
      model::QualityRule rule{static_cast<model::QualityRule::Kind>(q.kind), std::nullopt, {}, 0, 0, {}, {}};
      rule.op = compareOp(q.op);
      rule.threshold = q.threshold;
      rule.windowMicros = q.windowMicros;
      rule.range = q.range;
      // As written, on one line, without the `;` (a metric label and log text).
      for (char c : sourceText(q.range)) {
        bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r';
        if (space && (rule.text.empty() || rule.text.back() == ' ')) continue;
        rule.text += space ? ' ' : c;
      }
      while (!rule.text.empty() && (rule.text.back() == ';' || rule.text.back() == ' ')) rule.text.pop_back();
      bool ok = true;
      std::optional<model::FieldPath> path;
      if (q.field) {
        if (p->schema) path = fieldPath(*q.field, p->schema, "a quality rule");
        if (!path) ok = false;
        // unique and null_rate look at one value per message: a path into
        // the elements of a list or map has many or none.
        for (size_t i = 0; path && i + 1 < path->fields.size(); ++i) {
          const model::Field* f = path->fields[i];
          if (f->type->kind != TypeKind::List && f->type->kind != TypeKind::Map) continue;
          diags_.report(DiagKind::E0402, q.field->range,
                        fmt::format("a quality rule looks at one value per message, but '{}' steps into the "
                                    "elements of '{}', a '{}'",
                                    path->text, f->name, f->type->str()));
          path.reset();
          ok = false;
        }
      }
      if (path) {
        if (q.kind == ast::QualityRule::Kind::NullRate) {
          bool canBeNull = std::any_of(path->fields.begin(), path->fields.end(),
                                       [](const model::Field* f) { return f->optional(); });
          if (!canBeNull)
            diags_.report(DiagKind::W0410, q.field->range,
                          fmt::format("'{}' is required, so its null rate is always 0%", path->text));
        }
        rule.field = std::move(*path);
      }
      if ((q.kind == ast::QualityRule::Kind::NullRate || q.kind == ast::QualityRule::Kind::ValidRate) &&
          (q.threshold < 0 || q.threshold > 100)) {
        diags_.report(DiagKind::E0404, q.thresholdRange,
                      fmt::format("a rate is between 0% and 100%, not {}%", q.threshold));
        ok = false;
      }
      if ((q.kind == ast::QualityRule::Kind::Unique || q.kind == ast::QualityRule::Kind::Volume) &&
          q.windowMicros <= 0) {
        diags_.report(DiagKind::E0404, q.windowRange, "the window must be longer than zero");
        ok = false;
      }
      if (ok) p->quality.push_back(std::move(rule));
    }
  }

  if (decl.access) {
    const auto& a = *decl.access;
    if (a.readers) p->readers = roles(*a.readers, file);
    if (a.writers) p->writers = roles(*a.writers, file);
    for (const auto& m : a.masks) {
      model::Mask mask;
      mask.range = m.range;
      mask.roles = roles(m.roles, file);
      static const std::vector<std::string> methods = {"hash", "redact", "null", "last"};
      const std::string& method = m.method.name;
      if (std::find(methods.begin(), methods.end(), method) == methods.end()) {
        auto d = diags_.report(DiagKind::E0406, m.method.range, fmt::format("unknown masking method '{}'", method));
        if (auto guess = closestMatch(method, methods)) d.note(fmt::format("did you mean '{}'?", *guess));
        else d.note("the methods are hash, redact, null and last(N)");
        continue;
      }
      mask.method = method == "hash" ? model::MaskMethod::Hash
                    : method == "redact" ? model::MaskMethod::Redact
                    : method == "null" ? model::MaskMethod::Null : model::MaskMethod::Last;
      if (mask.method == model::MaskMethod::Last) {
        if (!m.argument) {
          diags_.report(DiagKind::E0406, m.method.range, "'last' needs the number of characters to keep: last(4)");
          continue;
        }
        if (m.argument->value < 1 || m.argument->value > 1000) {
          diags_.report(DiagKind::E0404, m.argument->range,
                        fmt::format("last(N) keeps 1 to 1000 characters, not {}", m.argument->value));
          continue;
        }
        mask.keep = m.argument->value;
      } else if (m.argument) {
        diags_.report(DiagKind::E0406, m.argument->range, fmt::format("'{}' takes no argument", method));
        continue;
      }
      if (!p->schema) continue;
      auto path = fieldPath(m.field, p->schema, "a mask");
      if (!path) continue;
      const model::Type* t = path->fields.back()->type;
      bool isString = t->kind == TypeKind::String;
      if ((mask.method == model::MaskMethod::Hash || mask.method == model::MaskMethod::Redact ||
           mask.method == model::MaskMethod::Last) &&
          !isString && !t->isError()) {
        diags_.report(DiagKind::E0408, m.field.range,
                      fmt::format("'{}' masks '{}' of type '{}', but it replaces the value with a string",
                                  method, path->text, t->str()))
            .note("use 'null' to hide a field that is not a string");
        continue;
      }
      if (mask.method == model::MaskMethod::Null) {
        bool canBeNull = std::any_of(path->fields.begin(), path->fields.end(),
                                     [](const model::Field* f) { return f->optional(); });
        if (!canBeNull) {
          diags_.report(DiagKind::E0408, m.field.range,
                        fmt::format("'null' removes '{}', but the field is required, so the masked message would "
                                    "be invalid",
                                    path->text))
              .note(isString ? "use hash, redact or last(N), or make the field optional"
                             : "make the field optional");
          continue;
        }
      }
      for (size_t i = 0; i < mask.roles.size(); ++i) {
        if (a.readers && std::find(p->readers.begin(), p->readers.end(), mask.roles[i]) == p->readers.end())
          diags_.report(DiagKind::W0409, m.range,
                        fmt::format("mask for role '{}', which is not a reader of '{}'", mask.roles[i]->name, p->name));
      }
      mask.field = std::move(*path);
      p->masks.push_back(std::move(mask));
    }
  }

  if (decl.retentionMicros) {
    p->retentionMicros = decl.retentionMicros->value;
    if (decl.retentionMicros->value <= 0)
      diags_.report(DiagKind::E0404, decl.retentionMicros->range, "retention must be longer than zero");
  }
  if (decl.compatibility) {
    p->settingRanges.compatibility = decl.compatibility->range;
    static const std::vector<std::string> modes = {"none", "backward", "forward", "full"};
    const std::string& mode = decl.compatibility->name;
    auto it = std::find(modes.begin(), modes.end(), mode);
    if (it == modes.end()) {
      auto d = diags_.report(DiagKind::E0406, decl.compatibility->range,
                             fmt::format("unknown compatibility mode '{}'", mode));
      if (auto guess = closestMatch(mode, modes)) d.note(fmt::format("did you mean '{}'?", *guess));
      else d.note("the modes are none, backward, forward and full");
    } else {
      p->compatibility = static_cast<model::Compatibility>(it - modes.begin());
    }
  }
  if (decl.upstream) {
    for (const auto& u : *decl.upstream) {
      Symbol* up = lookup(u, file, kindBit(ast::DeclKind::Product), "product");
      if (!up) continue;
      auto* product = as<model::Product>(up);
      if (std::find(p->upstream.begin(), p->upstream.end(), product) != p->upstream.end()) {
        diags_.report(DiagKind::E0010, u.range, fmt::format("upstream '{}' is listed twice", u.str()));
        continue;
      }
      p->upstream.push_back(product);
    }
  }
}

void Checker::checkUpstreamCycles() {
  // Deprecation warnings on upstream references come after the products are
  // all checked, because the referenced product's annotations must be known.
  for (auto& s : symbols_) {
    if (s.kind != ast::DeclKind::Product) continue;
    const auto& decl = std::get<ast::ProductDecl>(s.decl->body);
    if (!decl.upstream) continue;
    for (const auto& u : *decl.upstream) {
      Symbol* up = tryLookup(partsOf(u), s.file, kindBit(ast::DeclKind::Product));
      if (up) warnDeprecated(as<model::Product>(up)->deprecated, fmt::format("product '{}'", up->qualifiedName), u.range);
    }
  }
  std::map<const model::Product*, int> colour;
  std::vector<const model::Product*> stack;
  std::function<void(const model::Product*)> visit = [&](const model::Product* p) {
    colour[p] = 1;
    stack.push_back(p);
    for (const model::Product* u : p->upstream) {
      if (colour[u] == 1) {
        std::string path;
        bool in = false;
        for (const model::Product* sp : stack) {
          if (sp == u) in = true;
          if (in) path += sp->qualifiedName + " -> ";
        }
        path += u->qualifiedName;
        diags_.report(DiagKind::E0407, p->nameRange,
                      fmt::format("upstream lineage of '{}' has a cycle", p->qualifiedName))
            .note(fmt::format("the cycle: {}", path));
      } else if (colour[u] == 0) {
        visit(u);
      }
    }
    stack.pop_back();
    colour[p] = 2;
  };
  std::vector<const model::Product*> sorted;
  for (const auto& p : build_->products) sorted.push_back(p.get());
  std::sort(sorted.begin(), sorted.end(),
            [](auto* a, auto* b) { return a->qualifiedName < b->qualifiedName; });
  for (const model::Product* p : sorted)
    if (colour[p] == 0) visit(p);
}

// ---------------------------------------------------------------- policies and waivers

void Checker::checkPolicy(Symbol& s) {
  auto* policy = as<model::Policy>(&s);
  const auto& decl = std::get<ast::PolicyDecl>(s.decl->body);
  if (decl.severity) {
    if (decl.severity->name == "error") {
      policy->severity = model::PolicySeverity::Error;
    } else if (decl.severity->name == "warning") {
      policy->severity = model::PolicySeverity::Warning;
    } else {
      auto d = diags_.report(DiagKind::E0406, decl.severity->range,
                             fmt::format("unknown severity '{}'", decl.severity->name));
      if (auto guess = closestMatch(decl.severity->name, {"error", "warning"}))
        d.note(fmt::format("did you mean '{}'?", *guess));
      else d.note("a policy's severity is error or warning");
    }
  }
  if (decl.rules.empty())
    diags_.report(DiagKind::W0505, s.decl->name.range, fmt::format("policy '{}' has no rule", policy->name))
        .note("add `for product p { require ...; }`");
  auto& tc = types();
  for (const auto& r : decl.rules) {
    model::PolicyRule rule;
    rule.range = r.range;
    Scope scope;
    scope.kind = Scope::Kind::Policy;
    scope.file = s.file;
    bool ok = true;
    for (size_t i = 0; i < r.binders.size(); ++i) {
      const auto& b = r.binders[i];
      static const std::vector<std::string> kinds = {"product", "field", "record", "role"};
      auto it = std::find(kinds.begin(), kinds.end(), b.kind.name);
      if (it == kinds.end()) {
        auto d = diags_.report(DiagKind::E0501, b.kind.range,
                               fmt::format("a policy binds product, field, record or role, not '{}'", b.kind.name));
        if (auto guess = closestMatch(b.kind.name, kinds)) d.note(fmt::format("did you mean '{}'?", *guess));
        ok = false;
        break;
      }
      model::BinderKind kind = static_cast<model::BinderKind>(it - kinds.begin());
      TypeKind elementKind = kind == model::BinderKind::Product ? TypeKind::ProductInfo
                             : kind == model::BinderKind::Field ? TypeKind::FieldInfo
                             : kind == model::BinderKind::Record ? TypeKind::RecordInfo : TypeKind::RoleRef;
      model::Binder binder{kind, b.name.name, scope.nextLocal++, nullptr, b.range};
      if (i == 0) {
        if (kind != model::BinderKind::Product || b.source) {
          diags_.report(DiagKind::E0501, b.range,
                        "a policy rule starts with `for product NAME`: it applies to every product of the build");
          ok = false;
          break;
        }
      } else {
        if (!b.source) {
          diags_.report(DiagKind::E0501, b.range,
                        fmt::format("'{} {}' needs a source: `{} {} in ...`", b.kind.name, b.name.name, b.kind.name,
                                    b.name.name));
          ok = false;
          break;
        }
        binder.source = checkExpr(*b.source, scope);
        const model::Type* st = binder.source->type;
        if (!st->isError() && (st->kind != TypeKind::List || st->element->kind != elementKind)) {
          diags_.report(DiagKind::E0501, b.source->range,
                        fmt::format("'{}' binds each {} of a list of {}s, but this is a '{}'", b.name.name,
                                    b.kind.name, b.kind.name, st->str()));
          ok = false;
          break;
        }
      }
      for (const auto& l : scope.locals)
        if (l.name == b.name.name) {
          diags_.report(DiagKind::E0501, b.name.range, fmt::format("'{}' is bound twice", b.name.name));
          ok = false;
        }
      scope.locals.push_back({b.name.name, tc.primitive(elementKind), binder.local});
      rule.binders.push_back(std::move(binder));
    }
    if (!ok) continue;
    if (r.filter) rule.filter = checkCondition(*r.filter, scope, "a policy filter");
    for (const auto& req : r.requires_) {
      model::Requirement out;
      out.range = req.range;
      if (req.expr) out.expr = checkCondition(*req.expr, scope, "a requirement");
      if (req.message) {
        // Split "{p.name} is ..." into text and typed holes.
        const std::string& text = req.message->value;
        SourceRange at = req.message->range;
        std::string literal;
        for (size_t i = 0; i < text.size(); ++i) {
          char c = text[i];
          if (c == '{' && i + 1 < text.size() && text[i + 1] == '{') {
            literal += '{';
            ++i;
            continue;
          }
          if (c == '}' && i + 1 < text.size() && text[i + 1] == '}') {
            literal += '}';
            ++i;
            continue;
          }
          if (c == '}') {
            diags_.report(DiagKind::E0502, at, "unmatched '}' in policy message; write '}}' for a literal brace");
            break;
          }
          if (c != '{') {
            literal += c;
            continue;
          }
          size_t close = text.find('}', i);
          if (close == std::string::npos) {
            diags_.report(DiagKind::E0502, at, "'{' in policy message is never closed; write '{{' for a literal brace");
            break;
          }
          std::string inner = llvm::StringRef(text).slice(i + 1, close).trim().str();
          llvm::SmallVector<llvm::StringRef, 4> parts;
          llvm::StringRef(inner).split(parts, '.');
          bool valid = !inner.empty();
          for (auto part : parts) {
            valid = valid && !part.empty() && (std::isalpha(static_cast<unsigned char>(part[0])) || part[0] == '_') &&
                    part.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") ==
                        llvm::StringRef::npos;
          }
          if (!valid) {
            diags_.report(DiagKind::E0502, at,
                          fmt::format("'{{{}}}' in policy message is not a name or attribute path like {{p.name}}",
                                      inner));
            break;
          }
          // Build the path as an AST expression and type it in the rule's scope.
          auto node = std::make_unique<ast::Expr>();
          node->kind = ast::ExprKind::Name;
          node->name = parts[0].str();
          node->range = at;
          node->nameRange = at;
          for (size_t k = 1; k < parts.size(); ++k) {
            auto member = std::make_unique<ast::Expr>();
            member->kind = ast::ExprKind::Member;
            member->name = parts[k].str();
            member->range = at;
            member->nameRange = at;
            member->args.push_back(std::move(node));
            node = std::move(member);
          }
          // Point at the placeholder itself when the source spells the
          // message plainly (no escapes before it).
          SourceRange holeAt = at;
          std::string source = sourceText(at);
          size_t found = source.find("{" + llvm::StringRef(text).slice(i + 1, close).str() + "}");
          if (found != std::string::npos && source.size() == static_cast<size_t>(at.end - at.begin))
            holeAt = {at.file, at.begin + static_cast<uint32_t>(found), at.begin + static_cast<uint32_t>(found + close - i + 1)};
          size_t before = diags_.size();
          model::ExprPtr hole = checkExpr(*node, scope);
          if (diags_.size() != before) {
            // One message for the placeholder, keeping the inner suggestion.
            auto inner_ = diags_.takeFrom(before);
            auto d = diags_.report(DiagKind::E0502, holeAt,
                                   fmt::format("cannot fill '{{{}}}' in the policy message: {}", inner,
                                               inner_.front().message));
            for (const auto& n : inner_.front().notes) d.note(n.message);
            break;
          }
          out.message.push_back({literal, nullptr});
          literal.clear();
          out.message.push_back({"", std::move(hole)});
          i = close;
        }
        if (!literal.empty()) out.message.push_back({literal, nullptr});
      }
      rule.requirements.push_back(std::move(out));
    }
    rule.localCount = scope.nextLocal;
    policy->rules.push_back(std::move(rule));
  }
}

void Checker::checkWaiver(Symbol& s) {
  const auto& decl = std::get<ast::WaiverDecl>(s.decl->body);
  model::Waiver w;
  w.range = s.decl->range;
  w.package = s.package;
  w.reason = decl.reason.value;
  w.until = fmt::format("{:04}-{:02}-{:02}", decl.until.value.year, decl.until.value.month, decl.until.value.day);
  if (Symbol* p = lookup(decl.policy, s.file, kindBit(ast::DeclKind::Policy), "policy")) w.policy = as<model::Policy>(p);
  if (Symbol* p = lookup(decl.product, s.file, kindBit(ast::DeclKind::Product), "product"))
    w.product = as<model::Product>(p);
  if (llvm::StringRef(w.reason).trim().empty())
    diags_.report(DiagKind::E0503, decl.reason.range, "a waiver must say why it is granted")
        .note("name the review or ticket, for example because \"legal review GOV-123\"");
  if (!options_.today.empty() && w.until < options_.today)
    diags_.report(DiagKind::E0504, decl.until.range,
                  fmt::format("waiver expired on {} (today is {})", w.until, options_.today))
        .note("renew it with a new date after a review, or fix what it waives and delete it");
  if (w.policy && w.product) build_->waivers.push_back(std::move(w));
}

void Checker::reportUnusedImports() {
  // Importing a package brings its policies into the build (language.md
  // section 6), so an import of a package that declares one is used even
  // when no name of it is.
  std::set<std::string_view> policyPackages;
  for (const auto& s : symbols_)
    if (s.kind == ast::DeclKind::Policy) policyPackages.insert(s.package);
  for (const auto& file : ws_.files) {
    if (!file.package) continue;  // E0009: the file was not checked
    for (const auto& imp : file.imports) {
      std::string package = imp.package.str();
      if (!ws_.packages.count(package)) continue;  // E0104 already
      if (!usedImports_.count({&file, std::string_view(package)}) && !policyPackages.count(package))
        diags_.report(DiagKind::W0112, imp.range, fmt::format("package '{}' is imported but never used", package));
    }
  }
}

void Checker::sortBuild() {
  auto byName = [](const auto& a, const auto& b) { return a->qualifiedName < b->qualifiedName; };
  std::sort(build_->enums.begin(), build_->enums.end(), byName);
  std::sort(build_->refinements.begin(), build_->refinements.end(), byName);
  std::sort(build_->records.begin(), build_->records.end(), byName);
  std::sort(build_->tags.begin(), build_->tags.end(), byName);
  std::sort(build_->roles.begin(), build_->roles.end(), byName);
  std::sort(build_->domains.begin(), build_->domains.end(), byName);
  std::sort(build_->products.begin(), build_->products.end(), byName);
  std::sort(build_->policies.begin(), build_->policies.end(), byName);
  std::sort(build_->waivers.begin(), build_->waivers.end(), [](const model::Waiver& a, const model::Waiver& b) {
    return std::tie(a.policy->qualifiedName, a.product->qualifiedName, a.until) <
           std::tie(b.policy->qualifiedName, b.product->qualifiedName, b.until);
  });
  std::sort(build_->packages.begin(), build_->packages.end(),
            [](const model::Package& a, const model::Package& b) { return a.name < b.name; });
}

std::unique_ptr<model::Build> checkBuild(const Workspace& ws, DiagnosticEngine& diags, const CheckOptions& options) {
  Checker checker(ws, diags, options);
  return checker.run();
}

}  // namespace mesh::check
