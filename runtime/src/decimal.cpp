// decimal.cpp: exact, checked decimals on 128-bit integers.
#include "meshrt/decimal.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

namespace meshrt {
namespace {

using i128 = __int128;

constexpr i128 pow10(int n) {
  i128 v = 1;
  for (int i = 0; i < n; ++i) v *= 10;
  return v;
}
constexpr i128 kLimit = pow10(38);  // |unscaled| must stay below

bool inRange(i128 v) { return v < kLimit && v > -kLimit; }

std::optional<i128> scaleUp(i128 v, int by) {
  for (int i = 0; i < by; ++i) {
    if (v >= kLimit / 10 || v <= -kLimit / 10) return std::nullopt;
    v *= 10;
  }
  return v;
}

// Brings a and b to a common scale.
bool align(const Decimal& a, const Decimal& b, i128& x, i128& y, int& scale) {
  scale = std::max(a.scale, b.scale);
  auto ax = scaleUp(a.unscaled, scale - a.scale);
  auto by = scaleUp(b.unscaled, scale - b.scale);
  if (!ax || !by) return false;
  x = *ax;
  y = *by;
  return true;
}

}  // namespace

char* Decimal::formatTo(char* end) const {
  // Digits written from the end: at most 39 digits, a point, a leading zero
  // and a sign.
  char* p = end;
  i128 v = unscaled;
  bool negative = v < 0;
  if (negative) v = -v;
  if (v <= static_cast<i128>(UINT64_MAX) && scale <= 19) {
    // The common case (amounts): two digits at a time; the fraction's
    // digits, the point, then at least one integer digit.
    static const char pairs[] =
        "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
        "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
        "8081828384858687888990919293949596979899";
    auto u = static_cast<uint64_t>(v);
    auto twoDigits = [&]() {
      p -= 2;
      std::memcpy(p, pairs + 2 * (u % 100), 2);
      u /= 100;
    };
    if (scale > 0) {
      int left = scale;
      for (; left >= 2; left -= 2) twoDigits();
      if (left) {
        *--p = static_cast<char>('0' + u % 10);
        u /= 10;
      }
      *--p = '.';
    }
    while (u >= 100) twoDigits();
    if (u >= 10)
      twoDigits();
    else
      *--p = static_cast<char>('0' + u);
    if (negative) *--p = '-';
    return p;
  }
  int written = 0;
  while (v > static_cast<i128>(UINT64_MAX)) {  // 128-bit division only for the digits beyond 64 bits
    *--p = static_cast<char>('0' + static_cast<int>(v % 10));
    v /= 10;
    if (++written == scale) *--p = '.';
  }
  auto small = static_cast<uint64_t>(v);
  do {
    *--p = static_cast<char>('0' + static_cast<int>(small % 10));
    small /= 10;
    if (++written == scale) *--p = '.';
  } while (small);
  while (written < scale) {  // 0.05 at scale 2: the zeros after the point
    *--p = '0';
    if (++written == scale) *--p = '.';
  }
  if (*p == '.') *--p = '0';  // a leading zero before the point
  if (negative) *--p = '-';
  return p;
}

std::string Decimal::str() const {
  char buf[kFormattedSize];
  char* end = buf + sizeof buf;
  char* start = formatTo(end);
  return std::string(start, static_cast<size_t>(end - start));
}

double Decimal::toDouble() const { return static_cast<double>(unscaled) / static_cast<double>(pow10(scale)); }

DecimalParse parseDecimal(std::string_view s, bool fromJsonNumber, int precision, int scale, Decimal& out) {
  DecimalParse plain;
  if (detail::parsePlainDecimal(s, precision, scale, out, plain)) return plain;
  size_t i = 0, n = s.size();
  bool negative = false;
  if (i < n && s[i] == '-') {
    negative = true;
    ++i;
  }
  size_t intStart = i;
  while (i < n && s[i] >= '0' && s[i] <= '9') ++i;
  std::string_view intDigits = s.substr(intStart, i - intStart);
  if (intDigits.empty()) return DecimalParse::Malformed;
  if (intDigits.size() > 1 && intDigits[0] == '0') return DecimalParse::Malformed;
  std::string_view fracDigits;
  if (i < n && s[i] == '.') {
    ++i;
    size_t fs = i;
    while (i < n && s[i] >= '0' && s[i] <= '9') ++i;
    fracDigits = s.substr(fs, i - fs);
    if (fracDigits.empty()) return DecimalParse::Malformed;
  }
  long exponent = 0;
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    if (!fromJsonNumber) return DecimalParse::Malformed;
    ++i;
    bool expNegative = false;
    if (i < n && (s[i] == '+' || s[i] == '-')) expNegative = s[i++] == '-';
    size_t es = i;
    while (i < n && s[i] >= '0' && s[i] <= '9') {
      if (exponent < 100000) exponent = exponent * 10 + (s[i] - '0');
      ++i;
    }
    if (i == es) return DecimalParse::Malformed;
    if (expNegative) exponent = -exponent;
  }
  if (i != n) return DecimalParse::Malformed;
  // The significant digits are intDigits followed by fracDigits; walk them
  // without copying: strip leading and trailing zeros, find where the point
  // falls among what is left.
  size_t total = intDigits.size() + fracDigits.size();
  auto digitAt = [&](size_t k) { return k < intDigits.size() ? intDigits[k] : fracDigits[k - intDigits.size()]; };
  size_t first = 0;
  while (first < total && digitAt(first) == '0') ++first;
  if (first == total) {
    out = Decimal{0, scale};
    return DecimalParse::Ok;
  }
  size_t last = total;
  while (last > first && digitAt(last - 1) == '0') --last;
  long count = static_cast<long>(last - first);
  long point = static_cast<long>(intDigits.size()) + exponent - static_cast<long>(first);
  long integerDigits = std::max<long>(point, 0);
  long fractionDigits = std::max<long>(count - point, 0);
  if (integerDigits > precision - scale || fractionDigits > scale) return DecimalParse::OutOfRange;
  // value = digits * 10^(point - count), so unscaled = digits * 10^(point - count + scale),
  // a non-negative power since the fraction digits fit the scale.
  i128 v = 0;
  if (count <= 18) {  // most amounts: the digits fit 64 bits
    uint64_t small = 0;
    for (size_t k = first; k < last; ++k) small = small * 10 + static_cast<uint64_t>(digitAt(k) - '0');
    v = static_cast<i128>(small);
  } else {
    for (size_t k = first; k < last; ++k) v = v * 10 + (digitAt(k) - '0');
  }
  for (long k = 0; k < point - count + scale; ++k) v *= 10;
  out = Decimal{negative ? -v : v, scale};
  return DecimalParse::Ok;
}

