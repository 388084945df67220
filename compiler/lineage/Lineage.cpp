// Lineage: the product graph and its DOT and Mermaid renderings. User text
// (domain owners) only enters labels through dotString() and mermaidString(),
// which make it inert.
#include "lineage/Lineage.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "support/Text.h"

namespace mesh::lineage {
namespace {

bool byName(const model::Product* a, const model::Product* b) { return a->qualifiedName < b->qualifiedName; }

// Text inside a DOT quoted string: only `"` and `\` are special (graphviz
// reads `\n`, `\l`, `\N`... in labels, so a backslash of user text is doubled).
// Control characters are escaped first (the graph is often read on a terminal).
std::string dotEscape(const std::string& text) {
  std::string out;
  for (char c : escapeControlCharacters(text)) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

std::string dotString(const std::string& text) { return "\"" + dotEscape(text) + "\""; }

// Text inside a Mermaid quoted label: quotes, `#`, angle brackets and
// backquotes (which would end the label or start an entity code, HTML or a
// markdown string) become entity codes.
std::string mermaidEscape(const std::string& text) {
  std::string out;
  for (char c : escapeControlCharacters(text)) {
    switch (c) {
      case '"':
        out += "#quot;";
        break;
      case '#':
        out += "#35;";
        break;
      case '<':
        out += "#lt;";
        break;
      case '>':
        out += "#gt;";
        break;
      case '`':
        out += "#96;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string mermaidString(const std::string& text) { return "\"" + mermaidEscape(text) + "\""; }

std::string domainLabel(const model::Domain* d) {
  if (!d) return "(no domain)";
  return d->owner.empty() ? d->name : fmt::format("{} ({})", d->name, d->owner);
}

// Products grouped by domain, domains in qualified-name order (products
// without a domain, possible only in a build with errors, come first).
std::vector<std::pair<const model::Domain*, std::vector<const LineageGraph::Node*>>> byDomain(const LineageGraph& g) {
  std::map<std::string, std::pair<const model::Domain*, std::vector<const LineageGraph::Node*>>> groups;
  for (const auto& n : g.nodes) {
    const model::Domain* d = n.product->domain;
    auto& group = groups[d ? d->qualifiedName : std::string()];
    group.first = d;
    group.second.push_back(&n);
  }
  std::vector<std::pair<const model::Domain*, std::vector<const LineageGraph::Node*>>> out;
  for (auto& [name, group] : groups) out.push_back(std::move(group));
  return out;
}

std::string summary(const LineageGraph& g) {
  return fmt::format("Lineage of {} data product{}, {} upstream edge{}; edges point downstream.", g.nodes.size(),
                     g.nodes.size() == 1 ? "" : "s", g.edges.size(), g.edges.size() == 1 ? "" : "s");
}

}  // namespace

LineageGraph lineageGraph(const model::Build& build) {
  std::set<std::string> inputs;
  for (const auto& p : build.packages)
    if (p.input) inputs.insert(p.name);
  LineageGraph g;
  std::set<const model::Product*> internal, all;
  for (const auto& p : build.products) {
    if (!inputs.count(p->package)) continue;
    internal.insert(p.get());
    all.insert(p.get());
    for (const model::Product* u : p->upstream) {
      if (!u) continue;
      all.insert(u);
      g.edges.emplace_back(u, p.get());
    }
  }
  std::vector<const model::Product*> sorted(all.begin(), all.end());
  std::sort(sorted.begin(), sorted.end(), byName);
  for (const model::Product* p : sorted) g.nodes.push_back({p, !internal.count(p)});
  std::sort(g.edges.begin(), g.edges.end(), [](const auto& a, const auto& b) {
    if (a.first->qualifiedName != b.first->qualifiedName) return a.first->qualifiedName < b.first->qualifiedName;
    return a.second->qualifiedName < b.second->qualifiedName;
  });
  g.edges.erase(std::unique(g.edges.begin(), g.edges.end()), g.edges.end());
  return g;
}

std::string renderDot(const LineageGraph& g) {
  std::string out = "// " + summary(g) + "\n";
  out += "digraph lineage {\n";
  out += "  rankdir=LR;\n";
  out += "  node [shape=box, style=rounded];\n";
  for (const auto& [domain, nodes] : byDomain(g)) {
    std::string id = "cluster_" + (domain ? domain->qualifiedName : std::string("none"));
    out += fmt::format("  subgraph {} {{\n", dotString(id));
    out += fmt::format("    label={};\n", dotString(domainLabel(domain)));
    for (const LineageGraph::Node* n : nodes) {
      // `\n` is graphviz's line break inside a label.
      std::string label = "\"" + dotEscape(n->product->name) + "\\n" + dotEscape(n->product->topic.name) + "\"";
      out += fmt::format("    {} [label={}{}];\n", dotString(n->product->qualifiedName), label,
                         n->external ? ", style=\"rounded,dashed\"" : "");
    }
    out += "  }\n";
  }
  for (const auto& [from, to] : g.edges)
    out += fmt::format("  {} -> {};\n", dotString(from->qualifiedName), dotString(to->qualifiedName));
  out += "}\n";
  return out;
}

std::string renderMermaid(const LineageGraph& g) {
  std::map<const model::Product*, std::string> ids;
  for (size_t i = 0; i < g.nodes.size(); ++i) ids[g.nodes[i].product] = fmt::format("p{}", i);
  std::string out = "flowchart LR\n";
  out += "  %% " + summary(g) + "\n";
  size_t domainIndex = 0;
  std::vector<std::string> external;
  for (const auto& [domain, nodes] : byDomain(g)) {
    out += fmt::format("  subgraph d{}[{}]\n", domainIndex++, mermaidString(domainLabel(domain)));
    for (const LineageGraph::Node* n : nodes) {
      out += fmt::format("    {}[\"{}<br/>{}\"]\n", ids[n->product], mermaidEscape(n->product->name),
                         mermaidEscape(n->product->topic.name));
      if (n->external) external.push_back(ids[n->product]);
    }
    out += "  end\n";
  }
  for (const auto& [from, to] : g.edges) out += fmt::format("  {} --> {}\n", ids[from], ids[to]);
  if (!external.empty()) {
    out += "  classDef external stroke-dasharray: 5 5\n";
    for (const auto& id : external) out += fmt::format("  class {} external\n", id);
  }
  return out;
}

}  // namespace mesh::lineage
