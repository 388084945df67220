// runtime_bench: the measuring half of bench/runtime (run.sh drives it).
//
//   runtime_bench producer --bootstrap B --corpus F --raw-topic T [--broker-pid P]
//       [--linger-ms MS] [--batch-size BYTES] [--rounds R]
//     Parses the corpus into OrderEvent structs (untimed; the valid ones are
//     the events), then times raw librdkafka producing the same serialized
//     bytes (key and headers as the typed producer sets them) and the
//     generated sales::orders::orders_placed_producer publishing the structs,
//     in R rounds of alternating order (default 4), each part from its first
//     produce to the end of its flush; then, without Kafka, the steps
//     publish() adds: validate, to_json and nowMicros alone.
//   runtime_bench fill --bootstrap B --corpus F --topic T [--compression CODEC]
//     Produces every corpus line (valid or not) as raw bytes keyed by its
//     order id, untimed, and checks the topic holds all of them from offset 0.
//   runtime_bench measure --label L --bootstrap B --group G --input T --expect N
//       [--check TOPIC=COUNT]... [--cpu C] [--broker-pid P] [--stall-seconds S]
//       [--log FILE] -- COMMAND...
//     Starts COMMAND (pinned to core C, its output to FILE), watches the
//     group's committed offsets on the input topic until they cover all N
//     messages, reads the command's peak RSS and CPU time, stops it with
//     SIGTERM (it must exit 0), then checks each output topic received COUNT
//     messages.
//   runtime_bench create-topics --bootstrap B --topic NAME:PARTITIONS...
//     For a broker other than mesh-devkafka (MESH_KAFKA_BOOTSTRAP).
//
// Results go to standard output, one line per measurement, fields separated
// by spaces (run.sh makes the table); progress and errors to standard error.
// Exit 1 when a measurement is not what it should be (a message lost, a
// failed delivery, a process that died), 2 on usage errors.
#include <fcntl.h>
#include <librdkafka/rdkafka.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "meshrt/kafka.h"
#include "sales/orders.mesh.h"

namespace {

using Clock = std::chrono::steady_clock;

struct Failure : std::runtime_error {
  using std::runtime_error::runtime_error;
};
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

double since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// --- command line ---------------------------------------------------------

struct Args {
  std::map<std::string, std::string> one;
  std::map<std::string, std::vector<std::string>> many;  // repeatable options
  std::vector<std::string> command;                      // after "--"

  Args(int argc, char** argv, int first, const std::vector<std::string>& repeatable) {
    for (int i = first; i < argc; ++i) {
      std::string arg = argv[i];
      if (arg == "--") {
        command.assign(argv + i + 1, argv + argc);
        break;
      }
      if (arg.rfind("--", 0) != 0) throw UsageError("unexpected argument '" + arg + "'");
      if (i + 1 >= argc) throw UsageError("missing value for " + arg);
      std::string name = arg.substr(2);
      bool isMany = false;
      for (const auto& r : repeatable) isMany |= r == name;
      if (isMany)
        many[name].push_back(argv[++i]);
      else
        one[name] = argv[++i];
    }
  }
  std::string get(const std::string& name) const {
    auto it = one.find(name);
    if (it == one.end() || it->second.empty()) throw UsageError("--" + name + " is required");
    return it->second;
  }
  std::string get(const std::string& name, const std::string& fallback) const {
    auto it = one.find(name);
    return it == one.end() ? fallback : it->second;
  }
  long number(const std::string& name, long fallback) const {
    auto it = one.find(name);
    if (it == one.end()) return fallback;
    char* end = nullptr;
    long v = std::strtol(it->second.c_str(), &end, 10);
    if (it->second.empty() || *end || v < 0)
      throw UsageError("--" + name + " takes a number, not '" + it->second + "'");
    return v;
  }
  void allow(const std::vector<std::string>& names) const {
    for (const auto& [k, v] : one) {
      bool ok = false;
      for (const auto& n : names) ok |= n == k;
      if (!ok) throw UsageError("unknown option --" + k);
    }
  }
};

// --- processes ------------------------------------------------------------

// CPU seconds (user + system) a process has used so far, from /proc/PID/stat.
double cpuSeconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  size_t close = stat.rfind(')');  // the command name may hold spaces
  if (close == std::string::npos) throw Failure("cannot read /proc/" + std::to_string(pid) + "/stat");
  std::vector<std::string> fields;
  size_t pos = close + 2;
  while (pos < stat.size()) {
    size_t end = stat.find(' ', pos);
    if (end == std::string::npos) end = stat.size();
    fields.push_back(stat.substr(pos, end - pos));
    pos = end + 1;
  }
  // fields[0] is field 3 (state); utime and stime are fields 14 and 15.
  if (fields.size() < 13) throw Failure("short /proc/" + std::to_string(pid) + "/stat");
  return double(std::stoull(fields[11]) + std::stoull(fields[12])) / double(sysconf(_SC_CLK_TCK));
}

double selfCpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// A field of /proc/PID/status in kB (VmHWM: the peak resident set).
long statusKb(pid_t pid, const std::string& field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(in, line);)
    if (line.rfind(field + ":", 0) == 0) return std::atol(line.c_str() + field.size() + 1);
  throw Failure("no " + field + " in /proc/" + std::to_string(pid) + "/status");
}

bool alive(pid_t pid) { return kill(pid, 0) == 0 && std::ifstream("/proc/" + std::to_string(pid) + "/stat").good(); }

// The broker's CPU time, or -1 when it is not ours to see (MESH_KAFKA_BOOTSTRAP).
double brokerCpu(pid_t broker) {
  if (broker <= 0) return -1;
  if (!alive(broker)) throw Failure("the broker (pid " + std::to_string(broker) + ") is gone");
  return cpuSeconds(broker);
}

// --- Kafka ----------------------------------------------------------------

rd_kafka_t* makeClient(rd_kafka_type_t type, const std::map<std::string, std::string>& settings,
                       void (*onDelivery)(rd_kafka_t*, const rd_kafka_message_t*, void*) = nullptr,
                       void* opaque = nullptr) {
  char err[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  for (const auto& [k, v] : settings)
    if (rd_kafka_conf_set(conf, k.c_str(), v.c_str(), err, sizeof err) != RD_KAFKA_CONF_OK) {
      rd_kafka_conf_destroy(conf);
      throw Failure(std::string("kafka: ") + err);
    }
  if (onDelivery) rd_kafka_conf_set_dr_msg_cb(conf, onDelivery);
  if (opaque) rd_kafka_conf_set_opaque(conf, opaque);
  rd_kafka_t* rk = rd_kafka_new(type, conf, err, sizeof err);
  if (!rk) throw Failure(std::string("kafka: ") + err);
  return rk;
}

int partitionCount(rd_kafka_t* rk, const std::string& topic) {
  rd_kafka_topic_t* t = rd_kafka_topic_new(rk, topic.c_str(), nullptr);
  const rd_kafka_metadata_t* md = nullptr;
  rd_kafka_resp_err_t e = rd_kafka_metadata(rk, 0, t, &md, 10000);
  rd_kafka_topic_destroy(t);
  if (e) throw Failure("cannot read the metadata of '" + topic + "': " + rd_kafka_err2str(e));
  int count = md->topic_cnt == 1 && !md->topics[0].err ? md->topics[0].partition_cnt : 0;
  std::string why = md->topic_cnt == 1 ? rd_kafka_err2str(md->topics[0].err) : "no such topic";
  rd_kafka_metadata_destroy(md);
  if (count == 0) throw Failure("topic '" + topic + "': " + why);
  return count;
}

struct Marks {
  int64_t messages = 0;  // sum of (high - low)
  int64_t appended = 0;  // sum of high watermarks: every message the topic ever took
  bool fromZero = true;  // every partition still starts at offset 0
};

Marks watermarks(rd_kafka_t* rk, const std::string& topic) {
  Marks m;
  int partitions = partitionCount(rk, topic);
  for (int p = 0; p < partitions; ++p) {
    int64_t low = 0, high = 0;
    rd_kafka_resp_err_t e = rd_kafka_query_watermark_offsets(rk, topic.c_str(), p, &low, &high, 10000);
    if (e)
      throw Failure("cannot read the offsets of '" + topic + "' [" + std::to_string(p) + "]: " + rd_kafka_err2str(e));
    m.messages += high - low;
    m.appended += high;
    m.fromZero &= low == 0;
  }
  return m;
}

std::vector<std::string> readLines(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Failure("cannot read '" + path + "'");
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(std::move(line));
  if (lines.empty()) throw Failure("'" + path + "' holds no messages");
  return lines;
}

struct Counts {
  std::atomic<uint64_t> delivered{0}, failed{0};
};

void countDelivery(rd_kafka_t*, const rd_kafka_message_t* m, void* opaque) {
  auto* c = static_cast<Counts*>(opaque);
  if (m->err)
    ++c->failed;
  else
    ++c->delivered;
}

// --- producer -------------------------------------------------------------

int producerMain(const Args& args) {
  args.allow({"bootstrap", "corpus", "raw-topic", "broker-pid", "linger-ms", "batch-size", "rounds"});
  const std::string bootstrap = args.get("bootstrap"), rawTopic = args.get("raw-topic");
  const pid_t broker = static_cast<pid_t>(args.number("broker-pid", 0));
  // The settings both producers get (on top of bootstrap.servers and
  // enable.idempotence=true, KafkaProducer's own).
  const std::map<std::string, std::string> shared = {{"linger.ms", std::to_string(args.number("linger-ms", 5))},
                                                     {"batch.size", std::to_string(args.number("batch-size", 1000000))},
                                                     {"log_level", "3"}};
  using Producer = sales::orders::orders_placed_producer;

  // Untimed: the structs the typed producer publishes, and the bytes and
  // keys the raw one sends (what publish() would serialize).
  std::vector<sales::orders::OrderEvent> orders;
  std::vector<meshrt::Violation> violations;
  {
    std::vector<std::string> lines = readLines(args.get("corpus"));
    orders.reserve(lines.size());
    for (const auto& line : lines) {
      orders.emplace_back();
      violations.clear();
      if (!sales::orders::parse(line, orders.back(), violations)) orders.pop_back();
    }
    std::fprintf(stderr, "producer: %zu of %zu corpus messages are valid OrderEvents\n", orders.size(), lines.size());
  }
  std::vector<std::string> values;
  values.reserve(orders.size());
  size_t bytes = 0;
  for (const auto& o : orders) bytes += values.emplace_back(sales::orders::to_json(o)).size();
  const uint64_t n = orders.size();
  if (n == 0) throw Failure("the corpus holds no valid OrderEvent");

  // Both clients are made first and live through the phase; the events go
  // out in rounds, raw then typed in even rounds and typed then raw in odd
  // ones, each part timed from its first produce to the end of its flush, so
  // that drift in the machine's load weighs on both alike.
  std::map<std::string, std::string> rawConf = shared;
  rawConf["bootstrap.servers"] = bootstrap;
  rawConf["enable.idempotence"] = "true";
  Counts rawCounts;
  rd_kafka_t* raw = makeClient(RD_KAFKA_PRODUCER, rawConf, countDelivery, &rawCounts);
  meshrt::KafkaProducer kafka(bootstrap, shared);
  Producer producer(kafka);

  uint64_t warm = 0;  // events sent before the timed rounds, by each client

  // Raw librdkafka: the same value, key and headers, F_COPY and a poll(0)
  // after each produce as KafkaProducer::produce does, queue-full handled the
  // same way.
  auto sendRaw = [&](uint64_t from, uint64_t to) {
    for (uint64_t i = from; i < to; ++i) {
      const std::string& key = orders[i].order_id;
      rd_kafka_headers_t* headers = rd_kafka_headers_new(3);
      rd_kafka_header_add(headers, meshrt::kContractHeader, -1, Producer::kContract, -1);
      rd_kafka_header_add(headers, meshrt::kVersionHeader, -1, Producer::kVersion, -1);
      rd_kafka_header_add(headers, meshrt::kSchemaHeader, -1, Producer::kSchema, -1);
      rd_kafka_resp_err_t e;
      while ((e = rd_kafka_producev(
                  raw, RD_KAFKA_V_TOPIC(rawTopic.c_str()), RD_KAFKA_V_KEY(const_cast<char*>(key.data()), key.size()),
                  RD_KAFKA_V_VALUE(const_cast<char*>(values[i].data()), values[i].size()),
                  RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_HEADERS(headers), RD_KAFKA_V_END)) ==
             RD_KAFKA_RESP_ERR__QUEUE_FULL)
        rd_kafka_poll(raw, 100);
      if (e) {
        rd_kafka_headers_destroy(headers);
        throw Failure(std::string("raw produce: ") + rd_kafka_err2str(e));
      }
      rd_kafka_poll(raw, 0);
    }
    rd_kafka_resp_err_t fe = rd_kafka_flush(raw, 120000);
    if (fe || rawCounts.delivered != warm + to || rawCounts.failed)
      throw Failure("raw produce: " + std::to_string(rawCounts.delivered.load()) + " of " + std::to_string(warm + to) +
                    " delivered, " + std::to_string(rawCounts.failed.load()) + " failed" +
                    (fe ? std::string(", flush: ") + rd_kafka_err2str(fe) : ""));
  };
  // The generated producer: validate, serialize, key, headers, produce.
  auto sendTyped = [&](uint64_t from, uint64_t to) {
    std::string error;
    for (uint64_t i = from; i < to; ++i) {
      violations.clear();
      if (!producer.publish(orders[i], violations, &error))
        throw Failure("typed publish refused " + orders[i].order_id + ": " +
                      (violations.empty() ? error : violations.front().path + " " + violations.front().message));
    }
    bool flushed = kafka.flush(120000);
    if (!flushed || kafka.delivered() != warm + to || kafka.failed())
      throw Failure("typed publish: " + std::to_string(kafka.delivered()) + " of " + std::to_string(warm + to) +
                    " delivered, " + std::to_string(kafka.failed()) + " failed");
  };
  struct Spent {
    double seconds = 0, cpu = 0, broker = 0;
  } rawSpent, typedSpent;
  auto timed = [&](const char* name, Spent& spent, auto&& send, uint64_t from, uint64_t to) {
    double cpu0 = selfCpuSeconds(), broker0 = brokerCpu(broker);
    auto start = Clock::now();
    send(from, to);
    double seconds = since(start), cpu = selfCpuSeconds() - cpu0;
    spent.seconds += seconds;
    spent.cpu += cpu;
    spent.broker += broker > 0 ? brokerCpu(broker) - broker0 : 0;
    std::fprintf(stderr, "producer: %s, events %llu to %llu: %.3f s, %.3f s CPU\n", name,
                 static_cast<unsigned long long>(from), static_cast<unsigned long long>(to), seconds, cpu);
  };
  // Untimed, the first event through each client: both have connected,
  // know their topic and hold a producer id before the clock starts.
  sendRaw(0, 1);
  sendTyped(0, 1);
  warm = 1;
  const uint64_t rounds = std::max<uint64_t>(1, std::min<uint64_t>(static_cast<uint64_t>(args.number("rounds", 4)), n));
  for (uint64_t r = 0; r < rounds; ++r) {
    uint64_t from = n * r / rounds, to = n * (r + 1) / rounds;
    if (r % 2 == 0) {
      timed("raw", rawSpent, sendRaw, from, to);
      timed("typed", typedSpent, sendTyped, from, to);
    } else {
      timed("typed", typedSpent, sendTyped, from, to);
      timed("raw", rawSpent, sendRaw, from, to);
    }
  }
  rd_kafka_destroy(raw);
  for (const auto& [label, spent] : {std::pair{"producer-raw", rawSpent}, std::pair{"producer-typed", typedSpent}})
    std::printf("%s %llu %.6f %.3f %.3f %zu\n", label, static_cast<unsigned long long>(n), spent.seconds, spent.cpu,
                broker > 0 ? spent.broker : -1.0, bytes);
  std::fflush(stdout);

  // Where the typed producer's extra time goes: the steps publish() takes
  // before producing, each timed alone over the same structs, no Kafka.
  {
    size_t ok = 0, written = 0;
    int64_t clock = 0;
    auto start = Clock::now();
    for (const auto& order : orders) {
      violations.clear();
      ok += sales::orders::validate(order, violations) ? 1 : 0;  // now() as publish() reads it: nowMicros()
    }
    double validateSeconds = since(start);
    start = Clock::now();
    for (const auto& order : orders) written += sales::orders::to_json(order).size();
    double toJsonSeconds = since(start);
    start = Clock::now();
    for (uint64_t i = 0; i < n; ++i) clock += meshrt::nowMicros() & 1;
    double nowSeconds = since(start);
    if (ok != n || written != bytes || clock < 0) throw Failure("validate or to_json disagree with the publish run");
    std::printf("producer-parts %llu %.6f %.6f %.6f\n", static_cast<unsigned long long>(n), validateSeconds,
                toJsonSeconds, nowSeconds);
  }
  return 0;
}

// --- fill -----------------------------------------------------------------

// The order id of a corpus line, found as text (a line may not be JSON).
std::string_view orderId(std::string_view line) {
  constexpr std::string_view marker = "\"order_id\":\"";
  size_t at = line.find(marker);
  if (at == std::string_view::npos) return {};
  size_t start = at + marker.size(), end = line.find('"', start);
  return end == std::string_view::npos ? std::string_view{} : line.substr(start, end - start);
}

int fillMain(const Args& args) {
  args.allow({"bootstrap", "corpus", "topic", "compression"});
  const std::string topic = args.get("topic");
  std::vector<std::string> lines = readLines(args.get("corpus"));
  Counts counts;
  rd_kafka_t* rk = makeClient(RD_KAFKA_PRODUCER,
                              {{"bootstrap.servers", args.get("bootstrap")},
                               {"enable.idempotence", "true"},
                               {"linger.ms", "50"},
                               {"compression.codec", args.get("compression", "none")},
                               {"log_level", "3"}},
                              countDelivery, &counts);
  auto start = Clock::now();
  for (const auto& line : lines) {
    std::string_view key = orderId(line);
    rd_kafka_resp_err_t e;
    while ((e = rd_kafka_producev(rk, RD_KAFKA_V_TOPIC(topic.c_str()),
                                  RD_KAFKA_V_KEY(const_cast<char*>(key.data()), key.size()),
                                  RD_KAFKA_V_VALUE(const_cast<char*>(line.data()), line.size()), RD_KAFKA_V_END)) ==
           RD_KAFKA_RESP_ERR__QUEUE_FULL)
      rd_kafka_poll(rk, 100);
    if (e) throw Failure(std::string("fill: ") + rd_kafka_err2str(e));
    rd_kafka_poll(rk, 0);
  }
  rd_kafka_resp_err_t fe = rd_kafka_flush(rk, 300000);
  if (fe || counts.failed || counts.delivered != lines.size())
    throw Failure("fill: " + std::to_string(counts.delivered.load()) + " of " + std::to_string(lines.size()) +
                  " delivered");
  Marks marks = watermarks(rk, topic);
  rd_kafka_destroy(rk);
  std::fprintf(stderr, "fill: %zu messages into '%s' in %.1f s\n", lines.size(), topic.c_str(), since(start));
  // mesh-devkafka (librdkafka's mock cluster) keeps about 5 MB per partition
  // and drops the oldest batches beyond that: a consumer would then skip
  // messages while its committed offsets still reached the end.
  if (!marks.fromZero || marks.messages != static_cast<int64_t>(lines.size()))
    throw Failure("fill: '" + topic + "' holds " + std::to_string(marks.messages) + " of " +
                  std::to_string(lines.size()) +
                  " messages from offset 0 (the broker dropped old batches: give the topic more partitions)");
  return 0;
}

// --- measure --------------------------------------------------------------

std::atomic<bool> interrupted{false};
void onSignal(int) { interrupted = true; }

// Stops the child with SIGTERM; its exit status, or -1 when it had to be killed.
int stopChild(pid_t child, int graceSeconds);

// Whatever ends a measurement, the command measured does not outlive it.
struct ChildGuard {
  pid_t pid = 0;
  ~ChildGuard() {
    if (pid > 0 && stopChild(pid, 30) < 0)
      std::fprintf(stderr, "runtime_bench: pid %d did not stop on SIGTERM within 30 s: killed\n", int(pid));
  }
};

int stopChild(pid_t child, int graceSeconds) {
  kill(child, SIGTERM);
  auto start = Clock::now();
  int status = 0;
  while (waitpid(child, &status, WNOHANG) == 0) {
    if (since(start) > graceSeconds) {
      kill(child, SIGKILL);
      waitpid(child, &status, 0);
      return -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int measureMain(const Args& args) {
  args.allow({"label", "bootstrap", "group", "input", "expect", "cpu", "broker-pid", "stall-seconds", "log"});
  const std::string log = args.get("log", "");
  const std::string label = args.get("label"), bootstrap = args.get("bootstrap"), group = args.get("group"),
                    input = args.get("input");
  const int64_t expect = args.number("expect", 0);
  const long cpu = args.number("cpu", -1), stallSeconds = args.number("stall-seconds", 60);
  const pid_t broker = static_cast<pid_t>(args.number("broker-pid", 0));
  if (expect <= 0) throw UsageError("--expect N (N > 0) is required");
  if (args.command.empty()) throw UsageError("the command to measure goes after --");
  std::vector<std::pair<std::string, int64_t>> checks;
  if (auto it = args.many.find("check"); it != args.many.end())
    for (const auto& spec : it->second) {
      size_t eq = spec.rfind('=');
      if (eq == std::string::npos || eq == 0) throw UsageError("--check takes TOPIC=COUNT, not '" + spec + "'");
      checks.push_back({spec.substr(0, eq), std::atoll(spec.c_str() + eq + 1)});
    }

  // A consumer handle in the group that never subscribes: it only reads the
  // group's committed offsets (OffsetFetch), it does not join.
  rd_kafka_t* rk = makeClient(
      RD_KAFKA_CONSUMER,
      {{"bootstrap.servers", bootstrap}, {"group.id", group}, {"enable.auto.commit", "false"}, {"log_level", "3"}});
  Marks in = watermarks(rk, input);
  if (!in.fromZero || in.messages != expect)
    throw Failure(label + ": '" + input + "' holds " + std::to_string(in.messages) + " messages from offset 0, not " +
                  std::to_string(expect));
  const int partitions = partitionCount(rk, input);

  std::signal(SIGINT, onSignal);
  std::signal(SIGTERM, onSignal);
  double broker0 = brokerCpu(broker);
  auto start = Clock::now();
  ChildGuard guard;
  pid_t child = guard.pid = fork();
  if (child < 0) throw Failure("fork: " + std::string(std::strerror(errno)));
  if (child == 0) {
    prctl(PR_SET_PDEATHSIG, SIGTERM);  // never outlive the measurement
    if (!log.empty()) {
      int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (fd < 0) {
        std::fprintf(stderr, "runtime_bench: cannot write '%s': %s\n", log.c_str(), std::strerror(errno));
        _exit(127);
      }
      dup2(fd, 1);
      dup2(fd, 2);
      close(fd);
    }
    if (cpu >= 0) {
      cpu_set_t set;
      CPU_ZERO(&set);
      CPU_SET(static_cast<int>(cpu), &set);
      if (sched_setaffinity(0, sizeof set, &set) != 0) {
        std::fprintf(stderr, "runtime_bench: cannot pin to core %ld: %s\n", cpu, std::strerror(errno));
        _exit(127);
      }
    }
    std::vector<char*> argv;
    for (const auto& a : args.command) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execvp(argv[0], argv.data());
    std::fprintf(stderr, "runtime_bench: cannot run '%s': %s\n", argv[0], std::strerror(errno));
    _exit(127);
  }

  // Watch the committed offsets: the first commit ends the start-up (client
  // creation, group join, first fetch); the rate is taken from there to the
  // commit that covers every message.
  rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(partitions);
  for (int p = 0; p < partitions; ++p) rd_kafka_topic_partition_list_add(list, input.c_str(), p);
  double firstAt = -1, endAt = -1, lastChange = 0;
  int64_t firstCount = 0, committed = 0;
  std::string failure;
  while (true) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    if (interrupted) {
      failure = "interrupted";
      break;
    }
    int status = 0;
    if (waitpid(child, &status, WNOHANG) == child) {
      failure = args.command[0] + " exited (status " +
                std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status)) + ") after " +
                std::to_string(committed) + " of " + std::to_string(expect) + " messages";
      child = guard.pid = 0;
      break;
    }
    if (broker > 0 && !alive(broker)) {
      failure = "the broker (pid " + std::to_string(broker) + ") is gone";
      break;
    }
    rd_kafka_resp_err_t e = rd_kafka_committed(rk, list, 5000);
    double now = since(start);
    if (e) {
      if (now - lastChange > stallSeconds) {
        failure = std::string("cannot read the committed offsets: ") + rd_kafka_err2str(e);
        break;
      }
      continue;
    }
    int64_t sum = 0;
    for (int i = 0; i < list->cnt; ++i)
      if (list->elems[i].offset > 0) sum += list->elems[i].offset;
    if (sum != committed) {
      committed = sum;
      lastChange = now;
      if (firstAt < 0) {
        firstAt = now;
        firstCount = sum;
      }
    }
    if (committed >= expect) {
      endAt = now;
      break;
    }
    if (now - lastChange > stallSeconds) {
      failure = "no progress for " + std::to_string(stallSeconds) + " s at " + std::to_string(committed) + " of " +
                std::to_string(expect) + " messages committed";
      break;
    }
  }
  rd_kafka_topic_partition_list_destroy(list);

  long peakKb = -1, rssKb = -1;
  double childCpu = -1, brokerUsed = failure.empty() && broker > 0 ? brokerCpu(broker) - broker0 : -1;
  int exitStatus = 0;
  if (child > 0) {
    peakKb = statusKb(child, "VmHWM");  // read before the stop: the peak while it worked
    rssKb = statusKb(child, "VmRSS");
    childCpu = cpuSeconds(child);
    exitStatus = stopChild(child, 30);
    guard.pid = 0;
  }
  if (!failure.empty()) {
    rd_kafka_destroy(rk);
    if (exitStatus < 0) failure += "; " + args.command[0] + " did not stop on SIGTERM within 30 s (killed)";
    throw Failure(label + ": " + failure);
  }
  if (exitStatus != 0)
    throw Failure(label + ": " + args.command[0] +
                  (exitStatus < 0 ? " did not stop on SIGTERM within 30 s (killed)"
                                  : " exited with status " + std::to_string(exitStatus) + " when stopped"));
  std::string mismatch;
  for (const auto& [topic, count] : checks) {
    Marks out = watermarks(rk, topic);
    std::fprintf(stderr, "%s: '%s' received %lld messages (expected %lld)\n", label.c_str(), topic.c_str(),
                 static_cast<long long>(out.appended), static_cast<long long>(count));
    if (out.appended != count)
      mismatch += " '" + topic + "' received " + std::to_string(out.appended) + ", not " + std::to_string(count) + ";";
  }
  rd_kafka_destroy(rk);
  if (!mismatch.empty()) throw Failure(label + ":" + mismatch);
  if (firstCount >= expect)
    throw Failure(label + ": the first commit seen covered all " + std::to_string(expect) +
                  " messages: too few to time (use more)");
  // label events first_commit_s steady_events steady_s total_s peak_kb rss_kb cpu_s broker_cpu_s
  std::printf("%s %lld %.3f %lld %.6f %.6f %ld %ld %.3f %.3f\n", label.c_str(), static_cast<long long>(expect), firstAt,
              static_cast<long long>(expect - firstCount), endAt - firstAt, endAt, peakKb, rssKb, childCpu, brokerUsed);
  return 0;
}

// --- create-topics --------------------------------------------------------

int createTopicsMain(const Args& args) {
  args.allow({"bootstrap"});
  auto it = args.many.find("topic");
  if (it == args.many.end()) throw UsageError("--topic NAME:PARTITIONS is required");
  rd_kafka_t* rk = makeClient(RD_KAFKA_PRODUCER, {{"bootstrap.servers", args.get("bootstrap")}, {"log_level", "3"}});
  std::vector<rd_kafka_NewTopic_t*> topics;
  char err[512];
  for (const auto& spec : it->second) {
    size_t colon = spec.rfind(':');
    int partitions = colon == std::string::npos ? 0 : std::atoi(spec.c_str() + colon + 1);
    if (partitions < 1) throw UsageError("--topic takes NAME:PARTITIONS, not '" + spec + "'");
    rd_kafka_NewTopic_t* t = rd_kafka_NewTopic_new(spec.substr(0, colon).c_str(), partitions, -1, err, sizeof err);
    if (!t) throw Failure(std::string("create-topics: ") + err);
    topics.push_back(t);
  }
  rd_kafka_queue_t* queue = rd_kafka_queue_new(rk);
  rd_kafka_CreateTopics(rk, topics.data(), topics.size(), nullptr, queue);
  rd_kafka_event_t* ev = rd_kafka_queue_poll(queue, 60000);
  std::string failure;
  if (!ev)
    failure = "no answer from the broker in 60 s";
  else if (rd_kafka_event_error(ev))
    failure = rd_kafka_event_error_string(ev);
  else {
    size_t count = 0;
    const rd_kafka_topic_result_t** results =
        rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(ev), &count);
    for (size_t i = 0; i < count; ++i) {
      rd_kafka_resp_err_t e = rd_kafka_topic_result_error(results[i]);
      if (e == RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS)
        std::fprintf(stderr, "create-topics: '%s' already exists (kept as it is)\n",
                     rd_kafka_topic_result_name(results[i]));
      else if (e)
        failure += std::string(rd_kafka_topic_result_name(results[i])) + ": " + rd_kafka_err2str(e) + "; ";
    }
  }
  if (ev) rd_kafka_event_destroy(ev);
  rd_kafka_queue_destroy(queue);
  for (auto* t : topics) rd_kafka_NewTopic_destroy(t);
  rd_kafka_destroy(rk);
  if (!failure.empty()) throw Failure("create-topics: " + failure);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const char* usage =
      "usage: runtime_bench producer --bootstrap B --corpus F --raw-topic T [--broker-pid P] [--linger-ms MS] "
      "[--batch-size BYTES] [--rounds R]\n"
      "       runtime_bench fill --bootstrap B --corpus F --topic T [--compression CODEC]\n"
      "       runtime_bench measure --label L --bootstrap B --group G --input T --expect N [--check TOPIC=COUNT]... "
      "[--cpu C] [--broker-pid P] [--stall-seconds S] [--log FILE] -- COMMAND...\n"
      "       runtime_bench create-topics --bootstrap B --topic NAME:PARTITIONS...\n";
  if (argc < 2) {
    std::fputs(usage, stderr);
    return 2;
  }
  std::string mode = argv[1];
  try {
    if (mode == "producer") return producerMain(Args(argc, argv, 2, {}));
    if (mode == "fill") return fillMain(Args(argc, argv, 2, {}));
    if (mode == "measure") return measureMain(Args(argc, argv, 2, {"check"}));
    if (mode == "create-topics") return createTopicsMain(Args(argc, argv, 2, {"topic"}));
    throw UsageError("unknown mode '" + mode + "'");
  } catch (const UsageError& e) {
    std::fprintf(stderr, "runtime_bench: %s\n%s", e.what(), usage);
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "runtime_bench: %s\n", e.what());
    return 1;
  }
}
