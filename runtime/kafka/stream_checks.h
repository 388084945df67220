// stream_checks.h: what mesh-gate checks on the stream as a whole, beyond
// each message: the product's quality rules (unique within a window, null
// rate, volume per window, valid rate) and its SLA freshness. Decisions (what
// a window is, when a rule is judged) are in docs/gate.md. Internal to
// meshrt_kafka.
#pragma once

#include <absl/container/flat_hash_map.h>
#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>
#include <simdjson.h>

#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "meshrt/kafka.h"
#include "meshrt/stream_fields.h"

namespace meshrt {

/// Counts in one-second buckets over a sliding window of processing time.
class WindowCounter {
 public:
  explicit WindowCounter(int64_t windowMicros) : window_(windowMicros) {}
  void add(int64_t nowMicros, uint64_t n = 1);
  /// The total of the buckets inside (now - window, now].
  uint64_t total(int64_t nowMicros);

 private:
  void expire(int64_t nowMicros);
  int64_t window_;
  std::deque<std::pair<int64_t, uint64_t>> buckets_;  // (second, count), oldest first
  uint64_t total_ = 0;
};

/// unique(field) within W: remembers a 64-bit hash of each value seen in the
/// last W (processing time) and counts the values that repeat.
class UniqueWindow {
 public:
  UniqueWindow(int64_t windowMicros, size_t capacity) : window_(windowMicros), capacity_(capacity) {}
  /// Whether the value was already seen inside the window; remembers it.
  bool seen(uint64_t hash, int64_t nowMicros);
  size_t size() const { return order_.size(); }
  /// True once the capacity forced values out before their window ended.
  bool truncated() const { return truncated_; }

 private:
  void forgetOldest();
  int64_t window_;
  size_t capacity_;
  bool truncated_ = false;
  std::deque<std::pair<int64_t, uint64_t>> order_;  // (time, hash), oldest first
  // Open addressing (no allocation per value, one probe where a node-based
  // map takes two or three cache misses): the gate's hottest lookup.
  absl::flat_hash_map<uint64_t, uint32_t> counts_;
};

struct StreamSettings {
  int64_t rateWindowMicros = 15LL * 60 * 1000000;  // valid_rate and null_rate
  uint64_t minSample = 100;                        // messages in the rate window before a rate is judged
  size_t uniqueCapacity = 10000000;                // values remembered per unique rule
};

class StreamChecks {
 public:
  /// `log` receives one line per change of state (a breach, a recovery).
  StreamChecks(const ProductRules& rules, const StreamSettings& settings, prometheus::Registry& registry,
               std::function<void(const std::string&)> log, int64_t startMicros);

  /// One message read from the input: `json` its bytes, `valid` the
  /// validator's verdict, `eventMicros` its Kafka timestamp (0 when none).
  /// The fields of the unique and null_rate rules are read from `json`.
  void observe(std::string_view json, bool valid, int64_t eventMicros, int64_t nowMicros);
  /// The same with those fields handed over by the generated validator
  /// (ProductRules::validateFields), by rule index.
  void observe(const StreamFields& fields, bool valid, int64_t eventMicros, int64_t nowMicros);
  /// Judges every rule at `now`: sets the gauges, logs changes of state.
  void evaluate(int64_t nowMicros);

 private:
  struct Rule {
    QualityRuleSpec spec;
    std::string label;
    prometheus::Gauge* value = nullptr;
    prometheus::Gauge* breached = nullptr;
    prometheus::Counter* breaches = nullptr;
    bool inBreach = false;
    WindowCounter counted, nulls, duplicates;  // per rule kind: see evaluate()
    UniqueWindow unique;
  };
  void judge(Rule& rule, bool known, double value, const std::string& shown);

  std::string product_;
  StreamSettings settings_;
  std::function<void(const std::string&)> log_;
  int64_t start_;
  std::vector<Rule> rules_;
  WindowCounter messages_, valid_;
  simdjson::ondemand::parser parser_;  // for the fields of unique and null_rate rules
  std::string padded_;                 // the message with simdjson's padding
  StreamFields fields_;                // what observe(json) read

  int64_t freshness_ = 0, newestEvent_ = 0;
  bool freshnessBreached_ = false;
  prometheus::Gauge* lag_ = nullptr;
  prometheus::Gauge* slaBreached_ = nullptr;
  prometheus::Counter* slaBreaches_ = nullptr;
};

}  // namespace meshrt
