// meshrt/json_write.h: the output of generated serializers (to_json, the
// typed producers). A growable buffer whose appends are inline: the pieces
// of a message are short (a key literal, a number, a name), and appending to
// a std::string goes through a library call for each.
//
// C++17: generated code includes this header.
#pragma once

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "meshrt/decimal.h"
#include "meshrt/formats.h"
#include "meshrt/inline.h"
#include "meshrt/json_value.h"

namespace meshrt {

class JsonWriter {
 public:
  JsonWriter() = default;
  JsonWriter(const JsonWriter&) = delete;
  JsonWriter& operator=(const JsonWriter&) = delete;
  ~JsonWriter() { std::free(data_); }

  void clear() { size_ = 0; }
  size_t size() const { return size_; }
  std::string_view view() const { return {data_, size_}; }
  std::string str() const { return std::string(data_, size_); }

  /// Room for `n` more bytes: where they go. commit(k) then keeps k of them.
  MESHRT_ALWAYS_INLINE char* room(size_t n) {
    if (capacity_ - size_ < n) grow(n);
    return data_ + size_;
  }
  void commit(size_t n) { size_ += n; }

  MESHRT_ALWAYS_INLINE void append(const char* p, size_t n) {
    std::memcpy(room(n), p, n);
    size_ += n;
  }
  /// A string literal (its length known where it is called).
  template <size_t N>
  MESHRT_ALWAYS_INLINE void literal(const char (&s)[N]) {
    append(s, N - 1);
  }
  MESHRT_ALWAYS_INLINE void put(char c) {
    *room(1) = c;
    ++size_;
  }

 private:
  void grow(size_t n);  // throws std::bad_alloc
  char* data_ = nullptr;
  size_t size_ = 0, capacity_ = 0;
};

/// A JSON string: quoted, with `"`, `\`, control characters and DEL escaped
/// (the same text as appendJsonString).
void writeString(JsonWriter& out, std::string_view s);
void writeNumber(JsonWriter& out, int64_t v);
void writeNumber(JsonWriter& out, double v);  // shortest round-trip form
/// A decimal, timestamp or date as its quoted JSON string.
void writeDecimal(JsonWriter& out, const Decimal& d);
void writeTimestamp(JsonWriter& out, Timestamp t);
void writeDate(JsonWriter& out, Date d);
/// A json value: its text as it was read, unchanged.
inline void writeJson(JsonWriter& out, const Json& j) { out.append(j.text.data(), j.text.size()); }

}  // namespace meshrt
