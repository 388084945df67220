// Checker: the symbol table, the phases of a check in order (run), enums,
// tags, roles, domains and waivers. Types and records are resolved in
// Types.cpp, annotations in Annotations.cpp, products in Product.cpp,
// policies in Policy.cpp, expressions in Exprs.cpp.
#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <tuple>
#include <type_traits>
#include <utility>

#include "check/CheckerImpl.h"
#include "llvm/ADT/StringRef.h"
#include "support/Parallel.h"

namespace mesh::check {

using model::TypeKind;

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
    if (file.package && checks(file)) fileScope(&file);
  constexpr std::pair<ast::DeclKind, void (Checker::*)(Symbol&)> kChecks[] = {
      {ast::DeclKind::Enum, &Checker::checkEnum},
      {ast::DeclKind::Tag, &Checker::checkTag},
      {ast::DeclKind::Role, &Checker::checkRole},
      {ast::DeclKind::Domain, &Checker::checkDomain},
  };
  for (auto& s : symbols_)
    for (auto [kind, check] : kChecks)
      if (s.kind == kind) (this->*check)(s);
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
  forEachSymbol(kindBit(ast::DeclKind::Type) | kindBit(ast::DeclKind::Record), [&](Symbol& s) {
    if (s.kind == ast::DeclKind::Type || !options_.reported || options_.reported->count(s.package)) checkConstraints(s);
  });
  // A tagged union reads its records' fields, defaults included.
  forEachSymbol(kindBit(ast::DeclKind::Union), [&](Symbol& s) { checkUnion(s); });
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
                   k == ast::DeclKind::Tag || k == ast::DeclKind::Union;
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
    if (options_.packages && !options_.packages->count(package)) continue;
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
    if (!file.package || !checks(file)) continue;
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
          diags_
              .report(DiagKind::E0103, decl.name.range,
                      fmt::format("'{}' is already defined in package '{}'", decl.name.name, package))
              .note(fmt::format("first defined here as {}", ast::withArticle(first.kind)), first.decl->name.range);
          duplicateKinds_[s.qualifiedName] |= kindBit(s.kind);
          continue;
        }
        names.emplace(decl.name.name, symbols_.size());
      }
      symbols_.push_back(std::move(s));
    }
  }
  if (auto p = byPackage_.find(kPreludePackage); p != byPackage_.end()) prelude_ = &p->second;
  if (options_.packages)
    for (const auto& [package, fileIndexes] : ws_.packages) {
      if (options_.packages->count(package)) continue;
      auto& names = outsideNames_[package];
      for (size_t fi : fileIndexes)
        for (const auto& decl : ws_.files[fi].decls)
          if (decl.kind() != ast::DeclKind::Waiver) names.emplace(decl.name.name, decl.kind());
    }
  // Model objects, now that the symbol vector no longer moves: the model's
  // list per declaration kind, in DeclKind's order (a waiver has none).
  auto lists = std::tie(build_->enums, build_->refinements, build_->records, build_->tags, build_->roles,
                        build_->domains, build_->products, build_->policies, build_->unions);
  static_assert(std::tuple_size_v<decltype(lists)> == static_cast<size_t>(ast::DeclKind::Waiver));
  for (auto& s : symbols_) {
    // A new model object of type T, at the end of `list`, for the symbol.
    auto add = [&](auto& list) {
      using T = typename std::decay_t<decltype(list)>::value_type::element_type;
      T* object = list.emplace_back(std::make_unique<T>()).get();
      model::DeclBase& d = *object;
      d.name = s.decl->name.name;
      d.qualifiedName = s.qualifiedName;
      d.package = s.package;
      d.doc = s.decl->doc.text;
      d.range = s.decl->range;
      d.nameRange = s.decl->name.range;
      s.model = object;
    };
    std::apply(
        [&](auto&... list) {
          size_t kind = 0;
          ((kind++ == static_cast<size_t>(s.kind) ? add(list) : void()), ...);
        },
        lists);
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
      auto d =
          diags_.report(DiagKind::E0102, name.range,
                        fmt::format("'{}' is ambiguous: it is defined in {} imported packages", parts[0], hits.size()));
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
    if (auto d = duplicateKinds_.find(other->qualifiedName); d != duplicateKinds_.end() && (d->second & want))
      return nullptr;  // a duplicate definition of that kind was dropped: E0103 said it
    diags_
        .report(DiagKind::E0105, name.range,
                fmt::format("'{}' is {}, not a {}", name.str(), ast::withArticle(other->kind), what))
        .note(fmt::format("'{}' is defined here", other->qualifiedName), other->decl->name.range);
    return nullptr;
  }
  // Suggestions among the names of the wanted kind visible from here.
  std::vector<std::string> candidates;
  auto addPackage = [&](const std::string& package, const std::string& prefix) {
    if (auto p = byPackage_.find(package); p != byPackage_.end()) {
      for (const auto& [n, idx] : p->second)
        if (kindBit(symbols_[idx].kind) & want) candidates.push_back(prefix + n);
    } else if (auto o = outsideNames_.find(package); o != outsideNames_.end()) {
      for (const auto& [n, kind] : o->second)
        if (kindBit(kind) & want) candidates.push_back(prefix + n);
    }
  };
  if (file && file->package) {
    if (parts.size() == 1) {
      addPackage(file->package->str(), "");
      for (const auto& imp : file->imports) addPackage(imp.package.str(), "");
      addPackage(kPreludePackage, "");
    } else {
      for (const auto& imp : file->imports) addPackage(imp.package.str(), imp.effectiveAlias().name + ".");
      for (const auto& [pkg, files] : ws_.packages) addPackage(pkg, pkg + ".");
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

bool Checker::declareOnce(std::map<std::string, SourceRange>& seen, const ast::Ident& name, const std::string& owner,
                          std::string_view member) {
  auto [it, fresh] = seen.emplace(name.name, name.range);
  if (fresh) return true;
  diags_.report(DiagKind::E0107, name.range, fmt::format("{} already has a {} '{}'", owner, member, name.name))
      .note("first declared here", it->second);
  return false;
}

// ---------------------------------------------------------------- enums, tags, roles, domains

void Checker::checkEnum(Symbol& s) {
  auto* e = as<model::EnumType>(&s);
  const auto& decl = std::get<ast::EnumDecl>(s.decl->body);
  forEachNamedOnce(decl.members, fmt::format("enum '{}'", e->name), "member", [&](const auto& m) {
    e->members.push_back(model::EnumMember{m.name.name, m.doc.text, std::nullopt, m.name.range});
  });
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
                    fmt::format("tag parameter '{}' has type '{}'; tag parameters are scalars or enums", p.name.name,
                                type->str()));
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
      auto diag =
          diags_.report(DiagKind::E0406, item.key.range, fmt::format("unknown domain setting '{}'", item.key.name));
      if (auto guess = closestMatch(item.key.name, known))
        diag.note(fmt::format("did you mean '{}'?", *guess));
      else
        diag.note("a domain takes owner, contact, description, slack and url");
      continue;
    }
    d->properties[item.key.name] = item.value;
  }
  if (d->properties.count("owner"))
    d->owner = d->properties["owner"];
  else
    diags_.report(DiagKind::E0401, s.decl->name.range, fmt::format("domain '{}' declares no owner", d->name))
        .note("add `owner \"team-name\";`: the catalog lists the owning team of every product");
  if (d->properties.count("contact")) d->contact = d->properties["contact"];
}

void Checker::reportUnusedImports() {
  // Importing a package brings its policies into the build (language.md
  // section 6), so an import of a package that declares one is used even
  // when no name of it is.
  std::set<std::string_view> policyPackages;
  for (const auto& s : symbols_)
    if (s.kind == ast::DeclKind::Policy) policyPackages.insert(s.package);
  for (const auto& file : ws_.files) {
    if (!file.package || !checks(file)) continue;  // E0009: the file was not checked
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
  std::sort(build_->unions.begin(), build_->unions.end(), byName);
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