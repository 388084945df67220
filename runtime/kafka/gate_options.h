// gate_options.h: mesh-gate's command line (docs/gate.md), read and checked
// against the products the gate was built with, and the librdkafka settings
// of its clients.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "kafka_client.h"
#include "meshrt/kafka.h"
#include "stream_checks.h"

namespace meshrt {

struct GateOptions {
  std::string product, bootstrap, input, output, dlq, group, maskFor;
  bool masking = false;  // --mask-for given, even as "" (an unset variable must not mean unmasked)
  bool transactional = false;
  int metricsPort = 0;
  int batch = 500;
  StreamSettings stream;
  KafkaSettings kafka;  // -X KEY=VALUE: librdkafka properties of both clients
};

/// The products, masks and stream rules a generated gate is built with.
struct GateTables {
  const ValidateTarget* targets;
  size_t count;
  const MaskTarget* masks;
  size_t maskCount;
  const ProductRules* products;
  size_t productCount;
};

/// What --product and --mask-for select from the tables.
struct GateTargets {
  const ValidateTarget* target = nullptr;
  const MaskTarget* mask = nullptr;     // with --mask-for
  const ProductRules* rules = nullptr;  // when the product has quality rules or an SLA
};

/// Reads the command line into `options` and `targets`. Returns the exit
/// status when the gate must not run (0 after --help; 2 after a problem,
/// reported on stderr with the usage), nullopt when it may.
std::optional<int> readOptions(int argc, char** argv, const GateTables& tables, GateOptions& options,
                               GateTargets& targets);

/// The settings of the gate's consumer and of its producers: the gate's own,
/// then every -X property (librdkafka ignores, with a warning below our log
/// level, one that is for the other kind of client).
KafkaSettings consumerSettings(const GateOptions& options);
KafkaSettings producerSettings(const GateOptions& options);

}  // namespace meshrt
