// runtime.cpp: the clock, JSON number writing and masking.
#include "meshrt/runtime.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sys/stat.h>

#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <istream>
#include <ostream>
#include <stdexcept>

namespace meshrt {

namespace {
// MESH_NOW is read once (getenv scans the environment: too slow for a call
// per published message). A value that is not a timestamp is refused, not
// ignored: a test pinning the clock must not silently run on the real one.
const std::optional<int64_t>& fixedNow() {
  static const std::optional<int64_t> fixed = []() -> std::optional<int64_t> {
    if (auto error = nowEnvironmentError()) throw std::invalid_argument(*error);
    if (const char* env = std::getenv("MESH_NOW")) return parseTimestamp(env)->micros;
    return std::nullopt;
  }();
  return fixed;
}

std::optional<std::string> maskKeyError() {
  const char* key = std::getenv("MESH_MASK_KEY");
  if (key && !*key)
    return std::string(
        "MESH_MASK_KEY is set but empty: set it to the secret key of `hash` masking (any non-empty "
        "string), or unset it");
  return std::nullopt;
}
}  // namespace

std::optional<std::string> nowEnvironmentError() {
  const char* env = std::getenv("MESH_NOW");
  if (!env || parseTimestamp(env)) return std::nullopt;
  return "MESH_NOW is '" + escapeControlCharacters(env) + "', not an RFC 3339 timestamp such as 2026-11-25T12:00:00Z";
}

std::optional<std::string> environmentError() {
  if (auto error = nowEnvironmentError()) return error;
  return maskKeyError();
}

int64_t nowMicros() {
  if (const auto& fixed = fixedNow()) return *fixed;
  return nowMicros(std::chrono::system_clock::now());
}

int64_t nowMicros(std::chrono::system_clock::time_point wall) {
  if (const auto& fixed = fixedNow()) return *fixed;
  return std::chrono::duration_cast<std::chrono::microseconds>(wall.time_since_epoch()).count();
}

namespace {
// std::getline with a bound: reads one line without its "\n" into `line`,
// false at the end of the input. A line longer than kMaxMessageLine is read
// only that far (`tooLong`), the rest left in the stream.
bool readMessageLine(std::istream& in, std::string& line, bool& tooLong) {
  char chunk[1 << 16];
  line.clear();
  tooLong = false;
  for (;;) {
    in.getline(chunk, sizeof chunk);
    auto got = static_cast<size_t>(in.gcount());
    if (in.good()) {  // the "\n" was read (and counted)
      line.append(chunk, got - 1);
      break;
    }
    if (in.eof()) {
      line.append(chunk, got);
      if (line.empty() && got == 0) return false;
      break;
    }
    if (in.bad() || got + 1 != sizeof chunk) return false;
    line.append(chunk, got);  // the chunk is full: the line goes on
    in.clear();
    if (line.size() > kMaxMessageLine) {
      tooLong = true;
      break;
    }
  }
  tooLong = tooLong || line.size() > kMaxMessageLine;
  return true;
}

std::string lineLimit() {
  return std::to_string(kMaxMessageLine >> 20) + " MiB (" + std::to_string(kMaxMessageLine) + " bytes)";
}
}  // namespace

int validateJsonLines(std::istream& in, std::ostream& out,
                      const std::function<void(std::string_view, std::vector<Violation>&, int64_t)>& validate,
                      std::string_view tool) {
  std::string line, buffer;
  std::vector<Violation> violations;
  uint64_t number = 0;
  bool allValid = true, tooLong = false;
  while (!tooLong && readMessageLine(in, line, tooLong)) {
    ++number;
    violations.clear();
    if (tooLong) {
      violations.push_back({"$", Rule::Parse, msg::lineTooLong(lineLimit())});
    } else {
      validate(line, violations, nowMicros());
    }
    allValid = allValid && violations.empty();
    appendResultLine(buffer, number, violations);
    if (buffer.size() > (1 << 16)) {
      out << buffer;
      buffer.clear();
    }
  }
  out << buffer;
  out.flush();
  if (tooLong) std::cerr << tool << ": line " << number << " is longer than " << lineLimit() << ": stopped reading\n";
  if (in.bad()) return 2;
  return allValid ? 0 : 1;
}

int validateMain(int argc, char** argv, const ValidateTarget* targets, size_t count) {
  if (auto error = environmentError()) {
    std::fprintf(stderr, "mesh-validate: %s\n", error->c_str());
    return 2;
  }
  const char* product = nullptr;
  const char* input = "-";
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--product") == 0 && i + 1 < argc) {
      product = argv[++i];
    } else if (std::strncmp(argv[i], "--product=", 10) == 0) {
      product = argv[i] + 10;
    } else if (std::strcmp(argv[i], "--help") == 0) {
      std::puts("usage: mesh-validate --product NAME [FILE|-]");
      return 0;
    } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
      std::fprintf(stderr, "mesh-validate: unknown option '%s'\n", escapeControlCharacters(argv[i]).c_str());
      return 2;
    } else {
      input = argv[i];
    }
  }
  if (!product) {
    std::fputs("mesh-validate: --product NAME is required\n", stderr);
    return 2;
  }
  const ValidateTarget* target = nullptr;
  for (size_t i = 0; i < count; ++i)
    if (std::strcmp(targets[i].name, product) == 0) target = &targets[i];
  if (!target) {
    std::fprintf(stderr, "mesh-validate: no product or record '%s' in the build\n",
                 escapeControlCharacters(product).c_str());
    return 2;
  }
  std::ifstream file;
  std::istream* in = &std::cin;
  if (std::strcmp(input, "-") != 0) {
    struct stat st {};
    if (::stat(input, &st) == 0 && S_ISDIR(st.st_mode)) {
      std::fprintf(stderr, "mesh-validate: '%s' is a directory: mesh-validate reads JSON Lines from a FILE or '-'\n",
                   escapeControlCharacters(input).c_str());
      return 2;
    }
    file.open(input, std::ios::binary);
    if (!file) {
      std::fprintf(stderr, "mesh-validate: cannot read '%s'\n", escapeControlCharacters(input).c_str());
      return 2;
    }
    in = &file;
  }
  std::ios::sync_with_stdio(false);
  int status = validateJsonLines(*in, std::cout, target->validate, "mesh-validate");
  if (status == 2) std::fprintf(stderr, "mesh-validate: error reading '%s'\n", escapeControlCharacters(input).c_str());
  return status;
}

void writeNumber(std::string& out, int64_t v) {
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

void writeNumber(std::string& out, double v) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

std::string maskHash(std::string_view value) {
  if (auto error = maskKeyError()) throw std::invalid_argument(*error);
  const char* key = std::getenv("MESH_MASK_KEY");
  std::string k = key ? key : "";
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), k.data(), static_cast<int>(k.size()), reinterpret_cast<const unsigned char*>(value.data()),
       value.size(), digest, &length);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < length; ++i) {
    out += hex[digest[i] >> 4];
    out += hex[digest[i] & 15];
  }
  return out;
}

std::string maskRedact(std::string_view) { return "***"; }
Json maskRedact(const Json&) { return Json{JsonKind::String, "\"***\""}; }

std::string maskLast(std::string_view value, int64_t keep) {
  int64_t total = codePointLength(value);
  std::string out;
  int64_t index = 0;
  for (size_t i = 0; i < value.size();) {
    unsigned char c = value[i];
    size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (index < total - keep)
      out += '*';
    else
      out.append(value.data() + i, std::min(len, value.size() - i));
    i += len;
    ++index;
  }
  return out;
}

}  // namespace meshrt
