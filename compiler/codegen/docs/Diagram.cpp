// Diagram: layered layout of a lineage DAG and its SVG. Coordinates are
// whole pixels (integers), so the output is the same bytes on every machine.
#include "codegen/docs/Diagram.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <map>
#include <numeric>
#include <set>

namespace mesh::codegen::docs {

std::string htmlEscape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

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

}  // namespace

DiagramLayout layoutDiagram(const Diagram& d) {
  const size_t n = d.nodes.size();
  DiagramLayout out;
  out.boxes.resize(n);
  out.routes.resize(d.edges.size());
  if (n == 0) return out;

  // Longest-path layers (Kahn's order): a node sits one layer right of its
  // rightmost upstream, sources in layer 0.
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
  bool cyclic = false;
  for (size_t i = 0; i < n; ++i)
    if (!placed[i]) {
      layer[i] = maxLayer + 1;
      cyclic = true;
    }
  if (cyclic) ++maxLayer;

  // The working graph, with a chain of dummies along every long edge.
  std::vector<Vertex> vs(n);
  for (size_t i = 0; i < n; ++i) vs[i].layer = layer[i];
  std::vector<std::vector<size_t>> chains(d.edges.size());  // the vertices each edge passes through
  for (size_t e = 0; e < d.edges.size(); ++e) {
    auto [from, to] = d.edges[e];
    if (from >= n || to >= n || from == to) continue;
    chains[e].push_back(from);
    if (layer[to] > layer[from]) {
      size_t previous = from;
      for (int l = layer[from] + 1; l < layer[to]; ++l) {
        Vertex dummy;
        dummy.layer = l;
        dummy.dummy = true;
        vs.push_back(dummy);
        size_t id = vs.size() - 1;
        vs[previous].down.push_back(id);
        vs[id].up.push_back(previous);
        chains[e].push_back(id);
        previous = id;
      }
      vs[previous].down.push_back(to);
      vs[to].up.push_back(previous);
    }
    chains[e].push_back(to);
  }

  std::vector<std::vector<size_t>> layers(static_cast<size_t>(maxLayer) + 1);
  for (size_t v = 0; v < vs.size(); ++v) layers[static_cast<size_t>(vs[v].layer)].push_back(v);
  std::vector<size_t> position(vs.size());
  auto renumber = [&] {
    for (auto& l : layers)
      for (size_t i = 0; i < l.size(); ++i) position[l[i]] = i;
  };
  renumber();

  // Barycenter sweeps, down then up, keeping the ordering with the fewest
  // crossings seen (the first one on a tie).
  auto sweep = [&](size_t l, bool useUp) {
    std::vector<std::pair<double, size_t>> keyed;
    for (size_t v : layers[l]) {
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
    for (size_t i = 0; i < keyed.size(); ++i) layers[l][i] = keyed[i].second;
    for (size_t i = 0; i < layers[l].size(); ++i) position[layers[l][i]] = i;
  };
  auto best = layers;
  int bestCrossings = countCrossings(layers, vs, position);
  for (int s = 0; s < kSweeps && bestCrossings > 0; ++s) {
    if (s % 2 == 0)
      for (size_t l = 1; l < layers.size(); ++l) sweep(l, true);
    else
      for (size_t l = layers.size() - 1; l-- > 0;) sweep(l, false);
    int crossings = countCrossings(layers, vs, position);
    if (crossings < bestCrossings) {
      bestCrossings = crossings;
      best = layers;
    }
  }
  layers = best;
  renumber();
  out.crossings = bestCrossings;

  // Coordinates: a column per layer as wide as its widest node; each
  // column's stack centred on the tallest.
  std::vector<int> width(vs.size(), 0), height(vs.size(), kDummyHeight);
  for (size_t i = 0; i < n; ++i) {
    width[i] = nodeWidth(d.nodes[i]);
    height[i] = kNodeHeight;
  }
  std::vector<int> columnX(layers.size()), columnWidth(layers.size(), 0), stackHeight(layers.size(), 0);
  int x = kMargin, tallest = 0;
  for (size_t l = 0; l < layers.size(); ++l) {
    for (size_t v : layers[l]) {
      columnWidth[l] = std::max(columnWidth[l], width[v]);
      stackHeight[l] += height[v] + (stackHeight[l] ? kRowGap : 0);
    }
    if (columnWidth[l] == 0) columnWidth[l] = kMinWidth / 2;  // only dummies
    columnX[l] = x;
    x += columnWidth[l] + kColumnGap;
    tallest = std::max(tallest, stackHeight[l]);
  }
  std::vector<int> vx(vs.size()), vy(vs.size());
  for (size_t l = 0; l < layers.size(); ++l) {
    int y = kMargin + (tallest - stackHeight[l]) / 2;
    for (size_t v : layers[l]) {
      vx[v] = columnX[l] + (columnWidth[l] - width[v]) / 2;
      vy[v] = y;
      y += height[v] + kRowGap;
    }
  }
  for (size_t i = 0; i < n; ++i)
    out.boxes[i] = {layer[i], static_cast<double>(vx[i]), static_cast<double>(vy[i]), static_cast<double>(width[i]),
                    static_cast<double>(height[i])};
  out.width = x - kColumnGap + kMargin;
  out.height = tallest + 2 * kMargin;

  // Routes: out of the right side of the upstream, straight across every
  // column a dummy holds, into the left side of the downstream.
  for (size_t e = 0; e < chains.size(); ++e) {
    const auto& chain = chains[e];
    if (chain.size() < 2) continue;
    auto& route = out.routes[e];
    size_t first = chain.front(), last = chain.back();
    route.push_back(
        {static_cast<double>(vx[first] + width[first]), static_cast<double>(vy[first] + height[first] / 2)});
    for (size_t k = 1; k + 1 < chain.size(); ++k) {
      size_t v = chain[k];
      size_t l = static_cast<size_t>(vs[v].layer);
      double cy = vy[v] + height[v] / 2;
      route.push_back({static_cast<double>(columnX[l]), cy});
      route.push_back({static_cast<double>(columnX[l] + columnWidth[l]), cy});
    }
    route.push_back({static_cast<double>(vx[last]), static_cast<double>(vy[last] + height[last] / 2)});
  }
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

}  // namespace

std::string renderSvg(const Diagram& d, const DiagramLayout& layout, const std::string& label) {
  int w = static_cast<int>(layout.width), h = static_cast<int>(layout.height);
  std::string out = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"lineage\" width=\"{0}\" height=\"{1}\" "
      "viewBox=\"0 0 {0} {1}\" role=\"img\" aria-label=\"{2}\">\n",
      w, h, htmlEscape(label));
  out +=
      "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" "
      "markerHeight=\"8\" markerUnits=\"userSpaceOnUse\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" "
      "class=\"arrowhead\"/></marker></defs>\n";
  out += "<g class=\"edges\">\n";
  for (size_t e = 0; e < d.edges.size(); ++e) {
    const auto& route = layout.routes[e];
    if (route.size() < 2) continue;
    const DiagramNode& from = d.nodes[d.edges[e].first];
    const DiagramNode& to = d.nodes[d.edges[e].second];
    out += fmt::format(
        "<path class=\"edge\" data-from=\"{}\" data-to=\"{}\" d=\"{}\" marker-end=\"url(#arrow)\">"
        "<title>{} \u2192 {}</title></path>\n",
        htmlEscape(from.id), htmlEscape(to.id), pathData(route), htmlEscape(from.id), htmlEscape(to.id));
  }
  out += "</g>\n<g class=\"nodes\">\n";
  for (size_t i = 0; i < d.nodes.size(); ++i) {
    const DiagramNode& node = d.nodes[i];
    const auto& box = layout.boxes[i];
    int bw = static_cast<int>(box.width), bh = static_cast<int>(box.height);
    size_t titleRoom = static_cast<size_t>((bw - 2 * kPadding) / kTitleCharWidth);
    size_t subtitleRoom = static_cast<size_t>((bw - 2 * kPadding) / kSubtitleCharWidth);
    // The tooltip holds the whole text of a shortened label.
    std::string tooltip = node.id;
    if (node.id.find(node.title) == std::string::npos) tooltip += "\n" + node.title;
    if (!node.subtitle.empty()) tooltip += "\n" + node.subtitle;
    std::string classes = "node";
    if (node.current) classes += " current";
    if (node.external) classes += " external";
    std::string body = fmt::format(
        "<g class=\"{}\" data-product=\"{}\" transform=\"translate({},{})\"><title>{}</title>"
        "<rect width=\"{}\" height=\"{}\" rx=\"6\" ry=\"6\"/>"
        "<text class=\"node-title\" x=\"{}\" y=\"19\">{}</text>"
        "<text class=\"node-subtitle\" x=\"{}\" y=\"36\">{}</text></g>",
        classes, htmlEscape(node.id), static_cast<int>(box.x), static_cast<int>(box.y), htmlEscape(tooltip), bw, bh,
        kPadding, htmlEscape(shorten(node.title, titleRoom)), kPadding,
        htmlEscape(shorten(node.subtitle, subtitleRoom)));
    if (!node.href.empty())
      out += fmt::format("<a href=\"{}\">{}</a>\n", htmlEscape(node.href), body);
    else
      out += body + "\n";
  }
  out += "</g>\n</svg>";
  return out;
}

}  // namespace mesh::codegen::docs
