// read_orders BOOTSTRAP GROUP COUNT [--no-commit] [--idle S] [-X KEY=VALUE]...: reads
// COUNT messages of sales.orders.placed.v1 through the generated typed
// consumer, as a member of GROUP (-X sets librdkafka properties, as kcat's). Prints one line per message ("valid ORD-7 partition 3" or "invalid
// KEY: RULE at PATH"), then "received N invalid M", and commits what it read
// unless --no-commit. Gives up after S seconds without a message (default 30;
// exit 1).
// tests/integration/producer_test.py drives it.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>

#include "sales/orders.mesh.h"

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: read_orders BOOTSTRAP GROUP COUNT [--no-commit] [--idle S] [-X KEY=VALUE]...\n");
    return 2;
  }
  long count = std::atol(argv[3]);
  bool commit = true;
  int idleLimit = 30;
  std::map<std::string, std::string> config;
  for (int i = 4; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--no-commit") {
      commit = false;
    } else if (arg == "--idle" && i + 1 < argc && std::atoi(argv[i + 1]) > 0) {
      idleLimit = std::atoi(argv[++i]);
    } else if (arg == "-X" && i + 1 < argc && std::strchr(argv[i + 1], '=')) {
      std::string kv = argv[++i];
      config[kv.substr(0, kv.find('='))] = kv.substr(kv.find('=') + 1);
    } else {
      std::fprintf(stderr, "read_orders: unknown argument '%s'\n", argv[i]);
      return 2;
    }
  }
  sales::orders::orders_placed_consumer consumer(argv[1], argv[2], sales::orders::orders_placed_consumer::kTopic,
                                                 config);
  sales::orders::orders_placed_consumer::Message message;
  int idle = 0;
  for (long read = 0; read < count;) {
    std::string error;
    if (!consumer.poll(message, 1000, &error)) {
      if (!error.empty()) std::fprintf(stderr, "read_orders: %s\n", error.c_str());
      if (++idle >= idleLimit) {
        std::fprintf(stderr, "read_orders: no message for %d s after %ld\n", idleLimit, read);
        return 1;
      }
      continue;
    }
    idle = 0;
    ++read;
    if (message.valid()) {
      // The typed value: fields, not JSON.
      std::printf("valid %s partition %d items %zu\n", message.value.order_id.c_str(), message.raw.partition,
                  message.value.items.size());
    } else {
      const meshrt::Violation& v = message.violations.front();
      std::printf("invalid %s: %s at %s\n", message.raw.key.c_str(), meshrt::ruleName(v.rule), v.path.c_str());
    }
  }
  std::string error;
  if (commit && !consumer.commit(&error)) {
    std::fprintf(stderr, "read_orders: commit: %s\n", error.c_str());
    return 1;
  }
  std::printf("received %llu invalid %llu\n", static_cast<unsigned long long>(consumer.received()),
              static_cast<unsigned long long>(consumer.invalid()));
  return 0;
}
