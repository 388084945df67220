// SharedParses: slots keyed by text (hash, then full comparison), filled once
// by the first load that meets the text, copied by the others.
#include "syntax/SharedParses.h"

#include <string_view>

#include "ast/Clone.h"

namespace mesh::syntax {

class SharedParses::Slot {
 public:
  Slot(llvm::StringRef text, std::vector<uint32_t> invalidUtf8)
      : text(text.str()), invalidUtf8(std::move(invalidUtf8)) {}

  const std::string text;
  const std::vector<uint32_t> invalidUtf8;

  std::mutex mutex;
  std::condition_variable filledSignal;
  bool filled = false;
  ast::File head;  // package and imports; no declarations
  const ast::Decl* decls = nullptr;
  size_t declCount = 0;
  std::vector<Diagnostic> diags;
};

SharedParses::SharedParses() = default;
SharedParses::~SharedParses() = default;

SharedParses::Slot& SharedParses::claim(llvm::StringRef text, const std::vector<uint32_t>& invalidUtf8, bool& owner) {
  size_t hash = std::hash<std::string_view>{}(std::string_view(text.data(), text.size()));
  std::lock_guard<std::mutex> lock(mutex_);
  auto& bucket = slots_[hash];
  for (auto& slot : bucket) {
    if (slot->text == text && slot->invalidUtf8 == invalidUtf8) {
      owner = false;
      ++copies_;
      return *slot;
    }
  }
  owner = true;
  bucket.push_back(std::make_unique<Slot>(text, invalidUtf8));
  return *bucket.back();
}

void SharedParses::fill(Slot& slot, const ast::File& file, const DiagnosticEngine& diags) {
  // Prepared outside the slot's lock: nobody reads the slot before `filled`.
  ast::File head{file.fileId, file.package, file.imports, {}};
  std::vector<Diagnostic> keptDiags = diags.all();
  {
    std::lock_guard<std::mutex> lock(slot.mutex);
    slot.head = std::move(head);
    slot.decls = file.decls.data();
    slot.declCount = file.decls.size();
    slot.diags = std::move(keptDiags);
    slot.filled = true;
  }
  slot.filledSignal.notify_all();
}

ast::File SharedParses::copy(Slot& slot, uint32_t fileId, DiagnosticEngine& diags) {
  {
    std::unique_lock<std::mutex> lock(slot.mutex);
    slot.filledSignal.wait(lock, [&] { return slot.filled; });
  }
  // Filled slots are never written again: reading them needs no lock.
  uint32_t from = slot.head.fileId;
  auto moved = [&](SourceRange r) { return r.file == from ? SourceRange{fileId, r.begin, r.end} : r; };
  for (const Diagnostic& d : slot.diags) {
    auto b = diags.report(d.kind, d.severity, moved(d.range), d.message);
    for (const DiagNote& n : d.notes) b.note(n.message, moved(n.range));
  }
  return ast::cloneFile(slot.head, slot.decls, slot.declCount, fileId);
}

size_t SharedParses::parsedCount() const {
  std::lock_guard<std::mutex> lock(mutex_);
  size_t n = 0;
  for (const auto& [hash, bucket] : slots_) n += bucket.size();
  return n;
}

size_t SharedParses::copiedCount() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return copies_;
}

}  // namespace mesh::syntax
