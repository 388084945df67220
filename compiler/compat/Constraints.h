// Constraints: the constraints on a value read for comparison (bounds,
// patterns, allowed sets; anything else by its canonical text), how two
// versions of them differ, and which type changes widen a value. Used by
// Compare.cpp.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "model/Model.h"

namespace mesh::compat {

/// One spelling per meaning: whitespace, comments and redundant parentheses
/// of the source do not count as changes, and neither does moving a `where`
/// from a field to its refinement type.
std::string canonical(const model::Expr& e, bool top = true);

struct Bound {
  double value = 0;
  bool strict = false;
  std::string text;  // as written (canonical): `value > 0` even when read as `value >= 1`
};

enum Subject { kValue = 0, kLength = 1 };

/// The constraints on one value (its field's `where`, its refinement types'
/// and, for a record, nothing else: checks are compared by name), split at
/// `&&` and read as bounds, patterns and allowed sets where the conjunct has
/// that shape; anything else is kept as its canonical text.
struct Constraints {
  std::optional<Bound> lower[2], upper[2];
  std::set<std::string> patterns;
  std::optional<std::set<std::string>> allowed;
  std::set<std::string> other;
};

/// The constraints on a value of type `t` with its own `where` (may be null).
Constraints constraintsOf(const model::Type* t, const model::Expr* own);

/// How the constraints on one value changed: tighter (the new ones reject a
/// value the old accepted), looser (the other way), or both when the change
/// cannot be read structurally (language.md section 7).
struct ConstraintDelta {
  bool tighter = false, looser = false;
  std::vector<std::string> details;
};

ConstraintDelta compareConstraints(const Constraints& o, const Constraints& n);
/// The details of a delta, joined with "; ".
std::string detailList(const std::vector<std::string>& details);
/// Every value of `o` is a value of `n` (int32 to int64, a wider decimal, ...).
bool widens(const model::Type& o, const model::Type& n);
/// The alternative of union `n` that type `o` became (`string` to `string |
/// null`); null when `n` is no such union.
const model::Type* alternativeOf(const model::Type& o, const model::Type& n);

}  // namespace mesh::compat
