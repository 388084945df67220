// A wrong-way arrow, for ctest `layers` only (target mesh_codegen_probe: this
// file linked against mesh_codegen and its declared closure): a generator,
// which sees only the checked model, calling the policy pass. That link must fail.
#include "policy/Evaluate.h"

namespace mesh::codegen {

void probeWrongWay(model::Build& build, const SourceManager& sources, DiagnosticEngine& diags) {
  policy::evaluate(build, sources, diags, {});
}

}  // namespace mesh::codegen
