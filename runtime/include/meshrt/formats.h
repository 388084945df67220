// meshrt/formats.h: the JSON wire formats of the Mesh language (language.md
// section 2), shared by meshc's reference evaluator and the generated code so
// both read a timestamp, a decimal or a uuid the same way.
//
// C++17: generated code includes this header.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

namespace meshrt {

// ---------------------------------------------------------------- numbers

/// Whether `text` is a number by RFC 8259's grammar.
bool isJsonNumber(std::string_view text);
/// A JSON number with no fraction and no exponent, in int64 range.
std::optional<int64_t> parseJsonInteger(std::string_view text);
/// Any JSON number as a double; nullopt when it overflows to infinity.
std::optional<double> parseJsonDouble(std::string_view text);
bool fitsFloat32(double v);

// ---------------------------------------------------------------- UTF-8

bool isValidUtf8(std::string_view s);
/// Unicode code points in valid UTF-8 (what `len(s)` counts).
int64_t codePointLength(std::string_view s);

// ---------------------------------------------------------------- time

/// A timestamp: microseconds since 1970-01-01T00:00:00Z.
struct Timestamp {
  int64_t micros = 0;
  friend bool operator==(Timestamp a, Timestamp b) { return a.micros == b.micros; }
  friend bool operator<(Timestamp a, Timestamp b) { return a.micros < b.micros; }
};

/// A calendar date: days since 1970-01-01.
struct Date {
  int32_t days = 0;
  friend bool operator==(Date a, Date b) { return a.days == b.days; }
  friend bool operator<(Date a, Date b) { return a.days < b.days; }
};

/// A duration in microseconds.
struct Duration {
  int64_t micros = 0;
  friend bool operator==(Duration a, Duration b) { return a.micros == b.micros; }
  friend bool operator<(Duration a, Duration b) { return a.micros < b.micros; }
};

/// RFC 3339 `date-time` with a required offset (`Z`, `+02:00`); `T` and `Z`
/// in either case; any number of fraction digits (kept to the microsecond);
/// years 0001-9999; a leap second `:60` only at 23:59 UTC (read as
/// 23:59:59.999999, as most systems do).
std::optional<Timestamp> parseTimestamp(std::string_view s);
/// The common form, `YYYY-MM-DDTHH:MM:SSZ`, in the 20 bytes at `p`, in one
/// straight pass. False for anything else (parseTimestamp decides those).
bool parseUtcSecondsTimestamp(const char* p, Timestamp& out);
/// RFC 3339 `full-date`, a real date: `YYYY-MM-DD`.
std::optional<Date> parseDate(std::string_view s);
/// ISO 8601 duration as JSON Schema's `duration` format writes it:
/// `P[nY][nM][nW][nD][T[nH][nM][n[.f]S]]` with at least one part; weeks
/// alone. Years are 365 days and months 30 days when converted.
std::optional<Duration> parseIsoDuration(std::string_view s);

std::string formatTimestamp(Timestamp t);  // 2026-11-24T10:00:00.5Z (fraction only if any)
std::string formatDate(Date d);            // 2026-11-24
/// The same texts written into `buf` (at least kFormattedTimeSize bytes, no
/// terminating NUL); returns their length. For serializers that append.
inline constexpr size_t kFormattedTimeSize = 64;
size_t formatTimestampTo(Timestamp t, char* buf);
size_t formatDateTo(Date d, char* buf);
std::string formatIsoDuration(Duration d);  // PT5M, P1DT2H, PT0.25S

/// Days since the epoch of a proleptic Gregorian date (no validation).
int64_t daysFromCivil(int64_t y, unsigned m, unsigned d);
bool isRealDate(int64_t y, unsigned m, unsigned d);

// ---------------------------------------------------------------- identifiers and bytes

struct Uuid {
  uint8_t bytes[16] = {};
  friend bool operator==(const Uuid& a, const Uuid& b);
  friend bool operator<(const Uuid& a, const Uuid& b);
};
/// Canonical 8-4-4-4-12 hex, either case.
std::optional<Uuid> parseUuid(std::string_view s);
std::string formatUuid(const Uuid& u);  // lower case

// ---------------------------------------------------------------- types written as text

/// The format of a type whose JSON form is a string (a timestamp, a uuid...):
/// what a reader of it wants (`kWord`: "expected a uuid string, found a
/// number"), the violation of a string that is not one (`kNotA`), its seed in
/// the stream hash (stream_fields.h keeps the other kinds' seeds apart), its
/// value as 64-bit words for that hash (its bytes), and its parser.
template <typename T, const char* Word, const char* NotA, std::optional<T> (*Parse)(std::string_view), uint64_t Seed>
struct TextFormatOf {
  static constexpr const char* kWord = Word;
  static constexpr const char* kNotA = NotA;
  static constexpr uint64_t kHashSeed = Seed;
  static std::optional<T> parse(std::string_view s) { return Parse(s); }
  static std::array<uint64_t, (sizeof(T) + 7) / 8> words(const T& v) {
    std::array<uint64_t, (sizeof(T) + 7) / 8> w{};
    std::memcpy(w.data(), &v, sizeof v);
    return w;
  }
};
namespace text {
inline constexpr char kTimestamp[] = "a timestamp string", kNotTimestamp[] = "not an RFC 3339 timestamp with an offset";
inline constexpr char kDate[] = "a date string", kNotDate[] = "not a date (YYYY-MM-DD)";
inline constexpr char kDuration[] = "a duration string", kNotDuration[] = "not an ISO 8601 duration (like PT5M)";
inline constexpr char kUuid[] = "a uuid string", kNotUuid[] = "not a uuid (8-4-4-4-12 hex digits)";
}  // namespace text
struct DateFormat : TextFormatOf<Date, text::kDate, text::kNotDate, parseDate, 7> {
  // The days as an int64, sign and all (as the stream hash always had them).
  static std::array<uint64_t, 1> words(Date d) { return {static_cast<uint64_t>(int64_t{d.days})}; }
};

/// The types written as text, each with its format: a declaration, never
/// defined, that overload resolution finds. A new such type is a line here
/// (and its parser): the reader (readText in json_read.h), comparison and
/// equality (expr.h) and the stream hash take any type that has one.
TextFormatOf<Timestamp, text::kTimestamp, text::kNotTimestamp, parseTimestamp, 6> textFormat(Timestamp*);
DateFormat textFormat(Date*);
TextFormatOf<Duration, text::kDuration, text::kNotDuration, parseIsoDuration, 8> textFormat(Duration*);
TextFormatOf<Uuid, text::kUuid, text::kNotUuid, parseUuid, 9> textFormat(Uuid*);

template <typename T>
using TextFormat = decltype(textFormat(static_cast<T*>(nullptr)));
template <typename T, typename = void>
inline constexpr bool kWrittenAsText = false;
template <typename T>
inline constexpr bool kWrittenAsText<T, std::void_t<TextFormat<T>>> = true;

/// RFC 4648 base64 with padding (the standard alphabet), as a JSON Schema
/// `contentEncoding: base64` value.
std::optional<std::string> decodeBase64(std::string_view s);
std::string encodeBase64(std::string_view bytes);
/// The format of `bytes` on the JSON wire, for the readers of both
/// evaluators. Not a textFormat() overload: its value is a std::string,
/// which is not written as base64 in general.
namespace text {
inline constexpr char kBase64[] = "a base64 string", kNotBase64[] = "not base64 (RFC 4648, padded)";
}  // namespace text
struct Base64Format {
  static constexpr const char* kWord = text::kBase64;
  static constexpr const char* kNotA = text::kNotBase64;
  static std::optional<std::string> parse(std::string_view s) { return decodeBase64(s); }
};

// ---------------------------------------------------------------- string predicates

bool isEmail(std::string_view s);         // the `email` format of JSON Schema (RFC 5321 mailbox, ASCII)
bool isUri(std::string_view s);           // an absolute URI (RFC 3986 scheme ":" ...)
bool isUriReference(std::string_view s);  // a URI or relative reference (RFC 3986 URI-reference)
bool isUriTemplate(std::string_view s);   // an RFC 6570 URI Template
bool isHostname(std::string_view s);      // RFC 1123 host name
bool isIpv4(std::string_view s);          // dotted quad, no leading zeros
bool isIpv6(std::string_view s);          // RFC 4291 text forms
/// ASCII case mapping (other characters are kept): `lower`/`upper`.
std::string asciiLower(std::string_view s);
std::string asciiUpper(std::string_view s);

}  // namespace meshrt
