// mesh-devkafka [--brokers N] [--bootstrap-file FILE] [--topic NAME:PARTITIONS]...
// An embedded Kafka cluster for development and tests: librdkafka's mock
// cluster, which speaks the real Kafka wire protocol on loopback, in one
// process. Prints its bootstrap address (and writes it to FILE), then runs
// until SIGINT or SIGTERM.
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

namespace {

std::atomic<bool> stop{false};
void onSignal(int) { stop = true; }

int usage(const char* why) {
  std::fprintf(stderr, "mesh-devkafka: %s\nusage: mesh-devkafka [--brokers N] [--bootstrap-file FILE] "
                       "[--topic NAME:PARTITIONS]...\n", why);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  int brokers = 1;
  std::string bootstrapFile;
  std::vector<std::pair<std::string, int>> topics;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    if (arg == "--brokers") {
      const char* v = value();
      if (!v || (brokers = std::atoi(v)) < 1 || brokers > 32) return usage("--brokers takes 1 to 32");
    } else if (arg == "--bootstrap-file") {
      const char* v = value();
      if (!v) return usage("--bootstrap-file takes a path");
      bootstrapFile = v;
    } else if (arg == "--topic") {
      const char* v = value();
      std::string spec = v ? v : "";
      size_t colon = spec.rfind(':');
      int partitions = colon == std::string::npos ? 1 : std::atoi(spec.c_str() + colon + 1);
      if (spec.empty() || partitions < 1) return usage("--topic takes NAME or NAME:PARTITIONS");
      topics.push_back({spec.substr(0, colon), partitions});
    } else if (arg == "--help") {
      std::puts("usage: mesh-devkafka [--brokers N] [--bootstrap-file FILE] [--topic NAME:PARTITIONS]...");
      return 0;
    } else {
      return usage(("unknown argument '" + arg + "'").c_str());
    }
  }

  char err[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  if (rd_kafka_conf_set(conf, "test.mock.num.brokers", std::to_string(brokers).c_str(), err, sizeof err) !=
      RD_KAFKA_CONF_OK) {
    std::fprintf(stderr, "mesh-devkafka: %s\n", err);
    return 2;
  }
  // The handle only hosts the mock cluster and never sends anything: its own
  // connection chatter (and the disconnects at shutdown) is not worth a log.
  rd_kafka_conf_set(conf, "log_level", "2", err, sizeof err);
  rd_kafka_conf_set(conf, "log.connection.close", "false", err, sizeof err);
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
  if (!rk) {
    std::fprintf(stderr, "mesh-devkafka: cannot start the mock cluster: %s\n", err);
    return 2;
  }
  rd_kafka_mock_cluster_t* cluster = rd_kafka_handle_mock_cluster(rk);
  if (!cluster) {
    std::fprintf(stderr, "mesh-devkafka: this librdkafka has no mock cluster\n");
    rd_kafka_destroy(rk);
    return 2;
  }
  for (const auto& [name, partitions] : topics) {
    rd_kafka_resp_err_t e = rd_kafka_mock_topic_create(cluster, name.c_str(), partitions, std::min(brokers, 3));
    if (e) {
      std::fprintf(stderr, "mesh-devkafka: cannot create topic '%s': %s\n", name.c_str(), rd_kafka_err2str(e));
      rd_kafka_destroy(rk);
      return 2;
    }
  }
  std::string bootstrap = rd_kafka_mock_cluster_bootstraps(cluster);
  if (!bootstrapFile.empty()) {
    // Written whole, then renamed: a reader never sees half an address.
    std::string tmp = bootstrapFile + ".tmp";
    std::ofstream(tmp) << bootstrap << "\n";
    if (std::rename(tmp.c_str(), bootstrapFile.c_str()) != 0) {
      std::fprintf(stderr, "mesh-devkafka: cannot write '%s'\n", bootstrapFile.c_str());
      rd_kafka_destroy(rk);
      return 2;
    }
  }
  std::printf("%s\n", bootstrap.c_str());
  std::fflush(stdout);

  std::signal(SIGINT, onSignal);
  std::signal(SIGTERM, onSignal);
  while (!stop) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  rd_kafka_destroy(rk);
  return 0;
}
