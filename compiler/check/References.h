// References: what each package of a build may refer to, for a check that
// rechecks only what an edit can change (compilation/Incremental). A
// superset, read from the syntax trees. The nodes are the packages, and for
// a package that declares waivers, its waivers apart ("P#waivers"): a
// platform team's package holds both the policies every product sees and
// the waivers only the products they name see.
// - A package refers to every package whose name is a prefix of a name its
//   files spell outside waivers and doc comments (an import, a qualified
//   name, an expression's `a.b.c`, any other text such as a policy's
//   message: a reference through an alias goes through the import that
//   spells the package), to the prelude, and to every package that
//   declares a policy (policies apply to every product).
// - A package's waivers refer to the packages their text spells and their
//   files import, and the packages of the products a waiver may name refer
//   to them (a waiver exempts those products).
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "check/Loader.h"

namespace mesh::check {

class References {
 public:
  explicit References(const Workspace& ws);
  /// The node of a package's waivers.
  static std::string waiversOf(const std::string& package) { return package + "#waivers"; }
  /// The node a place of `file` belongs to: the package's waivers inside a
  /// waiver, else the package ("" for a file without one).
  static std::string nodeAt(const ast::File& file, SourceRange at);
  size_t nodeCount() const { return refersTo_.size(); }
  /// The nodes of `package`: itself, and its waivers when it has any.
  std::vector<std::string> nodesOf(const std::string& package) const;
  /// `nodes` and every node that refers to one of them, transitively.
  std::set<std::string> dependents(std::set<std::string> nodes) const;
  /// The packages of `nodes` and of every node they refer to, transitively.
  std::set<std::string> closure(std::set<std::string> nodes) const;
  /// The package of a node.
  static std::string packageOf(const std::string& node) { return node.substr(0, node.find('#')); }

 private:
  using Graph = std::map<std::string, std::set<std::string>>;
  static std::set<std::string> reach(const Graph& edges, std::set<std::string> from);
  void addWaivers(const Workspace& ws, const std::string& package, const std::vector<size_t>& files,
                  const std::unordered_set<std::string_view>& names);
  Graph refersTo_, referredBy_;
};

}  // namespace mesh::check
