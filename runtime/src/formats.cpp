// formats.cpp: the JSON wire formats of the Mesh language.
#include "meshrt/formats.h"

#include <re2/re2.h>

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>

namespace meshrt {
namespace {

bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isHex(char c) { return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
int hexValue(char c) {
  if (isDigit(c)) return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return c - 'A' + 10;
}

// Reads exactly `n` digits at `s[i]` into `out`.
bool digits(std::string_view s, size_t i, size_t n, int& out) {
  if (i + n > s.size()) return false;
  out = 0;
  for (size_t k = 0; k < n; ++k) {
    if (!isDigit(s[i + k])) return false;
    out = out * 10 + (s[i + k] - '0');
  }
  return true;
}

}  // namespace

// ---------------------------------------------------------------- numbers

bool isJsonNumber(std::string_view s) {
  size_t i = 0, n = s.size();
  if (i < n && s[i] == '-') ++i;
  if (i >= n) return false;
  if (s[i] == '0') {
    ++i;
  } else if (s[i] >= '1' && s[i] <= '9') {
    while (i < n && isDigit(s[i])) ++i;
  } else {
    return false;
  }
  if (i < n && s[i] == '.') {
    ++i;
    size_t start = i;
    while (i < n && isDigit(s[i])) ++i;
    if (i == start) return false;
  }
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    size_t start = i;
    while (i < n && isDigit(s[i])) ++i;
    if (i == start) return false;
  }
  return i == n;
}

std::optional<int64_t> parseJsonInteger(std::string_view s) {
  if (!isJsonNumber(s)) return std::nullopt;
  if (s.find_first_of(".eE") != std::string_view::npos) return std::nullopt;
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

std::optional<double> parseJsonDouble(std::string_view s) {
  if (!isJsonNumber(s)) return std::nullopt;
  // from_chars rounds exactly as strtod does; it reports underflow and
  // overflow as out of range, which strtod below tells apart.
  double fast = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), fast);
  if (ec == std::errc() && ptr == s.data() + s.size()) return fast;
  std::string text(s);
  errno = 0;
  char* end = nullptr;
  double v = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size()) return std::nullopt;
  if (std::isinf(v)) return std::nullopt;
  return v;  // underflow to 0 or a subnormal is fine: JSON has no such limit
}

bool fitsFloat32(double v) {
  return std::isfinite(v) && std::fabs(v) <= static_cast<double>(std::numeric_limits<float>::max());
}

// ---------------------------------------------------------------- UTF-8

bool isValidUtf8(std::string_view s) {
  size_t i = 0, n = s.size();
  while (i < n) {
    unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return false;
    }
    if (i + len > n) return false;
    unsigned char c1 = s[i + 1];
    if (c1 < lo || c1 > hi) return false;
    for (size_t k = 2; k < len; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    i += len;
  }
  return true;
}

int64_t codePointLength(std::string_view s) {
  int64_t count = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++count;
  return count;
}

// ---------------------------------------------------------------- time

int64_t daysFromCivil(int64_t y, unsigned m, unsigned d) {
  // Howard Hinnant's days_from_civil.
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

namespace {
void civilFromDays(int64_t z, int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
}
}  // namespace

bool isRealDate(int64_t y, unsigned m, unsigned d) {
  if (m < 1 || m > 12 || d < 1) return false;
  static const unsigned days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  unsigned max = days[m - 1];
  if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) max = 29;
  return d <= max;
}

std::optional<Date> parseDate(std::string_view s) {
  int y, m, d;
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  if (!digits(s, 0, 4, y) || !digits(s, 5, 2, m) || !digits(s, 8, 2, d)) return std::nullopt;
  if (y < 1 || !isRealDate(y, m, d)) return std::nullopt;
  return Date{static_cast<int32_t>(daysFromCivil(y, m, d))};
}

