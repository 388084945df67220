// kafka_client.h: the one place a librdkafka client is made (the gate, the
// producer and consumer of generated code, mesh-devkafka): its settings
// applied, librdkafka's error text kept, and the handle owned.
#pragma once

#include <librdkafka/rdkafka.h>

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

/// Why librdkafka refuses the property `name` = `value`, or "" when it takes it.
std::string settingError(const std::string& name, const std::string& value);

}  // namespace meshrt
