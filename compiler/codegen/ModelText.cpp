// ModelText: see ModelText.h. Each table lists its enum's names in the
// enum's order; a static_assert holds it to the enum's size.
#include "codegen/ModelText.h"

#include <fmt/format.h>

#include <iterator>

#include "meshrt/report.h"

namespace mesh::codegen {
namespace {

constexpr const char* kCompatibilities[] = {"none", "backward", "forward", "full"};
static_assert(std::size(kCompatibilities) == static_cast<size_t>(model::Compatibility::Full) + 1);

constexpr const char* kMaskMethods[] = {"hash", "redact", "null", "last"};
static_assert(std::size(kMaskMethods) == static_cast<size_t>(model::MaskMethod::Last) + 1);

constexpr const char* kPolicyStatuses[] = {"passed", "violated", "waived"};
static_assert(std::size(kPolicyStatuses) == static_cast<size_t>(model::PolicyStatus::Waived) + 1);

// As a contract writes it, and as the HTML catalog shows it.
constexpr const char* kCompareOps[][2] = {{"<", "<"},       {"<=", "\u2264"}, {">", ">"},
                                          {">=", "\u2265"}, {"==", "="},      {"!=", "\u2260"}};
static_assert(std::size(kCompareOps) == static_cast<size_t>(model::CompareOp::Ne) + 1);

constexpr const char* kQualityKinds[] = {"unique", "null_rate", "volume", "valid_rate"};
static_assert(std::size(kQualityKinds) == static_cast<size_t>(model::QualityRule::Kind::ValidRate) + 1);

constexpr const char* kPolicySeverities[] = {"error", "warning"};
static_assert(std::size(kPolicySeverities) == static_cast<size_t>(model::PolicySeverity::Warning) + 1);

/// The row of `rows` for `value`; null for a value outside the enum.
template <typename Row, size_t N, typename Enum>
const Row* rowOf(const Row (&rows)[N], Enum value) {
  size_t i = static_cast<size_t>(value);
  return i < N ? &rows[i] : nullptr;
}

/// The name of `value` in `names`; "?" for a value outside the enum.
template <size_t N, typename Enum>
const char* nameOf(const char* const (&names)[N], Enum value) {
  const char* const* name = rowOf(names, value);
  return name ? *name : "?";
}

}  // namespace

const char* compatibilityText(model::Compatibility c) { return nameOf(kCompatibilities, c); }

std::string maskText(const model::Mask& m) {
  if (m.method == model::MaskMethod::Last) return fmt::format("last({})", m.keep);
  return nameOf(kMaskMethods, m.method);
}

const char* policyStatus(model::PolicyStatus s) { return nameOf(kPolicyStatuses, s); }

const char* compareText(model::CompareOp op, bool typographic) {
  const auto* texts = rowOf(kCompareOps, op);
  return texts ? (*texts)[typographic ? 1 : 0] : "?";
}

const char* qualityKindName(model::QualityRule::Kind k) { return nameOf(kQualityKinds, k); }

const char* policySeverityText(model::PolicySeverity s) { return nameOf(kPolicySeverities, s); }

std::string wirePathText(const model::FieldPath& path) {
  std::string out;
  for (const model::Field* f : path.fields) {
    meshrt::appendPathMember(out, f->wireName());
    for (const model::Type* t = f->type; t->kind == model::TypeKind::List || t->kind == model::TypeKind::Map;
         t = t->element)
      out += "[]";
  }
  return !out.empty() && out[0] == '.' ? out.substr(1) : out;
}

}  // namespace mesh::codegen