bool parseUtcSecondsTimestamp(const char* s, Timestamp& out) {
  if (!((s[19] == 'Z' || s[19] == 'z') && s[4] == '-' && s[7] == '-' && (s[10] == 'T' || s[10] == 't') &&
        s[13] == ':' && s[16] == ':'))
    return false;
  unsigned bad = 0;
  auto d = [&](size_t i) {
    unsigned v = static_cast<unsigned>(static_cast<unsigned char>(s[i])) - '0';
    bad |= v > 9;
    return v;
  };
  unsigned y = d(0) * 1000 + d(1) * 100 + d(2) * 10 + d(3), mo = d(5) * 10 + d(6), dd = d(8) * 10 + d(9);
  unsigned hh = d(11) * 10 + d(12), mi = d(14) * 10 + d(15), ss = d(17) * 10 + d(18);
  if (bad || y < 1 || hh > 23 || mi > 59 || ss > 59 || !isRealDate(y, mo, dd)) return false;
  int64_t seconds = daysFromCivil(y, mo, dd) * 86400 + static_cast<int64_t>(hh * 3600 + mi * 60 + ss);
  out = Timestamp{seconds * 1000000};
  return true;
}

std::optional<Timestamp> parseTimestamp(std::string_view s) {
  // The common form in one straight pass; anything else (offsets, fractions,
  // a leap second, any error) takes the general path below, which gives the
  // same answer for this form too.
  Timestamp common;
  if (s.size() == 20 && parseUtcSecondsTimestamp(s.data(), common)) return common;
  if (s.size() < 20) return std::nullopt;
  auto date = parseDate(s.substr(0, 10));
  if (!date) return std::nullopt;
  if (s[10] != 'T' && s[10] != 't') return std::nullopt;
  int hh, mm, ss;
  if (!digits(s, 11, 2, hh) || s[13] != ':' || !digits(s, 14, 2, mm) || s[16] != ':' || !digits(s, 17, 2, ss))
    return std::nullopt;
  if (hh > 23 || mm > 59 || ss > 60) return std::nullopt;
  size_t i = 19;
  int64_t fracMicros = 0;
  if (i < s.size() && s[i] == '.') {
    ++i;
    size_t start = i;
    int scale = 100000;
    while (i < s.size() && isDigit(s[i])) {
      if (scale > 0) {
        fracMicros += (s[i] - '0') * scale;
        scale /= 10;
      }
      ++i;
    }
    if (i == start) return std::nullopt;
  }
  if (i >= s.size()) return std::nullopt;
  int offsetMinutes = 0;
  if (s[i] == 'Z' || s[i] == 'z') {
    ++i;
  } else if (s[i] == '+' || s[i] == '-') {
    int oh, om;
    if (!digits(s, i + 1, 2, oh) || i + 3 >= s.size() || s[i + 3] != ':' || !digits(s, i + 4, 2, om))
      return std::nullopt;
    if (oh > 23 || om > 59) return std::nullopt;
    offsetMinutes = (oh * 60 + om) * (s[i] == '-' ? -1 : 1);
    i += 6;
  } else {
    return std::nullopt;
  }
  if (i != s.size()) return std::nullopt;
  int64_t localSeconds = static_cast<int64_t>(date->days) * 86400 + hh * 3600 + mm * 60;
  int64_t utcMinuteSeconds = localSeconds - offsetMinutes * 60;
  if (ss == 60) {
    // A leap second is only ever inserted at the end of a UTC day.
    int64_t secondOfDay = ((utcMinuteSeconds % 86400) + 86400) % 86400;
    if (secondOfDay != 23 * 3600 + 59 * 60) return std::nullopt;
    return Timestamp{(utcMinuteSeconds + 59) * 1000000 + 999999};
  }
  return Timestamp{(utcMinuteSeconds + ss) * 1000000 + fracMicros};
}

namespace {
// Two digits of n (0..99) at p.
void twoDigits(char* p, unsigned n) {
  p[0] = static_cast<char>('0' + n / 10);
  p[1] = static_cast<char>('0' + n % 10);
}
}  // namespace

size_t formatDateTo(Date d, char* buf) {
  int64_t y;
  unsigned m, day;
  civilFromDays(d.days, y, m, day);
  if (y < 0 || y > 9999)  // outside RFC 3339's years: the general form
    return static_cast<size_t>(
        std::snprintf(buf, kFormattedTimeSize, "%04lld-%02u-%02u", static_cast<long long>(y), m, day));
  twoDigits(buf, static_cast<unsigned>(y / 100));
  twoDigits(buf + 2, static_cast<unsigned>(y % 100));
  buf[4] = '-';
  twoDigits(buf + 5, m);
  buf[7] = '-';
  twoDigits(buf + 8, day);
  return 10;
}

