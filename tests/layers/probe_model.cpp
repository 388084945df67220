// A wrong-way arrow, for ctest `layers` only (built into mesh_model when
// MESH_LAYER_PROBE=model): the model, which check/ builds, calling check/.
// The layer-check build must fail to link it.
#include "check/Check.h"

namespace mesh::model {

std::unique_ptr<Build> probeWrongWay(const check::Workspace& ws, DiagnosticEngine& diags) {
  return check::checkBuild(ws, diags, {});
}

}  // namespace mesh::model
