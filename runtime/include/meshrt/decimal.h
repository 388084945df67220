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

namespace meshrt {

struct Decimal {
  __int128 unscaled = 0;  // value = unscaled * 10^-scale, |unscaled| < 10^38
  int scale = 0;          // 0..38

  /// Text as JSON would carry it: `-12.50` keeps the declared scale.
  std::string str() const;
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

/// Exact comparison (-1, 0, 1).
int compare(const Decimal& a, const Decimal& b);
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
