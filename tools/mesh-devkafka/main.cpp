// mesh-devkafka [--brokers N] [--bootstrap-file FILE] [--topic NAME:PARTITIONS]... [--debug CONTEXTS]
//               [--registry-port PORT]
// An embedded Kafka cluster for development and tests: librdkafka's mock
// cluster, which speaks the real Kafka wire protocol on loopback, in one
// process. Prints its bootstrap address as the first line of stdout (and
// writes it to FILE), then runs until SIGINT or SIGTERM. --registry-port
// also serves a schema registry (Confluent's REST API, in memory:
// docs/registry.md) on 127.0.0.1:PORT (0: a free port) and prints its URL
// as the second line. --debug logs
// librdkafka's debug CONTEXTS (e.g. "mock": the cluster's own view, such as
// consumer group rebalances) to stderr.
//
// Control channel: after startup it reads commands from stdin, one a line,
// and injects faults into the running cluster. Each command gets exactly one
// reply line on stdout: "ok ..." or "error: ...". A command it does not know
// or cannot parse gets an error line and changes nothing. When stdin ends
// (or is /dev/null, or a terminal it may not read from) the cluster keeps
// running until SIGINT or SIGTERM, as before.
//
//   help                               list the commands
//   ping                               replies "ok pong"
//   broker-down ID                     disconnect broker ID and refuse new connections (-1: all);
//                                      its partitions keep it as leader, so they are unreachable
//   broker-up ID                       accept connections again (-1: all)
//   rtt ID MS                          delay broker ID's responses by MS milliseconds (-1: all)
//   errors API COUNT ERR [ERR...]      the next COUNT requests of API, to any broker, fail with
//                                      the ERRs in turn (rd_kafka_mock_push_request_errors)
//   broker-errors ID API COUNT ERR [ERR...]
//                                      the same on broker ID only (taken before cluster errors)
//   pending ID API                     replies "ok pending ID API N": broker ID's errors left for API
//   clear-errors API                   drop the cluster-wide errors queued for API
//   leader TOPIC PARTITION ID          move a partition's leader (-1: leaderless)
//   coordinator group|transaction KEY ID
//                                      make broker ID the coordinator of a group or transactional id
//   topic NAME[:PARTITIONS]            create a topic (replication min(brokers, 3))
//
// API is a request name (Produce, Fetch, OffsetCommit, JoinGroup, ...,
// case-insensitive) or its ApiKey number. ERR is a librdkafka error name with
// or without RD_KAFKA_RESP_ERR_ (NOT_LEADER_FOR_PARTITION, REQUEST_TIMED_OUT,
// _TRANSPORT: the broker drops the connection) or a number. Broker ids are 1..N.
#include <dlfcn.h>
#include <fcntl.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "kafka_client.h"
#include "registry/Http.h"

// A Kafka broker turns Nagle's algorithm off on every connection it accepts
// (its SocketServer sets TCP_NODELAY); librdkafka's mock cluster does not, so
// a small response written while the previous one is still unacknowledged
// waited for the client's delayed ACK: about one ProduceResponse in thirty
// took 40-47 ms instead of under one (seen with `-X debug=protocol` on
// mesh-gate). mesh-devkafka defines accept(), which the mock cluster calls
// (a symbol of the executable comes before libc's), to do what a broker does.
extern "C" int accept(int fd, sockaddr* __restrict address, socklen_t* __restrict length) {
  using Accept = int (*)(int, sockaddr*, socklen_t*);
  static const Accept real = reinterpret_cast<Accept>(dlsym(RTLD_NEXT, "accept"));
  if (!real) {
    errno = ENOSYS;
    return -1;
  }
  int connection = real(fd, address, length);
  if (connection >= 0) {
    int on = 1;
    setsockopt(connection, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);  // fails harmlessly if not TCP
  }
  return connection;
}