std::string formatDate(Date d) {
  char buf[kFormattedTimeSize];
  return std::string(buf, formatDateTo(d, buf));
}

size_t formatTimestampTo(Timestamp t, char* buf) {
  // Floor division by remainders: negating t.micros overflowed for the
  // smallest values (found by the UBSan build, tools/test-sanitized.sh).
  int64_t seconds = t.micros / 1000000;
  int64_t micros = t.micros % 1000000;
  if (micros < 0) {
    micros += 1000000;
    --seconds;
  }
  int64_t days = seconds / 86400;
  int64_t secondOfDay = seconds % 86400;
  if (secondOfDay < 0) {
    secondOfDay += 86400;
    --days;
  }
  auto sod = static_cast<unsigned>(secondOfDay);
  size_t n = formatDateTo(Date{static_cast<int32_t>(days)}, buf);
  buf[n] = 'T';
  twoDigits(buf + n + 1, sod / 3600);
  buf[n + 3] = ':';
  twoDigits(buf + n + 4, sod / 60 % 60);
  buf[n + 6] = ':';
  twoDigits(buf + n + 7, sod % 60);
  n += 9;
  if (micros) {  // the fraction without its trailing zeros
    buf[n++] = '.';
    auto f = static_cast<unsigned>(micros);
    for (unsigned scale = 100000; scale > 0 && f; scale /= 10) {
      buf[n++] = static_cast<char>('0' + f / scale);
      f %= scale;
    }
  }
  buf[n++] = 'Z';
  return n;
}

std::string formatTimestamp(Timestamp t) {
  char buf[kFormattedTimeSize];
  return std::string(buf, formatTimestampTo(t, buf));
}

std::optional<Duration> parseIsoDuration(std::string_view s) {
  if (s.size() < 3 || s[0] != 'P') return std::nullopt;
  size_t i = 1;
  bool inTime = false, any = false, weeks = false, other = false;
  // Units must appear in order; track the last one seen.
  const char* dateUnits = "YMWD";
  const char* timeUnits = "HMS";
  int lastDate = -1, lastTime = -1;
  __int128 total = 0;
  while (i < s.size()) {
    if (s[i] == 'T') {
      if (inTime) return std::nullopt;
      inTime = true;
      ++i;
      if (i >= s.size()) return std::nullopt;  // "PT" alone
      continue;
    }
    size_t start = i;
    while (i < s.size() && isDigit(s[i])) ++i;
    if (i == start) return std::nullopt;
    // Leading zeros are fine; a value past int64 is out of range.
    int64_t value = 0;
    for (size_t k = start; k < i; ++k) {
      if (value > (std::numeric_limits<int64_t>::max() - 9) / 10) return std::nullopt;
      value = value * 10 + (s[k] - '0');
    }
    int64_t fracMicros = 0;
    bool fraction = false;
    if (i < s.size() && (s[i] == '.' || s[i] == ',')) {
      fraction = true;
      ++i;
      size_t fs = i;
      int scale = 100000;
      while (i < s.size() && isDigit(s[i])) {
        if (scale) {
          fracMicros += (s[i] - '0') * scale;
          scale /= 10;
        }
        ++i;
      }
      if (i == fs) return std::nullopt;
    }
    if (i >= s.size()) return std::nullopt;
    char unit = s[i++];
    if (!inTime) {
      const char* p = std::strchr(dateUnits, unit);
      if (!p || fraction) return std::nullopt;
      int idx = static_cast<int>(p - dateUnits);
      if (idx <= lastDate) return std::nullopt;
      lastDate = idx;
      static const int64_t days[] = {365, 30, 7, 1};
      total += static_cast<__int128>(value) * days[idx] * 86400 * 1000000;
      if (unit == 'W')
        weeks = true;
      else
        other = true;
    } else {
      const char* p = std::strchr(timeUnits, unit);
      if (!p) return std::nullopt;
      int idx = static_cast<int>(p - timeUnits);
      if (idx <= lastTime || (fraction && unit != 'S')) return std::nullopt;
      lastTime = idx;
      static const int64_t seconds[] = {3600, 60, 1};
      total += static_cast<__int128>(value) * seconds[idx] * 1000000 + fracMicros;
      other = true;
    }
    any = true;
    if (total > std::numeric_limits<int64_t>::max()) return std::nullopt;
  }
  if (!any || (weeks && other)) return std::nullopt;
  if (inTime && lastTime < 0) return std::nullopt;
  return Duration{static_cast<int64_t>(total)};
}

