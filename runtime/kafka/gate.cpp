// gate.cpp: the validating gate (toolchain.md section 3). A consumer-group
// member that validates every message of the input topic with the product's
// generated validator, forwards valid ones (key, headers and partition kept)
// and sends invalid ones to the dead-letter topic with a `mesh-violations`
// header. At-least-once: messages are handled in batches, and a batch's input
// offsets are committed only after everything it produced is acknowledged; a
// failed delivery stops the gate without committing, so a restart re-reads.
#include "gate.h"

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <utility>

#include "dead_letter.h"
#include "meshrt/stream_fields.h"

namespace meshrt {
namespace {

std::atomic<bool> stopping{false};
void onSignal(int) { stopping = true; }

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
std::string checkTopics(rd_kafka_t* client, const GateOptions& o, int& dlqPartitions) {
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

enum class Txn { Committed, Aborted, Fatal };

// --transactional, at the end of a batch: commits the transaction with the
// consumer's positions as the group's offsets, or (when it cannot, or
// `abort`) aborts it and rewinds the consumer to the group's committed
// offsets, so the batch is read again. Fatal: the producer cannot go on.
Txn endTransaction(rd_kafka_t* consumer, rd_kafka_t* producer, bool abort) {
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

Gate::Gate(const GateOptions& options, const GateTargets& targets, GateMetrics& metrics, StreamChecks* checks)
    : options_(options), targets_(targets), metrics_(metrics), checks_(checks) {}

namespace {

// Each failed delivery is counted; the first few of a batch are logged with
// the topic, partition and librdkafka's error (a batch of 500 to a missing
// partition must not log 500 lines).
void onDelivery(rd_kafka_t*, const rd_kafka_message_t* m, void* opaque) {
  if (!m->err) return;
  auto* delivery = static_cast<Gate::Delivery*>(opaque);
  ++delivery->failed;
  if (delivery->logged++ < Gate::Delivery::kLogged)
    std::fprintf(stderr, "mesh-gate: delivery to '%s' partition %d failed: %s\n", rd_kafka_topic_name(m->rkt),
                 static_cast<int>(m->partition), rd_kafka_err2str(m->err));
}

void onCommit(rd_kafka_t*, rd_kafka_resp_err_t e, rd_kafka_topic_partition_list_t*, void*) {
  if (e && e != RD_KAFKA_RESP_ERR__NO_OFFSET)
    std::fprintf(stderr, "mesh-gate: commit failed (%s): a restart may read that batch again\n", rd_kafka_err2str(e));
}

// A client, or its error on stderr.
KafkaClient reported(KafkaClient client) {
  if (!client) std::fprintf(stderr, "mesh-gate: %s\n", client.error().c_str());
  return client;
}

}  // namespace

KafkaClient Gate::makeProducer() {
  return reported(makeClient(RD_KAFKA_PRODUCER, producerSettings(options_), [this](rd_kafka_conf_t* conf) {
    rd_kafka_conf_set_opaque(conf, &delivery_);
    rd_kafka_conf_set_dr_msg_cb(conf, onDelivery);
  }));
}

bool Gate::start() {
  const GateOptions& o = options_;
  consumer_ = reported(makeClient(RD_KAFKA_CONSUMER, consumerSettings(o),
                                  [](rd_kafka_conf_t* conf) { rd_kafka_conf_set_offset_commit_cb(conf, onCommit); }));
  if (!consumer_) return false;
  if (std::string why = checkTopics(consumer_.get(), o, dlqPartitions_); !why.empty()) {
    std::fprintf(stderr, "mesh-gate: %s\n", why.c_str());
    return false;
  }
  producer_ = makeProducer();
  if (!producer_) return false;
  if (!o.transactional && !(dlqProducer_ = makeProducer())) return false;
  dlq_ = o.transactional ? producer_.get() : dlqProducer_.get();
  maxBytes_ = maxMessageBytes(producer_.get());
  if (o.transactional) {
    if (rd_kafka_error_t* error = rd_kafka_init_transactions(producer_.get(), 60000)) {
      std::fprintf(stderr, "mesh-gate: --transactional: %s\n", rd_kafka_error_string(error));
      rd_kafka_error_destroy(error);
      return false;
    }
  }
  rd_kafka_poll_set_consumer(consumer_.get());
  rd_kafka_topic_partition_list_t* topics = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(topics, o.input.c_str(), RD_KAFKA_PARTITION_UA);
  rd_kafka_resp_err_t e = rd_kafka_subscribe(consumer_.get(), topics);
  rd_kafka_topic_partition_list_destroy(topics);
  if (e) {
    std::fprintf(stderr, "mesh-gate: cannot subscribe to '%s': %s\n", o.input.c_str(), rd_kafka_err2str(e));
    return false;
  }
  return true;
}

int Gate::run() {
  int64_t lastEvaluation = 0;
  while (!stopping) {
    if (checks_ && nowMicros() - lastEvaluation >= 1000000) {  // also while the topic is silent
      lastEvaluation = nowMicros();
      checks_->evaluate(lastEvaluation);
    }
    int handled = readBatch();
    metrics_.batch().publish();
    if (handled && !finishBatch(handled)) break;
  }
  shutDown();
  return status_;
}

// Up to --batch messages, handled; how many.
int Gate::readBatch() {
  int handled = 0;
  produceFailed_ = false;
  failedBefore_ = delivery_.failed;  // before the batch: reports served while it produces count too
  delivery_.logged = 0;
  while (handled < options_.batch && !stopping) {
    rd_kafka_message_t* m = rd_kafka_consumer_poll(consumer_.get(), handled ? 0 : 200);
    if (!m) break;
    if (meshrt::skipConsumerEvent(m, "mesh-gate")) continue;
    if (options_.transactional && handled == 0) {
      if (rd_kafka_error_t* error = rd_kafka_begin_transaction(producer_.get())) {
        std::fprintf(stderr, "mesh-gate: cannot begin a transaction: %s\n", rd_kafka_error_string(error));
        rd_kafka_error_destroy(error);
        rd_kafka_message_destroy(m);
        status_ = 1;
        stopping = true;
        break;
      }
    }
    const bool sent = handle(*m);
    rd_kafka_message_destroy(m);
    ++handled;
    if (!sent) {
      produceFailed_ = true;
      if (options_.transactional) break;  // the batch is aborted and read again
      status_ = 1;
      stopping = true;
    }
  }
  return handled;
}

// Validates a message (the stream checks see it too): whether it is valid,
// its violations in violations_.
bool Gate::validate(const rd_kafka_message_t& m) {
  violations_.clear();
  std::string_view value(static_cast<const char*>(m.payload), m.payload ? m.len : 0);
  // One clock reading gives the message's now() (also what the stream
  // checks see) and the start of its validation time.
  const auto wall = std::chrono::system_clock::now();
  const int64_t now = nowMicros(wall);
  // Without --mask-for, a product with unique or null_rate rules is
  // validated by the function that also hands their fields over.
  const MaskTarget* mask = targets_.mask;
  const bool handOver = !mask && checks_ && targets_.rules->validateFields;
  bool ok = mask       ? mask->mask(value, masked_, violations_, now)
            : handOver ? targets_.rules->validateFields(value, violations_, now, fields_)
                       : targets_.target->validate(value, violations_, now);
  double seconds = std::chrono::duration<double>(std::chrono::system_clock::now() - wall).count();
  metrics_.batch().message(ok, seconds < 0 ? 0 : seconds, ok ? Rule::Parse : violations_.front().rule);
  if (checks_) {
    rd_kafka_timestamp_type_t type;
    int64_t timestampMs = rd_kafka_message_timestamp(&m, &type);
    if (handOver)
      checks_->observe(fields_, ok, timestampMs > 0 ? timestampMs * 1000 : 0, now);
    else
      checks_->observe(value, ok, timestampMs > 0 ? timestampMs * 1000 : 0, now);
  }
  return ok;
}

rd_kafka_resp_err_t Gate::produce(const rd_kafka_message_t& m, const Outgoing& to, rd_kafka_headers_t* headers,
                                  size_t keyLength) {
  rd_kafka_resp_err_t e;
  const int32_t partition = to.topic == &options_.dlq ? m.partition % dlqPartitions_ : m.partition;
  while (
      (e = rd_kafka_producev(to.producer, RD_KAFKA_V_TOPIC(to.topic->c_str()), RD_KAFKA_V_PARTITION(partition),
                             RD_KAFKA_V_KEY(m.key, keyLength), RD_KAFKA_V_VALUE(const_cast<void*>(to.payload), to.size),
                             RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_HEADERS(headers), RD_KAFKA_V_END)) ==
      RD_KAFKA_RESP_ERR__QUEUE_FULL)
    rd_kafka_poll(to.producer, 100);
  return e;
}

bool Gate::handle(const rd_kafka_message_t& m) {
  const bool ok = validate(m);
  // Keys, headers and partition are kept; dead letters say why.
  rd_kafka_headers_t* headers = nullptr;
  rd_kafka_message_headers(&m, &headers);
  // A valid message without headers goes out without (no empty list).
  rd_kafka_headers_t* out = headers ? forwardedHeaders(headers) : ok ? nullptr : rd_kafka_headers_new(1);
  if (!ok) {
    std::string json = violationsJson(violations_);
    rd_kafka_header_add(out, "mesh-violations", -1, json.data(), json.size());
  }
  const bool masked = ok && targets_.mask;
  Outgoing to{ok ? &options_.output : &options_.dlq, ok ? producer_.get() : dlq_, masked ? masked_.data() : m.payload,
              masked ? masked_.size() : m.len};
  rd_kafka_resp_err_t e = produce(m, to, out, m.key_len);
  if (e == RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE) {
    // Too large for the producer: a dead letter without the value (the
    // input topic keeps it), cut further if need be, rather than losing
    // or blocking on it.
    if (out) rd_kafka_headers_destroy(out);
    out = nullptr;
    const std::string* wanted = to.topic;
    const size_t valueSize = to.size;
    to = {&options_.dlq, dlq_, nullptr, 0};
    e = deadLetterTooLarge(&m, headers, violations_, valueSize, maxBytes_, *wanted,
                           [&](rd_kafka_headers_t* h, size_t keyLength) { return produce(m, to, h, keyLength); });
  }
  if (!e) return true;
  if (out) rd_kafka_headers_destroy(out);
  std::fprintf(stderr, "mesh-gate: cannot produce to '%s' partition %d: %s\n", to.topic->c_str(),
               static_cast<int>(m.partition), rd_kafka_err2str(e));
  return false;
}

bool Gate::finishBatch(int handled) {
  if (options_.transactional) {
    // The outputs and the input offsets commit together, or not at all.
    Txn result = endTransaction(consumer_.get(), producer_.get(), produceFailed_);
    if (result == Txn::Committed) {
      metrics_.produced(handled);
      return true;
    }
    metrics_.failed(handled);
    if (result != Txn::Fatal) return true;
    status_ = 1;
    return false;
  }
  // Commit only what is acknowledged; a batch with a message that could
  // not even be enqueued is not committed (a restart reads it again).
  bool flushed = rd_kafka_flush(producer_.get(), 60000) == RD_KAFKA_RESP_ERR_NO_ERROR;
  if (dlqProducer_) flushed = rd_kafka_flush(dlqProducer_.get(), 60000) == RD_KAFKA_RESP_ERR_NO_ERROR && flushed;
  if (produceFailed_) {
    std::fprintf(stderr, "mesh-gate: a message could not be produced; stopping without committing the batch\n");
    return false;  // status is 1 already
  }
  const uint64_t failed = delivery_.failed - failedBefore_;
  if (!flushed || failed) {
    metrics_.failed(static_cast<double>(failed));
    std::fprintf(stderr, "mesh-gate: %llu deliveries failed%s; stopping without committing (a restart re-reads)\n",
                 static_cast<unsigned long long>(failed),
                 failed > Delivery::kLogged ? " (the first ones are logged above)" : "");
    status_ = 1;
    return false;
  }
  metrics_.produced(handled);
  // Asynchronous: the next batch does not wait for it, and a broker that is
  // gone cannot hold the gate (SIGTERM still stops it). A failed commit is
  // logged by the callback; the next one covers it (offsets only grow).
  // The offsets are the positions now, not whatever the group thread
  // reads later (handledPositions).
  rd_kafka_topic_partition_list_t* positions = handledPositions(consumer_.get());
  if (positions->cnt) rd_kafka_commit(consumer_.get(), positions, 1);
  rd_kafka_topic_partition_list_destroy(positions);
  return true;
}

void Gate::shutDown() {
  rd_kafka_consumer_close(consumer_.get());  // waits for the commits in flight
  consumer_.reset();
  rd_kafka_flush(producer_.get(), 10000);
  if (dlqProducer_) {
    rd_kafka_flush(dlqProducer_.get(), 10000);
    dlqProducer_.reset();
  }
  producer_.reset();
}

int gateMain(int argc, char** argv, const ValidateTarget* targets, size_t count, const MaskTarget* masks,
             size_t maskCount, const ProductRules* products, size_t productCount) {
  if (auto error = environmentError()) {
    std::fprintf(stderr, "mesh-gate: %s\n", error->c_str());
    return 2;
  }
  GateOptions options;
  GateTargets chosen;
  if (auto status =
          readOptions(argc, argv, {targets, count, masks, maskCount, products, productCount}, options, chosen))
    return *status;
  GateMetrics metrics(options.product, options.metricsPort);
  // The product's quality rules and SLA freshness, judged on the stream.
  std::unique_ptr<StreamChecks> checks;
  if (chosen.rules)
    checks = std::make_unique<StreamChecks>(
        *chosen.rules, options.stream, metrics.registry(),
        [](const std::string& line) { std::fprintf(stderr, "mesh-gate: %s\n", line.c_str()); }, nowMicros());
  Gate gate(options, chosen, metrics, checks.get());
  if (!gate.start()) return 2;
  std::signal(SIGINT, onSignal);
  std::signal(SIGTERM, onSignal);
  std::fprintf(stderr, "mesh-gate: %s: %s -> %s (dead letters: %s), group %s\n", options.product.c_str(),
               options.input.c_str(), options.output.c_str(), options.dlq.c_str(), options.group.c_str());
  return gate.run();
}

}  // namespace meshrt