namespace {

std::atomic<bool> stop{false};
void onSignal(int) { stop = true; }

const char* kUsage =
    "usage: mesh-devkafka [--brokers N] [--bootstrap-file FILE] [--topic NAME:PARTITIONS]... [--debug CONTEXTS]\n"
    "                     [--registry-port PORT]";

const char* kCommands =
    "commands on stdin, one a line, each answered by one line \"ok ...\" or \"error: ...\":\n"
    "  help | ping\n"
    "  broker-down ID | broker-up ID          (ID -1: all brokers; a down broker stays leader)\n"
    "  rtt ID MS                              delay broker ID's responses\n"
    "  errors API COUNT ERR [ERR...]          next COUNT API requests (any broker) fail with the ERRs in turn\n"
    "  broker-errors ID API COUNT ERR [ERR...]  the same on one broker\n"
    "  pending ID API                         errors left on broker ID for API\n"
    "  clear-errors API                       drop the cluster-wide errors queued for API\n"
    "  leader TOPIC PARTITION ID              move a partition's leader (-1: leaderless)\n"
    "  coordinator group|transaction KEY ID   set a group's or transactional id's coordinator\n"
    "  topic NAME[:PARTITIONS]                create a topic\n"
    "API: a request name (Produce, Fetch, OffsetCommit, ...) or ApiKey number;\n"
    "ERR: a librdkafka error name (NOT_LEADER_FOR_PARTITION, REQUEST_TIMED_OUT, _TRANSPORT, ...) or number";

int usage(const char* why) {
  std::fprintf(stderr, "mesh-devkafka: %s\n%s\n", why, kUsage);
  return 2;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool parseInt(const std::string& s, long long& out) {
  if (s.empty()) return false;
  char* end = nullptr;
  errno = 0;
  out = std::strtoll(s.c_str(), &end, 10);
  return errno == 0 && end && *end == '\0';
}

struct ApiName {
  const char* name;
  int16_t key;
};
constexpr ApiName kApis[] = {
    {"Produce", 0},
    {"Fetch", 1},
    {"ListOffsets", 2},
    {"Metadata", 3},
    {"OffsetCommit", 8},
    {"OffsetFetch", 9},
    {"FindCoordinator", 10},
    {"JoinGroup", 11},
    {"Heartbeat", 12},
    {"LeaveGroup", 13},
    {"SyncGroup", 14},
    {"DescribeGroups", 15},
    {"ListGroups", 16},
    {"SaslHandshake", 17},
    {"ApiVersion", 18},
    {"ApiVersions", 18},
    {"CreateTopics", 19},
    {"DeleteTopics", 20},
    {"DeleteRecords", 21},
    {"InitProducerId", 22},
    {"OffsetForLeaderEpoch", 23},
    {"AddPartitionsToTxn", 24},
    {"AddOffsetsToTxn", 25},
    {"EndTxn", 26},
    {"TxnOffsetCommit", 28},
};

bool parseApi(const std::string& s, int16_t& key) {
  long long n;
  if (parseInt(s, n)) {
    if (n < 0 || n > 1000) return false;
    key = static_cast<int16_t>(n);
    return true;
  }
  for (const auto& a : kApis)
    if (lower(s) == lower(a.name)) {
      key = a.key;
      return true;
    }
  return false;
}

bool parseErr(const std::string& s, rd_kafka_resp_err_t& err) {
  long long n;
  if (parseInt(s, n)) {
    err = static_cast<rd_kafka_resp_err_t>(n);
    return true;
  }
  std::string name = s;
  if (lower(name).rfind("rd_kafka_resp_err_", 0) == 0) name = name.substr(18);
  const rd_kafka_err_desc* descs;
  size_t count;
  rd_kafka_get_err_descs(&descs, &count);
  for (size_t i = 0; i < count; ++i)
    if (descs[i].name && lower(name) == lower(descs[i].name)) {
      err = descs[i].code;
      return true;
    }
  return false;
}

class Control {
 public:
  Control(rd_kafka_mock_cluster_t* cluster, int brokers) : cluster_(cluster), brokers_(brokers) {}

  // One command line in, one reply line out (without the newline).
  std::string run(const std::string& line) {
    std::istringstream in(line);
    std::vector<std::string> w;
    for (std::string word; in >> word;) w.push_back(word);
    if (w.empty()) return "error: empty command (try 'help')";
    const std::string& cmd = w[0];
    std::string echo = line.substr(line.find_first_not_of(" \t"));
    while (!echo.empty() && std::isspace(static_cast<unsigned char>(echo.back()))) echo.pop_back();
    auto fail = [&](const std::string& why) { return "error: " + cmd + ": " + why; };
    auto result = [&](rd_kafka_resp_err_t e) { return e ? fail(rd_kafka_err2str(e)) : "ok " + echo; };

    if (cmd == "help")
      return "ok commands: help ping broker-down broker-up rtt errors broker-errors pending clear-errors leader "
             "coordinator topic (mesh-devkafka --help explains them)";
    if (cmd == "ping") return "ok pong";
    if (cmd == "broker-down" || cmd == "broker-up") {
      int32_t id;
      if (w.size() != 2 || !brokerId(w[1], id, true)) return fail("takes a broker id (1.." + n() + " or -1)");
      return result(cmd == "broker-down" ? rd_kafka_mock_broker_set_down(cluster_, id)
                                         : rd_kafka_mock_broker_set_up(cluster_, id));
    }
    if (cmd == "rtt") {
      int32_t id;
      long long ms;
      if (w.size() != 3 || !brokerId(w[1], id, true) || !parseInt(w[2], ms) || ms < 0 || ms > 600000)
        return fail("takes a broker id (1.." + n() + " or -1) and milliseconds (0..600000)");
      return result(rd_kafka_mock_broker_set_rtt(cluster_, id, static_cast<int>(ms)));
    }
    if (cmd == "errors" || cmd == "broker-errors") {
      bool broker = cmd == "broker-errors";
      size_t at = broker ? 2 : 1;
      int32_t id = 0;
      int16_t api;
      long long count;
      std::vector<rd_kafka_resp_err_t> codes;
      if (w.size() < at + 3) return fail(broker ? "takes ID API COUNT ERR [ERR...]" : "takes API COUNT ERR [ERR...]");
      if (broker && !brokerId(w[1], id, false)) return fail("no broker '" + w[1] + "' (1.." + n() + ")");
      if (!parseApi(w[at], api))
        return fail("unknown request type '" + w[at] + "' (a name such as Produce, or a number)");
      if (!parseInt(w[at + 1], count) || count < 1 || count > 1000000) return fail("COUNT must be 1..1000000");
      for (size_t i = at + 2; i < w.size(); ++i) {
        rd_kafka_resp_err_t e;
        if (!parseErr(w[i], e)) return fail("unknown error '" + w[i] + "' (a librdkafka error name or a number)");
        codes.push_back(e);
      }
      std::vector<rd_kafka_resp_err_t> errors;
      for (long long i = 0; i < count; ++i) errors.push_back(codes[i % codes.size()]);
      if (!broker) {
        rd_kafka_mock_push_request_errors_array(cluster_, api, errors.size(), errors.data());
        return "ok " + echo;
      }
      for (rd_kafka_resp_err_t e : errors)
        if (rd_kafka_resp_err_t r = rd_kafka_mock_broker_push_request_error_rtts(cluster_, id, api, 1, e, 0))
          return result(r);
      return "ok " + echo;
    }
    if (cmd == "pending") {
      int32_t id;
      int16_t api;
      size_t left = 0;
      if (w.size() != 3 || !brokerId(w[1], id, false) || !parseApi(w[2], api))
        return fail("takes a broker id (1.." + n() + ") and a request type");
      if (rd_kafka_resp_err_t e = rd_kafka_mock_broker_error_stack_cnt(cluster_, id, api, &left)) return result(e);
      return "ok pending " + w[1] + " " + w[2] + " " + std::to_string(left);
    }
    if (cmd == "clear-errors") {
      int16_t api;
      if (w.size() != 2 || !parseApi(w[1], api)) return fail("takes a request type");
      rd_kafka_mock_clear_request_errors(cluster_, api);
      return "ok " + echo;
    }
    if (cmd == "leader") {
      long long partition;
      int32_t id;
      if (w.size() != 4 || !parseInt(w[2], partition) || partition < 0 || !brokerId(w[3], id, true))
        return fail("takes TOPIC PARTITION BROKER (1.." + n() + " or -1)");
      return result(rd_kafka_mock_partition_set_leader(cluster_, w[1].c_str(), static_cast<int32_t>(partition), id));
    }
    if (cmd == "coordinator") {
      int32_t id;
      if (w.size() != 4 || (w[1] != "group" && w[1] != "transaction") || !brokerId(w[3], id, false))
        return fail("takes group|transaction KEY BROKER (1.." + n() + ")");
      return result(rd_kafka_mock_coordinator_set(cluster_, w[1].c_str(), w[2].c_str(), id));
    }
    if (cmd == "topic") {
      if (w.size() != 2) return fail("takes NAME or NAME:PARTITIONS");
      std::string name = w[1];
      long long partitions = 1;
      size_t colon = name.rfind(':');
      if (colon != std::string::npos) {
        if (!parseInt(name.substr(colon + 1), partitions) || partitions < 1 || partitions > 100000)
          return fail("takes NAME or NAME:PARTITIONS");
        name.resize(colon);
      }
      if (name.empty()) return fail("takes NAME or NAME:PARTITIONS");
      return result(
          rd_kafka_mock_topic_create(cluster_, name.c_str(), static_cast<int>(partitions), std::min(brokers_, 3)));
    }
    return "error: unknown command '" + cmd + "' (try 'help')";
  }

 private:
  std::string n() const { return std::to_string(brokers_); }
  bool brokerId(const std::string& s, int32_t& id, bool allowAll) const {
    long long v;
    if (!parseInt(s, v) || !((v >= 1 && v <= brokers_) || (allowAll && v == -1))) return false;
    id = static_cast<int32_t>(v);
    return true;
  }

  rd_kafka_mock_cluster_t* cluster_;
  int brokers_;
};

void reply(const std::string& line) {
  std::fputs((line + "\n").c_str(), stdout);
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  // With stdin closed, the cluster's first socket would become fd 0 and the
  // control channel would read it: hold fd 0 with /dev/null (read: EOF).
  if (::fcntl(STDIN_FILENO, F_GETFD) == -1 && errno == EBADF) {
    int fd = ::open("/dev/null", O_RDONLY);
    if (fd > STDIN_FILENO) ::close(fd);  // fd 0 was taken after all: leave it
  }
  int brokers = 1;
  std::string bootstrapFile;
  std::vector<std::pair<std::string, int>> topics;
  std::string debug;
  int registryPort = -1;
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
    } else if (arg == "--registry-port") {
      const char* v = value();
      long long port = -1;
      if (!v || !parseInt(v, port) || port < 0 || port > 65535) return usage("--registry-port takes 0 to 65535");
      registryPort = static_cast<int>(port);
    } else if (arg == "--debug") {
      const char* v = value();
      if (!v) return usage("--debug takes librdkafka debug contexts (e.g. mock)");
      debug = v;
    } else if (arg == "--help") {
      std::printf(
          "%s\n"
          "Starts a Kafka cluster of N brokers (librdkafka's mock cluster) on loopback, prints its\n"
          "bootstrap address as the first line of stdout, and runs until SIGINT or SIGTERM.\n"
          "--debug CONTEXTS logs librdkafka's debug contexts to stderr (mock: the cluster's own view).\n%s\n",
          kUsage, kCommands);
      return 0;
    } else {
      return usage(("unknown argument '" + arg + "'").c_str());
    }
  }

