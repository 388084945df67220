// kafka_client.h: the one place a librdkafka client is made (the gate, the
// producer and consumer of generated code, mesh-devkafka): its settings
// applied, librdkafka's error text kept, and the handle owned; and what the
// gate's consume loop does with a client (inline, for bench/runtime's
// passthrough, which measures that loop without the gate, too).
#pragma once

#include <librdkafka/rdkafka.h>

#include <cstdio>
#include <functional>
#include <map>
#include <string>
#include <utility>

namespace meshrt {

/// librdkafka properties, by name.
using KafkaSettings = std::map<std::string, std::string>;

/// Owns an rd_kafka_t (destroyed with the object), or holds why it could not
/// be made. Move-only.
class KafkaClient {
 public:
  KafkaClient() = default;
  ~KafkaClient() { reset(); }
  KafkaClient(KafkaClient&& other) noexcept;
  KafkaClient& operator=(KafkaClient&& other) noexcept;
  KafkaClient(const KafkaClient&) = delete;
  KafkaClient& operator=(const KafkaClient&) = delete;

  rd_kafka_t* get() const { return rk_; }
  explicit operator bool() const { return rk_ != nullptr; }
  /// Destroys the handle now (rd_kafka_destroy), if there is one.
  void reset();
  /// Hands the handle over to the caller, who destroys it.
  rd_kafka_t* release() { return std::exchange(rk_, nullptr); }

  /// When there is no handle: librdkafka's words, and the property it refused
  /// ("" when it refused to make the client itself).
  const std::string& error() const { return error_; }
  const std::string& refusedSetting() const { return refusedSetting_; }

 private:
  friend KafkaClient makeClient(rd_kafka_type_t, const KafkaSettings&, const std::function<void(rd_kafka_conf_t*)>&);
  rd_kafka_t* rk_ = nullptr;
  std::string error_, refusedSetting_;
};

/// A client of `type` with `settings`; `configure`, when given, adds what is
/// not a property (callbacks, their opaque) to the configuration before the
/// client is made. On failure the client is empty and says why.
KafkaClient makeClient(rd_kafka_type_t type, const KafkaSettings& settings,
                       const std::function<void(rd_kafka_conf_t*)>& configure = {});

/// True when `m`, out of rd_kafka_consumer_poll, is an event rather than a
/// message: it is then destroyed, and written to stderr as
/// `program: consumer: ...` unless it only marks the end of a partition.
inline bool skipConsumerEvent(rd_kafka_message_t* m, const char* program) {
  if (!m->err) return false;
  if (m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF)
    std::fprintf(stderr, "%s: consumer: %s\n", program, rd_kafka_message_errstr(m));
  rd_kafka_message_destroy(m);
  return true;
}

/// The consumer's positions (the offset after the last message handed to the
/// gate) on every assigned partition that has one, taken now: what the gate
/// has handled so far; the caller destroys the list. A commit with a null
/// list would read the offsets when librdkafka's group thread gets to it, by
/// then possibly past messages the gate has polled for the next batch but not
/// yet produced: a gate killed then would lose them (seen in
/// tests/integration/scaleout_test.py).
inline rd_kafka_topic_partition_list_t* handledPositions(rd_kafka_t* consumer) {
  rd_kafka_topic_partition_list_t* assigned = nullptr;
  if (rd_kafka_assignment(consumer, &assigned) != RD_KAFKA_RESP_ERR_NO_ERROR || !assigned)
    return rd_kafka_topic_partition_list_new(0);
  rd_kafka_position(consumer, assigned);
  rd_kafka_topic_partition_list_t* positions = rd_kafka_topic_partition_list_new(assigned->cnt);
  for (int i = 0; i < assigned->cnt; ++i)
    if (assigned->elems[i].offset >= 0)
      rd_kafka_topic_partition_list_add(positions, assigned->elems[i].topic, assigned->elems[i].partition)->offset =
          assigned->elems[i].offset;
  rd_kafka_topic_partition_list_destroy(assigned);
  return positions;
}

/// Why librdkafka refuses the property `name` = `value`, or "" when it takes it.
std::string settingError(const std::string& name, const std::string& value);

}  // namespace meshrt
