// Diagram: the lineage drawings of the docs target, laid out by meshc itself
// (no graphviz, no script in the page) and written as inline SVG. A layered
// DAG layout: longest-path layers from the sources, a dummy point per layer a
// long edge crosses, barycenter ordering sweeps that keep the ordering with
// the fewest crossings, layers as columns left to right. Decisions:
// docs/catalog.md.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace mesh::codegen::docs {

struct DiagramNode {
  std::string id;         // a product's qualified name: data-product in the SVG
  std::string title;      // first line (bold)
  std::string subtitle;   // second line
  std::string href;       // relative link; empty: not a link
  bool current = false;   // the page's own product, highlighted
  bool external = false;  // from an include root: dashed, no page
};

struct Diagram {
  std::vector<DiagramNode> nodes;
  /// upstream -> downstream, by index into nodes.
  std::vector<std::pair<size_t, size_t>> edges;
};

struct Point {
  double x = 0, y = 0;
};

struct DiagramLayout {
  struct Box {
    int layer = 0;
    double x = 0, y = 0, width = 0, height = 0;  // top-left corner
  };
  std::vector<Box> boxes;                  // one per node
  std::vector<std::vector<Point>> routes;  // one per edge: start, bends through the layers, end
  double width = 0, height = 0;
  int crossings = 0;  // edge crossings of the ordering kept
};

/// Lays the diagram out. Deterministic: ties are broken by node order (the
/// caller sorts by qualified name). A cycle, which the checker rules out,
/// still ends: its nodes go to the last layer.
DiagramLayout layoutDiagram(const Diagram& diagram);

/// The diagram as an inline <svg> element (HTML-escaped text, a <title> per
/// node, nodes with an href as <a> links, an arrow per edge).
std::string renderSvg(const Diagram& diagram, const DiagramLayout& layout, const std::string& label);

}  // namespace mesh::codegen::docs
