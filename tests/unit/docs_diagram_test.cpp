// The docs target's lineage layout (codegen/docs/Diagram): layers follow the
// edges, boxes never overlap, the barycenter sweeps remove the crossings of
// a graph that has an ordering without any, long edges bend through the
// layers they cross, a cycle still ends, and the SVG escapes user text.
#include <doctest/doctest.h>

#include <string>

#include "codegen/docs/Diagram.h"

using mesh::codegen::docs::Diagram;
using mesh::codegen::docs::DiagramNode;
using mesh::codegen::docs::layoutDiagram;
using mesh::codegen::docs::renderSvg;

namespace {

Diagram graph(int nodes, std::vector<std::pair<size_t, size_t>> edges) {
  Diagram d;
  for (int i = 0; i < nodes; ++i) {
    DiagramNode n;
    n.id = "p" + std::to_string(i);
    n.title = n.id;
    d.nodes.push_back(n);
  }
  d.edges = std::move(edges);
  return d;
}

bool overlap(const mesh::codegen::docs::DiagramLayout::Box& a, const mesh::codegen::docs::DiagramLayout::Box& b) {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

}  // namespace

TEST_CASE("docs diagram: longest-path layers, left to right, no overlaps") {
  // 0 -> 1 -> 2 -> 3, and 0 -> 3 (a long edge), 4 alone.
  Diagram d = graph(5, {{0, 1}, {1, 2}, {2, 3}, {0, 3}});
  auto layout = layoutDiagram(d);
  CHECK(layout.boxes[0].layer == 0);
  CHECK(layout.boxes[1].layer == 1);
  CHECK(layout.boxes[2].layer == 2);
  CHECK(layout.boxes[3].layer == 3);
  CHECK(layout.boxes[4].layer == 0);
  for (const auto& [from, to] : d.edges) CHECK(layout.boxes[from].x + layout.boxes[from].width < layout.boxes[to].x);
  for (size_t i = 0; i < d.nodes.size(); ++i)
    for (size_t j = i + 1; j < d.nodes.size(); ++j) CHECK_FALSE(overlap(layout.boxes[i], layout.boxes[j]));
  // The long edge bends through layers 1 and 2: start, two points per
  // crossed layer, end; the short ones go straight from box to box.
  CHECK(layout.routes[3].size() == 6);
  CHECK(layout.routes[0].size() == 2);
  // Every route starts at its upstream's right side and ends at its
  // downstream's left side.
  for (size_t e = 0; e < d.edges.size(); ++e) {
    const auto& from = layout.boxes[d.edges[e].first];
    const auto& to = layout.boxes[d.edges[e].second];
    CHECK(layout.routes[e].front().x == from.x + from.width);
    CHECK(layout.routes[e].back().x == to.x);
  }
  CHECK(layout.width > layout.boxes[3].x);
}

TEST_CASE("docs diagram: barycenter ordering removes avoidable crossings") {
  // Sources a, b; a feeds y, b feeds x. In name order (x before y) the two
  // edges cross; the sweeps find the ordering without a crossing.
  Diagram d = graph(4, {{0, 3}, {1, 2}});
  auto layout = layoutDiagram(d);
  CHECK(layout.crossings == 0);
  bool aAbove = layout.boxes[0].y < layout.boxes[1].y;
  bool yAbove = layout.boxes[3].y < layout.boxes[2].y;
  CHECK(aAbove == yAbove);
  // K(2,2) cannot be drawn without one crossing.
  auto k22 = layoutDiagram(graph(4, {{0, 2}, {0, 3}, {1, 2}, {1, 3}}));
  CHECK(k22.crossings == 1);
}

TEST_CASE("docs diagram: deterministic, and a cycle still ends") {
  Diagram d = graph(6, {{0, 2}, {1, 2}, {2, 3}, {2, 4}, {1, 5}, {5, 4}});
  CHECK(renderSvg(d, layoutDiagram(d), "x") == renderSvg(d, layoutDiagram(d), "x"));
  Diagram cycle = graph(3, {{0, 1}, {1, 2}, {2, 1}});
  auto layout = layoutDiagram(cycle);
  CHECK(layout.boxes.size() == 3);
  CHECK(layout.routes.size() == 3);
  auto empty = layoutDiagram(Diagram{});
  CHECK(empty.boxes.empty());
}

TEST_CASE("docs diagram: SVG with escaped text, links and an edge per link") {
  Diagram d = graph(2, {{0, 1}});
  d.nodes[0].id = "a.<b>";
  d.nodes[0].title = "<script>alert(\"x\")</script>";
  d.nodes[0].href = "products/a.html";
  d.nodes[1].subtitle = "Q&A 'quoted'";
  d.nodes[1].current = true;
  std::string svg = renderSvg(d, layoutDiagram(d), "label \"<x>\"");
  CHECK(svg.find("<script>") == std::string::npos);
  CHECK(svg.find("&lt;script&gt;") != std::string::npos);
  CHECK(svg.find("data-product=\"a.&lt;b&gt;\"") != std::string::npos);
  CHECK(svg.find("Q&amp;A &#39;quoted&#39;") != std::string::npos);
  CHECK(svg.find("aria-label=\"label &quot;&lt;x&gt;&quot;\"") != std::string::npos);
  CHECK(svg.find("<a href=\"products/a.html\">") != std::string::npos);
  CHECK(svg.find("class=\"node current\"") != std::string::npos);
  CHECK(svg.find("class=\"edge\" data-from=\"a.&lt;b&gt;\" data-to=\"p1\"") != std::string::npos);
}

TEST_CASE("docs diagram: a label too long for the widest box is shortened, whole in the title") {
  Diagram d = graph(1, {});
  d.nodes[0].title = std::string(80, 'n') + "\u00e9";
  std::string svg = renderSvg(d, layoutDiagram(d), "x");
  CHECK(svg.find("\u2026</text>") != std::string::npos);
  CHECK(svg.find("<title>p0\n" + d.nodes[0].title + "</title>") != std::string::npos);
}
