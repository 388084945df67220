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

const char* compareText(model::CompareOp op, bool typographic) {
  switch (op) {
    case model::CompareOp::Lt:
      return "<";
    case model::CompareOp::Le:
      return typographic ? "\u2264" : "<=";
    case model::CompareOp::Gt:
      return ">";
    case model::CompareOp::Ge:
      return typographic ? "\u2265" : ">=";
    case model::CompareOp::Eq:
      return typographic ? "=" : "==";
    case model::CompareOp::Ne:
      return typographic ? "\u2260" : "!=";
  }
  return "?";
}

const char* qualityKindName(model::QualityRule::Kind k) {
  switch (k) {
    case model::QualityRule::Kind::Unique:
      return "unique";
    case model::QualityRule::Kind::NullRate:
      return "null_rate";
    case model::QualityRule::Kind::Volume:
      return "volume";
    case model::QualityRule::Kind::ValidRate:
      return "valid_rate";
  }
  return "?";
}

const char* policySeverityText(model::PolicySeverity s) {
  return s == model::PolicySeverity::Error ? "error" : "warning";
}

}  // namespace mesh::codegen
