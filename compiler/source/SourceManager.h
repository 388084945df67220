// SourceManager: owns every source buffer of a build and turns byte offsets
// into file:line:column (columns counted in characters, as users see them).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/SourceMgr.h"

namespace mesh {

/// A half-open byte range [begin, end) in one file. file == 0 means "nowhere".
struct SourceRange {
  uint32_t file = 0;
  uint32_t begin = 0;
  uint32_t end = 0;
  bool valid() const { return file != 0; }
  static SourceRange cover(SourceRange a, SourceRange b) {
    if (!a.valid()) return b;
    if (!b.valid() || a.file != b.file) return a;
    return {a.file, std::min(a.begin, b.begin), std::max(a.end, b.end)};
  }
};

struct LineColumn {
  unsigned line = 0;    // 1-based
  unsigned column = 0;  // 1-based, in Unicode code points
};

class SourceManager {
 public:
  /// Adds a buffer; invalid UTF-8 must already have been replaced (see
  /// sanitizeUtf8). Returns the file id (>= 1).
  uint32_t addFile(std::string displayName, std::string contents);

  llvm::StringRef text(uint32_t file) const;
  const std::string& name(uint32_t file) const { return names_[file - 1]; }
  unsigned fileCount() const { return names_.size(); }

  /// A UTF-8 byte order mark at the start of a file stays in its buffer (so
  /// offsets are the file's), but is no column: line 1 starts after it.
  LineColumn lineColumn(uint32_t file, uint32_t offset) const;
  /// The text of one line, without its line terminator (nor a byte order mark).
  llvm::StringRef lineText(uint32_t file, unsigned line) const;

 private:
  mutable llvm::SourceMgr mgr_;  // its line caches fill lazily
  std::vector<std::string> names_;
};

/// The largest `.mesh` file meshc reads: 16 MiB, about a hundred times the
/// largest hand-written contract and far above protoc's practical inputs,
/// so a device (/dev/zero) or a runaway generator cannot grow the compiler
/// without bound (docs/hardening.md; E0011).
inline constexpr size_t kMaxSourceFile = size_t{16} << 20;

enum class SourceRead { Ok, TooLarge, Failed };
/// Reads a source file whole: at most kMaxSourceFile bytes are read, and a
/// longer file is TooLarge with `text` left empty.
SourceRead readSourceFile(const std::string& path, std::string& text);
/// What E0011 says about a TooLarge file.
std::string sourceTooLargeMessage();

/// Replaces every invalid UTF-8 sequence with U+FFFD and returns the byte
/// offsets (in the result) where a replacement happened.
std::vector<uint32_t> sanitizeUtf8(std::string& text);

/// The UTF-8 encoding of U+FEFF, which editors may put at the start of a file.
inline constexpr llvm::StringLiteral kUtf8ByteOrderMark = "\xEF\xBB\xBF";

/// The length of the byte order mark `text` starts with (0 or 3).
inline size_t byteOrderMarkLength(llvm::StringRef text) {
  return text.startswith(kUtf8ByteOrderMark) ? kUtf8ByteOrderMark.size() : 0;
}

/// Counts the code points in a UTF-8 string.
size_t codePointCount(llvm::StringRef text);

/// Whether every byte of `text` is ASCII (below 0x80): then it is valid
/// UTF-8 with one code point per byte. Eight bytes at a time; the parser
/// asks of every file.
bool isAscii(llvm::StringRef text);

}  // namespace mesh
