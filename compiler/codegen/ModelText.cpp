// ModelText: see ModelText.h.
#include "codegen/ModelText.h"

#include <fmt/format.h>

namespace mesh::codegen {

const char* compatibilityText(model::Compatibility c) {
  switch (c) {
    case model::Compatibility::None:
      return "none";
    case model::Compatibility::Backward:
      return "backward";
    case model::Compatibility::Forward:
      return "forward";
    case model::Compatibility::Full:
      return "full";
  }
  return "?";
}

std::string maskText(const model::Mask& m) {
  switch (m.method) {
    case model::MaskMethod::Hash:
      return "hash";
    case model::MaskMethod::Redact:
      return "redact";
    case model::MaskMethod::Null:
      return "null";
    case model::MaskMethod::Last:
      return fmt::format("last({})", m.keep);
  }
  return "?";
}

const char* policyStatus(model::PolicyStatus s) {
  switch (s) {
    case model::PolicyStatus::Passed:
      return "passed";
    case model::PolicyStatus::Violated:
      return "violated";
    case model::PolicyStatus::Waived:
      return "waived";
  }
  return "?";
}

}  // namespace mesh::codegen
