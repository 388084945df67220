// passthrough: the baseline mesh-gate is measured against. A plain
// consumer-group member that forwards every input message, unread, to one
// output topic (key, headers and partition kept), with mesh-gate's loop and
// client settings (runtime/kafka/gate.cpp): batches of up to 500 messages,
// flush, then an asynchronous commit of the batch's offsets. What the gate does
// beyond this (parse and validate, route to the dead-letter topic with the
// violations, metrics) is what the benchmark's ratio prices.
//
// usage: passthrough --bootstrap HOSTS --input TOPIC --output TOPIC --group ID
// Exit 0 on SIGTERM or SIGINT, 1 when a delivery failed, 2 on usage or client
// errors.
#include <librdkafka/rdkafka.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>

#include "kafka_client.h"  // runtime/kafka: the gate's consume loop, inline

namespace {

std::atomic<bool> stopping{false};
void onSignal(int) { stopping = true; }

constexpr int kBatch = 500;  // mesh-gate's batch

int usage(const char* why) {
  std::fprintf(stderr,
               "passthrough: %s\nusage: passthrough --bootstrap HOSTS --input TOPIC --output TOPIC --group ID\n", why);
  return 2;
}

rd_kafka_conf_t* makeConf(const std::map<std::string, std::string>& settings) {
  char err[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  for (const auto& [k, v] : settings)
    if (rd_kafka_conf_set(conf, k.c_str(), v.c_str(), err, sizeof err) != RD_KAFKA_CONF_OK) {
      std::fprintf(stderr, "passthrough: %s\n", err);
      rd_kafka_conf_destroy(conf);
      return nullptr;
    }
  return conf;
}

std::atomic<uint64_t> failed{0};

}  // namespace

int main(int argc, char** argv) {
  std::string bootstrap, input, output, group;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (i + 1 >= argc) return usage(("missing value for " + arg).c_str());
    std::string value = argv[++i];
    if (arg == "--bootstrap")
      bootstrap = value;
    else if (arg == "--input")
      input = value;
    else if (arg == "--output")
      output = value;
    else if (arg == "--group")
      group = value;
    else
      return usage(("unknown argument '" + arg + "'").c_str());
  }
  if (bootstrap.empty() || input.empty() || output.empty() || group.empty())
    return usage("--bootstrap, --input, --output and --group are required");

  char err[512];
  // The gate's consumer and producer settings, word for word.
  rd_kafka_conf_t* cconf = makeConf({{"bootstrap.servers", bootstrap},
                                     {"group.id", group},
                                     {"enable.auto.commit", "false"},
                                     {"auto.offset.reset", "earliest"},
                                     {"log_level", "3"}});
  if (!cconf) return 2;
  rd_kafka_t* consumer = rd_kafka_new(RD_KAFKA_CONSUMER, cconf, err, sizeof err);
  if (!consumer) {
    std::fprintf(stderr, "passthrough: %s\n", err);
    return 2;
  }
  rd_kafka_conf_t* pconf =
      makeConf({{"bootstrap.servers", bootstrap}, {"enable.idempotence", "true"}, {"log_level", "3"}});
  if (!pconf) return 2;
  rd_kafka_conf_set_dr_msg_cb(pconf, [](rd_kafka_t*, const rd_kafka_message_t* m, void*) {
    if (m->err) ++failed;
  });
  rd_kafka_t* producer = rd_kafka_new(RD_KAFKA_PRODUCER, pconf, err, sizeof err);
  if (!producer) {
    std::fprintf(stderr, "passthrough: %s\n", err);
    rd_kafka_destroy(consumer);
    return 2;
  }
  rd_kafka_poll_set_consumer(consumer);
  rd_kafka_topic_partition_list_t* topics = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(topics, input.c_str(), RD_KAFKA_PARTITION_UA);
  rd_kafka_resp_err_t e = rd_kafka_subscribe(consumer, topics);
  rd_kafka_topic_partition_list_destroy(topics);
  if (e) {
    std::fprintf(stderr, "passthrough: cannot subscribe to '%s': %s\n", input.c_str(), rd_kafka_err2str(e));
    return 2;
  }
  std::signal(SIGINT, onSignal);
  std::signal(SIGTERM, onSignal);
  std::fprintf(stderr, "passthrough: %s -> %s, group %s\n", input.c_str(), output.c_str(), group.c_str());

  int status = 0;
  while (!stopping) {
    int handled = 0;
    while (handled < kBatch && !stopping) {
      rd_kafka_message_t* m = rd_kafka_consumer_poll(consumer, handled ? 0 : 200);
      if (!m) break;
      if (meshrt::skipConsumerEvent(m, "passthrough")) continue;
      rd_kafka_headers_t* headers = nullptr;
      rd_kafka_message_headers(m, &headers);
      rd_kafka_headers_t* out = headers ? rd_kafka_headers_copy(headers) : nullptr;
      rd_kafka_resp_err_t pe;
      while ((pe = rd_kafka_producev(producer, RD_KAFKA_V_TOPIC(output.c_str()), RD_KAFKA_V_PARTITION(m->partition),
                                     RD_KAFKA_V_KEY(m->key, m->key_len), RD_KAFKA_V_VALUE(m->payload, m->len),
                                     RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_HEADERS(out),
                                     RD_KAFKA_V_END)) == RD_KAFKA_RESP_ERR__QUEUE_FULL)
        rd_kafka_poll(producer, 100);
      if (pe) {
        if (out) rd_kafka_headers_destroy(out);
        std::fprintf(stderr, "passthrough: cannot produce to '%s': %s\n", output.c_str(), rd_kafka_err2str(pe));
        status = 1;
        stopping = true;
      }
      rd_kafka_message_destroy(m);
      ++handled;
    }
    if (handled == 0) continue;
    uint64_t failedBefore = failed;
    if (rd_kafka_flush(producer, 60000) != RD_KAFKA_RESP_ERR_NO_ERROR || failed != failedBefore) {
      std::fprintf(stderr, "passthrough: deliveries failed; stopping without committing\n");
      status = 1;
      break;
    }
    // Asynchronous, as mesh-gate commits: the positions taken now (a null
    // list would be read later, possibly past the next batch's messages).
    rd_kafka_topic_partition_list_t* positions = meshrt::handledPositions(consumer);
    if (positions->cnt) rd_kafka_commit(consumer, positions, 1);
    rd_kafka_topic_partition_list_destroy(positions);
  }
  rd_kafka_consumer_close(consumer);
  rd_kafka_destroy(consumer);
  rd_kafka_flush(producer, 10000);
  rd_kafka_destroy(producer);
  return status;
}
