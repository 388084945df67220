// References: the packages each package may refer to (see References.h).
#include "check/References.h"

#include <optional>
#include <unordered_set>
#include <vector>

#include "ast/Members.h"

namespace mesh::check {

namespace {

// The packages a file names: each whose name is a dotted prefix of a
// qualified name a.b.C, an expression a.b.C or a run of name characters
// and dots in any text.
class Names : public ast::Walker<Names> {
 public:
  using Walker::operator();
  Names(const std::unordered_set<std::string_view>& packages, std::set<std::string>& out)
      : packages_(packages), out_(out) {}

  void operator()(const ast::QualifiedName& q) {
    buffer_.clear();
    for (const auto& part : q.parts) {
      if (!buffer_.empty()) buffer_ += '.';
      buffer_ += part.name;
      found(buffer_);
    }
  }
  void operator()(const ast::Expr& e) {
    buffer_.clear();
    if (dotted(e)) addPrefixes(buffer_);
    walkMembers(e);
  }

  // Any text may name something: a policy message's `{holes}` are parsed
  // when checked, not here.
  void operator()(const std::string& text) {
    auto nameChar = [](char c) {
      return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
    };
    for (size_t i = 0; i < text.size();) {
      size_t end = i;
      while (end < text.size() && nameChar(text[end])) ++end;
      if (end > i) addPrefixes(std::string_view(text).substr(i, end - i));
      i = end + 1;
    }
  }
  // A doc comment is text for readers and the catalog, never resolved.
  void operator()(const ast::Doc&) {}

 private:
  // Appends `a.b.c` for a name or a chain of members on one (a call's name
  // too) to buffer_; false for anything else.
  bool dotted(const ast::Expr& e) {
    if (e.kind == ast::ExprKind::Name || e.kind == ast::ExprKind::Call) {
      buffer_ += e.name;
      return true;
    }
    if (e.kind != ast::ExprKind::Member || e.args.empty() || !dotted(*e.args[0])) return false;
    buffer_ += '.';
    buffer_ += e.name;
    return true;
  }
  void addPrefixes(std::string_view name) {
    for (size_t dot = name.find('.'); dot != std::string_view::npos; dot = name.find('.', dot + 1))
      found(name.substr(0, dot));
    found(name);
  }
  void found(std::string_view name) {
    if (auto it = packages_.find(name); it != packages_.end()) out_.emplace(*it);
  }

  const std::unordered_set<std::string_view>& packages_;
  std::set<std::string>& out_;
  std::string buffer_;
};

}  // namespace

References::References(const Workspace& ws) {
  std::set<std::string> policies;  // packages that declare a policy
  std::unordered_set<std::string_view> names;
  for (const auto& [package, files] : ws.packages) {
    names.insert(package);
    for (size_t fi : files)
      for (const auto& decl : ws.files[fi].decls)
        if (decl.kind() == ast::DeclKind::Policy) policies.insert(package);
  }
  for (const auto& [package, files] : ws.packages) {
    std::set<std::string>& refers = refersTo_[package];
    Names spelled(names, refers);
    for (size_t fi : files) {
      spelled(ws.files[fi].imports);
      for (const auto& decl : ws.files[fi].decls)
        if (decl.kind() != ast::DeclKind::Waiver) spelled(decl);
    }
    if (ws.packages.count(kPreludePackage)) refers.insert(kPreludePackage);
    refers.insert(policies.begin(), policies.end());
    addWaivers(ws, package, files, names);
  }
  for (auto& [node, refers] : refersTo_) refers.erase(node);
  for (const auto& [node, refers] : refersTo_)
    for (const auto& to : refers) referredBy_[to].insert(node);
}

// The waivers of `package`, when it has any: what they refer to, and the
// packages of the products each may name (by its own package, an import's
// alias, or a qualified name), which refer to them.
void References::addWaivers(const Workspace& ws, const std::string& package, const std::vector<size_t>& files,
                            const std::unordered_set<std::string_view>& names) {
  std::set<std::string> refers, named;
  Names spelled(names, refers), products(names, named);
  bool any = false;
  for (size_t fi : files) {
    const ast::File& file = ws.files[fi];
    for (const auto& decl : file.decls) {
      if (decl.kind() != ast::DeclKind::Waiver) continue;
      any = true;
      spelled(file.imports);
      spelled(decl);
      const ast::QualifiedName& product = std::get<ast::WaiverDecl>(decl.body).product;
      if (product.parts.size() <= 1) {
        named.insert(package);
        continue;
      }
      products(product);
      for (const auto& imp : file.imports)
        if (imp.effectiveAlias().name == product.parts.front().name) named.insert(imp.package.str());
    }
  }
  if (!any) return;
  std::string node = waiversOf(package);
  refers.insert(package);
  refersTo_[node] = std::move(refers);
  for (const std::string& p : named)
    if (ws.packages.count(p)) refersTo_[p].insert(node);
}

std::string References::nodeAt(const ast::File& file, SourceRange at) {
  if (!file.package) return "";
  for (const auto& decl : file.decls) {
    const SourceRange& r = decl.range;
    if (decl.kind() == ast::DeclKind::Waiver && at.file == r.file && at.begin >= r.begin && at.begin < r.end)
      return waiversOf(file.package->str());
  }
  return file.package->str();
}

std::vector<std::string> References::nodesOf(const std::string& package) const {
  std::vector<std::string> out{package};
  if (refersTo_.count(waiversOf(package))) out.push_back(waiversOf(package));
  return out;
}

std::set<std::string> References::reach(const Graph& edges, std::set<std::string> from) {
  std::vector<std::string> work(from.begin(), from.end());
  while (!work.empty()) {
    std::string next = std::move(work.back());
    work.pop_back();
    auto it = edges.find(next);
    if (it == edges.end()) continue;
    for (const auto& to : it->second)
      if (from.insert(to).second) work.push_back(to);
  }
  return from;
}

std::set<std::string> References::dependents(std::set<std::string> packages) const {
  return reach(referredBy_, std::move(packages));
}

std::set<std::string> References::closure(std::set<std::string> nodes) const {
  std::set<std::string> packages;
  for (const std::string& node : reach(refersTo_, std::move(nodes))) packages.insert(packageOf(node));
  return packages;
}

}  // namespace mesh::check