std::string formatIsoDuration(Duration d) {
  int64_t us = d.micros;
  std::string out = us < 0 ? "-P" : "P";
  if (us < 0) us = -us;
  int64_t days = us / (86400LL * 1000000);
  us -= days * 86400LL * 1000000;
  if (days) out += std::to_string(days) + "D";
  if (us || !days) {
    out += "T";
    int64_t h = us / 3600000000LL;
    us -= h * 3600000000LL;
    int64_t m = us / 60000000LL;
    us -= m * 60000000LL;
    if (h) out += std::to_string(h) + "H";
    if (m) out += std::to_string(m) + "M";
    if (us || (!h && !m)) {
      out += std::to_string(us / 1000000);
      if (us % 1000000) {
        char buf[16];
        std::snprintf(buf, sizeof buf, ".%06lld", static_cast<long long>(us % 1000000));
        std::string frac = buf;
        while (frac.back() == '0') frac.pop_back();
        out += frac;
      }
      out += "S";
    }
  }
  return out;
}

// ---------------------------------------------------------------- uuid and base64

bool operator==(const Uuid& a, const Uuid& b) { return std::memcmp(a.bytes, b.bytes, 16) == 0; }
bool operator<(const Uuid& a, const Uuid& b) { return std::memcmp(a.bytes, b.bytes, 16) < 0; }

std::optional<Uuid> parseUuid(std::string_view s) {
  if (s.size() != 36) return std::nullopt;
  Uuid u;
  size_t b = 0;
  for (size_t i = 0; i < 36;) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (s[i] != '-') return std::nullopt;
      ++i;
      continue;
    }
    if (!isHex(s[i]) || !isHex(s[i + 1])) return std::nullopt;
    u.bytes[b++] = static_cast<uint8_t>(hexValue(s[i]) * 16 + hexValue(s[i + 1]));
    i += 2;
  }
  return u;
}

std::string formatUuid(const Uuid& u) {
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += hex[u.bytes[i] >> 4];
    out += hex[u.bytes[i] & 15];
  }
  return out;
}

std::optional<std::string> decodeBase64(std::string_view s) {
  if (s.size() % 4 != 0) return std::nullopt;
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  std::string out;
  out.reserve(s.size() / 4 * 3);
  for (size_t i = 0; i < s.size(); i += 4) {
    int v[4];
    int pad = 0;
    for (int k = 0; k < 4; ++k) {
      char c = s[i + k];
      if (c == '=') {
        // Padding only at the very end, in the last one or two places.
        if (i + 4 != s.size() || k < 2) return std::nullopt;
        v[k] = 0;
        ++pad;
      } else {
        if (pad) return std::nullopt;
        v[k] = value(c);
        if (v[k] < 0) return std::nullopt;
      }
    }
    uint32_t n = (v[0] << 18) | (v[1] << 12) | (v[2] << 6) | v[3];
    out += static_cast<char>(n >> 16);
    if (pad < 2) out += static_cast<char>((n >> 8) & 0xFF);
    if (pad < 1) out += static_cast<char>(n & 0xFF);
    // Canonical form: the bits dropped by padding must be zero.
    if (pad == 1 && (v[2] & 0x3)) return std::nullopt;
    if (pad == 2 && (v[1] & 0xF)) return std::nullopt;
  }
  return out;
}