int detail::compareScaled(const Decimal& a, const Decimal& b) {
  // Signs differ, or one is zero: the signs decide.
  int sa = a.unscaled < 0 ? -1 : a.unscaled > 0, sb = b.unscaled < 0 ? -1 : b.unscaled > 0;
  if (sa != sb || sa == 0) return sa < sb ? -1 : sa > sb ? 1 : 0;
  i128 x, y;
  int scale;
  if (align(a, b, x, y, scale)) return x < y ? -1 : x > y ? 1 : 0;
  // Cannot overflow-free align: compare integer parts first.
  i128 ai = a.unscaled / pow10(a.scale), bi = b.unscaled / pow10(b.scale);
  if (ai != bi) return ai < bi ? -1 : 1;
  double d = a.toDouble() - b.toDouble();
  return d < 0 ? -1 : d > 0 ? 1 : 0;
}

std::optional<Decimal> add(const Decimal& a, const Decimal& b) {
  i128 x, y;
  int scale;
  if (!align(a, b, x, y, scale)) return std::nullopt;
  i128 r = x + y;
  if (!inRange(r)) return std::nullopt;
  return Decimal{r, scale};
}

std::optional<Decimal> sub(const Decimal& a, const Decimal& b) { return add(a, Decimal{-b.unscaled, b.scale}); }

std::optional<Decimal> mul(const Decimal& a, const Decimal& b) {
  int scale = a.scale + b.scale;
  i128 x = a.unscaled, y = b.unscaled;
  if (x == 0 || y == 0) return Decimal{0, std::min(scale, 38)};
  i128 ax = x < 0 ? -x : x, ay = y < 0 ? -y : y;
  if (ax > kLimit / ay) return std::nullopt;
  i128 r = x * y;
  // Drop fraction digits beyond 38 (only zeros may go: exact or nothing).
  while (scale > 38) {
    if (r % 10 != 0) return std::nullopt;
    r /= 10;
    --scale;
  }
  if (!inRange(r)) return std::nullopt;
  return Decimal{r, scale};
}

std::optional<Decimal> div(const Decimal& a, const Decimal& b) {
  if (b.unscaled == 0) return std::nullopt;
  int scale = std::min(std::max(a.scale, b.scale) + 6, 38);
  // a / b = (a.u * 10^(scale + b.s - a.s)) / b.u at `scale`.
  int shift = scale + b.scale - a.scale;
  i128 num = a.unscaled;
  if (shift >= 0) {
    auto up = scaleUp(num, shift);
    if (!up) return std::nullopt;
    num = *up;
  } else {
    num /= pow10(-shift);
  }
  i128 r = num / b.unscaled;
  if (!inRange(r)) return std::nullopt;
  return Decimal{r, scale};
}

std::optional<Decimal> mod(const Decimal& a, const Decimal& b) {
  i128 x, y;
  int scale;
  if (b.unscaled == 0 || !align(a, b, x, y, scale)) return std::nullopt;
  return Decimal{x % y, scale};
}

std::optional<Decimal> rescale(const Decimal& a, int scale) {
  if (scale >= a.scale) {
    auto v = scaleUp(a.unscaled, scale - a.scale);
    if (!v) return std::nullopt;
    return Decimal{*v, scale};
  }
  i128 p = pow10(a.scale - scale);
  if (a.unscaled % p != 0) return std::nullopt;
  return Decimal{a.unscaled / p, scale};
}

Decimal decimalLiteral(std::string_view text, int precision, int scale) {
  Decimal d{0, scale};
  if (parseDecimal(text, true, precision, scale, d) != DecimalParse::Ok) return Decimal{0, scale};
  return d;
}

}  // namespace meshrt
