// meshrt/decimal.h: exact decimals for `decimal(P, S)` (P <= 38), with
// checked arithmetic: an overflow is an error value, never undefined
// behaviour. Shared by meshc's evaluator and the generated code.
//
// C++17: generated code includes this header.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "meshrt/inline.h"

namespace meshrt {

struct Decimal {
  __int128 unscaled = 0;  // value = unscaled * 10^-scale, |unscaled| < 10^38
  int scale = 0;          // 0..38

  /// Text as JSON would carry it: `-12.50` keeps the declared scale.
  std::string str() const;
  /// The same text written backwards from `end` (kFormattedSize bytes before
  /// it are enough); returns where it starts. For serializers that append.
  static constexpr size_t kFormattedSize = 48;
  char* formatTo(char* end) const;
  double toDouble() const;
  static Decimal fromInt(int64_t v) { return Decimal{v, 0}; }
};

enum class DecimalParse { Ok, Malformed, OutOfRange };

/// Reads the digits of a JSON number (any exponent) or of a decimal string
/// (`-?digits[.digits]`, no exponent) into a Decimal at `scale`. Trailing
/// zeros after the point do not count: 1.50 fits decimal(4, 1). OutOfRange
/// when more than `precision - scale` integer digits or more than `scale`
/// significant fraction digits.
DecimalParse parseDecimal(std::string_view text, bool fromJsonNumber, int precision, int scale, Decimal& out);

namespace detail {
int compareScaled(const Decimal& a, const Decimal& b);  // scales differ

/// 10^n for 0 <= n <= 38.
inline __int128 pow10(int n) {
  static constexpr uint64_t small[] = {1ULL,
                                       10ULL,
                                       100ULL,
                                       1000ULL,
                                       10000ULL,
                                       100000ULL,
                                       1000000ULL,
                                       10000000ULL,
                                       100000000ULL,
                                       1000000000ULL,
                                       10000000000ULL,
                                       100000000000ULL,
                                       1000000000000ULL,
                                       10000000000000ULL,
                                       100000000000000ULL,
                                       1000000000000000ULL,
                                       10000000000000000ULL,
                                       100000000000000000ULL,
                                       1000000000000000000ULL};
  if (n <= 18) return small[n];
  __int128 p = small[18];
  for (int k = 18; k < n; ++k) p *= 10;
  return p;
}

/// The common decimal: -?digits[.digits], no leading zero, at most 18
/// digits, no more fraction digits than the scale. Returns false for anything
/// else (the general path of parseDecimal decides). Same answers as the
/// general path: without leading zeros the integer digits are all significant
/// (none for "0"), and fraction digits within the scale always fit. Inline:
/// it is what generated validators read amounts with.
inline bool parsePlainDecimal(std::string_view s, int precision, int scale, Decimal& out, DecimalParse& result) {
  size_t j = 0, n = s.size();
  bool negative = j < n && s[j] == '-';
  if (negative) ++j;
  size_t intStart = j;
  uint64_t digits = 0;
  while (j < n && static_cast<unsigned>(s[j] - '0') <= 9) digits = digits * 10 + static_cast<unsigned>(s[j++] - '0');
  size_t intLen = j - intStart, fracLen = 0;
  if (intLen == 0 || intLen > 18 || (intLen > 1 && s[intStart] == '0')) return false;
  if (j < n && s[j] == '.') {
    size_t fracStart = ++j;
    while (j < n && static_cast<unsigned>(s[j] - '0') <= 9 && j - intStart <= 19)
      digits = digits * 10 + static_cast<unsigned>(s[j++] - '0');
    fracLen = j - fracStart;
    if (fracLen == 0) return false;
  }
  if (j != n || intLen + fracLen > 18 || fracLen > static_cast<size_t>(scale)) return false;
  size_t significant = intLen == 1 && s[intStart] == '0' ? 0 : intLen;
  if (significant > static_cast<size_t>(precision - scale)) {
    result = DecimalParse::OutOfRange;
    return true;
  }
  __int128 unscaled = static_cast<__int128>(digits) * pow10(scale - static_cast<int>(fracLen));
  out = Decimal{negative ? -unscaled : unscaled, scale};
  result = DecimalParse::Ok;
  return true;
}
}  // namespace detail

/// Exact comparison (-1, 0, 1). Inline for equal scales and for a zero
/// (`amount > 0`), the comparisons generated validators make.
MESHRT_ALWAYS_INLINE int compare(const Decimal& a, const Decimal& b) {
  if (a.scale == b.scale || a.unscaled == 0 || b.unscaled == 0) {
    if (a.scale == b.scale) return a.unscaled < b.unscaled ? -1 : a.unscaled > b.unscaled ? 1 : 0;
    int sa = a.unscaled < 0 ? -1 : a.unscaled > 0, sb = b.unscaled < 0 ? -1 : b.unscaled > 0;
    return sa < sb ? -1 : sa > sb ? 1 : 0;
  }
  return detail::compareScaled(a, b);
}
/// Checked arithmetic; nullopt on overflow of 38 digits or division by zero.
/// Division keeps max(scale) + 6 fraction digits, truncated toward zero.
std::optional<Decimal> add(const Decimal& a, const Decimal& b);
std::optional<Decimal> sub(const Decimal& a, const Decimal& b);
std::optional<Decimal> mul(const Decimal& a, const Decimal& b);
std::optional<Decimal> div(const Decimal& a, const Decimal& b);
std::optional<Decimal> mod(const Decimal& a, const Decimal& b);
std::optional<Decimal> rescale(const Decimal& a, int scale);  // exact only
/// A decimal literal of generated code (checked by meshc); zero if malformed.
Decimal decimalLiteral(std::string_view text, int precision, int scale);

}  // namespace meshrt
