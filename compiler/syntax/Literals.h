// Literals: the values of Mesh's literal tokens, decoded from their text.
// Plain functions (no ANTLR, no diagnostics): the parser reports what they
// reject, in its own words and at the token's place.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ast/AST.h"

namespace mesh::syntax {

/// Decimal or `0x` hex digits with `_` separators ("1_000", "0xFF_FF").
/// Nothing when there are no digits, a stray character or more than 64 bits.
std::optional<uint64_t> decodeUnsigned(std::string_view text);

/// A FLOAT token ("1.5e3", "1_000.25"); nothing when it is not finite.
std::optional<double> decodeFloat(std::string_view text);

/// A DURATION token ("250ms", "5s", "5m", "2h", "7d", "2w", "1y") in
/// microseconds; nothing when it overflows int64 or has another unit. `w` is
/// 7 days and `y` 365 days (no calendar, as Kafka's retention.ms).
std::optional<int64_t> decodeDurationMicros(std::string_view text);

/// The units of a duration as they are written, "ms, s, m, h, d, w, y".
std::string durationUnitList();

/// A PERCENT token ("99.9%", "1_000%"): the number before the `%`.
double decodePercent(std::string_view text);

/// A RATE token ("1000/s", "5/min", "2/h") in events per second; nothing
/// when the count does not fit in 64 bits or the unit is another.
std::optional<double> decodeRatePerSecond(std::string_view text);

/// A DATE token ("2027-03-31"); nothing when no such day exists.
std::optional<ast::Date> decodeDate(std::string_view text);
bool isRealDate(int year, int month, int day);

/// A bad escape in a string literal: byte offsets within the token, quotes
/// included, `end` one past its last byte.
struct EscapeError {
  enum class Kind { Unicode, Unknown } kind;
  size_t begin = 0, end = 0;
};

struct DecodedString {
  std::string value;                // bad escapes left out
  std::vector<EscapeError> errors;  // in the order they occur
};

/// A STRING token, quotes included: `\" \\ \n \t \r` and `\u{HEX}` (1 to 6
/// hex digits naming a code point that is not a surrogate) resolved to UTF-8.
DecodedString decodeString(std::string_view token);

/// A RAW_STRING token (`r"..."`): the text between the quotes, as written.
std::string decodeRawString(std::string_view token);

}  // namespace mesh::syntax
