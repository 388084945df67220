// Bytes: a compact binary encoding (LEB128 varints, length-prefixed
// strings) for what meshc stores between runs (the build cache). The reader
// never trusts its input: every read is bounded by the bytes left, and a
// failed read leaves the reader failed (ok() false) for every read after it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace mesh {

/// Signed numbers as unsigned ones with small magnitudes small (0, -1, 1,
/// -2... as 0, 1, 2, 3...), for varints.
inline uint64_t zigzag(int64_t v) { return (uint64_t(v) << 1) ^ uint64_t(v >> 63); }
inline int64_t unzigzag(uint64_t v) { return int64_t(v >> 1) ^ -int64_t(v & 1); }

class ByteWriter {
 public:
  explicit ByteWriter(std::string& out) : out_(out) {}
  void u64(uint64_t v) {
    while (v >= 0x80) {
      out_ += char(uint8_t(v) | 0x80);
      v >>= 7;
    }
    out_ += char(v);
  }
  void i64(int64_t v) { u64(zigzag(v)); }
  void boolean(bool v) { out_ += char(v ? 1 : 0); }
  void bytes(std::string_view s) {
    u64(s.size());
    out_.append(s);
  }

 private:
  std::string& out_;
};

class ByteReader {
 public:
  explicit ByteReader(std::string_view in) : in_(in) {}
  bool ok() const { return ok_; }
  /// Marks the input as not an encoding (a value out of its range, say).
  void refuse() { fail(); }
  bool atEnd() const { return ok_ && pos_ == in_.size(); }
  size_t left() const { return in_.size() - pos_; }
  uint64_t u64() {
    uint64_t v = 0;
    for (unsigned shift = 0; shift < 64; shift += 7) {
      if (!ok_ || pos_ == in_.size()) return fail();
      uint8_t b = uint8_t(in_[pos_++]);
      if (shift == 63 && b > 1) return fail();  // more than 64 bits
      v |= uint64_t(b & 0x7f) << shift;
      if (!(b & 0x80)) return v;
    }
    return fail();
  }
  int64_t i64() { return unzigzag(u64()); }
  bool boolean() {
    uint64_t v = u64();
    if (v > 1) fail();
    return v == 1;
  }
  /// A count of items that take at least one byte each: refused when the
  /// input cannot hold that many (no allocation sized by forged lengths).
  uint64_t count() {
    uint64_t n = u64();
    return n <= left() ? n : fail();
  }
  std::string_view bytes() {
    uint64_t n = count();
    if (!ok_) return {};
    std::string_view s = in_.substr(pos_, n);
    pos_ += n;
    return s;
  }

 private:
  uint64_t fail() {
    ok_ = false;
    pos_ = in_.size();
    return 0;
  }
  std::string_view in_;
  size_t pos_ = 0;
  bool ok_ = true;
};

}  // namespace mesh
