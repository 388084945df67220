// Serialize: the encoding of ast/Serialize.h, written and read by one
// generic walk each over the member lists of ast/Members.h.
#include "ast/Serialize.h"

#include <bit>
#include <concepts>
#include <limits>
#include <utility>

#include "ast/Members.h"
#include "support/Bytes.h"

namespace mesh::ast {
namespace {

// A double's bits with the sign and exponent in the low byte: the low
// mantissa bits, zero in round numbers, become high zeros a varint drops.
uint64_t swapBytes(uint64_t v) {
  uint64_t out = 0;
  for (int i = 0; i < 8; ++i, v >>= 8) out = out << 8 | (v & 0xFF);
  return out;
}

class Writer {
 public:
  explicit Writer(std::string& out) : w_(out) {}

  void varint(uint64_t v) { w_.u64(v); }

  void operator()(bool b) { w_.boolean(b); }
  template <std::unsigned_integral T>
  void operator()(T v) {
    varint(v);
  }
  template <std::signed_integral T>
  void operator()(T v) {
    varint(zigzag(v));
  }
  void operator()(double d) { varint(swapBytes(std::bit_cast<uint64_t>(d))); }
  template <typename E>
  requires std::is_enum_v<E>
  void operator()(E e) { varint(static_cast<uint64_t>(e)); }
  void operator()(const std::string& s) { w_.bytes(s); }
  void operator()(const SourceRange& r) {
    if (r.valid()) {
      varint(zigzag(int64_t{r.begin} - int64_t{lastBegin_}) << 1 | 1);
      lastBegin_ = r.begin;
    } else {
      varint(uint64_t{r.begin} << 1);
    }
    varint(zigzag(int64_t{r.end} - int64_t{r.begin}));
  }

  template <typename T>
  void operator()(const std::optional<T>& o) {
    (*this)(o.has_value());
    if (o) (*this)(*o);
  }
  template <typename T>
  void operator()(const std::unique_ptr<T>& p) {
    (*this)(p != nullptr);
    if (p) (*this)(*p);
  }
  template <typename T>
  void operator()(const std::vector<T>& v) {
    varint(v.size());
    for (const auto& e : v) (*this)(e);
  }
  template <typename... Ts>
  void operator()(const std::variant<Ts...>& v) {
    varint(v.index());
    std::visit([&](const auto& alternative) { (*this)(alternative); }, v);
  }

  template <HasMembers T>
  void operator()(const T& x) {
    std::apply([&](const auto&... member) { ((*this)(member), ...); }, members(x));
  }

 private:
  ByteWriter w_;
  uint32_t lastBegin_ = 0;  // of the last valid range
};

// Every read returns false on bytes that are not an encoding; the caller
// stops there.
class Reader {
 public:
  Reader(std::string_view in, uint32_t fileId) : r_(in), fileId_(fileId) {}

  bool atEnd() const { return r_.atEnd(); }

  bool varint(uint64_t& v) {
    v = r_.u64();
    return r_.ok();
  }
  // A count of things that each take at least one byte: no more than remain.
  bool count(size_t& n) {
    n = static_cast<size_t>(r_.count());
    return r_.ok();
  }

