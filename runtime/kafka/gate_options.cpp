// gate_options.cpp: mesh-gate's command line.
#include "gate_options.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <utility>

#include "meshrt/report.h"
#include "meshrt/runtime.h"

namespace meshrt {
namespace {

int usage(const std::string& why) {
  std::fprintf(stderr,
               "mesh-gate: %s\nusage: mesh-gate --product NAME --bootstrap HOSTS --input TOPIC --output TOPIC "
               "--dlq TOPIC --group ID [--metrics-port N] [--mask-for ROLE] [--transactional] [--rate-window SECONDS] "
               "[--min-sample N] [--unique-capacity N] [-X KEY=VALUE]...\n",
               escapeControlCharacters(why).c_str());
  return 2;
}

void printHelp() {
  std::puts(
      "usage: mesh-gate --product NAME --bootstrap HOSTS --input TOPIC --output TOPIC --dlq TOPIC --group ID "
      "[--metrics-port N] [--mask-for ROLE] [--transactional] [--rate-window SECONDS] [--min-sample N] "
      "[--unique-capacity N] [-X KEY=VALUE]...\n"
      "  --transactional: exactly-once (outputs and input offsets in one Kafka transaction per batch; "
      "transactional.id defaults to mesh-gate.GROUP.PRODUCT.HOSTNAME, -X transactional.id=... to choose)\n"
      "  -X sets a librdkafka property of both the consumer and the producer (security.protocol, "
      "sasl.*, session.timeout.ms, ...)");
}

// The options that take a text, and where it goes.
constexpr std::pair<const char*, std::string GateOptions::*> kTextOptions[] = {
    {"--product", &GateOptions::product}, {"--bootstrap", &GateOptions::bootstrap},
    {"--input", &GateOptions::input},     {"--output", &GateOptions::output},
    {"--dlq", &GateOptions::dlq},         {"--group", &GateOptions::group},
    {"--mask-for", &GateOptions::maskFor}};

// The arguments one by one into `o`; an exit status when they say not to run.
std::optional<int> parseArguments(int argc, char** argv, GateOptions& o) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    const char* v = i + 1 < argc ? argv[i + 1] : nullptr;
    auto take = [&](std::string& out) {
      if (!v) return false;
      out = v;
      ++i;
      return true;
    };
    bool ok = true;
    const auto* named = std::find_if(std::begin(kTextOptions), std::end(kTextOptions),
                                     [&](const auto& option) { return arg == option.first; });
    if (named != std::end(kTextOptions)) {
      ok = take(o.*named->second);
      if (named->second == &GateOptions::maskFor) o.masking = ok;
    } else if (arg == "--transactional") {
      o.transactional = true;
    } else if (arg == "--metrics-port") {
      std::string port;
      ok = take(port) && (o.metricsPort = std::atoi(port.c_str())) > 0;
    } else if (arg == "--rate-window" || arg == "--min-sample" || arg == "--unique-capacity") {
      std::string text;
      char* end = nullptr;
      long long n = take(text) ? std::strtoll(text.c_str(), &end, 10) : 0;
      if (!end || *end || n <= 0) return usage((arg + " takes a whole number above zero").c_str());
      if (arg == "--rate-window")
        o.stream.rateWindowMicros = n * 1000000;
      else if (arg == "--min-sample")
        o.stream.minSample = static_cast<uint64_t>(n);
      else
        o.stream.uniqueCapacity = static_cast<size_t>(n);
    } else if (arg == "-X") {
      std::string kv;
      size_t eq = take(kv) ? kv.find('=') : std::string::npos;
      if (eq == std::string::npos || eq == 0) return usage("-X takes KEY=VALUE (a librdkafka property)");
      o.kafka[kv.substr(0, eq)] = kv.substr(eq + 1);
    } else if (arg == "--help") {
      printHelp();
      return 0;
    } else {
      return usage(("unknown argument '" + arg + "'").c_str());
    }
    if (!ok) return usage(("missing value for " + arg).c_str());
  }
  return std::nullopt;
}

// --mask-for ROLE forwards the copy ROLE may see. A role the product has no
// mask rules for is refused rather than served unmasked: a misspelt role
// must not leak PII.
std::optional<int> findMask(const GateOptions& o, const GateTables& tables, GateTargets& targets) {
  std::string roles;
  for (size_t i = 0; i < tables.maskCount; ++i) {
    if (o.product != tables.masks[i].product) continue;
    if (o.maskFor == tables.masks[i].role) targets.mask = &tables.masks[i];
    roles += roles.empty() ? "" : ", ";
    roles += tables.masks[i].role;
  }
  if (targets.mask) return std::nullopt;
  return usage(("product '" + o.product + "' has no mask rules for role '" + o.maskFor + "'" +
                (roles.empty() ? std::string(" (it masks nothing)") : " (roles with mask rules: " + roles + ")"))
                   .c_str());
}

}  // namespace

std::optional<int> readOptions(int argc, char** argv, const GateTables& tables, GateOptions& o, GateTargets& targets) {
  if (auto status = parseArguments(argc, argv, o)) return status;
  if (o.product.empty() || o.bootstrap.empty() || o.input.empty() || o.output.empty() || o.dlq.empty() ||
      o.group.empty())
    return usage("--product, --bootstrap, --input, --output, --dlq and --group are required");
  for (size_t i = 0; i < tables.count; ++i)
    if (o.product == tables.targets[i].name) targets.target = &tables.targets[i];
  if (!targets.target) return usage(("no product or record '" + o.product + "' in this build").c_str());
  if (o.masking)
    if (auto status = findMask(o, tables, targets)) return status;
  for (size_t i = 0; i < tables.productCount; ++i)
    if (o.product == tables.products[i].product) targets.rules = &tables.products[i];
  // A name or value librdkafka does not know is refused here, before connecting.
  for (const auto& [k, v] : o.kafka)
    if (std::string problem = settingError(k, v); !problem.empty())
      return usage(("-X " + k + "=" + v + ": " + problem).c_str());
  return std::nullopt;
}

KafkaSettings consumerSettings(const GateOptions& o) {
  KafkaSettings settings = {{"bootstrap.servers", o.bootstrap},
                            {"group.id", o.group},
                            {"enable.auto.commit", "false"},
                            {"auto.offset.reset", "earliest"},
                            {"log_level", "3"}};
  for (const auto& [k, v] : o.kafka) settings[k] = v;
  return settings;
}

KafkaSettings producerSettings(const GateOptions& o) {
  KafkaSettings settings = {{"bootstrap.servers", o.bootstrap}, {"enable.idempotence", "true"}, {"log_level", "3"}};
  for (const auto& [k, v] : o.kafka) settings[k] = v;
  if (o.transactional && !settings.count("transactional.id")) {
    // Stable across restarts of the same instance (a restart fences its
    // predecessor and aborts what it left open), distinct between hosts.
    char host[256] = "localhost";
    gethostname(host, sizeof host - 1);
    settings["transactional.id"] = "mesh-gate." + o.group + "." + o.product + "." + host;
  }
  return settings;
}

}  // namespace meshrt
