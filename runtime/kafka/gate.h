// gate.h: mesh-gate's loop (docs/gate.md). A consumer-group member that
// validates every message of the input topic, forwards valid ones and
// dead-letters invalid ones, in batches whose input offsets are committed
// once everything they produced is acknowledged (or, --transactional, in one
// Kafka transaction with them).
#pragma once

#include <librdkafka/rdkafka.h>

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "gate_metrics.h"
#include "gate_options.h"
#include "kafka_client.h"
#include "meshrt/stream_fields.h"
#include "stream_checks.h"

namespace meshrt {

class Gate {
 public:
  /// `checks` is null when the product has no quality rules or SLA.
  Gate(const GateOptions& options, const GateTargets& targets, GateMetrics& metrics, StreamChecks* checks);
  Gate(const Gate&) = delete;
  Gate& operator=(const Gate&) = delete;

  /// Makes the clients, checks the topics and subscribes to the input:
  /// false (the reason on stderr) when the gate cannot start.
  bool start();
  /// Reads batches until SIGINT or SIGTERM, or until one fails; then leaves
  /// the group and flushes. The exit status.
  int run();

  /// Validates one message and produces it to the output, or to the
  /// dead-letter topic with its violations. False (logged) when it could not
  /// even be enqueued.
  bool handle(const rd_kafka_message_t& m);
  /// The end of a batch of `handled` messages: commits its input offsets once
  /// everything it produced is acknowledged (or commits or aborts its
  /// transaction). False when the gate must stop.
  bool finishBatch(int handled);

  /// Delivery reports of the producers: counted, the first few of a batch logged.
  struct Delivery {
    std::atomic<uint64_t> failed{0};
    std::atomic<uint64_t> logged{0};  // failures logged in this batch (the first kLogged are)
    static constexpr uint64_t kLogged = 10;
  };

 private:
  // Where a message goes: the topic, the producer, the value.
  struct Outgoing {
    const std::string* topic;
    rd_kafka_t* producer;
    const void* payload;
    size_t size;
  };
  KafkaClient makeProducer();
  int readBatch();
  bool validate(const rd_kafka_message_t& m);
  rd_kafka_resp_err_t produce(const rd_kafka_message_t& m, const Outgoing& to, rd_kafka_headers_t* headers,
                              size_t keyLength);
  void shutDown();

  const GateOptions& options_;
  const GateTargets& targets_;
  GateMetrics& metrics_;
  StreamChecks* checks_;
  Delivery delivery_;
  KafkaClient consumer_, producer_;
  // Dead letters go through a producer of their own (at-least-once): sharing
  // one made every batch's flush wait several times longer on librdkafka 2.0
  // (bench/runtime/README.md). In one transaction they must share it.
  KafkaClient dlqProducer_;
  rd_kafka_t* dlq_ = nullptr;  // dlqProducer_, or producer_ with --transactional
  int dlqPartitions_ = 1;
  size_t maxBytes_ = 0;  // the producer's message.max.bytes: what a dead letter must fit
  // The current batch.
  bool produceFailed_ = false;
  uint64_t failedBefore_ = 0;
  int status_ = 0;
  // Reused from message to message.
  std::vector<Violation> violations_;
  std::string masked_;   // the copy --mask-for forwards
  StreamFields fields_;  // what validateFields hands over
};

}  // namespace meshrt
