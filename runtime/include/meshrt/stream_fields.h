// meshrt/stream_fields.h: the fields mesh-gate's unique and null_rate rules
// look at, handed over by the generated validator from the message it has
// just parsed, so that the gate does not parse a valid message a second time
// (docs/gate.md). C++17: generated code includes this header.
#pragma once

#include <cstdint>
#include <cstring>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "meshrt/box.h"
#include "meshrt/decimal.h"
#include "meshrt/formats.h"
#include "meshrt/json_value.h"

namespace meshrt {

/// Per quality rule of a product (by its index in the product's rules): the
/// rule's field is absent (missing or null, or a record on the way is) or
/// present with a 64-bit hash of its value. Values that are equal hash
/// equally whatever their JSON spelling (`12.5` and `12.50`, `1e2` and
/// `100`); the hash is all a unique rule remembers.
class StreamFields {
 public:
  void reset(size_t rules) {
    present_.assign(rules, 0);
    hashes_.resize(rules);
  }
  void set(size_t rule, uint64_t hash) {
    if (rule >= present_.size()) return;
    present_[rule] = 1;
    hashes_[rule] = hash;
  }
  /// The message has no such field at all: a case of a union schema that
  /// does not declare it. The rule does not count the message.
  void skip(size_t rule) {
    if (rule < present_.size()) present_[rule] = kSkipped;
  }
  bool present(size_t rule) const { return rule < present_.size() && present_[rule] == 1; }
  bool applies(size_t rule) const { return rule >= present_.size() || present_[rule] != kSkipped; }
  uint64_t hash(size_t rule) const { return hashes_[rule]; }

 private:
  static constexpr unsigned char kSkipped = 2;
  std::vector<unsigned char> present_;  // 0: null or absent, 1: present, kSkipped
  std::vector<uint64_t> hashes_;
};

namespace stream_hash {
inline uint64_t mix(uint64_t x) {  // splitmix64's finalizer
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}
inline uint64_t combine(uint64_t seed, uint64_t value) { return mix(seed ^ (value + 0x9e3779b97f4a7c15ULL)); }
// Distinct seeds per kind, so that 1 (a number) and true, or a date and the
// integer of its days, do not collide by construction.
enum : uint64_t {
  kString = 1,
  kBool,
  kInt,
  kFloat,
  kDecimal,
  // 6 to 9: the types written as text (TextFormat<T>::kHashSeed, formats.h)
  kEnum = 10,
  kList,
  kMap,
  kNull
};
}  // namespace stream_hash

// Declared before any is defined: each may call another for its elements.
template <class E, std::enable_if_t<std::is_enum_v<E>, int> = 0>
uint64_t streamHash(E e);
template <class R, std::enable_if_t<R::kMeshRecord, int> = 0>
uint64_t streamHash(const R& record);
template <class T>
uint64_t streamHash(const std::optional<T>& v);
template <class T>
uint64_t streamHash(const Box<T>& v);
template <class T>
uint64_t streamHash(const std::vector<T>& list);
template <class T>
uint64_t streamHash(const std::map<std::string, T>& map);
template <class... Ts>
uint64_t streamHash(const std::variant<Ts...>& v);
inline uint64_t streamHash(std::monostate) { return stream_hash::mix(stream_hash::kNull); }

inline uint64_t streamHash(std::string_view s) {
  return stream_hash::combine(stream_hash::kString, std::hash<std::string_view>{}(s));
}
inline uint64_t streamHash(const std::string& s) { return streamHash(std::string_view(s)); }
inline uint64_t streamHash(bool b) { return stream_hash::combine(stream_hash::kBool, b); }
inline uint64_t streamHash(int32_t v) {
  return stream_hash::combine(stream_hash::kInt, static_cast<uint64_t>(int64_t{v}));
}
inline uint64_t streamHash(int64_t v) { return stream_hash::combine(stream_hash::kInt, static_cast<uint64_t>(v)); }
inline uint64_t streamHash(double v) {
  if (v == 0) v = 0;  // -0 and 0 are one value
  uint64_t bits;
  std::memcpy(&bits, &v, sizeof bits);
  return stream_hash::combine(stream_hash::kFloat, bits);
}
inline uint64_t streamHash(float v) { return streamHash(static_cast<double>(v)); }
// A json value by its exact text (the language never tells two texts of one
// value equal, docs/language-decisions.md).
inline uint64_t streamHash(const Json& j) { return streamHash(std::string_view(j.text)); }
inline uint64_t streamHash(const Decimal& d) {
  // The value, not the scale it was written with: 12.50 is 12.5.
  __int128 unscaled = d.unscaled;
  int scale = d.scale;
  while (scale > 0 && unscaled % 10 == 0) {
    unscaled /= 10;
    --scale;
  }
  if (unscaled == 0) scale = 0;
  uint64_t low = static_cast<uint64_t>(static_cast<unsigned __int128>(unscaled));
  uint64_t high = static_cast<uint64_t>(static_cast<unsigned __int128>(unscaled) >> 64);
  return stream_hash::combine(stream_hash::combine(stream_hash::combine(stream_hash::kDecimal, low), high),
                              static_cast<uint64_t>(scale));
}
template <class T, std::enable_if_t<kWrittenAsText<T>, int> = 0>
uint64_t streamHash(const T& v) {
  uint64_t hash = TextFormat<T>::kHashSeed;
  for (uint64_t word : TextFormat<T>::words(v)) hash = stream_hash::combine(hash, word);
  return hash;
}
template <class E, std::enable_if_t<std::is_enum_v<E>, int>>
uint64_t streamHash(E e) {
  return stream_hash::combine(stream_hash::kEnum, static_cast<uint64_t>(static_cast<int64_t>(e)));
}
// A record: its serialized form (the generated to_json, found by argument-
// dependent lookup), which writes equal records alike.
template <class R, std::enable_if_t<R::kMeshRecord, int>>
uint64_t streamHash(const R& record) {
  return streamHash(std::string_view(to_json(record)));
}
template <class T>
uint64_t streamHash(const std::optional<T>& v) {
  return v ? streamHash(*v) : stream_hash::mix(stream_hash::kNull);
}
template <class T>
uint64_t streamHash(const Box<T>& v) {
  return v.has_value() ? streamHash(*v) : stream_hash::mix(stream_hash::kNull);
}
template <class T>
uint64_t streamHash(const std::vector<T>& list) {
  uint64_t h = stream_hash::combine(stream_hash::kList, list.size());
  for (const T& e : list) h = stream_hash::combine(h, streamHash(e));
  return h;
}
template <class T>
uint64_t streamHash(const std::map<std::string, T>& map) {
  uint64_t h = stream_hash::combine(stream_hash::kMap, map.size());
  for (const auto& [key, value] : map)
    h = stream_hash::combine(stream_hash::combine(h, streamHash(key)), streamHash(value));
  return h;
}
// A union's value: the alternative's, whose kind tells it apart (the
// alternatives of a union have different JSON kinds, a tagged union's
// records are hashed by their JSON text).
template <class... Ts>
uint64_t streamHash(const std::variant<Ts...>& v) {
  return std::visit([](const auto& alternative) { return streamHash(alternative); }, v);
}

}  // namespace meshrt
