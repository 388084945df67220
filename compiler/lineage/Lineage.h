// Lineage: the graph of data products and their `upstream` declarations,
// built from the checked model; read by the manifest target's catalog.json,
// the docs target's diagrams and `meshc graph` (DOT or Mermaid). Decisions: docs/manifest.md.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "model/Model.h"

namespace mesh::lineage {

struct LineageGraph {
  struct Node {
    const model::Product* product = nullptr;
    /// From a package no command-line path reached (an `--include` root):
    /// drawn because an input product names it upstream, but not generated.
    bool external = false;
  };
  /// The products of the input packages and every product they name
  /// upstream, sorted by qualified name.
  std::vector<Node> nodes;
  /// upstream -> downstream, one per `upstream` entry of an input product,
  /// sorted by (upstream, downstream) qualified names.
  std::vector<std::pair<const model::Product*, const model::Product*>> edges;
};

LineageGraph lineageGraph(const model::Build& build);

/// Graphviz DOT: a cluster per domain, a box per product labelled with its
/// name and topic, an edge per upstream declaration. `dot -Tsvg` reads it.
std::string renderDot(const LineageGraph& graph);

/// Mermaid `flowchart LR` with a subgraph per domain.
std::string renderMermaid(const LineageGraph& graph);

}  // namespace mesh::lineage
