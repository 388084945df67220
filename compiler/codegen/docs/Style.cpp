// Style: the one style sheet of the docs target, docs/style.css, a local
// file: no web font, no outside URL.
#include "codegen/docs/Catalog.h"
#include "codegen/docs/Html.h"

namespace mesh::codegen::docs {
namespace {

constexpr char kStyle[] = R"css(
:root {
  --ink: #1f2933; --muted: #616e7c; --line: #d9e2ec; --paper: #ffffff; --wash: #f5f7fa;
  --accent: #2f5fa7; --accent-wash: #e8effa; --ok: #1e7b4f; --ok-wash: #e3f4ea;
  --warn: #9a5b00; --warn-wash: #fdf1dc; --bad: #b42318; --bad-wash: #fde8e6;
}
* { box-sizing: border-box; }
html { background: var(--wash); }
body {
  margin: 0; color: var(--ink); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif;
}
code { font: 0.92em/1.3 ui-monospace, "DejaVu Sans Mono", monospace; background: var(--wash);
  border: 1px solid var(--line); border-radius: 4px; padding: 0 4px; overflow-wrap: break-word; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
a code { color: var(--accent); }
header.top { display: flex; gap: 16px; align-items: baseline; padding: 12px 32px; background: #17324d; color: #fff; }
header.top a { color: #fff; }
header.top .brand { font-weight: 700; letter-spacing: 0.02em; }
header.top .crumbs { color: #bcccdc; }
header.top .crumbs a { color: #dbe7f5; }
main { max-width: 1240px; margin: 24px auto; padding: 0 24px; }
article { background: var(--paper); border: 1px solid var(--line); border-radius: 8px; padding: 24px 32px 32px; }
h1 { margin: 0 0 4px; font-size: 28px; }
h1 .version, h1 .kind { font-size: 15px; font-weight: 600; color: var(--accent); background: var(--accent-wash);
  border-radius: 12px; padding: 2px 10px; vertical-align: middle; }
h2 { margin: 32px 0 12px; font-size: 20px; border-bottom: 2px solid var(--line); padding-bottom: 4px; }
h3 { margin: 20px 0 8px; font-size: 16px; }
p.qualified { margin: 0 0 12px; color: var(--muted); }
p.doc { margin: 8px 0; max-width: 80ch; }
p.summary { margin: 0; }
p.deprecated { background: var(--warn-wash); color: var(--warn); border-radius: 6px; padding: 8px 12px; }
nav.toc { margin: 16px 0; color: var(--muted); font-size: 14px; }
nav.toc a { margin-right: 12px; }
dl.facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: 8px 24px;
  margin: 16px 0; padding: 16px; background: var(--wash); border-radius: 8px; }
dl.facts div { min-width: 0; }
dl.facts dt { font-size: 12px; text-transform: uppercase; letter-spacing: 0.05em; color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
table { width: 100%; border-collapse: collapse; margin: 8px 0 16px; font-size: 14px; }
th { text-align: left; font-size: 12px; text-transform: uppercase; letter-spacing: 0.05em; color: var(--muted);
  border-bottom: 2px solid var(--line); padding: 6px 8px; }
td { border-bottom: 1px solid var(--line); padding: 6px 8px; vertical-align: top; }
td p { margin: 0 0 4px; }
tr.sensitive td:first-child { box-shadow: inset 3px 0 0 var(--bad); }
.field { display: flex; flex-wrap: wrap; gap: 4px; align-items: center; }
.depth-1 { padding-left: 16px; } .depth-2 { padding-left: 32px; } .depth-3 { padding-left: 48px; }
.depth-4 { padding-left: 64px; } .depth-5, .depth-6 { padding-left: 80px; }
.badge { display: inline-block; font-size: 11px; font-weight: 600; line-height: 1.6; border-radius: 10px;
  padding: 0 8px; background: var(--wash); color: var(--muted); border: 1px solid var(--line); white-space: nowrap; }
.badge.required { color: var(--ink); }
.badge.pii, .badge.level-restricted { background: var(--bad-wash); color: var(--bad); border-color: #f5c2bd; }
.badge.level-confidential { background: var(--warn-wash); color: var(--warn); border-color: #f3d9a8; }
.badge.level-internal, .badge.tag, .badge.closed { background: var(--accent-wash); color: var(--accent);
  border-color: #c5d6ef; }
.badge.mask { background: #efe7fb; color: #5b3a9a; border-color: #d9c9f3; }
.badge.deprecated { background: var(--warn-wash); color: var(--warn); }
.values, .default, .detail, .from { font-size: 12px; color: var(--muted); }
.message { font-size: 13px; color: var(--bad); }
.none { color: var(--muted); font-style: italic; }
.status { display: inline-block; font-size: 12px; font-weight: 600; border-radius: 10px; padding: 0 8px;
  white-space: nowrap; margin: 1px 0; }
.status.passed { background: var(--ok-wash); color: var(--ok); }
.status.waived { background: var(--warn-wash); color: var(--warn); }
.status.violated { background: var(--bad-wash); color: var(--bad); }
ul.masked { margin: 4px 0 0; padding-left: 18px; }
.neighbours { display: grid; grid-template-columns: 1fr 1fr; gap: 24px; }
.neighbours ul { margin: 0; padding-left: 18px; }
.neighbours li p { display: inline; }
figure.lineage { margin: 8px 0; }
figure.lineage .diagram { overflow-x: auto; background: var(--wash); border: 1px solid var(--line); border-radius: 8px;
  padding: 8px; }
figure.lineage figcaption { font-size: 13px; color: var(--muted); margin-top: 4px; }
svg.lineage { display: block; margin: 0 auto; font-family: system-ui, "DejaVu Sans", sans-serif; }
svg.lineage .edge { fill: none; stroke: #7b8794; stroke-width: 1.6; }
svg.lineage .arrowhead { fill: #7b8794; }
svg.lineage .node rect { fill: #ffffff; stroke: var(--accent); stroke-width: 1.5; }
svg.lineage .node.current rect { fill: var(--accent); stroke: #17324d; }
svg.lineage .node.current text { fill: #ffffff; }
svg.lineage .node.external rect { stroke-dasharray: 5 4; stroke: #9aa5b1; }
svg.lineage a:hover rect { fill: var(--accent-wash); }
svg.lineage .node-title { font-size: 13px; font-weight: 700; fill: var(--ink); }
svg.lineage .node-subtitle { font-size: 11px; fill: var(--muted); }
footer { max-width: 1240px; margin: 0 auto 32px; padding: 0 24px; font-size: 13px; color: var(--muted); }
)css";

}  // namespace

std::string Catalog::stylesheet() const {
  std::string stamp = ctx_.stamp(" ", ctx_.inputSources());
  // A comment ends at the first `*/`: none of a path may stay.
  for (size_t at; (at = stamp.find("*/")) != std::string::npos;) stamp.replace(at, 2, "* /");
  Printer out;
  out.print("/*\n$stamp$*/", {{"stamp", stamp}});
  out.print(kStyle);
  return out.take();
}

}  // namespace mesh::codegen::docs
