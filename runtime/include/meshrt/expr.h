// meshrt/expr.h: the expression semantics of the Mesh language (language.md
// section 3, docs/validation.md) for generated validators: values that may be
// absent, unknown (three-valued logic) or in error (division by zero,
// overflow), with the same widening and the same Kleene logic as meshc's
// reference evaluator (compiler/eval/Validate.cpp).
//
// C++17: generated code includes this header.
#pragma once

#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "meshrt/box.h"
#include "meshrt/decimal.h"
#include "meshrt/formats.h"
#include "meshrt/json_value.h"
#include "meshrt/regex.h"

namespace meshrt::ex {

enum class S : uint8_t { Ok, Null, Unknown, Error };

template <typename T>
struct V {
  using type = T;
  S s = S::Null;
  T v{};
};

template <typename T>
inline V<T> ok(T v) {
  return V<T>{S::Ok, v};
}
template <typename T>
inline V<T> state(S s) {
  return V<T>{s, T{}};
}
inline V<bool> boolean(bool b) { return ok(b); }
inline V<bool> unknown() { return state<bool>(S::Unknown); }
inline V<bool> error() { return state<bool>(S::Error); }

// ---------------------------------------------------------------- from stored values

inline V<bool> of(bool b) { return ok(b); }
inline V<int64_t> of(int32_t v) { return ok<int64_t>(v); }
inline V<int64_t> of(int64_t v) { return ok(v); }
inline V<double> of(float v) { return ok<double>(v); }
inline V<double> of(double v) { return ok(v); }
inline V<Decimal> of(const Decimal& v) { return ok(v); }
inline V<std::string_view> of(const std::string& v) { return ok<std::string_view>(v); }
inline V<std::string_view> of(std::string_view v) { return ok(v); }  // a map key as the reader sees it
/// A json value is seen only as null or not (`value == null`; E0317).
inline V<const Json*> of(const Json& v) { return v.isNull() ? state<const Json*>(S::Null) : ok(&v); }
template <typename T, typename = std::enable_if_t<kWrittenAsText<T>>>
inline V<T> of(const T& v) {  // a timestamp, a uuid... (formats.h's TextFormat)
  return ok(v);
}
template <typename E, typename = std::enable_if_t<std::is_enum_v<E>>>
inline V<int> of(E e) {
  return ok(static_cast<int>(e));
}
template <typename T>
inline V<const std::vector<T>*> of(const std::vector<T>& v) {
  return ok(&v);
}
template <typename T>
inline V<const std::map<std::string, T>*> of(const std::map<std::string, T>& v) {
  return ok(&v);
}
template <typename T, typename = std::enable_if_t<std::is_class_v<T>>, typename = decltype(&T::kMeshRecord)>
inline V<const T*> of(const T& r) {
  return ok(&r);
}
template <typename T>
inline auto of(const std::optional<T>& o) -> decltype(of(*o)) {
  if (!o) return state<typename decltype(of(*o))::type>(S::Null);
  return of(*o);
}
template <typename T>
inline auto of(const Box<T>& o) -> decltype(of(*o)) {
  if (!o.has_value()) return state<typename decltype(of(*o))::type>(S::Null);
  return of(*o);
}

// ---------------------------------------------------------------- conversions (widening)

inline double toDouble(int64_t v) { return static_cast<double>(v); }
inline double toDouble(double v) { return v; }
inline double toDouble(const Decimal& v) { return v.toDouble(); }
inline Decimal toDecimal(int64_t v) { return Decimal::fromInt(v); }
inline Decimal toDecimal(const Decimal& v) { return v; }

/// The first state that is not Ok, in evaluation order.
template <typename A, typename B>
inline S firstProblem(const V<A>& a, const V<B>& b) {
  if (a.s == S::Error || a.s == S::Unknown) return a.s;
  if (b.s == S::Error || b.s == S::Unknown) return b.s;
  return S::Ok;
}

// ---------------------------------------------------------------- comparison

inline int cmp3(int64_t a, int64_t b) { return a < b ? -1 : a > b ? 1 : 0; }
inline int cmp3(double a, double b) { return a < b ? -1 : a > b ? 1 : 0; }
inline int cmp3(double a, int64_t b) { return cmp3(a, toDouble(b)); }
inline int cmp3(int64_t a, double b) { return cmp3(toDouble(a), b); }
inline int cmp3(double a, const Decimal& b) { return cmp3(a, b.toDouble()); }
inline int cmp3(const Decimal& a, double b) { return cmp3(a.toDouble(), b); }
inline int cmp3(const Decimal& a, const Decimal& b) { return compare(a, b); }
inline int cmp3(const Decimal& a, int64_t b) { return compare(a, Decimal::fromInt(b)); }
inline int cmp3(int64_t a, const Decimal& b) { return compare(Decimal::fromInt(a), b); }
inline int cmp3(std::string_view a, std::string_view b) { return a.compare(b) < 0 ? -1 : a.compare(b) > 0 ? 1 : 0; }
inline int cmp3(bool a, bool b) { return a == b ? 0 : a ? 1 : -1; }
inline int cmp3(int a, int b) { return a < b ? -1 : a > b ? 1 : 0; }
template <typename T, typename = std::enable_if_t<kWrittenAsText<T>>>
inline int cmp3(const T& a, const T& b) {  // a timestamp, a uuid... by their own order
  return a < b ? -1 : b < a ? 1 : 0;
}

// Deep equality of stored values (records define `sameRecord` next to them,
// found by argument-dependent lookup). Overloads first, then templates, so
// every overload is visible inside the templates.
inline bool same(bool a, bool b) { return a == b; }
inline bool same(int32_t a, int32_t b) { return a == b; }
inline bool same(int64_t a, int64_t b) { return a == b; }
inline bool same(float a, float b) { return a == b; }
inline bool same(double a, double b) { return a == b; }
inline bool same(const Decimal& a, const Decimal& b) { return compare(a, b) == 0; }
inline bool same(const std::string& a, const std::string& b) { return a == b; }
inline bool same(const Json& a, const Json& b) { return a == b; }
template <typename T>
inline bool same(const std::optional<T>& a, const std::optional<T>& b);
template <typename T>
inline bool same(const Box<T>& a, const Box<T>& b);
template <typename T>
inline bool same(const std::vector<T>& a, const std::vector<T>& b);
template <typename T>
inline bool same(const std::map<std::string, T>& a, const std::map<std::string, T>& b);
template <typename... Ts>
inline bool same(const std::variant<Ts...>& a, const std::variant<Ts...>& b);
inline bool same(std::monostate, std::monostate) { return true; }
template <typename T, typename = std::enable_if_t<std::is_enum_v<T> || std::is_class_v<T>>>
inline bool same(const T& a, const T& b) {
  if constexpr (std::is_enum_v<T> || kWrittenAsText<T>) {  // kWrittenAsText: a timestamp, a uuid...
    return a == b;
  } else {
    return sameRecord(a, b);
  }
}
template <typename T>
inline bool same(const std::optional<T>& a, const std::optional<T>& b) {
  if (!a || !b) return !a && !b;
  return same(*a, *b);
}
template <typename T>
inline bool same(const Box<T>& a, const Box<T>& b) {
  if (!a.has_value() || !b.has_value()) return !a.has_value() && !b.has_value();
  return same(*a, *b);
}
template <typename T>
inline bool same(const std::vector<T>& a, const std::vector<T>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (!same(a[i], b[i])) return false;
  return true;
}
template <typename T>
inline bool same(const std::map<std::string, T>& a, const std::map<std::string, T>& b) {
  if (a.size() != b.size()) return false;
  auto i = a.begin();
  auto j = b.begin();
  for (; i != a.end(); ++i, ++j)
    if (i->first != j->first || !same(i->second, j->second)) return false;
  return true;
}
template <typename... Ts>
inline bool same(const std::variant<Ts...>& a, const std::variant<Ts...>& b) {
  if (a.index() != b.index()) return false;
  return std::visit([&b](const auto& held) { return same(held, std::get<std::decay_t<decltype(held)>>(b)); }, a);
}

template <typename A, typename B>
inline bool equalValues(const A& a, const B& b) {
  if constexpr (std::is_pointer_v<A>) {
    return same(*a, *b);
  } else {
    return cmp3(a, b) == 0;
  }
}

enum class Cmp { Eq, Ne, Lt, Le, Gt, Ge };

template <typename A, typename B>
inline V<bool> compare(Cmp op, const V<A>& a, const V<B>& b) {
  S p = firstProblem(a, b);
  if (p != S::Ok) return state<bool>(p);
  bool an = a.s == S::Null, bn = b.s == S::Null;
  if (op == Cmp::Eq || op == Cmp::Ne) {
    bool equal = (an || bn) ? (an && bn) : equalValues(a.v, b.v);
    return boolean(equal == (op == Cmp::Eq));
  }
  if (an || bn) return unknown();
  int c = cmp3(a.v, b.v);
  switch (op) {
    case Cmp::Lt:
      return boolean(c < 0);
    case Cmp::Le:
      return boolean(c <= 0);
    case Cmp::Gt:
      return boolean(c > 0);
    case Cmp::Ge:
      return boolean(c >= 0);
    default:
      return error();
  }
}

// ---------------------------------------------------------------- logic

inline bool isUnknown(const V<bool>& v) { return v.s == S::Unknown || v.s == S::Null; }

inline V<bool> not_(const V<bool>& a) {
  if (a.s == S::Ok) return boolean(!a.v);
  if (a.s == S::Null) return unknown();
  return a;
}

template <typename F>
inline V<bool> and_(const V<bool>& l, F&& right) {
  if (l.s == S::Error) return l;
  bool lu = isUnknown(l);
  if (!lu && !l.v) return boolean(false);
  V<bool> r = right();
  if (r.s == S::Error) return r;
  bool ru = isUnknown(r);
  if (!ru && !r.v) return boolean(false);
  if (lu || ru) return unknown();
  return boolean(true);
}

template <typename F>
inline V<bool> or_(const V<bool>& l, F&& right) {
  if (l.s == S::Error) return l;
  bool lu = isUnknown(l);
  if (!lu && l.v) return boolean(true);
  V<bool> r = right();
  if (r.s == S::Error) return r;
  bool ru = isUnknown(r);
  if (!ru && r.v) return boolean(true);
  if (lu || ru) return unknown();
  return boolean(false);
}

/// A constraint fails when it is false or in error.
inline bool fails(const V<bool>& v) { return v.s == S::Error || (v.s == S::Ok && !v.v); }

// ---------------------------------------------------------------- arithmetic

enum class Op { Add, Sub, Mul, Div, Mod };

/// The frame every arithmetic shares: an operand's problem first, then a null
/// operand (unknown), then `apply(out)`, false when the result is an error
/// (division by zero, overflow, not finite).
template <typename R, typename A, typename B, typename F>
inline V<R> arith(const V<A>& a, const V<B>& b, F&& apply) {
  S p = firstProblem(a, b);
  if (p != S::Ok) return state<R>(p);
  if (a.s == S::Null || b.s == S::Null) return state<R>(S::Unknown);
  R out{};
  if (!apply(out)) return state<R>(S::Error);
  return ok(out);
}

/// +, - and * on 64-bit integers; false on overflow (and for / and %).
inline bool checkedInt(Op op, int64_t x, int64_t y, int64_t& out) {
  if (op == Op::Add) return !__builtin_add_overflow(x, y, &out);
  if (op == Op::Sub) return !__builtin_sub_overflow(x, y, &out);
  if (op == Op::Mul) return !__builtin_mul_overflow(x, y, &out);
  return false;
}

template <typename A, typename B>
inline V<int64_t> intArith(Op op, const V<A>& a, const V<B>& b) {
  return arith<int64_t>(a, b, [&](int64_t& out) {
    int64_t x = a.v, y = b.v;
    if (op != Op::Div && op != Op::Mod) return checkedInt(op, x, y, out);
    if (y == 0 || (x == INT64_MIN && y == -1)) return false;
    out = op == Op::Div ? x / y : x % y;
    return true;
  });
}

template <typename A, typename B>
inline V<double> floatArith(Op op, const V<A>& a, const V<B>& b) {
  return arith<double>(a, b, [&](double& out) {
    double x = toDouble(a.v), y = toDouble(b.v);
    if ((op == Op::Div || op == Op::Mod) && y == 0) return false;
    out = op == Op::Add   ? x + y
          : op == Op::Sub ? x - y
          : op == Op::Mul ? x * y
          : op == Op::Div ? x / y
                          : std::fmod(x, y);
    return std::isfinite(out);
  });
}

template <typename A, typename B>
inline V<Decimal> decimalArith(Op op, const V<A>& a, const V<B>& b) {
  return arith<Decimal>(a, b, [&](Decimal& out) {
    // decimal.h's operations in Op's order.
    using Operation = std::optional<Decimal> (*)(const Decimal&, const Decimal&);
    static constexpr Operation kOperations[] = {add, sub, mul, div, mod};
    static_assert(std::size(kOperations) == static_cast<size_t>(Op::Mod) + 1, "one per Op");
    std::optional<Decimal> r = kOperations[static_cast<size_t>(op)](toDecimal(a.v), toDecimal(b.v));
    if (r) out = *r;
    return r.has_value();
  });
}

inline int64_t microsOf(Timestamp t) { return t.micros; }
inline int64_t microsOf(Duration d) { return d.micros; }
inline int64_t microsOf(int64_t v) { return v; }

/// timestamp ± duration, duration ± duration, timestamp - timestamp,
/// duration * integer; R is Timestamp or Duration.
template <typename R, typename A, typename B>
inline V<R> timeArith(Op op, const V<A>& a, const V<B>& b) {
  return arith<R>(a, b, [&](R& out) {
    int64_t micros = 0;
    if (!checkedInt(op, microsOf(a.v), microsOf(b.v), micros)) return false;
    out = R{micros};
    return true;
  });
}

template <typename T>
inline V<T> neg(const V<T>& a) {
  if (a.s == S::Null) return state<T>(S::Unknown);
  if (a.s != S::Ok) return a;
  T v = a.v;
  if constexpr (std::is_same_v<T, int64_t>) {
    if (v == INT64_MIN) return state<T>(S::Error);
    v = -v;
  } else if constexpr (std::is_same_v<T, double>) {
    v = -v;
  } else if constexpr (std::is_same_v<T, Decimal>) {
    v.unscaled = -v.unscaled;
  } else if constexpr (std::is_same_v<T, Duration>) {
    if (v.micros == INT64_MIN) return state<T>(S::Error);
    v.micros = -v.micros;
  }
  return ok(v);
}

// ---------------------------------------------------------------- functions

/// Applies f to the value when present: functions of an absent value are unknown.
template <typename R, typename A, typename F>
inline V<R> apply(const V<A>& a, F&& f) {
  if (a.s == S::Null) return state<R>(S::Unknown);
  if (a.s != S::Ok) return state<R>(a.s);
  return ok<R>(f(a.v));
}
template <typename R, typename A, typename B, typename F>
inline V<R> apply2(const V<A>& a, const V<B>& b, F&& f) {
  S p = firstProblem(a, b);
  if (p != S::Ok) return state<R>(p);
  if (a.s == S::Null || b.s == S::Null) return state<R>(S::Unknown);
  return ok<R>(f(a.v, b.v));
}

inline bool containsText(std::string_view s, std::string_view p) { return s.find(p) != std::string_view::npos; }
inline bool startsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
inline bool endsWith(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

/// `x in [a, b, ...]`: evaluates x then every element, in order.
template <typename X, typename E>
inline V<bool> inList(const V<X>& x, const std::vector<V<E>>& items, bool negated) {
  if (x.s == S::Error || x.s == S::Unknown) return state<bool>(x.s);
  for (const auto& item : items)
    if (item.s == S::Error || item.s == S::Unknown) return state<bool>(item.s);
  if (x.s == S::Null) return unknown();
  bool found = false;
  for (const auto& item : items)
    if (item.s == S::Ok && equalValues(x.v, item.v)) found = true;
  return boolean(found != negated);
}

}  // namespace meshrt::ex

namespace meshrt::ex {

/// Widening of one value representation to another (for `in` lists whose
/// elements mix integers with decimals or floats).
template <typename To, typename From>
inline V<To> conv(const V<From>& x) {
  if (x.s != S::Ok) return state<To>(x.s);
  if constexpr (std::is_same_v<To, From>) {
    return x;
  } else if constexpr (std::is_same_v<To, double>) {
    return ok(toDouble(x.v));
  } else if constexpr (std::is_same_v<To, Decimal>) {
    return ok(toDecimal(x.v));
  } else {
    return ok<To>(To(x.v));
  }
}

/// `base.field` on a record value: absent when the record is absent.
template <typename R, typename F>
inline auto member(const V<const R*>& base, F&& f) -> decltype(f(*base.v)) {
  using Result = typename decltype(f(*base.v))::type;
  if (base.s != S::Ok) return state<Result>(base.s);
  return f(*base.v);
}

template <typename T>
struct IsMap : std::false_type {};
template <typename T>
struct IsMap<std::map<std::string, T>> : std::true_type {};

/// any(x in list: cond) / all(...), Kleene over the elements; a map ranges
/// over its values.
template <typename Seq, typename F>
inline V<bool> quantify(bool any, const V<const Seq*>& source, F&& body) {
  if (source.s == S::Null) return unknown();
  if (source.s != S::Ok) return state<bool>(source.s);
  bool sawUnknown = false;
  auto visit = [&](const auto& item, bool& done, V<bool>& result) {
    V<bool> r = body(of(item));
    if (r.s == S::Error) {
      result = r;
      done = true;
      return;
    }
    if (isUnknown(r)) {
      sawUnknown = true;
      return;
    }
    if (r.v == any) {
      result = boolean(any);
      done = true;
    }
  };
  bool done = false;
  V<bool> result;
  if constexpr (IsMap<Seq>::value) {
    for (const auto& kv : *source.v) {
      visit(kv.second, done, result);
      if (done) return result;
    }
  } else {
    for (const auto& item : *source.v) {
      visit(item, done, result);
      if (done) return result;
    }
  }
  if (sawUnknown) return unknown();
  return boolean(!any);
}

/// `x in list` where the list is a value (not a literal list).
template <typename X, typename Seq>
inline V<bool> inSeq(const V<X>& x, const V<const Seq*>& list, bool negated) {
  if (x.s == S::Error || x.s == S::Unknown) return state<bool>(x.s);
  if (list.s == S::Error || list.s == S::Unknown) return state<bool>(list.s);
  if (x.s == S::Null || list.s == S::Null) return unknown();
  bool found = false;
  for (const auto& item : *list.v) {
    auto v = of(item);
    if (v.s == S::Ok && equalValues(x.v, v.v)) found = true;
  }
  return boolean(found != negated);
}

/// contains(list, x): whether a present element equals x.
template <typename Seq, typename X>
inline V<bool> containsItem(const V<const Seq*>& list, const V<X>& x) {
  S p = firstProblem(list, x);
  if (p != S::Ok) return state<bool>(p);
  if (list.s == S::Null || x.s == S::Null) return unknown();
  for (const auto& item : *list.v) {
    auto v = of(item);
    if (v.s == S::Ok && equalValues(v.v, x.v)) return boolean(true);
  }
  return boolean(false);
}

/// No two elements of a list have equal present keys: `key(item)` gives an
/// element's key (a V<>), elements whose key is absent or unknown are skipped.
template <typename T, typename Key>
inline V<bool> uniqueKeys(const V<const std::vector<T>*>& list, Key&& key) {
  if (list.s == S::Null) return unknown();
  if (list.s != S::Ok) return state<bool>(list.s);
  const auto& items = *list.v;
  for (size_t i = 0; i < items.size(); ++i) {
    auto a = key(items[i]);
    if (a.s != S::Ok) continue;
    for (size_t j = 0; j < i; ++j) {
      auto b = key(items[j]);
      if (b.s == S::Ok && equalValues(a.v, b.v)) return boolean(false);
    }
  }
  return boolean(true);
}

/// unique(list): no two present elements are equal.
template <typename T>
inline V<bool> uniqueItems(const V<const std::vector<T>*>& list) {
  return uniqueKeys(list, [](const T& item) { return of(item); });
}

/// unique(list, field): no two present field values are equal.
template <typename T, typename F>
inline V<bool> uniqueBy(const V<const std::vector<T>*>& list, F&& field) {
  return uniqueKeys(list, [&](const T& item) {
    auto record = of(item);
    using Field = decltype(field(*record.v));
    return record.s == S::Ok ? field(*record.v) : Field{record.s};
  });
}

}  // namespace meshrt::ex
