// A wrong-way arrow, for ctest `layers` only (built into mesh_codegen when
// MESH_LAYER_PROBE=codegen): a generator, which sees only the checked model,
// calling the policy pass. The layer-check build must fail to link it.
#include "policy/Evaluate.h"

namespace mesh::codegen {

void probeWrongWay(model::Build& build, const SourceManager& sources, DiagnosticEngine& diags) {
  policy::evaluate(build, sources, diags, {});
}

}  // namespace mesh::codegen