  // The handle only hosts the mock cluster and never sends anything: its own
  // connection chatter (and the disconnects at shutdown) is not worth a log.
  meshrt::KafkaSettings settings = {
      {"test.mock.num.brokers", std::to_string(brokers)}, {"log_level", "2"}, {"log.connection.close", "false"}};
  if (!debug.empty()) settings["debug"] = debug;
  meshrt::KafkaClient client = meshrt::makeClient(RD_KAFKA_PRODUCER, settings);
  if (!client) {
    const std::string& refused = client.refusedSetting();
    std::fprintf(stderr, "mesh-devkafka: %s%s\n",
                 refused.empty()      ? "cannot start the mock cluster: "
                 : refused == "debug" ? "--debug: "
                                      : "",
                 client.error().c_str());
    return 2;
  }
  rd_kafka_t* rk = client.get();
  rd_kafka_mock_cluster_t* cluster = rd_kafka_handle_mock_cluster(rk);
  if (!cluster) {
    std::fprintf(stderr, "mesh-devkafka: this librdkafka has no mock cluster\n");
    return 2;
  }
  for (const auto& [name, partitions] : topics) {
    rd_kafka_resp_err_t e = rd_kafka_mock_topic_create(cluster, name.c_str(), partitions, std::min(brokers, 3));
    if (e) {
      std::fprintf(stderr, "mesh-devkafka: cannot create topic '%s': %s\n", name.c_str(), rd_kafka_err2str(e));
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
      return 2;
    }
  }
  std::printf("%s\n", bootstrap.c_str());
  std::unique_ptr<mesh::devkafka::Registry> registry;
  std::unique_ptr<mesh::devkafka::RegistryServer> server;
  if (registryPort >= 0) {
    registry = std::make_unique<mesh::devkafka::Registry>(mesh::devkafka::avroRules());
    server = std::make_unique<mesh::devkafka::RegistryServer>(*registry, registryPort);
    if (!server->ok()) {
      std::fprintf(stderr, "mesh-devkafka: registry: %s\n", server->error().c_str());
      return 2;
    }
    std::printf("%s\n", server->url().c_str());
  }
  std::fflush(stdout);

