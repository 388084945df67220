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

}  // namespace mesh::codegen
