// kafka_client.cpp: meshrt::makeClient and the handle it returns.
#include "kafka_client.h"

#include <memory>
#include <utility>

namespace meshrt {

KafkaClient::KafkaClient(KafkaClient&& other) noexcept
    : rk_(std::exchange(other.rk_, nullptr)),
      error_(std::move(other.error_)),
      refusedSetting_(std::move(other.refusedSetting_)) {}

KafkaClient& KafkaClient::operator=(KafkaClient&& other) noexcept {
  if (this != &other) {
    reset();
    rk_ = std::exchange(other.rk_, nullptr);
    error_ = std::move(other.error_);
    refusedSetting_ = std::move(other.refusedSetting_);
  }
  return *this;
}

void KafkaClient::reset() {
  if (rk_) rd_kafka_destroy(std::exchange(rk_, nullptr));
}

KafkaClient makeClient(rd_kafka_type_t type, const KafkaSettings& settings,
                       const std::function<void(rd_kafka_conf_t*)>& configure) {
  KafkaClient client;
  char err[512];
  // The configuration is the client's once rd_kafka_new succeeds; until then, ours.
  std::unique_ptr<rd_kafka_conf_t, void (*)(rd_kafka_conf_t*)> conf(rd_kafka_conf_new(), rd_kafka_conf_destroy);
  for (const auto& [name, value] : settings)
    if (rd_kafka_conf_set(conf.get(), name.c_str(), value.c_str(), err, sizeof err) != RD_KAFKA_CONF_OK) {
      client.error_ = err;
      client.refusedSetting_ = name;
      return client;
    }
  if (configure) configure(conf.get());
  client.rk_ = rd_kafka_new(type, conf.get(), err, sizeof err);
  if (client.rk_)
    conf.release();
  else
    client.error_ = err;
  return client;
}

std::string settingError(const std::string& name, const std::string& value) {
  char problem[512];
  rd_kafka_conf_t* probe = rd_kafka_conf_new();
  bool known = rd_kafka_conf_set(probe, name.c_str(), value.c_str(), problem, sizeof problem) == RD_KAFKA_CONF_OK;
  rd_kafka_conf_destroy(probe);
  return known ? "" : problem;
}

}  // namespace meshrt
