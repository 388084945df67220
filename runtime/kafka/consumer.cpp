// consumer.cpp: meshrt::KafkaConsumer on librdkafka.
#include <librdkafka/rdkafka.h>

#include <stdexcept>

#include "kafka_client.h"
#include "meshrt/kafka.h"

namespace meshrt {

const std::string* KafkaMessage::header(std::string_view name) const {
  for (const auto& [n, v] : headers)
    if (n == name) return &v;
  return nullptr;
}

KafkaConsumer::KafkaConsumer(const std::string& bootstrap, const std::string& group,
                             const std::vector<std::string>& topics, const std::map<std::string, std::string>& config) {
  KafkaSettings all = {{"bootstrap.servers", bootstrap},
                       {"group.id", group},
                       {"enable.auto.commit", "false"},
                       {"auto.offset.reset", "earliest"}};
  for (const auto& [k, v] : config) all[k] = v;
  KafkaClient client = makeClient(RD_KAFKA_CONSUMER, all);
  if (!client) throw std::runtime_error("kafka consumer: " + client.error());
  rk_ = client.release();
  rd_kafka_poll_set_consumer(rk_);
  rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(static_cast<int>(topics.size()));
  for (const auto& t : topics) rd_kafka_topic_partition_list_add(list, t.c_str(), RD_KAFKA_PARTITION_UA);
  rd_kafka_resp_err_t e = rd_kafka_subscribe(rk_, list);
  rd_kafka_topic_partition_list_destroy(list);
  if (e) {
    rd_kafka_destroy(rk_);
    rk_ = nullptr;
    throw std::runtime_error("kafka consumer: cannot subscribe: " + std::string(rd_kafka_err2str(e)));
  }
}

KafkaConsumer::~KafkaConsumer() {
  close();
  if (rk_) rd_kafka_destroy(rk_);
}

void KafkaConsumer::close() {
  if (closed_ || !rk_) return;
  closed_ = true;
  rd_kafka_consumer_close(rk_);
}

bool KafkaConsumer::poll(KafkaMessage& out, int timeoutMs, std::string* error) {
  if (closed_) {
    if (error) *error = "the consumer is closed";
    return false;
  }
  rd_kafka_message_t* m = rd_kafka_consumer_poll(rk_, timeoutMs);
  if (!m) return false;
  if (m->err) {
    // The end of a partition is not an error, just nothing more for now.
    if (error && m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF) *error = rd_kafka_message_errstr(m);
    rd_kafka_message_destroy(m);
    return false;
  }
  out.topic = rd_kafka_topic_name(m->rkt);
  out.partition = m->partition;
  out.offset = m->offset;
  rd_kafka_timestamp_type_t type;
  int64_t ts = rd_kafka_message_timestamp(m, &type);
  out.timestampMs = ts > 0 ? ts : 0;
  out.hasKey = m->key != nullptr;
  out.key.assign(static_cast<const char*>(m->key ? m->key : ""), m->key ? m->key_len : 0);
  out.value.assign(static_cast<const char*>(m->payload ? m->payload : ""), m->payload ? m->len : 0);
  out.headers.clear();
  rd_kafka_headers_t* headers = nullptr;
  if (rd_kafka_message_headers(m, &headers) == RD_KAFKA_RESP_ERR_NO_ERROR && headers) {
    const char* name;
    const void* value;
    size_t size;
    for (size_t i = 0; rd_kafka_header_get_all(headers, i, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR; ++i)
      out.headers.push_back({name, std::string(static_cast<const char*>(value ? value : ""), value ? size : 0)});
  }
  // librdkafka stores the offset after this message as it hands it out
  // (enable.auto.offset.store): commit() commits exactly what poll() returned.
  rd_kafka_message_destroy(m);
  return true;
}

bool KafkaConsumer::commit(std::string* error) {
  if (closed_) {
    if (error) *error = "the consumer is closed";
    return false;
  }
  rd_kafka_resp_err_t e = rd_kafka_commit(rk_, nullptr, 0);
  if (e && e != RD_KAFKA_RESP_ERR__NO_OFFSET) {
    if (error) *error = rd_kafka_err2str(e);
    return false;
  }
  return true;
}

}  // namespace meshrt
