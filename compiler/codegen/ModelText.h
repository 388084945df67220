// ModelText: the words generators use for settings of the checked model
// (compatibility modes, mask methods, policy outcomes), shared so the
// manifest and the HTML catalog always say the same thing.
#pragma once

#include <string>

#include "model/Model.h"

namespace mesh::codegen {

/// `none`, `backward`, `forward`, `full`, as a contract writes it.
const char* compatibilityText(model::Compatibility c);
/// `hash`, `redact`, `null`, `last(4)`, as a contract writes it.
std::string maskText(const model::Mask& m);
/// `passed`, `violated`, `waived`.
const char* policyStatus(model::PolicyStatus s);
/// A quality rule's comparison: `<`, `<=`, `==`, `!=` as a contract writes
/// it, or (typographic) `<`, `≤`, `=`, `≠` as the HTML catalog shows it.
const char* compareText(model::CompareOp op, bool typographic = false);
/// `unique`, `null_rate`, `volume`, `valid_rate`.
const char* qualityKindName(model::QualityRule::Kind k);
/// `error`, `warning`.
const char* policySeverityText(model::PolicySeverity s);
/// A field path as it is on the wire: each field's wire name, a name that is
/// not an identifier in the bracket form of violations' paths
/// (`items[].sku`, `scores["+1"]`); `path.text` when no field has a wire name.
std::string wirePathText(const model::FieldPath& path);

}  // namespace mesh::codegen
