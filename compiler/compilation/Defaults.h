// Defaults: every default of a build validated as a message would carry it
// (language.md section 8, "Defaults"), so a filled-in default is always
// valid. A step of the compilation after checking, since it runs the
// reference evaluator (eval), which the checker does not call.
#pragma once

#include "diagnostics/Diagnostic.h"
#include "model/Model.h"

namespace mesh::compilation {

/// Reports E0209 at each default that fails its field's constraints (its
/// type, its `where`, its refinement types', its elements'), with a note
/// per violation `meshc validate` would report. Constraints that call now()
/// are not evaluated (docs/language-decisions.md, "Defaults").
void checkDefaults(const model::Build& build, DiagnosticEngine& diags);

}  // namespace mesh::compilation
