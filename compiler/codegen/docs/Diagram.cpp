// Diagram: layered layout of a lineage DAG and its SVG. Coordinates are
// whole pixels (integers), so the output is the same bytes on every machine.
#include "codegen/docs/Diagram.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <map>
#include <numeric>
#include <set>

#include "codegen/docs/Html.h"

namespace mesh::codegen::docs {

namespace {

// Sizes in pixels. Text widths are estimated (no font metrics here) from the
// number of characters, generously, and labels longer than a box allows are
// shortened with an ellipsis (the full text is in the node's <title>).
constexpr int kTitleCharWidth = 8;     // 13px bold sans-serif, wide average
constexpr int kSubtitleCharWidth = 7;  // 11px sans-serif
constexpr int kPadding = 12;
constexpr int kMinWidth = 120;
constexpr int kMaxWidth = 300;
constexpr int kNodeHeight = 46;
constexpr int kDummyHeight = 10;  // the slot a long edge takes in a layer it crosses
constexpr int kRowGap = 18;
constexpr int kColumnGap = 72;
constexpr int kMargin = 12;
constexpr int kSweeps = 12;

size_t codePoints(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

// The first `limit` code points of s, with an ellipsis when it was longer.
std::string shorten(const std::string& s, size_t limit) {
  if (codePoints(s) <= limit) return s;
  size_t kept = 0, i = 0;
  for (; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      if (kept == limit - 1) break;
      ++kept;
    }
  }
  return s.substr(0, i) + "\u2026";
}

int nodeWidth(const DiagramNode& n) {
  int text = std::max(static_cast<int>(codePoints(n.title)) * kTitleCharWidth,
                      static_cast<int>(codePoints(n.subtitle)) * kSubtitleCharWidth);
  return std::clamp(text + 2 * kPadding, kMinWidth, kMaxWidth);
}

// The layout's working graph: the real nodes first, then one dummy vertex
// per layer a long edge crosses.
struct Vertex {
  int layer = 0;
  bool dummy = false;
  std::vector<size_t> up, down;  // neighbours in the previous and next layer
};

int countCrossings(const std::vector<std::vector<size_t>>& layers, const std::vector<Vertex>& vs,
                   const std::vector<size_t>& position) {
  int total = 0;
  for (size_t l = 0; l + 1 < layers.size(); ++l) {
    std::vector<std::pair<size_t, size_t>> between;
    for (size_t v : layers[l])
      for (size_t w : vs[v].down) between.emplace_back(position[v], position[w]);
    std::sort(between.begin(), between.end());
    for (size_t i = 0; i < between.size(); ++i)
      for (size_t j = i + 1; j < between.size(); ++j)
        if (between[i].first < between[j].first && between[i].second > between[j].second) ++total;
  }
  return total;
}

// Longest-path layers (Kahn's order): a node sits one layer right of its
// rightmost upstream, sources in layer 0; the nodes of a cycle go to a
// layer after all others.
std::vector<int> assignLayers(const Diagram& d) {
  const size_t n = d.nodes.size();
  std::vector<std::vector<size_t>> succ(n);
  std::vector<int> indegree(n, 0);
  std::set<std::pair<size_t, size_t>> seenEdges;
  for (const auto& [from, to] : d.edges) {
    if (from >= n || to >= n || from == to || !seenEdges.insert({from, to}).second) continue;
    succ[from].push_back(to);
    ++indegree[to];
  }
  std::vector<int> layer(n, 0);
  std::vector<bool> placed(n, false);
  std::vector<size_t> ready;
  for (size_t i = 0; i < n; ++i)
    if (indegree[i] == 0) ready.push_back(i);
  for (size_t k = 0; k < ready.size(); ++k) {
    size_t u = ready[k];
    placed[u] = true;
    for (size_t v : succ[u]) {
      layer[v] = std::max(layer[v], layer[u] + 1);
      if (--indegree[v] == 0) ready.push_back(v);
    }
  }
  int maxLayer = 0;
  for (size_t i = 0; i < n; ++i)
    if (placed[i]) maxLayer = std::max(maxLayer, layer[i]);
  for (size_t i = 0; i < n; ++i)
    if (!placed[i]) layer[i] = maxLayer + 1;
  return layer;
}

// The working graph: the real nodes, then a chain of dummies along every
// long edge; and the vertices each edge passes through.
struct WorkGraph {
  std::vector<Vertex> vs;
  std::vector<std::vector<size_t>> chains;  // one per edge of the diagram
};

WorkGraph withDummies(const Diagram& d, const std::vector<int>& layer) {
  const size_t n = d.nodes.size();
  WorkGraph g;
  g.vs.resize(n);
  for (size_t i = 0; i < n; ++i) g.vs[i].layer = layer[i];
  g.chains.resize(d.edges.size());
  for (size_t e = 0; e < d.edges.size(); ++e) {
    auto [from, to] = d.edges[e];
    if (from >= n || to >= n || from == to) continue;
    auto& chain = g.chains[e];
    chain.push_back(from);
    if (layer[to] > layer[from]) {
      size_t previous = from;
      for (int l = layer[from] + 1; l < layer[to]; ++l) {
        Vertex dummy;
        dummy.layer = l;
        dummy.dummy = true;
        g.vs.push_back(dummy);
        size_t id = g.vs.size() - 1;
        g.vs[previous].down.push_back(id);
        g.vs[id].up.push_back(previous);
        chain.push_back(id);
        previous = id;
      }
      g.vs[previous].down.push_back(to);
      g.vs[to].up.push_back(previous);
    }
    chain.push_back(to);
  }
  return g;
}

using Layers = std::vector<std::vector<size_t>>;

void renumber(const Layers& layers, std::vector<size_t>& position) {
  for (const auto& l : layers)
    for (size_t i = 0; i < l.size(); ++i) position[l[i]] = i;
}

// Orders one layer by the barycenters of its neighbours in the layer before
// (useUp) or after it; a vertex without neighbours keeps its position.
void sweepLayer(std::vector<size_t>& layer, const std::vector<Vertex>& vs, bool useUp, std::vector<size_t>& position) {
  std::vector<std::pair<double, size_t>> keyed;
  for (size_t v : layer) {
    const auto& neighbours = useUp ? vs[v].up : vs[v].down;
    double key = static_cast<double>(position[v]);
    if (!neighbours.empty()) {
      double sum = 0;
      for (size_t w : neighbours) sum += static_cast<double>(position[w]);
      key = sum / static_cast<double>(neighbours.size());
    }
    keyed.emplace_back(key, v);
  }
  std::stable_sort(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (size_t i = 0; i < keyed.size(); ++i) layer[i] = keyed[i].second;
  for (size_t i = 0; i < layer.size(); ++i) position[layer[i]] = i;
}

// Barycenter sweeps, down then up, keeping the ordering with the fewest
// crossings seen (the first one on a tie). Returns its crossings.
int orderLayers(Layers& layers, const std::vector<Vertex>& vs, std::vector<size_t>& position) {
  renumber(layers, position);
  Layers best = layers;
  int bestCrossings = countCrossings(layers, vs, position);
  for (int s = 0; s < kSweeps && bestCrossings > 0; ++s) {
    if (s % 2 == 0)
      for (size_t l = 1; l < layers.size(); ++l) sweepLayer(layers[l], vs, true, position);
    else
      for (size_t l = layers.size() - 1; l-- > 0;) sweepLayer(layers[l], vs, false, position);
    int crossings = countCrossings(layers, vs, position);
    if (crossings < bestCrossings) {
      bestCrossings = crossings;
      best = layers;
    }
  }
  layers = best;
  renumber(layers, position);
  return bestCrossings;
}

// Where every vertex sits: a column per layer as wide as its widest node;
// each column's stack centred on the tallest.
struct Placement {
  std::vector<int> width, height, x, y;   // per vertex
  std::vector<int> columnX, columnWidth;  // per layer
  int right = 0, tallest = 0;             // the right edge of the last column's gap, the tallest stack
};

Placement place(const Diagram& d, const std::vector<Vertex>& vs, const Layers& layers) {
  Placement at;
  at.width.assign(vs.size(), 0);
  at.height.assign(vs.size(), kDummyHeight);
  for (size_t i = 0; i < d.nodes.size(); ++i) {
    at.width[i] = nodeWidth(d.nodes[i]);
    at.height[i] = kNodeHeight;
  }
  at.columnX.resize(layers.size());
  at.columnWidth.assign(layers.size(), 0);
  std::vector<int> stackHeight(layers.size(), 0);
  int x = kMargin;
  for (size_t l = 0; l < layers.size(); ++l) {
    for (size_t v : layers[l]) {
      at.columnWidth[l] = std::max(at.columnWidth[l], at.width[v]);
      stackHeight[l] += at.height[v] + (stackHeight[l] ? kRowGap : 0);
    }
    if (at.columnWidth[l] == 0) at.columnWidth[l] = kMinWidth / 2;  // only dummies
    at.columnX[l] = x;
    x += at.columnWidth[l] + kColumnGap;
    at.tallest = std::max(at.tallest, stackHeight[l]);
  }
  at.right = x;
  at.x.resize(vs.size());
  at.y.resize(vs.size());
  for (size_t l = 0; l < layers.size(); ++l) {
    int y = kMargin + (at.tallest - stackHeight[l]) / 2;
    for (size_t v : layers[l]) {
      at.x[v] = at.columnX[l] + (at.columnWidth[l] - at.width[v]) / 2;
      at.y[v] = y;
      y += at.height[v] + kRowGap;
    }
  }
  return at;
}

// An edge's route: out of the right side of the upstream, straight across
// every column a dummy holds, into the left side of the downstream.
std::vector<Point> route(const std::vector<size_t>& chain, const std::vector<Vertex>& vs, const Placement& at) {
  std::vector<Point> out;
  size_t first = chain.front(), last = chain.back();
  out.push_back(
      {static_cast<double>(at.x[first] + at.width[first]), static_cast<double>(at.y[first] + at.height[first] / 2)});
  for (size_t k = 1; k + 1 < chain.size(); ++k) {
    size_t v = chain[k];
    size_t l = static_cast<size_t>(vs[v].layer);
    double cy = at.y[v] + at.height[v] / 2;
    out.push_back({static_cast<double>(at.columnX[l]), cy});
    out.push_back({static_cast<double>(at.columnX[l] + at.columnWidth[l]), cy});
  }
  out.push_back({static_cast<double>(at.x[last]), static_cast<double>(at.y[last] + at.height[last] / 2)});
  return out;
}

}  // namespace

DiagramLayout layoutDiagram(const Diagram& d) {
  const size_t n = d.nodes.size();
  DiagramLayout out;
  out.boxes.resize(n);
  out.routes.resize(d.edges.size());
  if (n == 0) return out;

  std::vector<int> layer = assignLayers(d);
  WorkGraph g = withDummies(d, layer);
  Layers layers(static_cast<size_t>(*std::max_element(layer.begin(), layer.end())) + 1);
  for (size_t v = 0; v < g.vs.size(); ++v) layers[static_cast<size_t>(g.vs[v].layer)].push_back(v);
  std::vector<size_t> position(g.vs.size());
  out.crossings = orderLayers(layers, g.vs, position);

  Placement at = place(d, g.vs, layers);
  for (size_t i = 0; i < n; ++i)
    out.boxes[i] = {layer[i], static_cast<double>(at.x[i]), static_cast<double>(at.y[i]),
                    static_cast<double>(at.width[i]), static_cast<double>(at.height[i])};
  out.width = at.right - kColumnGap + kMargin;
  out.height = at.tallest + 2 * kMargin;
  for (size_t e = 0; e < g.chains.size(); ++e)
    if (g.chains[e].size() >= 2) out.routes[e] = route(g.chains[e], g.vs, at);
  return out;
}

namespace {

std::string pathData(const std::vector<Point>& route) {
  auto num = [](double v) { return fmt::format("{}", static_cast<long long>(v)); };
  std::string d = "M" + num(route[0].x) + "," + num(route[0].y);
  for (size_t i = 1; i < route.size(); ++i) {
    const Point& p = route[i - 1];
    const Point& q = route[i];
    if (p.y == q.y || q.x <= p.x) {
      d += " L" + num(q.x) + "," + num(q.y);
    } else {
      // A horizontal S-curve between the two points.
      double mid = (p.x + q.x) / 2;
      d += fmt::format(" C{},{} {},{} {},{}", num(mid), num(p.y), num(mid), num(q.y), num(q.x), num(q.y));
    }
  }
  return d;
}

// A node: its box, its title and subtitle (shortened to fit, the whole text
// in the tooltip), a link when it has a page.
std::string nodeSvg(const DiagramNode& node, const DiagramLayout::Box& box) {
  int bw = static_cast<int>(box.width), bh = static_cast<int>(box.height);
  size_t titleRoom = static_cast<size_t>((bw - 2 * kPadding) / kTitleCharWidth);
  size_t subtitleRoom = static_cast<size_t>((bw - 2 * kPadding) / kSubtitleCharWidth);
  std::string tooltip = node.id;
  if (node.id.find(node.title) == std::string::npos) tooltip += "\n" + node.title;
  if (!node.subtitle.empty()) tooltip += "\n" + node.subtitle;
  Printer out;
  if (!node.href.empty()) out.print("<a href=\"$href$\">", {{"href", htmlEscape(node.href)}});
  out.print(
      "<g class=\"node$current$$external$\" data-product=\"$id$\" transform=\"translate($x$,$y$)\">"
      "<title>$tooltip$</title><rect width=\"$width$\" height=\"$height$\" rx=\"6\" ry=\"6\"/>"
      "<text class=\"node-title\" x=\"$padding$\" y=\"19\">$title$</text>"
      "<text class=\"node-subtitle\" x=\"$padding$\" y=\"36\">$subtitle$</text></g>",
      {{"current", node.current ? " current" : ""},
       {"external", node.external ? " external" : ""},
       {"id", htmlEscape(node.id)},
       {"x", std::to_string(static_cast<int>(box.x))},
       {"y", std::to_string(static_cast<int>(box.y))},
       {"tooltip", htmlEscape(tooltip)},
       {"width", std::to_string(bw)},
       {"height", std::to_string(bh)},
       {"padding", std::to_string(kPadding)},
       {"title", htmlEscape(shorten(node.title, titleRoom))},
       {"subtitle", htmlEscape(shorten(node.subtitle, subtitleRoom))}});
  if (!node.href.empty()) out.print("</a>");
  out.print("\n");
  return out.take();
}

}  // namespace

std::string renderSvg(const Diagram& d, const DiagramLayout& layout, const std::string& label) {
  Printer out;
  out.print(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"lineage\" width=\"$width$\" height=\"$height$\" "
      "viewBox=\"0 0 $width$ $height$\" role=\"img\" aria-label=\"$label$\">\n"
      "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" "
      "markerHeight=\"8\" markerUnits=\"userSpaceOnUse\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" "
      "class=\"arrowhead\"/></marker></defs>\n"
      "<g class=\"edges\">\n",
      {{"width", std::to_string(static_cast<int>(layout.width))},
       {"height", std::to_string(static_cast<int>(layout.height))},
       {"label", htmlEscape(label)}});
  for (size_t e = 0; e < d.edges.size(); ++e) {
    const auto& route = layout.routes[e];
    if (route.size() < 2) continue;
    out.print(
        "<path class=\"edge\" data-from=\"$from$\" data-to=\"$to$\" d=\"$path$\" marker-end=\"url(#arrow)\">"
        "<title>$from$ \u2192 $to$</title></path>\n",
        {{"from", htmlEscape(d.nodes[d.edges[e].first].id)},
         {"to", htmlEscape(d.nodes[d.edges[e].second].id)},
         {"path", pathData(route)}});
  }
  out.print("</g>\n<g class=\"nodes\">\n");
  for (size_t i = 0; i < d.nodes.size(); ++i) out.printBlock(nodeSvg(d.nodes[i], layout.boxes[i]));
  out.print("</g>\n</svg>");
  return out.take();
}

}  // namespace mesh::codegen::docs
