// A wrong-way arrow, for ctest `layers` only (target mesh_model_probe: this
// file linked against mesh_model and its declared closure): the model, which
// check/ builds, calling check/. That link must fail.
#include "check/Check.h"

namespace mesh::model {

std::unique_ptr<Build> probeWrongWay(const check::Workspace& ws, DiagnosticEngine& diags) {
  return check::checkBuild(ws, diags, {});
}

}  // namespace mesh::model
