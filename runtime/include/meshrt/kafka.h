// meshrt/kafka.h: the Kafka side of meshrt (library meshrt_kafka, on
// librdkafka): the producer the generated per-product producers publish
// through. Kept apart from meshrt so validators need no Kafka client.
//
// C++17: generated code includes this header.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

struct rd_kafka_s;

namespace meshrt {

/// A librdkafka producer with idempotence on by default and delivery
/// reports counted. Thread-safe for produce().
class KafkaProducer {
 public:
  /// `bootstrap` as `host:port,...`; `config` adds or overrides librdkafka
  /// properties. Throws std::runtime_error when the client cannot be made.
  explicit KafkaProducer(const std::string& bootstrap, const std::map<std::string, std::string>& config = {});
  ~KafkaProducer();
  KafkaProducer(const KafkaProducer&) = delete;
  KafkaProducer& operator=(const KafkaProducer&) = delete;

  using Headers = std::vector<std::pair<std::string, std::string>>;
  /// Enqueues one message; false (and `error`) when librdkafka refuses it.
  bool produce(const std::string& topic, std::string_view key, std::string_view value, const Headers& headers,
               std::string& error);
  /// Waits until every enqueued message is delivered or failed; false on timeout.
  bool flush(int timeoutMs = 30000);

  uint64_t delivered() const { return delivered_; }
  uint64_t failed() const { return failed_; }

 private:
  static void onDelivery(rd_kafka_s*, const void* message, void* opaque);
  rd_kafka_s* rk_ = nullptr;
  std::atomic<uint64_t> delivered_{0}, failed_{0};
};

/// One message as read from Kafka.
struct KafkaMessage {
  std::string topic;
  int32_t partition = 0;
  int64_t offset = 0;
  int64_t timestampMs = 0;  // the Kafka timestamp (0 when the message has none)
  bool hasKey = false;
  std::string key, value;
  std::vector<std::pair<std::string, std::string>> headers;
  /// The value of the first header called `name`, or nullptr.
  const std::string* header(std::string_view name) const;
};

/// A librdkafka consumer-group member with auto-commit off: commit() stores
/// the offsets of what poll() returned, so a crash before it re-reads them
/// (at-least-once). Not thread-safe: one thread polls.
class KafkaConsumer {
 public:
  /// Joins `group` and subscribes to `topics`; `config` adds or overrides
  /// librdkafka properties (the default start is the earliest offset).
  /// Throws std::runtime_error when the client cannot be made.
  KafkaConsumer(const std::string& bootstrap, const std::string& group, const std::vector<std::string>& topics,
                const std::map<std::string, std::string>& config = {});
  ~KafkaConsumer();  // leaves the group (close())
  KafkaConsumer(const KafkaConsumer&) = delete;
  KafkaConsumer& operator=(const KafkaConsumer&) = delete;

  /// The next message: true and `out` filled, or false when none arrived
  /// within `timeoutMs` (or a consumer error, then described in `error`).
  bool poll(KafkaMessage& out, int timeoutMs = 1000, std::string* error = nullptr);
  /// Commits, synchronously, the offsets after every message poll() returned.
  bool commit(std::string* error = nullptr);
  /// Leaves the group (the partitions go to the other members). Idempotent.
  void close();

 private:
  rd_kafka_s* rk_ = nullptr;
  bool closed_ = false;
};

struct ValidateTarget;
struct Violation;
class StreamFields;

/// `--mask-for ROLE`: parses and validates one message like the product's
/// validator and, when it is valid, writes the copy ROLE may see (the
/// product's `mask` rules) as JSON into `out`. Generated per product and role
/// with mask rules.
struct MaskTarget {
  const char* product;
  const char* role;
  bool (*mask)(std::string_view json, std::string& out, std::vector<Violation>& violations, int64_t nowMicros);
};

/// One rule of a product's `quality` block, as the gate evaluates it on the
/// stream (docs/gate.md). Generated per product.
struct QualityRuleSpec {
  enum class Kind { Unique, NullRate, Volume, ValidRate } kind;
  enum class Op { Lt, Le, Gt, Ge, Eq, Ne } op;
  /// unique and null_rate: the field as a JSON Pointer ("/customer/id").
  const char* field;
  /// Rates in percent (20 for 20%), volume a count.
  double threshold;
  /// unique and volume: the window.
  int64_t windowMicros;
  /// The rule as written in the contract (metric label and log lines).
  const char* text;
};

/// What the gate checks on the stream besides each message: the product's
/// SLA freshness (0 when it declares none) and its quality rules.
struct ProductRules {
  const char* product;
  int64_t freshnessMicros;
  const QualityRuleSpec* rules;
  size_t ruleCount;
  /// Validates like the product's validator and, when the message is valid,
  /// hands over the fields of its unique and null_rate rules from the parsed
  /// value (meshrt/stream_fields.h), so the gate does not parse it again.
  /// Null when the product has no such rule; then the gate reads them itself.
  bool (*validateFields)(std::string_view json, std::vector<Violation>& violations, int64_t nowMicros,
                         StreamFields& fields) = nullptr;
};

/// The whole of `mesh-gate` (generated gates call it with their table of
/// products, masks and stream rules): see runtime/kafka/gate.cpp. Exit 0 on a
/// clean stop (SIGTERM), 1 when deliveries failed, 2 on usage or client errors.
int gateMain(int argc, char** argv, const ValidateTarget* targets, size_t count, const MaskTarget* masks = nullptr,
             size_t maskCount = 0, const ProductRules* products = nullptr, size_t productCount = 0);

/// The schema fingerprint of the `mesh-schema` header: lower-case hex
/// SHA-256 of a canonical description of the record (computed by meshc).
/// Header names every producer sets:
inline constexpr const char* kContractHeader = "mesh-contract";
inline constexpr const char* kVersionHeader = "mesh-version";
inline constexpr const char* kSchemaHeader = "mesh-schema";

}  // namespace meshrt