  bool operator()(bool& b) {
    b = r_.boolean();
    return r_.ok();
  }
  template <std::unsigned_integral T>
  bool operator()(T& out) {
    uint64_t v;
    if (!varint(v) || v > std::numeric_limits<T>::max()) return false;
    out = static_cast<T>(v);
    return true;
  }
  template <std::signed_integral T>
  bool operator()(T& out) {
    uint64_t v;
    if (!varint(v)) return false;
    int64_t s = unzigzag(v);
    if (s < std::numeric_limits<T>::min() || s > std::numeric_limits<T>::max()) return false;
    out = static_cast<T>(s);
    return true;
  }
  bool operator()(double& d) {
    uint64_t v;
    if (!varint(v)) return false;
    d = std::bit_cast<double>(swapBytes(v));
    return true;
  }
  template <typename E>
  requires std::is_enum_v<E>
  bool operator()(E& e) {
    uint64_t v;
    if (!varint(v) || v > static_cast<uint64_t>(LastEnumerator<E>::value)) return false;
    e = static_cast<E>(v);
    return true;
  }
  bool operator()(std::string& s) {
    s = r_.bytes();
    return r_.ok();
  }
  bool operator()(SourceRange& r) {
    uint64_t head, delta;
    if (!varint(head) || !varint(delta)) return false;
    bool valid = head & 1;
    // Each number bounded to 33 bits before they are added: no overflow.
    if ((head >> 1) > uint64_t{1} << 33 || delta > uint64_t{1} << 33) return false;
    int64_t begin = valid ? int64_t{lastBegin_} + unzigzag(head >> 1) : static_cast<int64_t>(head >> 1);
    int64_t end = begin + unzigzag(delta);
    if (!fitsOffset(begin) || !fitsOffset(end)) return false;
    r = {valid ? fileId_ : 0, static_cast<uint32_t>(begin), static_cast<uint32_t>(end)};
    if (valid) lastBegin_ = r.begin;
    return true;
  }

  template <typename T>
  bool operator()(std::optional<T>& o) {
    bool present;
    if (!(*this)(present)) return false;
    if (!present) return true;
    o.emplace();
    return (*this)(*o);
  }
  template <typename T>
  bool operator()(std::unique_ptr<T>& p) {
    bool present;
    if (!(*this)(present)) return false;
    if (!present) return true;
    p = std::make_unique<T>();
    return (*this)(*p);
  }
  template <typename T>
  bool operator()(std::vector<T>& v) {
    size_t n;
    if (!count(n)) return false;
    // Grown one element read at a time, not reserved: a forged count costs
    // nothing beyond the elements the input really holds.
    for (size_t i = 0; i < n; ++i)
      if (!(*this)(v.emplace_back())) return false;
    return true;
  }
  template <typename... Ts>
  bool operator()(std::variant<Ts...>& v) {
    uint64_t index;
    if (!varint(index) || index >= sizeof...(Ts)) return false;
    emplaceAt(v, static_cast<size_t>(index), std::index_sequence_for<Ts...>{});
    return std::visit([&](auto& alternative) { return (*this)(alternative); }, v);
  }

  template <HasMembers T>
  bool operator()(T& x) {
    if (depth_ == kMaxReadDepth) return false;
    ++depth_;
    bool ok = std::apply([&](auto&... member) { return ((*this)(member) && ...); }, members(x));
    --depth_;
    return ok;
  }

 private:
  static bool fitsOffset(int64_t v) { return v >= 0 && v <= std::numeric_limits<uint32_t>::max(); }

  template <typename V, size_t... I>
  static void emplaceAt(V& v, size_t index, std::index_sequence<I...>) {
    ((index == I ? (void)v.template emplace<I>() : (void)0), ...);
  }

  ByteReader r_;
  uint32_t fileId_;
  uint32_t lastBegin_ = 0;  // of the last valid range
  int depth_ = 0;
};

// The members of a File but its id, which is not encoded: the reader gives
// its own, so that a text's encoding does not depend on where it was parsed.
template <typename F>
auto contentsOf(F& file) {
  return std::apply(
      [](auto& id, auto&... rest) {
        static_assert(std::is_same_v<std::remove_cvref_t<decltype(id)>, uint32_t>, "a File's first member is its id");
        return std::tie(rest...);
      },
      members(file));
}

}  // namespace

void writeFile(const File& file, std::string& out) {
  out += static_cast<char>(kAstFormatVersion);
  Writer writer{out};
  std::apply([&](const auto&... member) { (writer(member), ...); }, contentsOf(file));
}

bool readFile(std::string_view in, uint32_t fileId, File& out) {
  if (in.empty() || static_cast<uint8_t>(in[0]) != kAstFormatVersion) return false;
  Reader reader(in.substr(1), fileId);
  File file;
  file.fileId = fileId;
  bool ok = std::apply([&](auto&... member) { return (reader(member) && ...); }, contentsOf(file));
  if (!ok || !reader.atEnd()) return false;
  out = std::move(file);
  return true;
}

}  // namespace mesh::ast
