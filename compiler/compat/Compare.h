// Compare: breaking-change detection between two versions of a build
// (language.md section 7). Two checked builds in (the baseline and the
// current one), one diagnostic per change out, judged by each product's
// compatibility mode and version. Decisions: docs/compatibility.md.
#pragma once

#include <cstdint>

#include "diagnostics/Diagnostic.h"
#include "model/Model.h"

namespace mesh::compat {

struct CompareOptions {
  /// Added to the file ids of the baseline's source ranges in what is
  /// reported: the driver renders both builds through one SourceManager that
  /// holds the current build's files first, then the baseline's.
  uint32_t baselineFileOffset = 0;
};

/// Reports every change between `baseline` and `current` that language.md
/// section 7 names (and the few docs/compatibility.md adds), for the products
/// of the input packages of either build: breaking changes as errors, or as
/// warnings when the product's major version went up; changes its mode allows
/// (and every change under `none`) as notes.
void compareBuilds(const model::Build& baseline, const model::Build& current, DiagnosticEngine& diags,
                   const CompareOptions& options = {});

}  // namespace mesh::compat