  std::signal(SIGINT, onSignal);
  std::signal(SIGTERM, onSignal);
  // A reader that went away must not kill the cluster; a background job on a
  // terminal gets EIO instead of being stopped by SIGTTIN.
  std::signal(SIGPIPE, SIG_IGN);
  std::signal(SIGTTIN, SIG_IGN);

  Control control(cluster, brokers);
  bool reading = true;
  std::string pending;
  while (!stop) {
    if (!reading) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      continue;
    }
    pollfd p{STDIN_FILENO, POLLIN, 0};
    int ready = ::poll(&p, 1, 100);
    if (ready <= 0) continue;  // timeout, or EINTR from a signal
    if (p.revents & POLLNVAL) {
      reading = false;  // no stdin at all
      continue;
    }
    char buf[4096];
    ssize_t got = ::read(STDIN_FILENO, buf, sizeof buf);
    if (got < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      if (errno == EIO) {  // a terminal this background job may not read
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        continue;
      }
      reading = false;
      continue;
    }
    if (got == 0) {  // EOF: no more commands, keep serving
      reading = false;
      if (pending.find_first_not_of(" \t\r") != std::string::npos) reply(control.run(pending));
      continue;
    }
    pending.append(buf, static_cast<size_t>(got));
    for (size_t nl; (nl = pending.find('\n')) != std::string::npos;) {
      std::string line = pending.substr(0, nl);
      pending.erase(0, nl + 1);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.find_first_not_of(" \t") == std::string::npos) continue;  // blank lines are ignored
      reply(control.run(line));
    }
    if (pending.size() > 65536) {
      pending.clear();
      reply("error: command line too long");
    }
  }
  return 0;  // the client destroys the cluster
}
