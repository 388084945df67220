// Docs: the `docs` target, a static HTML catalog of the build under
// OUT/docs/: index.html, a page per domain, product and record, and
// style.css. Pages work from the file system (relative links only, no
// script, nothing fetched from a network); lineage diagrams are inline SVG
// laid out by Diagram.h. The pages are written by docs::Catalog (Catalog.h)
// from literal templates; every piece of user text goes through
// htmlEscape() (Html.h). Decisions: docs/catalog.md.
#include "codegen/Generator.h"
#include "codegen/docs/Catalog.h"

namespace mesh::codegen {

void generateDocs(const GeneratorContext& ctx, OutputTree& out, DiagnosticEngine&) { docs::Catalog(ctx).write(out); }

}  // namespace mesh::codegen
