// bench_main: one core, one corpus of JSON Lines in memory, four readers of
// the same bytes, timed in one run:
//   generated  sales::orders::parse (parse and validate in one pass, meshc's cpp target)
//   simdjson   On-Demand walking every value (no validation): the floor
//   nlohmann   nlohmann::json::parse alone (a DOM, no validation)
// Each reader makes ROUNDS passes (default 1) and the fastest counts.
// Prints one line per reader: messages/s and MB/s (10^6 bytes), and how many
// messages were valid (to show every reader saw the same corpus).
#include <simdjson.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sales/orders.mesh.h"

namespace {

using Clock = std::chrono::steady_clock;

struct Result {
  double seconds;
  size_t ok;
};

// The fastest of `rounds` passes over the corpus (the least disturbed by
// the rest of the machine).
template <typename F>
Result timeIt(const std::vector<std::string>& lines, int rounds, F&& f) {
  Result best{0, 0};
  for (int r = 0; r < rounds; ++r) {
    size_t ok = 0;
    auto start = Clock::now();
    for (const auto& line : lines) ok += f(line) ? 1 : 0;
    double s = std::chrono::duration<double>(Clock::now() - start).count();
    if (r == 0 || s < best.seconds) best = {s, ok};
  }
  return best;
}

// Touches every value the way a validator must, without checking anything.
size_t walk(simdjson::ondemand::value v) {
  size_t n = 0;
  switch (v.type()) {
    case simdjson::ondemand::json_type::object:
      for (auto field : v.get_object()) {
        std::string_view key = field.unescaped_key();
        n += key.size() + walk(field.value());
      }
      return n;
    case simdjson::ondemand::json_type::array:
      for (auto element : v.get_array()) n += walk(element.value());
      return n;
    case simdjson::ondemand::json_type::string: return std::string_view(v.get_string()).size();
    case simdjson::ondemand::json_type::number: return v.raw_json_token().size();
    case simdjson::ondemand::json_type::boolean: return bool(v.get_bool()) ? 1 : 0;
    case simdjson::ondemand::json_type::null: return v.is_null() ? 1 : 0;
  }
  return n;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_main CORPUS.jsonl [ROUNDS]\n");
    return 2;
  }
  int rounds = argc > 2 ? std::atoi(argv[2]) : 1;
  std::string only = argc > 3 ? argv[3] : "";  // profile one reader alone
  auto want = [&](const char* name) { return only.empty() || only == name; };
  std::ifstream in(argv[1], std::ios::binary);
  std::vector<std::string> lines;
  size_t bytes = 0;
  for (std::string line; std::getline(in, line);) {
    bytes += line.size() + 1;
    lines.push_back(std::move(line));
  }
  const int64_t now = meshrt::nowMicros();

  std::vector<meshrt::Violation> violations;
  sales::orders::OrderEvent order;
  Result generated{1, 0}, floor{1, 0}, dom{1, 0};
  if (want("generated")) generated = timeIt(lines, rounds, [&](const std::string& line) {
    violations.clear();
    return sales::orders::parse(line, order, violations, now);
  });

  simdjson::ondemand::parser parser;
  std::string padded;
  if (want("simdjson")) floor = timeIt(lines, rounds, [&](const std::string& line) {
    padded.assign(line);
    padded.append(simdjson::SIMDJSON_PADDING, '\0');
    auto doc = parser.iterate(padded.data(), line.size(), padded.size());
    if (doc.error()) return false;
    simdjson::ondemand::value root;
    if (doc.get_value().get(root)) return false;
    try {
      return walk(root) > 0;
    } catch (const simdjson::simdjson_error&) {
      return false;
    }
  });

  if (want("nlohmann")) dom = timeIt(lines, rounds, [&](const std::string& line) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    return !j.is_discarded();
  });

  auto print = [&](const char* name, const Result& r) {
    double n = static_cast<double>(lines.size());
    std::printf("%s %.0f %.1f %zu\n", name, n / r.seconds, bytes / r.seconds / 1e6, r.ok);
  };
  std::printf("# messages %zu bytes %zu\n", lines.size(), bytes);
  print("generated", generated);
  print("simdjson", floor);
  print("nlohmann", dom);
  return 0;
}