std::string encodeBase64(std::string_view bytes) {
  static const char* table = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    uint32_t n = (static_cast<uint8_t>(bytes[i]) << 16) | (static_cast<uint8_t>(bytes[i + 1]) << 8) |
                 static_cast<uint8_t>(bytes[i + 2]);
    out += table[n >> 18];
    out += table[(n >> 12) & 63];
    out += table[(n >> 6) & 63];
    out += table[n & 63];
  }
  if (i < bytes.size()) {
    uint32_t n = static_cast<uint8_t>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) n |= static_cast<uint8_t>(bytes[i + 1]) << 8;
    out += table[n >> 18];
    out += table[(n >> 12) & 63];
    out += i + 1 < bytes.size() ? table[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

// ---------------------------------------------------------------- string predicates

bool isHostname(std::string_view s) {
  // RFC 1123: at most 253 characters, not counting a trailing dot.
  if (!s.empty() && s.back() == '.') s.remove_suffix(1);
  if (s.empty() || s.size() > 253) return false;
  size_t start = 0;
  while (true) {
    size_t dot = s.find('.', start);
    std::string_view label = s.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (label.empty() || label.size() > 63) return false;
    if (label.front() == '-' || label.back() == '-') return false;
    for (char c : label)
      if (!(isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-')) return false;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return true;
}

bool isIpv4(std::string_view s) {
  int parts = 0;
  size_t i = 0;
  while (true) {
    size_t start = i;
    int value = 0;
    while (i < s.size() && isDigit(s[i]) && i - start < 3) value = value * 10 + (s[i++] - '0');
    size_t len = i - start;
    if (len == 0 || value > 255 || (len > 1 && s[start] == '0')) return false;
    ++parts;
    if (i == s.size()) break;
    if (s[i] != '.' || parts == 4) return false;
    ++i;
  }
  return parts == 4;
}

bool isIpv6(std::string_view s) {
  if (s.size() < 2 || s.size() > 45) return false;
  // An embedded IPv4 tail counts as two groups.
  int groups = 0;
  bool compressed = false;
  size_t i = 0;
  if (s.substr(0, 2) == "::") {
    compressed = true;
    i = 2;
    if (i == s.size()) return true;
  } else if (s[0] == ':') {
    return false;
  }
  while (i < s.size()) {
    size_t start = i;
    while (i < s.size() && isHex(s[i]) && i - start < 5) ++i;
    size_t len = i - start;
    if (i < s.size() && s[i] == '.') {
      // IPv4 tail: the rest of the string.
      if (!isIpv4(s.substr(start))) return false;
      groups += 2;
      i = s.size();
      break;
    }
    if (len == 0 || len > 4) return false;
    ++groups;
    if (i == s.size()) break;
    if (s[i] != ':') return false;
    ++i;
    if (i < s.size() && s[i] == ':') {
      if (compressed) return false;
      compressed = true;
      ++i;
      if (i == s.size()) break;
    } else if (i == s.size()) {
      return false;  // trailing single ':'
    }
  }
  return compressed ? groups < 8 : groups == 8;
}

bool isEmail(std::string_view s) {
  // The `email` format as JSON Schema validators read it (ajv-formats, full
  // mode): a dot-atom local part and a dotted host name with at least two
  // labels, ASCII, case-insensitive. No quoted local parts, no address
  // literals, no length limits: what the schema export says, meshc checks.
  static const re2::RE2 re(
      "(?i)^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\\.)+"
      "[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$");
  return RE2::FullMatch(re2::StringPiece(s.data(), s.size()), re);
}

bool isUri(std::string_view s) {
  // scheme ":" hier-part, with only characters RFC 3986 allows (and
  // percent-encodings well formed).
  if (s.empty() || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z'))) return false;
  size_t colon = s.find(':');
  if (colon == std::string_view::npos) return false;
  for (size_t i = 1; i < colon; ++i) {
    char c = s[i];
    if (!(isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '+' || c == '-' || c == '.'))
      return false;
  }
  static const char* allowed = "-._~:/?#[]@!$&'()*+,;=";
  for (size_t i = colon + 1; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%') {
      if (i + 2 >= s.size() || !isHex(s[i + 1]) || !isHex(s[i + 2])) return false;
      i += 2;
      continue;
    }
    if (!(isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c && std::strchr(allowed, c))))
      return false;
  }
  return true;
}

bool isUriReference(std::string_view s) {
  // RFC 3986 URI-reference: a URI or a relative reference. ajv-formats'
  // `uri-reference` (full mode) with its case-insensitive flag spelled out
  // (RE2's (?i) also folds 'ſ' and the Kelvin sign into ASCII letters, which
  // JavaScript's does not) and without the '"' it lets into paths, queries
  // and fragments, which RFC 3986 does not; the JSON Schema export adds a
  // pattern refusing '"' to the format (docs/validation.md).
  static const re2::RE2 re(
      R"re(^(?:[a-zA-Z][a-zA-Z0-9+\-.]*:)?(?:/?/(?:(?:[a-zA-Z0-9\-._~!$&'()*+,;=:]|%[0-9a-fA-F]{2})*@)?(?:\[(?:)re"
      R"re((?:(?:(?:[0-9a-fA-F]{1,4}:){6}|::(?:[0-9a-fA-F]{1,4}:){5}|(?:[0-9a-fA-F]{1,4})?::(?:[0-9a-fA-F]{1,4})re"
      R"re(:){4}|(?:(?:[0-9a-fA-F]{1,4}:){0,1}[0-9a-fA-F]{1,4})?::(?:[0-9a-fA-F]{1,4}:){3}|(?:(?:[0-9a-fA-F]{1,)re"
      R"re(4}:){0,2}[0-9a-fA-F]{1,4})?::(?:[0-9a-fA-F]{1,4}:){2}|(?:(?:[0-9a-fA-F]{1,4}:){0,3}[0-9a-fA-F]{1,4}))re"
      R"re(?::[0-9a-fA-F]{1,4}:|(?:(?:[0-9a-fA-F]{1,4}:){0,4}[0-9a-fA-F]{1,4})?::)(?:[0-9a-fA-F]{1,4}:[0-9a-fA-)re"
      R"re(F]{1,4}|(?:(?:25[0-5]|2[0-4]\d|[01]?\d\d?)\.){3}(?:25[0-5]|2[0-4]\d|[01]?\d\d?))|(?:(?:[0-9a-fA-F]{1)re"
      R"re(,4}:){0,5}[0-9a-fA-F]{1,4})?::[0-9a-fA-F]{1,4}|(?:(?:[0-9a-fA-F]{1,4}:){0,6}[0-9a-fA-F]{1,4})?::)|[V)re"
      R"re(v][0-9a-fA-F]+\.[a-zA-Z0-9\-._~!$&'()*+,;=:]+)\]|(?:(?:25[0-5]|2[0-4]\d|[01]?\d\d?)\.){3}(?:25[0-5]|)re"
      R"re(2[0-4]\d|[01]?\d\d?)|(?:[a-zA-Z0-9\-._~!$&'()*+,;=]|%[0-9a-fA-F]{2})*)(?::\d*)?(?:/(?:[a-zA-Z0-9\-._)re"
      R"re(~!$&'()*+,;=:@]|%[0-9a-fA-F]{2})*)*|/(?:(?:[a-zA-Z0-9\-._~!$&'()*+,;=:@]|%[0-9a-fA-F]{2})+(?:/(?:[a-)re"
      R"re(zA-Z0-9\-._~!$&'()*+,;=:@]|%[0-9a-fA-F]{2})*)*)?|(?:[a-zA-Z0-9\-._~!$&'()*+,;=:@]|%[0-9a-fA-F]{2})+()re"
      R"re(?:/(?:[a-zA-Z0-9\-._~!$&'()*+,;=:@]|%[0-9a-fA-F]{2})*)*)?(?:\?(?:[a-zA-Z0-9\-._~!$&'()*+,;=:@/?]|%[0)re"
      R"re(-9a-fA-F]{2})*)?(?:#(?:[a-zA-Z0-9\-._~!$&'()*+,;=:@/?]|%[0-9a-fA-F]{2})*)?$)re");
  return RE2::FullMatch(re2::StringPiece(s.data(), s.size()), re);
}

bool isUriTemplate(std::string_view s) {
  // RFC 6570 URI Template, as ajv-formats' `uri-template` reads it (the same
  // verdicts: docs/validation.md says where that differs from the RFC).
  static const re2::RE2 re(
      R"re(^(?:(?:[^\x00-\x20"'<>%\\^`{|}]|%[0-9a-fA-F]{2})|\{[+#./;?&=,!@|]?(?:[a-zA-Z0-9_]|%[0-9a-fA-F]{2})+()re"
      R"re(?::[1-9][0-9]{0,3}|\*)?(?:,(?:[a-zA-Z0-9_]|%[0-9a-fA-F]{2})+(?::[1-9][0-9]{0,3}|\*)?)*\})*$)re");
  return RE2::FullMatch(re2::StringPiece(s.data(), s.size()), re);
}

std::string asciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string asciiUpper(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return out;
}

}  // namespace meshrt
