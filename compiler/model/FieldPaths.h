// FieldPaths: the one walk over the field paths of a record, nested records
// included (the policy model's `p.fields`, the manifest's and the docs'
// field lists).
#pragma once

#include <functional>

#include "model/Model.h"

namespace mesh::model {

/// The records nested deeper than this below the root are listed, not
/// entered: far beyond any real schema, and a bound on a walk of one.
inline constexpr int kMaxFieldDepth = 32;

/// One field path of a walk.
struct FieldVisit {
  const FieldPath& path;  // the fields from the root; text like `items[].sku` (no range)
  const Field& field;     // the last of them
  const Type* element;    // its type with every list and map level stripped
  int depth;              // 0 for a field of the root record
  bool recursive;         // element is a record already on the path: it is not entered again
  bool entered;           // element is a record whose fields the walk visits next
};

struct FieldWalkOptions {
  /// Records nested deeper are listed but not entered; 0: the root's own fields only.
  int maxDepth = kMaxFieldDepth;
};

/// Visits every field path of `root` in declaration order, each field before
/// the fields of its record (through lists and maps). A record already on the
/// path is listed but not entered again (a tree record, `left: Node?; right:
/// Node?`, would give 2^32 paths). `visit` returns false to stop the walk;
/// forEachFieldPath returns false when it was stopped.
bool forEachFieldPath(const Record& root, const std::function<bool(const FieldVisit&)>& visit,
                      const FieldWalkOptions& options = {});

}  // namespace mesh::model
