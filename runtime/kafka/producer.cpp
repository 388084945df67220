// producer.cpp: meshrt::KafkaProducer on librdkafka.
#include <librdkafka/rdkafka.h>

#include <stdexcept>

#include "kafka_client.h"
#include "meshrt/kafka.h"

namespace meshrt {

KafkaProducer::KafkaProducer(const std::string& bootstrap, const std::map<std::string, std::string>& config) {
  KafkaSettings all = {{"bootstrap.servers", bootstrap}, {"enable.idempotence", "true"}};
  for (const auto& [k, v] : config) all[k] = v;
  KafkaClient client = makeClient(RD_KAFKA_PRODUCER, all, [this](rd_kafka_conf_t* conf) {
    rd_kafka_conf_set_opaque(conf, this);
    rd_kafka_conf_set_dr_msg_cb(
        conf, [](rd_kafka_t* rk, const rd_kafka_message_t* m, void* opaque) { onDelivery(rk, m, opaque); });
  });
  if (!client) throw std::runtime_error("kafka producer: " + client.error());
  rk_ = client.release();
}

KafkaProducer::~KafkaProducer() {
  if (!rk_) return;
  rd_kafka_flush(rk_, 10000);
  rd_kafka_destroy(rk_);
}

void KafkaProducer::onDelivery(rd_kafka_s*, const void* message, void* opaque) {
  auto* self = static_cast<KafkaProducer*>(opaque);
  const auto* m = static_cast<const rd_kafka_message_t*>(message);
  if (m->err)
    ++self->failed_;
  else
    ++self->delivered_;
}

bool KafkaProducer::produce(const std::string& topic, std::string_view key, std::string_view value,
                            const Headers& headers, std::string& error) {
  rd_kafka_headers_t* hdrs = rd_kafka_headers_new(headers.size());
  for (const auto& [name, v] : headers) rd_kafka_header_add(hdrs, name.data(), name.size(), v.data(), v.size());
  rd_kafka_resp_err_t err;
  while (true) {
    err = rd_kafka_producev(rk_, RD_KAFKA_V_TOPIC(topic.c_str()),
                            RD_KAFKA_V_KEY(const_cast<char*>(key.data()), key.size()),
                            RD_KAFKA_V_VALUE(const_cast<char*>(value.data()), value.size()),
                            RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_HEADERS(hdrs), RD_KAFKA_V_END);
    if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL) break;
    rd_kafka_poll(rk_, 100);  // back-pressure: wait for deliveries, then retry
  }
  if (err) {
    rd_kafka_headers_destroy(hdrs);  // not taken over on failure
    error = rd_kafka_err2str(err);
    return false;
  }
  rd_kafka_poll(rk_, 0);
  return true;
}

bool KafkaProducer::flush(int timeoutMs) { return rd_kafka_flush(rk_, timeoutMs) == RD_KAFKA_RESP_ERR_NO_ERROR; }

}  // namespace meshrt
