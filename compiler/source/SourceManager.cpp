// SourceManager: buffers, line tables and UTF-8 hygiene for source files.
#include "source/SourceManager.h"

#include <cstring>
#include <fstream>

#include "llvm/Support/MemoryBuffer.h"

namespace mesh {

SourceRead readSourceFile(const std::string& path, std::string& text) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return SourceRead::Failed;
  text.clear();
  char chunk[1 << 16];
  while (in.read(chunk, sizeof chunk) || in.gcount() > 0) {
    text.append(chunk, static_cast<size_t>(in.gcount()));
    if (text.size() > kMaxSourceFile) {
      text.clear();
      text.shrink_to_fit();
      return SourceRead::TooLarge;
    }
  }
  return in.bad() ? SourceRead::Failed : SourceRead::Ok;
}

std::string sourceTooLargeMessage() {
  return "file larger than " + std::to_string(kMaxSourceFile >> 20) + " MiB (" + std::to_string(kMaxSourceFile) +
         " bytes), the most meshc reads";
}

uint32_t SourceManager::addFile(std::string displayName, std::string contents) {
  auto buffer = llvm::MemoryBuffer::getMemBufferCopy(contents, displayName);
  names_.push_back(std::move(displayName));
  return mgr_.AddNewSourceBuffer(std::move(buffer), llvm::SMLoc());
}

llvm::StringRef SourceManager::text(uint32_t file) const { return mgr_.getMemoryBuffer(file)->getBuffer(); }

LineColumn SourceManager::lineColumn(uint32_t file, uint32_t offset) const {
  llvm::StringRef buffer = text(file);
  if (offset > buffer.size()) offset = buffer.size();
  auto loc = llvm::SMLoc::getFromPointer(buffer.data() + offset);
  auto [line, byteColumn] = mgr_.getLineAndColumn(loc, file);
  llvm::StringRef prefix = buffer.substr(offset - (byteColumn - 1), byteColumn - 1);
  if (line == 1) prefix = prefix.drop_front(std::min(prefix.size(), byteOrderMarkLength(buffer)));
  return {line, static_cast<unsigned>(codePointCount(prefix)) + 1};
}

llvm::StringRef SourceManager::lineText(uint32_t file, unsigned line) const {
  llvm::StringRef buffer = text(file);
  auto loc = mgr_.FindLocForLineAndColumn(file, line, 1);
  if (!loc.isValid()) return {};
  size_t start = loc.getPointer() - buffer.data();
  if (line == 1) start = byteOrderMarkLength(buffer);
  size_t end = buffer.find_first_of("\r\n", start);
  if (end == llvm::StringRef::npos) end = buffer.size();
  return buffer.slice(start, end);
}

size_t codePointCount(llvm::StringRef text) {
  size_t count = 0;
  for (unsigned char c : text)
    if ((c & 0xC0) != 0x80) ++count;
  return count;
}

bool isAscii(llvm::StringRef text) {
  const char* p = text.data();
  size_t n = text.size(), i = 0;
  uint64_t high = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t word;
    std::memcpy(&word, p + i, 8);
    high |= word;
  }
  for (; i < n; ++i) high |= static_cast<unsigned char>(p[i]);
  return (high & 0x8080808080808080ull) == 0;
}

std::vector<uint32_t> sanitizeUtf8(std::string& text) {
  if (isAscii(text)) return {};
  std::vector<uint32_t> replaced;
  std::string out;
  bool changed = false;
  size_t i = 0, n = text.size();
  auto cont = [&](size_t k) { return k < n && (static_cast<unsigned char>(text[k]) & 0xC0) == 0x80; };
  while (i < n) {
    unsigned char c = text[i];
    size_t len = 0;
    if (c < 0x80) {
      len = 1;
    } else if (c >= 0xC2 && c <= 0xDF) {
      len = cont(i + 1) ? 2 : 0;
    } else if (c >= 0xE0 && c <= 0xEF) {
      if (cont(i + 1) && cont(i + 2)) {
        unsigned char c1 = text[i + 1];
        bool overlong = c == 0xE0 && c1 < 0xA0;
        bool surrogate = c == 0xED && c1 >= 0xA0;
        len = (overlong || surrogate) ? 0 : 3;
      }
    } else if (c >= 0xF0 && c <= 0xF4) {
      if (cont(i + 1) && cont(i + 2) && cont(i + 3)) {
        unsigned char c1 = text[i + 1];
        bool overlong = c == 0xF0 && c1 < 0x90;
        bool tooBig = c == 0xF4 && c1 >= 0x90;
        len = (overlong || tooBig) ? 0 : 4;
      }
    }
    if (len == 0) {
      if (!changed) {
        out.assign(text, 0, i);
        changed = true;
      }
      replaced.push_back(out.size());
      out += "\xEF\xBF\xBD";
      ++i;
      continue;
    }
    if (changed) out.append(text, i, len);
    i += len;
  }
  if (changed) text = std::move(out);
  return replaced;
}

}  // namespace mesh
