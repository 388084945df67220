// gate.cpp: the validating gate (toolchain.md section 3). A consumer-group
// member that validates every message of the input topic with the product's
// generated validator, forwards valid ones (key, headers and partition kept)
// and sends invalid ones to the dead-letter topic with a `mesh-violations`
// header. At-least-once: messages are handled in batches, and a batch's input
// offsets are committed only after everything it produced is acknowledged; a
// failed delivery stops the gate without committing, so a restart re-reads.
#include <librdkafka/rdkafka.h>
#include <prometheus/counter.h>
#include <prometheus/exposer.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <unistd.h>

#include "meshrt/kafka.h"
#include "meshrt/runtime.h"
#include "meshrt/stream_fields.h"
#include "stream_checks.h"

namespace meshrt {
namespace {

std::atomic<bool> stopping{false};
void onSignal(int) { stopping = true; }

struct Options {
  std::string product, bootstrap, input, output, dlq, group, maskFor;
  bool masking = false;  // --mask-for given, even as "" (an unset variable must not mean unmasked)
  bool transactional = false;
  int metricsPort = 0;
  int batch = 500;
  StreamSettings stream;
  std::map<std::string, std::string> kafka;  // -X KEY=VALUE: librdkafka properties of both clients
};

int usage(const std::string& why) {
  std::fprintf(stderr,
               "mesh-gate: %s\nusage: mesh-gate --product NAME --bootstrap HOSTS --input TOPIC --output TOPIC "
               "--dlq TOPIC --group ID [--metrics-port N] [--mask-for ROLE] [--transactional] [--rate-window SECONDS] "
               "[--min-sample N] [--unique-capacity N] [-X KEY=VALUE]...\n",
               escapeControlCharacters(why).c_str());
  return 2;
}

// The violations as the `mesh-violations` JSON array; past `limit` bytes the
// rest is left out and a last entry says how many (only a dead letter too
// large to send whole asks for a limit).
std::string violationsJson(const std::vector<Violation>& violations, size_t limit = SIZE_MAX) {
  std::string out = "[";
  for (size_t i = 0; i < violations.size(); ++i) {
    size_t before = out.size();
    if (i) out += ',';
    out += "{\"path\":";
    appendJsonString(out, violations[i].path);
    out += ",\"rule\":\"";
    out += ruleName(violations[i].rule);
    out += "\",\"message\":";
    appendJsonString(out, violations[i].message);
    out += '}';
    if (out.size() > limit) {
      out.resize(before);
      if (i) out += ',';
      out += "{\"path\":\"$\",\"rule\":\"cut\",\"message\":\"" + std::to_string(violations.size() - i) +
             " more violations not listed\"}";
      break;
    }
  }
  return out + "]";
}

// Appends an entry of the gate's own (rule "cut": what a dead letter lost to
// fit the producer's message.max.bytes) to a `mesh-violations` array.
void appendCut(std::string& json, const std::string& message) {
  json.pop_back();  // the closing ']'
  if (json.size() > 1) json += ',';
  json += "{\"path\":\"$\",\"rule\":\"cut\",\"message\":";
  appendJsonString(json, message);
  json += "}]";
}

// The headers the gate writes (docs/gate.md). A message's own copies of them,
// forged by its producer or left by another gate, are removed before it is
// forwarded or dead-lettered, so a reader can trust them. Producer-stamped
// mesh-contract, mesh-version and mesh-schema are the producer's and kept.
constexpr std::array<const char*, 3> kOwnedHeaders = {"mesh-violations", "mesh-source", "mesh-too-large"};

bool hasOwnedHeader(const rd_kafka_headers_t* headers) {
  const char* name;
  const void* value;
  size_t size;
  for (size_t i = 0; !rd_kafka_header_get_all(headers, i, &name, &value, &size); ++i)
    if (std::strncmp(name, "mesh-", 5) == 0)
      for (const char* owned : kOwnedHeaders)
        if (std::strcmp(name, owned) == 0) return true;
  return false;
}

// A copy of a message's headers to send on, without the ones the gate owns.
rd_kafka_headers_t* forwardedHeaders(const rd_kafka_headers_t* headers) {
  rd_kafka_headers_t* copy = rd_kafka_headers_copy(headers);
  if (hasOwnedHeader(headers))
    for (const char* owned : kOwnedHeaders) rd_kafka_header_remove(copy, owned);
  return copy;
}

rd_kafka_t* makeClient(rd_kafka_type_t type, const std::map<std::string, std::string>& settings) {
  char err[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  for (const auto& [k, v] : settings)
    if (rd_kafka_conf_set(conf, k.c_str(), v.c_str(), err, sizeof err) != RD_KAFKA_CONF_OK) {
      std::fprintf(stderr, "mesh-gate: %s\n", err);
      rd_kafka_conf_destroy(conf);
      return nullptr;
    }
  if (type == RD_KAFKA_CONSUMER)
    rd_kafka_conf_set_offset_commit_cb(
        conf, [](rd_kafka_t*, rd_kafka_resp_err_t e, rd_kafka_topic_partition_list_t*, void*) {
          if (e && e != RD_KAFKA_RESP_ERR__NO_OFFSET)
            std::fprintf(stderr, "mesh-gate: commit failed (%s): a restart may read that batch again\n",
                         rd_kafka_err2str(e));
        });
  rd_kafka_t* rk = rd_kafka_new(type, conf, err, sizeof err);
  if (!rk) std::fprintf(stderr, "mesh-gate: %s\n", err);
  return rk;
}

struct Delivery {
  std::atomic<uint64_t> failed{0};
  std::atomic<uint64_t> logged{0};  // failures logged in this batch (the first kLogged are)
  static constexpr uint64_t kLogged = 10;
};

// Each failed delivery is counted; the first few of a batch are logged with
// the topic, partition and librdkafka's error (a batch of 500 to a missing
// partition must not log 500 lines).
void onDelivery(rd_kafka_t*, const rd_kafka_message_t* m, void* opaque) {
  if (!m->err) return;
  auto* delivery = static_cast<Delivery*>(opaque);
  ++delivery->failed;
  if (delivery->logged++ < Delivery::kLogged)
    std::fprintf(stderr, "mesh-gate: delivery to '%s' partition %d failed: %s\n", rd_kafka_topic_name(m->rkt),
                 static_cast<int>(m->partition), rd_kafka_err2str(m->err));
}

// The output and dead-letter topics are checked once at start, with one
// metadata request for all topics (which never creates a topic): a missing
// one held every message for message.timeout.ms (300 s by default) and then
// stopped the gate with no reason, and one with fewer partitions than the
// input could not take the messages of the input's higher partitions (the
// gate keeps each message's partition), so the gate stopped on each restart.
// A dead-letter topic may have fewer partitions (one is common): a dead
// letter goes to partition `input partition % its partitions`, so those of
// one input partition stay in order. Returns why the gate must not start, or
// "", and the dead-letter topic's partition count in `dlqPartitions`.
std::string checkTopics(rd_kafka_t* client, const Options& o, int& dlqPartitions) {
  const rd_kafka_metadata_t* md = nullptr;
  if (rd_kafka_resp_err_t e = rd_kafka_metadata(client, 1, nullptr, &md, 30000))
    return "cannot read the cluster's topics from " + o.bootstrap + ": " + rd_kafka_err2str(e);
  std::string why;
  int inputPartitions = 0;
  for (const auto& [role, name] :
       {std::pair<const char*, const std::string&>{"input", o.input}, {"output", o.output}, {"dead-letter", o.dlq}}) {
    const rd_kafka_metadata_topic_t* topic = nullptr;
    for (int i = 0; i < md->topic_cnt; ++i)
      if (name == md->topics[i].topic) topic = &md->topics[i];
    if (!topic || topic->err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART) {
      why = std::string("the ") + role + " topic '" + name + "' does not exist on " + o.bootstrap +
            " (the gate creates no topic" +
            (inputPartitions && &name == &o.output
                 ? "; create it with at least " + std::to_string(inputPartitions) + " partitions)"
                 : ")");
    } else if (topic->err) {
      why = std::string("the ") + role + " topic '" + name + "': " + rd_kafka_err2str(topic->err);
    } else if (!inputPartitions) {
      inputPartitions = topic->partition_cnt;
    } else if (&name == &o.dlq) {
      dlqPartitions = topic->partition_cnt;
    } else if (topic->partition_cnt < inputPartitions) {
      why = std::string("the ") + role + " topic '" + name + "' has " + std::to_string(topic->partition_cnt) +
            " partitions, fewer than the input topic '" + o.input + "' (" + std::to_string(inputPartitions) +
            "): the gate keeps each message's partition, so '" + name + "' needs at least " +
            std::to_string(inputPartitions) + " partitions";
    }
    if (!why.empty()) break;
  }
  rd_kafka_metadata_destroy(md);
  return why;
}

// The producer's message.max.bytes: what a dead letter must fit.
size_t maxMessageBytes(rd_kafka_t* producer) {
  char value[32];
  size_t size = sizeof value;
  if (rd_kafka_conf_get(rd_kafka_conf(producer), "message.max.bytes", value, &size) != RD_KAFKA_CONF_OK) return 1000000;
  return std::strtoull(value, nullptr, 10);
}

// A message too large for the producer (once the gate's headers are added,
// or masked) is dead-lettered without its value, with `mesh-too-large` (the
// value's size) and `mesh-source` (TOPIC/PARTITION/OFFSET, where the input
// topic keeps it). When even that does not fit message.max.bytes (a huge key,
// or headers adding up over it), more is cut in turn until it does: the key
// to its first bytes, the message's own headers, the violations list; each
// cut is a "cut" entry in `mesh-violations`. One message must not stop the
// gate: before this, every restart re-read the batch and died on it again.
// send(headers, keyLength) produces the value-less dead letter.
template <class Send>
rd_kafka_resp_err_t deadLetterTooLarge(const rd_kafka_message_t* m, const rd_kafka_headers_t* headers,
                                       const std::vector<Violation>& violations, size_t valueSize, size_t maxBytes,
                                       const std::string& topic, Send&& send) {
  const std::string where =
      std::string(rd_kafka_topic_name(m->rkt)) + "/" + std::to_string(m->partition) + "/" + std::to_string(m->offset);
  const std::string bytes = std::to_string(valueSize);
  const size_t keptKey = std::min<size_t>(1024, maxBytes / 4);
  size_t keyLength = m->key_len;
  bool ownHeaders = headers != nullptr;
  size_t violationsLimit = SIZE_MAX;
  std::vector<std::string> cuts;
  rd_kafka_resp_err_t e = RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE;
  for (int step = 0; step < 4 && e == RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE; ++step) {
    if (step == 1 && keyLength > keptKey) {
      cuts.push_back("key of " + std::to_string(keyLength) + " bytes cut to its first " + std::to_string(keptKey));
      keyLength = keptKey;
    } else if (step == 2 && ownHeaders && rd_kafka_header_cnt(headers)) {
      cuts.push_back("the message's " + std::to_string(rd_kafka_header_cnt(headers)) + " headers dropped");
      ownHeaders = false;
    } else if (step == 3 && !violations.empty()) {
      violationsLimit = maxBytes / 2;
    } else if (step) {
      continue;  // nothing to cut at this step
    }
    std::string json = violationsJson(violations, violationsLimit);
    for (const std::string& cut : cuts)
      appendCut(json, cut + " (the dead letter must fit message.max.bytes, " + std::to_string(maxBytes) + ")");
    rd_kafka_headers_t* out = ownHeaders ? forwardedHeaders(headers) : rd_kafka_headers_new(3);
    if (json.size() > 2) rd_kafka_header_add(out, "mesh-violations", -1, json.data(), json.size());
    rd_kafka_header_add(out, "mesh-too-large", -1, bytes.data(), bytes.size());
    rd_kafka_header_add(out, "mesh-source", -1, where.data(), where.size());
    if ((e = send(out, keyLength))) rd_kafka_headers_destroy(out);
  }
  std::string cut;
  for (const std::string& c : cuts) cut += "; " + c;
  std::fprintf(stderr, "mesh-gate: %s (%zu bytes) is too large for '%s': %s without its value%s\n", where.c_str(),
               valueSize, topic.c_str(), e ? "cannot even dead-letter it" : "dead-lettered", cut.c_str());
  return e;
}

enum class Txn { Committed, Aborted, Fatal };

// The per-message metrics of a batch, added to the registry once per batch:
// prometheus-cpp's Histogram::Observe takes a mutex, and a labelled counter's
// Family::Add builds and looks up its label set, on every call.
class BatchMetrics {
 public:
  BatchMetrics(const std::string& product, prometheus::Counter& in, prometheus::Counter& valid,
               prometheus::Family<prometheus::Counter>& invalid, prometheus::Histogram& timing,
               prometheus::Histogram::BucketBoundaries bounds)
      : product_(product), in_(in), valid_(valid), invalid_(invalid), timing_(timing), bounds_(std::move(bounds)),
        counts_(bounds_.size() + 1) {}
  void message(bool ok, double seconds, Rule firstViolation) {
    ++in_count_;
    if (ok) ++valid_count_;
    else ++invalid_counts_[static_cast<size_t>(firstViolation)];
    // The bucket of `seconds` as prometheus-cpp picks it: the first bound it
    // does not exceed ("le"), the last one (+Inf) when it exceeds all.
    counts_[std::lower_bound(bounds_.begin(), bounds_.end(), seconds) - bounds_.begin()] += 1;
    sum_ += seconds;
  }
  void publish() {
    if (!in_count_) return;
    in_.Increment(static_cast<double>(in_count_));
    if (valid_count_) valid_.Increment(static_cast<double>(valid_count_));
    for (size_t rule = 0; rule < invalid_counts_.size(); ++rule) {
      if (!invalid_counts_[rule]) continue;
      if (!invalidByRule_[rule])
        invalidByRule_[rule] = &invalid_.Add({{"product", product_}, {"rule", ruleName(static_cast<Rule>(rule))}});
      invalidByRule_[rule]->Increment(static_cast<double>(invalid_counts_[rule]));
      invalid_counts_[rule] = 0;
    }
    timing_.ObserveMultiple(counts_, sum_);
    std::fill(counts_.begin(), counts_.end(), 0.0);
    sum_ = 0;
    in_count_ = valid_count_ = 0;
  }

 private:
  static constexpr size_t kRules = static_cast<size_t>(Rule::Check) + 1;
  const std::string& product_;
  prometheus::Counter &in_, &valid_;
  prometheus::Family<prometheus::Counter>& invalid_;
  prometheus::Histogram& timing_;
  prometheus::Histogram::BucketBoundaries bounds_;
  std::vector<double> counts_;
  double sum_ = 0;
  uint64_t in_count_ = 0, valid_count_ = 0;
  std::array<uint64_t, kRules> invalid_counts_{};
  std::array<prometheus::Counter*, kRules> invalidByRule_{};
};

// --transactional, at the end of a batch: commits the transaction with the
// consumer's positions as the group's offsets, or (when it cannot, or
// `abort`) aborts it and rewinds the consumer to the group's committed
// offsets, so the batch is read again. Fatal: the producer cannot go on.
// The consumer's positions (the offset after the last message handed to the
// gate) on every assigned partition that has one, taken now: what the gate
// has handled so far. A commit with a null list would read the offsets when
// librdkafka's group thread gets to it, by then possibly past messages the
// gate has polled for the next batch but not yet produced: a gate killed
// then would lose them (seen in tests/integration/scaleout_test.py).
rd_kafka_topic_partition_list_t* handledPositions(rd_kafka_t* consumer) {
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

Txn finishBatch(rd_kafka_t* consumer, rd_kafka_t* producer, bool abort) {
  if (!abort) {
    rd_kafka_topic_partition_list_t* positions = handledPositions(consumer);
    // A retriable error (a timeout) may simply be tried again.
    auto retried = [](auto call) {
      rd_kafka_error_t* error = call();
      for (int attempt = 1; error && rd_kafka_error_is_retriable(error) && attempt < 3; ++attempt) {
        rd_kafka_error_destroy(error);
        error = call();
      }
      return error;
    };
    rd_kafka_consumer_group_metadata_t* group = rd_kafka_consumer_group_metadata(consumer);
    rd_kafka_error_t* error =
        retried([&] { return rd_kafka_send_offsets_to_transaction(producer, positions, group, 60000); });
    rd_kafka_consumer_group_metadata_destroy(group);
    rd_kafka_topic_partition_list_destroy(positions);
    if (!error) error = retried([&] { return rd_kafka_commit_transaction(producer, 60000); });
    if (!error) return Txn::Committed;
    std::fprintf(stderr, "mesh-gate: transaction not committed: %s\n", rd_kafka_error_string(error));
    bool fatal = rd_kafka_error_is_fatal(error) || !rd_kafka_error_txn_requires_abort(error);
    rd_kafka_error_destroy(error);
    if (fatal) return Txn::Fatal;
  }
  if (rd_kafka_error_t* error = rd_kafka_abort_transaction(producer, 60000)) {
    std::fprintf(stderr, "mesh-gate: cannot abort the transaction: %s\n", rd_kafka_error_string(error));
    rd_kafka_error_destroy(error);
    return Txn::Fatal;
  }
  rd_kafka_topic_partition_list_t* assigned = nullptr;
  rd_kafka_assignment(consumer, &assigned);
  rd_kafka_resp_err_t e = rd_kafka_committed(consumer, assigned, 30000);
  for (int i = 0; i < assigned->cnt; ++i)
    if (assigned->elems[i].offset < 0) assigned->elems[i].offset = RD_KAFKA_OFFSET_BEGINNING;  // nothing committed yet
  rd_kafka_error_t* seek = e ? nullptr : rd_kafka_seek_partitions(consumer, assigned, 30000);
  rd_kafka_topic_partition_list_destroy(assigned);
  if (e || seek) {
    std::fprintf(stderr, "mesh-gate: cannot rewind after an aborted transaction: %s\n",
                 e ? rd_kafka_err2str(e) : rd_kafka_error_string(seek));
    if (seek) rd_kafka_error_destroy(seek);
    return Txn::Fatal;
  }
  std::fprintf(stderr, "mesh-gate: transaction aborted; the batch is read again\n");
  return Txn::Aborted;
}

}  // namespace

int gateMain(int argc, char** argv, const ValidateTarget* targets, size_t count, const MaskTarget* masks,
             size_t maskCount, const ProductRules* products, size_t productCount) {
  if (auto error = environmentError()) {
    std::fprintf(stderr, "mesh-gate: %s\n", error->c_str());
    return 2;
  }
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    const char* v = i + 1 < argc ? argv[i + 1] : nullptr;
    auto take = [&](std::string& out) {
      if (!v) return false;
      out = v;
      ++i;
      return true;
    };
    bool ok = true;
    if (arg == "--product") ok = take(o.product);
    else if (arg == "--bootstrap") ok = take(o.bootstrap);
    else if (arg == "--input") ok = take(o.input);
    else if (arg == "--output") ok = take(o.output);
    else if (arg == "--dlq") ok = take(o.dlq);
    else if (arg == "--group") ok = take(o.group);
    else if (arg == "--mask-for") ok = o.masking = take(o.maskFor);
    else if (arg == "--transactional") o.transactional = true;
    else if (arg == "--metrics-port") {
      std::string port;
      ok = take(port) && (o.metricsPort = std::atoi(port.c_str())) > 0;
    } else if (arg == "--rate-window" || arg == "--min-sample" || arg == "--unique-capacity") {
      std::string text;
      char* end = nullptr;
      long long n = take(text) ? std::strtoll(text.c_str(), &end, 10) : 0;
      if (!end || *end || n <= 0) return usage((arg + " takes a whole number above zero").c_str());
      if (arg == "--rate-window") o.stream.rateWindowMicros = n * 1000000;
      else if (arg == "--min-sample") o.stream.minSample = static_cast<uint64_t>(n);
      else o.stream.uniqueCapacity = static_cast<size_t>(n);
    } else if (arg == "-X") {
      std::string kv;
      size_t eq = take(kv) ? kv.find('=') : std::string::npos;
      if (eq == std::string::npos || eq == 0) return usage("-X takes KEY=VALUE (a librdkafka property)");
      o.kafka[kv.substr(0, eq)] = kv.substr(eq + 1);
    } else if (arg == "--help") {
      std::puts("usage: mesh-gate --product NAME --bootstrap HOSTS --input TOPIC --output TOPIC --dlq TOPIC --group ID "
                "[--metrics-port N] [--mask-for ROLE] [--transactional] [--rate-window SECONDS] [--min-sample N] "
                "[--unique-capacity N] [-X KEY=VALUE]...\n"
                "  --transactional: exactly-once (outputs and input offsets in one Kafka transaction per batch; "
                "transactional.id defaults to mesh-gate.GROUP.PRODUCT.HOSTNAME, -X transactional.id=... to choose)\n"
                "  -X sets a librdkafka property of both the consumer and the producer (security.protocol, "
                "sasl.*, session.timeout.ms, ...)");
      return 0;
    } else {
      return usage(("unknown argument '" + arg + "'").c_str());
    }
    if (!ok) return usage(("missing value for " + arg).c_str());
  }
  if (o.product.empty() || o.bootstrap.empty() || o.input.empty() || o.output.empty() || o.dlq.empty() ||
      o.group.empty())
    return usage("--product, --bootstrap, --input, --output, --dlq and --group are required");
  const ValidateTarget* target = nullptr;
  for (size_t i = 0; i < count; ++i)
    if (o.product == targets[i].name) target = &targets[i];
  if (!target) return usage(("no product or record '" + o.product + "' in this build").c_str());
  // --mask-for ROLE forwards the copy ROLE may see. A role the product has no
  // mask rules for is refused rather than served unmasked: a misspelt role
  // must not leak PII.
  const MaskTarget* mask = nullptr;
  if (o.masking) {
    std::string roles;
    for (size_t i = 0; i < maskCount; ++i) {
      if (o.product != masks[i].product) continue;
      if (o.maskFor == masks[i].role) mask = &masks[i];
      roles += roles.empty() ? "" : ", ";
      roles += masks[i].role;
    }
    if (!mask)
      return usage(("product '" + o.product + "' has no mask rules for role '" + o.maskFor + "'" +
                    (roles.empty() ? std::string(" (it masks nothing)") : " (roles with mask rules: " + roles + ")"))
                       .c_str());
  }

  // Metrics.
  auto registry = std::make_shared<prometheus::Registry>();
  std::unique_ptr<prometheus::Exposer> exposer;
  if (o.metricsPort) {
    exposer = std::make_unique<prometheus::Exposer>("127.0.0.1:" + std::to_string(o.metricsPort));
    exposer->RegisterCollectable(registry);
  }
  const std::map<std::string, std::string> labels = {{"product", o.product}};
  auto& in = prometheus::BuildCounter().Name("mesh_messages_in_total").Help("Messages read from the input topic").Register(*registry).Add(labels);
  auto& valid = prometheus::BuildCounter().Name("mesh_messages_valid_total").Help("Messages that passed validation").Register(*registry).Add(labels);
  auto& invalidFamily = prometheus::BuildCounter().Name("mesh_messages_invalid_total").Help("Messages that failed validation, by the rule of their first violation").Register(*registry);
  auto& produced = prometheus::BuildCounter().Name("mesh_produced_total").Help("Messages acknowledged on the output or dead-letter topic").Register(*registry).Add(labels);
  auto& failures = prometheus::BuildCounter().Name("mesh_delivery_failures_total").Help("Messages the broker did not acknowledge").Register(*registry).Add(labels);
  // The product's quality rules and SLA freshness, judged on the stream.
  std::unique_ptr<StreamChecks> checks;
  const ProductRules* rules = nullptr;
  for (size_t i = 0; i < productCount; ++i)
    if (o.product == products[i].product) {
      rules = &products[i];
      checks = std::make_unique<StreamChecks>(
          products[i], o.stream, *registry,
          [](const std::string& line) { std::fprintf(stderr, "mesh-gate: %s\n", line.c_str()); }, nowMicros());
    }
  const prometheus::Histogram::BucketBoundaries timingBounds{1e-6, 2e-6, 5e-6, 1e-5, 2e-5, 5e-5, 1e-4, 1e-3};
  auto& timing = prometheus::BuildHistogram().Name("mesh_validation_seconds").Help("Time to parse and validate one message").Register(*registry).Add(labels, timingBounds);
  BatchMetrics batchMetrics(o.product, in, valid, invalidFamily, timing, timingBounds);

  Delivery delivery;
  std::map<std::string, std::string> consumerSettings = {{"bootstrap.servers", o.bootstrap},
                                                         {"group.id", o.group},
                                                         {"enable.auto.commit", "false"},
                                                         {"auto.offset.reset", "earliest"},
                                                         {"log_level", "3"}};
  std::map<std::string, std::string> producerSettings = {
      {"bootstrap.servers", o.bootstrap}, {"enable.idempotence", "true"}, {"log_level", "3"}};
  for (const auto& [k, v] : o.kafka) {
    // Both clients get every -X property (librdkafka ignores, with a warning
    // below our log level, one that is for the other kind of client); a name
    // or value librdkafka does not know is refused here, before connecting.
    char problem[512];
    rd_kafka_conf_t* probe = rd_kafka_conf_new();
    bool known = rd_kafka_conf_set(probe, k.c_str(), v.c_str(), problem, sizeof problem) == RD_KAFKA_CONF_OK;
    rd_kafka_conf_destroy(probe);
    if (!known) return usage(("-X " + k + "=" + v + ": " + problem).c_str());
    consumerSettings[k] = v;
    producerSettings[k] = v;
  }
  if (o.transactional && !producerSettings.count("transactional.id")) {
    // Stable across restarts of the same instance (a restart fences its
    // predecessor and aborts what it left open), distinct between hosts.
    char host[256] = "localhost";
    gethostname(host, sizeof host - 1);
    producerSettings["transactional.id"] = "mesh-gate." + o.group + "." + o.product + "." + host;
  }
  rd_kafka_t* consumer = makeClient(RD_KAFKA_CONSUMER, consumerSettings);
  if (!consumer) return 2;
  int dlqPartitions = 1;
  if (std::string why = checkTopics(consumer, o, dlqPartitions); !why.empty()) {
    std::fprintf(stderr, "mesh-gate: %s\n", why.c_str());
    rd_kafka_destroy(consumer);
    return 2;
  }
  auto makeProducer = [&]() -> rd_kafka_t* {
    char err[512];
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    for (const auto& [k, v] : producerSettings)
      if (rd_kafka_conf_set(conf, k.c_str(), v.c_str(), err, sizeof err) != RD_KAFKA_CONF_OK) {
        std::fprintf(stderr, "mesh-gate: %s\n", err);
        rd_kafka_conf_destroy(conf);
        return nullptr;
      }
    rd_kafka_conf_set_opaque(conf, &delivery);
    rd_kafka_conf_set_dr_msg_cb(conf, onDelivery);
    rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
    if (!rk) std::fprintf(stderr, "mesh-gate: %s\n", err);
    return rk;
  };
  rd_kafka_t* producer = makeProducer();
  // Dead letters go through a producer of their own (at-least-once): sharing
  // one made every batch's flush wait several times longer on librdkafka 2.0
  // (bench/runtime/README.md). In one transaction they must share it.
  rd_kafka_t* dlqProducer = producer && !o.transactional ? makeProducer() : producer;
  if (!producer || !dlqProducer) {
    if (producer) rd_kafka_destroy(producer);
    rd_kafka_destroy(consumer);
    return 2;
  }
  const size_t maxBytes = maxMessageBytes(producer);
  if (o.transactional) {
    if (rd_kafka_error_t* error = rd_kafka_init_transactions(producer, 60000)) {
      std::fprintf(stderr, "mesh-gate: --transactional: %s\n", rd_kafka_error_string(error));
      rd_kafka_error_destroy(error);
      rd_kafka_destroy(producer);
      rd_kafka_destroy(consumer);
      return 2;
    }
  }
  rd_kafka_poll_set_consumer(consumer);
  rd_kafka_topic_partition_list_t* topics = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(topics, o.input.c_str(), RD_KAFKA_PARTITION_UA);
  rd_kafka_resp_err_t e = rd_kafka_subscribe(consumer, topics);
  rd_kafka_topic_partition_list_destroy(topics);
  if (e) {
    std::fprintf(stderr, "mesh-gate: cannot subscribe to '%s': %s\n", o.input.c_str(), rd_kafka_err2str(e));
    return 2;
  }
  std::signal(SIGINT, onSignal);
  std::signal(SIGTERM, onSignal);
  std::fprintf(stderr, "mesh-gate: %s: %s -> %s (dead letters: %s), group %s\n", o.product.c_str(), o.input.c_str(),
               o.output.c_str(), o.dlq.c_str(), o.group.c_str());

  std::vector<Violation> violations;
  std::string masked;  // the copy --mask-for forwards
  StreamFields fields;  // what validateFields hands over
  int status = 0;
  int64_t lastEvaluation = 0;
  while (!stopping) {
    if (checks && nowMicros() - lastEvaluation >= 1000000) {  // also while the topic is silent
      lastEvaluation = nowMicros();
      checks->evaluate(lastEvaluation);
    }
    int handled = 0;
    bool produceFailed = false;
    uint64_t failedBefore = delivery.failed;  // before the batch: reports served while it produces count too
    delivery.logged = 0;
    while (handled < o.batch && !stopping) {
      rd_kafka_message_t* m = rd_kafka_consumer_poll(consumer, handled ? 0 : 200);
      if (!m) break;
      if (m->err) {
        if (m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF)
          std::fprintf(stderr, "mesh-gate: consumer: %s\n", rd_kafka_message_errstr(m));
        rd_kafka_message_destroy(m);
        continue;
      }
      if (o.transactional && handled == 0) {
        if (rd_kafka_error_t* error = rd_kafka_begin_transaction(producer)) {
          std::fprintf(stderr, "mesh-gate: cannot begin a transaction: %s\n", rd_kafka_error_string(error));
          rd_kafka_error_destroy(error);
          rd_kafka_message_destroy(m);
          status = 1;
          stopping = true;
          break;
        }
      }
      violations.clear();
      std::string_view value(static_cast<const char*>(m->payload), m->payload ? m->len : 0);
      // One clock reading gives the message's now() (also what the stream
      // checks see) and the start of its validation time.
      const auto wall = std::chrono::system_clock::now();
      const int64_t now = nowMicros(wall);
      // Without --mask-for, a product with unique or null_rate rules is
      // validated by the function that also hands their fields over.
      const bool handOver = !mask && checks && rules->validateFields;
      bool ok = mask       ? mask->mask(value, masked, violations, now)
                : handOver ? rules->validateFields(value, violations, now, fields)
                           : target->validate(value, violations, now);
      double seconds = std::chrono::duration<double>(std::chrono::system_clock::now() - wall).count();
      batchMetrics.message(ok, seconds < 0 ? 0 : seconds, ok ? Rule::Parse : violations.front().rule);
      if (checks) {
        rd_kafka_timestamp_type_t type;
        int64_t timestampMs = rd_kafka_message_timestamp(m, &type);
        if (handOver)
          checks->observe(fields, ok, timestampMs > 0 ? timestampMs * 1000 : 0, now);
        else
          checks->observe(value, ok, timestampMs > 0 ? timestampMs * 1000 : 0, now);
      }
      // Keys, headers and partition are kept; dead letters say why.
      rd_kafka_headers_t* headers = nullptr;
      rd_kafka_message_headers(m, &headers);
      // A valid message without headers goes out without (no empty list).
      rd_kafka_headers_t* out = headers ? forwardedHeaders(headers) : ok ? nullptr : rd_kafka_headers_new(1);
      if (!ok) {
        std::string json = violationsJson(violations);
        rd_kafka_header_add(out, "mesh-violations", -1, json.data(), json.size());
      }
      const std::string* topic = ok ? &o.output : &o.dlq;
      rd_kafka_t* to = ok ? producer : dlqProducer;
      const void* payload = ok && mask ? masked.data() : m->payload;
      size_t size = ok && mask ? masked.size() : m->len;
      auto send = [&](rd_kafka_headers_t* headers, size_t keyLength) {
        rd_kafka_resp_err_t e;
        const int32_t partition = topic == &o.dlq ? m->partition % dlqPartitions : m->partition;
        while ((e = rd_kafka_producev(to, RD_KAFKA_V_TOPIC(topic->c_str()), RD_KAFKA_V_PARTITION(partition),
                                      RD_KAFKA_V_KEY(m->key, keyLength),
                                      RD_KAFKA_V_VALUE(const_cast<void*>(payload), size),
                                      RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_HEADERS(headers),
                                      RD_KAFKA_V_END)) == RD_KAFKA_RESP_ERR__QUEUE_FULL)
          rd_kafka_poll(to, 100);
        return e;
      };
      rd_kafka_resp_err_t pe = send(out, m->key_len);
      if (pe == RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE) {
        // Too large for the producer: a dead letter without the value (the
        // input topic keeps it), cut further if need be, rather than losing
        // or blocking on it.
        if (out) rd_kafka_headers_destroy(out);
        out = nullptr;
        const std::string* wanted = topic;
        topic = &o.dlq;
        to = dlqProducer;
        payload = nullptr;
        pe = deadLetterTooLarge(m, headers, violations, std::exchange(size, 0), maxBytes, *wanted, send);
      }
      const int32_t partition = m->partition;
      rd_kafka_message_destroy(m);
      ++handled;
      if (pe) {
        if (out) rd_kafka_headers_destroy(out);
        std::fprintf(stderr, "mesh-gate: cannot produce to '%s' partition %d: %s\n", topic->c_str(),
                     static_cast<int>(partition), rd_kafka_err2str(pe));
        produceFailed = true;
        if (o.transactional) break;  // the batch is aborted and read again
        status = 1;
        stopping = true;
      }
    }
    batchMetrics.publish();
    if (handled == 0) continue;
    if (o.transactional) {
      // The outputs and the input offsets commit together, or not at all.
      Txn result = finishBatch(consumer, producer, produceFailed);
      if (result == Txn::Committed) {
        produced.Increment(handled);
      } else {
        failures.Increment(handled);
        if (result == Txn::Fatal) {
          status = 1;
          break;
        }
      }
      continue;
    }
    // Commit only what is acknowledged; a batch with a message that could
    // not even be enqueued is not committed (a restart reads it again).
    bool flushed = rd_kafka_flush(producer, 60000) == RD_KAFKA_RESP_ERR_NO_ERROR;
    if (dlqProducer != producer) flushed = rd_kafka_flush(dlqProducer, 60000) == RD_KAFKA_RESP_ERR_NO_ERROR && flushed;
    if (produceFailed) {
      std::fprintf(stderr, "mesh-gate: a message could not be produced; stopping without committing the batch\n");
      break;  // status is 1 already
    }
    if (!flushed || delivery.failed != failedBefore) {
      failures.Increment(static_cast<double>(delivery.failed - failedBefore));
      std::fprintf(stderr, "mesh-gate: %llu deliveries failed%s; stopping without committing (a restart re-reads)\n",
                   static_cast<unsigned long long>(delivery.failed - failedBefore),
                   delivery.failed - failedBefore > Delivery::kLogged ? " (the first ones are logged above)" : "");
      status = 1;
      break;
    }
    produced.Increment(handled);
    // Asynchronous: the next batch does not wait for it, and a broker that is
    // gone cannot hold the gate (SIGTERM still stops it). A failed commit is
    // logged by the callback; the next one covers it (offsets only grow).
    // The offsets are the positions now, not whatever the group thread
    // reads later (handledPositions).
    rd_kafka_topic_partition_list_t* positions = handledPositions(consumer);
    if (positions->cnt) rd_kafka_commit(consumer, positions, 1);
    rd_kafka_topic_partition_list_destroy(positions);
  }
  rd_kafka_consumer_close(consumer);  // waits for the commits in flight
  rd_kafka_destroy(consumer);
  rd_kafka_flush(producer, 10000);
  if (dlqProducer != producer) {
    rd_kafka_flush(dlqProducer, 10000);
    rd_kafka_destroy(dlqProducer);
  }
  rd_kafka_destroy(producer);
  return status;
}

}  // namespace meshrt
