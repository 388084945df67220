// SharedParses: one parse per distinct source text across loads. `meshc
// breaking` loads two builds whose files are mostly byte-identical (and
// whose standard library always is); each text is parsed once and every
// other file with that text gets a copy of the AST and of the parse's
// diagnostics, with their ranges moved to its own file id.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "ast/AST.h"
#include "diagnostics/Diagnostic.h"

namespace mesh::syntax {

/// Thread safe. A parse depends only on the text and on where sanitizeUtf8
/// replaced invalid bytes (parseFile reads nothing else of the file, not
/// its name), so both make the key.
class SharedParses {
 public:
  class Slot;

  SharedParses();
  ~SharedParses();
  SharedParses(const SharedParses&) = delete;
  SharedParses& operator=(const SharedParses&) = delete;

  /// The slot for this text. The first caller for a text gets `owner` true
  /// and must parse it and call `fill`; the others get the same slot.
  Slot& claim(llvm::StringRef text, const std::vector<uint32_t>& invalidUtf8, bool& owner);
  /// Records the parse of a slot this caller owns (its ranges in
  /// `file.fileId`). Package, imports and diagnostics are copied; the
  /// declarations are not (most of a build's files are never asked for by
  /// the other): copies are made from `file.decls` itself, so its elements
  /// must stay as they are while the SharedParses is used. Moving the File
  /// (into a Workspace, or with the vector that holds it) keeps them where
  /// they are; changing or destroying it does not.
  void fill(Slot& slot, const ast::File& file, const DiagnosticEngine& diags);
  /// Waits until the slot is filled, then returns a copy of its AST for
  /// `fileId` and reports a copy of its diagnostics, also moved to `fileId`,
  /// in `diags`.
  ast::File copy(Slot& slot, uint32_t fileId, DiagnosticEngine& diags);

  /// How many texts were parsed and how many copies were handed out (for --stats).
  size_t parsedCount() const;
  size_t copiedCount() const;

 private:
  mutable std::mutex mutex_;
  std::unordered_map<size_t, std::vector<std::unique_ptr<Slot>>> slots_;  // by hash of the text
  size_t copies_ = 0;
};

}  // namespace mesh::syntax
